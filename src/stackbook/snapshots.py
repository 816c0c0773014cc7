"""Snapshots of a test node after each runbook: keys, choice and pruning (pure), and the store.

A snapshot is a frozen copy of an overlay node's upper directory, kept as a layer under
``$STACKBOOK_STATE/snapshots/KEY/layer`` with a ``meta.json`` beside it. A node restored from
it mounts that layer, the layers the snapshotted node itself was mounted on, and the platform's
unpacked base (see ``node.up(layers=...)``), with an empty upper of its own.

The key chains: the key after runbook *i* hashes the key after runbook *i-1* with runbook *i*'s
content and the values it is given, and the first link hashes the platform, its root
filesystem and the date of its package index. Editing a runbook changes its key and every key
after it, so later snapshots are never found again (they age out under the size cap).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from stackbook.errors import INFRASTRUCTURE, StackbookError
from stackbook.files import write_atomic
from stackbook.paths import state_dir

VERSION = "stackbook-snapshot-1"  # change it when what a snapshot holds changes meaning
DEFAULT_CAP = 20 * 1024**3
UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
KEPT_METADATA = ("requires", "roles", "timeout")  # what in a runbook's metadata changes what it does


class SnapshotError(StackbookError):
    """A snapshot that cannot be found, read or made."""

    kind = INFRASTRUCTURE


@dataclass(frozen=True)
class Snapshot:
    """What ``meta.json`` says about one snapshot."""

    key: str
    platform: str
    runbooks: tuple[str, ...]  # the chain it is the state after, in order
    created: str  # ISO time, UTC
    bytes: int
    below: tuple[str, ...] = ()  # keys of the layers under its own, topmost first
    services: tuple[str, ...] = ()  # init scripts whose services ran, in start order
    ports: tuple[int, ...] = ()  # TCP ports that listened (ssh aside)
    address: str = ""  # the snapshotted node's own address (services may be bound to it)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def stack(self) -> tuple[str, ...]:
        """Every snapshot layer a restored node mounts, topmost first."""
        return (self.key, *self.below)


# -- keys (pure) ------------------------------------------------------------------------


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def content(nb: NotebookNode) -> str:
    """Pure: the hash of what a runbook does: its code cells (source and tags) and the metadata
    that changes how it runs. Prose, stored outputs and recorded results do not count."""
    cells = [(c.source, sorted(c.get("metadata", {}).get("tags", []))) for c in nb.cells if c.cell_type == "code"]
    meta = nb.metadata.get("stackbook", {})
    return _digest(cells, {k: meta.get(k) for k in KEPT_METADATA})


def root_key(platform: str, base: str, index_date: str) -> str:
    """Pure: the first link of the chain: platform, root filesystem and its package index date."""
    return _digest(VERSION, platform, base, index_date)


def chain(root: str, books: Sequence[tuple[str, str, Mapping[str, str]]]) -> list[str]:
    """Pure: the key after each runbook, from (name, content hash, the values it is given)."""
    keys: list[str] = []
    previous = root
    for name, digest, values in books:
        previous = _digest(previous, name, digest, sorted(values.items()))
        keys.append(previous)
    return keys


def index_date(release_texts: Iterable[str], fallback: str) -> str:
    """Pure: the newest ``Date:`` of apt's Release files (ISO, UTC), else ``fallback``."""
    found = []
    for text in release_texts:
        match = re.search(r"^Date:\s*(.+)$", text, re.MULTILINE)
        if match:
            try:
                found.append(parsedate_to_datetime(match.group(1).strip()).astimezone(UTC))
            except (TypeError, ValueError):
                continue
    return max(found).isoformat() if found else fallback


# -- choice and pruning (pure) ------------------------------------------------------------


def usable(snapshot: Snapshot, known: Mapping[str, Snapshot]) -> bool:
    """Pure: whether every layer a restore of ``snapshot`` mounts is still there."""
    return all(key in known for key in snapshot.stack)


def choose(keys: Sequence[str], known: Mapping[str, Snapshot]) -> int:
    """Pure: how many runbooks of the run a snapshot covers: the longest prefix whose key has a
    usable snapshot (0: none, start from the base)."""
    for count in range(len(keys), 0, -1):
        found = known.get(keys[count - 1])
        if found is not None and usable(found, known):
            return count
    return 0


def prune(snapshots: Iterable[Snapshot], cap: int, keep: Iterable[str] = ()) -> list[str]:
    """Pure: the keys to delete, oldest first, until the rest fit in ``cap`` bytes. Deleting a
    layer deletes the snapshots stacked on it; ``keep`` (layers a node runs on) stay."""
    alive = {s.key: s for s in snapshots}
    kept = set(keep)
    gone: list[str] = []

    def total() -> int:
        return sum(s.bytes for s in alive.values())

    for oldest in sorted(list(alive.values()), key=lambda s: (s.created, s.key)):
        if total() <= cap:
            break
        if oldest.key not in alive or oldest.key in kept:
            continue
        doomed = [k for k, s in alive.items() if oldest.key in s.stack]
        if kept & set(doomed):
            continue
        for key in doomed:
            del alive[key]
            gone.append(key)
    return gone


def parse_size(text: str) -> int:
    """Pure: ``20G``, ``512M``, ``1.5T`` or a number of bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", text, re.IGNORECASE)
    if not match:
        raise SnapshotError(f"{text!r} is not a size: write a number with K, M, G or T (e.g. 20G)")
    return int(float(match.group(1)) * UNITS[match.group(2).upper()])


# -- the store ----------------------------------------------------------------------------


def store() -> Path:
    """Where snapshots live."""
    return state_dir() / "snapshots"


def hash_value(value: str) -> str:
    """Pure: a secret as a key may hold it."""
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def key_of(layer_path: str | Path) -> str:
    """Pure: the key of the snapshot whose layer is at ``layer_path``."""
    return Path(layer_path).parent.name


def layer(key: str) -> Path:
    """The directory a snapshot's layer is kept in."""
    return store() / key / "layer"


def load_all() -> dict[str, Snapshot]:
    """Every complete snapshot in the store (a half-written one has no meta.json)."""
    found: dict[str, Snapshot] = {}
    if not store().is_dir():
        return found
    for meta in store().glob("*/meta.json"):
        try:
            data = json.loads(meta.read_text())
            data = {**data, **{k: tuple(data.get(k, ())) for k in ("runbooks", "below", "services", "ports")}}
            found[meta.parent.name] = Snapshot(**data)
        except (OSError, ValueError, TypeError):
            continue  # damaged: it ages out under the cap like any other
    return found


def get(key: str) -> Snapshot:
    """The snapshot ``key`` (a unique prefix is enough), or how to list them."""
    known = load_all()
    matches = [k for k in known if k.startswith(key)] if key else []
    if len(matches) != 1:
        raise SnapshotError(f"no single snapshot with key {key!r} in {store()}: "
                            "list them with `stackbook node snapshots`")
    found = known[matches[0]]
    if not usable(found, known):
        raise SnapshotError(f"snapshot {found.key[:12]} lost a layer it stands on (pruned): run its runbooks again")
    return found


def write(snapshot: Snapshot) -> None:
    """Record a snapshot whose layer is in place (the meta file makes it complete)."""
    text = json.dumps(asdict(snapshot), indent=1, sort_keys=True) + "\n"
    (store() / snapshot.key).mkdir(parents=True, exist_ok=True)
    write_atomic(store() / snapshot.key / "meta.json", text)


def remove(key: str) -> None:
    """Delete a snapshot and its layer."""
    shutil.rmtree(store() / key, ignore_errors=True)


def now() -> str:
    """The current time as snapshots record it."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
