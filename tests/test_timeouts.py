from __future__ import annotations

import pytest
from nbformat import v4

from stackbook import timeouts
from stackbook.errors import NotebookError


def _nb(runbook: object = None, cell: object = None) -> v4.NotebookNode:
    nb = v4.new_notebook()
    nb.metadata["stackbook"] = {} if runbook is None else {"timeout": runbook}
    meta = {} if cell is None else {"stackbook-timeout": cell}
    nb.cells = [v4.new_markdown_cell("# t"), v4.new_code_cell("x = 1"),
                v4.new_code_cell("%%on controller\nsleep 1", metadata=meta)]
    return nb


def test_cell_then_runbook_then_default() -> None:
    assert timeouts.runbook_timeout(_nb(), "r.ipynb") == timeouts.DEFAULT
    assert timeouts.runbook_timeout(_nb(), "r.ipynb", 60) == 60
    nb = _nb(runbook=120, cell=5)
    fallback = timeouts.runbook_timeout(nb, "r.ipynb")
    assert fallback == 120
    assert timeouts.cell_timeout(nb.cells[2], fallback) == 5
    assert timeouts.cell_timeout(nb.cells[1], fallback) == 120


@pytest.mark.parametrize(("runbook", "cell", "message"), [
    (0, None, r"r\.ipynb: metadata stackbook\.timeout: timeout must be a number of seconds above 0, not 0"),
    (None, "5m", r"r\.ipynb: code cell 2 metadata stackbook-timeout: .* not '5m'"),
    (None, True, r"code cell 2 .* not True"),
])
def test_bad_timeouts_name_the_place(runbook: object, cell: object, message: str) -> None:
    with pytest.raises(NotebookError, match=message):
        timeouts.check(_nb(runbook, cell), "r.ipynb")


def test_code_cells_are_numbered_as_jupyter_shows_them() -> None:
    assert timeouts.code_cell_number(_nb(), 2) == 2
    assert timeouts.code_cell_number(_nb(), 1) == 1
