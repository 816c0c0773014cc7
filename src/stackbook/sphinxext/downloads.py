"""Publish each runbook as .ipynb beside the pages: translated from the catalogs in ja/ko."""

from __future__ import annotations

from pathlib import Path

import nbformat
from sphinx.application import Sphinx

from stackbook.i18n import catalogs
from stackbook.i18n.notebooks import translate_notebook, translations
from stackbook.sphinxext.languages import language, site_url

FOLDER = "_notebooks"  # in each language's site


def notebook_name(docname: str, lang: str) -> str:
    """Pure: the published file of a runbook page: ``<name>.ipynb`` in English, ``<name>.<lang>.ipynb``."""
    name = docname.rsplit("/", 1)[-1]
    return f"{name}.ipynb" if lang == "en" else f"{name}.{lang}.ipynb"


def notebook_url(docname: str, lang: str) -> str:
    """Pure: where a runbook's (translated) .ipynb is published, relative to its page."""
    return site_url(docname, f"{FOLDER}/{notebook_name(docname, lang)}")


def write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Sphinx build-finished handler: write ``<outdir>/_notebooks/<name>[.<lang>].ipynb``."""
    if exception is not None or app.builder.format != "html":
        return
    lang = language(app.config)
    locale_dir = app.srcdir / app.config.locale_dirs[0]
    folder = Path(app.outdir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        if source.suffix != ".ipynb":
            continue
        target = folder / notebook_name(docname, lang)
        if lang == "en":
            target.write_bytes(source.read_bytes())
            continue
        table = translations(catalogs.catalog_path(locale_dir, lang, docname))
        translated = translate_notebook(nbformat.read(source, as_version=4), table)
        target.write_text(nbformat.writes(translated) + "\n", encoding="utf-8")
