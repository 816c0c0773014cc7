"""Statistics per language and page, from real catalogs."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from stackbook.i18n import catalogs, stats


def _save(locales: Path, lang: str, docname: str, entries: list[tuple[str, str, bool]]) -> None:
    catalog = Catalog(locale=lang, fuzzy=False)
    for msgid, msgstr, fuzzy in entries:
        catalog.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    catalogs.save(catalogs.catalog_path(locales, lang, docname), catalog)


def test_counts_per_page_and_totals(tmp_path: Path) -> None:
    _save(tmp_path, "ja", "index", [("A", "あ", False), ("B", "", False), ("C", "し", True)])
    _save(tmp_path, "ja", "docs/x", [("D", "で", False)])
    rows = stats.collect(tmp_path, ["ja"])
    assert [(r.docname, r.translated, r.fuzzy, r.untranslated, r.percent) for r in rows] == [
        ("docs/x", 1, 0, 0, 100), ("index", 1, 1, 1, 33)]
    total = stats.totals(rows)["ja"]
    assert (total.translated, total.total, total.complete) == (2, 4, False)


def test_a_missing_catalog_is_zero_percent(tmp_path: Path) -> None:
    row = stats.page_stats(tmp_path / "nope.po", "ko", "index")
    assert (row.percent, row.complete) == (0, False)
