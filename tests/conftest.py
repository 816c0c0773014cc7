"""Shared fixtures: isolated state folders, notebooks built in code, real test nodes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from stackbook import node, records


@pytest.fixture(autouse=True, scope="session")
def _results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty results folder for the session: no run record goes into the repository's results/
    (the CLI's default), and the tests' site builds read none unless a test points them elsewhere."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("results")
        patch.setenv(records.ENV, str(folder))
        yield folder


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private STACKBOOK_STATE so tests never touch the user's nodes or secrets, and a private
    results folder for the records of the runs they make."""
    folder = tmp_path / "state"
    monkeypatch.setenv("STACKBOOK_STATE", str(folder))
    monkeypatch.setenv(records.ENV, str(tmp_path / "results"))
    return folder


def _can_make_nodes() -> str | None:
    if os.geteuid() != 0:
        return "test nodes need root"
    for tool in ("mmdebstrap", "apt-cacher-ng", "unshare", "ip"):
        if not any(Path(d, tool).exists() for d in ("/usr/bin", "/usr/sbin", "/bin", "/sbin")):
            return f"{tool} is not installed (./run.sh tests installs it)"
    return None


@pytest.fixture(scope="module")
def fresh_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[node.Node]:
    """A new test node named controller, in a state folder of its own; removed afterwards."""
    reason = _can_make_nodes()
    if reason:
        # Never skip silently in CI: a missing prerequisite there is a failure.
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("node-state")
    previous = os.environ.get("STACKBOOK_STATE")
    os.environ["STACKBOOK_STATE"] = str(folder)
    made = node.up("controller", progress=print)
    try:
        yield made
    finally:
        node.down("controller")
        if previous is None:
            os.environ.pop("STACKBOOK_STATE", None)
        else:
            os.environ["STACKBOOK_STATE"] = previous
