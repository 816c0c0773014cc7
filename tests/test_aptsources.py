from __future__ import annotations

from pathlib import Path

import pytest

from stackbook import aptsources, platforms
from stackbook.aptsources import Source
from stackbook.errors import NodeError

TRIXIE, SID, BOOKWORM = (platforms.get(n) for n in ("debian-13", "debian-sid", "debian-12"))

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
    assert [s.suite for s in aptsources.host_sources(BOOKWORM, tmp_path)] == ["bookworm", "bookworm-updates"]
    assert [s.suite for s in aptsources.host_sources(TRIXIE, tmp_path)] == ["trixie", "trixie-updates"]


HOST = [
    Source("http://m/debian", "bookworm", ("main",)),
    Source("http://m/debian", "bookworm-updates", ("main",)),
    Source("http://m/debian-security", "bookworm-security", ("main",)),
    Source("http://other/ubuntu", "jammy", ("main",)),
]


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        (TRIXIE, ["http://m/debian trixie", "http://m/debian trixie-updates",
                  "http://m/debian-security trixie-security"]),
        # unstable has no -updates or -security suites: only the main archive
        (SID, ["http://m/debian sid"]),
        (BOOKWORM, ["http://m/debian bookworm", "http://m/debian bookworm-updates",
                    "http://m/debian-security bookworm-security"]),
    ],
)
def test_sources_are_re_aimed_at_the_platform(platform: platforms.Platform, expected: list[str]) -> None:
    assert [f"{s.uri} {s.suite}" for s in aptsources.for_platform(HOST, platform)] == expected


def test_sources_are_not_repeated() -> None:
    twice = [Source("http://m/d", "bookworm", ("main",)), Source("http://m/d", "trixie", ("main",))]
    assert aptsources.for_platform(twice, SID) == [Source("http://m/d", "sid", ("main",))]


def test_override_and_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(aptsources.OVERRIDE_ENV, "deb http://m/d bookworm main;deb http://m/d bookworm-updates main")
    assert [s.suite for s in aptsources.host_sources(TRIXIE, tmp_path)] == ["trixie", "trixie-updates"]
    monkeypatch.delenv(aptsources.OVERRIDE_ENV)
    with pytest.raises(NodeError, match=aptsources.OVERRIDE_ENV):
        aptsources.host_sources(TRIXIE, tmp_path)
