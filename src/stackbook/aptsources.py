"""The host's own apt sources, read at run time, to build nodes of any suite from the same mirror."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from stackbook.errors import NodeError
from stackbook.platforms import DEBIAN_CODENAMES, Platform

OVERRIDE_ENV = "STACKBOOK_APT_SOURCES"


@dataclass(frozen=True)
class Source:
    """One ``deb URI SUITE COMPONENTS`` line."""

    uri: str
    suite: str
    components: tuple[str, ...]

    def line(self) -> str:
        """The one-line sources.list form."""
        return f"deb {self.uri} {self.suite} {' '.join(self.components)}"


def parse_one_line(text: str) -> list[Source]:
    """Pure: sources from the classic one-line format (``deb [opts] URI SUITE COMP...``)."""
    found: list[Source] = []
    for raw in text.splitlines():
        words = raw.split("#", 1)[0].split()
        if len(words) < 3 or words[0] != "deb":
            continue
        if words[1].startswith("["):
            while words and not words[1].endswith("]"):
                words.pop(1)
            words.pop(1)
        found.append(Source(words[1], words[2], tuple(words[3:]) or ("main",)))
    return found


def parse_deb822(text: str) -> list[Source]:
    """Pure: sources from the deb822 ``.sources`` format."""
    found: list[Source] = []
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        for raw in stanza.splitlines():
            if raw.startswith("#") or ":" not in raw or raw[:1].isspace():
                continue
            key, _, value = raw.partition(":")
            fields[key.strip().lower()] = value.strip()
        if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes") == "no":
            continue
        comps = tuple(fields.get("components", "main").split())
        for uri in fields.get("uris", "").split():
            found += [Source(uri, suite, comps) for suite in fields.get("suites", "").split()]
    return found


def host_sources(platform: Platform, root: Path = Path("/")) -> list[Source]:
    """The host's Debian sources (or $STACKBOOK_APT_SOURCES) with the suite set to ``platform``'s."""
    override = os.environ.get(OVERRIDE_ENV)
    if override:
        sources = parse_one_line(override.replace(";", "\n"))
    else:
        sources = _read_all(root / "etc/apt")
    wanted = for_platform(sources, platform)
    if not wanted:
        raise NodeError(
            f"no Debian apt source found in /etc/apt to derive {platform.label}'s from: set {OVERRIDE_ENV}="
            f"'deb URI {platform.suite} main' to the mirror to use"
        )
    return wanted


def for_platform(sources: list[Source], platform: Platform) -> list[Source]:
    """Pure: Debian sources re-aimed at ``platform``'s suite; pockets it lacks are dropped.

    ``bookworm-security`` on the host becomes ``trixie-security``; unstable has no
    ``-updates`` or ``-security``, so for it only the main archive is kept.
    """
    found: list[Source] = []
    for source in sources:
        base, _, pocket = source.suite.partition("-")
        if base not in DEBIAN_CODENAMES or (pocket and pocket not in platform.pockets):
            continue
        derived = Source(source.uri, f"{platform.suite}-{pocket}" if pocket else platform.suite, source.components)
        if derived not in found:
            found.append(derived)
    return found


def _read_all(etc_apt: Path) -> list[Source]:
    sources: list[Source] = []
    main = etc_apt / "sources.list"
    if main.exists():
        sources += parse_one_line(main.read_text())
    parts = etc_apt / "sources.list.d"
    for path in sorted(parts.glob("*.list")) if parts.is_dir() else []:
        sources += parse_one_line(path.read_text())
    for path in sorted(parts.glob("*.sources")) if parts.is_dir() else []:
        sources += parse_deb822(path.read_text())
    return sources
