"""Pure transforms from a runbook to what a reader sees: magic lines become labels and lexers."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath

from nbformat import NotebookNode

from stackbook import magicline
from stackbook.errors import StackbookError

META = "stackbook"  # key of our per-cell rendering hints in cell metadata
LONG_OUTPUT_LINES = 30  # outputs longer than this are collapsed

# Lexer for a %%write cell's body, by the file's suffix or name.
LEXER_BY_SUFFIX: dict[str, str] = {
    ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".py": "python",
    ".cnf": "ini", ".conf": "ini", ".ini": "ini", ".cfg": "ini",
    ".sh": "bash", ".html": "html", ".xml": "xml", ".pem": "text", ".crt": "text",
}
LEXER_BY_NAME: dict[str, str] = {"openrc": "bash", "admin-openrc": "bash", "demo-openrc": "bash"}


@dataclass(frozen=True)
class Magic(magicline.MagicLine):
    """A cell's magic line (parsed by the kernel's own parser), with what the page needs of it."""

    @property
    def lexer(self) -> str:
        """The Pygments lexer for the cell's body."""
        if self.kind == "on":
            return "bash"
        if self.kind == "ini":
            return "ini"
        if self.kind == "copy":
            return "text"  # nothing to type: the label says what is copied where
        return lexer_for_path(self.path)


def lexer_for_path(path: str) -> str:
    """The lexer for a file written by ``%%write``: by name, then suffix, else plain text."""
    name = PurePosixPath(path).name
    if name in LEXER_BY_NAME or name.endswith("openrc"):
        return LEXER_BY_NAME.get(name, "bash")
    return LEXER_BY_SUFFIX.get(PurePosixPath(path).suffix, "text")


def parse_magic(source: str) -> Magic | None:
    """The cell magic on the first line of ``source``, or None for a plain python cell."""
    try:
        line = magicline.parse_cell(source)
    except StackbookError:
        return None  # the run reports a bad magic line with its usage; the page shows the cell as is
    if line is None:
        return None
    return Magic(**asdict(line))


def body(source: str) -> str:
    """The cell's text without its magic line."""
    return source.split("\n", 1)[1] if "\n" in source else ""


def output_lines(cell: NotebookNode) -> int:
    """How many lines of stream and text output a code cell carries."""
    count = 0
    for out in cell.get("outputs", []):
        text = out.get("text") or out.get("data", {}).get("text/plain", "")
        count += "".join(text).count("\n") if isinstance(text, list) else text.count("\n")
    return count


def _add_tags(cell: NotebookNode, *new: str) -> None:
    tags = list(cell.metadata.get("tags", []))
    cell.metadata["tags"] = tags + [t for t in new if t not in tags]


def _view_cell(cell: NotebookNode) -> None:
    source = cell.source
    if source.lstrip().startswith("%load_ext"):
        _add_tags(cell, "remove-input", "remove-output")
        return
    magic = parse_magic(source)
    if magic is not None:
        cell.source = body(source)
        cell.metadata[META] = {"kind": magic.kind, "role": magic.role, "path": magic.path,
                               "mode": magic.mode, "lexer": magic.lexer, "if_exists": magic.if_exists,
                               "only": list(magic.only), "source_role": magic.source_role,
                               "source_path": magic.source_path}
    elif "parameters" in cell.metadata.get("tags", []):
        cell.metadata[META] = {"kind": "parameters", "lexer": "python"}
    if output_lines(cell) > LONG_OUTPUT_LINES:
        _add_tags(cell, "hide-output")


def runbook_view(nb: NotebookNode) -> NotebookNode:
    """Pure: the notebook as a reader should see it (idempotent on an already viewed one)."""
    out = copy.deepcopy(nb)
    # MyST-NB would show other notebook metadata as a field list (and count it for translation);
    # the page header reads the runbook's metadata from the source instead.
    out.metadata.pop("stackbook", None)
    for cell in out.cells:
        if cell.cell_type == "code" and META not in cell.metadata:
            _view_cell(cell)
    return out
