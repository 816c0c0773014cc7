"""Compare executed outputs with the stored reference, the way nbval does, readably."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from stackbook import magicline, platforms
from stackbook.errors import StackbookError
from stackbook.notebooks import (
    PLATFORM_OUTPUTS,
    first_line,
    marked,
    output_text,
    platform_outputs,
    without_injected,
)

Rules = list[tuple[re.Pattern[str], str]]


@dataclass(frozen=True)
class Difference:
    """One checked cell whose output differs from the reference."""

    runbook: str
    cell: int
    source: str
    diff: str

    def __str__(self) -> str:
        return f"{self.runbook}, cell {self.cell} ({self.source}):\n{self.diff}"


# nbval's own grammar for --nbval-sanitize-with (nbval.plugin.get_sanitize_patterns): a line
# "regex: PATTERN" directly followed by a line "replace: TEXT", each applied with re.sub and no
# flags, in file order, the last of two identical patterns winning. Everything else is a comment.
RULE = re.compile(r"^regex: (.*)$\n^replace: (.*)$", re.MULTILINE)


def parse_rules(text: str, source: str = "sanitize.cfg") -> Rules:
    """Pure: the rules nbval reads from ``text``, compiled, or the line nbval would drop.

    stackbook reads the file exactly as nbval does, so the nightly's nbval pass and
    ``stackbook run`` compare alike; a line nbval would skip silently is an error here.
    """
    pairs = dict(RULE.findall(text))
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        following = lines[number] if number < len(lines) else ""
        if line.startswith("regex:") and not (line.startswith("regex: ") and following.startswith("replace: ")):
            raise StackbookError(f"{source}:{number}: nbval reads a rule only as 'regex: PATTERN' directly "
                                 "followed by 'replace: TEXT' (one space after each colon; for an empty "
                                 "replacement capture an empty group and write replace: \\1)")
        if line.startswith("replace:") and (number == 1 or not lines[number - 2].startswith("regex: ")):
            raise StackbookError(f"{source}:{number}: replace: without the regex: line right above it")
    rules = []
    for pattern, replacement in pairs.items():
        try:
            compiled = re.compile(pattern)
            compiled.sub(replacement, "")  # a bad group reference in the replacement fails here
        except re.error as exc:
            number = next(i for i, line in enumerate(lines, 1) if line == f"regex: {pattern}")
            raise StackbookError(f"{source}:{number}: bad rule ({exc})") from None
        rules.append((compiled, replacement))
    return rules


def load_rules(path: Path) -> Rules:
    """The checked-in sanitizer rules; none when the runbooks folder has no such file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise StackbookError(f"{path}: cannot read the sanitizer rules ({exc})") from None
    return parse_rules(text, str(path))


HOST_PARAMETER = "CONTROLLER_HOST"
DEFAULT_HOST = "controller"  # the host name the stored outputs were made with


def host_rules(parameters: Mapping[str, str]) -> Rules:
    """Pure: a rule that writes a controller's own host name (``-p CONTROLLER_HOST=...``) as the
    name the stored outputs use, so a run on a host called otherwise compares (and stores) alike."""
    name = parameters.get(HOST_PARAMETER, "")
    if not name or name == DEFAULT_HOST:
        return []
    return [(re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w-])"), DEFAULT_HOST)]


def sanitize(text: str, rules: Rules) -> str:
    """Pure: ``text`` with every rule applied in order."""
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text


def reference_platform(reference: NotebookNode) -> str:
    """The platform the stored outputs come from."""
    return str(reference.metadata.get("stackbook", {}).get("reference", {}).get("platform", platforms.DEFAULT))


def comparable(source: str, run_platform: str, reference_platform: str) -> bool:
    """Pure: False for a step restricted to releases that exclude this run's or the reference's."""
    line = _line(source)
    return line is None or (line.applies_to(run_platform) and line.applies_to(reference_platform))


def checked(cell: NotebookNode) -> bool:
    """Whether a cell's output is compared at all (nbval's lax mode: marked, not skipped)."""
    return cell.cell_type == "code" and marked(cell, "check") and not marked(cell, "skip")


def expected_text(cell: NotebookNode, platform: str, stored: str) -> str | None:
    """Pure: what a checked cell should print on ``platform``: its own stored output for that
    platform, else the reference's when both ran the step, else None (nothing to compare)."""
    own = platform_outputs(cell)
    if platform != stored and platform in own:
        return own[platform]
    return output_text(cell) if comparable(cell.source, platform, stored) else None


def compare(
    name: str, reference: NotebookNode, executed: NotebookNode, rules: Rules, platform: str = platforms.DEFAULT
) -> list[Difference]:
    """Pure: differences in cells marked for checking (nbval's lax mode).

    A cell is compared with the output stored for this run's platform when there is one
    (a release that prints something else), else with the reference. A step for some releases
    only is compared when both platforms are among them: otherwise one of the two did not run it.
    """
    stored = reference_platform(reference)
    expected_cells = without_injected(reference).cells
    actual_cells = without_injected(executed).cells
    if len(expected_cells) != len(actual_cells):
        return [Difference(name, 0, "", f"{len(actual_cells)} cells ran, reference has {len(expected_cells)}")]
    found = []
    for index, (expected, actual) in enumerate(zip(expected_cells, actual_cells, strict=True)):
        if not checked(expected):
            continue
        text = expected_text(expected, platform, stored)
        if text is None:
            continue
        want = sanitize(text, rules)
        got = sanitize(output_text(actual), rules)
        if want != got:
            diff = "".join(difflib.unified_diff(
                want.splitlines(keepends=True), got.splitlines(keepends=True),
                "reference", "this run", lineterm="\n",
            ))
            found.append(Difference(name, index, first_line(expected), diff))
    return found


def with_platform_outputs(
    reference: NotebookNode, executed: NotebookNode, platform: str, rules: Rules, publish: Rules
) -> NotebookNode:
    """Pure: ``reference`` with this platform's output stored on each checked cell whose output
    differs from the reference (after ``rules``), and dropped where it no longer differs.

    The reference's own outputs (what the site shows first) are not touched: they come from the
    reference platform only. Stored text goes through ``publish`` like every published output.
    """
    stored = reference_platform(reference)
    if platform == stored:
        raise StackbookError(f"{platform} is the reference platform: its outputs are the reference itself")
    out = copy.deepcopy(reference)
    ran = without_injected(executed).cells
    if len(ran) != len(out.cells):
        raise StackbookError(f"executed notebook has {len(ran)} cells, the runbook has {len(out.cells)}")
    for cell, actual in zip(out.cells, ran, strict=True):
        line = _line(cell.source)
        if not checked(cell) or (line is not None and not line.applies_to(platform)):
            continue
        own = platform_outputs(cell)
        got = output_text(actual)
        same = comparable(cell.source, platform, stored) and (
            sanitize(output_text(cell), rules) == sanitize(got, rules))
        if same:
            own.pop(platform, None)
        else:
            own[platform] = sanitize(got, publish)
        if own:
            cell.metadata[PLATFORM_OUTPUTS] = dict(sorted(own.items()))
        else:
            cell.metadata.pop(PLATFORM_OUTPUTS, None)
    return out


def _line(source: str) -> magicline.MagicLine | None:
    """The cell's magic line; None for a plain cell or one the kernel will reject when it runs."""
    try:
        return magicline.parse_cell(source)
    except StackbookError:
        return None
