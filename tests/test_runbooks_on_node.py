"""Every runbook, through the CLI, on a fresh test node: passes, passes again, leaks no secret."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from stackbook import cli, node, secrets

from .builders import ROOT

pytestmark = pytest.mark.node


def _run(runs: Path) -> tuple[int, str, dict[str, object]]:
    result = CliRunner().invoke(cli.main, ["run", "--all", "--runbooks", str(ROOT / "runbooks"), "--runs", str(runs)])
    folders = sorted(runs.iterdir())
    summary = json.loads((folders[-1] / "summary.json").read_text()) if folders else {}
    return result.exit_code, result.output, summary


def test_all_runbooks_pass_twice_and_keep_secrets(fresh_node: node.Node, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runs = Path("runs")  # relative, like the CLI's default: papermill changes directory meanwhile
    code, output, summary = _run(runs)
    statuses = {r["runbook"]: r["status"] for r in summary["runbooks"]}  # type: ignore[index]
    assert code == 0, f"first run on a fresh node: {statuses}\n{output[-4000:]}"
    code, output, summary = _run(runs)
    statuses = {r["runbook"]: r["status"] for r in summary["runbooks"]}  # type: ignore[index]
    assert code == 0, f"second run on the same node: {statuses}\n{output[-4000:]}"
    assert set(statuses) == {p.stem for p in (ROOT / "runbooks").glob("*.ipynb")}

    store = secrets.store_path("controller=node://controller")
    values = [v for v in secrets.load(store).values() if len(v) >= 8]
    assert values, "the runbooks used generated secrets"
    assert Path(os.environ["STACKBOOK_STATE"]) in store.parents
    for path in [*runs.rglob("*"), *(ROOT / "runbooks").rglob("*")]:
        if path.is_file():
            text = path.read_text(errors="replace")
            leaked = [v for v in values if v in text]
            assert not leaked, f"a generated secret appears in {path}"
