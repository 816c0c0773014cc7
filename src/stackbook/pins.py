"""Package pins on a test node: an older version of a package held for one run, so that two runs
in a row differ in that package (how the nightly's drift report is checked)."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping

from stackbook.errors import CommandFailed, StackbookError
from stackbook.targets import Target

PREFERENCES = "/etc/apt/preferences.d/stackbook-pins"
ENV = "STACKBOOK_PIN"  # PACKAGE=VERSION ..., as `stackbook node up --pin` takes them


class PinError(StackbookError):
    """A pin that is not PACKAGE=VERSION, or a version the node's apt sources do not have."""


def parse(pairs: Iterable[str]) -> dict[str, str]:
    """Pure: ``PACKAGE=VERSION`` strings to a package -> version mapping."""
    pins: dict[str, str] = {}
    for pair in pairs:
        package, sep, version = pair.partition("=")
        if not sep or not package or not version or any(c.isspace() for c in pair):
            raise PinError(f"--pin {pair!r}: write PACKAGE=VERSION, with a version that "
                           "`apt-cache madison PACKAGE` lists on the node")
        pins[package] = version
    return pins


def preferences(pins: Mapping[str, str]) -> str:
    """Pure: an apt preferences file that holds each package at its version (priority 1001:
    installed even where a newer one is available)."""
    return "\n".join(f"Package: {package}\nPin: version {version}\nPin-Priority: 1001\n"
                     for package, version in sorted(pins.items()))


def candidates(policy: str) -> dict[str, str]:
    """Pure: package -> candidate version from the output of ``apt-cache policy PACKAGE...``."""
    found: dict[str, str] = {}
    package = ""
    for line in policy.splitlines():
        if line and not line[0].isspace() and line.endswith(":"):
            package = line[:-1]
        elif line.strip().startswith("Candidate:") and package:
            found[package] = line.split(":", 1)[1].strip()
    return found


def apply(target: Target, pins: Mapping[str, str]) -> None:
    """Write the pins on ``target`` and check that apt would install each pinned version."""
    if not pins:
        return
    wrote = target.run("sh", "-c", f"cat > {PREFERENCES}", input=preferences(pins))
    if not wrote.ok:
        raise CommandFailed(wrote, target.url)
    names = " ".join(shlex.quote(p) for p in sorted(pins))
    policy = target.run("sh", "-c", f"apt-get update -qq >/dev/null && apt-cache policy {names}")
    if not policy.ok:
        raise CommandFailed(policy, target.url)
    found = candidates(policy.stdout)
    wrong = [f"{p} {v} (apt would install {found.get(p) or 'nothing'})"
             for p, v in sorted(pins.items()) if found.get(p) != v]
    if wrong:
        raise PinError(f"{target.url} has no such version in its apt sources: {'; '.join(wrong)}. "
                       "`apt-cache madison PACKAGE` on the node lists the versions it has")
