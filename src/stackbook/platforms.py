"""Platforms: the Debian releases a test node is made from, and the OpenStack series they ship."""

from __future__ import annotations

from dataclasses import dataclass

from stackbook.errors import StackbookError

DEFAULT = "debian-13"


@dataclass(frozen=True)
class Platform:
    """A Debian suite a test node is built from."""

    name: str  # debian-13: what users type and what runbooks name in --only
    suite: str  # trixie: the apt suite
    label: str  # Debian 13: what pages show
    pockets: tuple[str, ...]  # apt suites beside the release ("updates", "security")
    codenames: tuple[str, ...]  # os-release VERSION_CODENAME values that mean this platform
    relax_dates: bool = False  # accept a Release file past its Valid-Until (snapshot mirrors)
    ships: str = ""  # the OpenStack series its packages were measured at (runs record what they find)


PLATFORMS: dict[str, Platform] = {
    p.name: p for p in (
        Platform("debian-13", "trixie", "Debian 13", ("updates", "security"), ("trixie",), ships="2025.1"),
        # os-release on unstable names the next release (forky): testing and unstable both say so.
        Platform("debian-sid", "sid", "Debian unstable", (), ("sid", "forky"), relax_dates=True, ships="2026.2"),
        Platform("debian-12", "bookworm", "Debian 12", ("updates", "security"), ("bookworm",), ships="2022.2"),
    )
}
# Every Debian codename apt sources may name on a host (to find its Debian mirrors).
DEBIAN_CODENAMES = frozenset({"buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid",
                              "stable", "testing", "unstable", "oldstable"})


class UnknownPlatform(StackbookError):
    """A platform name no test node can be made from."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown platform {name!r}: use one of {', '.join(PLATFORMS)}")


def get(name: str | None = None) -> Platform:
    """The platform called ``name`` (the default when None)."""
    try:
        return PLATFORMS[name or DEFAULT]
    except KeyError:
        raise UnknownPlatform(str(name)) from None


def names(spec: str) -> tuple[str, ...]:
    """Pure: a comma-separated list of platform names, each checked."""
    found = tuple(part.strip() for part in spec.split(",") if part.strip())
    for name in found:
        get(name)
    if not found:
        raise StackbookError(f"no platform named in {spec!r}: use one or more of {', '.join(PLATFORMS)}")
    return found


def os_release(text: str) -> dict[str, str]:
    """Pure: /etc/os-release as a dict, quotes removed."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and not key.startswith("#"):
            found[key.strip()] = value.strip().strip("\"'")
    return found


def from_os_release(text: str) -> Platform:
    """Pure: the platform a host's /etc/os-release describes, or an error saying what it is."""
    fields = os_release(text)
    codename = fields.get("VERSION_CODENAME", "")
    if fields.get("ID") == "debian":
        for platform in PLATFORMS.values():
            if codename in platform.codenames:
                return platform
    pretty = fields.get("PRETTY_NAME") or "an unknown system"
    raise StackbookError(
        f"the target runs {pretty}: the runbooks are verified on {', '.join(p.label for p in PLATFORMS.values())}; "
        "use one of those for the controller"
    )
