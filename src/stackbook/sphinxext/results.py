"""The run records a build shows: where they are, and each runbook's latest result per platform.

The folder is ``$STACKBOOK_RESULTS`` if set (CI points it at the nightly's records), else the
``stackbook_results`` config value (``results``, beside ``conf.py``). When it holds records they
are the truth: a runbook or platform without one is "not verified in this build". When it holds
none, the results recorded in the runbooks' metadata (``stackbook run --record``) are shown.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from stackbook import platforms, records
from stackbook.records import Run
from stackbook.sphinxext import verification
from stackbook.sphinxext.verification import Failure, Record

CONFIG = "stackbook_results"


def folder(configured: str, srcdir: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """The records' folder: the environment's, else the configured one, relative to the source folder."""
    given = Path(environ.get(records.ENV) or configured)
    return given if given.is_absolute() else srcdir / given


def signature(root: Path) -> tuple[tuple[str, int], ...]:
    """Every record file under ``root`` with its modification time (a new or changed one shows)."""
    if not root.is_dir():
        return ()
    return tuple(sorted((str(p.relative_to(root)), p.stat().st_mtime_ns) for p in root.glob("*/*.json")))


@functools.lru_cache(maxsize=4)
def _history(root: Path, _signature: tuple[tuple[str, int], ...]) -> dict[str, list[Run]]:
    return records.history(root)


def history(env: BuildEnvironment) -> dict[str, list[Run]]:
    """Every record of the build's folder, platform -> runs oldest first (read once per build)."""
    root = folder(env.config[CONFIG], Path(env.srcdir))
    return _history(root, signature(root))


def record(runs: Sequence[Run], runbook: str) -> Record | None:
    """Pure: the runbook's latest result in ``runs`` as the matrix shows it."""
    found = records.latest(runs, runbook)
    if found is None:
        return None
    run, book = found
    failed = Failure(book.step, book.source, book.error) if book.status == "failed" else None
    return Record(run.platform, book.status, run.started.date() if run.started else None, book.seconds,
                  run.debian, run.openstack, failed)


def from_runs(found: Mapping[str, Sequence[Run]], runbook: str) -> dict[str, Record]:
    """Pure: platform -> the runbook's latest result, in the order of platforms.PLATFORMS."""
    latest = {name: record(found.get(name, ()), runbook) for name in platforms.PLATFORMS}
    return {name: entry for name, entry in latest.items() if entry is not None}


def verified(env: BuildEnvironment, path: Path) -> dict[str, Record]:
    """The runbook at ``path``: its results from the records, else from its metadata."""
    found = history(env)
    return from_runs(found, path.stem) if found else verification.read(path)


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
             removed: set[str]) -> list[str]:
    """Sphinx env-get-outdated handler: every page again when the records changed (a new night)."""
    current = signature(folder(env.config[CONFIG], Path(env.srcdir)))
    before: Any = getattr(env, "stackbook_results_signature", None)
    env.stackbook_results_signature = current  # type: ignore[attr-defined]
    return sorted(env.found_docs) if before is not None and before != current else []
