"""Facts read from a target: platform, OpenStack series, package versions."""

from __future__ import annotations

import pytest

from stackbook import facts
from stackbook.errors import StackbookError
from stackbook.targets import LocalTarget

TRIXIE = 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n'
SID = 'PRETTY_NAME="Debian GNU/Linux forky/sid"\nVERSION_CODENAME=forky\nID=debian\n'
SEP = facts.SEPARATOR + "\n"


@pytest.mark.parametrize(
    ("output", "platform", "debian", "openstack"),
    [
        (f"{TRIXIE}{SEP}13.2\n{SEP}keystone 2:27.0.0-3 installed\napache2 2.4.65-2 installed\n"
         "glance-api 2:30.0.0-1 not-installed\n",
         "debian-13", "13", "2025.1"),
        (f"{SID}{SEP}forky/sid\n{SEP}keystone 2:30.0.0-1 installed\n", "debian-sid", "forky/sid", "2026.2"),
        (f"{TRIXIE}{SEP}13.2\n{SEP}", "debian-13", "13", ""),  # before keystone is installed
    ],
)
def test_parse(output: str, platform: str, debian: str, openstack: str) -> None:
    found = facts.parse(output)
    assert (found.platform, found.debian, found.openstack) == (platform, debian, openstack)
    assert "glance-api" not in found.packages


def test_label() -> None:
    found = facts.parse(f"{TRIXIE}{SEP}13.2\n{SEP}keystone 2:27.0.0-3 installed\n")
    assert found.label == "Debian 13 · OpenStack 2025.1 Epoxy"
    assert found.as_dict()["packages"] == {"keystone": "2:27.0.0-3"}


def test_garbage_is_a_clear_error() -> None:
    with pytest.raises(StackbookError, match="reading the target's platform"):
        facts.parse("sh: cat: not found\n")


def test_measure_this_host() -> None:
    found = facts.measure(LocalTarget())
    assert found.platform.startswith("debian-") and found.packages.get("python3")
