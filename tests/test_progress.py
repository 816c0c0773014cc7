"""The run's position on a terminal (one status line, rewritten) and in logs (plain lines)."""

from __future__ import annotations

import io

from stackbook.progress import Display, Position, moved, status_line

HEAT = Position("heat", 3, 12, expected=130.0)


def test_status_line() -> None:
    assert status_line(HEAT, 4.2) == "[3/12] heat · 0:04 (last time 2:10)"
    assert status_line(moved(HEAT, 7, 31), 64) == "[3/12] heat · cell 7/31 · 1:04 (last time 2:10)"
    assert status_line(Position("environment", 1, 1, 2, 9), 3600) == "[1/1] environment · cell 2/9 · 60:00"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_in_a_log_every_step_is_a_plain_line() -> None:
    out, clock = io.StringIO(), Clock()
    display = Display(out, live=False, clock=clock)
    display.at(HEAT)
    clock.now += 5
    display.line("  heat | creating the stack")
    display.at(moved(HEAT, 2, 31))
    display.tick()  # nothing to rewrite in a log
    display.done()
    assert out.getvalue() == ("[3/12] heat · 0:00 (last time 2:10)\n  heat | creating the stack\n"
                              "[3/12] heat · cell 2/31 · 0:05 (last time 2:10)\n")
    assert "\r" not in out.getvalue()


def test_on_a_terminal_the_status_stays_last_and_is_rewritten() -> None:
    out, clock = io.StringIO(), Clock()
    display = Display(out, live=True, clock=clock)
    display.line("runbook heat: Heat")  # no status yet: a plain line
    display.at(moved(HEAT, 1, 31))
    clock.now += 61
    display.tick()
    display.line("  heat | done")
    display.at(Position("horizon", 4, 12))  # a new runbook restarts the clock
    display.done()
    assert out.getvalue() == (
        "runbook heat: Heat\n"
        "[3/12] heat · cell 1/31 · 0:00 (last time 2:10)"
        "\r\033[K[3/12] heat · cell 1/31 · 1:01 (last time 2:10)"
        "\r\033[K  heat | done\n[3/12] heat · cell 1/31 · 1:01 (last time 2:10)"
        "\r\033[K[4/12] horizon · 0:00"
        "\r\033[K")


def test_ticking_runs_only_on_a_terminal() -> None:
    out = io.StringIO()
    display = Display(out, live=True)
    display.at(HEAT)
    stop = display.ticking(every=0.01)
    import time
    time.sleep(0.1)
    stop.set()
    assert out.getvalue().count("\r\033[K") >= 3
    quiet = Display(io.StringIO(), live=False)
    quiet.ticking(every=0.01).set()
