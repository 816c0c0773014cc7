"""The install path: install order in the navigation, and the graph of what needs what."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import nbformat
import pytest
from babel.messages.pofile import read_po, write_po
from nbformat import v4

import pages
from builders import make_runbook, shell
from docsroot import CONF, build_without_records
from stackbook import runbooks
from stackbook.errors import StackbookError
from stackbook.sphinxext import installpath
from stackbook.sphinxext.installpath import Step
from stackbook.sphinxext.verification import Record


def _book(name: str, *requires: str) -> runbooks.Runbook:
    return runbooks.Runbook(name, Path(f"{name}.ipynb"), name.title(), requires, ("controller",), {})


def test_install_order_puts_requirements_first_then_goes_by_name() -> None:
    known = {b.name: b for b in (_book("zulu"), _book("alpha", "mike"), _book("mike", "zulu"), _book("bravo"))}
    assert installpath.install_order(known) == ["zulu", "mike", "alpha", "bravo"]


def test_install_order_names_a_missing_requirement() -> None:
    with pytest.raises(StackbookError, match="no runbook named 'nope'"):
        installpath.install_order({"alpha": _book("alpha", "nope")})


@pytest.mark.parametrize(("record", "expected"), [
    (None, Step("runbooks/heat", ("runbooks/keystone",), "unverified")),
    (Record("debian-13", "passed", date(2026, 12, 5)), Step("runbooks/heat", ("runbooks/keystone",), "passed",
                                                           date(2026, 12, 5))),
    (Record("debian-13", "timeout"), Step("runbooks/heat", ("runbooks/keystone",), "unknown")),
])
def test_step_names_requirements_as_pages(record: Record | None, expected: Step) -> None:
    assert installpath.step("runbooks/heat", _book("heat", "keystone"), record) == expected


STEPS = [Step("runbooks/setup", (), "passed", date(2026, 12, 5)),
         Step("runbooks/demo", ("runbooks/setup",), "failed", date(2026, 12, 4)),
         Step("runbooks/extra", ("runbooks/demo", "runbooks/setup"), "unverified")]
URLS = {s.docname: s.docname + ".html" for s in STEPS}


def test_dot_draws_a_node_per_runbook_and_an_arrow_per_requirement() -> None:
    code = installpath.dot(STEPS, {"runbooks/setup": 'Set up "it"'}, URLS, "en")
    assert code.startswith("digraph install_path {") and code.endswith("}\n")
    assert '"runbooks/setup" [label="✓ Set up \\"it\\"", fillcolor="#d4edda"' in code
    assert 'URL="runbooks/setup.html", target="_top"' in code
    assert 'tooltip="Set up \\"it\\": passed (December 5, 2026)"' in code
    assert '"runbooks/demo" [label="✗ runbooks/demo", fillcolor="#f8d7da"' in code  # no title: the docname
    assert 'tooltip="runbooks/extra: not verified yet"' in code
    assert [line.strip() for line in code.splitlines() if "->" in line] == [
        '"runbooks/setup" -> "runbooks/demo";', '"runbooks/demo" -> "runbooks/extra";',
        '"runbooks/setup" -> "runbooks/extra";']


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "Latest run on Debian 13 · OpenStack 2025.1 Epoxy: ✓ passed ✗ failed ≠ outputs differ – not verified yet"),
    ("ja", "Debian 13 · OpenStack 2025.1 Epoxy での直近の検証結果: ✓ 成功 ✗ 失敗 ≠ 出力が参照と異なる – 未検証"),
    ("ko", "Debian 13 · OpenStack 2025.1 Epoxy에서의 최근 검증 결과: "
           "✓ 통과 ✗ 실패 ≠ 출력이 참조와 다름 – 아직 검증되지 않음"),
])
def test_legend_says_what_the_marks_mean(lang: str, words: str) -> None:
    assert installpath.legend(lang).astext().strip() == words


# A small site: three runbooks whose install order is not their alphabetical order.
BOOKS = {  # name: (title, requires, status on the default platform)
    "setup": ("Set up the controller", (), "passed"),
    "demo": ("Install the demo", ("setup",), "failed"),
    "extra": ("Extra steps", ("demo",), ""),
}
JA = {"Path demo": "パスのデモ", "Runbooks": "ランブック", "A page": "ページ", "Run it.": "実行します。",
      "Set up the controller": "コントローラーの準備", "Install the demo": "デモのインストール",
      "Extra steps": "追加の手順"}
INDEX = "# Path demo\n\n```{install-path}\n```\n\n```{toctree}\n:maxdepth: 2\n\nrunbooks/index\ndocs/page\n```\n"
SECTION = "# Runbooks\n\n```{runbook-toctree}\n:maxdepth: 1\n```\n"
PAGE = "# A page\n\n```{runbook-list}\n```\n"


def _make_root(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "runbooks").mkdir()
    (root / "conf.py").write_text(CONF)
    (root / "index.md").write_text(INDEX)
    (root / "runbooks" / "index.md").write_text(SECTION)
    (root / "docs" / "page.md").write_text(PAGE)
    for name, (title, requires, status) in BOOKS.items():
        path = make_runbook(root / "runbooks" / f"{name}.ipynb",
                            [v4.new_markdown_cell(f"# {title}\n\nRun it."), shell("hostname")],
                            'INVENTORY = "controller=local://"', title, requires)
        if status:
            nb = nbformat.read(path, as_version=4)
            nb.metadata["stackbook"]["verified"] = {"debian-13": {"date": "2026-12-05", "status": status}}
            nbformat.write(nb, path)
    return root


def _translate(locale_dir: Path) -> None:
    for path in (locale_dir / "ja" / "LC_MESSAGES").rglob("*.po"):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if isinstance(message.id, str) and message.id in JA:
                message.string = JA[message.id]
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site, translated into Japanese, built in en and ja with -W."""
    root = _make_root(tmp_path_factory.mktemp("path-root"))
    for command in (["extract"], ["update", "--lang", "ja"]):
        subprocess.run([str(Path(sys.executable).parent / "stackbook"), "i18n", *command], cwd=root,
                       check=True, capture_output=True)
    _translate(root / "locales")
    return build_without_records(root, ("en", "ja"))


