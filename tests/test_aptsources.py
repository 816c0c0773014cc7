from __future__ import annotations

from pathlib import Path

import pytest

from stackbook import aptsources
from stackbook.aptsources import Source
from stackbook.errors import NodeError

DEB822 = """Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://mirror.example/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Enabled: no
"""


def test_deb822() -> None:
    assert aptsources.parse_deb822(DEB822) == [
        Source("http://mirror.example/debian", "bookworm", ("main", "contrib")),
        Source("http://mirror.example/debian", "bookworm-updates", ("main", "contrib")),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("deb http://m/debian bookworm main", [Source("http://m/debian", "bookworm", ("main",))]),
        ("deb [arch=amd64 signed-by=/k.gpg] http://m/d bookworm-security main non-free",
         [Source("http://m/d", "bookworm-security", ("main", "non-free"))]),
        ("# deb http://m/debian bookworm main", []),
        ("deb-src http://m/debian bookworm main", []),
    ],
)
def test_one_line(line: str, expected: list[Source]) -> None:
    assert aptsources.parse_one_line(line) == expected


def test_host_sources_from_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(aptsources.OVERRIDE_ENV, raising=False)
    (tmp_path / "etc/apt/sources.list.d").mkdir(parents=True)
    (tmp_path / "etc/apt/sources.list.d/debian.sources").write_text(DEB822)
    (tmp_path / "etc/apt/sources.list").write_text("deb http://other/ubuntu jammy main\n")
    assert [s.suite for s in aptsources.host_sources(tmp_path)] == ["bookworm", "bookworm-updates"]


def test_override_and_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(aptsources.OVERRIDE_ENV, "deb http://m/d bookworm main;deb http://m/d bookworm-updates main")
    assert len(aptsources.host_sources(tmp_path)) == 2
    monkeypatch.delenv(aptsources.OVERRIDE_ENV)
    with pytest.raises(NodeError, match=aptsources.OVERRIDE_ENV):
        aptsources.host_sources(tmp_path)
