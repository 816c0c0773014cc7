"""The Sphinx extension: pure cell transforms, and real builds of a small root in en, ja, ko."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from docsroot import make_root, runbook, translate
from stackbook.sphinxext import cells, directives, languages, site
from stackbook.sphinxext.labels import LABELS, label


@pytest.mark.parametrize(("source", "expected"), [
    ("%%on controller\nhostname", cells.Magic("on", "controller")),
    ("%%ini controller /etc/keystone/keystone.conf\n[database]",
     cells.Magic("ini", "controller", "/etc/keystone/keystone.conf")),
    ("%%ini controller /etc/heat/heat.conf --if-exists\n[clients]",
     cells.Magic("ini", "controller", "/etc/heat/heat.conf", if_exists=True)),
    ("%%write controller /root/admin-openrc --mode 600\nexport A=1",
     cells.Magic("write", "controller", "/root/admin-openrc", "600")),
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
    assert cells.runbook_view(view) == view


def test_every_language_has_every_label() -> None:
    assert all(set(table) == set(LABELS["en"]) for table in LABELS.values())
    assert label("ko", "on", role="controller") == "controller에서 실행"


def test_switcher_keeps_the_page() -> None:
    links = languages.switcher("runbooks/keystone", "ja", ["en", "ja", "ko"])
    assert [(x["url"], x["current"]) for x in links] == [
        ("../../en/runbooks/keystone.html", False), ("../../ja/runbooks/keystone.html", True),
        ("../../ko/runbooks/keystone.html", False)]


def test_redirect_page_falls_back_to_english() -> None:
    page = site.redirect_page(("en", "ja", "ko"))
    assert '["en", "ja", "ko"]' in page
    assert 'location.replace("en/index.html")' in page


def test_glossary_rows_skip_the_separator() -> None:
    text = "# G\n\n| English | 日本語 |\n| --- | --- |\n| token | トークン |\n\nafter\n"
    assert directives.glossary_rows(text) == [["English", "日本語"], ["token", "トークン"]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo root, extracted, translated (ko leaves one message out) and built in 3 languages."""
    root = make_root(tmp_path_factory.mktemp("root"),
                     runbook({"date": "2026-11-20", "target": "node://controller"}))
    for command in (["extract"], ["update"]):
        subprocess.run([str(Path(sys.executable).parent / "stackbook"), "i18n", *command], cwd=root,
                       check=True, capture_output=True)
    translate(root / "locales", "ja")
    translate(root / "locales", "ko", skip=frozenset({"Restart the service."}))
    results = site.build(root, root / "_build" / "html")
    for lang, (result, _) in results.items():
        assert result.ok, f"{lang} build with -W failed:\n" + "\n".join(result.tail(30))
    return root / "_build" / "html"


def _html(built: Path, lang: str, page: str) -> str:
    return (built / lang / f"{page}.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_cells_render_as_typed(built: Path) -> None:
    html = _html(built, "en", "runbooks/demo")
    assert "%%on" not in html and "%%ini" not in html and "%load_ext" not in html
    assert '<div class="highlight-bash notranslate">' in html
    assert '<div class="highlight-ini notranslate">' in html
    assert '<div class="highlight-yaml notranslate">' in html
    assert "on controller" in html and "add to /etc/demo/demo.conf on controller" in html
    assert "Show output" in html  # the 40-line output is collapsed
    assert "Verified on 2026-11-20 against node://controller." in html


@pytest.mark.slow
def test_translated_pages(built: Path) -> None:
    ja = _html(built, "ja", "runbooks/demo")
    assert "controller で実行" in ja and "2026-11-20 に node://controller で動作を確認済みです。" in ja
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


@pytest.mark.parametrize(
    ("verified", "css", "text"),
    [
        ({"date": "2026-11-22", "target": "Debian 12 test node", "status": "passed"}, "sb-verified", "Verified on"),
        ({"date": "2026-11-22", "target": "Debian 12 test node", "status": "failed"}, "sb-failing", "failed"),
        (None, "sb-unverified", "Not verified yet"),
    ],
)
def test_runbook_header_shows_the_last_result(verified: dict[str, str] | None, css: str, text: str) -> None:
    from stackbook.sphinxext.render import runbook_header

    header = runbook_header(verified, "x.ipynb", "en")
    assert css in header[0]["classes"] and text in header[0].astext()
