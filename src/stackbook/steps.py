"""What the runbook cell magics do, testable without a kernel."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping

from stackbook import ini
from stackbook.errors import CommandFailed, MissingParameter
from stackbook.process import Result
from stackbook.targets import Target

VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
Echo = Callable[[str], None]


def script(body: str, variables: Mapping[str, str]) -> str:
    """Pure: the bash program sent on stdin: strict mode, the variables, then the cell body."""
    exports = "".join(f"export {name}={shlex.quote(value)}\n" for name, value in sorted(variables.items()))
    return f"set -euo pipefail\nexec 2>&1\n{exports}{body.rstrip()}\n"


def shell(target: Target, where: str, body: str, variables: Mapping[str, str], echo: Echo) -> Result:
    """Run a cell body with ``bash -euo pipefail`` on ``target``; CommandFailed if it fails."""
    result = target.run("bash", "-s", input=script(body, variables), on_line=echo)
    if not result.ok:
        failed = Result(_first_line(body), result.rc, result.stdout, result.stderr)
        raise CommandFailed(failed, where=where)
    return result


def _first_line(body: str) -> str:
    lines = [line for line in body.strip().splitlines() if line.strip()]
    return lines[0] + (" ..." if len(lines) > 1 else "") if lines else "(empty cell)"


def expand(text: str, variables: Mapping[str, str], where: str) -> str:
    """Pure: replace ``${NAME}`` with the parameter's value; an unknown name is an error."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise MissingParameter(where, name, f"define {name} in the parameters cell")
        return variables[name]

    return VARIABLE.sub(value, text)


WRITE = 'set -eu; f=$1; mode=$2; mkdir -p "$(dirname "$f")"; t="$f.stackbook-new"; ' \
        '[ -e "$f" ] && cp -p "$f" "$t"; cat > "$t"; [ -n "$mode" ] && chmod "$mode" "$t"; mv "$t" "$f"'


def write(target: Target, where: str, path: str, text: str, mode: str = "") -> None:
    """Write ``text`` to ``path`` on the target, keeping owner and mode, atomically."""
    result = target.run("bash", "-c", WRITE, "write", path, mode, input=text)
    if not result.ok:
        raise CommandFailed(result, where=where)


def read(target: Target, path: str) -> str:
    """A file's text on the target, empty if it does not exist."""
    result = target.run("bash", "-c", '[ ! -e "$1" ] || cat "$1"', "read", path)
    if not result.ok:
        raise CommandFailed(result)
    return result.stdout


def ini_merge(target: Target, where: str, path: str, fragment: str) -> str:
    """Merge an INI fragment into ``path`` on the target; returns a one-line account."""
    current = read(target, path)
    merged = ini.merge(current, fragment)
    if merged != current:
        write(target, where, path, merged)
        return f"{path}: set {ini.summary(fragment)}"
    return f"{path}: already set {ini.summary(fragment)}"
