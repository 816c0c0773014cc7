"""Where stackbook keeps its state and caches on this machine."""

from __future__ import annotations

import os
from pathlib import Path


def state_dir() -> Path:
    """Nodes, keys and per-inventory secrets ($STACKBOOK_STATE, default /var/lib/stackbook)."""
    return Path(os.environ.get("STACKBOOK_STATE", "/var/lib/stackbook"))


def cache_dir() -> Path:
    """The root filesystem tarball and the apt cache ($STACKBOOK_CACHE, default /var/cache/stackbook)."""
    return Path(os.environ.get("STACKBOOK_CACHE", "/var/cache/stackbook"))
