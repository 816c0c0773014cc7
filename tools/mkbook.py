"""Author a runbook from a plain text outline (one-time scaffolding; the .ipynb is the source).

Outline format: a first line of JSON (the notebook's ``stackbook`` metadata), then blocks
that each start with a line ``--- md`` or ``--- code [tag ...]``.
Usage: python tools/mkbook.py OUTLINE RUNBOOK.ipynb
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbformat import v4


def build(text: str) -> nbformat.NotebookNode:
    """The notebook an outline describes."""
    head, _, body = text.partition("\n")
    nb = v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "stackbook": json.loads(head),
    }
    for block in body.split("\n--- ")[1:] if body.startswith("--- ") is False else ("\n" + body).split("\n--- ")[1:]:
        kind_line, _, content = block.partition("\n")
        words = kind_line.split()
        content = content.strip("\n")
        if words[0] == "md":
            nb.cells.append(v4.new_markdown_cell(content))
        else:
            cell = v4.new_code_cell(content)
            if words[1:]:
                cell.metadata["tags"] = words[1:]
            nb.cells.append(cell)
    return nb


if __name__ == "__main__":
    notebook = build(Path(sys.argv[1]).read_text())
    nbformat.validate(notebook)
    nbformat.write(notebook, sys.argv[2])
