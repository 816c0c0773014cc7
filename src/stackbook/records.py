"""Run records: what each ``stackbook run`` found, kept apart from the runbooks.

Every run writes one JSON file per platform into a results folder (``results/`` unless
``--results`` or ``$STACKBOOK_RESULTS`` says otherwise)::

    results/debian-13/20261206T031500Z.json

The name is the run's start in UTC, so the files of a platform sort by time (a second run
started in the same second gets ``-1``, ``-2``: see :func:`order`). A record holds the
platform's facts as measured after the runbooks (Debian release, OpenStack series, package
versions), each runbook's result with its time, per-cell times, the failing cell and its
error, the differences found, and Tempest's counts when Tempest ran. Secrets are scrubbed as
in ``summary.json``. The site reads the newest records (see ``stackbook.sphinxext.results``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from stackbook import errors, facts, secrets
from stackbook.errors import StackbookError
from stackbook.files import write_atomic

if TYPE_CHECKING:
    from stackbook.execute import Outcome

SCHEMA = 1  # raise it when a field changes meaning; readers refuse a schema they do not know
ENV = "STACKBOOK_RESULTS"
DEFAULT_FOLDER = Path("results")
STAMP = "%Y%m%dT%H%M%SZ"


class RecordError(StackbookError):
    """A record file that cannot be read as a run record."""


def folder(given: Path | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """Where records go: ``given``, else ``$STACKBOOK_RESULTS``, else ``results``."""
    return given or Path(environ.get(ENV) or DEFAULT_FOLDER)


def build(outcomes: Sequence[Outcome], measured: facts.Facts, started: datetime, finished: datetime,
          end: str, restored_from: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Pure: the record of a run that started and finished at those (aware, UTC) times; a run
    on a node restored from a snapshot names it and the runbooks it stood for (not run here)."""
    return {
        "schema": SCHEMA,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "platform": measured.as_dict(),
        "status": "passed" if end == errors.PASSED else "failed",
        "end": {"kind": end, "exit": errors.EXIT_STATUS[end]},
        "runbooks": [asdict(outcome) for outcome in outcomes],
        "tempest": None,
        "restored_from": dict(restored_from) if restored_from else None,
    }


def with_tempest(record: Mapping[str, Any], results: Mapping[str, Any]) -> dict[str, Any]:
    """Pure: ``record`` with Tempest's counts and failed names; failed tests fail the run."""
    kept = ("passed", "failed", "skipped", "seconds", "failures", "flaky")
    updated = {**record, "tempest": {key: results.get(key) for key in kept}}
    if results.get("failed"):
        updated["status"] = "failed"
        updated["end"] = {"kind": errors.FAILED_CHECK, "exit": errors.EXIT_STATUS[errors.FAILED_CHECK]}
    return updated


def name(platform: str, started: datetime, taken: Iterable[str] = ()) -> PurePosixPath:
    """Pure: ``debian-13/20261206T031500Z.json``, with ``-1``, ``-2``... when that name is taken."""
    stamp = started.strftime(STAMP)
    used = set(taken)
    stem, number = stamp, 0
    while f"{stem}.json" in used:
        number += 1
        stem = f"{stamp}-{number}"
    return PurePosixPath(platform, f"{stem}.json")


def order(paths: Iterable[Path]) -> list[Path]:
    """Pure: record files oldest first (by name without ``.json``: ``X`` before ``X-1``)."""
    return sorted(paths, key=lambda path: path.name.removesuffix(".json"))


def text(record: Mapping[str, Any], values: Mapping[str, str]) -> str:
    """Pure: the record as its file holds it, every secret replaced by its name."""
    return secrets.scrub(json.dumps(record, indent=1, sort_keys=True), values) + "\n"


def write(root: Path, record: Mapping[str, Any], values: Mapping[str, str]) -> Path:
    """Write a new record file under ``root`` (atomically; never over another run's record)."""
    started = datetime.fromisoformat(str(record["started"]))
    platform = str(record["platform"]["platform"])
    where = root / platform
    where.mkdir(parents=True, exist_ok=True)
    path = root / name(platform, started, (p.name for p in where.glob("*.json")))
    write_atomic(path, text(record, values))
    return path


