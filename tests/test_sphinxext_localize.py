"""Formatting for the page's language: dates with Babel, durations, release and status words."""

from __future__ import annotations

from datetime import date

import pytest

from stackbook.series import Series
from stackbook.sphinxext import localize

EPOXY = Series("2025.1", "Epoxy", 27, date(2025, 4, 2), "unmaintained", date(2026, 10, 2))
ZED = Series("2022.2", "Zed", 22, date(2022, 10, 5), "end of life", None)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "December 5, 2026"), ("ja", "2026年12月5日"), ("ko", "2026년 12월 5일"),
])
def test_day(lang: str, expected: str) -> None:
    assert localize.day(date(2026, 12, 5), lang) == expected


@pytest.mark.parametrize(("seconds", "lang", "expected"), [
    (412.3, "en", "6 min 52 s"), (412.3, "ja", "6分52秒"), (412.3, "ko", "6분 52초"),
    (52.4, "en", "52 s"), (52.4, "ja", "52秒"), (0.2, "ko", "0초"),
    (59.6, "en", "1 min 0 s"), (3900, "en", "1 h 5 min"), (3900, "ja", "1時間5分"), (3900, "ko", "1시간 5분"),
])
def test_duration(seconds: float, lang: str, expected: str) -> None:
    assert localize.duration(seconds, lang) == expected


@pytest.mark.parametrize(("name", "openstack", "expected"), [
    ("debian-13", "2025.1", "Debian 13 · OpenStack 2025.1 Epoxy"),
    ("debian-sid", "2026.2", "Debian unstable · OpenStack 2026.2 Hibiscus"),
    ("debian-12", "", "Debian 12"),
    ("debian-12", "2099.1", "Debian 12 · OpenStack 2099.1"),  # a series series.py does not know yet
])
def test_platform_label(name: str, openstack: str, expected: str) -> None:
    assert localize.platform_label(name, openstack) == expected


@pytest.mark.parametrize(("name", "lang", "expected"), [
    ("debian-sid", "en", "Debian unstable · OpenStack 2026.2 Hibiscus"),
    ("debian-sid", "ja", "Debian unstable (不安定版) · OpenStack 2026.2 Hibiscus"),
    ("debian-sid", "ko", "Debian unstable(불안정판) · OpenStack 2026.2 Hibiscus"),
    ("debian-13", "ja", "Debian 13 · OpenStack 2026.2 Hibiscus"),  # a number needs no translation
])
def test_platform_label_in_the_page_language(name: str, lang: str, expected: str) -> None:
    assert localize.platform_label(name, "2026.2", lang) == expected


@pytest.mark.parametrize(("found", "lang", "expected"), [
    (EPOXY, "en", "unmaintained since October 2, 2026"),
    (EPOXY, "ja", "保守対象外 (Unmaintained)、2026年10月2日以降"),
    (EPOXY, "ko", "유지 관리 종료(Unmaintained), 2026년 10월 2일부터"),
    (ZED, "en", "end of life"),
    (ZED, "ja", "サポート終了 (End of Life)"),
    (Series("2099.1", "Zzz", 99, date(2099, 1, 1), "development", None), "ko", "development"),
])
def test_upstream_status(found: Series, lang: str, expected: str) -> None:
    assert localize.upstream_status(found, lang) == expected


@pytest.mark.parametrize(("status", "lang", "expected"), [
    ("passed", "en", "passed"), ("failed", "en", "failed"), ("differs", "en", "outputs differ"),
    ("passed", "ja", "成功"), ("differs", "ja", "出力が参照と異なる"), ("failed", "ko", "실패"),
    ("not run", "ja", "not run"),
])
def test_result(status: str, lang: str, expected: str) -> None:
    assert localize.result(status, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [("en", "A and B"), ("ja", "A、B"), ("ko", "A 및 B")])
def test_join(lang: str, expected: str) -> None:
    assert localize.join(["A", "B"], lang) == expected


def test_every_platform_ships_a_known_series() -> None:
    from stackbook import platforms, series

    assert all(series.get(p.ships) for p in platforms.PLATFORMS.values())
    assert localize.shipped("debian-99") == ""
