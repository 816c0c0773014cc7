"""The Verification page: the last runs per platform and the drift between them, from run records."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docutils import nodes

from docsroot import make_root, runbook
from stackbook import drift, facts, records
from stackbook.execute import Outcome
from stackbook.records import Book, Run
from stackbook.sphinxext import history, site

DIFF = "demo, cell 5 (%%on controller):\n-ready\n+not ready"
FIRST = datetime(2026, 12, 5, 3, 15, tzinfo=UTC)
SECOND = datetime(2026, 12, 6, 3, 15, tzinfo=UTC)


def run(name: str, started: datetime, *books: Book, tempest: dict[str, object] | None = None) -> Run:
    return Run(name, "debian-sid", started, "passed", "forky/sid", "2026.2", {}, {b.name: b for b in books}, tempest)


def test_headings_add_the_time_only_where_two_runs_share_a_date() -> None:
    runs = [run("a", FIRST), run("b", SECOND), run("c", SECOND.replace(hour=14, minute=2))]
    assert history.headings(runs, "en") == ["December 5, 2026", "December 6, 2026 03:15 UTC",
                                                "December 6, 2026 14:02 UTC"]
    assert history.headings(runs[:2], "ja") == ["2026年12月5日", "2026年12月6日"]


def test_names_follow_the_install_order_then_the_others() -> None:
    runs = [run("a", FIRST, Book("zed", "passed"), Book("keystone", "passed")),
            run("b", SECOND, Book("heat", "failed"))]
    assert history.names(runs, ["environment", "keystone", "heat"]) == ["keystone", "heat", "zed"]


def _cells(table: nodes.table) -> list[list[str]]:
    return [[" ".join(p.astext() for p in entry.findall(nodes.paragraph)) for entry in r.findall(nodes.entry)]
            for r in table.findall(nodes.row)]


def test_history_table_in_korean() -> None:
    runs = [run("a", FIRST, Book("keystone", "passed", 100), Book("heat", "passed", 80)),
            run("b", SECOND, Book("keystone", "passed", 101), Book("heat", "failed", 30), Book("horizon", "not run"),
                tempest={"passed": 250, "failed": 1, "skipped": 3, "failures": ["t"], "flaky": []})]
    table = history.history_table("debian-sid", runs, ["keystone", "heat", "horizon"], "ko")
    title = "Debian unstable(불안정판) · OpenStack 2026.2 Hibiscus에서의 최근 실행"
    assert table.next_node(nodes.title).astext() == title
    assert _cells(table) == [
        ["런북", "2026년 12월 5일", "2026년 12월 6일"],
        ["keystone", "통과 1분 40초", "통과 1분 41초"],
        ["heat", "통과 1분 20초", "실패 30초"],
        ["horizon", "—", "실행하지 않음"],
        ["Tempest(OpenStack API 테스트)", "아직 실행하지 않음", "통과 250개, 실패 1개, 건너뜀 3개"],
    ]
    classes = {n.astext(): n["classes"] for n in table.findall(nodes.inline)}
    assert classes["실패"] == ["sb-result", "sb-failed"] and classes["통과"] == ["sb-result", "sb-passed"]
    assert classes["30초"] == ["sb-duration"]


def test_changes_name_the_runs_and_each_kind_of_change() -> None:
    before = Run("a", "debian-sid", FIRST, "passed", packages={"python3-heatclient": "4.1.0-1", "gone": "1"},
                 books={"heat": Book("heat", "passed")})
    after = Run("b", "debian-sid", SECOND, "failed", packages={"python3-heatclient": "4.2.0-1", "new": "2"},
                books={"heat": Book("heat", "failed", differences=(DIFF,))})
    shown = history.changes(drift.between(before, after), "en")
    text = [node.astext() for node in shown]
    assert text[0] == "From the run of December 5, 2026 to the run of December 6, 2026:"
    assert "heat: passed → failed" in text[1]
    assert "python3-heatclient: 4.1.0-1 → 4.2.0-1" in text[1]
    assert "new: 2 (newly installed)" in text[1] and "gone: 1 (no longer installed)" in text[1]
    assert "heat: this output now differs from the reference:" in text[1] and "+not ready" in text[1]
    same = history.changes(drift.between(after, after), "ja")
    assert same[-1].astext() == ("この 2 回の実行の間で、結果、パッケージのバージョン、確認対象の出力に"
                                 "変化はありません。")


# -- the page in a real build ---------------------------------------------------------------

PAGE = """\
---
orphan: true
---
# Verification

