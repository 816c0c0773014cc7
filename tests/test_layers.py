"""Incremental snapshot layers: the pure choice, and real overlay mounts that show the layers
stacked on the earlier copy give the same tree as the node's upper folder did."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stackbook import layers
from stackbook.layers import Entry

OLD, NEW = 1_000, 10_000_000_000  # change times: long before the pause at PAUSED, and after it
PAUSED = 5_000_000_000


def test_new_and_changed_entries_are_copied_and_the_rest_left_to_the_layer_below() -> None:
    before = {"etc": Entry(True, OLD), "etc/a": Entry(False, OLD), "etc/b": Entry(False, OLD)}
    now = {"etc": Entry(True, NEW), "etc/a": Entry(False, OLD), "etc/b": Entry(False, NEW), "etc/c": Entry(False, OLD)}
    found = layers.change(before, now, PAUSED)
    assert found.copy == ("etc", "etc/b", "etc/c")  # etc/c is new, whatever its time says
    assert found.whiteouts == () and found.opaque == frozenset()


def test_a_change_just_before_the_pause_is_copied_again() -> None:
    before = {"f": Entry(False, PAUSED - 10)}
    assert layers.change(before, {"f": Entry(False, PAUSED - 10)}, PAUSED).copy == ("f",)


def test_what_went_gets_a_whiteout_once_at_its_top() -> None:
    before = {"a": Entry(True, OLD), "a/b": Entry(True, OLD), "a/b/c": Entry(False, OLD), "d": Entry(False, OLD)}
    found = layers.change(before, {"d": Entry(False, OLD)}, PAUSED)
    assert found.whiteouts == ("a",)


def test_a_folder_that_became_opaque_is_copied_whole_and_keeps_its_mark() -> None:
    before = {"v": Entry(True, OLD), "v/x": Entry(False, OLD), "v/y": Entry(False, OLD)}
    now = {"v": Entry(True, NEW, opaque=True), "v/y": Entry(False, OLD)}
    found = layers.change(before, now, PAUSED)
    assert found.copy == ("v", "v/y") and found.opaque == {"v"}
    assert found.whiteouts == ()  # the opaque folder hides v/x already


def test_a_folder_opaque_already_is_written_without_its_mark() -> None:
    before = {"v": Entry(True, OLD, opaque=True), "v/x": Entry(False, OLD)}
    now = {"v": Entry(True, NEW, opaque=True), "v/x": Entry(False, OLD), "v/z": Entry(False, NEW)}
    found = layers.change(before, now, PAUSED)
    assert found.copy == ("v", "v/z") and found.opaque == frozenset()


def test_no_whiteout_under_a_folder_that_is_now_a_file() -> None:
    before = {"p": Entry(True, OLD), "p/q": Entry(False, OLD)}
    found = layers.change(before, {"p": Entry(False, NEW)}, PAUSED)
    assert found.copy == ("p",) and found.whiteouts == ()


# -- real overlays -----------------------------------------------------------------------

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="overlay mounts need root")


def _mount(lower: list[Path], merged: Path, upper: Path | None = None, work: Path | None = None) -> None:
    options = "lowerdir=" + ":".join(map(str, lower))
    if upper is not None:
        options += f",upperdir={upper},workdir={work}"
    subprocess.run(["mount", "-t", "overlay", "-o", options, "overlay", str(merged)], check=True)


def _tree(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry's type, mode, owner, and content or link target."""
    found: dict[str, tuple[object, ...]] = {}
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = Path(folder, name)
            info = path.lstat()
            what: object = (os.readlink(path) if path.is_symlink() else
                            path.read_bytes() if path.is_file() else None)
            found[str(path.relative_to(root))] = (info.st_mode, info.st_uid, info.st_gid, what)
    return found


@pytest.fixture
def overlay(tmp_path: Path) -> Iterator[Path]:
    for name in ("base", "upper", "work", "merged", "check"):
        (tmp_path / name).mkdir()
    base = tmp_path / "base"
    (base / "etc/app").mkdir(parents=True)
    (base / "etc/app/base.conf").write_text("from the base\n")
    (base / "etc/gone-from-base").write_text("x\n")
    (base / "etc/svc").mkdir()
    (base / "etc/svc/unit").write_text("from the base\n")
    (base / "var/lib/db").mkdir(parents=True)
    (base / "var/lib/db/old").write_text("old data\n")
    _mount([base], tmp_path / "merged", tmp_path / "upper", tmp_path / "work")
    try:
        yield tmp_path
    finally:
        for name in ("check", "merged"):
            subprocess.run(["umount", "-l", str(tmp_path / name)], check=False)


@needs_root
def test_layers_stacked_on_the_first_copy_show_the_upper_folder_as_it_is(
        overlay: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layers, "MARGIN_NS", 0)  # all of this happens within the margin's second
    merged, upper = overlay / "merged", overlay / "upper"
    # Before the first snapshot: a runbook installs and configures.
    (merged / "etc/app/app.conf").write_text("first\n")
    (merged / "srv/data").mkdir(parents=True)
    (merged / "srv/data/keep").write_text("kept\n")
    (merged / "srv/data/drop").write_text("dropped later\n")
    (merged / "srv/static").mkdir()
    (merged / "srv/static/index.html").write_text("<p>unchanged</p>\n")
    (merged / "srv/tmp").mkdir()
    (merged / "srv/tmp/scratch").write_text("scratch\n")
    (merged / "etc/gone-from-base").unlink()
    (merged / "etc/svc/local").write_text("first\n")  # etc/svc in the upper folder, not opaque
    shutil.rmtree(merged / "var/lib/db")
    (merged / "var/lib/db").mkdir()  # over the base's: opaque in the upper folder
    (merged / "var/lib/db/new").write_text("new data\n")
    paused = time.time_ns()
    first = layers.listing(upper)
    subprocess.run(["cp", "-a", str(upper), str(overlay / "layer1")], check=True)
    assert first["var/lib/db"].opaque
    time.sleep(0.05)  # inode times come from a clock that may lag a few milliseconds
    # After it: the next runbook changes, removes, recreates, links and chmods.
    (merged / "etc/app/app.conf").write_text("second\n")
    (merged / "etc/app/base.conf").write_text("changed over the base\n")
    (merged / "srv/data/drop").unlink()
    shutil.rmtree(merged / "srv/tmp")
    (merged / "srv/new").symlink_to("data/keep")
    os.link(merged / "srv/data/keep", merged / "srv/data/keep-too")
    (merged / "srv/data").chmod(0o750)
    os.chown(merged / "etc/app/app.conf", 0, 4)
    shutil.rmtree(merged / "var/lib/db")
    (merged / "var/lib/db").mkdir()  # opaque already at the first snapshot
    (merged / "var/lib/db/newer").write_text("newer data\n")
    shutil.rmtree(merged / "etc/svc")
    (merged / "etc/svc").mkdir()  # opaque now: hides etc/svc/unit and etc/svc/local below
    (merged / "etc/svc/fresh").write_text("second\n")
    wanted = _tree(merged)

    found = layers.change(first, layers.listing(upper), paused)
    layers.write(upper, overlay / "layer2", found)
    assert "etc/app/app.conf" in found.copy and "srv/data/drop" in found.whiteouts
    assert "srv/static/index.html" not in found.copy  # unchanged: the first layer has it
    assert found.opaque == {"etc/svc"} and not first["etc/svc"].opaque

    _mount([overlay / "layer2", overlay / "layer1", overlay / "base"], overlay / "check")
    assert _tree(overlay / "check") == wanted
