from __future__ import annotations

import stat
from pathlib import Path

import pytest

from stackbook import secrets


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ADMIN_PASS", True), ("KEYSTONE_DBPASS", True), ("RABBIT_PASS", True), ("OS_PASSWORD", True),
     ("METADATA_SECRET", True), ("REGION", False), ("INVENTORY", False), ("admin_pass", False),
     ("PASSAGE", False)],
)
def test_is_secret(name: str, expected: bool) -> None:
    assert secrets.is_secret(name) is expected


def test_resolve_generates_once_and_keeps(tmp_path: Path) -> None:
    store = tmp_path / "s" / "inv.json"
    first = secrets.resolve(store, ["ADMIN_PASS", "DEMO_PASS"], {})
    assert len(first["ADMIN_PASS"]) == 24 and first["ADMIN_PASS"] != first["DEMO_PASS"]
    assert secrets.resolve(store, ["ADMIN_PASS"], {}) == {"ADMIN_PASS": first["ADMIN_PASS"]}
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_given_value_wins_and_is_kept(tmp_path: Path) -> None:
    store = tmp_path / "inv.json"
    secrets.resolve(store, ["ADMIN_PASS"], {})
    assert secrets.resolve(store, ["ADMIN_PASS"], {"ADMIN_PASS": "chosen-one"})["ADMIN_PASS"] == "chosen-one"
    assert secrets.load(store)["ADMIN_PASS"] == "chosen-one"


def test_scrub_longest_first_and_tokens() -> None:
    values = {"A_PASS": "abcd", "B_PASS": "abcdef"}
    token = "gAAAAAB" + "x" * 120
    text = f"abcdef abcd id {token} end"
    assert secrets.scrub(text, values) == "B_PASS A_PASS id TOKEN end"


def test_store_path_depends_on_inventory(state: Path) -> None:
    one = secrets.store_path("controller=node://controller")
    two = secrets.store_path("controller=ssh://root@10.0.0.11")
    assert one != two and one.parent == two.parent == state / "secrets"
