"""The host's package cache: started for nodes, stopped with the last one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stackbook import aptcache, node

pytestmark = pytest.mark.node


def test_config_text_binds_the_port_and_keeps_the_cache_in_its_home(tmp_path: Path) -> None:
    text = aptcache.config_text(tmp_path, 3149)
    assert "Port: 3149" in text and f"CacheDir: {tmp_path}/cache" in text
    assert "Remap" not in text  # nodes ask for the host's own mirrors


def test_the_package_cache_stops_with_the_last_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() != 0:
        pytest.skip("apt-cacher-ng and node state need root")
    monkeypatch.setenv("STACKBOOK_STATE", str(tmp_path / "state"))
    if any(ns.startswith(node.NETNS_PREFIX) for ns in node._netns_list()):
        pytest.skip("another node runs on this machine: the cache must stay for it")
    # A cache of this test's own, on another port, so that it cannot be someone else's.
    monkeypatch.setattr(aptcache, "PORT", 3149)
    monkeypatch.setenv("STACKBOOK_CACHE", str(tmp_path / "cache"))
    aptcache.ensure()
    assert aptcache.listening(3149)
    assert node.down("nothing-here") is False
    assert not aptcache.listening(3149)
