"""Translated runbooks: markdown cells from the catalog, code cells untouched."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from stackbook.files import write_notebook
from stackbook.i18n import catalogs

# A message starts where a block starts (after heading, list, quote or table markers) ...
_START = (r"(?:^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+|>[ \t]?)*|\|[ \t]*"
          r"|^[ \t]*[`:]{3,}\{[\w:-]+\}[ \t]+)")  # ... or a directive's argument (admonition title)
# ... and ends at the end of its line or table cell.
_END = r"(?=[ \t]*(?:$|\|))"


def translations(path: Path) -> dict[str, str]:
    """The catalog's finished translations (no fuzzy, no empty ones), msgid -> msgstr."""
    if not path.exists():
        return {}
    return {msgid: msgstr for msgid, msgstr, fuzzy, _ in catalogs.messages(catalogs.load(path))
            if msgstr and not fuzzy}


def _pattern(msgid: str) -> re.Pattern[str]:
    # Sphinx keys a wrapped paragraph by its text with each line break made a space.
    words = [re.escape(word) for word in re.split(r"\s+", msgid.strip())]
    gap = r"(?:[ \t]+|[ \t]*\n[ \t>]*)"
    return re.compile(_START + "(" + gap.join(words) + ")" + _END, re.MULTILINE)


def translate_markdown(source: str, table: Mapping[str, str]) -> str:
    """Pure: ``source`` with every whole message found in ``table`` replaced by its translation."""
    spans: list[tuple[int, int, str]] = []
    for msgid in sorted(table, key=len, reverse=True):
        for match in _pattern(msgid).finditer(source):
            start, end = match.span(1)
            if all(end <= s or start >= e for s, e, _ in spans):
                spans.append((start, end, table[msgid]))
    for start, end, text in sorted(spans, reverse=True):
        source = source[:start] + text + source[end:]
    return source


def translate_notebook(nb: NotebookNode, table: Mapping[str, str]) -> NotebookNode:
    """Pure: the runbook with markdown cells translated; code cells are left byte-identical."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type == "markdown":
            cell.source = translate_markdown(cell.source, table)
    return out


def export(runbook_dir: Path, locale_dir: Path, langs: list[str], out: Path) -> list[Path]:
    """Write ``out/<lang>/<name>.ipynb`` for every runbook and language; return the files."""
    written: list[Path] = []
    for source in sorted(runbook_dir.glob("*.ipynb")):
        nb = nbformat.read(source, as_version=4)
        for lang in langs:
            table = translations(catalogs.catalog_path(locale_dir, lang, f"runbooks/{source.stem}"))
            target = out / lang / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            write_notebook(target, translate_notebook(nb, table))
            written.append(target)
    return written
