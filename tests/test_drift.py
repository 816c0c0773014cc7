"""Drift between two runs of a platform: packages moved, results changed, outputs that differ."""

from __future__ import annotations

from datetime import UTC, datetime

from stackbook import drift
from stackbook.records import Book, Run

DIFF = "heat, cell 9 (%%on controller):\n-CREATE_COMPLETE\n+CREATE_FAILED"
OLD_DIFF = "keystone, cell 5 (%%on controller):\n-a\n+b"


def night(day: int, packages: dict[str, str], *books: Book) -> Run:
    return Run(f"202612{day:02}T031500Z", "debian-sid", datetime(2026, 12, day, 3, 15, tzinfo=UTC), "passed",
               "forky/sid", "2026.2", packages, {b.name: b for b in books})


BEFORE = night(5, {"python3-heatclient": "4.1.0-1", "keystone": "2:30.0.0-1", "python3-old": "1.0"},
               Book("keystone", "differs", 100, (OLD_DIFF,)), Book("heat", "passed", 60), Book("horizon", "passed"))
AFTER = night(6, {"python3-heatclient": "4.2.0-1", "keystone": "2:30.0.0-1", "python3-new": "2.0"},
              Book("keystone", "passed", 100), Book("heat", "differs", 61, (DIFF,)), Book("horizon", "not run"),
              Book("barbican", "passed"))


def test_packages_that_moved_appeared_or_went() -> None:
    assert drift.packages(BEFORE, AFTER) == (
        drift.PackageChange("python3-heatclient", "4.1.0-1", "4.2.0-1"),
        drift.PackageChange("python3-new", "", "2.0"),
        drift.PackageChange("python3-old", "1.0", ""),
    )


def test_results_of_runbooks_that_ran_both_times() -> None:
    assert drift.results(BEFORE, AFTER) == (
        drift.ResultChange("keystone", "differs", "passed"), drift.ResultChange("heat", "passed", "differs"))


def test_outputs_that_began_or_stopped_differing() -> None:
    assert drift.outputs(BEFORE, AFTER) == (
        drift.OutputChange("keystone", OLD_DIFF, False), drift.OutputChange("heat", DIFF, True))


def test_no_change_is_no_drift_and_along_is_newest_first() -> None:
    assert not drift.between(AFTER, AFTER)
    third = night(7, dict(AFTER.packages), *AFTER.books.values())
    found = drift.along([BEFORE, AFTER, third])
    assert [(d.before.name, d.after.name, bool(d)) for d in found] == [
        ("20261206T031500Z", "20261207T031500Z", False), ("20261205T031500Z", "20261206T031500Z", True)]
    assert drift.along([BEFORE]) == []
