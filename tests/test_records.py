"""Run records: built from a run's outcomes and facts, named to sort by time, read back typed."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import pytest

from stackbook import facts, records
from stackbook.execute import Outcome

SID = facts.Facts("debian-sid", "forky/sid", "2026.2", {"keystone": "2:30.0.0-1", "python3-heatclient": "4.1.0-1"})
NIGHT = datetime(2026, 12, 6, 3, 15, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 6, 3, 41, 7, tzinfo=UTC)


def outcomes() -> list[Outcome]:
    cells = [{"cell": 2, "step": 3, "source": "%%on controller: apt-get install -y heat-api", "seconds": 30.5},
             {"cell": 3, "step": 4, "source": "%%on controller: openstack stack list", "seconds": 2.0}]
    return [
        Outcome("keystone", "differs", 120.25, differences=["keystone, cell 5 (%%on controller):\n-a\n+b"]),
        Outcome("heat", "failed", 33.0, cells, {"cell": 3, "step": 4, "ename": "CommandFailed",
                                              "evalue": "command failed with exit code 1\nlast lines",
                                              "kind": "failed check"}),
        Outcome("horizon"),
    ]


def test_build_keeps_facts_results_cells_and_errors() -> None:
    record = records.build(outcomes(), SID, NIGHT, LATER, "failed check")
    assert record["schema"] == records.SCHEMA
    assert (record["started"], record["finished"]) == ("2026-12-06T03:15:00+00:00", "2026-12-06T03:41:07+00:00")
    assert record["platform"]["packages"]["python3-heatclient"] == "4.1.0-1"
    assert (record["status"], record["end"]) == ("failed", {"kind": "failed check", "exit": 1})
    assert [b["status"] for b in record["runbooks"]] == ["differs", "failed", "not run"]
    assert record["runbooks"][1]["cells"][0]["seconds"] == 30.5
    assert record["runbooks"][1]["error"]["step"] == 4
    assert record["tempest"] is None


def test_tempest_results_fail_the_record() -> None:
    record = records.build(outcomes()[:1], SID, NIGHT, LATER, "passed")
    assert record["status"] == "passed"
    updated = records.with_tempest(record, {"passed": 250, "failed": 1, "skipped": 3, "seconds": 400.0,
                                            "failures": ["tempest.api.identity.T.test_x"], "flaky": [],
                                            "excluded": [{"tests": "x", "reason": "y"}], "ok": False})
    assert updated["tempest"] == {"passed": 250, "failed": 1, "skipped": 3, "seconds": 400.0,
                                  "failures": ["tempest.api.identity.T.test_x"], "flaky": []}
    assert (updated["status"], updated["end"]["exit"]) == ("failed", 1)
    assert record["tempest"] is None  # pure


@pytest.mark.parametrize(("taken", "expected"), [
    ((), "debian-sid/20261206T031500Z.json"),
    (("20261206T031500Z.json",), "debian-sid/20261206T031500Z-1.json"),
    (("20261206T031500Z.json", "20261206T031500Z-1.json"), "debian-sid/20261206T031500Z-2.json"),
])
def test_name(taken: tuple[str, ...], expected: str) -> None:
    assert records.name("debian-sid", NIGHT, taken) == PurePosixPath(expected)


def test_order_is_by_time_then_by_number() -> None:
    names = ["20261207T031500Z.json", "20261206T031500Z-1.json", "20261206T031500Z.json", "20261130T235959Z.json"]
    assert [p.name for p in records.order(Path(n) for n in names)] == [
        "20261130T235959Z.json", "20261206T031500Z.json", "20261206T031500Z-1.json", "20261207T031500Z.json"]


def test_folder_from_the_option_then_the_environment_then_the_default() -> None:
    assert records.folder(Path("/srv/r"), {records.ENV: "/elsewhere"}) == Path("/srv/r")
    assert records.folder(None, {records.ENV: "/elsewhere"}) == Path("/elsewhere")
    assert records.folder(None, {}) == Path("results")


def test_write_scrubs_secrets_and_never_overwrites(tmp_path: Path) -> None:
    found = outcomes()
    assert found[1].error is not None
    found[1].error["evalue"] = "mysql -p s3cret-Pass failed"
    record = records.build(found, SID, NIGHT, LATER, "failed check")
    first = records.write(tmp_path, record, {"DB_PASS": "s3cret-Pass"})
    second = records.write(tmp_path, record, {"DB_PASS": "s3cret-Pass"})
    assert (first.name, second.name) == ("20261206T031500Z.json", "20261206T031500Z-1.json")
    assert "s3cret-Pass" not in first.read_text() and "DB_PASS" in first.read_text()
    assert records.load(first)["runbooks"][1]["error"]["evalue"] == "mysql -p DB_PASS failed"
    assert [p.name for p in tmp_path.rglob("*") if p.name.startswith(".")] == []  # no temporary file left


def test_load_refuses_other_schemas_and_broken_files(tmp_path: Path) -> None:
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"schema": records.SCHEMA + 1}))
    with pytest.raises(records.RecordError, match="schema 2, this stackbook reads schema 1"):
        records.load(newer)
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": 1, "star')
    with pytest.raises(records.RecordError, match=r"broken\.json: cannot read this run record"):
        records.load(broken)


def test_parse_reads_the_failing_step_and_its_first_lines() -> None:
    run = records.parse("20261206T031500Z", records.build(outcomes(), SID, NIGHT, LATER, "failed check"))
    assert (run.platform, run.started, run.openstack) == ("debian-sid", NIGHT, "2026.2")
    heat = run.books["heat"]
    assert (heat.status, heat.step, heat.source, heat.error) == (
        "failed", 4, "%%on controller: openstack stack list", "command failed with exit code 1")
    assert run.books["keystone"].differences == ("keystone, cell 5 (%%on controller):\n-a\n+b",)
    assert run.seconds == 153.25


def test_history_and_the_latest_run_of_each_runbook(tmp_path: Path) -> None:
    assert records.history(tmp_path / "absent") == {}
    record = records.build(outcomes(), SID, NIGHT, LATER, "failed check")
    records.write(tmp_path, records.build([Outcome("horizon", "passed", 9.0)], SID, LATER, LATER, "passed"), {})
    records.write(tmp_path, record, {})
    os.utime(next((tmp_path / "debian-sid").glob("*")), (0, 0))  # file times do not matter, names do
    runs = records.history(tmp_path)["debian-sid"]
    assert [r.name for r in runs] == ["20261206T031500Z", "20261206T034107Z"]
    newest_horizon = records.latest(runs, "horizon")
    assert newest_horizon is not None and newest_horizon[1].status == "passed"
    older = records.latest(runs[:1], "horizon")  # the first run stopped before horizon
    assert older is None
    heat = records.latest(runs, "heat")
    assert heat is not None and heat[0].name == "20261206T031500Z"
