"""The frame of every page in the page's language, where gettext alone does not reach it.

The theme's and Sphinx's messages come from ``locales/<lang>/LC_MESSAGES/sphinx.po``
(:mod:`stackbook.i18n.frame`). Around them: the theme's search box text is an option, not a
message; the browser's search messages come from Sphinx's ``translations.js``, which has no
way in for a catalog of ours; sphinx-copybutton carries its own words for a few languages
(not Japanese or Korean); MyST-NB writes a fixed English label for collapsed outputs.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from stackbook.i18n import catalogs, frame
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.languages import language

# Fixed English attributes other extensions write into a page's body, and the label for each.
BODY_LABELS: dict[tuple[str, str], str] = {("aria-label", "Toggle hidden content"): "toggle"}  # MyST-NB
COPY_LABELS = ("copy", "copy_to_clipboard", "copy_success", "copy_failure")

# Runs after sphinx-copybutton's script (whose top-level names it reaches): adds the page's
# language to its messages and redoes the two icons it titled in English when it loaded.
COPYBUTTON_SCRIPT = """\
(function () {
  if (typeof messages === "undefined") return;
  const lang = document.documentElement.lang;
  messages[lang] = %s;
  locale = lang;
  const title = (svg, text) => svg.replace(/<title>[^<]*<\\/title>/, "<title>" + text + "</title>");
  iconCopy = title(iconCopy, messages[lang].copy_to_clipboard);
  iconCheck = title(iconCheck, messages[lang].copy_success);
})();
"""


def relabel(body: str, lang: str) -> str:
    """Pure: ``body`` with other extensions' fixed English labels in ``lang``."""
    for (attribute, english), key in BODY_LABELS.items():
        body = body.replace(f'{attribute}="{english}"', f'{attribute}="{html.escape(label(lang, key))}"')
    return body


def copybutton_script(lang: str) -> str:
    """Pure: the script that gives sphinx-copybutton its words in ``lang``."""
    words = {key: label(lang, key) for key in COPY_LABELS}
    return COPYBUTTON_SCRIPT % json.dumps(words, ensure_ascii=False)


def js_messages(translations: Mapping[str, str | list[str]], lang: str, plural_expr: str) -> str:
    """Pure: a script adding ``translations`` to the browser's catalog (after Sphinx's own)."""
    catalog = {"locale": lang, "messages": dict(translations), "plural_expr": plural_expr}
    return f"Documentation.addTranslations({json.dumps(catalog, ensure_ascii=False)});\n"


def browser_translations(path: Path) -> tuple[dict[str, str | list[str]], str]:
    """The frame catalog's translations of the messages the browser looks up, and its plural rule."""
    if not path.exists():
        return {}, "0"
    catalog = catalogs.load(path)
    found: dict[str, str | list[str]] = {}
    for msgid in frame.JS_MESSAGES:
        message = catalog.get(msgid)
        if message is None or message.fuzzy or not message.string:
            continue
        forms = message.string
        if isinstance(forms, str):
            found[msgid] = forms
        elif all(forms):
            found[msgid] = [str(form) for form in forms]
    return found, catalog.plural_expr


def on_builder_inited(app: Sphinx) -> None:
    """Sphinx builder-inited handler: the copy button's words and the search page's, in ja/ko."""
    lang = language(app.config)
    if lang == "en" or app.builder.format != "html":
        return
    app.add_js_file(None, body=copybutton_script(lang), priority=510)
    path = catalogs.catalog_path(app.srcdir / app.config.locale_dirs[0], lang, frame.DOCNAME)
    translations, plural_expr = browser_translations(path)
    if translations:
        app.add_js_file(None, body=js_messages(translations, lang, plural_expr), priority=510)


def on_page_context(app: Sphinx, pagename: str, templatename: str,
                    context: dict[str, Any], doctree: object) -> None:
    """Sphinx html-page-context handler: the search box's text and the body's fixed labels."""
    text = context.get("theme_search_bar_text")
    if text:
        context["theme_search_bar_text"] = app.translator.gettext(str(text))
    if "body" in context and language(app.config) != "en":
        context["body"] = relabel(str(context["body"]), language(app.config))
