"""Which results a build shows: the records' folder, and each runbook's latest result from them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from stackbook import records
from stackbook.records import Book, Run
from stackbook.sphinxext import results
from stackbook.sphinxext.verification import Failure, Record

SRC = Path("/src/site")


@pytest.mark.parametrize(("environ", "configured", "expected"), [
    ({}, "results", SRC / "results"),
    ({}, "/srv/nightly/results", Path("/srv/nightly/results")),
    ({records.ENV: "/ci/records"}, "results", Path("/ci/records")),
    ({records.ENV: "elsewhere"}, "/srv/nightly/results", SRC / "elsewhere"),
    ({records.ENV: ""}, "results", SRC / "results"),
])
def test_folder(environ: dict[str, str], configured: str, expected: Path) -> None:
    assert results.folder(configured, SRC, environ) == expected


def night(day: int, platform: str, *books: Book) -> Run:
    return Run(f"d{day}", platform, datetime(2026, 12, day, 3, 15, tzinfo=UTC), "passed", "13.2", "2025.1",
               books={b.name: b for b in books})


def test_from_runs_takes_each_platforms_newest_run_of_the_runbook() -> None:
    found = {
        "debian-13": [night(4, "debian-13", Book("heat", "passed", 80.0)),
                      night(5, "debian-13", Book("heat", "failed", 30.0, step=7, source="%%on controller: x",
                                                 error="CommandFailed")),
                      night(6, "debian-13", Book("heat", "not run"))],  # stopped before heat: the 5th counts
        "debian-12": [night(6, "debian-12", Book("keystone", "passed"))],
    }
    assert results.from_runs(found, "heat") == {"debian-13": Record(
        "debian-13", "failed", date(2026, 12, 5), 30.0, "13.2", "2025.1",
        Failure(7, "%%on controller: x", "CommandFailed"))}
    assert list(results.from_runs(found, "keystone")) == ["debian-12"]
    assert results.from_runs({}, "heat") == {}


def test_signature_changes_with_a_new_record(tmp_path: Path) -> None:
    assert results.signature(tmp_path / "absent") == ()
    (tmp_path / "debian-13").mkdir()
    (tmp_path / "debian-13" / "20261206T031500Z.json").write_text("{}")
    before = results.signature(tmp_path)
    (tmp_path / "debian-13" / "20261207T031500Z.json").write_text("{}")
    assert results.signature(tmp_path) != before and len(before) == 1
