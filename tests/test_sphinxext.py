"""The Sphinx extension: pure cell transforms, and real builds of a small root in en, ja, ko."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docutils import nodes, utils
from sphinx import addnodes

import pages
from docsroot import build_without_records, make_root, runbook, translate
from stackbook.i18n import LANGUAGES
from stackbook.sphinxext import cells, downloads, languages, render, site
from stackbook.sphinxext.labels import LABELS, NAMES, label


@pytest.mark.parametrize(("source", "expected"), [
    ("%%on controller\nhostname", cells.Magic("on", "controller")),
    ("%%ini controller /etc/keystone/keystone.conf\n[database]",
     cells.Magic("ini", "controller", "/etc/keystone/keystone.conf")),
    ("%%ini controller /etc/heat/heat.conf --if-exists\n[clients]",
     cells.Magic("ini", "controller", "/etc/heat/heat.conf", if_exists=True)),
    ("%%write controller /root/admin-openrc --mode 600\nexport A=1",
     cells.Magic("write", "controller", "/root/admin-openrc", "600")),
    ("%%on controller --only debian-12\nls", cells.Magic("on", "controller", only=("debian-12",))),
    ("%%ini controller /etc/x.conf --only debian-13,debian-sid\n[a]",
     cells.Magic("ini", "controller", "/etc/x.conf", only=("debian-13", "debian-sid"))),
    ("%%on controller --only ubuntu\nls", None),  # the run reports the unknown platform
    ("%load_ext stackbook", None),
    ("%%bash\nls", None),
    ("INVENTORY = 'x'", None),
])
def test_parse_magic(source: str, expected: cells.Magic | None) -> None:
    assert cells.parse_magic(source) == expected


@pytest.mark.parametrize(("path", "lexer"), [
    ("/etc/heat/templates/stack.yaml", "yaml"), ("/root/admin-openrc", "bash"),
    ("/root/demo-openrc", "bash"), ("/etc/mysql/mariadb.conf.d/99-openstack.cnf", "ini"),
    ("/etc/keystone/keystone.conf", "ini"), ("/etc/keystone/keystone-uwsgi.ini", "ini"),
    ("/etc/motd", "text"),
])
def test_lexer_for_path(path: str, lexer: str) -> None:
    assert cells.lexer_for_path(path) == lexer


def test_runbook_view_is_pure_and_idempotent() -> None:
    nb = runbook()
    view = cells.runbook_view(nb)
    assert nb.cells[4].source.startswith("%%on controller")
    assert view.cells[4].source == "hostname\necho ready"
    assert view.cells[4].metadata[cells.META]["lexer"] == "bash"
    assert {"remove-input", "remove-output"} <= set(view.cells[2].metadata["tags"])
    assert view.cells[1].metadata[cells.META]["kind"] == "parameters"
    assert "hide-output" in view.cells[7].metadata["tags"]
    assert "hide-output" not in view.cells[4].metadata.get("tags", [])
    assert view.cells[9].metadata[cells.META]["only"] == ["debian-12"]
    assert view.cells[4].metadata[cells.META]["only"] == []
    assert cells.runbook_view(view) == view


def test_every_language_has_every_label() -> None:
    assert set(LABELS) == set(NAMES) == set(LANGUAGES)
    assert all(set(table) == set(LABELS["en"]) for table in LABELS.values())
    assert label("ko", "on", role="controller") == "controller에서 실행"


def test_switcher_keeps_the_page() -> None:
    links = languages.switcher("runbooks/keystone", "ja", ["en", "ja", "ko"])
    assert [(x["url"], x["current"]) for x in links] == [
        ("../../en/runbooks/keystone.html", False), ("../../ja/runbooks/keystone.html", True),
        ("../../ko/runbooks/keystone.html", False)]


@pytest.mark.parametrize(("docname", "lang", "expected"), [
    ("index", "ja", "../ja/index.html"),
    ("runbooks/keystone", "en", "../../en/runbooks/keystone.html"),
    ("docs/guide/part", "ko", "../../../ko/docs/guide/part.html"),
])
def test_page_url_is_the_same_page_in_another_language(docname: str, lang: str, expected: str) -> None:
    assert languages.page_url(docname, lang) == expected


@pytest.mark.parametrize(("docname", "lang", "expected"), [
    ("runbooks/keystone", "en", "../_notebooks/keystone.ipynb"),
    ("runbooks/keystone", "ja", "../_notebooks/keystone.ja.ipynb"),
    ("demo", "ko", "_notebooks/demo.ko.ipynb"),
])
def test_notebook_url_stays_in_the_language_site(docname: str, lang: str, expected: str) -> None:
    assert downloads.notebook_url(docname, lang) == expected


def test_redirect_page_falls_back_to_english() -> None:
    page = site.redirect_page(("en", "ja", "ko"))
    assert '["en", "ja", "ko"]' in page
    assert 'location.replace("en/index.html")' in page


@pytest.mark.parametrize(("names", "lang", "expected"), [
    ((), "en", ""),
    (("debian-12",), "en", "Only on Debian 12 · OpenStack 2022.2 Zed"),
    (("debian-12",), "ja", "対象: Debian 12 · OpenStack 2022.2 Zed のみ"),
    (("debian-12",), "ko", "대상: Debian 12 · OpenStack 2022.2 Zed만"),
    (("debian-13", "debian-sid"), "en",
     "Only on Debian 13 · OpenStack 2025.1 Epoxy and Debian unstable · OpenStack 2026.2 Hibiscus"),
    (("debian-13", "debian-sid"), "ja",
     "対象: Debian 13 · OpenStack 2025.1 Epoxy、Debian unstable (不安定版) · OpenStack 2026.2 Hibiscus のみ"),
    (("debian-13", "debian-sid"), "ko",
     "대상: Debian 13 · OpenStack 2025.1 Epoxy 및 Debian unstable(불안정판) · OpenStack 2026.2 Hibiscus만"),
])
def test_only_label(names: tuple[str, ...], lang: str, expected: str) -> None:
    assert render.only_label(names, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("ja", "remote の /etc/ssl/ca.crt を controller の /etc/heat/b.crt にコピー"),
    ("ko", "remote의 /etc/ssl/ca.crt를 controller의 /etc/heat/b.crt(으)로 복사")])
def test_copy_label_in_each_language(lang: str, expected: str) -> None:
    meta = {"kind": "copy", "role": "controller", "path": "/etc/heat/b.crt", "source_role": "remote",
            "source_path": "/etc/ssl/ca.crt"}
    assert render.cell_label(meta, lang).astext() == expected


@pytest.mark.parametrize(("meta", "text", "classes"), [
    ({"kind": "on", "role": "controller", "only": []}, "on controller", []),
    ({"kind": "on", "role": "controller"}, "on controller", []),
    ({"kind": "ini", "role": "controller", "path": "/etc/x.conf", "only": ["debian-12"]},
     "add to /etc/x.conf on controller Only on Debian 12 · OpenStack 2022.2 Zed", ["sb-only"]),
    ({"kind": "copy", "role": "controller", "path": "/etc/heat/b.crt", "source_role": "remote",
      "source_path": "/etc/ssl/ca.crt"}, "copy /etc/ssl/ca.crt from remote to /etc/heat/b.crt on controller", []),
])
def test_cell_label_names_the_releases(meta: dict[str, object], text: str, classes: list[str]) -> None:
    found = render.cell_label(meta, "en")
    assert found.astext() == text
    assert [c for node in found.findall(nodes.inline) for c in node["classes"]] == classes
    assert ("sb-some-releases" in found["classes"]) == bool(classes)


@pytest.mark.parametrize(("lang", "caption"), [
    ("en", "On Debian 12 · OpenStack 2022.2 Zed this step prints:"),
    ("ja", "Debian 12 · OpenStack 2022.2 Zed では、この手順は次のように出力します:"),
    ("ko", "Debian 12 · OpenStack 2022.2 Zed에서는 이 단계가 다음과 같이 출력합니다:"),
])
def test_outputs_of_other_releases_are_shown_under_the_step(lang: str, caption: str) -> None:
    shown = render.platform_outputs({"debian-12": "curl: (35) SSL_ERROR_SYSCALL\n"}, lang)
    assert len(shown) == 1 and "sb-platform-output" in shown[0]["classes"]
    assert shown[0][0].astext() == caption
    assert shown[0][1].astext() == "curl: (35) SSL_ERROR_SYSCALL\n"
    assert render.platform_outputs({}, lang) == []


def test_translated_toctree_captions_count_as_translated() -> None:
    doctree = utils.new_document("index")
    for caption, raw in (("프로젝트", "Project"), ("Runbooks", "Runbooks")):
        doctree += addnodes.toctree(caption=caption, rawcaption=raw, translated=False)
    doctree += addnodes.toctree(translated=False)  # no caption: nothing for a translator to do
    assert render.translated_toctrees(doctree) == 1


VERIFIED = {
    "debian-13": {"date": "2026-12-05", "status": "passed", "seconds": 412.3, "debian": "13.2",
                  "openstack": "2025.1", "failed": None},
    "debian-12": {"date": "2026-12-04", "status": "failed", "seconds": 80.1, "debian": "12.12",
                  "openstack": "2022.2",
                  "failed": {"step": 7, "source": "%%on controller\nsystemctl restart demo",
                             "error": "CommandFailed: command failed on controller\nexit 1"}},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo root, extracted, translated (ko leaves one message out) and built in 3 languages."""
    root = make_root(tmp_path_factory.mktemp("root"),
                     runbook(VERIFIED))
    for command in (["extract"], ["update"]):
        subprocess.run([str(Path(sys.executable).parent / "stackbook"), "i18n", *command], cwd=root,
                       check=True, capture_output=True)
    translate(root / "locales", "ja")
    translate(root / "locales", "ko", skip=frozenset({"Restart the service."}))
    return build_without_records(root)


