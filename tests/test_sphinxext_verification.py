"""Verification records: the per-platform form and the legacy flat form read the same way."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import nbformat
import pytest

from docsroot import runbook
from stackbook.sphinxext.verification import Failure, Record, first_line, read, records

FAILED_ON_12 = {
    "date": "2026-12-04", "status": "failed", "seconds": 80.1, "debian": "12.12", "openstack": "2022.2",
    "failed": {"step": 7, "source": "%%on controller\nsystemctl restart demo",
               "error": "CommandFailed: command failed on controller\nexit code 1\n..."},
}
PASSED_ON_13 = {"date": "2026-12-05", "status": "passed", "seconds": 412.3, "debian": "13.2",
                "openstack": "2025.1", "failed": None}


@pytest.mark.parametrize(("verified", "expected"), [
    (None, {}),
    ({}, {}),
    ("passed", {}),
    # legacy: one flat record, from the time every run was on Debian 12
    ({"date": "2026-11-23", "status": "passed", "target": "Debian 12 test node"},
     {"debian-12": Record("debian-12", "passed", date(2026, 11, 23))}),
    ({"date": "2026-11-20", "target": "node://controller"},  # old runs wrote no status when they passed
     {"debian-12": Record("debian-12", "passed", date(2026, 11, 20))}),
    ({"date": "2026-11-22", "target": "Debian 12 test node", "status": "failed"},
     {"debian-12": Record("debian-12", "failed", date(2026, 11, 22))}),
    # per platform
    ({"debian-13": PASSED_ON_13},
     {"debian-13": Record("debian-13", "passed", date(2026, 12, 5), 412.3, "13.2", "2025.1")}),
    ({"debian-12": FAILED_ON_12, "debian-13": PASSED_ON_13, "ubuntu-24.04": PASSED_ON_13,
      "debian-sid": "broken"},
     {"debian-13": Record("debian-13", "passed", date(2026, 12, 5), 412.3, "13.2", "2025.1"),
      "debian-12": Record("debian-12", "failed", date(2026, 12, 4), 80.1, "12.12", "2022.2",
                          Failure(7, "%%on controller", "CommandFailed: command failed on controller"))}),
    ({"debian-sid": {"date": "soon", "status": "differs", "seconds": "long", "failed": {"step": True}}},
     {"debian-sid": Record("debian-sid", "differs", failed=Failure(None, "", ""))}),
])
def test_records(verified: Any, expected: dict[str, Record]) -> None:
    found = records(verified)
    assert found == expected
    assert list(found) == list(expected)  # in the order of platforms.PLATFORMS


@pytest.mark.parametrize(("text", "expected"), [
    ("", ""), (None, ""), ("\n  \nfirst\nsecond", "first"), (["%%on controller\n", "ls\n"], "%%on controller"),
])
def test_first_line(text: object, expected: str) -> None:
    assert first_line(text) == expected


def test_read_a_runbook(tmp_path: Path) -> None:
    path = tmp_path / "demo.ipynb"
    nbformat.write(runbook({"debian-12": FAILED_ON_12}), path)
    assert read(path)["debian-12"].failed == Failure(7, "%%on controller",
                                                     "CommandFailed: command failed on controller")
    nbformat.write(runbook(), path)
    assert read(path) == {}
