"""Atomic writes on a real file system: content, permissions, nothing left behind."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

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
