"""Execution through papermill with a real kernel, against local:// (fast, no node needed)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbformat import v4

from stackbook import cli, compare, execute, notebooks, platforms, runbooks, secrets
from stackbook.errors import MissingParameter, StackbookError
from stackbook.polling import wait_until

from .builders import ROOT, make_runbook, shell

LOCAL = {"controller": "local://"}
RULES = compare.load_rules(ROOT / "runbooks" / "sanitize.cfg")
HOST = platforms.from_os_release(Path("/etc/os-release").read_text()).name  # local:// runs here


def plan(books: list[Path], run_dir: Path, **options: object) -> execute.Plan:
    loaded = [runbooks.load(p) for p in books]
    options.setdefault("reference_platform", HOST)
    return execute.Plan(loaded, dict(LOCAL), {}, run_dir, RULES, **options)  # type: ignore[arg-type]


def test_reference_then_pass(tmp_path: Path, state: Path) -> None:
    book = make_runbook(tmp_path / "hello.ipynb", [shell("echo hello from $(hostname -s >/dev/null; echo stackbook)",
                                                         "nbval-check-output")], 'INVENTORY = ""')
    first = execute.execute(plan([book], tmp_path / "run1", update_reference=True), print)
    assert first[0].status == "differs"  # no reference yet
    stored = runbooks.read(book).cells[2].outputs
    assert stored[0]["text"] == "hello from stackbook\n"
    second = execute.execute(plan([book], tmp_path / "run2"), print)
    assert second[0].status == "passed"
    summary = json.loads((tmp_path / "run2" / "summary.json").read_text())
    assert summary["status"] == "passed"
    assert [c["source"] for c in summary["runbooks"][0]["cells"]][-1].startswith("%%on controller: echo hello")
    assert (tmp_path / "run2" / "hello.ipynb").exists()


def test_relative_runs_folder_as_the_cli_default(tmp_path: Path, state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # papermill runs each notebook in the runbook's folder: paths given relative must still work.
    (tmp_path / "books").mkdir()
    book = make_runbook(tmp_path / "books" / "rel.ipynb", [shell("echo logged while running")], 'INVENTORY = ""')
    monkeypatch.chdir(tmp_path)
    run_dir = execute.new_run_dir(Path("runs"))
    outcomes = execute.execute(plan([Path("books/rel.ipynb")], run_dir), print)
    assert outcomes[0].status == "passed"
    assert "rel | logged while running" in (tmp_path / run_dir / "run.log").read_text()
    assert (tmp_path / run_dir / "rel.ipynb").exists() and book.exists()


def test_failing_cell_stops_the_run_and_names_cell_line_and_command(tmp_path: Path, state: Path) -> None:
    bad = make_runbook(tmp_path / "bad.ipynb", [shell("echo start"), shell("echo one\nls /no/such/dir\necho never")],
                       'INVENTORY = ""')
    later = make_runbook(tmp_path / "later.ipynb", [shell("echo later")], 'INVENTORY = ""')
    outcomes = execute.execute(plan([bad, later], tmp_path / "run"), print)
    assert [o.status for o in outcomes] == ["failed", "not run"]
    error = outcomes[0].error
    assert error is not None and error["cell"] == 3 and error["step"] == 4 and error["ename"] == "CommandFailed"
    assert "line 3 of the cell with exit code 2: ls /no/such/dir" in error["evalue"]
    assert "No such file or directory" in error["evalue"]
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["status"] == "failed"
    assert not (tmp_path / "run" / "later.ipynb").exists()


def test_keep_going_skips_only_what_needs_the_failed_runbook(tmp_path: Path, state: Path) -> None:
    base = make_runbook(tmp_path / "base.ipynb", [shell("exit 3")], 'INVENTORY = ""')
    mid = make_runbook(tmp_path / "mid.ipynb", [shell("echo mid")], 'INVENTORY = ""', requires=("base",))
    top = make_runbook(tmp_path / "top.ipynb", [shell("echo top")], 'INVENTORY = ""', requires=("mid",))
    alone = make_runbook(tmp_path / "alone.ipynb", [shell("echo alone")], 'INVENTORY = ""')
    outcomes = execute.execute(plan([base, mid, alone, top], tmp_path / "run", keep_going=True), print)
    assert [(o.runbook, o.status, o.skipped_for) for o in outcomes] == [
        ("base", "failed", None), ("mid", "skipped", "base"), ("alone", "passed", None), ("top", "skipped", "base")]
    assert execute.ending(outcomes) == "failed check"
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert [r["skipped_for"] for r in summary["runbooks"]] == [None, "base", None, "base"]
    assert "runbook mid: skipped: it needs base, which failed" in (tmp_path / "run" / "run.log").read_text()
    # Without it, the run stops at the failure.
    stopped = execute.execute(plan([base, mid, alone], tmp_path / "run2"), print)
    assert [o.status for o in stopped] == ["failed", "not run", "not run"]


def test_the_run_reports_each_runbook_and_cell_and_the_time_of_the_last_record(tmp_path: Path, state: Path) -> None:
    book = make_runbook(tmp_path / "steps.ipynb", [shell("echo one"), shell("echo two")], 'INVENTORY = ""')
    seen: list[execute.Position] = []
    execute.execute(plan([book], tmp_path / "run1", results=tmp_path / "results"), print, seen.append)
    # Five code cells as papermill runs them: the injected parameters, the runbook's own, %load_ext, the two steps.
    assert [(p.runbook, p.index, p.total, p.cell, p.cells) for p in seen] == [
        ("steps", 1, 1, 0, 0), ("steps", 1, 1, 1, 5), ("steps", 1, 1, 2, 5), ("steps", 1, 1, 3, 5),
        ("steps", 1, 1, 4, 5), ("steps", 1, 1, 5, 5)]
    assert seen[0].expected is None  # no record yet
    first = execute.execute(plan([book], tmp_path / "run2", results=tmp_path / "results"), print, seen.append)
    assert seen[-1].expected is not None and seen[-1].expected > 0
    assert first[0].status == "passed"


def test_copy_takes_a_file_from_one_role_to_another_without_showing_it(tmp_path: Path, state: Path) -> None:
    source, copied = tmp_path / "remote-ca.crt", tmp_path / "controller" / "remote-ca.crt"
    source.write_text("-----BEGIN CERTIFICATE-----\nnot shown\n")
    book = make_runbook(tmp_path / "copy.ipynb", [
        v4.new_code_cell(f"%%copy controller {copied} --from remote:{source} --mode 640\n# remote's CA"),
        shell(f"stat -c %a {copied}"),
        v4.new_code_cell(f"%%copy controller {copied}.2 --from remote:{tmp_path}/missing\n# nothing")],
        'INVENTORY = ""')
    nb = nbformat.read(book, as_version=4)
    nb.metadata["stackbook"]["roles"] = ["controller", "remote"]
    nbformat.write(nb, book)
    both = execute.Plan([runbooks.load(book)], {"controller": "local://", "remote": "local://"}, {},
                        tmp_path / "run", RULES, reference_platform=HOST)
    outcome = execute.execute(both, print)[0]
    assert copied.read_text() == source.read_text()
    executed = nbformat.read(tmp_path / "run" / "copy.ipynb", as_version=4)
    shown = json.dumps([c.get("outputs", []) for c in executed.cells])
    assert f"copied {source} from remote to {copied} on controller (2 lines)" in shown and "not shown" not in shown
    assert "640" in shown
    assert outcome.status == "failed" and outcome.error is not None
    assert f"{tmp_path}/missing does not exist on remote (local://); run the step that makes it first" in (
        outcome.error["evalue"])


def test_blocker_names_the_failed_runbook_behind_a_requirement() -> None:
    assert execute.blocker(("a", "b"), {}) is None
    assert execute.blocker(("a", "b"), {"b": "root"}) == "root"
    assert execute.blocker((), {"b": "root"}) is None


def test_secrets_never_reach_the_run_folder_or_runbook(tmp_path: Path, state: Path) -> None:
    conf = tmp_path / "svc.conf"
    cells = [
        shell('echo "password is $ADMIN_PASS"', "nbval-check-output"),
        shell("cat > /dev/null <<< \"$ADMIN_PASS\"; false || echo \"retry with $ADMIN_PASS\"\n"
              "test -n \"$ADMIN_PASS\" && echo ok"),
    ]
    book = make_runbook(tmp_path / "sec.ipynb", cells, 'INVENTORY = ""\nADMIN_PASS = ""')
    nb = nbformat.read(book, 4)
    nb.cells.append(v4.new_code_cell(f"%%ini controller {conf}\n[auth]\npassword = ${{ADMIN_PASS}}"))
    nb.cells.append(shell(f"grep -c password {conf}; echo $ADMIN_PASS | grep -q . && exit 9 || true"))
    nbformat.write(nb, book)
    outcomes = execute.execute(plan([book], tmp_path / "run", update_reference=True), print)
    value = secrets.load(secrets.store_path("controller=local://"))["ADMIN_PASS"]
    assert f"password = {value}" in conf.read_text()  # the real value reached the target
    assert outcomes[0].status == "failed"  # exit 9 from the last cell, whose output had the secret
    for path in [*(tmp_path / "run").rglob("*"), book]:
        if path.is_file():
            assert value not in path.read_text(), f"secret found in {path}"
    assert "ADMIN_PASS" in (tmp_path / "run" / "sec.ipynb").read_text()


def test_ini_if_exists_through_the_kernel(tmp_path: Path, state: Path) -> None:
    present, missing = tmp_path / "present.conf", tmp_path / "absent" / "missing.conf"
    present.write_text("[clients]\n")
    cells = [v4.new_code_cell(f"%%ini controller {path} --if-exists\n[clients]\nca_file = ${{TLS_DIR}}/ca.crt")
             for path in (present, missing)]
    book = make_runbook(tmp_path / "ini.ipynb", cells, 'INVENTORY = ""\nTLS_DIR = "/etc/ssl/x"')
    outcomes = execute.execute(plan([book], tmp_path / "run", update_reference=True), print)
    assert outcomes[0].status == "passed"  # no cell is tagged nbval-check-output: nothing to differ
    assert present.read_text() == "[clients]\nca_file = /etc/ssl/x/ca.crt\n"
    assert not missing.parent.exists()
    ran = runbooks.read(tmp_path / "run" / "ini.ipynb")
    assert [c.outputs[0]["text"] for c in ran.cells[-2:]] == [
        f"{present}: set [clients] ca_file\n", f"{missing}: not present, nothing to set\n"]


def test_other_platform_keeps_its_own_output_beside_the_reference(tmp_path: Path, state: Path) -> None:
    other = next(name for name in platforms.PLATFORMS if name != HOST)
    cells = [shell("echo same everywhere", "nbval-check-output"), shell("echo this release", "nbval-check-output")]
    book = make_runbook(tmp_path / "ref.ipynb", cells, 'INVENTORY = ""')
    nb = nbformat.read(book, 4)
    nb.metadata["stackbook"]["reference"] = {"platform": other, "date": "2026-12-01"}
    for cell, text in zip(nb.cells[2:], ["same everywhere\n", "that release\n"], strict=True):
        cell.outputs = [v4.new_output("stream", name="stdout", text=text)]
    nbformat.write(nb, book)
    plain = execute.execute(plan([book], tmp_path / "run1", reference_platform=other), print)
    assert plain[0].status == "differs" and "+this release" in plain[0].differences[0]

    execute.execute(plan([book], tmp_path / "run2", update_reference=True, reference_platform=other), print)
    stored = runbooks.read(book)
    assert [c.outputs[0]["text"] for c in stored.cells[2:]] == ["same everywhere\n", "that release\n"]
    assert notebooks.PLATFORM_OUTPUTS not in stored.cells[2].metadata  # same output: nothing kept
    assert stored.cells[3].metadata[notebooks.PLATFORM_OUTPUTS] == {HOST: "this release\n"}
    assert stored.metadata["stackbook"]["reference"]["platform"] == other
    assert stored.metadata["stackbook"]["verified"][HOST]["status"] == "passed"
    again = execute.execute(plan([book], tmp_path / "run3", reference_platform=other), print)
    assert again[0].status == "passed"


def test_a_cell_past_its_timeout_fails_with_its_output_so_far(tmp_path: Path, state: Path) -> None:
    marker = tmp_path / "still-running"
    slow = shell(f"echo waiting for the service\nsleep 60\ntouch {marker}")
    slow.metadata["stackbook-timeout"] = 2
    book = make_runbook(tmp_path / "slow.ipynb", [shell("echo first"), slow, shell("echo never")], 'INVENTORY = ""')
    began = time.monotonic()
    outcomes = execute.execute(plan([book], tmp_path / "run"), print)
    assert time.monotonic() - began < 30
    error = outcomes[0].error
    assert outcomes[0].status == "failed" and error is not None
    assert error["ename"] == "CellTimeout" and error["evalue"] == "cell 4 timed out after 2 s"
    ran = runbooks.read(tmp_path / "run" / "slow.ipynb")
    assert "waiting for the service" in notebooks.output_text(notebooks.without_injected(ran).cells[3])
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["runbooks"][0]["error"]["evalue"] == "cell 4 timed out after 2 s"
    time.sleep(1)
    assert not marker.exists()


def test_a_runbook_timeout_applies_to_its_cells_and_bad_ones_are_refused(tmp_path: Path, state: Path) -> None:
    book = make_runbook(tmp_path / "t.ipynb", [shell("sleep 60")], 'INVENTORY = ""')
    nb = nbformat.read(book, 4)
    nb.metadata["stackbook"]["timeout"] = 1.5
    nbformat.write(nb, book)
    outcomes = execute.execute(plan([book], tmp_path / "run"), print)
    assert outcomes[0].error is not None and outcomes[0].error["evalue"] == "cell 3 timed out after 1.5 s"
    nb.cells[2].metadata["stackbook-timeout"] = "10 minutes"
    nbformat.write(nb, book)
    with pytest.raises(StackbookError, match=r"t\.ipynb: code cell 3 metadata stackbook-timeout: timeout must be"):
        execute.execute(plan([book], tmp_path / "run2"), print)
    assert not (tmp_path / "run2").exists()


def test_a_runbook_that_would_fail_later_fails_before_anything_runs(tmp_path: Path, state: Path) -> None:
    first = make_runbook(tmp_path / "first.ipynb", [shell(f"touch {tmp_path}/ran")], 'INVENTORY = ""')
    later = make_runbook(tmp_path / "later.ipynb", [shell("echo ok"), shell('echo "$REGION_NAME"')],
                         'INVENTORY = ""')
    with pytest.raises(StackbookError, match=r"later\.ipynb: cell 4, line 2: \$REGION_NAME is not a parameter"):
        execute.execute(plan([first, later], tmp_path / "run"), print)
    assert not (tmp_path / "ran").exists() and not (tmp_path / "run").exists()


def test_missing_parameter_fails_before_anything_runs(tmp_path: Path, state: Path) -> None:
    book = make_runbook(tmp_path / "p.ipynb", [shell("touch should-not-exist")], 'INVENTORY = ""\nCLOUD_NAME = None')
    with pytest.raises(MissingParameter, match=r"p\.ipynb: parameter CLOUD_NAME is required.*-p CLOUD_NAME=VALUE"):
        execute.execute(plan([book], tmp_path / "run"), print)
    assert not (tmp_path / "run").exists()


def test_missing_role_and_unknown_parameter(tmp_path: Path, state: Path) -> None:
    book = make_runbook(tmp_path / "r.ipynb", [shell("true")], 'INVENTORY = ""')
    no_role = execute.Plan([runbooks.load(book)], {"compute1": "local://"}, {}, tmp_path / "a", RULES)
    with pytest.raises(MissingParameter, match=r"role controller.*--target controller=URL"):
        execute.execute(no_role, print)
    unknown = execute.Plan([runbooks.load(book)], dict(LOCAL), {"REGON": "x"}, tmp_path / "b", RULES)
    with pytest.raises(StackbookError, match=r"-p REGON: no runbook in this run has that parameter"):
        execute.execute(unknown, print)


def test_cli_malformed_notebook_is_a_clear_error(tmp_path: Path, state: Path) -> None:
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "sanitize.cfg").write_text((ROOT / "runbooks" / "sanitize.cfg").read_text())
    (folder / "broken.ipynb").write_text("{ not json")
    result = CliRunner().invoke(cli.main, ["run", "--all", "--runbooks", str(folder), "--runs", str(tmp_path / "runs"),
                                           "--target", "controller=local://"])
    assert result.exit_code == 2
    assert "broken.ipynb: not a notebook" in result.output
    assert not (tmp_path / "runs").exists()


def test_record_writes_the_result_into_metadata_only(tmp_path: Path, state: Path) -> None:
    good = make_runbook(tmp_path / "good.ipynb", [shell("echo ok")], 'INVENTORY = ""')
    bad = make_runbook(tmp_path / "bad.ipynb", [shell("exit 3")], 'INVENTORY = ""')
    before = runbooks.read(bad).cells
    execute.execute(plan([good, bad], tmp_path / "run", record=True), print)
    host = HOST
    assert runbooks.read(good).metadata["stackbook"]["verified"][host]["status"] == "passed"
    failed = runbooks.read(bad).metadata["stackbook"]["verified"][host]
    assert (failed["status"], failed["failed"]["source"]) == ("failed", "%%on controller: exit 3")
    assert "exit code 3" in failed["failed"]["error"]
    assert runbooks.read(bad).cells == before


def test_steps_for_other_releases_are_not_run(tmp_path: Path, state: Path) -> None:
    host = HOST
    other = next(name for name in platforms.PLATFORMS if name != host)
    cells = [shell("echo mine", only=host), shell("echo theirs; exit 1", only=other)]
    book = make_runbook(tmp_path / "only.ipynb", cells, 'INVENTORY = ""')
    [outcome] = execute.execute(plan([book], tmp_path / "run"), print)
    assert outcome.status == "passed"
    ran = runbooks.read(tmp_path / "run" / "only.ipynb")
    assert [c.outputs[0]["text"] for c in ran.cells[-2:]] == [
        "mine\n", f"not run: this step is for {other}; controller runs {host}\n"]
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["platform"]["platform"] == host


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_keeps_the_record_and_stops_the_step(tmp_path: Path, state: Path, sig: int) -> None:
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "sanitize.cfg").write_text((ROOT / "runbooks" / "sanitize.cfg").read_text())
    make_runbook(folder / "slow.ipynb", [shell("echo started"), shell(f"echo step $$\n: {tmp_path}\nsleep 60")],
                 'INVENTORY = ""')
    runs = tmp_path / "runs"
    proc = subprocess.Popen([sys.executable, "-m", "stackbook", "run", "--all", "--runbooks", str(folder),
                             "--runs", str(runs), "--target", "controller=local://"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def log() -> str:
        return "".join(path.read_text() for path in runs.glob("*/run.log"))

    wait_until(lambda: "| step " in log(), timeout=60, every=0.2)
    proc.send_signal(sig)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, output
    assert "interrupted" in output
    (run,) = runs.iterdir()
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "failed", output
    assert summary["end"] == {"kind": "interrupted", "exit": 130}
    assert summary["runbooks"][0]["error"]["kind"] == "interrupted"
    assert "started" in (run / "slow.ipynb").read_text()
    step = int(log().split("| step ")[1].split()[0])
    wait_until(lambda: not Path(f"/proc/{step}").exists(), timeout=15, every=0.2)
    assert not Path(f"/proc/{step}").exists(), "the step's command still runs"
    # The step's program (its variables, secrets among them) is not left in the target's /tmp.
    assert not [p for p in Path("/tmp").glob("stackbook-step.*") if str(tmp_path) in p.read_text()]


def test_corrupt_secrets_file_is_bad_input_before_anything_runs(tmp_path: Path, state: Path) -> None:
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "sanitize.cfg").write_text((ROOT / "runbooks" / "sanitize.cfg").read_text())
    make_runbook(folder / "s.ipynb", [shell("touch should-not-exist")], 'INVENTORY = ""\nADMIN_PASS = ""')
    store = secrets.store_path("controller=local://")
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text('{"ADMIN_PASS": "half a fi')
    result = CliRunner().invoke(cli.main, ["run", "--all", "--runbooks", str(folder), "--runs", str(tmp_path / "runs"),
                                           "--target", "controller=local://"])
    assert result.exit_code == 2, result.output
    assert f"{store}: cannot read the stored secrets" in result.output and "Restore the file" in result.output
    assert not (tmp_path / "runs").exists()


def test_unreachable_target_is_infrastructure_before_anything_runs(tmp_path: Path, state: Path) -> None:
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "sanitize.cfg").write_text((ROOT / "runbooks" / "sanitize.cfg").read_text())
    make_runbook(folder / "u.ipynb", [shell("true")], 'INVENTORY = ""')
    result = CliRunner().invoke(cli.main, ["run", "--all", "--runbooks", str(folder), "--runs", str(tmp_path / "runs"),
                                           "--target", "controller=ssh://root@127.0.0.1:9"])
    assert result.exit_code == 3, result.output
    assert "cannot reach ssh://root@127.0.0.1:9" in result.output
    assert not (tmp_path / "runs").exists()


def test_a_dead_kernel_ends_the_run_as_infrastructure_with_a_summary(tmp_path: Path, state: Path) -> None:
    book = make_runbook(tmp_path / "dead.ipynb", [shell("echo before"), v4.new_code_cell("import os\nos._exit(1)")],
                        'INVENTORY = ""')
    outcomes = execute.execute(plan([book], tmp_path / "run"), print)
    assert execute.ending(outcomes) == "infrastructure"
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["end"] == {"kind": "infrastructure", "exit": 3}
    assert summary["runbooks"][0]["error"]["ename"] == "DeadKernelError"


def test_with_verification_keeps_other_platforms_and_drops_the_legacy_form() -> None:
    from stackbook import facts

    nb = v4.new_notebook(metadata={"stackbook": {"title": "t", "verified": {
        "date": "2026-11-23", "status": "passed", "target": "Debian 12 test node"}}})
    sid = facts.Facts("debian-sid", "forky/sid", "2026.2", {"keystone": "2:30.0.0-1"})
    trixie = facts.Facts("debian-13", "13", "2025.1")
    execute.with_verification(nb, execute.Outcome("k", "passed", 12.34), sid)
    execute.with_verification(nb, execute.Outcome("k", "failed", 3.0, error={"step": 4, "evalue": "x\ny"}), trixie)
    verified = nb.metadata["stackbook"]["verified"]
    assert sorted(verified) == ["debian-13", "debian-sid"]
    assert verified["debian-sid"]["seconds"] == 12.3 and verified["debian-sid"]["openstack"] == "2026.2"
    assert verified["debian-13"]["failed"] == {"step": 4, "source": "", "error": "x"}


def test_a_run_writes_its_record_and_leaves_the_runbooks_alone(tmp_path: Path, state: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from stackbook import records

    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "sanitize.cfg").write_text((ROOT / "runbooks" / "sanitize.cfg").read_text())
    make_runbook(folder / "a-good.ipynb", [shell("echo ok")], 'INVENTORY = ""')
    make_runbook(folder / "b-bad.ipynb", [shell("echo before"), shell("echo $ADMIN_PASS; exit 3")],
                 'INVENTORY = ""\nADMIN_PASS = ""')
    before = {p.name: p.read_text() for p in folder.glob("*.ipynb")}
    monkeypatch.setenv(records.ENV, str(tmp_path / "results"))  # as the nightly points it elsewhere
    result = CliRunner().invoke(cli.main, ["run", "--all", "--runbooks", str(folder), "--runs", str(tmp_path / "runs"),
                                           "--target", "controller=local://"])
    assert result.exit_code == 1, result.output
    (path,) = (tmp_path / "results" / HOST).glob("*.json")
    record = records.load(path)
    assert record["platform"]["platform"] == HOST and record["platform"]["packages"]["python3"]
    assert [(b["runbook"], b["status"]) for b in record["runbooks"]] == [("a-good", "passed"), ("b-bad", "failed")]
    bad = records.parse(path.stem, record).books["b-bad"]
    assert (bad.step, bad.source) == (4, "%%on controller: echo $ADMIN_PASS; exit 3")
    cells = record["runbooks"][1]["cells"]
    assert [c["step"] for c in cells] == [1, 2, 3, 4] and all(c["seconds"] >= 0 for c in cells)
    value = secrets.load(secrets.store_path("controller=local://"))["ADMIN_PASS"]
    assert value not in path.read_text()
    (run,) = (tmp_path / "runs").iterdir()
    assert json.loads((run / "summary.json").read_text())["record"] == str(path)
    assert {p.name: p.read_text() for p in folder.glob("*.ipynb")} == before  # nothing to commit
