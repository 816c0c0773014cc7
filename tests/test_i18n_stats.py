"""Statistics per language and page, from real catalogs."""

from __future__ import annotations

import json
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


def test_report_gives_each_language_its_totals_and_pages(tmp_path: Path) -> None:
    _save(tmp_path, "ja", "index", [("A", "あ", False), ("B", "", False)])
    _save(tmp_path, "ja", "docs/x", [("D", "で", False)])
    _save(tmp_path, "ko", "index", [("A", "아", False)])
    report = stats.report(stats.collect(tmp_path, ["ja", "ko"]))
    assert json.loads(json.dumps(report)) == report
    assert {lang: (r["total"], r["percent"], r["complete"]) for lang, r in report.items()} == {
        "ja": (3, 66, False), "ko": (1, 100, True)}
    assert report["ja"]["pages"] == {
        "docs/x": {"translated": 1, "fuzzy": 0, "untranslated": 0, "total": 1, "percent": 100, "complete": True},
        "index": {"translated": 1, "fuzzy": 0, "untranslated": 1, "total": 2, "percent": 50, "complete": False}}


def test_a_language_with_a_missing_page_is_not_complete(tmp_path: Path) -> None:
    _save(tmp_path, "ko", "index", [("A", "아", False)])
    report = stats.report(stats.collect(tmp_path, ["ko"], ["index", "docs/x"]))
    assert (report["ko"]["percent"], report["ko"]["complete"]) == (100, False)
