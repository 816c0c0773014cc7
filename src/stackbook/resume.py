"""Runs with snapshots: start a fresh node from the newest snapshot that still fits the run,
run only the runbooks after it, and snapshot the node after each runbook that passes."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from stackbook import (
    execute,
    inventory,
    layers,
    node,
    platforms,
    process,
    rootfs,
    runbooks,
    secrets,
    services,
    snapshots,
)
from stackbook.errors import StackbookError
from stackbook.execute import Outcome, Plan
from stackbook.runbooks import Runbook
from stackbook.snapshots import Snapshot, SnapshotError

Progress = Callable[[str], None]
MAX_STACK = 20  # layers a snapshot may stand on: overlayfs's mount options fit in one page


@dataclass(frozen=True)
class Taken:
    """The last snapshot taken of a node in this run: the next one holds only what changed since."""

    key: str
    below: tuple[str, ...]
    paused_ns: int  # when the node was paused for it
    entries: Mapping[str, layers.Entry]  # its upper folder then


def node_name(roles: Mapping[str, str]) -> str:
    """The test node a run with snapshots uses: its only role must be ``node://NAME``."""
    urls = set(roles.values())
    if len(urls) != 1 or not next(iter(urls)).startswith("node://"):
        raise StackbookError("--snapshots needs every role on one test node (node://NAME, the default): "
                             "snapshots are taken of a node this machine runs")
    return node.check_name(next(iter(urls)).removeprefix("node://"))


def given(book: Runbook, plan: Plan, values: Mapping[str, str]) -> dict[str, str]:
    """What ``book`` is given in this run (secrets as hashes: keys are stored in the clear)."""
    found = {"INVENTORY": inventory.dump(plan.roles)}
    for name, default in book.parameters.items():
        value = str(values.get(name, plan.parameters.get(name, default)))
        found[name] = snapshots.hash_value(value) if secrets.is_secret(name) else value
    return found


def keys(plan: Plan, platform: platforms.Platform, values: Mapping[str, str]) -> list[str]:
    """The snapshot key after each runbook of the plan."""
    tar, _, _ = rootfs.cached_path(platform)
    root = snapshots.root_key(platform.name, tar.name, rootfs.built(platform))
    books = [(b.name, snapshots.content(runbooks.read(b.path)), given(b, plan, values)) for b in plan.runbooks]
    return snapshots.chain(root, books)


def restore(name: str, platform: str, snapshot: Snapshot | None, progress: Progress) -> node.Node:
    """A fresh node ``name`` (an old one is removed) on ``snapshot``'s layers, its services running."""
    node.down(name, progress)
    stack = [snapshots.layer(key) for key in snapshot.stack] if snapshot else []
    made = node.up(name, platform, progress, layers=stack, address=snapshot.address if snapshot else "")
    if snapshot is not None:
        progress(f"starting again what ran at the snapshot: {', '.join(snapshot.services) or 'no services'}")
        services.restart(node.target_for(made), snapshot.services, snapshot.ports)
    return made


def prepare(plan: Plan, platform: str, cap: int, progress: Progress) -> Plan:
    """The plan for a run with snapshots: the node made fresh from the newest fitting snapshot,
    the runbooks it covers left out (and named in the record), a snapshot after each runbook."""
    name = node_name(plan.roles)
    chosen = platforms.get(platform)
    rootfs.tarball(chosen, progress)
    chain = keys(plan, chosen, execute.secret_values(plan))
    known = snapshots.load_all()
    covered = snapshots.choose(chain, known)
    found = known[chain[covered - 1]] if covered else None
    if found is None:
        progress("no snapshot fits this run: every runbook runs on a fresh node")
    else:
        progress(f"restoring snapshot {found.key[:12]} (after {', '.join(found.runbooks)}, {found.created})")
    began = time.monotonic()
    made = restore(name, chosen.name, found, progress)
    restored = None if found is None else {
        "snapshot": found.key, "created": found.created, "runbooks": list(found.runbooks),
        "seconds": round(time.monotonic() - began, 2),
    }
    taker = _Taker(made, plan.runbooks, chain, cap, progress)
    left = plan.runbooks[covered:]
    # The values only restored runbooks take were checked with the whole run (and are in the keys).
    taken = {name for book in left for name in book.parameters}
    parameters = {k: v for k, v in plan.parameters.items() if k in taken}
    return replace(plan, runbooks=left, parameters=parameters, restored_from=restored, after=taker)


