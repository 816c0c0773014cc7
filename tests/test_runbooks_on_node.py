"""Every runbook, through the CLI, on a fresh test node: passes, passes again, then Tempest passes; no
secret leaks."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from stackbook import cli, inventory, node, records, runbooks, secrets

from .builders import ROOT

pytestmark = pytest.mark.node


def _run(runs: Path, *extra: str) -> tuple[int, str, dict[str, object]]:
    result = CliRunner().invoke(cli.main, [*extra, "--runbooks", str(ROOT / "runbooks"), "--runs", str(runs)])
    folders = sorted(runs.iterdir())
    summary = json.loads((folders[-1] / "summary.json").read_text()) if folders else {}
    return result.exit_code, result.output, summary


@contextmanager
def _command_lines_watched(values: dict[str, str], every: float = 0.02) -> Iterator[list[str]]:
    """Samples the command line of every process on this machine while the block runs (the
    test node's processes are among them: it shares this kernel); yields the list of
    findings, each naming the secret and the command with the secret scrubbed."""
    found: list[str] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(every):
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                        line = handle.read().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                leaked = sorted(n for n, v in values.items() if any(f in line for f in secrets.forms(v)))
                if leaked:
                    found.append(f"{', '.join(leaked)} in: {secrets.scrub(line, values)[:300]}")

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    try:
        yield found
    finally:
        stop.set()
        watcher.join()


def test_all_runbooks_pass_twice_and_keep_secrets(fresh_node: node.Node, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # The records of these runs stay here: the session's results folder is what the site tests build from.
    monkeypatch.setenv(records.ENV, str(tmp_path / "results"))
    runs = Path("runs")  # relative, like the CLI's default: papermill changes directory meanwhile
    # The secrets the run will use, made now so that the process list can be watched for them.
    names = sorted({n for path in (ROOT / "runbooks").glob("*.ipynb")
                    for n in runbooks.load(path).parameters if secrets.is_secret(n)})
    chosen = secrets.resolve(secrets.store_path("controller=node://controller"), names, {})
    with _command_lines_watched(chosen) as on_command_lines:
        code, output, summary = _run(runs, "run", "--all")
        statuses = {r["runbook"]: r["status"] for r in summary["runbooks"]}  # type: ignore[index]
        assert code == 0, f"first run on a fresh node: {statuses}\n{output[-4000:]}"
        code, output, summary = _run(runs, "run", "--all")
        statuses = {r["runbook"]: r["status"] for r in summary["runbooks"]}  # type: ignore[index]
        assert code == 0, f"second run on the same node: {statuses}\n{output[-4000:]}"
        # OpenStack's own API tests against the cloud the runbooks built (runbooks/tempest.txt).
        code, output, tempest = _run(runs, "tempest")
        assert code == 0, f"tempest: {tempest.get('tempest')}\n{output[-4000:]}"
    assert not on_command_lines, "secrets on command lines:\n" + "\n".join(sorted(set(on_command_lines)))
    # --all on one node: every runbook that needs no second host (the workstation is this machine)
    single = {p.stem for p in (ROOT / "runbooks").glob("*.ipynb")
              if set(runbooks.load(p).roles) - set(inventory.IMPLICIT) == {"controller"}}
    assert "tls-endpoints" in single and set(statuses) == single
    counts = tempest["tempest"]
    assert counts["failed"] == 0 and counts["passed"] > 200, counts  # type: ignore[index]

    store = secrets.store_path("controller=node://controller")
    values = [v for v in secrets.load(store).values() if len(v) >= 8]
    assert values, "the runbooks used generated secrets"
    assert Path(os.environ["STACKBOOK_STATE"]) in store.parents
    for path in [*runs.rglob("*"), *(ROOT / "runbooks").rglob("*")]:
        if path.is_file():
            text = path.read_text(errors="replace")
            leaked = [v for v in values if v in text]
            assert not leaked, f"a generated secret appears in {path}"
