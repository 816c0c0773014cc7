"""The home page's verified releases: each platform summed over every runbook's records."""

from __future__ import annotations

from datetime import date

import pytest
from docutils import nodes

from stackbook.sphinxext.releases import Release, cells, releases_table, summarize
from stackbook.sphinxext.tempestresults import TempestRecord
from stackbook.sphinxext.verification import Record

BOOKS = [
    {"debian-13": Record("debian-13", "passed", date(2026, 12, 5), 400, "13.2", "2025.1"),
     "debian-12": Record("debian-12", "passed", date(2026, 11, 23))},
    {"debian-13": Record("debian-13", "passed", date(2026, 12, 6), 30, "13.2", "2025.1"),
     "debian-12": Record("debian-12", "failed", date(2026, 12, 1), 12, "12.12", "2022.2")},
    {},
]


def test_summarize() -> None:
    assert summarize(BOOKS) == [
        Release("debian-13", "2025.1", 3, 2, 2, date(2026, 12, 6)),
        Release("debian-sid", "2026.2", 3),  # no record: the series Debian unstable ships
        Release("debian-12", "2022.2", 3, 2, 1, date(2026, 12, 1)),
    ]
    assert [r.state for r in summarize(BOOKS)] == ["failed", "unverified", "failed"]
    assert summarize(BOOKS[:2])[0].state == "passed"


def test_a_measured_series_wins_over_the_shipped_one() -> None:
    book = {"debian-sid": Record("debian-sid", "passed", date(2026, 12, 5), 1, "forky", "2026.1")}
    assert summarize([book])[1] == Release("debian-sid", "2026.1", 1, 1, 1, date(2026, 12, 5))


@pytest.mark.parametrize(("found", "lang", "expected"), [
    (Release("debian-13", "2025.1", 12, 12, 12, date(2026, 12, 6)), "en",
     ["Debian 13 (default)", "2025.1 Epoxy", "unmaintained since October 2, 2026",
      "12 of 12 runbooks passed, last run on December 6, 2026", "not run yet"]),
    (Release("debian-13", "2025.1", 12, 12, 11, date(2026, 12, 6)), "ja",
     ["Debian 13 (既定)", "2025.1 Epoxy", "保守対象外 (Unmaintained)、2026年10月2日以降",
      "12 件中 11 件のランブックが成功 (最終検証: 2026年12月6日)", "未実行"]),
    (Release("debian-sid", "2026.2", 12), "ko",
     ["Debian unstable(불안정판)", "2026.2 Hibiscus", "유지 관리(Maintained), 2026년 9월 30일부터",
      "아직 검증되지 않음", "아직 실행하지 않음"]),
    (Release("debian-12", "2022.2", 12, 12, 12, date(2026, 11, 23)), "en",
     ["Debian 12", "2022.2 Zed", "end of life", "12 of 12 runbooks passed, last run on November 23, 2026",
      "not run yet"]),
    (Release("debian-12", "2099.1", 1), "en", ["Debian 12", "2099.1", "—", "not verified yet", "not run yet"]),
])
def test_cells(found: Release, lang: str, expected: list[str]) -> None:
    assert cells(found, lang) == expected


def test_releases_table() -> None:
    table = releases_table(summarize(BOOKS), "ko")
    header = [entry.astext() for entry in table.next_node(nodes.thead).findall(nodes.entry)]
    assert header == ["플랫폼", "OpenStack 시리즈", "업스트림 상태", "최근 검증 결과", "Tempest(OpenStack API 테스트)"]
    assert [row["classes"] for row in table.findall(nodes.row)][1:] == [
        ["sb-failed"], ["sb-unverified"], ["sb-failed"]]


def test_cells_with_tempest_counts() -> None:
    found = Release("debian-13", "2025.1", 12, 12, 12, date(2026, 12, 6))
    record = TempestRecord("debian-13", 250, 1, 61, date(2026, 12, 6))
    assert cells(found, "en", record)[-1] == "250 passed, 1 failed, 61 skipped"
    assert cells(found, "ja", record)[-1] == "成功 250 件、失敗 1 件、スキップ 61 件"
    table = releases_table(summarize(BOOKS), "en", {"debian-12": record})
    last = [list(r.findall(nodes.entry))[-1].astext() for r in table.findall(nodes.row)][1:]
    assert last == ["not run yet", "not run yet", "250 passed, 1 failed, 61 skipped"]
