"""Where a run is: runbook n of N, cell n of M, time so far and the time the last record took.

``Position`` is what the engine reports; ``status_line`` is the pure text of it. ``Display``
prints the run's lines: on a terminal it keeps the status as the last line, rewritten in
place; elsewhere (CI logs, files) every line is plain and the status is a line of its own when
a runbook or cell starts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TextIO


@dataclass(frozen=True)
class Position:
    """The runbook and cell a run is at."""

    runbook: str
    index: int  # 1-based, among the run's runbooks
    total: int
    cell: int = 0  # 1-based code cell (as Jupyter numbers it); 0 before the first
    cells: int = 0  # code cells in the runbook
    expected: float | None = None  # seconds the runbook took in the newest record, if any


def _clock(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def status_line(position: Position, elapsed: float) -> str:
    """Pure: "[3/12] heat · cell 7/31 · 1:04 (last time 2:10)"."""
    line = f"[{position.index}/{position.total}] {position.runbook}"
    if position.cells:
        line += f" · cell {position.cell}/{position.cells}"
    line += f" · {_clock(elapsed)}"
    if position.expected is not None:
        line += f" (last time {_clock(position.expected)})"
    return line


class Display:
    """The run's lines and its status, on ``stream``."""

    def __init__(self, stream: TextIO, live: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.live, self.clock = stream, live, clock
        self.position: Position | None = None
        self.began = 0.0
        self.shown = False  # a status line is on the screen (live mode)
        self.lock = threading.Lock()  # lines come from the run, ticks from a timer thread

    def line(self, text: str) -> None:
        """A line of the run's log, above the status."""
        with self.lock:
            self._clear()
            self.stream.write(text + "\n")
            self._status()

    def at(self, position: Position) -> None:
        """The run moved: a new runbook (the clock restarts) or a new cell."""
        with self.lock:
            if self.position is None or position.runbook != self.position.runbook:
                self.began = self.clock()
            self.position = position
            if self.live:
                self._clear()
                self._status()
            else:
                self.stream.write(status_line(position, self.clock() - self.began) + "\n")
                self.stream.flush()

    def tick(self) -> None:
        """Rewrite the status with the time now (live mode only)."""
        with self.lock:
            if self.live and self.position is not None:
                self._clear()
                self._status()

    def done(self) -> None:
        """Remove the status line: the run's summary follows."""
        with self.lock:
            self._clear()
            self.position = None
            self.stream.flush()

    def ticking(self, every: float = 1.0) -> threading.Event:
        """Tick every ``every`` seconds in a daemon thread until the returned event is set."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(every):
                self.tick()

        if self.live:
            threading.Thread(target=loop, daemon=True).start()
        return stop

    def _clear(self) -> None:
        if self.live and self.shown:
            self.stream.write("\r\033[K")
            self.shown = False

    def _status(self) -> None:
        if self.live and self.position is not None:
            self.stream.write(status_line(self.position, self.clock() - self.began))
            self.shown = True
        self.stream.flush()


def moved(position: Position, cell: int, cells: int) -> Position:
    """Pure: ``position`` at code cell ``cell`` of ``cells``."""
    return replace(position, cell=cell, cells=cells)
