"""Waiting for something to happen: a condition checked at a steady pace until a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], bool], timeout: float, every: float) -> bool:
    """Call ``condition`` every ``every`` seconds until it returns true (then True) or
    ``timeout`` seconds have passed (then False). What ``condition`` raises propagates."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False
