"""What the runbook cell magics do, testable without a kernel."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping

from stackbook import ini
from stackbook.errors import CommandFailed, MissingParameter
from stackbook.process import Result
from stackbook.targets import Target

FAILED = "__stackbook_failed__"
VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
Echo = Callable[[str], None]


def script(body: str, variables: Mapping[str, str]) -> str:
    """Pure: the bash program sent on stdin: strict mode, the variables, then the cell body.

    The body runs as one group with stdin from /dev/null: bash parses the whole group
    before running it, so a command that reads stdin cannot swallow the rest of the cell.
    """
    exports = "".join(f"export {name}={shlex.quote(value)}\n" for name, value in sorted(variables.items()))
    preamble = f"set -eEuo pipefail\nexec 2>&1\n{exports}{{\n"
    # $LINENO in the ERR trap is the failing line of this program; minus the trap's and the
    # preamble's lines it is the body's line (the cell's is one more: its first is the magic).
    offset = preamble.count("\n") + 1
    trap = f"trap 'echo \"{FAILED} $? $((LINENO - {offset})) $BASH_COMMAND\"' ERR\n"
    return f"{trap}{preamble}{body.rstrip()}\n}} </dev/null\n"


# On the target: read the cell's program (its length in bytes is $1) from stdin, run it in a
# session of its own, and watch stdin. stackbook holds stdin open while the step runs; when it
# closes early (the run was interrupted or timed out, its kernel or ssh connection died), the
# program's whole process group is stopped: SIGINT, then SIGTERM, then SIGKILL. Program and
# watcher have sessions of their own, so stopping this wrapper's process group spares both.
# The program holds the cell's variables, secrets among them: its first line removes its file
# (bash reads on from the open file), so a wrapper killed mid-step (ssh hung up, SIGKILL)
# leaves none behind. It goes on that line, before the trap: the line numbers stay the cell's.
SUPERVISE = """set -u
program=$(mktemp /tmp/stackbook-step.XXXXXX)
{ printf 'rm -f -- "$0"; '; head -c "$1"; } > "$program"
exec 3<&0
setsid bash "$program" </dev/null &
step=$!
setsid bash -c 'cat >/dev/null
    for sig in INT TERM KILL; do kill -s "$sig" -- "-$1" 2>/dev/null || break; sleep 2; done' \
    stackbook-watch "$step" <&3 >/dev/null 2>&1 &
watch=$!
exec 3<&-
rc=0
wait "$step" || rc=$?
kill "$watch" 2>/dev/null || true
rm -f "$program"
exit "$rc"
"""


# Before a run, on each target (as root, where dpkg exists): finish a package installation that
# an earlier run left half-done when it was killed, after waiting at most $1 s for one that still
# runs to release dpkg's lock. Prints what it did; nothing when there was nothing to do.
SETTLE = r"""set -u
[ "$(id -u)" = 0 ] && command -v dpkg >/dev/null || exit 0
deadline=$((SECONDS + $1))
repaired=no
while ! out=$(dpkg --configure -a 2>&1); do
    case $out in
    *lock*)
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "$out"; echo "dpkg is still locked after $1 s: another installation runs"; exit 1
        fi
        sleep 2 ;;
    *)
        [ "$repaired" = no ] || { echo "$out"; exit 1; }
        repaired=yes
        echo "$out"
        DEBIAN_FRONTEND=noninteractive apt-get -f install -y -q -o DPkg::Lock::Timeout="$1" 2>&1 ;;
    esac
done
printf '%s' "$out"
"""


def settle(target: Target, limit: int = 300) -> str:
    """Finish what an interrupted installation left on ``target`` (see SETTLE); its account."""
    result = target.run("bash", "-c", SETTLE, "stackbook-settle", str(limit), timeout=limit + 600)
    if not result.ok:
        raise CommandFailed(result, where=f"{target.url} (finishing an interrupted package installation)")
    return result.stdout.strip()


def shell(target: Target, where: str, body: str, variables: Mapping[str, str], echo: Echo) -> Result:
    """Run a cell body with ``bash -euo pipefail`` on ``target``; CommandFailed if it fails.

    The program stops on the target when this side goes away (see SUPERVISE): an interrupted
    or timed-out step leaves nothing running there.
    """
    def shown(line: str) -> None:
        if not line.startswith(FAILED):
            echo(line)

    program = script(body, variables)
    size = str(len(program.encode()))
    result = target.run("bash", "-c", SUPERVISE, "stackbook-step", size, input=program, on_line=shown,
                        hold_stdin=True)
    output, command, line = failed_command(result.stdout)
    if not result.ok:
        place = f"{where}, line {line + 1} of the cell" if line else where
        raise CommandFailed(Result(command or body.strip(), result.rc, output, result.stderr), where=place)
    return Result(result.command, result.rc, output, result.stderr)


def failed_command(output: str) -> tuple[str, str, int]:
    """Pure: the output without the ERR-trap lines, the first command that failed and its line
    in the body (1-based; 0 when unknown)."""
    kept: list[str] = []
    failed: list[str] = []
    for line in output.splitlines(keepends=True):
        (failed if line.startswith(FAILED) else kept).append(line)
    parts = failed[0].rstrip("\n").split(" ", 3) if failed else []
    if len(parts) < 4 or not parts[2].lstrip("-").isdigit():
        return "".join(kept), "", 0
    return "".join(kept), parts[3].strip(), max(int(parts[2]), 0)


def expand(text: str, variables: Mapping[str, str], where: str) -> str:
    """Pure: replace ``${NAME}`` with the parameter's value; an unknown name is an error."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise MissingParameter(where, name, f"define {name} in the parameters cell")
        return variables[name]

    return VARIABLE.sub(value, text)


# The new text goes into a file that already has its final mode (the old file's, or MODE): a
# secret written with --mode 600 is never readable by others, not even for a moment.
WRITE = 'set -eu; f=$1; mode=$2; mkdir -p "$(dirname "$f")"; t="$f.stackbook-new"; umask 077; ' \
        'if [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"; chmod 644 "$t"; fi; ' \
        '[ -z "$mode" ] || chmod "$mode" "$t"; cat > "$t"; mv "$t" "$f"'


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


def exists(target: Target, path: str) -> bool:
    """Whether ``path`` exists on the target."""
    return target.run("test", "-e", path).ok


def ini_merge(target: Target, where: str, path: str, fragment: str, if_exists: bool = False) -> str:
    """Merge an INI fragment into ``path`` on the target; returns a one-line account.

    With ``if_exists``, a missing file is left missing: the service it configures is not installed.
    """
    if if_exists and not exists(target, path):
        return f"{path}: not present, nothing to set"
    current = read(target, path)
    merged = ini.merge(current, fragment)
    if merged != current:
        write(target, where, path, merged)
        return f"{path}: set {ini.summary(fragment)}"
    return f"{path}: already set {ini.summary(fragment)}"
