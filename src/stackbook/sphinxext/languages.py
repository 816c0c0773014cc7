"""The site's languages in Sphinx: the one being built, where a page is in each, the switcher.

``site.py`` builds every language into a folder of its own beside the others,
``<root>/<lang>/<page>.html``; the URL helpers here are the only code that knows it.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from stackbook.sphinxext.labels import NAMES, label


def language(config: Config) -> str:
    """The language being built ("en" when none is set)."""
    return str(config.language or "en")


def site_url(docname: str, path: str) -> str:
    """Pure: the URL of ``path`` (relative to the root of this language's site) from page ``docname``."""
    return "../" * docname.count("/") + path


def page_url(docname: str, lang: str) -> str:
    """Pure: the URL of page ``docname`` in the ``lang`` site, from the same page in any language."""
    return site_url(docname, f"../{lang}/{docname}.html")


def switcher(pagename: str, current: str, codes: list[str]) -> list[dict[str, Any]]:
    """Pure: one entry per language, with the URL of ``pagename`` in that language's site."""
    return [{"code": code, "name": NAMES.get(code, code), "url": page_url(pagename, code),
             "current": code == current} for code in codes]


def on_page_context(app: Sphinx, pagename: str, templatename: str,
                    context: dict[str, Any], doctree: object) -> None:
    """Sphinx html-page-context handler: expose the switcher to templates."""
    lang = language(app.config)
    context["stackbook_languages"] = switcher(pagename, lang, list(app.config.stackbook_languages))
    context["stackbook_language_label"] = label(lang, "language")