def _html(built: Path, lang: str, page: str) -> str:
    return (built / lang / f"{page}.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_cells_render_as_typed(built: Path) -> None:
    html = _html(built, "en", "runbooks/demo")
    cells_only = html[html.index("</table>"):]  # the matrix above quotes the failed step's magic line
    assert "%%on" not in cells_only and "%%ini" not in cells_only and "%load_ext" not in html
    assert '<div class="highlight-bash notranslate">' in html
    assert '<div class="highlight-ini notranslate">' in html
    assert '<div class="highlight-yaml notranslate">' in html
    assert "on controller" in html and "add to /etc/demo/demo.conf on controller" in html
    assert "Show output" in html  # the 40-line output is collapsed
    assert '<span class="sb-only">Only on Debian 12 · OpenStack 2022.2 Zed</span>' in html


def _text(html: str, css: str) -> str:
    """The text of the first table with class ``css``, cells separated by " | "."""
    start = html.index(f'<table class="{css}')
    table = html[start:html.index("</table>", start)]
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", table, re.S)
    return " | ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells)


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Platform | Result | Date | Duration | Where it stopped | "
           "Debian 13 · OpenStack 2025.1 Epoxy | passed | December 5, 2026 | 6 min 52 s | — | "
           "Debian unstable | not verified in this build | — | — | — | "
           "Debian 12 · OpenStack 2022.2 Zed | failed | December 4, 2026 | 1 min 20 s | "
           "step 7: %%on controller CommandFailed: command failed on controller"),
    ("ja", "プラットフォーム | 結果 | 検証日 | 所要時間 | 失敗した箇所 | "
           "Debian 13 · OpenStack 2025.1 Epoxy | 成功 | 2026年12月5日 | 6分52秒 | — | "
           "Debian unstable (不安定版) | このビルドでは未検証 | — | — | — | "
           "Debian 12 · OpenStack 2022.2 Zed | 失敗 | 2026年12月4日 | 1分20秒 | "
           "手順 7: %%on controller CommandFailed: command failed on controller"),
    ("ko", "플랫폼 | 결과 | 검증일 | 소요 시간 | 실패한 위치 | "
           "Debian 13 · OpenStack 2025.1 Epoxy | 통과 | 2026년 12월 5일 | 6분 52초 | — | "
           "Debian unstable(불안정판) | 이 빌드에서는 검증되지 않음 | — | — | — | "
           "Debian 12 · OpenStack 2022.2 Zed | 실패 | 2026년 12월 4일 | 1분 20초 | "
           "7단계: %%on controller CommandFailed: command failed on controller"),
])
def test_verification_matrix(built: Path, lang: str, expected: str) -> None:
    html = _html(built, lang, "runbooks/demo")
    assert _text(html, "sb-verification") == expected
    assert '<tr class="sb-failed' in html and '<tr class="sb-passed' in html


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "row"), [
    ("en", "Debian 13 (default) | 2025.1 Epoxy | "),
    ("ja", "Debian 13 (既定) | 2025.1 Epoxy | "),
    ("ko", "Debian 13(기본) | 2025.1 Epoxy | "),
])
def test_home_page_lists_the_verified_releases(built: Path, lang: str, row: str) -> None:
    found = _text(_html(built, lang, "index"), "sb-releases")
    assert row in found
    passed = {"en": "1 of 1 runbooks passed, last run on December 5, 2026",
              "ja": "1 件中 1 件のランブックが成功 (最終検証: 2026年12月5日)",
              "ko": "런북 1개 중 1개 통과(최근 검증: 2026년 12월 5일)"}[lang]
    failed = {"en": "0 of 1 runbooks passed", "ja": "1 件中 0 件", "ko": "런북 1개 중 0개 통과"}[lang]
    assert passed in found and failed in found


