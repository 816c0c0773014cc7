"""Doctree changes on runbook and translated pages: cell labels, lexers, verification, banners."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from stackbook import runbooks
from stackbook.i18n import catalogs, stats
from stackbook.notebooks import PLATFORM_OUTPUTS
from stackbook.sphinxext import downloads, localize, matrix, paste, results
from stackbook.sphinxext.cells import META
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.languages import language, page_url


def only_label(names: Sequence[str], lang: str) -> str:
    """Pure: "Only on Debian 12 · OpenStack 2022.2 Zed" for a step some releases run ("" for all)."""
    if not names:
        return ""
    found = [localize.platform_label(name, localize.shipped(name), lang) for name in names]
    return label(lang, "only", platforms=localize.join(found, lang))


def cell_label(meta: Mapping[str, Any], lang: str) -> nodes.container:
    """The small line above a cell: where it runs, the file for %%ini and %%write, the releases it is for."""
    kind = meta.get("kind", "on")
    key = "ini_if_exists" if kind == "ini" and meta.get("if_exists") else "copy_file" if kind == "copy" else kind
    text = label(lang, key, role=meta.get("role", ""), path=meta.get("path", ""),
                 source_role=meta.get("source_role", ""), source_path=meta.get("source_path", ""))
    para = nodes.paragraph("", "", nodes.inline(text, text))
    only = only_label(meta.get("only") or (), lang)
    if only:
        para += [nodes.Text(" "), nodes.inline(only, only, classes=["sb-only"])]
    classes = ["sb-cell-label", f"sb-kind-{kind}", *(["sb-some-releases"] if only else [])]
    return nodes.container("", para, classes=classes)


def platform_outputs(outputs: Mapping[str, str], lang: str) -> list[nodes.container]:
    """What a checked step prints on releases whose output differs from the one shown above it."""
    shown = []
    for name, text in sorted(outputs.items()):
        caption = label(lang, "platform_output", platform=localize.platform_label(name, localize.shipped(name), lang))
        para = nodes.paragraph("", "", nodes.inline(caption, caption))
        block = nodes.literal_block(text, text, language="text")
        shown.append(nodes.container("", para, block, classes=["sb-platform-output"]))
    return shown


def relabel_cells(doctree: nodes.document, lang: str) -> None:
    """Give each magic cell its lexer and label (the magic line is already gone), and show the
    outputs stored for other releases under the step."""
    for cell in list(doctree.findall(nodes.container)):
        found: dict[str, Any] = cell.get("cell_metadata") or {}
        meta = found.get(META) if cell.get("nb_element") == "cell_code" else None
        if not meta:
            continue
        for block in _source_blocks(cell):
            block["language"] = meta["lexer"]
        cell.insert(0, cell_label(meta, lang))
        cell.extend(platform_outputs(found.get(PLATFORM_OUTPUTS) or {}, lang))


def parameters_block(parameters: Sequence[paste.Parameter], lang: str) -> nodes.container:
    """What a reader following by hand pastes first: every parameter set in their shell."""
    text = label(lang, "by_hand")
    code = paste.exports(parameters, lang)
    caption = nodes.container("", nodes.paragraph("", "", nodes.inline(text, text)), classes=["sb-cell-label"])
    block = nodes.literal_block(code, code, language="bash")
    return nodes.container("", caption, block, classes=["sb-by-hand"])


def _source_blocks(cell: nodes.container) -> list[nodes.literal_block]:
    return [block for block in cell.findall(nodes.literal_block)
            if block.parent.get("nb_element") == "cell_code_source"]


def add_paste_safety(doctree: nodes.document, parameters: Sequence[paste.Parameter], lang: str) -> None:
    """Set the parameters by hand under the parameters cell, and guard each shell step that uses one
    (what the page shows is what the copy button copies)."""
    if not parameters:
        return
    for cell in list(doctree.findall(nodes.container)):
        meta = (cell.get("cell_metadata") or {}).get(META) if cell.get("nb_element") == "cell_code" else None
        kind = (meta or {}).get("kind")
        if kind == "parameters":
            cell.parent.insert(cell.parent.index(cell) + 1, parameters_block(parameters, lang))
        elif kind == "on":
            for block in _source_blocks(cell):
                text = paste.guarded(block.astext(), paste.used(block.astext(), parameters), lang)
                block.rawsource = text  # Sphinx highlights a block only while rawsource is its text
                block.clear()
                block += nodes.Text(text)


def _top(doctree: nodes.document) -> tuple[nodes.Element, int]:
    """Where a banner goes: after the page title, or at the very top."""
    section = doctree.next_node(nodes.section)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        return section, 1
    return doctree, 0


def add_runbook_header(app: Sphinx, doctree: nodes.document, source: Path) -> None:
    """Put the runbook's verification matrix and download link under its title."""
    lang = language(app.config)
    parent, index = _top(doctree)
    url = downloads.notebook_url(app.env.docname, lang)
    parent.insert(index, matrix.header(results.verified(app.env, source), url, lang))


def translation_banner(percent: int, outdated: bool, english: str, lang: str) -> nodes.admonition:
    """The note at the top of an incomplete or outdated translation."""
    text = label(lang, "outdated") if outdated else label(lang, "incomplete", percent=str(percent))
    link = nodes.reference("", label(lang, "english"), refuri=english)
    para = nodes.paragraph("", text + " ", link)
    return nodes.admonition("", nodes.title("", "⚠"), para, classes=["warning", "sb-translation"])


def translated_toctrees(doctree: nodes.document) -> int:
    """Toctrees whose caption was translated though Sphinx counts them untranslated (it never marks a
    toctree it translated as done: a home page with captions would always look outdated)."""
    return sum(1 for tree in doctree.findall(addnodes.toctree)
               if tree.get("translated") is False and tree.get("rawcaption")
               and tree.get("caption") != tree.get("rawcaption"))


def add_translation_banner(app: Sphinx, doctree: nodes.document) -> None:
    """In ja/ko, say so when the catalog is incomplete or fuzzy, or the English outgrew it."""
    lang, docname = language(app.config), app.env.docname
    po = catalogs.catalog_path(app.srcdir / app.config.locale_dirs[0], lang, docname)
    app.env.note_dependency(str(po))
    row = stats.page_stats(po, lang, docname)
    progress = doctree.get("translation_progress") or {"total": 0, "translated": 0}
    total = int(progress["total"])
    done = min(total, int(progress["translated"]) + row.same + translated_toctrees(doctree))
    if done >= total and (row.complete or row.total == 0 == total):
        return
    percent = row.percent if not row.complete else done * 100 // max(total, 1)
    english = page_url(docname, "en")
    parent, index = _top(doctree)
    parent.insert(index, translation_banner(percent, row.fuzzy > 0 or row.complete, english, lang))


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Sphinx event handler: all page changes of this extension."""
    if app.builder.name == "gettext":
        return
    lang = language(app.config)
    relabel_cells(doctree, lang)
    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix == ".ipynb":
        add_runbook_header(app, doctree, source)
        add_paste_safety(doctree, paste.settable(runbooks.load(source).parameters), lang)
    if lang != "en":
        add_translation_banner(app, doctree)
