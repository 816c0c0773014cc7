"""Translators' workflow: queries over Babel catalogs that return data (the CLI prints)."""

from __future__ import annotations

from stackbook.errors import StackbookError

SOURCE_LANGUAGE = "en"
LANGUAGES = ("ja", "ko")


class CatalogError(StackbookError):
    """A catalog that cannot be read; names the file and line."""

    def __init__(self, path: str, line: int, detail: str) -> None:
        self.path, self.line, self.detail = path, line, detail
        super().__init__(f"{path}:{line}: {detail} (fix the entry, then run `stackbook i18n check`)")
