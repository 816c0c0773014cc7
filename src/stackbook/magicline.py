"""The runbook cell magics' first line, parsed once for the kernel, the site and the benchmark."""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass
from typing import NoReturn

from stackbook import platforms
from stackbook.errors import StackbookError

KINDS = ("on", "ini", "write", "copy")


@dataclass(frozen=True)
class MagicLine:
    """``%%on ROLE``, ``%%ini ROLE PATH [--if-exists]``, ``%%write ROLE PATH [--mode M]`` or
    ``%%copy ROLE PATH --from ROLE:PATH [--mode M]`` (a file from one host to another).

    Each takes ``--only PLATFORM[,PLATFORM]``: the step is for those releases only.
    """

    kind: str
    role: str
    path: str = ""
    mode: str = ""
    if_exists: bool = False
    only: tuple[str, ...] = ()
    source_role: str = ""  # %%copy: where the file comes from
    source_path: str = ""

    def applies_to(self, platform: str) -> bool:
        """Whether the step runs on ``platform``."""
        return not self.only or platform in self.only


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing to stderr and exiting (a kernel must not exit)."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def _parser(kind: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=f"%%{kind}", add_help=False, exit_on_error=False)
    parser.add_argument("role")
    if kind in ("ini", "write", "copy"):
        parser.add_argument("path")
    if kind == "ini":
        parser.add_argument("--if-exists", action="store_true")
    if kind in ("write", "copy"):
        parser.add_argument("--mode", default="")
    if kind == "copy":
        parser.add_argument("--from", dest="source", required=True, metavar="ROLE:PATH")
    parser.add_argument("--only", default="", metavar="PLATFORM[,PLATFORM]")
    return parser


def parse(kind: str, line: str) -> MagicLine:
    """Pure: the arguments after ``%%KIND``, or an error with the usage line."""
    if kind not in KINDS:
        raise StackbookError(f"%%{kind}: not a runbook magic; use one of {', '.join('%%' + k for k in KINDS)}")
    parser = _parser(kind)
    try:
        args = parser.parse_args(shlex.split(line))
        only = platforms.names(args.only) if args.only else ()
        source_role, _, source_path = getattr(args, "source", "").partition(":")
        if kind == "copy" and not (source_role and source_path.startswith("/")):
            raise ValueError(f"--from {args.source!r}: give the role and the absolute path, ROLE:/path")
    except (argparse.ArgumentError, SystemExit, ValueError, StackbookError) as exc:
        usage = parser.format_usage().strip().removeprefix("usage: ")
        raise StackbookError(f"%%{f'{kind} {line}'.strip()}: {exc}; usage: {usage}") from None
    return MagicLine(kind, args.role, getattr(args, "path", ""), getattr(args, "mode", ""),
                     getattr(args, "if_exists", False), only, source_role, source_path)


def parse_cell(source: str) -> MagicLine | None:
    """Pure: the magic on a cell's first line, or None for a cell without one of ours."""
    first = source.split("\n", 1)[0].strip()
    if not first.startswith("%%"):
        return None
    kind, _, rest = first[2:].partition(" ")
    return parse(kind, rest) if kind in KINDS else None