```{verification-history}
:nights: 5
```
"""


def _write_records(folder: Path) -> None:
    """Two nights of the demo runbook on Debian unstable, as `stackbook run` writes them."""
    packages = {"keystone": "2:30.0.0-1", "python3-heatclient": "4.1.0-1"}
    first = facts.Facts("debian-sid", "forky/sid", "2026.2", packages)
    second = facts.Facts("debian-sid", "forky/sid", "2026.2", {**packages, "python3-heatclient": "4.2.0-1"})
    cells = [{"cell": 4, "step": 3, "source": "%%on controller: hostname", "seconds": 1.5}]
    error = {"cell": 4, "step": 3, "ename": "CommandFailed", "evalue": "heat stack-create failed\nmore",
             "kind": "failed check"}
    records.write(folder, records.build([Outcome("demo", "passed", 412.3, cells)], first, FIRST,
                                        FIRST.replace(minute=25), "passed"), {})
    records.write(folder, records.build([Outcome("demo", "failed", 80.1, cells, error, [DIFF])], second, SECOND,
                                        SECOND.replace(minute=17), "failed check"), {})


def _build(root: Path, results: Path) -> Path:
    (root / "docs" / "verification.md").write_text(PAGE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(records.ENV, str(results))
        found = site.build(root, root / "_build" / "html")
    for lang, (result, _) in found.items():
        assert result.ok, f"{lang} build with -W failed:\n" + "\n".join(result.tail(30))
    return root / "_build" / "html"


@pytest.fixture(scope="module")
def with_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site (whose runbook also has results in its metadata) built from two records."""
    root = make_root(tmp_path_factory.mktemp("root"), runbook({"debian-13": {
        "date": "2026-11-01", "status": "passed", "seconds": 1.0, "debian": "13.1", "openstack": "2025.1"}}))
    _write_records(root / "nightly")
    return _build(root, root / "nightly")


@pytest.fixture(scope="module")
def without_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site with an empty results folder and no results in the runbook."""
    root = make_root(tmp_path_factory.mktemp("root"), runbook())
    (root / "results").mkdir()
    return _build(root, root / "results")


def _text(html: str, start: str, end: str) -> str:
    part = html[html.index(start):]
    part = part[:part.index(end)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part)).strip()


def _page(built: Path, lang: str, page: str) -> str:
    return (built / lang / f"{page}.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "matrix", "drift_lines"), [
    ("en", "Debian 13 not verified in this build — — — "
           "Debian unstable · OpenStack 2026.2 Hibiscus failed December 6, 2026 1 min 20 s "
           "step 3: %%on controller: hostname heat stack-create failed",
     ["From the run of December 5, 2026 to the run of December 6, 2026:", "demo: passed → failed",
      "python3-heatclient: 4.1.0-1 → 4.2.0-1", "demo: this output now differs from the reference:"]),
    ("ja", "Debian 13 このビルドでは未検証 — — — "
           "Debian unstable (不安定版) · OpenStack 2026.2 Hibiscus 失敗 2026年12月6日 1分20秒 "
           "手順 3: %%on controller: hostname heat stack-create failed",
     ["2026年12月5日 の実行から 2026年12月6日 の実行までの変化:", "demo: 成功 → 失敗",
      "python3-heatclient: 4.1.0-1 → 4.2.0-1", "demo: 次の出力が参照と異なるようになりました:"]),
    ("ko", "Debian 13 이 빌드에서는 검증되지 않음 — — — "
           "Debian unstable(불안정판) · OpenStack 2026.2 Hibiscus 실패 2026년 12월 6일 1분 20초 "
           "3단계: %%on controller: hostname heat stack-create failed",
     ["2026년 12월 5일 실행부터 2026년 12월 6일 실행까지의 변화:", "demo: 통과 → 실패",
      "python3-heatclient: 4.1.0-1 → 4.2.0-1", "demo: 다음 출력이 참조와 달라졌습니다:"]),
])
def test_records_give_the_matrix_and_the_drift(with_records: Path, lang: str, matrix: str,
                                               drift_lines: list[str]) -> None:
    found = _text(_page(with_records, lang, "runbooks/demo"), '<table class="sb-verification', "</table>")
    assert matrix in found  # the records win over the runbook's older metadata (2026-11-01)
    page = _text(_page(with_records, lang, "docs/verification"), '<div class="sb-verification-history',
                 '<footer')
    for line in drift_lines:
        assert line in page, f"{lang}: {line!r} not in {page!r}"
    assert "+not ready" in page
    table = _text(_page(with_records, lang, "docs/verification"), '<table class="sb-history', "</table>")
    assert table.count("demo") == 1 and ("412" not in table)  # durations as words, one row per runbook


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "unverified", "none"), [
    ("en", "not verified in this build", "No run records in this build"),
    ("ja", "このビルドでは未検証", "このビルドには実行記録がありません"),
    ("ko", "이 빌드에서는 검증되지 않음", "이 빌드에는 실행 기록이 없습니다"),
])
def test_no_records_and_no_metadata_say_not_verified_in_this_build(without_records: Path, lang: str,
                                                                   unverified: str, none: str) -> None:
    found = _text(_page(without_records, lang, "runbooks/demo"), '<table class="sb-verification', "</table>")
    assert found.count(unverified) == 3 and "2026" not in found
    assert none in _page(without_records, lang, "docs/verification")


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "skipped: needs keystone, which failed"), ("ja", "スキップ (keystone が失敗したため)"),
    ("ko", "건너뜀(keystone 실패)")])
def test_a_skipped_runbook_names_the_failed_one_and_does_not_count_as_run(lang: str, expected: str) -> None:
    skipped = records.parse("20261206T030000Z", {"schema": records.SCHEMA, "platform": {"platform": "debian-13"},
                                                "runbooks": [{"runbook": "heat", "status": "skipped",
                                                              "skipped_for": "keystone"}]}).books["heat"]
    assert not skipped.ran and skipped.skipped_for == "keystone"
    assert nodes.paragraph("", "", *history.result(skipped, lang)).astext() == expected
