"""Targets: where runbook commands run, named by URL and resolved from a registry."""

from __future__ import annotations

import os
import shlex
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from stackbook import process
from stackbook.errors import InvalidTarget, TargetUnreachable, UnknownScheme
from stackbook.process import Result

CONNECT_TIMEOUT = 5
OnLine = Callable[[str], None]


class Target(Protocol):
    """Anything that can run a command and return its Result."""

    @property
    def url(self) -> str:
        """The URL this target was resolved from."""
        ...

    def run(
        self, command: str, *args: str, input: str | None = None, on_line: OnLine | None = None,
        hold_stdin: bool = False, timeout: float | None = None,
    ) -> Result:
        """Run ``command`` with ``args`` (quoted), feeding ``input``; ``on_line`` sees output.

        ``hold_stdin`` keeps stdin open until the command ends, so the command can notice when
        this side goes away; ``timeout`` bounds it (exit code 124).
        """
        ...


# A command that sees a private copy of /etc/hosts: a mount namespace of its own, so this
# machine's /etc/hosts is never touched (Tempest and local steps reach test nodes by name so).
WITH_HOSTS = 'mount --bind "$1" /etc/hosts && shift && exec "$@"'


def with_hosts_argv(hosts_path: str, argv: Sequence[str]) -> list[str]:
    """Pure: ``argv`` run with ``hosts_path`` mounted over /etc/hosts, for that command only."""
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", WITH_HOSTS, "stackbook-hosts",
            hosts_path, *argv]


def hosts_text(current: str, names: Sequence[tuple[str, str]]) -> str:
    """Pure: /etc/hosts text ``current`` with each (name, address) added, earlier lines for the name dropped."""
    drop = {name for name, _ in names}
    kept = [line for line in current.splitlines() if not drop & set(line.split()[1:])]
    return "\n".join([*kept, *(f"{address}\t{name}" for name, address in names)]) + "\n"


@dataclass(frozen=True)
class LocalTarget:
    """Runs commands on this machine; ``hosts`` are (name, address) pairs it cannot resolve
    itself (test nodes), which its commands then resolve through a private /etc/hosts."""

    url: str = "local://"
    hosts: tuple[tuple[str, str], ...] = ()

    def run(
        self, command: str, *args: str, input: str | None = None, on_line: OnLine | None = None,
        hold_stdin: bool = False, timeout: float | None = None,
    ) -> Result:
        """Run the command here."""
        argv = [command, *args]
        if not self.hosts:
            return process.run(argv, input=input, on_line=on_line, hold_stdin=hold_stdin, timeout=timeout)
        with tempfile.NamedTemporaryFile("w", prefix="stackbook-hosts.") as hosts:
            hosts.write(hosts_text(Path("/etc/hosts").read_text(), self.hosts))
            hosts.flush()
            return process.run(with_hosts_argv(hosts.name, argv), input=input, display=shlex.join(argv),
                               on_line=on_line, hold_stdin=hold_stdin, timeout=timeout)


def control_dir() -> Path:
    """Where ssh keeps its shared connections (short path: sockets have a length limit)."""
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or "/tmp") / f"stackbook-ssh-{os.getuid()}"
    base.mkdir(mode=0o700, exist_ok=True)
    return base


@dataclass(frozen=True)
class SshTarget:
    """Runs commands over the OpenSSH client, reusing one connection."""

    url: str
    host: str
    user: str = "root"
    port: int = 22
    options: tuple[str, ...] = field(default=())

    def argv(self, remote: str, *, tty: bool = False) -> list[str]:
        """The ssh command line that runs the already-quoted ``remote`` command."""
        return build_ssh_argv(self.host, self.user, self.port, self.options, remote, tty=tty)

    def run(
        self, command: str, *args: str, input: str | None = None, on_line: OnLine | None = None,
        hold_stdin: bool = False, timeout: float | None = None,
    ) -> Result:
        """Run the command on the remote host; an ssh failure raises TargetUnreachable."""
        remote = shlex.join([command, *args])
        result = process.run(self.argv(remote), input=input, display=remote, on_line=on_line,
                             hold_stdin=hold_stdin, timeout=timeout)
        if result.rc == 255 and _is_ssh_error(result.stderr or result.stdout):
            raise TargetUnreachable(self.url, (result.stderr or result.stdout)[-500:])
        return result


def build_ssh_argv(
    host: str, user: str, port: int, options: Sequence[str], remote: str, *, tty: bool = False
) -> list[str]:
    """Pure: the ssh argv for one remote command."""
    argv = [
        "ssh", "-o", "BatchMode=yes", "-o", f"ConnectTimeout={CONNECT_TIMEOUT}",
        "-o", "ControlMaster=auto", "-o", f"ControlPath={control_dir()}/%C",
        "-o", "ControlPersist=60", "-o", "ServerAliveInterval=15",
        "-o", "LogLevel=ERROR", "-p", str(port), *options,
    ]
    argv += ["-t"] if tty else ["-T"]
    return [*argv, f"{user}@{host}", "--", *([remote] if remote else [])]


_SSH_ERRORS = (
    "ssh: connect to host", "Could not resolve hostname", "Connection refused",
    "Connection timed out", "No route to host", "Permission denied",
    "Host key verification failed", "Connection closed by", "kex_exchange_identification",
)


def _is_ssh_error(stderr: str) -> bool:
    return any(marker in stderr for marker in _SSH_ERRORS)


def _local(spec: str) -> Target:
    parts = urlsplit(spec)
    if parts.netloc or parts.path.strip("/"):
        raise InvalidTarget(f"{spec!r}: local:// takes no host or path; write just local://")
    return LocalTarget()


def _ssh(spec: str) -> Target:
    parts = urlsplit(spec)
    if not parts.hostname:
        raise InvalidTarget(f"{spec!r}: ssh targets need a host, e.g. ssh://root@controller:22")
    try:
        port = parts.port or 22
    except ValueError as exc:
        raise InvalidTarget(f"{spec!r}: bad port ({exc})") from None
    return SshTarget(spec, parts.hostname, parts.username or "root", port)


def _node(spec: str) -> Target:
    from stackbook.node import node_target

    name = urlsplit(spec).netloc
    if not name:
        raise InvalidTarget(f"{spec!r}: name the node, e.g. node://controller")
    return node_target(name)


BACKENDS: Mapping[str, Callable[[str], Target]] = {
    "local": _local,
    "ssh": _ssh,
    "node": _node,
}


def parse_target(spec: str) -> Target:
    """Resolve a target URL (``local://``, ``ssh://user@host:port``, ``node://NAME``)."""
    scheme, sep, _ = spec.partition("://")
    if not sep:
        raise InvalidTarget(f"{spec!r} is not a target URL: write e.g. ssh://root@{spec}")
    backend = BACKENDS.get(scheme)
    if backend is None:
        raise UnknownScheme(spec, BACKENDS)
    return backend(spec)
