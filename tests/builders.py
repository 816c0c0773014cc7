"""Runbooks built in code for tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import v4

ROOT = Path(__file__).resolve().parent.parent


def make_runbook(path: Path, cells: list[nbformat.NotebookNode], params: str,
                 title: str = "Test runbook", requires: tuple[str, ...] = ()) -> Path:
    """Write a runbook built in code: parameters cell, %load_ext, then ``cells``."""
    nb = v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "stackbook": {"title": title, "requires": list(requires), "roles": ["controller"]},
    }
    nb.cells = [
        v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
        v4.new_code_cell("%load_ext stackbook"),
        *cells,
    ]
    nbformat.write(nb, path)
    return path


def shell(body: str, *tags: str, only: str = "") -> nbformat.NotebookNode:
    """A %%on controller cell (for the platforms in ``only``, if given)."""
    line = f"%%on controller --only {only}" if only else "%%on controller"
    return v4.new_code_cell(f"{line}\n{body}", metadata={"tags": list(tags)} if tags else {})
