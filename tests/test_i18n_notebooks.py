"""Translated runbooks: markdown from the catalogs, code byte-identical, still runnable."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from babel.messages.catalog import Catalog
from jupyter_client.manager import start_new_kernel

from docsroot import TRANSLATIONS, runbook
from stackbook.i18n import TRANSLATED, catalogs
from stackbook.i18n.notebooks import export, translate_markdown, translate_notebook, translations

ROOT = Path(__file__).resolve().parent.parent
TABLE = {"Configure": "設定", "Set the database connection.": "データベース接続を設定します。",
         "Name": "名前", "Port": "ポート", "Check the `db`.": "`db` を確認します。",
         "Wrapped line one and two.": "折り返した一文。"}


@pytest.mark.parametrize(("source", "expected"), [
    ("## Configure", "## 設定"),
    ("- Set the database connection.", "- データベース接続を設定します。"),
    ("| Name | Port |\n| --- | --- |", "| 名前 | ポート |\n| --- | --- |"),
    ("Check the `db`.", "`db` を確認します。"),
    ("```{admonition} Configure\nSet the database connection.\n```",
     "```{admonition} 設定\nデータベース接続を設定します。\n```"),
    ("1. Wrapped line one\n   and two.", "1. 折り返した一文。"),
    # Only whole messages: a heading's text inside a longer sentence stays.
    ("We Configure things.", "We Configure things."),
    ("Untranslated.", "Untranslated."),
])
def test_translate_markdown(source: str, expected: str) -> None:
    assert translate_markdown(source, TABLE) == expected


def test_translate_notebook_is_pure_and_keeps_code() -> None:
    nb = runbook()
    out = translate_notebook(nb, TRANSLATIONS["ja"])
    assert nb.cells[0].source.startswith("# Demo runbook")
    assert out.cells[0].source.startswith("# デモのランブック")
    assert [c.source for c in out.cells if c.cell_type == "code"] == [
        c.source for c in nb.cells if c.cell_type == "code"]


def test_export_writes_each_language_and_nothing_else(tmp_path: Path) -> None:
    books, locales, out = tmp_path / "runbooks", tmp_path / "locales", tmp_path / "out"
    books.mkdir()
    nbformat.write(runbook(), books / "demo.ipynb")
    catalog = Catalog(locale="ja", fuzzy=False)
    for msgid, msgstr in TRANSLATIONS["ja"].items():
        catalog.add(msgid, msgstr)
    catalogs.save(catalogs.catalog_path(locales, "ja", "runbooks/demo"), catalog)
    written = export(books, locales, ["ja", "ko"], out)
    assert written == [out / "ja" / "demo.ipynb", out / "ko" / "demo.ipynb"]
    assert sorted(out.rglob("*")) == [out / "ja", *written[:1], out / "ko", *written[1:]]
    ja = nbformat.read(out / "ja" / "demo.ipynb", as_version=4)
    assert ja.cells[0].source.startswith("# デモのランブック")
    assert (out / "ko" / "demo.ipynb").read_bytes() == (books / "demo.ipynb").read_bytes()  # no catalog yet


def _real_runbooks() -> list[Path]:
    return sorted((ROOT / "runbooks").glob("*.ipynb"))


def _code_cells(nb: nbformat.NotebookNode) -> list[str]:
    return [nbformat.writes(nbformat.v4.new_notebook(cells=[c])) for c in nb.cells
            if c.cell_type == "code"]


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("path", _real_runbooks(), ids=lambda p: p.stem)
def test_real_runbook_translation(path: Path, lang: str) -> None:
    nb = nbformat.read(path, as_version=4)
    table = translations(catalogs.catalog_path(ROOT / "locales", lang, f"runbooks/{path.stem}"))
    out = nbformat.reads(nbformat.writes(translate_notebook(nb, table)), as_version=4)
    nbformat.validate(out)
    assert _code_cells(out) == _code_cells(nb)  # byte-identical code cells, outputs and metadata
    english = [c.source for c in nb.cells if c.cell_type == "markdown"]
    translated = [c.source for c in out.cells if c.cell_type == "markdown"]
    assert all(a != b for a, b in zip(english, translated, strict=True)), "a text cell stayed English"


def test_translated_parameters_cell_runs_in_a_real_kernel() -> None:
    path = _real_runbooks()[0] if _real_runbooks() else None
    nb = runbook() if path is None else nbformat.read(path, as_version=4)
    table = translations(catalogs.catalog_path(ROOT / "locales", "ja", f"runbooks/{path.stem}")) if path else {}
    out = translate_notebook(nb, table)
    cell = next(c for c in out.cells if "parameters" in c.metadata.get("tags", []))
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        reply = client.execute_interactive(cell.source, timeout=60,
                                           user_expressions={"names": "sorted(k for k in dir() if k.isupper())"})
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok"
    names = reply["content"]["user_expressions"]["names"]["data"]["text/plain"]
    assert "INVENTORY" in names
