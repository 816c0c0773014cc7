"""The language switcher: links to the same page in every language."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from stackbook.sphinxext.labels import NAMES, label
from stackbook.sphinxext.render import language


def switcher(pagename: str, current: str, codes: list[str]) -> list[dict[str, Any]]:
    """Pure: one entry per language, with the URL of ``pagename`` in that language's site."""
    up = "../" * (pagename.count("/") + 1)
    return [{"code": code, "name": NAMES.get(code, code), "url": f"{up}{code}/{pagename}.html",
             "current": code == current} for code in codes]


def on_page_context(app: Sphinx, pagename: str, templatename: str,
                    context: dict[str, Any], doctree: object) -> None:
    """Sphinx html-page-context handler: expose the switcher to templates."""
    context["stackbook_languages"] = switcher(pagename, language(app),
                                              list(app.config.stackbook_languages))
    context["stackbook_language_label"] = label(language(app), "language")
