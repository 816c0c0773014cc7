"""Sphinx extension: runbooks rendered as what a reader types, in three languages.

Add ``"stackbook.sphinxext"`` to ``extensions``; it loads MyST-NB, sphinx-design and
sphinx-copybutton, reads ``.ipynb`` through :func:`reader.read_runbook`, labels cells,
adds each runbook's verification matrix, the ``{verified-releases}`` table, translation notes,
the language switcher and notebook downloads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from stackbook.i18n import LANGUAGES
from stackbook.sphinxext import directives, downloads, languages, releases, render
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.languages import language

HERE = Path(__file__).parent
READER = "stackbook.sphinxext.reader.read_runbook"
EXTENSIONS = ("myst_nb", "sphinx_design", "sphinx_copybutton")  # set up by this one


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Point MyST-NB at our reader, add our templates and static files, localise prompts."""
    lang = language(config)
    config.nb_custom_formats = {**config.nb_custom_formats, ".ipynb": READER}
    config.templates_path = [*config.templates_path, str(HERE / "templates")]
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]
    config.nb_code_prompt_show = label(lang, "show")
    config.nb_code_prompt_hide = label(lang, "hide")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    for name in EXTENSIONS:
        app.setup_extension(name)
    app.add_config_value("stackbook_languages", list(LANGUAGES), "html", list)
    app.connect("config-inited", on_config_inited)
    app.connect("doctree-read", render.on_doctree_read)
    app.connect("html-page-context", languages.on_page_context)
    app.connect("build-finished", downloads.write_notebooks)
    app.add_directive("translation-status", directives.TranslationStatus)
    app.add_directive("glossary-table", directives.GlossaryTable)
    app.add_directive("runbook-list", directives.RunbookList)
    app.add_directive("verified-releases", releases.VerifiedReleases)
    app.add_css_file("stackbook.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
