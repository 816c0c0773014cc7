"""Doctree changes on runbook and translated pages: cell labels, lexers, status banners."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes
from sphinx.application import Sphinx

from stackbook.i18n import catalogs, stats
from stackbook.sphinxext.cells import META
from stackbook.sphinxext.labels import label


def language(app: Sphinx) -> str:
    """The language being built ("en" when none is set)."""
    return str(app.config.language or "en")


def to_root(docname: str) -> str:
    """Relative URL from a page to the root of its language's site."""
    return "../" * docname.count("/")


def cell_label(meta: Mapping[str, str], lang: str) -> nodes.container:
    """The small line above a cell: where it runs, and the file for %%ini and %%write."""
    kind = meta.get("kind", "on")
    key = "ini_if_exists" if kind == "ini" and meta.get("if_exists") else kind
    text = label(lang, key, role=meta.get("role", ""), path=meta.get("path", ""))
    para = nodes.paragraph("", "", nodes.inline(text, text))
    return nodes.container("", para, classes=["sb-cell-label", f"sb-kind-{kind}"])


def relabel_cells(doctree: nodes.document, lang: str) -> None:
    """Give each magic cell its lexer and label (the magic line is already gone)."""
    for cell in list(doctree.findall(nodes.container)):
        found: dict[str, Any] = cell.get("cell_metadata") or {}
        meta = found.get(META) if cell.get("nb_element") == "cell_code" else None
        if not meta:
            continue
        for block in cell.findall(nodes.literal_block):
            if block.parent.get("nb_element") == "cell_code_source":
                block["language"] = meta["lexer"]
        cell.insert(0, cell_label(meta, lang))


def _top(doctree: nodes.document) -> tuple[nodes.Element, int]:
    """Where a banner goes: after the page title, or at the very top."""
    section = doctree.next_node(nodes.section)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        return section, 1
    return doctree, 0


def runbook_header(verified: Mapping[str, Any] | None, download: str, lang: str) -> nodes.container:
    """Verification status and the download link of a runbook page."""
    failing = bool(verified) and verified.get("status", "passed") != "passed"  # type: ignore[union-attr]
    if verified:
        status = label(lang, "failing" if failing else "verified", date=str(verified.get("date", "?")),
                       target=str(verified.get("target", "?")))
    else:
        status = label(lang, "unverified")
    state = "sb-failing" if failing else "sb-verified" if verified else "sb-unverified"
    link = nodes.reference("", label(lang, "download"), refuri=download, classes=["sb-download"])
    return nodes.container(
        "", nodes.paragraph("", status, classes=[state]), nodes.paragraph("", "", link),
        classes=["sb-runbook-meta"],
    )


def notebook_url(docname: str, lang: str) -> str:
    """Where a runbook's (translated) .ipynb is published, relative to the page."""
    name = docname.rsplit("/", 1)[-1]
    suffix = "" if lang == "en" else f".{lang}"
    return f"{to_root(docname)}_notebooks/{name}{suffix}.ipynb"


def add_runbook_header(app: Sphinx, doctree: nodes.document, source: Path) -> None:
    """Put the runbook's verification status and download link under its title."""
    meta = nbformat.read(source, as_version=4).metadata.get("stackbook", {})
    docname = app.env.docname
    parent, index = _top(doctree)
    parent.insert(index, runbook_header(meta.get("verified"), notebook_url(docname, language(app)),
                                        language(app)))


def translation_banner(percent: int, outdated: bool, english: str, lang: str) -> nodes.admonition:
    """The note at the top of an incomplete or outdated translation."""
    text = label(lang, "outdated") if outdated else label(lang, "incomplete", percent=str(percent))
    link = nodes.reference("", label(lang, "english"), refuri=english)
    para = nodes.paragraph("", text + " ", link)
    return nodes.admonition("", nodes.title("", "⚠"), para, classes=["warning", "sb-translation"])


def add_translation_banner(app: Sphinx, doctree: nodes.document) -> None:
    """In ja/ko, say so when the catalog is incomplete or fuzzy, or the English outgrew it."""
    lang, docname = language(app), app.env.docname
    po = catalogs.catalog_path(app.srcdir / app.config.locale_dirs[0], lang, docname)
    app.env.note_dependency(str(po))
    row = stats.page_stats(po, lang, docname)
    progress = doctree.get("translation_progress") or {"total": 0, "translated": 0}
    total = int(progress["total"])
    done = min(total, int(progress["translated"]) + row.same)
    if done >= total and (row.complete or row.total == 0 == total):
        return
    percent = row.percent if not row.complete else done * 100 // max(total, 1)
    english = "../" * (docname.count("/") + 1) + f"en/{docname}.html"
    parent, index = _top(doctree)
    parent.insert(index, translation_banner(percent, row.fuzzy > 0 or row.complete, english, lang))


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Sphinx event handler: all page changes of this extension."""
    if app.builder.name == "gettext":
        return
    lang = language(app)
    relabel_cells(doctree, lang)
    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix == ".ipynb":
        add_runbook_header(app, doctree, source)
    if lang != "en":
        add_translation_banner(app, doctree)
