"""Inventory: the roles the guides speak of (controller, ...) mapped to target URLs."""

from __future__ import annotations

import configparser
from collections.abc import Iterable, Mapping
from pathlib import Path

from stackbook.errors import InventoryError

DEFAULT = "controller=node://controller"
# Roles every inventory has unless it maps them itself: the machine that runs the runbook,
# which sees the controller the way any other host on its network does.
IMPLICIT = {"workstation": "local://"}
SECTION = "targets"


def parse_pairs(pairs: Iterable[str], source: str = "--target") -> dict[str, str]:
    """Pure: ``role=url`` strings to a role -> URL mapping."""
    roles: dict[str, str] = {}
    for pair in pairs:
        role, sep, url = (part.strip() for part in pair.partition("="))
        if not sep or not role or not url:
            raise InventoryError(f"{source}: {pair!r} is not ROLE=URL (e.g. controller=ssh://root@10.0.0.11)")
        if "://" not in url:
            raise InventoryError(f"{source}: {role}={url!r} needs a URL scheme, e.g. ssh://root@{url}")
        roles[role] = url
    return roles


def parse_spec(spec: str) -> dict[str, str]:
    """Pure: an inline inventory ``controller=node://controller,compute1=ssh://...``."""
    return parse_pairs([p for p in spec.split(",") if p.strip()], source="inventory")


def parse_ini(text: str, source: str) -> dict[str, str]:
    """Pure: an INI inventory with a ``[targets]`` section of ``role = URL`` lines."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=source)
    except configparser.Error as exc:
        raise InventoryError(f"{source}: {exc}") from None
    if not parser.has_section(SECTION):
        raise InventoryError(f"{source}: no [{SECTION}] section; add one with lines like controller = ssh://root@10.0.0.11")
    return parse_pairs((f"{k}={v}" for k, v in parser.items(SECTION)), source=source)


def load(spec_or_path: str | None, overrides: Iterable[str] = ()) -> dict[str, str]:
    """An inventory from a file path or inline spec (default: a test node), then --target pairs."""
    spec = spec_or_path or DEFAULT
    path = Path(spec)
    if "=" not in spec and path.suffix in {".ini", ".cfg", ""} and path.exists():
        roles = parse_ini(path.read_text(), str(path))
    elif "=" in spec:
        roles = parse_spec(spec)
    else:
        raise InventoryError(f"inventory {spec!r}: no such file, and not ROLE=URL pairs")
    roles.update(parse_pairs(overrides))
    return roles


def effective(roles: Mapping[str, str]) -> dict[str, str]:
    """Pure: ``roles`` with the implicit ones it does not map itself (never stored or passed on:
    ``dump`` leaves them out, so they change no inventory's secrets)."""
    return {**IMPLICIT, **roles}


def dump(roles: Mapping[str, str]) -> str:
    """Pure: the inline form of an inventory, as runbooks take it in ``INVENTORY``."""
    return ",".join(f"{role}={url}" for role, url in sorted(roles.items()) if IMPLICIT.get(role) != url)
