"""The one place that runs subprocesses."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shlex
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO

from stackbook.errors import CommandFailed, MissingTool

# Programs stackbook runs, and the Debian package that provides each.
PACKAGES: Mapping[str, str] = {
    "ssh": "openssh-client",
    "ssh-keygen": "openssh-client",
    "ip": "iproute2",
    "unshare": "util-linux",
    "mmdebstrap": "mmdebstrap",
    "apt-cacher-ng": "apt-cacher-ng",
    "bash": "bash",
}


@dataclass(frozen=True)
class Result:
    """What a finished command left behind."""

    command: str
    rc: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        """True when the command exited 0."""
        return self.rc == 0

    def tail(self, count: int = 10) -> list[str]:
        """The last ``count`` lines of stdout and stderr together."""
        lines = (self.stdout.rstrip("\n") + "\n" + self.stderr.rstrip("\n")).strip("\n")
        return lines.splitlines()[-count:] if lines else []


def require(tool: str) -> str:
    """The full path of ``tool``, or MissingTool naming the package to install."""
    found = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")
    if found is None:
        raise MissingTool(tool, PACKAGES.get(tool, tool))
    return found


def run(
    argv: Sequence[str],
    *,
    input: str | None = None,
    timeout: float | None = None,
    check: bool = False,
    display: str | None = None,
    on_line: Callable[[str], None] | None = None,
    hold_stdin: bool = False,
) -> Result:
    """Run ``argv`` to completion and return its Result.

    ``display`` is how the command is shown in results and errors (so a transport
    can show the remote command, not the ssh wrapper); ``on_line`` receives stdout
    lines as they arrive, for progress on long work. ``hold_stdin`` keeps the command's
    stdin open after ``input`` until it ends: the far side of a transport can tell that
    this side went away (its stdin reaches end of file) and stop what it runs.

    The command runs in its own process group and dies with this process. A command that
    outlives ``timeout``, or this process being interrupted (Ctrl-C), stops the whole group
    the way nox does: SIGINT, then SIGTERM, then SIGKILL, each after a grace period.
    A timeout gives exit code 124 and says so in the output; an interrupt is raised again.
    """
    shown = display if display is not None else shlex.join(argv)
    argv = [require(argv[0]), *argv[1:]]
    rc, out, err = _run(argv, input, timeout, on_line, hold_stdin)
    result = Result(shown, rc, out, err)
    if check and not result.ok:
        raise CommandFailed(result)
    return result


TIMED_OUT = 124
GRACE = (("SIGINT", 2.0), ("SIGTERM", 3.0))  # then SIGKILL


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Child side: SIGTERM when the process that started it dies (a killed kernel or run)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def end_with(holder: int) -> None:
    """This process gets SIGTERM (an interrupt: it stops what it runs and records why) when
    ``holder``, its parent, ends, however it ends; if the holder is gone already, at once."""
    if os.getppid() != holder:
        return  # not started by the holder itself: its death is not ours to watch
    _die_with_parent()
    if os.getppid() != holder:  # the holder ended before the signal was asked for
        os.kill(os.getpid(), signal.SIGTERM)


def stop(proc: subprocess.Popen[str]) -> None:
    """Stop a command started here and everything in its process group: interrupt, terminate, kill."""
    for name, grace in GRACE:
        if not _signal_group(proc.pid, getattr(signal, name)):
            return
        try:
            proc.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    _signal_group(proc.pid, signal.SIGKILL)  # whatever of the group is left
    proc.wait()


def _signal_group(pid: int, sig: int) -> bool:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _run(
    argv: list[str], input: str | None, timeout: float | None,
    on_line: Callable[[str], None] | None, hold_stdin: bool,
) -> tuple[int, str, str]:
    streamed = on_line is not None
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT if streamed else subprocess.PIPE,
        text=True, encoding="utf-8", errors="replace", start_new_session=True, preexec_fn=_die_with_parent,
    )
    out: list[str] = []
    err: list[str] = []
    streams = [(proc.stdout, out, on_line), *([(proc.stderr, err, None)] if proc.stderr else [])]
    readers = [(threading.Thread(target=_drain, args=job, daemon=True), job[0]) for job in streams]
    try:
        for reader, _ in readers:
            reader.start()
        if input is not None and proc.stdin is not None:
            _feed(proc.stdin, input, close=not hold_stdin)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop(proc)
            rc = TIMED_OUT
            err.append(f"\ntimed out after {timeout:g} s")
    except BaseException:
        stop(proc)
        raise
    finally:
        _close(proc, readers)
    if rc == TIMED_OUT and streamed:
        out.append(err.pop())
    return rc, "".join(out), "".join(err)


def _close(proc: subprocess.Popen[str], readers: list[tuple[threading.Thread, IO[str] | None]]) -> None:
    """Close stdin, let the readers reach the end of the output, close what they read."""
    if proc.stdin is not None and not proc.stdin.closed:
        with contextlib.suppress(OSError):
            proc.stdin.close()
    for reader, stream in readers:
        reader.join(timeout=5)  # a daemon the command left behind may hold the pipe open
        if stream is not None and not reader.is_alive():
            stream.close()


def _feed(stdin: IO[str], text: str, close: bool) -> None:
    try:
        stdin.write(text)
        stdin.flush()
        if close:
            stdin.close()
    except BrokenPipeError:
        pass  # the command ended without reading all of it; its exit code says how it went


def _drain(stream: IO[str] | None, into: list[str], on_line: Callable[[str], None] | None) -> None:
    if stream is None:
        return
    for line in stream:
        into.append(line)
        if on_line is not None:
            on_line(line.rstrip("\n"))


# Background processes started here, kept so Python reaps them instead of warning.
_SPAWNED: list[subprocess.Popen[bytes]] = []


def spawn(argv: Sequence[str], *, log: str) -> int:
    """Start a long-lived background process with output to ``log``; return its pid."""
    argv = [require(argv[0]), *argv[1:]]
    with open(log, "ab") as sink:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _SPAWNED[:] = [p for p in _SPAWNED if p.poll() is None]
    _SPAWNED.append(proc)
    return proc.pid


def reap(pid: int, timeout: float = 5) -> None:
    """Wait for a process started by ``spawn`` to end (after it was told to stop)."""
    for proc in [p for p in _SPAWNED if p.pid == pid]:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
        _SPAWNED.remove(proc)


def _text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode(errors="replace")
