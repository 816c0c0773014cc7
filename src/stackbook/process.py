"""The one place that runs subprocesses."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

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
) -> Result:
    """Run ``argv`` to completion and return its Result.

    ``display`` is how the command is shown in results and errors (so a transport
    can show the remote command, not the ssh wrapper); ``on_line`` receives stdout
    lines as they arrive, for progress on long work.
    """
    shown = display if display is not None else shlex.join(argv)
    argv = [require(argv[0]), *argv[1:]]
    if on_line is None:
        done = _run_captured(argv, input, timeout)
    else:
        done = _run_streamed(argv, input, timeout, on_line)
    result = Result(shown, done[0], done[1], done[2])
    if check and not result.ok:
        raise CommandFailed(result)
    return result


def _run_captured(argv: list[str], input: str | None, timeout: float | None) -> tuple[int, str, str]:
    try:
        done = subprocess.run(
            argv, input=input, capture_output=True, text=True, timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL, errors="replace",
        )
    except subprocess.TimeoutExpired as exc:
        return 124, _text(exc.stdout), _text(exc.stderr) + f"\ntimed out after {timeout} s"
    return done.returncode, done.stdout, done.stderr


def _run_streamed(
    argv: list[str], input: str | None, timeout: float | None, on_line: Callable[[str], None]
) -> tuple[int, str, str]:
    out: list[str] = []
    with subprocess.Popen(
        argv, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
    ) as proc:
        if input is not None and proc.stdin is not None:
            proc.stdin.write(input)
            proc.stdin.close()
        if proc.stdout is not None:
            for line in proc.stdout:
                out.append(line)
                on_line(line.rstrip("\n"))
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = 124
    return rc, "".join(out), ""


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
