from __future__ import annotations

from pathlib import Path

import pytest

from stackbook import inventory
from stackbook.errors import InventoryError


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (["controller=ssh://root@10.0.0.11"], {"controller": "ssh://root@10.0.0.11"}),
        ([" controller = node://controller "], {"controller": "node://controller"}),
        (["controller=local://", "compute1=ssh://c1"], {"controller": "local://", "compute1": "ssh://c1"}),
    ],
)
def test_parse_pairs(pairs: list[str], expected: dict[str, str]) -> None:
    assert inventory.parse_pairs(pairs) == expected


@pytest.mark.parametrize(
    ("pair", "message"),
    [("controller", "not ROLE=URL"), ("=ssh://x", "not ROLE=URL"), ("controller=10.0.0.11", "needs a URL scheme")],
)
def test_parse_pairs_errors(pair: str, message: str) -> None:
    with pytest.raises(InventoryError, match=message):
        inventory.parse_pairs([pair])


def test_ini_file_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "cloud.ini"
    path.write_text("[targets]\ncontroller = ssh://root@10.0.0.11\ncompute1 = ssh://root@10.0.0.31\n")
    roles = inventory.load(str(path), ["compute1=local://"])
    assert roles == {"controller": "ssh://root@10.0.0.11", "compute1": "local://"}


def test_ini_without_section_says_what_to_add(tmp_path: Path) -> None:
    path = tmp_path / "cloud.ini"
    path.write_text("[hosts]\ncontroller = ssh://x\n")
    with pytest.raises(InventoryError, match=r"no \[targets\] section"):
        inventory.load(str(path))


def test_default_is_a_test_node() -> None:
    assert inventory.load(None) == {"controller": "node://controller"}


def test_dump_round_trips() -> None:
    roles = {"controller": "ssh://root@10.0.0.11:22", "compute1": "node://compute1"}
    assert inventory.parse_spec(inventory.dump(roles)) == roles


def test_missing_file() -> None:
    with pytest.raises(InventoryError, match="no such file"):
        inventory.load("does-not-exist.ini")


def test_every_inventory_has_a_workstation_unless_it_maps_one() -> None:
    roles = {"controller": "node://controller"}
    assert inventory.effective(roles) == {"controller": "node://controller", "workstation": "local://"}
    mine = {"controller": "node://controller", "workstation": "ssh://root@10.0.0.99"}
    assert inventory.effective(mine) == mine


def test_the_implicit_workstation_changes_no_dump() -> None:
    roles = {"controller": "node://controller"}
    assert inventory.dump(inventory.effective(roles)) == inventory.dump(roles) == "controller=node://controller"
    assert "workstation=ssh://" in inventory.dump({"workstation": "ssh://root@10.0.0.99"})
