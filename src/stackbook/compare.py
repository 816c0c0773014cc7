"""Compare executed outputs with the stored reference, the way nbval does, readably."""

from __future__ import annotations

import configparser
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from stackbook import magicline, platforms
from stackbook.errors import StackbookError
from stackbook.notebooks import first_line, marked, output_text, without_injected

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


def parse_rules(text: str, source: str = "sanitize.cfg") -> Rules:
    """Pure: nbval sanitizer sections (``regex:`` and ``replace:``) as compiled rules."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=source)
        return [
            (re.compile(parser[name]["regex"], re.MULTILINE), parser[name]["replace"])
            for name in parser.sections()
        ]
    except (configparser.Error, KeyError, re.error) as exc:
        raise StackbookError(f"{source}: bad sanitizer rule ({exc}); each section needs regex: and replace:") from None


def load_rules(path: Path) -> Rules:
    """The checked-in sanitizer rules."""
    return parse_rules(path.read_text(), str(path))


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
    try:
        line = magicline.parse_cell(source)
    except StackbookError:
        return True
    return line is None or (line.applies_to(run_platform) and line.applies_to(reference_platform))


def compare(
    name: str, reference: NotebookNode, executed: NotebookNode, rules: Rules, platform: str = platforms.DEFAULT
) -> list[Difference]:
    """Pure: differences in cells marked for checking (nbval's lax mode).

    A step for some releases only is compared when both this run's platform and the
    reference's are among them: otherwise one of the two did not run it.
    """
    stored = reference_platform(reference)
    expected_cells = without_injected(reference).cells
    actual_cells = without_injected(executed).cells
    if len(expected_cells) != len(actual_cells):
        return [Difference(name, 0, "", f"{len(actual_cells)} cells ran, reference has {len(expected_cells)}")]
    found = []
    for index, (expected, actual) in enumerate(zip(expected_cells, actual_cells, strict=True)):
        if expected.cell_type != "code" or not marked(expected, "check") or marked(expected, "skip"):
            continue
        if not comparable(expected.source, platform, stored):
            continue
        want = sanitize(output_text(expected), rules)
        got = sanitize(output_text(actual), rules)
        if want != got:
            diff = "".join(difflib.unified_diff(
                want.splitlines(keepends=True), got.splitlines(keepends=True),
                "reference", "this run", lineterm="\n",
            ))
            found.append(Difference(name, index, first_line(expected), diff))
    return found
