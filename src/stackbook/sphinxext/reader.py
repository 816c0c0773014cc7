"""MyST-NB reader for runbooks: the I/O edge around :func:`cells.runbook_view`."""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode

from stackbook.sphinxext.cells import runbook_view


def read_runbook(text: str) -> NotebookNode:
    """Parse a runbook's JSON and return the reader's view of it."""
    return runbook_view(nbformat.reads(text, as_version=4))
