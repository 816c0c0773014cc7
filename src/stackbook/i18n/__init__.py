"""Translators' workflow: queries over Babel catalogs that return data (the CLI prints)."""

from __future__ import annotations

from stackbook.errors import StackbookError

# The site's languages, English (the source) first. The one list: the site, its switcher, the
# catalogs and the CLI read it; a new language also needs its words in sphinxext/labels.py.
LANGUAGES = ("en", "ja", "ko")
TRANSLATED = LANGUAGES[1:]  # the languages with catalogs in locales/


class CatalogError(StackbookError):
    """A catalog that cannot be read; names the file and line."""

    def __init__(self, path: str, line: int, detail: str) -> None:
        self.path, self.line, self.detail = path, line, detail
        super().__init__(f"{path}:{line}: {detail} (fix the entry, then run `stackbook i18n check`)")
