"""Directives: the translation status table, the per-language glossary and the list of runbooks."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from stackbook.i18n import TRANSLATED, catalogs, glossary, stats
from stackbook.sphinxext import installpath
from stackbook.sphinxext.labels import NAMES, label
from stackbook.sphinxext.languages import language
from stackbook.sphinxext.tables import table


class TranslationStatus(SphinxDirective):
    """``{translation-status}``: every page x language with its translated percentage."""

    def run(self) -> list[nodes.Node]:
        """Read each page's catalog and build the table."""
        locale_dir = self.env.srcdir / self.config.locale_dirs[0]
        pages = sorted(self.env.found_docs)
        lang = language(self.config)
        header = [label(lang, "page"), *(NAMES.get(code, code) for code in TRANSLATED)]
        rows = []
        for docname in pages:
            row = [docname]
            for code in TRANSLATED:
                path = catalogs.catalog_path(locale_dir, code, docname)
                self.env.note_dependency(str(path))
                row.append(_cell(stats.page_stats(path, code, docname)))
            rows.append(row)
        return [table(header, rows, ["sb-translation-status"])]


def _cell(row: stats.Stats) -> str:
    extra = f" ({row.fuzzy} fuzzy)" if row.fuzzy else ""
    return f"{row.percent}%{extra}"


class GlossaryTable(SphinxDirective):
    """``{glossary-table} ja``: the terms table from ``locales/<lang>/glossary.md``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        """Render the glossary file's table for the language given as argument."""
        path = glossary.glossary_path(Path(self.env.srcdir) / self.config.locale_dirs[0], self.arguments[0])
        self.env.note_dependency(str(path))
        rows = glossary.table_rows(path.read_text(encoding="utf-8"))
        if not rows:
            raise self.error(f"{path}: no table found (write a pipe table: | English | ... |)")
        return [table(rows[0], rows[1:], ["sb-glossary"])]


class RunbookList(SphinxDirective):
    """``{runbook-list}``: a link to every runbook in install order, titled as in its own language."""

    def run(self) -> list[nodes.Node]:
        """A bullet list of references to every runbook."""
        items = []
        for docname in (found.docname for found in installpath.site_steps(self)):
            ref = addnodes.pending_xref("", nodes.inline("", docname), refdomain="std",
                                        reftype="doc", reftarget="/" + docname, refexplicit=False,
                                        refdoc=self.env.docname)
            items.append(nodes.list_item("", nodes.paragraph("", "", ref)))
        return [nodes.bullet_list("", *items)] if items else []