@pytest.mark.slow
def test_translated_pages(built: Path) -> None:
    ja = _html(built, "ja", "runbooks/demo")
    assert "controller で実行" in ja and "対象: Debian 12 · OpenStack 2022.2 Zed のみ" in ja
    assert "sb-translation" not in ja  # complete: no banner
    ko = _html(built, "ko", "runbooks/demo")
    assert "sb-translation" in ko and 'href="../../en/runbooks/demo.html"' in ko
    assert "sb-translation" not in _html(built, "ko", "docs/page")


@pytest.mark.slow
def test_notebooks_are_downloadable(built: Path) -> None:
    assert 'href="../_notebooks/demo.ja.ipynb"' in _html(built, "ja", "runbooks/demo")
    nb = json.loads((built / "ja" / "_notebooks" / "demo.ja.ipynb").read_text(encoding="utf-8"))
    assert nb["cells"][0]["source"][0].startswith("# デモのランブック")
    assert (built / "en" / "_notebooks" / "demo.ipynb").exists()
    assert (built / "index.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "sidebar", "toc", "search"), [
    ("ja", "このセクションのページ", "このページの内容", "ドキュメントを検索…"),
    ("ko", "이 섹션의 페이지", "이 페이지의 내용", "문서 검색…"),
])
def test_the_frame_is_in_the_page_language(built: Path, lang: str, sidebar: str, toc: str, search: str) -> None:
    labels = pages.frame_labels()
    for page in ("index", "docs/page", "runbooks/demo", "search", "genindex"):
        assert pages.english_labels(_html(built, lang, page), labels) == [], f"{lang}/{page}"
    demo = _html(built, lang, "runbooks/demo")
    assert f'aria-label="{sidebar}"' in demo and f'aria-label="{toc}"' in demo
    assert f'placeholder="{search}"' in demo


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "secret", "guard"), [
    ("en", "export DEMO_PASS=''  # a password of 8 characters or more, between the quotes",
     ': "${DEMO_PASS:?set DEMO_PASS first (see Parameters at the top)}" && {'),
    ("ja", "export DEMO_PASS=''  # 引用符の間に 8 文字以上のパスワードを入れます",
     ': "${DEMO_PASS:?先に DEMO_PASS を設定してください (ページ上部の「パラメーター」を参照)}" && {'),
    ("ko", "export DEMO_PASS=''  # 따옴표 사이에 8자 이상의 비밀번호를 넣습니다",
     ': "${DEMO_PASS:?먼저 DEMO_PASS을(를) 설정하세요(페이지 위쪽의 ‘매개변수’ 참고)}" && {'),
])
def test_parameters_by_hand_and_guarded_steps(built: Path, lang: str, secret: str, guard: str) -> None:
    html = _html(built, lang, "runbooks/demo")
    assert html.count('class="sb-by-hand') == 1
    by_hand = html[html.index('class="sb-by-hand'):]
    assert label(lang, "by_hand") in by_hand[:by_hand.index("<pre>")]
    blocks = pages.code_blocks(html)
    assert "export RELEASE=zed\n" + secret in blocks  # INVENTORY is the kernel's, not the reader's
    assert blocks.index("export RELEASE=zed\n" + secret) == 1  # right under the parameters cell
    assert guard + "\nsystemctl restart demo\ndemo-manage password <<<\"$DEMO_PASS\"\n}" in blocks
    assert "hostname\necho ready" in blocks  # a step without parameters stays as it is
    assert sum(guard in block for block in blocks) == 1
