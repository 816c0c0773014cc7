"""Atomic writes on a real file system: content, permissions, nothing left behind."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from stackbook import files
from stackbook.files import write_atomic, write_notebook


@pytest.fixture
def no_umask() -> Iterator[None]:
    """Umask 0, so the mode a file gets is exactly the one asked for."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize(("data", "expected"), [
    ("Keystone のインストール\n", "Keystone のインストール\n".encode()),
    (b"\x00\xffbytes", b"\x00\xffbytes"),
])
def test_replaces_the_file_and_leaves_nothing_else(tmp_path: Path, data: str | bytes, expected: bytes) -> None:
    path = tmp_path / "summary.json"
    path.write_text("old")
    write_atomic(path, data)
    assert path.read_bytes() == expected
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize(("mode", "expected"), [(0o666, 0o666), (0o600, 0o600)])
def test_mode_is_the_new_files(tmp_path: Path, no_umask: None, mode: int, expected: int) -> None:
    path = tmp_path / "secrets.json"
    path.write_text("{}")
    path.chmod(0o644)
    write_atomic(path, "{}", mode=mode)
    assert stat.S_IMODE(path.stat().st_mode) == expected


def test_a_failed_write_keeps_the_old_file_and_removes_its_temporary(tmp_path: Path) -> None:
    taken = tmp_path / "run.ipynb"
    taken.mkdir()  # the rename over a folder fails after the temporary file is written
    with pytest.raises(OSError):
        write_atomic(taken, "{}")
    assert taken.is_dir() and list(tmp_path.iterdir()) == [taken]


def test_a_notebook_is_written_as_nbformat_writes_it(tmp_path: Path) -> None:
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# ランブック"), v4.new_code_cell("%%on controller\ntrue")])
    ours, theirs = tmp_path / "ours.ipynb", tmp_path / "theirs.ipynb"
    write_notebook(ours, nb)
    nbformat.write(nb, theirs)
    assert ours.read_bytes() == theirs.read_bytes()


def _site(folder: Path, text: str) -> Path:
    (folder / "en").mkdir(parents=True, exist_ok=True)
    (folder / "en" / "index.html").write_text(text)
    return folder


def test_a_folder_is_replaced_only_when_what_made_it_is_ok(tmp_path: Path) -> None:
    site = _site(tmp_path / "html", "old")

    def make(staging: Path) -> bool:
        assert (staging / "en" / "index.html").read_text() == "old"  # a copy: incremental builds see it
        _site(staging, "new")
        return True

    assert files.replace_folder(site, make, bool) is True
    assert (site / "en" / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]


def test_a_failed_or_interrupted_make_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    site = _site(tmp_path / "html", "old")

    def failing(staging: Path) -> bool:
        _site(staging, "half")
        return False

    def interrupted(staging: Path) -> bool:
        _site(staging, "half")
        raise KeyboardInterrupt

    assert files.replace_folder(site, failing, bool) is False
    with pytest.raises(KeyboardInterrupt):
        files.replace_folder(site, interrupted, bool)
    assert (site / "en" / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]


def test_a_killed_make_s_staging_folder_is_cleared_by_the_next(tmp_path: Path) -> None:
    _site(tmp_path / ".html.new", "left by a build killed with SIGKILL")
    assert files.replace_folder(tmp_path / "html", lambda staging: _site(staging, "new"), lambda _: True)
    assert (tmp_path / "html" / "en" / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]


def test_exchange_swaps_two_folders_and_names_them_when_it_cannot(tmp_path: Path) -> None:
    first, second = _site(tmp_path / "a", "a"), _site(tmp_path / "b", "b")
    files.exchange(first, second)
    assert (first / "en" / "index.html").read_text() == "b"
    assert (second / "en" / "index.html").read_text() == "a"
    with pytest.raises(OSError, match=r"cannot exchange .*missing"):
        files.exchange(first, tmp_path / "missing")
