"""Platforms by name, and the platform a host's os-release describes."""

from __future__ import annotations

import pytest

from stackbook import platforms
from stackbook.errors import StackbookError

TRIXIE = 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n'
SID = 'PRETTY_NAME="Debian GNU/Linux forky/sid"\nNAME="Debian GNU/Linux"\nVERSION_CODENAME=forky\nID=debian\n'
BOOKWORM = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n'
UBUNTU = 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\nVERSION_CODENAME=noble\n'


def test_default_is_debian_13() -> None:
    assert platforms.get().suite == "trixie"
    assert list(platforms.PLATFORMS) == ["debian-13", "debian-sid", "debian-12"]


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(platforms.UnknownPlatform, match="use one of debian-13, debian-sid, debian-12"):
        platforms.get("debian-11")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("debian-12", ("debian-12",)), ("debian-13, debian-sid", ("debian-13", "debian-sid"))],
)
def test_names(spec: str, expected: tuple[str, ...]) -> None:
    assert platforms.names(spec) == expected


@pytest.mark.parametrize("spec", ["", " , ", "debian-13,ubuntu"])
def test_bad_names(spec: str) -> None:
    with pytest.raises(StackbookError):
        platforms.names(spec)


@pytest.mark.parametrize(("text", "name"), [(TRIXIE, "debian-13"), (SID, "debian-sid"), (BOOKWORM, "debian-12")])
def test_from_os_release(text: str, name: str) -> None:
    assert platforms.from_os_release(text).name == name


def test_other_systems_are_named_in_the_error() -> None:
    with pytest.raises(StackbookError, match=r"Ubuntu 24\.04\.1 LTS"):
        platforms.from_os_release(UBUNTU)


def test_sid_relaxes_release_dates_only() -> None:
    assert [p.name for p in platforms.PLATFORMS.values() if p.relax_dates] == ["debian-sid"]
