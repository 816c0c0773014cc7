"""Glossaries: the terms table of ``locales/<lang>/glossary.md``, and its export as TBX."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from stackbook.errors import StackbookError
from stackbook.files import write_atomic

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"  # TBX v3 (ISO 30042:2019), the DCA style of TBX-Basic
TBX_SCHEMA = ("https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
              "TBXcoreStructV03_TBX-Basic_integrated.rng")
_PROLOG = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           f'<?xml-model href="{TBX_SCHEMA}" type="application/xml" '
           'schematypens="http://relaxng.org/ns/structure/1.0"?>\n')
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Several terms in one cell: "project / domain / user / role", "Keystone, Glance"; a comma inside
# parentheses ("verify (a token, a certificate)") belongs to the term.
_SLASH = re.compile(r"\s+/\s+")
_COMMA = re.compile(r",\s*(?![^()]*\))")


class GlossaryError(StackbookError):
    """A glossary file that is missing or has no terms table."""

    def __init__(self, path: object, detail: str) -> None:
        self.path = path
        super().__init__(f"{path}: {detail}")


@dataclass(frozen=True)
class Entry:
    """One concept: its English terms, their translations and the translators' note."""

    source: tuple[str, ...]
    target: tuple[str, ...]
    note: str = ""


def glossary_path(locale_dir: Path, lang: str) -> Path:
    """``locales/<lang>/glossary.md``."""
    return locale_dir / lang / "glossary.md"


def table_rows(text: str) -> list[list[str]]:
    """The rows of the first pipe table in a glossary file (header first, separator skipped)."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not all(set(c) <= set("-: ") for c in cells):
            rows.append(cells)
    return rows


def entries(text: str, where: object = "glossary.md") -> list[Entry]:
    """The concepts of a glossary file; a cell listing several terms on both sides gives one each."""
    rows = table_rows(text)
    if len(rows) < 2 or any(len(row) < 2 for row in rows):
        raise GlossaryError(where, "no terms table found (write a pipe table: | English | translation | note |)")
    found: list[Entry] = []
    for english, translated, *rest in rows[1:]:
        found.extend(_split(english, translated, rest[0] if rest else ""))
    return found


def _split(english: str, translated: str, note: str) -> list[Entry]:
    for pattern in (_SLASH, _COMMA):
        left, right = pattern.split(english), pattern.split(translated)
        if len(left) > 1 and len(left) == len(right):
            return [Entry((s,), (t,), note) for s, t in zip(left, right, strict=True)]
    return [Entry(tuple(_COMMA.split(english)), tuple(_COMMA.split(translated)), note)]


def to_tbx(glossary: list[Entry], lang: str, title: str, source_lang: str = "en") -> str:
    """The glossary as a TBX-Basic document (one conceptEntry per entry, the note on the translation)."""
    root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", _XML_LANG: source_lang,
                              "xmlns": TBX_NAMESPACE})
    header = ET.SubElement(ET.SubElement(root, "tbxHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(header, "sourceDesc"), "p").text = title
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for number, entry in enumerate(glossary, start=1):
        concept = ET.SubElement(body, "conceptEntry", {"id": f"c{number}"})
        _lang_sec(concept, source_lang, entry.source, "")
        _lang_sec(concept, lang, entry.target, entry.note)
    ET.indent(root)
    return _PROLOG + ET.tostring(root, encoding="unicode") + "\n"


def _lang_sec(concept: ET.Element, lang: str, terms: tuple[str, ...], note: str) -> None:
    section = ET.SubElement(concept, "langSec", {_XML_LANG: lang})
    for term in terms:
        term_sec = ET.SubElement(section, "termSec")
        ET.SubElement(term_sec, "term").text = term
        if note:
            ET.SubElement(term_sec, "note").text = note


def load(locale_dir: Path, lang: str) -> list[Entry]:
    """The entries of one language's glossary file."""
    path = glossary_path(locale_dir, lang)
    if not path.is_file():
        raise GlossaryError(path, "no glossary for this language: write one with a pipe table "
                                  "(| English | translation | note |), as locales/ja/glossary.md has")
    return entries(path.read_text(encoding="utf-8"), path)


def tbx_path(locale_dir: Path, lang: str) -> Path:
    """``locales/<lang>/glossary.tbx``, beside the glossary it is made from."""
    return locale_dir / lang / "glossary.tbx"


def tbx_for(locale_dir: Path, lang: str) -> str:
    """The TBX document of one language's glossary file."""
    return to_tbx(load(locale_dir, lang), lang, f"stackbook glossary, English to {lang} ({lang}/glossary.md)")


def write_tbx(locale_dir: Path, lang: str) -> tuple[Path, bool]:
    """Write ``locales/<lang>/glossary.tbx`` from the glossary; return it and whether it changed."""
    path = tbx_path(locale_dir, lang)
    data = tbx_for(locale_dir, lang)
    if path.is_file() and path.read_text(encoding="utf-8") == data:
        return path, False
    write_atomic(path, data)
    return path, True
