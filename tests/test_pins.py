"""Package pins: parsing, the preferences file, apt's answer; on a real node, a pin that holds and
one that cannot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from stackbook import cli, node, pins
from stackbook.pins import PinError

POLICY = """\
python3-django:
  Installed: (none)
  Candidate: 3:4.2.28-0+deb13u2
  Version table:
     3:4.2.30-0+deb13u1 500
        500 http://mirror.invalid/debian-security trixie-security/main amd64 Packages
     3:4.2.28-0+deb13u2 1001
        500 http://mirror.invalid/debian trixie/main amd64 Packages
openssl:
  Installed: 3.5.9-1~deb13u1
  Candidate: 3.5.10-1~deb13u1
"""


def test_pins_are_package_equals_version() -> None:
    assert pins.parse(["python3-django=3:4.2.28-0+deb13u2", "openssl=3.5.9-1~deb13u1"]) == {
        "python3-django": "3:4.2.28-0+deb13u2", "openssl": "3.5.9-1~deb13u1"}
    for bad in ("python3-django", "=1.0", "python3-django=", "a b=1"):
        with pytest.raises(PinError, match="write PACKAGE=VERSION"):
            pins.parse([bad])


def test_preferences_hold_each_package_above_any_newer_version() -> None:
    assert pins.preferences({"openssl": "3.5.9-1~deb13u1", "python3-django": "3:4.2.28-0+deb13u2"}) == (
        "Package: openssl\nPin: version 3.5.9-1~deb13u1\nPin-Priority: 1001\n\n"
        "Package: python3-django\nPin: version 3:4.2.28-0+deb13u2\nPin-Priority: 1001\n")


def test_candidates_are_read_from_apt_cache_policy() -> None:
    assert pins.candidates(POLICY) == {"python3-django": "3:4.2.28-0+deb13u2", "openssl": "3.5.10-1~deb13u1"}


@pytest.mark.node
def test_a_pin_holds_on_a_node_and_one_it_cannot_hold_leaves_no_node(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() != 0:
        pytest.fail("test nodes need root") if os.environ.get("CI") else pytest.skip("test nodes need root")
    monkeypatch.setenv("STACKBOOK_STATE", str(tmp_path / "state"))
    refused = CliRunner().invoke(cli.main, ["node", "up", "pinned", "--pin", "python3-django=0.0-none"])
    assert refused.exit_code == 2, refused.output
    assert "python3-django 0.0-none (apt would install 3:" in refused.output
    assert "`apt-cache madison PACKAGE` on the node lists" in refused.output
    assert node.all_nodes() == []
    made = node.up("pinned")
    try:
        target = node.target_for(made)
        oldest = target.run("sh", "-c", "apt-get update -qq && apt-cache madison python3-django | tail -n 1")
        version = oldest.stdout.split("|")[1].strip()
        pins.apply(target, {"python3-django": version})
        chosen = target.run("sh", "-c", "apt-get install -s python3-django | grep '^Inst python3-django '")
        assert f"({version} " in chosen.stdout, chosen.stdout
    finally:
        node.down("pinned")
