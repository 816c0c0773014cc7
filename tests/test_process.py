from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from stackbook import process
from stackbook.errors import CommandFailed, MissingTool
from stackbook.polling import wait_until


def test_result_ok_and_tail() -> None:
    result = process.run(["sh", "-c", "printf 'a\\nb\\nc\\n'; echo e >&2"])
    assert result.ok and result.tail(2) == ["c", "e"]


def test_check_raises_with_command_and_output() -> None:
    with pytest.raises(CommandFailed, match=r"exit code 4: sh -c 'echo boom; exit 4'[\s\S]*boom"):
        process.run(["sh", "-c", "echo boom; exit 4"], check=True)


def test_missing_tool_names_the_package() -> None:
    with pytest.raises(MissingTool, match="apt-get install no-such-tool-here"):
        process.run(["no-such-tool-here"])


def test_timeout_is_exit_124() -> None:
    result = process.run(["sleep", "5"], timeout=0.2)
    assert result.rc == 124 and "timed out" in result.stderr


def test_streamed_lines() -> None:
    seen: list[str] = []
    result = process.run(["sh", "-c", "echo 1; echo 2"], on_line=seen.append)
    assert seen == ["1", "2"] and result.stdout == "1\n2\n"


def test_streamed_command_honours_its_timeout_and_keeps_its_output() -> None:
    seen: list[str] = []
    began = time.monotonic()
    result = process.run(["sh", "-c", "echo started; sleep 60"], timeout=0.5, on_line=seen.append)
    assert time.monotonic() - began < 10
    assert result.rc == 124 and seen == ["started"]
    assert result.stdout.startswith("started\n") and "timed out after 0.5 s" in result.stdout


def _gone(pid: int, within: float = 5.0) -> bool:
    """True once `pid` no longer runs: absent, or a zombie waiting for PID 1 to reap it.

    An orphan is reparented to PID 1, which on some machines (a VM's init, a container's
    shell) reaps late or never, so a killed process may linger as a zombie.
    """
    def ended() -> bool:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
        except FileNotFoundError:
            return True

    return wait_until(ended, within, 0.05)


def test_stop_escalates_to_kill_and_takes_the_whole_group() -> None:
    # The command ignores SIGINT and SIGTERM and leaves a child behind: both must be gone.
    seen: list[str] = []
    result = process.run(["bash", "-c", "trap '' INT TERM; sleep 60 & echo $!; wait"], timeout=0.5,
                         on_line=seen.append)
    assert result.rc == 124
    assert _gone(int(seen[0]))


def test_interrupt_stops_the_command_and_is_raised_again() -> None:
    seen: list[str] = []
    # Ctrl-C: SIGINT to this process once the command has started.
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        process.run(["sh", "-c", "echo $$; sleep 60"], on_line=seen.append, timeout=30)
    assert time.monotonic() - began < 10
    assert _gone(int(seen[0]))


def test_held_stdin_still_delivers_the_input() -> None:
    result = process.run(["sh", "-c", "head -c 5; echo"], input="hello world", hold_stdin=True, timeout=10)
    assert result.ok and result.stdout == "hello\n"


def test_a_command_tied_to_its_holder_ends_when_the_holder_is_killed(tmp_path: Path) -> None:
    # bash is the holder: it starts a child that ties itself to bash, then bash is killed outright.
    child = ("import os, sys, time\nfrom stackbook import process\nprocess.end_with(os.getppid())\n"
             "print('tied', flush=True)\ntime.sleep(60)\n")
    script = tmp_path / "child.py"
    script.write_text(child)
    out = tmp_path / "out"
    holder = process.spawn(["bash", "-c", f'"{sys.executable}" {script} > {out} & echo $! > {tmp_path}/pid; wait'],
                           log=str(tmp_path / "log"))
    assert wait_until(lambda: out.exists() and "tied" in out.read_text(), timeout=20, every=0.05)
    pid = int((tmp_path / "pid").read_text())
    os.kill(holder, signal.SIGKILL)
    process.reap(holder)
    assert wait_until(lambda: not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
                      .rsplit(")", 1)[1].split()[0], timeout=10, every=0.05), "the child outlived its holder"


def test_a_command_not_started_by_the_holder_is_left_alone() -> None:
    process.end_with(1 if os.getppid() != 1 else 2)  # not our parent: nothing happens to us
