"""Glossaries: the terms table, its entries, and the TBX export."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stackbook.i18n import TRANSLATED, glossary
from stackbook.i18n.glossary import Entry

ROOT = Path(__file__).resolve().parent.parent
NS = {"tbx": glossary.TBX_NAMESPACE}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _file(*rows: str) -> str:
    return "\n".join(["# 用語集", "", "| English | 日本語 | 方針 |", "| --- | --- | --- |", *rows, "", "after"])


def test_table_rows_skip_the_separator() -> None:
    text = "# G\n\n| English | 日本語 |\n| --- | --- |\n| token | トークン |\n\nafter\n"
    assert glossary.table_rows(text) == [["English", "日本語"], ["token", "トークン"]]


@pytest.mark.parametrize(("row", "expected"), [
    ("| token | トークン | Fernet トークン |", [Entry(("token",), ("トークン",), "Fernet トークン")]),
    ("| endpoint | エンドポイント | |", [Entry(("endpoint",), ("エンドポイント",))]),
    # the same number of terms on both sides: one concept each
    ("| project / domain | プロジェクト / ドメイン | 長音 |",
     [Entry(("project",), ("プロジェクト",), "長音"), Entry(("domain",), ("ドメイン",), "長音")]),
    ("| Keystone, Glance | Keystone, Glance | |",
     [Entry(("Keystone",), ("Keystone",)), Entry(("Glance",), ("Glance",))]),
    # synonyms for one translation stay one concept
    ("| folder, directory | 디렉터리 | |", [Entry(("folder", "directory"), ("디렉터리",))]),
    # a comma inside parentheses is part of the term
    ("| verify (a token, a certificate) | 検証 | |", [Entry(("verify (a token, a certificate)",), ("検証",))]),
])
def test_entries(row: str, expected: list[Entry]) -> None:
    assert glossary.entries(_file(row)) == expected


def test_a_file_without_a_table_says_what_to_write() -> None:
    with pytest.raises(glossary.GlossaryError, match=r"x\.md: no terms table found .*\| English \|"):
        glossary.entries("# 用語集\n\nNo table yet.\n", "x.md")


def test_a_missing_glossary_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(glossary.GlossaryError, match=r"ko/glossary\.md: no glossary for this language"):
        glossary.load(tmp_path, "ko")


def _concepts(document: str) -> list[dict[str, list[tuple[str, str | None]]]]:
    """Each conceptEntry as {language: [(term, note)]}."""
    root = ET.fromstring(document.encode("utf-8"))
    return [{sec.get(LANG, ""): [(t.findtext("tbx:term", "", NS), t.findtext("tbx:note", None, NS))
                                 for t in sec.findall("tbx:termSec", NS)]
             for sec in concept.findall("tbx:langSec", NS)}
            for concept in root.iterfind("tbx:text/tbx:body/tbx:conceptEntry", NS)]


def test_to_tbx_has_one_concept_per_entry_with_the_note_on_the_translation() -> None:
    entries = [Entry(("token",), ("トークン",), "Fernet <トークン> & more"),
               Entry(("folder", "directory"), ("디렉터리",))]
    document = glossary.to_tbx(entries, "ja", "test")
    assert _concepts(document) == [
        {"en": [("token", None)], "ja": [("トークン", "Fernet <トークン> & more")]},
        {"en": [("folder", None), ("directory", None)], "ja": [("디렉터리", None)]},
    ]


def test_to_tbx_is_a_tbx_basic_document() -> None:
    document = glossary.to_tbx([Entry(("token",), ("토큰",))], "ko", "stackbook <ko>")
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href=')
    root = ET.fromstring(document.encode("utf-8"))
    assert root.tag == f"{{{glossary.TBX_NAMESPACE}}}tbx"
    assert (root.get("type"), root.get("style"), root.get(LANG)) == ("TBX-Basic", "dca", "en")
    assert root.findtext("tbx:tbxHeader/tbx:fileDesc/tbx:sourceDesc/tbx:p", None, NS) == "stackbook <ko>"
    assert [c.get("id") for c in root.iterfind(".//tbx:conceptEntry", NS)] == ["c1"]


def test_write_tbx_writes_only_a_change(tmp_path: Path) -> None:
    (tmp_path / "ja").mkdir()
    (tmp_path / "ja" / "glossary.md").write_text(_file("| token | トークン | |"), encoding="utf-8")
    path, written = glossary.write_tbx(tmp_path, "ja")
    assert (path, written) == (tmp_path / "ja" / "glossary.tbx", True)
    assert _concepts(path.read_text(encoding="utf-8")) == [{"en": [("token", None)], "ja": [("トークン", None)]}]
    assert glossary.write_tbx(tmp_path, "ja") == (path, False)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_committed_tbx_matches_the_glossary(lang: str) -> None:
    """locales/<lang>/glossary.tbx is made by `stackbook i18n tbx`: run it after editing glossary.md."""
    locales = ROOT / "locales"
    assert glossary.tbx_path(locales, lang).read_text(encoding="utf-8") == glossary.tbx_for(locales, lang)
