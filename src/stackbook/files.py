"""Writing files in one step: a reader sees the old content or the new, never part of either."""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import nbformat
from nbformat import NotebookNode


def write_atomic(path: Path, data: str | bytes, *, mode: int = 0o666) -> None:
    """Replace ``path`` with ``data`` (text as UTF-8) through a temporary file beside it and a rename.

    ``mode`` is the new file's permissions before the umask, as for ``open``: 0o600 keeps it the owner's.
    """
    payload = data.encode() if isinstance(data, str) else data
    # Hidden and unique: never taken for a runbook or a catalog, never shared by two writers.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


T = TypeVar("T")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> None:
    """Swap two existing paths in one step (renameat2 with RENAME_EXCHANGE): a reader sees one
    or the other under each name, never neither."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"cannot exchange {first} and {second}: {os.strerror(errno)}")


def replace_folder(folder: Path, make: Callable[[Path], T], ok: Callable[[T], bool]) -> T:
    """Make a new ``folder``: ``make`` fills a staging folder beside it (a copy of the current one,
    so incremental tools see their earlier output), and only when ``ok`` of what ``make`` returned
    does the staging folder take ``folder``'s place, in one step. A failure, an exception or a kill
    leaves ``folder`` as it was; a later call clears a killed one's staging folder."""
    staging = folder.with_name(f".{folder.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    if folder.is_dir():
        shutil.copytree(folder, staging, symlinks=True)
    staging.mkdir(parents=True, exist_ok=True)
    try:
        result = make(staging)
        if ok(result):
            if folder.is_dir():
                exchange(staging, folder)
            else:
                staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def write_notebook(path: Path, nb: NotebookNode) -> None:
    """Write ``nb`` atomically, byte for byte as ``nbformat.write`` would (validated, a final newline)."""
    text = nbformat.writes(nb)
    write_atomic(path, text if text.endswith("\n") else text + "\n")
