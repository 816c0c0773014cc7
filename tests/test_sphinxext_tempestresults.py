"""Tempest's results on the site: the records file, the per-platform table, the exclusions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from docutils import nodes

from stackbook.errors import StackbookError
from stackbook.sphinxext.tempestresults import TempestRecord, counts, exclusions, read, records, results_table

DATA = {
    "debian-12": {"date": "2026-12-06", "debian": "12.12", "openstack": "2022.2", "passed": 240, "failed": 2,
                  "skipped": 30, "seconds": 312.5,
                  "failures": ["tempest.api.identity.v3.test_x.T.test_a", "tempest.api.image.v2.test_y.T.test_b"]},
    "debian-13": {"date": "2026-12-05", "debian": "13.2", "openstack": "2025.1", "passed": 250, "failed": 0,
                  "skipped": 61, "seconds": 431.0, "failures": [],
                  "flaky": ["tempest.api.identity.v3.test_application_credentials.T.test_list"]},
    "debian-99": {"passed": 1},  # a platform stackbook no longer knows: dropped
}


def test_records_in_platform_order() -> None:
    found = records(DATA)
    assert list(found) == ["debian-13", "debian-12"]
    assert found["debian-13"] == TempestRecord("debian-13", 250, 0, 61, date(2026, 12, 5), 431.0, "2025.1", (),
                                               ("tempest.api.identity.v3.test_application_credentials.T.test_list",))
    assert found["debian-12"].state == "failed" and found["debian-13"].state == "passed"
    assert records([]) == {} and records({"debian-13": "x"}) == {}


def test_a_record_with_fields_missing_or_wrong_reads_as_empty() -> None:
    found = records({"debian-13": {"date": "yesterday", "passed": "12", "failed": True, "seconds": "5"}})
    assert found["debian-13"] == TempestRecord("debian-13", 0, 0, 0)
    assert found["debian-13"].state == "failed"  # no test passed: not a pass


def test_read(tmp_path: Path) -> None:
    assert read(tmp_path) == {}
    (tmp_path / "tempest-verified.json").write_text(json.dumps(DATA))
    assert read(tmp_path)["debian-12"].failed == 2
    (tmp_path / "tempest-verified.json").write_text("{")
    with pytest.raises(StackbookError, match=r"tempest-verified.json: cannot read Tempest's results .*--record"):
        read(tmp_path)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["250 passed, 0 failed, 61 skipped", "not run yet"]),
    ("ja", ["成功 250 件、失敗 0 件、スキップ 61 件", "未実行"]),
    ("ko", ["통과 250개, 실패 0개, 건너뜀 61개", "아직 실행하지 않음"]),
])
def test_counts(lang: str, expected: list[str]) -> None:
    assert [counts(records(DATA)["debian-13"], lang), counts(None, lang)] == expected


def test_results_table() -> None:
    table = results_table(records(DATA), "ja")
    rows = [[entry.astext() for entry in row.findall(nodes.entry)] for row in table.findall(nodes.row)]
    assert rows[0] == ["プラットフォーム", "Tempest (OpenStack の API テスト)", "検証日", "所要時間", "失敗したテスト"]
    assert rows[1][:4] == ["Debian 13 · OpenStack 2025.1 Epoxy", "成功 250 件、失敗 0 件、スキップ 61 件",
                           "2026年12月5日", "7分11秒"]
    assert rows[1][4] == ("tempest.api.identity.v3.test_application_credentials.T.test_list "
                          "(一度失敗し、単独で再実行すると成功)")
    assert rows[2][1:] == ["未実行", "—", "—", "—"]
    assert rows[3][4] == "tempest.api.identity.v3.test_x.T.test_a\n\ntempest.api.image.v2.test_y.T.test_b"
    assert [row["classes"] for row in table.findall(nodes.row)][1:] == [["sb-passed"], ["sb-unverified"],
                                                                       ["sb-failed"]]


def test_exclusions(tmp_path: Path) -> None:
    (tmp_path / "tempest.txt").write_text("+ ^tempest\\.api\\.\n")
    assert [n.astext() for n in exclusions(tmp_path, "en")] == ["The selection leaves no test out."]
    (tmp_path / "tempest.txt").write_text("+ ^tempest\\.api\\.\n- \\.test_servers\\.  # needs Nova\n")
    found = exclusions(tmp_path, "ko")
    assert found[0].astext() == "선택에서 제외한 테스트:"
    assert found[1].astext() == "\\.test_servers\\.: needs Nova"
