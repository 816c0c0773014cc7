from __future__ import annotations

import os
import signal
import stat
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from stackbook import process, steps
from stackbook.errors import CommandFailed, MissingParameter
from stackbook.polling import wait_until
from stackbook.targets import LocalTarget

LOCAL = LocalTarget()


def run(body: str, variables: dict[str, str] | None = None) -> tuple[str, list[str]]:
    seen: list[str] = []
    result = steps.shell(LOCAL, "controller (local://)", body, variables or {}, seen.append)
    return result.stdout, seen


def test_shell_streams_lines_and_exports_variables() -> None:
    out, seen = run('echo "region $REGION"; echo err >&2', {"REGION": "RegionOne"})
    assert out == "region RegionOne\nerr\n"
    assert seen == ["region RegionOne", "err"]


def test_failure_names_the_failing_command_and_stops() -> None:
    with pytest.raises(CommandFailed) as caught:
        run("echo one\ngrep -q nothing /dev/null\necho never")
    message = str(caught.value)
    assert "exit code 1: grep -q nothing /dev/null" in message
    # The cell's line: its first line is the magic (%%on controller), the body's second line is 3.
    assert "controller (local://), line 3 of the cell" in message
    assert "never" not in caught.value.result.stdout
    assert steps.FAILED not in caught.value.result.stdout


@pytest.mark.parametrize(
    ("variables", "body", "line"),
    [({}, "false", 2),
     ({"MULTI": "one\ntwo\nthree", "B": "b"}, "true\n\nif true; then\n  ls /nonexistent\nfi", 5),
     ({}, "for i in 1; do\n  echo $i\n  test $i = 2\ndone", 4)],
)
def test_failure_names_the_line_of_the_cell(variables: dict[str, str], body: str, line: int) -> None:
    with pytest.raises(CommandFailed, match=f"line {line} of the cell"):
        run(body, variables)


def test_pipefail_and_unset_variables_fail() -> None:
    with pytest.raises(CommandFailed):
        run("false | cat")
    with pytest.raises(CommandFailed):
        run("echo $NOT_DEFINED_ANYWHERE")


def test_command_reading_stdin_cannot_swallow_the_cell() -> None:
    out, _ = run("cat\necho after")
    assert out == "after\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a = ${X}", "a = 1"), ("a = $X", "a = $X"), ("u = mysql://k:${X}@${Y}/k", "u = mysql://k:1@h/k"),
     ("flavor = %(tenant_id)s", "flavor = %(tenant_id)s")],
)
def test_expand(text: str, expected: str) -> None:
    assert steps.expand(text, {"X": "1", "Y": "h"}, "cell") == expected


def test_expand_unknown_variable_names_it() -> None:
    with pytest.raises(MissingParameter, match="HEAT_PASS"):
        steps.expand("password = ${HEAT_PASS}", {}, "%%ini controller /etc/heat/heat.conf")


def test_ini_merge_keeps_mode_and_reports(tmp_path: Path) -> None:
    conf = tmp_path / "k.conf"
    conf.write_text("[database]\n#connection =\n")
    conf.chmod(0o640)
    account = steps.ini_merge(LOCAL, "here", str(conf), "[database]\nconnection = x\n")
    assert account == f"{conf}: set [database] connection"
    assert conf.read_text() == "[database]\n#connection =\nconnection = x\n"
    assert stat.S_IMODE(conf.stat().st_mode) == 0o640
    assert steps.ini_merge(LOCAL, "here", str(conf), "[database]\nconnection = x\n").startswith(f"{conf}: already")


def test_ini_merge_if_exists_leaves_a_missing_file_missing(tmp_path: Path) -> None:
    conf = tmp_path / "heat" / "heat.conf"
    account = steps.ini_merge(LOCAL, "here", str(conf), "[clients]\nca_file = /ca.crt\n", if_exists=True)
    assert account == f"{conf}: not present, nothing to set"
    assert not conf.exists() and not conf.parent.exists()
    conf.parent.mkdir()
    conf.write_text("[clients]\n")
    assert steps.ini_merge(LOCAL, "here", str(conf), "[clients]\nca_file = /ca.crt\n", if_exists=True) \
        == f"{conf}: set [clients] ca_file"
    assert conf.read_text() == "[clients]\nca_file = /ca.crt\n"


def test_write_new_file_with_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "admin-openrc"
    steps.write(LOCAL, "here", str(path), "export OS_USERNAME=admin\n", "600")
    assert path.read_text() == "export OS_USERNAME=admin\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(path.parent.glob("*.stackbook-new"))


@pytest.mark.parametrize("existing", [True, False])
def test_a_secret_is_never_readable_by_others_while_it_is_written(tmp_path: Path, existing: bool) -> None:
    path = tmp_path / "admin-openrc"
    if existing:
        path.write_text("export OS_USERNAME=admin\n")
        path.chmod(0o644)
    temp = path.with_name(path.name + ".stackbook-new")
    child = subprocess.Popen(["bash", "-c", steps.WRITE, "write", str(path), "600"], stdin=subprocess.PIPE)
    assert child.stdin is not None
    child.stdin.write(b"export OS_PASSWORD=")
    child.stdin.flush()
    assert wait_until(lambda: temp.exists() and b"OS_PASSWORD" in temp.read_bytes(), timeout=5, every=0.01)
    assert stat.S_IMODE(temp.stat().st_mode) == 0o600  # while the secret is being written
    child.stdin.write(b"not-for-others\n")
    child.stdin.close()
    assert child.wait(timeout=5) == 0
    assert path.read_text() == "export OS_PASSWORD=not-for-others\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_new_file_without_a_mode_is_readable_as_before(tmp_path: Path) -> None:
    path = tmp_path / "site.conf"
    steps.write(LOCAL, "here", str(path), "Listen 13000\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@dataclass(frozen=True)
class Detached:
    """Runs the command in a session of its own, as sshd does on a remote host: stopping the
    local process (the ssh client) does not signal it; only its stdin closing tells it."""

    url: str = "detached://"

    def run(self, command: str, *args: str, **options: Any) -> process.Result:
        return process.run(["setsid", "-w", command, *args], **options)


def test_an_interrupted_step_leaves_nothing_running_on_the_target(tmp_path: Path) -> None:
    # The step ignores SIGINT and SIGTERM and starts a child: after Ctrl-C both are gone.
    marker = tmp_path / "still-running"
    body = f"trap '' INT TERM\n(sleep 60; touch {marker}) &\necho $! $$\nwait"
    seen: list[str] = []
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        steps.shell(Detached(), "controller (detached://)", body, {}, seen.append)
    pids = [int(p) for p in seen[0].split()]
    wait_until(lambda: not any(_alive(p) for p in pids), timeout=15, every=0.2)
    assert not any(_alive(p) for p in pids), f"still running: {pids}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
    return state != "Z"
