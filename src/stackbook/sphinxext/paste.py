"""Commands that paste safely: the lines a reader types to set a runbook's parameters by hand,
and the guard that stops a step when a parameter it uses is not set.

In an interactive shell a failed ``${NAME:?message}`` only abandons the command it is part
of: pasted on a line of its own, the lines after it would still run. So the guard and the
step are one command, ``guard && { step }``, and nothing of the step runs when the guard fails.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stackbook import secrets
from stackbook.magics import INVENTORY_VAR
from stackbook.sphinxext.labels import label

REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")  # $NAME, ${NAME}, ${NAME:-...}
# Characters that end, expand or are removed from the message inside "${NAME:?message}" (bash
# removes quotes there, single ones included, even inside the double quotes).
SPECIAL = re.compile(r"""([\\"'$`}])""")


@dataclass(frozen=True)
class Parameter:
    """A parameter a reader sets in their shell: its default, or "" when they must give one."""

    name: str
    default: str
    secret: bool


def settable(parameters: Mapping[str, Any]) -> list[Parameter]:
    """Pure: the parameters a step's shell sees (as the kernel exports them), in the cell's order.

    Secrets never keep a default; INVENTORY names the hosts for the kernel, not for a shell.
    """
    found = []
    for name, value in parameters.items():
        if not name.isupper() or name.startswith("_") or name == INVENTORY_VAR:
            continue
        if value is not None and not isinstance(value, (str, int, float)):
            continue
        secret = secrets.is_secret(name)
        found.append(Parameter(name, "" if secret or value is None else str(value), secret))
    return found


def export_line(parameter: Parameter, lang: str) -> str:
    """Pure: ``export NAME=value``; an empty value to fill in between quotes, with what to put there."""
    if parameter.default:
        return f"export {parameter.name}={shlex.quote(parameter.default)}"
    hint = label(lang, "secret_placeholder" if parameter.secret else "value_placeholder",
                 length=str(secrets.MIN_LENGTH))
    return f"export {parameter.name}=''  # {hint}"


def exports(parameters: Sequence[Parameter], lang: str) -> str:
    """Pure: the block that sets every parameter in the reader's shell."""
    return "\n".join(export_line(p, lang) for p in parameters)


def used(body: str, parameters: Sequence[Parameter]) -> list[str]:
    """Pure: the parameters a step's shell code refers to, in the parameters cell's order."""
    names = set(REFERENCE.findall(body))
    return [p.name for p in parameters if p.name in names]


def guard(name: str, lang: str) -> str:
    """Pure: the command that fails, saying what to do, when ``name`` is unset or empty."""
    message = SPECIAL.sub(r"\\\1", label(lang, "guard", name=name))
    return f': "${{{name}:?{message}}}"'


def guarded(body: str, names: Sequence[str], lang: str) -> str:
    """Pure: the step as a reader pastes it: a guard per parameter, then the step, as one command."""
    if not names:
        return body
    checks = " &&\n".join(guard(name, lang) for name in names)
    return f"{checks} && {{\n{body.rstrip()}\n}}"
