"""How long a cell may run: a default, a runbook's own, a cell's own (pure)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from stackbook.errors import NotebookError

DEFAULT = 900.0  # seconds; the longest step on a fresh node (a package install) takes about 80
CELL_KEY = "stackbook-timeout"  # in a cell's metadata
RUNBOOK_KEY = "timeout"  # in the runbook's "stackbook" metadata


def _seconds(value: Any, path: Path | str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise NotebookError(path, f"{where}: timeout must be a number of seconds above 0, not {value!r}")
    return float(value)


def runbook_timeout(nb: NotebookNode, path: Path | str, default: float = DEFAULT) -> float:
    """The runbook's default for its cells: its metadata's ``stackbook.timeout``, else ``default``."""
    value = nb.metadata.get("stackbook", {}).get(RUNBOOK_KEY)
    return default if value is None else _seconds(value, path, "metadata stackbook.timeout")


def cell_timeout(cell: NotebookNode, fallback: float) -> float:
    """A cell's limit: its own ``stackbook-timeout`` metadata, else the runbook's."""
    value = cell.get("metadata", {}).get(CELL_KEY)
    return fallback if value is None else float(value)


def check(nb: NotebookNode, path: Path | str) -> None:
    """Every timeout the runbook sets is a positive number, or NotebookError naming the cell."""
    runbook_timeout(nb, path)
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        value = cell.get("metadata", {}).get(CELL_KEY)
        if value is not None:
            _seconds(value, path, f"code cell {number} metadata {CELL_KEY}")


def code_cell_number(nb: NotebookNode, index: int) -> int:
    """The 1-based number Jupyter shows for the code cell at ``index`` among all cells."""
    return sum(1 for cell in nb.cells[: index + 1] if cell.cell_type == "code")
