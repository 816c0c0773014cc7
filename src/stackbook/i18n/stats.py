"""Translation statistics per language and page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stackbook.i18n import catalogs


@dataclass(frozen=True)
class Stats:
    """Message counts of one page's catalog in one language."""

    lang: str
    docname: str
    translated: int
    fuzzy: int
    untranslated: int
    exists: bool = True
    same: int = 0  # translated messages identical to English (Sphinx counts them untranslated)

    @property
    def total(self) -> int:
        """All messages of the page."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> int:
        """Translated share, rounded down (100 only when complete; an empty page counts as done)."""
        if not self.exists:
            return 0
        return 100 if self.total == 0 else self.translated * 100 // self.total

    @property
    def complete(self) -> bool:
        """Nothing untranslated and nothing fuzzy."""
        return self.exists and self.fuzzy == 0 and self.untranslated == 0


def page_stats(path: Path, lang: str, docname: str) -> Stats:
    """Counts for one catalog file (a missing file counts as nothing translated)."""
    if not path.exists():
        return Stats(lang, docname, 0, 0, 0, exists=False)
    translated = fuzzy = untranslated = same = 0
    for msgid, msgstr, is_fuzzy, _line in catalogs.messages(catalogs.load(path)):
        if is_fuzzy:
            fuzzy += 1
        elif msgstr:
            translated += 1
            same += msgstr == msgid
        else:
            untranslated += 1
    return Stats(lang, docname, translated, fuzzy, untranslated, same=same)


def collect(locale_dir: Path, langs: list[str], pages: list[str] | None = None) -> list[Stats]:
    """Stats for every (language, page); pages default to those with a catalog."""
    rows: list[Stats] = []
    for lang in langs:
        folder = locale_dir / lang / "LC_MESSAGES"
        for docname in pages if pages is not None else catalogs.docnames(folder, ".po"):
            rows.append(page_stats(catalogs.catalog_path(locale_dir, lang, docname), lang, docname))
    return rows


def totals(rows: list[Stats]) -> dict[str, Stats]:
    """Per-language sums of ``rows``."""
    out: dict[str, Stats] = {}
    for row in rows:
        prev = out.get(row.lang, Stats(row.lang, "*", 0, 0, 0))
        out[row.lang] = Stats(row.lang, "*", prev.translated + row.translated,
                              prev.fuzzy + row.fuzzy, prev.untranslated + row.untranslated)
    return out


def counts(row: Stats) -> dict[str, int | bool]:
    """One row's numbers as the JSON report writes them."""
    return {"translated": row.translated, "fuzzy": row.fuzzy, "untranslated": row.untranslated,
            "total": row.total, "percent": row.percent, "complete": row.complete}


def report(rows: list[Stats]) -> dict[str, dict[str, object]]:
    """Per language, its totals and each page's counts (``stackbook i18n stats --json``)."""
    out: dict[str, dict[str, object]] = {}
    for lang, total in totals(rows).items():
        pages = [row for row in rows if row.lang == lang]
        out[lang] = {**counts(total), "complete": all(row.complete for row in pages),
                     "pages": {row.docname: counts(row) for row in pages}}
    return out
