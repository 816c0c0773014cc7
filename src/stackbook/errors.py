"""One error family: every message says what went wrong and what to do."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stackbook.process import Result


# How a run ended, and the exit status that says so (README: "Exit status").
PASSED = "passed"
FAILED_CHECK = "failed check"  # a step failed, timed out, or printed something else than the reference
BAD_INPUT = "bad input"  # a runbook, parameter, inventory, catalog or secrets file to fix
INFRASTRUCTURE = "infrastructure"  # a host, node, kernel, tool or disk that did not work
INTERRUPTED = "interrupted"  # Ctrl-C or SIGTERM
EXIT_STATUS = {PASSED: 0, FAILED_CHECK: 1, BAD_INPUT: 2, INFRASTRUCTURE: 3, INTERRUPTED: 130}


class StackbookError(Exception):
    """Base of every error stackbook raises on purpose."""

    kind = BAD_INPUT


def kind_of(exc: BaseException) -> str:
    """What kind of end an exception makes of a run."""
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED
    if isinstance(exc, StackbookError):
        return exc.kind
    return INFRASTRUCTURE  # a dead kernel, a full disk, anything else the run could not go on from


class CommandFailed(StackbookError):
    """A command exited non-zero; carries the result."""

    kind = INFRASTRUCTURE

    def __init__(self, result: Result, where: str = "") -> None:
        self.result = result
        self.where = where
        super().__init__(self._message())

    def _message(self) -> str:
        place = f" on {self.where}" if self.where else ""
        tail = self.result.tail(15)
        lines = [f"command failed{place} with exit code {self.result.rc}: {self.result.command}"]
        if tail:
            lines += ["last lines of output:", *("  " + line for line in tail)]
        return "\n".join(lines)


class TargetUnreachable(StackbookError):
    """The transport could not reach a host."""

    kind = INFRASTRUCTURE

    def __init__(self, target: str, detail: str) -> None:
        self.target = target
        super().__init__(
            f"cannot reach {target}: {detail.strip()}\n"
            "check that the host is up, the address and port are right, and that key-based "
            "login works (ssh -o BatchMode=yes ...)."
        )


class UnknownScheme(StackbookError):
    """A target URL with a scheme no backend handles."""

    def __init__(self, spec: str, valid: Iterable[str]) -> None:
        choices = ", ".join(f"{s}://" for s in sorted(valid))
        super().__init__(f"unknown target {spec!r}: use one of {choices}")


class InvalidTarget(StackbookError):
    """A target URL that cannot be parsed."""


class InventoryError(StackbookError):
    """An inventory file or --target option that cannot be used."""


class MissingTool(StackbookError):
    """A program stackbook needs is not installed."""

    kind = INFRASTRUCTURE

    def __init__(self, tool: str, package: str) -> None:
        self.tool = tool
        super().__init__(f"{tool} is not installed: apt-get install {package}")


class NotebookError(StackbookError):
    """A runbook that cannot be read or is not a valid runbook."""

    def __init__(self, path: object, detail: str) -> None:
        self.path = path
        super().__init__(f"{path}: {detail}")


class DataFileError(StackbookError):
    """A checked-in data file (such as runbooks/services.toml) that cannot be read or disagrees
    with the runbooks."""

    def __init__(self, path: object, detail: str) -> None:
        self.path = path
        super().__init__(f"{path}: {detail}")


class MissingParameter(StackbookError):
    """A runbook needs a parameter (or role) that was not given."""

    def __init__(self, notebook: object, name: str, hint: str) -> None:
        self.notebook = notebook
        self.name = name
        super().__init__(f"{notebook}: parameter {name} is required but not given; {hint}")


class NodeError(StackbookError):
    """A test node could not be created, reached or removed."""

    kind = INFRASTRUCTURE


class WeakSecret(StackbookError):
    """A secret too short to keep (or to find again in outputs)."""

    def __init__(self, name: str, length: int, minimum: int, origin: str) -> None:
        self.name = name
        super().__init__(
            f"{name} ({origin}) has {length} characters; secrets need at least {minimum}. Give a longer "
            f"one with -p {name}=VALUE (or in the parameters cell), or leave it out and stackbook "
            "generates one."
        )


class SecretsError(StackbookError):
    """A stored secrets file that cannot be read."""

    def __init__(self, path: object, detail: str) -> None:
        self.path = path
        super().__init__(
            f"{path}: cannot read the stored secrets ({detail}). Restore the file from a backup, or "
            "move it away to generate new ones: hosts already set up with the old passwords must then "
            "be set up again (or give each with -p NAME=VALUE)."
        )
