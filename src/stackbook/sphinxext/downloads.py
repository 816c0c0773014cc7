"""Publish each runbook as .ipynb beside the pages: translated from the catalogs in ja/ko."""

from __future__ import annotations

from pathlib import Path

import nbformat
from sphinx.application import Sphinx

from stackbook.i18n import catalogs
from stackbook.i18n.notebooks import translate_notebook, translations
from stackbook.sphinxext.render import language


def write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Sphinx build-finished handler: write ``<outdir>/_notebooks/<name>[.<lang>].ipynb``."""
    if exception is not None or app.builder.format != "html":
        return
    lang = language(app)
    locale_dir = app.srcdir / app.config.locale_dirs[0]
    folder = Path(app.outdir) / "_notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        if source.suffix != ".ipynb":
            continue
        name = docname.rsplit("/", 1)[-1]
        if lang == "en":
            (folder / f"{name}.ipynb").write_bytes(source.read_bytes())
            continue
        table = translations(catalogs.catalog_path(locale_dir, lang, docname))
        translated = translate_notebook(nbformat.read(source, as_version=4), table)
        (folder / f"{name}.{lang}.ipynb").write_text(nbformat.writes(translated) + "\n",
                                                     encoding="utf-8")
