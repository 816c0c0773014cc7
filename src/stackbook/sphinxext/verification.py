"""A runbook's verification records, read from its metadata in either form the engine has written.

The current form maps each platform to its last run::

    "verified": {"debian-13": {"date": "2026-12-05", "status": "passed", "seconds": 412.3,
                               "debian": "13.2", "openstack": "2025.1", "failed": null}}

The legacy form is one flat record (``{"date", "target", "status"}``) from the time every run was
on Debian 12; it reads as that platform's record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from stackbook import platforms

STATUSES = ("passed", "failed", "differs")  # what a recorded run can say
LEGACY_PLATFORM = "debian-12"  # the only platform runs were made on before per-platform records


@dataclass(frozen=True)
class Failure:
    """Where a failed run stopped: the step, the first line of its source and of the error."""

    step: int | None
    source: str
    error: str


@dataclass(frozen=True)
class Record:
    """The last run of one runbook on one platform."""

    platform: str
    status: str  # one of STATUSES (anything else is shown as written)
    day: date | None = None
    seconds: float | None = None
    debian: str = ""  # 13.2: the point release measured on the node
    openstack: str = ""  # 2025.1: the series measured (empty in legacy records)
    failed: Failure | None = None


def first_line(text: object) -> str:
    """Pure: the first non-blank line of ``text`` (a string or a list of lines), stripped."""
    joined = "".join(text) if isinstance(text, list) else str(text or "")
    return next((line.strip() for line in joined.splitlines() if line.strip()), "")


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _failure(value: object) -> Failure | None:
    if not isinstance(value, Mapping):
        return None
    step = value.get("step")  # the cell as Jupyter numbers it (code cells, from 1)
    return Failure(step if isinstance(step, int) and not isinstance(step, bool) else None,
                   first_line(value.get("source", "")), first_line(value.get("error", "")))


def record(platform: str, data: Mapping[str, Any]) -> Record:
    """Pure: one platform's record from its metadata entry (missing fields left empty)."""
    return Record(platform, str(data.get("status") or "failed"), _day(data.get("date")),
                  _number(data.get("seconds")), str(data.get("debian") or ""),
                  str(data.get("openstack") or ""), _failure(data.get("failed")))


def is_legacy(verified: Mapping[str, Any]) -> bool:
    """Whether ``verified`` is the old flat single-run record."""
    return isinstance(verified.get("status"), str) or isinstance(verified.get("date"), str)


def records(verified: object) -> dict[str, Record]:
    """Pure: platform name -> record, in the order of platforms.PLATFORMS (unknown names dropped)."""
    if not isinstance(verified, Mapping) or not verified:
        return {}
    if is_legacy(verified):
        # Old runs wrote no status when they passed.
        return {LEGACY_PLATFORM: record(LEGACY_PLATFORM, {"status": "passed", **verified})}
    return {name: record(name, verified[name]) for name in platforms.PLATFORMS
            if isinstance(verified.get(name), Mapping)}


def read(path: Path) -> dict[str, Record]:
    """The records stored in the runbook at ``path``."""
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("stackbook", {})
    return records(meta.get("verified"))
