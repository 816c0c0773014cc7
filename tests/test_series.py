from __future__ import annotations

from datetime import date

import pytest

from stackbook import series
from stackbook.errors import StackbookError


@pytest.mark.parametrize(
    ("package_version", "expected"),
    [
        ("2:22.0.2-0+deb12u1", "2022.2"),  # bookworm
        ("2:22.0.0-2", "2022.2"),
        ("2:23.0.0-1", "2023.1"),
        ("2:24.0.0-1", "2023.2"),
        ("2:25.0.0-1", "2024.1"),
        ("2:26.0.0-2", "2024.2"),
        ("2:27.0.0-3", "2025.1"),  # trixie
        ("2:27.0.0-3+deb13u1", "2025.1"),
        ("2:28.0.0~rc1-1", "2025.2"),
        ("2:29.0.1-1", "2026.1"),
        ("2:30.0.0-1", "2026.2"),
        ("27.0.0-1", "2025.1"),  # no epoch
        (" 2:27.0.0-1\n", "2025.1"),  # as dpkg-query prints it
    ],
)
def test_from_keystone(package_version: str, expected: str) -> None:
    assert series.from_keystone(package_version).version == expected


def test_from_keystone_examples() -> None:
    assert series.from_keystone("2:22.0.2-0+deb12u1").label == "2022.2 Zed"
    assert series.from_keystone("2:27.0.0-3").label == "2025.1 Epoxy"
    assert series.from_keystone("2:30.0.0-1").label == "2026.2 Hibiscus"


@pytest.mark.parametrize("package_version", ["2:21.0.0-1", "2:31.0.0-1", "2:9.0.0-1"])
def test_from_keystone_unknown_major(package_version: str) -> None:
    with pytest.raises(StackbookError) as info:
        series.from_keystone(package_version)
    message = str(info.value)
    assert package_version in message
    assert "2022.2 Zed" in message and "2026.2 Hibiscus" in message
    assert "src/stackbook/series.py" in message


@pytest.mark.parametrize(
    "package_version", ["", "   ", "garbage", "2:", "2:abc-1", "27", "2:27", "(none)", "x:27.0.0-1"]
)
def test_from_keystone_garbage(package_version: str) -> None:
    with pytest.raises(StackbookError, match="cannot read keystone package version"):
        series.from_keystone(package_version)


@pytest.mark.parametrize(
    ("version", "name", "keystone"),
    [
        ("2022.2", "Zed", 22),
        ("2023.1", "Antelope", 23),
        ("2024.2", "Dalmatian", 26),
        ("2025.1", "Epoxy", 27),
        ("2026.2", "Hibiscus", 30),
    ],
)
def test_get(version: str, name: str, keystone: int) -> None:
    found = series.get(version)
    assert (found.version, found.name, found.keystone) == (version, name, keystone)


@pytest.mark.parametrize("version", ["2022.1", "zed", "Epoxy", "2027.1", ""])
def test_get_unknown(version: str) -> None:
    with pytest.raises(StackbookError, match=r"unknown OpenStack series") as info:
        series.get(version)
    assert "2022.2" in str(info.value) and "2026.2" in str(info.value)


def test_label() -> None:
    assert series.get("2025.1").label == "2025.1 Epoxy"
    assert series.get("2022.2").label == "2022.2 Zed"
    assert series.get("2026.2").label == "2026.2 Hibiscus"


def test_table_order_and_uniqueness() -> None:
    table = series.TABLE
    assert [s.released for s in table] == sorted(s.released for s in table)
    assert len({s.released for s in table}) == len(table)
    assert len({s.version for s in table}) == len(table)
    assert len({s.name for s in table}) == len(table)
    assert [s.version for s in table] == sorted(s.version for s in table)
    assert [s.keystone for s in table] == list(range(table[0].keystone, table[0].keystone + len(table)))


def test_table_span() -> None:
    assert (series.TABLE[0].label, series.TABLE[-1].label) == ("2022.2 Zed", "2026.2 Hibiscus")
    assert len(series.TABLE) == 9


def test_statuses_and_dates() -> None:
    for s in series.TABLE:
        assert s.status in {"maintained", "unmaintained", "end of life"}
        if s.since is not None:
            assert s.released <= s.since
    assert series.get("2023.2").since == date(2025, 4, 30)
    assert series.get("2024.2").since == date(2026, 4, 29)
    assert (series.get("2025.1").status, series.get("2025.1").since) == ("unmaintained", date(2026, 10, 2))
