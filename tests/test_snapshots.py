"""Snapshot keys, the choice of snapshot to restore, pruning under a cap, and the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from nbformat import v4

from stackbook import snapshots
from stackbook.snapshots import Snapshot, SnapshotError

ROOT = snapshots.root_key("debian-13", "rootfs-trixie-abc.tar", "2026-12-05T14:07:00+00:00")
BOOKS = [("environment", "h1", {"A": "1"}), ("keystone", "h2", {}), ("glance", "h3", {})]


def nb(*sources: str, markdown: str = "Intro", **meta: object) -> object:
    book = v4.new_notebook(cells=[v4.new_markdown_cell(markdown), *(v4.new_code_cell(s) for s in sources)])
    book.metadata["stackbook"] = {"title": "T", **meta}
    return book


def snap(key: str, created: str, size: int, below: tuple[str, ...] = ()) -> Snapshot:
    return Snapshot(key, "debian-13", (key,), created, size, below)


def test_editing_a_runbook_changes_its_key_and_every_later_one_only() -> None:
    before = snapshots.chain(ROOT, BOOKS)
    edited = snapshots.chain(ROOT, [BOOKS[0], ("keystone", "h2-edited", {}), BOOKS[2]])
    assert edited[0] == before[0]
    assert edited[1] != before[1] and edited[2] != before[2]
    assert len(set(before)) == 3


def test_editing_the_first_runbook_invalidates_the_whole_chain() -> None:
    before = snapshots.chain(ROOT, BOOKS)
    edited = snapshots.chain(ROOT, [("environment", "h1-edited", {"A": "1"}), *BOOKS[1:]])
    assert not set(before) & set(edited)


@pytest.mark.parametrize("change", [
    {"platform": "debian-12"}, {"base": "rootfs-trixie-def.tar"}, {"date": "2026-12-06T00:00:00+00:00"},
])
def test_platform_base_and_index_date_each_start_another_chain(change: dict[str, str]) -> None:
    args = {"platform": "debian-13", "base": "rootfs-trixie-abc.tar", "date": "2026-12-05T14:07:00+00:00"} | change
    other = snapshots.root_key(args["platform"], args["base"], args["date"])
    assert snapshots.chain(other, BOOKS)[0] != snapshots.chain(ROOT, BOOKS)[0]


def test_the_values_a_runbook_is_given_are_part_of_its_key() -> None:
    other = snapshots.chain(ROOT, [("environment", "h1", {"A": "2"})])
    assert other[0] != snapshots.chain(ROOT, BOOKS)[0]


def test_content_counts_code_and_how_it_runs_not_prose_outputs_or_results() -> None:
    base = snapshots.content(nb("%%on controller\necho a"))
    prose = nb("%%on controller\necho a", markdown="Other words")
    with_output = nb("%%on controller\necho a", verified={"debian-13": {"status": "passed"}})
    with_output.cells[1].outputs = [v4.new_output("stream", text="a\n")]
    assert snapshots.content(prose) == base
    assert snapshots.content(with_output) == base
    assert snapshots.content(nb("%%on controller\necho b")) != base
    assert snapshots.content(nb("%%on controller\necho a", requires=["x"])) != base


def test_index_date_is_the_newest_release_date_else_the_fallback() -> None:
    texts = ["Origin: Debian\nDate: Sat, 05 Dec 2026 08:12:01 UTC\n", "Date: Fri, 04 Dec 2026 20:00:00 UTC\n"]
    assert snapshots.index_date(texts, "x") == "2026-12-05T08:12:01+00:00"
    assert snapshots.index_date(["no date here"], "fallback") == "fallback"
    assert snapshots.index_date(["Date: not a date"], "fallback") == "fallback"


def test_choose_takes_the_longest_prefix_with_a_usable_snapshot() -> None:
    keys = snapshots.chain(ROOT, BOOKS)
    known = {keys[0]: snap(keys[0], "1", 1), keys[1]: snap(keys[1], "2", 1, (keys[0],))}
    assert snapshots.choose(keys, known) == 2
    assert snapshots.choose(keys, {}) == 0
    assert snapshots.choose(keys, {keys[0]: known[keys[0]]}) == 1


def test_choose_skips_a_snapshot_whose_lower_layer_is_gone() -> None:
    keys = snapshots.chain(ROOT, BOOKS)
    orphan = snap(keys[1], "2", 1, ("pruned-layer",))
    assert snapshots.choose(keys, {keys[0]: snap(keys[0], "1", 1), keys[1]: orphan}) == 1


def test_choose_ignores_snapshots_of_another_chain() -> None:
    keys = snapshots.chain(ROOT, BOOKS)
    stranger = snapshots.chain(ROOT, [("environment", "other", {})])[0]
    assert snapshots.choose(keys, {stranger: snap(stranger, "1", 1)}) == 0


def test_prune_removes_oldest_first_until_under_the_cap() -> None:
    found = [snap("c", "2026-12-03", 10), snap("a", "2026-12-01", 10), snap("b", "2026-12-02", 10)]
    assert snapshots.prune(found, cap=30) == []
    assert snapshots.prune(found, cap=25) == ["a"]
    assert snapshots.prune(found, cap=10) == ["a", "b"]


def test_pruning_a_layer_prunes_what_stands_on_it_and_keeps_those_in_use() -> None:
    found = [snap("a", "1", 10), snap("b", "2", 10, ("a",)), snap("c", "3", 10)]
    assert snapshots.prune(found, cap=15) == ["a", "b"]
    assert snapshots.prune(found, cap=15, keep={"b", "a"}) == ["c"]


@pytest.mark.parametrize(("text", "size"), [
    ("20G", 20 * 1024**3), ("512M", 512 * 1024**2), ("1.5T", int(1.5 * 1024**4)), ("4096", 4096), ("2GiB", 2 * 1024**3),
])
def test_parse_size(text: str, size: int) -> None:
    assert snapshots.parse_size(text) == size


def test_a_bad_size_says_how_to_write_one() -> None:
    with pytest.raises(SnapshotError, match=r"e\.g\. 20G"):
        snapshots.parse_size("lots")


def test_the_store_keeps_complete_snapshots_and_finds_them_by_prefix(state: Path) -> None:
    snapshots.layer("abc123").mkdir(parents=True)
    snapshots.write(Snapshot("abc123", "debian-13", ("one",), "2026-12-06T00:00:00", 5, (), ("web",), (8000,)))
    (snapshots.store() / "half-written" / "layer").mkdir(parents=True)
    assert set(snapshots.load_all()) == {"abc123"}
    assert snapshots.get("abc").services == ("web",)
    with pytest.raises(SnapshotError, match="stackbook node snapshots"):
        snapshots.get("zzz")
    snapshots.remove("abc123")
    assert snapshots.load_all() == {}


def test_a_snapshot_standing_on_a_removed_layer_is_refused(state: Path) -> None:
    snapshots.write(Snapshot("top", "debian-13", ("a", "b"), "2", 5, ("gone",)))
    with pytest.raises(SnapshotError, match="pruned"):
        snapshots.get("top")
