"""The guide across two clouds, end to end: two fresh nodes, site B installed under its own name
with HTTPS, site A with Barbican and Heat, then the multicloud runbook twice."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from stackbook import cli, node, records

from .builders import ROOT

pytestmark = pytest.mark.node

# The TLS guide checks every service before it (Glance's and Barbican's HTTPS ports, Horizon's
# login), and its reference is that of a whole cloud: site B is one.
SITE_B = ("environment", "keystone", "glance", "heat", "horizon", "barbican", "tls-certificates", "tls-endpoints")
SITE_A = ("environment", "keystone", "barbican", "heat")


@pytest.fixture
def two_clouds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[node.Node, node.Node]]:
    if os.geteuid() != 0:
        pytest.fail("test nodes need root") if os.environ.get("CI") else pytest.skip("test nodes need root")
    monkeypatch.setenv("STACKBOOK_STATE", str(tmp_path / "state"))
    site_a, site_b = node.up("controller", progress=print), node.up("siteb", progress=print)
    try:
        node.link("controller", "siteb")
        yield site_a, site_b
    finally:
        node.down("siteb")
        node.down("controller")


def _run(runs: Path, *args: str) -> tuple[int, str, dict[str, str]]:
    result = CliRunner().invoke(cli.main, ["run", *args, "--runbooks", str(ROOT / "runbooks"), "--runs", str(runs)])
    folders = sorted(runs.iterdir())
    summary = json.loads((folders[-1] / "summary.json").read_text()) if folders else {}
    return result.exit_code, result.output, {r["runbook"]: r["status"] for r in summary.get("runbooks", [])}


def test_a_stack_on_site_a_makes_its_resources_on_site_b(two_clouds: tuple[node.Node, node.Node],
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # The records of these runs stay here: the session's results folder is what the site tests build from.
    monkeypatch.setenv(records.ENV, str(tmp_path / "results"))
    runs = Path("runs")
    code, output, statuses = _run(runs, *SITE_B, "--target", "controller=node://siteb", "-p", "CONTROLLER_HOST=siteb")
    assert code == 0, f"site B: {statuses}\n{output[-3000:]}"
    code, output, statuses = _run(runs, *SITE_A)
    assert code == 0, f"site A: {statuses}\n{output[-3000:]}"
    for attempt in ("fresh", "second"):
        code, output, statuses = _run(runs, "multicloud", "--target", "remote=node://siteb")
        assert code == 0, f"multicloud, {attempt} run: {statuses}\n{output[-4000:]}"
    assert statuses == {"multicloud": "passed"}
