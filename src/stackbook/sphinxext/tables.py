"""Plain docutils tables for what the extension generates (no source, so gettext never extracts them)."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

# A cell is text (with `backticked` parts as inline code) or nodes to put in it as they are.
Cell = str | Sequence[nodes.Node]


def inline(text: str) -> nodes.paragraph:
    """Plain text with `backticked` parts as inline code."""
    parts = text.split("`")
    return nodes.paragraph("", "", *(nodes.literal(p, p) if i % 2 else nodes.Text(p)
                                      for i, p in enumerate(parts) if p))


def _entry(cell: Cell) -> nodes.entry:
    return nodes.entry("", inline(cell)) if isinstance(cell, str) else nodes.entry("", *cell)


def row(cells: Sequence[Cell], classes: Sequence[str] = ()) -> nodes.row:
    """One table row; ``classes`` end up on its ``<tr>``."""
    return nodes.row("", *(_entry(c) for c in cells), classes=list(classes))


def table(header: Sequence[str], rows: Sequence[Sequence[Cell] | nodes.row], classes: Sequence[str],
          title: str = "") -> nodes.table:
    """A table with a header row, the body rows (cells or ready rows) and an optional caption."""
    group = nodes.tgroup(cols=len(header))
    group += [nodes.colspec(colwidth=1) for _ in header]
    group += nodes.thead("", row(header))
    group += nodes.tbody("", *(r if isinstance(r, nodes.row) else row(r) for r in rows))
    caption = [nodes.title(title, title)] if title else []
    return nodes.table("", *caption, group, classes=list(classes))
