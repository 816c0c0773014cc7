"""Runbooks on disk: discovery, validation, metadata and order."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from stackbook.errors import NotebookError, StackbookError
from stackbook.notebooks import PARAMETERS, tags


@dataclass(frozen=True)
class Runbook:
    """A runbook's path and what its metadata and parameters cell declare."""

    name: str
    path: Path
    title: str
    requires: tuple[str, ...]
    roles: tuple[str, ...]
    parameters: dict[str, Any]


def read(path: Path) -> NotebookNode:
    """Read and validate a notebook, or NotebookError naming the file and the problem."""
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise NotebookError(path, "no such runbook") from None
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as exc:
        raise NotebookError(path, f"not a notebook (invalid JSON: {exc})") from None
    except Exception as exc:  # nbformat raises assorted errors on malformed files
        raise NotebookError(path, f"cannot read notebook: {exc}") from None
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise NotebookError(path, f"invalid notebook: {exc.message}") from None
    return nb


def parameters(nb: NotebookNode, path: Path) -> dict[str, Any]:
    """The parameters cell's names and literal defaults (None means: must be given)."""
    cells = [c for c in nb.cells if PARAMETERS in tags(c)]
    if len(cells) != 1:
        raise NotebookError(path, f"needs exactly one cell tagged 'parameters', found {len(cells)}")
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise NotebookError(path, f"parameters cell, line {exc.lineno}: {exc.msg}") from None
    found: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                raise NotebookError(path, f"parameters cell: {node.targets[0].id} needs a literal default") from None
    return found


def load(path: Path) -> Runbook:
    """A runbook with its declarations, validated."""
    nb = read(path)
    meta = nb.metadata.get("stackbook")
    if not isinstance(meta, dict) or "title" not in meta:
        raise NotebookError(path, "metadata has no 'stackbook' entry with a title (see docs/architecture.md)")
    if nb.metadata.get("kernelspec", {}).get("language", "python") != "python":
        raise NotebookError(path, "runbooks use a python kernel")
    return Runbook(
        name=path.stem, path=path, title=str(meta["title"]),
        requires=tuple(meta.get("requires", [])), roles=tuple(meta.get("roles", ["controller"])),
        parameters=parameters(nb, path),
    )


def discover(folder: Path) -> dict[str, Path]:
    """Every runbook in ``folder`` by name."""
    return {p.stem: p for p in sorted(folder.glob("*.ipynb")) if not p.name.startswith(".")}


def for_inventory(known: dict[str, Runbook], roles: Iterable[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Pure: the runbooks whose roles the inventory has (in ``known``'s order), and for each of
    the others the roles it lacks (a guide across two clouds needs a second host)."""
    have = set(roles)
    fits = [name for name, book in known.items() if set(book.roles) <= have]
    missing = {name: sorted(set(book.roles) - have) for name, book in known.items() if name not in fits}
    return fits, missing


def order(names: list[str], known: dict[str, Runbook], with_requires: bool) -> list[Runbook]:
    """Pure: the runbooks named, in dependency order (with their requirements if asked)."""
    done: list[str] = []

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if name in chain:
            raise StackbookError(f"runbooks require each other in a cycle: {' -> '.join((*chain, name))}")
        if name not in known:
            raise StackbookError(f"no runbook named {name!r}; known: {', '.join(sorted(known))}")
        for needed in known[name].requires:
            if with_requires or needed in names:
                visit(needed, (*chain, name))
        if name not in done:
            done.append(name)

    for name in names:
        visit(name, ())
    return [known[n] for n in done]
