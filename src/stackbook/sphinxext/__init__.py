"""Sphinx extension: runbooks rendered as what a reader types, in three languages.

Add ``"stackbook.sphinxext"`` to ``extensions``; it loads MyST-NB, sphinx-design,
sphinx-copybutton and sphinx.ext.graphviz, reads ``.ipynb`` through :func:`reader.read_runbook`,
labels cells, shows how to set a runbook's parameters by hand and guards each shell step that
uses one, adds each runbook's verification matrix (from the run records in ``stackbook_results``),
the ``{verification-history}`` of the last runs with their drift, the ``{verified-releases}`` and
``{controller-services}`` tables, the install path (``{install-path}``, ``{runbook-toctree}``),
translation notes, the language switcher, notebook downloads, the page's frame in its language
and search for ja and ko.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from stackbook import records
from stackbook.i18n import LANGUAGES
from stackbook.sphinxext import (
    directives,
    downloads,
    frame,
    history,
    installpath,
    languages,
    releases,
    render,
    results,
    search,
    services,
    tempestresults,
)
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.languages import language

HERE = Path(__file__).parent
READER = "stackbook.sphinxext.reader.read_runbook"
EXTENSIONS = ("myst_nb", "sphinx_design", "sphinx_copybutton", "sphinx.ext.graphviz")  # set up by this one


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Point MyST-NB at our reader, add our templates and static files, localise prompts."""
    lang = language(config)
    config.nb_custom_formats = {**config.nb_custom_formats, ".ipynb": READER}
    config.templates_path = [*config.templates_path, str(HERE / "templates")]
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]
    config.nb_code_prompt_show = label(lang, "show")
    config.nb_code_prompt_hide = label(lang, "hide")
    config.graphviz_output_format = "svg"  # text in the page's fonts, and links that work


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    for name in EXTENSIONS:
        app.setup_extension(name)
    app.add_config_value("stackbook_languages", list(LANGUAGES), "html", list)
    # The run records' folder ($STACKBOOK_RESULTS wins), relative to the source folder.
    app.add_config_value(results.CONFIG, str(records.DEFAULT_FOLDER), "env", str)
    app.connect("config-inited", on_config_inited)
    app.connect("doctree-read", render.on_doctree_read)
    app.connect("builder-inited", frame.on_builder_inited)
    app.connect("html-page-context", languages.on_page_context)
    app.connect("html-page-context", frame.on_page_context)
    app.connect("doctree-resolved", installpath.resolve)
    app.connect("env-get-outdated", results.outdated)
    app.connect("build-finished", downloads.write_notebooks)
    app.add_directive("translation-status", directives.TranslationStatus)
    app.add_directive("glossary-table", directives.GlossaryTable)
    app.add_directive("runbook-list", directives.RunbookList)
    app.add_directive("verified-releases", releases.VerifiedReleases)
    app.add_directive("tempest-results", tempestresults.TempestResults)
    app.add_directive("verification-history", history.VerificationHistory)
    app.add_directive("controller-services", services.ControllerServices)
    app.add_directive("install-path", installpath.InstallPath)
    app.add_directive("runbook-toctree", installpath.RunbookToctree)
    app.add_node(installpath.install_path)
    app.add_search_language(search.SearchJapanese)
    app.add_search_language(search.SearchKorean)
    app.add_css_file("stackbook.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
