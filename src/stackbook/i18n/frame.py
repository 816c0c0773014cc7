"""The site's frame: the words Sphinx and the theme put around every page, as one catalog.

Sphinx looks up its own words and the theme's (navigation, "On this page", Previous/Next,
search, footer) in the gettext domain ``sphinx``, and a ``sphinx.po`` in ``locale_dirs`` comes
before Sphinx's and the theme's own translations. So ``locales/<lang>/LC_MESSAGES/sphinx.po``
holds the frame: every message of the theme's template (pydata-sphinx-theme ships none for
Korean and leaves some Japanese empty), the Sphinx words our pages show that Sphinx's catalogs
leave empty, and the theme's words that are options rather than messages.
"""

from __future__ import annotations

import copy
from importlib.resources import files
from pathlib import Path

from babel.messages.catalog import Catalog

from stackbook.i18n import catalogs

DOCNAME = "sphinx"  # the gettext domain: locales/<lang>/LC_MESSAGES/sphinx.po, _build/gettext/sphinx.pot
THEME_PACKAGE = "pydata_sphinx_theme"
THEME_SOURCE = "src/pydata_sphinx_theme/"  # locations of the theme's own messages in its template
# Sphinx's words on our pages that its ja or ko catalog leaves empty (it translates the rest).
SPHINX_MESSAGES = ("Link to this heading", "Link to this table", "Link to this definition",
                   "Link to this image", "Link to this code")
# The search page's count of results: Sphinx's ja and ko catalogs give it an empty string.
SEARCH_RESULTS = ("Search finished, found one page matching the search query.",
                  "Search finished, found ${resultCount} pages matching the search query.")
# The theme's default texts that reach the page without gettext (stackbook.sphinxext.frame
# looks them up in this catalog when a page is written).
THEME_OPTIONS = ("Search the docs ...", "More")
# The messages the browser looks up (Sphinx's searchtools.js): stackbook.sphinxext.frame adds
# their translations to the page, after Sphinx's own translations.js.
JS_MESSAGES = (SEARCH_RESULTS[0],)


def theme_template_path() -> Path:
    """The installed theme's template of its messages."""
    return Path(str(files(THEME_PACKAGE) / "locale" / "sphinx.pot"))


def template(theme: Catalog, base: Catalog) -> Catalog:
    """Pure: the frame's template: ``base`` (what Sphinx extracted from our own templates, if
    anything), the theme's messages (not those of its own docs), then ours."""
    found = copy.deepcopy(base)
    for message in theme:
        if message.id and any(path.startswith(THEME_SOURCE) for path, _line in message.locations):
            found.add(message.id, flags=message.flags)
    for msgid in (*SPHINX_MESSAGES, *THEME_OPTIONS):
        found.add(msgid)
    found.add(SEARCH_RESULTS)
    return found


def write_template(pot_dir: Path, project: str = "", version: str = "") -> Path:
    """Write ``pot_dir/sphinx.pot``: Sphinx's own (if it wrote one) with the installed theme's messages and ours."""
    path = pot_dir / f"{DOCNAME}.pot"
    base = catalogs.load(path) if path.exists() else Catalog(project=project, version=version, fuzzy=False)
    catalogs.save(path, template(catalogs.load(theme_template_path()), base))
    return path
