"""The verification matrix of a runbook page: one row per platform, in the page's language."""

from __future__ import annotations

from datetime import date

import pytest
from docutils import nodes

from stackbook.sphinxext.matrix import NONE, Row, header, matrix, rows
from stackbook.sphinxext.verification import Failure, Record

FAILURE = Failure(7, "%%on controller", "CommandFailed: command failed on controller")
PASSED_13 = Record("debian-13", "passed", date(2026, 12, 5), 412.3, "13.2", "2025.1")
FAILED_12 = Record("debian-12", "failed", date(2026, 12, 4), 80.1, "12.12", "2022.2", FAILURE)
LEGACY_12 = Record("debian-12", "passed", date(2026, 11, 23))


@pytest.mark.parametrize(("found", "lang", "expected"), [
    ({}, "en", [
        Row("Debian 13", "unverified", "not verified in this build"),
        Row("Debian unstable", "unverified", "not verified in this build"),
        Row("Debian 12", "unverified", "not verified in this build"),
    ]),
    ({"debian-12": LEGACY_12}, "en", [
        Row("Debian 13", "unverified", "not verified in this build"),
        Row("Debian unstable", "unverified", "not verified in this build"),
        Row("Debian 12", "passed", "passed", "November 23, 2026"),
    ]),
    ({"debian-12": FAILED_12, "debian-13": PASSED_13}, "ja", [
        Row("Debian 13 · OpenStack 2025.1 Epoxy", "passed", "成功", "2026年12月5日", "6分52秒"),
        Row("Debian unstable (不安定版)", "unverified", "このビルドでは未検証"),
        Row("Debian 12 · OpenStack 2022.2 Zed", "failed", "失敗", "2026年12月4日", "1分20秒", FAILURE),
    ]),
    ({"debian-sid": Record("debian-sid", "differs", date(2026, 12, 5), 61, "forky", "2026.2")}, "ko", [
        Row("Debian 13", "unverified", "이 빌드에서는 검증되지 않음"),
        Row("Debian unstable(불안정판) · OpenStack 2026.2 Hibiscus", "differs", "출력이 참조와 다름", "2026년 12월 5일",
            "1분 1초"),
        Row("Debian 12", "unverified", "이 빌드에서는 검증되지 않음"),
    ]),
    ({"debian-13": Record("debian-13", "timeout")}, "en", [
        Row("Debian 13", "unknown", "timeout", NONE, NONE),
        Row("Debian unstable", "unverified", "not verified in this build"),
        Row("Debian 12", "unverified", "not verified in this build"),
    ]),
])
def test_rows(found: dict[str, Record], lang: str, expected: list[Row]) -> None:
    assert rows(found, lang) == expected


def _cells(table: nodes.table) -> list[list[str]]:
    return [[entry.astext() for entry in row.findall(nodes.entry)] for row in table.findall(nodes.row)]


def test_a_matrix_without_failures_has_four_columns() -> None:
    table = matrix({"debian-13": PASSED_13}, "en")
    assert table.next_node(nodes.title).astext() == "Last run on each platform"
    assert _cells(table) == [
        ["Platform", "Result", "Date", "Duration"],
        ["Debian 13 · OpenStack 2025.1 Epoxy", "passed", "December 5, 2026", "6 min 52 s"],
        ["Debian unstable", "not verified in this build", NONE, NONE],
        ["Debian 12", "not verified in this build", NONE, NONE],
    ]
    assert [row["classes"] for row in table.findall(nodes.row)][1:] == [
        ["sb-passed"], ["sb-unverified"], ["sb-unverified"]]


@pytest.mark.parametrize(("lang", "where", "column"), [
    ("en", "step 7: %%on controller", "Where it stopped"),
    ("ja", "手順 7: %%on controller", "失敗した箇所"),
    ("ko", "7단계: %%on controller", "실패한 위치"),
])
def test_a_failure_shows_the_step_and_the_error(lang: str, where: str, column: str) -> None:
    table = matrix({"debian-13": PASSED_13, "debian-12": FAILED_12}, lang)
    cells = _cells(table)
    assert cells[0][-1] == column
    assert cells[3][-1] == f"{where}\n\nCommandFailed: command failed on controller"
    assert cells[1][-1] == NONE
    assert table.next_node(nodes.literal).astext() == "%%on controller"
    assert "sb-failed" in list(table.findall(nodes.row))[3]["classes"]


def test_header_keeps_the_download_link() -> None:
    found = header({}, "../_notebooks/demo.ja.ipynb", "ja")
    link = found.next_node(nodes.reference)
    assert link["refuri"] == "../_notebooks/demo.ja.ipynb"
    assert link.astext() == "このランブックをダウンロード (.ipynb)"
    assert "sb-runbook-meta" in found["classes"]