class _Taker:
    """Takes the snapshot after each runbook that passed, while every one before it passed too
    (a failure to take one is only logged)."""

    def __init__(self, made: node.Node, books: Sequence[Runbook], chain: Sequence[str], cap: int,
                 progress: Progress) -> None:
        self.node, self.cap, self.progress = made, cap, progress
        names = [b.name for b in books]
        self.keys = {name: (key, tuple(names[:i + 1])) for i, (name, key) in enumerate(zip(names, chain, strict=True))}
        self.broken = ""  # the first runbook that did not pass: no snapshot after it
        self.last: Taken | None = None

    def __call__(self, book: Runbook, outcome: Outcome) -> None:
        # With --keep-going, a runbook that does not need a failed (or differing) one still runs;
        # the node's state after it is not the one its key names (every runbook before it passed).
        if outcome.status != "passed" and not self.broken:
            self.broken = book.name
        if self.broken or book.name not in self.keys:
            if self.broken and self.broken != book.name and outcome.status == "passed":
                self.progress(f"no snapshot after {book.name}: {self.broken} did not pass before it")
            return
        key, names = self.keys[book.name]
        try:
            began = time.monotonic()
            made, self.last = take(self.node, key, names, self.cap, self.last)
            self.progress(f"snapshot {key[:12]} after {book.name}: {made.bytes / 1024**2:.0f} MiB "
                          f"in {time.monotonic() - began:.1f} s")
        except StackbookError as exc:
            self.progress(f"no snapshot after {book.name}: {exc}")


def take(made: node.Node, key: str, names: Sequence[str], cap: int,
         last: Taken | None = None) -> tuple[Snapshot, Taken]:
    """Freeze the node's upper layer as the snapshot ``key`` (the state after ``names``): whole,
    or, after ``last`` of the same node (still in the store), only what changed since, stacked on it."""
    if not made.overlay:
        raise SnapshotError(f"node {made.name} is not an overlay node: start it with `stackbook run --snapshots`")
    running, ports = services.capture(node.target_for(made))
    on = last if last is not None and last.key in snapshots.load_all() and len(last.below) < MAX_STACK else None
    below = (on.key, *on.below) if on is not None else tuple(snapshots.key_of(layer) for layer in made.layers)
    folder = snapshots.store() / key
    partial = snapshots.store() / f".{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    partial.mkdir(parents=True)
    with _paused(made):
        paused = time.time_ns()
        entries: dict[str, layers.Entry] = {}
        try:
            entries = layers.listing(made.upper)
            if on is not None:
                layers.write(made.upper, partial / "layer", layers.change(on.entries, entries, on.paused_ns))
                error = ""
            else:
                copied = process.run(["cp", "-a", "--reflink=auto", str(made.upper), str(partial / "layer")])
                error = "" if copied.ok else "; ".join(copied.tail(3))
        except OSError as exc:
            error = str(exc)
    if error:
        shutil.rmtree(partial, ignore_errors=True)
        raise SnapshotError(f"cannot copy {made.upper}: {error} (is the disk full?)")
    partial.rename(folder)
    snapshot = Snapshot(key, made.platform, tuple(names), snapshots.now(), _size(folder / "layer"), below,
                        tuple(running), tuple(ports), made.alias or made.address)
    snapshots.write(snapshot)
    for doomed in snapshots.prune(snapshots.load_all().values(), cap, keep={key, *below}):
        snapshots.remove(doomed)
    return snapshot, Taken(key, below, paused, entries)


@contextmanager
def _paused(made: node.Node) -> Iterator[None]:
    """Every process of the node stopped, so nothing writes while its upper layer is copied."""
    pids = [int(p) for p in process.run(["ip", "netns", "pids", made.netns]).stdout.split()]
    stopped = []
    try:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGSTOP)
                stopped.append(pid)
            except ProcessLookupError:
                continue
        yield
    finally:
        for pid in stopped:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                continue


def _size(path: Path) -> int:
    result = process.run(["du", "-s", "-B1", str(path)])
    return int(result.stdout.split()[0]) if result.ok and result.stdout else 0