def rewrite(path: Path, record: Mapping[str, Any], values: Mapping[str, str]) -> None:
    """Replace the record at ``path`` (the same run, now with Tempest's results)."""
    write_atomic(path, text(record, values))


def load(path: Path) -> dict[str, Any]:
    """The record at ``path``, checked to be one this version reads."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RecordError(f"{path}: cannot read this run record ({exc}); delete it or restore it "
                          "from where the nightly keeps its results") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        raise RecordError(f"{path}: run record of schema {found!r}, this stackbook reads schema {SCHEMA}; "
                          "build the site with the stackbook version that wrote it, or move the file away")
    return data


# -- reading records back -------------------------------------------------------------------


@dataclass(frozen=True)
class Book:
    """One runbook's result in a run."""

    name: str
    status: str  # passed | failed | differs | skipped | not run
    seconds: float = 0.0
    differences: tuple[str, ...] = ()
    step: int | None = None  # the failing cell as Jupyter numbers it
    source: str = ""  # its first line
    error: str = ""  # the first line of its error
    skipped_for: str = ""  # skipped: the failed runbook it needs

    @property
    def ran(self) -> bool:
        """Whether the runbook ran in this run (not stopped before it, nor skipped)."""
        return self.status not in ("not run", "skipped")


@dataclass(frozen=True)
class Run:
    """One record, as the site and the drift read it."""

    name: str  # the file's name without .json: 20261206T031500Z
    platform: str
    started: datetime | None
    status: str
    debian: str = ""
    openstack: str = ""
    packages: Mapping[str, str] = field(default_factory=dict)
    books: Mapping[str, Book] = field(default_factory=dict)
    tempest: Mapping[str, Any] | None = None
    restored: tuple[str, ...] = ()  # runbooks not run here: the node was restored from their snapshot

    @property
    def seconds(self) -> float:
        """The runbooks' time together."""
        return sum(book.seconds for book in self.books.values())


def _first_line(value: object) -> str:
    return next((line.strip() for line in str(value or "").splitlines() if line.strip()), "")


def _book(data: Mapping[str, Any]) -> Book:
    error = data.get("error") or {}
    step = error.get("step")
    source = next((c.get("source", "") for c in data.get("cells") or [] if step is not None and c.get("step") == step),
                  "")
    seconds = data.get("seconds")
    return Book(str(data.get("runbook")), str(data.get("status") or "failed"),
                float(seconds) if isinstance(seconds, int | float) else 0.0,
                tuple(str(d) for d in data.get("differences") or []),
                step if isinstance(step, int) and not isinstance(step, bool) else None,
                _first_line(source), _first_line(error.get("evalue")), str(data.get("skipped_for") or ""))


def parse(stem: str, data: Mapping[str, Any]) -> Run:
    """Pure: the typed view of a loaded record."""
    platform = data.get("platform") or {}
    try:
        started = datetime.fromisoformat(str(data.get("started")))
    except ValueError:
        started = None
    books = [_book(entry) for entry in data.get("runbooks") or []]
    return Run(stem, str(platform.get("platform") or ""), started, str(data.get("status") or "failed"),
               str(platform.get("debian") or ""), str(platform.get("openstack") or ""),
               dict(platform.get("packages") or {}), {book.name: book for book in books}, data.get("tempest"),
               tuple(str(n) for n in (data.get("restored_from") or {}).get("runbooks") or ()))


def history(root: Path) -> dict[str, list[Run]]:
    """Every record under ``root``: platform -> runs, oldest first (an absent folder has none)."""
    if not root.is_dir():
        return {}
    found: dict[str, list[Run]] = {}
    for where in sorted(p for p in root.iterdir() if p.is_dir()):
        runs = [parse(path.name.removesuffix(".json"), load(path)) for path in order(where.glob("*.json"))]
        if runs:
            found[where.name] = runs
    return found


def latest(runs: Sequence[Run], runbook: str) -> tuple[Run, Book] | None:
    """Pure: the newest run in which ``runbook`` ran (a run that stopped before it does not count)."""
    for found in reversed(runs):
        book = found.books.get(runbook)
        if book is not None and book.ran:
            return found, book
    return None
