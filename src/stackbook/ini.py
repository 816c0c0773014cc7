"""Pure INI edits: merge a fragment, as a guide shows it, into a config file's text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stackbook.errors import StackbookError

SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
KEY = re.compile(r"^\s*([A-Za-z0-9_.\-/]+)\s*[=:]")


@dataclass(frozen=True)
class Setting:
    """One ``key = value`` line of a fragment, in its section."""

    section: str
    key: str
    line: str


def parse_fragment(text: str) -> list[Setting]:
    """Pure: the settings of an INI fragment; keys before any section header are an error."""
    section: str | None = None
    found: list[Setting] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")) or line in {"...", "# ..."}:
            continue
        header = SECTION.match(line)
        if header:
            section = header.group(1).strip()
            continue
        key = KEY.match(line)
        if key is None:
            raise StackbookError(f"INI fragment line {number}: {raw!r} is not `key = value`")
        if section is None:
            raise StackbookError(f"INI fragment line {number}: {key.group(1)} comes before any [section]")
        found.append(Setting(section, key.group(1), f"{key.group(1)} = {line.split('=', 1)[1].strip()}"
                             if "=" in line else line))
    return found


def merge(existing: str, fragment: str) -> str:
    """Pure: ``existing`` with every setting of ``fragment`` set (replaced in place or added)."""
    lines = existing.splitlines()
    for setting in parse_fragment(fragment):
        lines = _set(lines, setting)
    return "\n".join(lines) + "\n"


def _set(lines: list[str], setting: Setting) -> list[str]:
    start, end = _section_span(lines, setting.section)
    if start is None:
        tail = [""] if lines and lines[-1].strip() else []
        return [*lines, *tail, f"[{setting.section}]", setting.line]
    for index in range(start + 1, end):
        match = KEY.match(lines[index])
        if match and match.group(1) == setting.key and not lines[index].lstrip().startswith(("#", ";")):
            return [*lines[:index], setting.line, *lines[index + 1:]]
    insert = end
    while insert > start + 1 and not lines[insert - 1].strip():
        insert -= 1
    return [*lines[:insert], setting.line, *lines[insert:]]


def _section_span(lines: list[str], name: str) -> tuple[int | None, int]:
    start: int | None = None
    for index, line in enumerate(lines):
        header = SECTION.match(line)
        if header and start is not None:
            return start, index
        if header and header.group(1).strip() == name:
            start = index
    return start, len(lines)


def summary(fragment: str) -> str:
    """Pure: a one-line account of what a fragment sets, e.g. ``[database] connection``."""
    sections: dict[str, list[str]] = {}
    for setting in parse_fragment(fragment):
        sections.setdefault(setting.section, []).append(setting.key)
    return "; ".join(f"[{s}] {', '.join(keys)}" for s, keys in sections.items())
