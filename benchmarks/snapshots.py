"""Benchmark: runs with snapshots (`stackbook run --snapshots`) beside the same steps as plain scripts.

In one state folder of its own, one node at a time (2 cores: side by side would measure contention):

1. cold full run: no unpacked base, no snapshot; every runbook runs and is snapshotted;
2. warm full run: the base unpacked, the snapshots removed; every runbook runs and is snapshotted;
3. re-verification after editing only the last runbook: the snapshot of the others is restored
   on a fresh node (services started again) and only the last runbook runs.

Each beside the same commands as one bash script over ssh on an equal fresh node: the full
script for 1 and 2; for 3 the last runbook's own time, its steps timed inside the full script
of case 2 (a mark before them and one at the end). Goal for 3: at most that + 15 s.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from nbformat import v4

from stackbook import node, process, snapshots

sys.path.insert(0, str(Path(__file__).resolve().parent))
import runbooks as plain  # the plain-script side: benchmarks/runbooks.py

ROOT = plain.ROOT
NAMES = plain.RUNBOOKS
GOAL = 15.0


def timed(work: Callable[[], object]) -> float:
    """Seconds ``work`` took."""
    began = time.monotonic()
    work()
    return time.monotonic() - began


def through_stackbook(folder: Path, runs: Path, values: dict[str, str]) -> dict[str, Any]:
    """``stackbook run --snapshots`` of the runbooks; its summary, with the snapshots' seconds
    (secrets through the secrets file, never on the command line: see plain.options)."""
    params = plain.options(values, runs.parent)
    result = process.run([sys.executable, "-m", "stackbook", "run", *NAMES, "--runbooks", str(folder),
                          "--runs", str(runs), "--snapshots", *params])
    if not result.ok:
        plain.failed("stackbook run --snapshots", result.stderr, values)
    summary: dict[str, Any] = json.loads(sorted(runs.glob("*/summary.json"))[-1].read_text())
    taken = [float(m) for m in re.findall(r"^snapshot \S+ after .* in ([\d.]+) s$", result.stderr, re.MULTILINE)]
    summary["snapshot_seconds"] = taken
    return summary


def detail(summary: dict[str, Any]) -> str:
    """Where a run's time went: each runbook, the restore, the snapshots."""
    books = ", ".join(f"{b['runbook']} {b['seconds']:.1f}" for b in summary["runbooks"])
    restored = summary.get("restored_from") or {}
    parts = [f"ran {books}"]
    if restored:
        parts.append(f"restored {', '.join(restored['runbooks'])} in {restored['seconds']:.1f}")
    taken = summary.get("snapshot_seconds") or []
    parts.append(f"{len(taken)} snapshots {sum(taken):.1f}")
    return "; ".join(parts) + " (s)"


def as_script(values: dict[str, str]) -> tuple[float, float]:
    """Seconds for all the runbooks as one plain script on a fresh node, and for the last one's
    steps within it (its own time, on a node the others just prepared)."""
    made = node.up("controller", plain.PLATFORM.name)  # CONTROLLER_HOST is its name
    try:
        began = time.monotonic()
        result = node.target_for(made).run("bash", "-s", input=plain.plain_script(values, NAMES, NAMES[-1]))
        total = time.monotonic() - began
        if not result.ok:
            plain.failed("plain script", result.stdout, values)
        marks = [float(line.split()[1]) for line in result.stdout.splitlines() if line.startswith(plain.MARK)]
        return total, marks[-1] - marks[0]
    finally:
        node.down("controller")


def edit_last(folder: Path) -> None:
    """Add a harmless step to the last runbook (its code changes, so its snapshot key does)."""
    path = folder / f"{NAMES[-1]}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(v4.new_code_cell("%%on controller\ntrue"))
    nbformat.write(nb, path)


class _Figures(list[tuple[str, float, float, str]]):
    """The figures, each printed as soon as it is measured (a later failure keeps the earlier)."""

    def append(self, item: tuple[str, float, float, str]) -> None:
        """Keep and print one case."""
        if not self:
            print(f"snapshots: runbooks {', '.join(NAMES)} on fresh {plain.PLATFORM.label} overlay nodes "
                  f"(load average now: {os.getloadavg()[0]:.1f})", flush=True)
        label, ours, script, note = item
        print(f"  {label:<40} stackbook {ours:7.1f} s   plain script {script:7.1f} s   {note}", flush=True)
        super().append(item)


def main() -> None:
    """Run the three cases and their plain scripts; print the figures."""
    values = plain.parameters(NAMES)
    parent = Path(os.environ.get("STACKBOOK_STATE") or "/var/lib/stackbook/bench")  # never another's nodes
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-snap-", dir=parent) as scratch:
        base = Path(scratch)
        os.environ["STACKBOOK_STATE"] = str(base / "state")
        folder = base / "runbooks"
        shutil.copytree(ROOT / "runbooks", folder)
        figures = _Figures()
        try:
            summary: dict[str, Any] = {}
            cold = timed(lambda: summary.update(through_stackbook(folder, base / "runs", values)))
            node.down("controller")  # not timed: neither is the plain script's node going
            figures.append(("cold full run (no base, no snapshots)", cold, as_script(values)[0], detail(summary)))
            for found in snapshots.load_all():
                snapshots.remove(found)
            warm = timed(lambda: summary.update(through_stackbook(folder, base / "runs", values)))
            node.down("controller")
            script, own = as_script(values)
            figures.append(("warm full run (base unpacked)", warm, script, detail(summary)))
            edit_last(folder)
            summary.clear()
            again = timed(lambda: summary.update(through_stackbook(folder, base / "runs", values)))
            node.down("controller")
            figures.append((f"re-verify after editing {NAMES[-1]}", again, own, detail(summary)))
        finally:
            node.down("controller")
    last = figures[-1]
    verdict = "met" if last[1] <= last[2] + GOAL else "NOT met"
    print(f"  goal: re-verify <= {NAMES[-1]}'s own time + {GOAL:.0f} s = {last[2] + GOAL:.1f} s: {verdict}")


if __name__ == "__main__":
    main()
