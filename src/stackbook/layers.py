"""Incremental snapshot layers: what changed in an overlay node's upper folder since an earlier
snapshot of the same node, as a layer that stacks on that snapshot's.

A node's upper folder only grows during a run: copied whole after each runbook, the snapshots
of a twelve-runbook run would hold the first runbook's packages twelve times. So after the
first snapshot, a layer holds only the entries created or changed since the last one (their
inode change time is later than the moment the node was paused for it), whiteouts for the
entries that went, and the folders they are in. Overlayfs then shows, from the new layer
over the earlier one, exactly what the upper folder holds.

Folders are what need care: a folder marked opaque in the upper folder hides what the layers
below hold in it. A folder that was opaque already at the earlier snapshot is written without
the mark (the earlier layer's copy keeps hiding the base); one that became opaque since (it
was removed and made again) is copied whole, with the mark.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

OPAQUE = "trusted.overlay.opaque"
MARGIN_NS = 1_000_000_000  # entries changed this long before the pause are copied again: a write
# in flight when the node was paused may carry an earlier change time than the pause


@dataclass(frozen=True)
class Entry:
    """One entry of an upper folder."""

    is_dir: bool
    ctime_ns: int
    opaque: bool = False


@dataclass(frozen=True)
class Change:
    """What a layer over the earlier snapshot holds."""

    copy: tuple[str, ...]  # entries copied from the upper folder, folders before what they hold
    whiteouts: tuple[str, ...]  # entries that went since
    opaque: frozenset[str]  # folders that keep their opaque mark in the layer


def listing(root: Path) -> dict[str, Entry]:
    """Every entry under ``root`` (its relative path), without following links."""
    found: dict[str, Entry] = {}
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = os.path.join(folder, name)
            info = os.lstat(path)
            is_dir = stat.S_ISDIR(info.st_mode)
            found[os.path.relpath(path, root)] = Entry(is_dir, info.st_ctime_ns, is_dir and _opaque(path))
    return found


def _opaque(path: str) -> bool:
    try:
        return os.getxattr(path, OPAQUE, follow_symlinks=False) == b"y"
    except OSError:
        return False


def _ancestors(path: str) -> list[str]:
    """Pure: ``a/b/c`` -> ``a``, ``a/b``."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def change(before: Mapping[str, Entry], now: Mapping[str, Entry], paused_ns: int) -> Change:
    """Pure: the layer that turns ``before`` (the upper folder at the earlier snapshot, taken
    while the node was paused at ``paused_ns``) into ``now``."""
    opaque = {p for p, e in now.items() if e.opaque and not (p in before and before[p].opaque)}
    whole = {p for p in opaque if p in before}  # opaque since: it hides the earlier layer's copy

    def inside(path: str, folders: set[str]) -> bool:
        return any(a in folders for a in _ancestors(path))

    since = paused_ns - MARGIN_NS
    copy = sorted(p for p, e in now.items()
                  if p not in before or e.ctime_ns >= since or p in whole or inside(p, whole))
    gone = []
    for path in sorted(set(before) - set(now)):
        parent = path.rpartition("/")[0]
        if inside(path, whole) or (parent and not (parent in now and now[parent].is_dir)):
            continue  # hidden by an opaque folder, or under a folder that went (its whiteout hides it)
        gone.append(path)
    return Change(tuple(copy), tuple(gone), frozenset(opaque))


def write(upper: Path, layer: Path, wanted: Change) -> None:
    """Make ``layer`` from ``upper`` as ``wanted`` says (``layer`` must not exist)."""
    layer.mkdir()
    made: list[tuple[Path, Path]] = [(upper, layer)]
    _attributes(upper, layer, os.lstat(upper), keep_opaque=False)
    seen: dict[tuple[int, int], Path] = {}
    ready = {""}

    def folder(rel: str) -> None:
        """``rel`` and the folders it is in, made in the layer like those of the upper folder."""
        for part in _ancestors(rel + "/"):
            if part in ready:
                continue
            source, target = upper / part, layer / part
            target.mkdir()  # made here only: ``ready`` has every folder made so far
            _attributes(source, target, os.lstat(source), keep_opaque=part in wanted.opaque)
            made.append((source, target))
            ready.add(part)

    for rel in wanted.copy:
        source, target = upper / rel, layer / rel
        folder(rel.rpartition("/")[0])
        info = os.lstat(source)
        if stat.S_ISDIR(info.st_mode):
            folder(rel)
            continue
        if info.st_nlink > 1 and (info.st_dev, info.st_ino) in seen:
            os.link(seen[(info.st_dev, info.st_ino)], target)
            continue
        if stat.S_ISREG(info.st_mode):
            shutil.copyfile(source, target, follow_symlinks=False)
        elif stat.S_ISLNK(info.st_mode):
            os.symlink(os.readlink(source), target)
        else:  # devices (whiteouts among them), pipes, sockets
            os.mknod(target, info.st_mode, info.st_rdev)
        _attributes(source, target, info, keep_opaque=False)
        seen[(info.st_dev, info.st_ino)] = target
    for rel in wanted.whiteouts:
        folder(rel.rpartition("/")[0])
        os.mknod(layer / rel, stat.S_IFCHR, os.makedev(0, 0))
    for source, target in reversed(made):  # a folder's times last: filling it changed them
        info = os.lstat(source)
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns), follow_symlinks=False)


def _attributes(source: Path, target: Path, info: os.stat_result, *, keep_opaque: bool) -> None:
    """Owner, mode, extended attributes and times of ``source`` onto ``target``."""
    link = stat.S_ISLNK(info.st_mode)
    for name in os.listxattr(source, follow_symlinks=False):
        if name == OPAQUE and not keep_opaque:
            continue
        try:
            os.setxattr(target, name, os.getxattr(source, name, follow_symlinks=False), follow_symlinks=False)
        except OSError:
            if not link:
                raise
    os.chown(target, info.st_uid, info.st_gid, follow_symlinks=False)
    if not link:
        os.chmod(target, stat.S_IMODE(info.st_mode))  # after chown, which clears set-id bits
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns), follow_symlinks=False)
