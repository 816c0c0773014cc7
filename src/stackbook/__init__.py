"""stackbook: OpenStack installation guides that run."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def load_ipython_extension(ipython: Any) -> None:
    """Register the runbook magics (``%load_ext stackbook``)."""
    from stackbook.magics import register

    register(ipython)
