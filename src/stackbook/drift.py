"""Drift: what changed on a platform between two consecutive runs.

Package versions that moved, runbooks whose result changed, checked outputs that began or
stopped differing from the reference: enough to read "heat broke on Debian unstable the
night python3-heatclient moved from X to Y".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from stackbook.records import Run


@dataclass(frozen=True)
class PackageChange:
    """A package whose installed version moved ("" when it was not installed)."""

    package: str
    before: str
    after: str


@dataclass(frozen=True)
class ResultChange:
    """A runbook whose result changed (only runbooks that ran both times)."""

    runbook: str
    before: str
    after: str


@dataclass(frozen=True)
class OutputChange:
    """A checked output that began (``now`` True) or stopped differing from the reference."""

    runbook: str
    difference: str  # as compare.Difference prints it: "heat, cell 7 (...):\n-old\n+new"
    now: bool


@dataclass(frozen=True)
class Drift:
    """What changed from ``before`` to ``after`` (two runs of one platform)."""

    before: Run
    after: Run
    packages: tuple[PackageChange, ...] = ()
    results: tuple[ResultChange, ...] = ()
    outputs: tuple[OutputChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.packages or self.results or self.outputs)


def packages(before: Run, after: Run) -> tuple[PackageChange, ...]:
    """Pure: every package installed in either run whose version is not the same in both."""
    names = sorted(set(before.packages) | set(after.packages))
    return tuple(PackageChange(name, before.packages.get(name, ""), after.packages.get(name, ""))
                 for name in names if before.packages.get(name, "") != after.packages.get(name, ""))


def results(before: Run, after: Run) -> tuple[ResultChange, ...]:
    """Pure: runbooks that ran in both runs with a different result, in the later run's order."""
    changed = []
    for name, book in after.books.items():
        old = before.books.get(name)
        if old is not None and old.ran and book.ran and old.status != book.status:
            changed.append(ResultChange(name, old.status, book.status))
    return tuple(changed)


def outputs(before: Run, after: Run) -> tuple[OutputChange, ...]:
    """Pure: differences found in one run and not the other, for runbooks that ran in both."""
    changed = []
    for name, book in after.books.items():
        old = before.books.get(name)
        if old is None or not (old.ran and book.ran):
            continue
        changed += [OutputChange(name, d, True) for d in book.differences if d not in old.differences]
        changed += [OutputChange(name, d, False) for d in old.differences if d not in book.differences]
    return tuple(changed)


def between(before: Run, after: Run) -> Drift:
    """Pure: the drift from ``before`` to ``after``."""
    return Drift(before, after, packages(before, after), results(before, after), outputs(before, after))


def along(runs: Sequence[Run]) -> list[Drift]:
    """Pure: the drift between each pair of consecutive runs (oldest first), newest first."""
    return [between(old, new) for old, new in pairwise(runs)][::-1]
