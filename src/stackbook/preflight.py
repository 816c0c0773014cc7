"""Checks before the first cell runs (pure): magic lines, roles, variables, INI fragments.

A run should not stop in its tenth cell for something visible in the runbook itself: a role
the inventory does not map, a ``$NAME`` nothing sets, an INI fragment that cannot be merged.
Each problem names the runbook, the cell as Jupyter numbers it (code cells, from 1) and the
line within the cell (the magic line is line 1).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from stackbook import ini, magicline
from stackbook.errors import StackbookError
from stackbook.steps import VARIABLE

# Set by bash or by login, not by the runbook.
ENVIRONMENT = frozenset({
    "HOME", "PATH", "PWD", "OLDPWD", "USER", "LOGNAME", "SHELL", "HOSTNAME", "HOSTTYPE", "OSTYPE",
    "RANDOM", "LINENO", "SECONDS", "UID", "EUID", "PPID", "IFS", "TERM", "LANG", "LC_ALL", "TMPDIR",
    "REPLY", "OPTARG", "OPTIND", "PIPESTATUS", "FUNCNAME", "GROUPS", "SHLVL", "EPOCHSECONDS",
})
NAME = r"[A-Za-z_][A-Za-z0-9_]*"
USE = re.compile(r"\$(?:\{!?(" + NAME + r")|(" + NAME + r"))")
ASSIGN = re.compile(
    r"(?:^|[\s;&|(])(?:(?:export|local|declare|readonly|typeset)(?:\s+-\w+)*\s+)?(" + NAME + r")\+?="
    r"|\bfor\s+(" + NAME + r")\s+in\b"
    r"|\bread\s+(?:-\w+\s+)*((?:" + NAME + r"\s*)+)"
    r"|\bgetopts\s+\S+\s+(" + NAME + r")"
)
HEREDOC = re.compile(r"<<-?\s*(['\"])(\w+)\1")
SOURCE = re.compile(r"(?:^|[\s;&|])(?:\.|source)\s+\S")


@dataclass(frozen=True)
class Problem:
    """Something in a runbook that would fail once it runs."""

    runbook: str
    cell: int
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.runbook}: cell {self.cell}, line {self.line}: {self.message}"


def expanded_text(body: str) -> Iterator[tuple[int, str]]:
    """Pure: each line of a bash body with what bash does not expand blanked out: single-quoted
    text, comments, and the bodies of quoted here-documents (``<<'EOF'``)."""
    ending: str | None = None
    quoted = False  # inside '...' across lines
    for number, line in enumerate(body.splitlines(), 1):
        if ending is not None:
            if line.strip() == ending:
                ending = None
            yield number, ""
            continue
        kept, double = [], False
        index = 0
        while index < len(line):
            char = line[index]
            if quoted:
                if char == "'":
                    quoted = False
            elif char == "\\":
                kept.append("  ")  # an escaped character, \$ included, is taken literally
                index += 2
                continue
            elif char == "'" and not double:
                quoted = True
            elif char == '"':
                double = not double
                kept.append(char)
            elif char == "#" and not double and (index == 0 or line[index - 1] in " \t;"):
                break
            else:
                kept.append(char)
            index += 1
        text = "".join(kept)
        heredoc = HEREDOC.search(line)
        if heredoc:
            ending = heredoc.group(2)
        yield number, text


def unset_names(body: str, parameters: Collection[str]) -> list[tuple[int, str]]:
    """Pure: (line, name) for each ``$NAME`` the body uses before anything sets it.

    Known: the parameters (exported before the body), bash's and login's own variables, names
    assigned earlier in the cell (``NAME=``, ``export``, ``local``, ``read``, ``for``), and the
    ``OS_*`` of an openrc file once the cell sources one. Each cell is a shell of its own: a
    name set in an earlier cell is not set here.
    """
    known = set(parameters) | ENVIRONMENT
    sourced = False
    found: list[tuple[int, str]] = []
    for number, text in expanded_text(body):
        sourced = sourced or bool(SOURCE.search(text))
        for match in ASSIGN.finditer(text):
            for group in match.groups():
                if group:
                    known.update(group.split())
        for match in USE.finditer(text):
            name = match.group(1) or match.group(2)
            if name in known or (sourced and name.startswith("OS_")):
                continue
            found.append((number, name))
            known.add(name)  # once per name
    return found


def check_cells(name: str, nb: NotebookNode, declared: Collection[str], mapped: Collection[str],
                parameters: Collection[str]) -> list[Problem]:
    """Pure: the problems in one runbook's cells, given its declared roles, the inventory's roles
    and the parameters it has."""
    found: list[Problem] = []
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        try:
            line = magicline.parse_cell(cell.source)
        except StackbookError as exc:
            found.append(Problem(name, number, 1, str(exc)))
            continue
        if line is None:
            continue
        found += _cell_problems(name, number, line, cell.source, declared, mapped, parameters)
    return found


def _role_problems(name: str, number: int, role: str, declared: Collection[str],
                   mapped: Collection[str]) -> list[Problem]:
    if role not in declared:
        return [Problem(name, number, 1, f"role {role!r} is not declared in the runbook's metadata "
                                         f"(stackbook.roles: {', '.join(declared) or 'none'})")]
    if role not in mapped:
        return [Problem(name, number, 1, f"role {role!r} has no target: add --target {role}=URL "
                                         "or an inventory line")]
    return []


def _cell_problems(name: str, number: int, line: magicline.MagicLine, source: str, declared: Collection[str],
                   mapped: Collection[str], parameters: Collection[str]) -> list[Problem]:
    found: list[Problem] = []
    body = source.split("\n", 1)[1] if "\n" in source else ""
    if line.kind == "copy":  # both ends need a host
        found += _role_problems(name, number, line.source_role, declared, mapped)
    found += _role_problems(name, number, line.role, declared, mapped)
    if line.kind == "copy":
        return found
    if line.kind == "on":
        for at, variable in unset_names(body, parameters):
            found.append(Problem(name, number, at + 1, f"${variable} is not a parameter and nothing in the cell "
                                                       "sets it before this line"))
        return found
    for at, text in enumerate(body.splitlines(), 1):
        for match in VARIABLE.finditer(text):
            if match.group(1) not in parameters:
                found.append(Problem(name, number, at + 1, f"${{{match.group(1)}}} is not a parameter of the runbook"))
    if line.kind == "ini":
        try:
            ini.parse_fragment(body)
        except StackbookError as exc:
            where = re.search(r"line (\d+)", str(exc))
            found.append(Problem(name, number, int(where.group(1)) + 1 if where else 1, str(exc)))
    return found


def check(path: Path, nb: NotebookNode, declared: Collection[str], mapped: Collection[str],
          parameters: Collection[str]) -> None:
    """Raise PreflightFailed listing every problem in the runbook, if there is any."""
    problems = check_cells(str(path), nb, declared, mapped, parameters)
    if problems:
        raise PreflightFailed(problems)


class PreflightFailed(StackbookError):
    """A runbook that would fail once it runs, found before anything ran."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"found before running anything (fix the runbook, or the inventory):\n{lines}")