def _page(built: Path, lang: str, name: str) -> str:
    return (built / lang / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_navigation_follows_the_install_order(built: Path) -> None:
    order = ["setup.html", "demo.html", "extra.html"]
    assert [href for href, _ in pages.toctree(_page(built, "en", "runbooks/index"))] == order
    assert pages.sidebar(_page(built, "en", "runbooks/demo")) == [
        ("setup.html", "Set up the controller"), ("#", "Install the demo"), ("extra.html", "Extra steps")]
    assert pages.prev_next(_page(built, "en", "runbooks/index"))[1] == "setup.html"
    assert pages.prev_next(_page(built, "en", "runbooks/demo")) == ("setup.html", "extra.html")
    assert pages.prev_next(_page(built, "en", "runbooks/extra")) == ("demo.html", "../docs/page.html")
    listed = [href for href, _ in pages.links(_page(built, "en", "docs/page").split('id="a-page"')[1])]
    assert [href for href in listed if href.startswith("../runbooks/")][:3] == [f"../runbooks/{n}" for n in order]
    assert pages.navbar(_page(built, "en", "runbooks/demo"))[0] == ("index.html", "Runbooks")


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "labels", "tooltip", "legend"), [
    ("en", ["✓ Set up the controller", "✗ Install the demo", "– Extra steps"],
     "Install the demo: failed (December 5, 2026)", "Latest run on Debian 13"),
    ("ja", ["✓ コントローラーの準備", "✗ デモのインストール", "– 追加の手順"],
     "デモのインストール: 失敗 (2026年12月5日)", "での直近の検証結果"),
])
def test_home_page_draws_the_path_with_titles_and_results(built: Path, lang: str, labels: list[str],
                                                         tooltip: str, legend: str) -> None:
    home = _page(built, lang, "index")
    nodes = pages.graph_nodes(pages.graph_file(home, built / lang))
    assert [n["id"] for n in nodes] == ["runbooks/setup", "runbooks/demo", "runbooks/extra"]
    assert [n["label"] for n in nodes] == labels
    assert [n["fill"] for n in nodes] == ["#d4edda", "#f8d7da", "#e9ecef"]
    assert [n["href"] for n in nodes] == ["../runbooks/setup.html", "../runbooks/demo.html", "../runbooks/extra.html"]
    assert nodes[1]["tooltip"] == tooltip
    assert pages.graph_edges(pages.graph_file(home, built / lang)) == {
        ("runbooks/setup", "runbooks/demo"), ("runbooks/demo", "runbooks/extra")}
    assert legend in home and 'class="sb-mark sb-failed"' in home


def test_a_runbook_that_requires_an_unknown_one_cannot_be_ordered(tmp_path: Path) -> None:
    path = make_runbook(tmp_path / "demo.ipynb", [], 'INVENTORY = "x"', "Demo", ("nope",))
    with pytest.raises(StackbookError, match="no runbook named 'nope'"):
        installpath.read_steps({"runbooks/demo": path})
