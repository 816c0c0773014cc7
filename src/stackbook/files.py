"""Writing files in one step: a reader sees the old content or the new, never part of either."""

from __future__ import annotations

import os
from pathlib import Path

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


def write_notebook(path: Path, nb: NotebookNode) -> None:
    """Write ``nb`` atomically, byte for byte as ``nbformat.write`` would (validated, a final newline)."""
    text = nbformat.writes(nb)
    write_atomic(path, text if text.endswith("\n") else text + "\n")
