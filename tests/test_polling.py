"""Polling with real time: small timeouts, counted calls."""

from __future__ import annotations

import itertools
import time

import pytest

from stackbook.polling import wait_until


def test_a_condition_already_true_returns_at_once() -> None:
    calls: list[float] = []
    began = time.monotonic()
    assert wait_until(lambda: not calls.append(time.monotonic()), timeout=5, every=1)
    assert len(calls) == 1 and time.monotonic() - began < 0.5


def test_checks_at_the_given_pace_until_the_condition_holds() -> None:
    calls: list[float] = []

    def third_time() -> bool:
        calls.append(time.monotonic())
        return len(calls) == 3

    assert wait_until(third_time, timeout=5, every=0.05)
    assert len(calls) == 3
    assert all(later - earlier >= 0.05 for earlier, later in itertools.pairwise(calls))


def test_gives_up_after_the_timeout() -> None:
    calls: list[float] = []
    began = time.monotonic()
    assert not wait_until(lambda: bool(calls.append(0.0)), timeout=0.3, every=0.05)
    assert 0.3 <= time.monotonic() - began < 1.0
    assert 2 <= len(calls) <= 7


def test_what_the_condition_raises_propagates() -> None:
    def broken() -> bool:
        raise OSError("gone")

    with pytest.raises(OSError, match="gone"):
        wait_until(broken, timeout=5, every=0.05)
