"""Pure formatting for the page's language: dates, durations, lists, release and status words."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from babel.dates import format_date
from babel.lists import format_list

from stackbook import platforms, series
from stackbook.errors import StackbookError
from stackbook.sphinxext.labels import LABELS, PLATFORM_NAMES, label

# The OpenStack series each platform's Debian release ships. Debian stable releases keep theirs for
# life; unstable moves on, so a measured series in a run's record takes precedence where there is one.


def day(value: date, lang: str) -> str:
    """A date as the language writes it: "December 5, 2026", "2026年12月5日", "2026년 12월 5일"."""
    return format_date(value, format="long", locale=lang)


def duration(seconds: float, lang: str) -> str:
    """A run's length, to the second: "52 s", "6 min 52 s", "1 h 5 min" (in ``lang``'s units)."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return label(lang, "hours", h=str(hours), m=str(minutes))
    if minutes:
        return label(lang, "minutes", m=str(minutes), s=str(secs))
    return label(lang, "seconds", s=str(secs))


def join(items: Iterable[str], lang: str) -> str:
    """A list as a sentence would give it: "A and B", "A、B", "A 및 B"."""
    return format_list(list(items), locale=lang)


def series_label(version: str) -> str:
    """ "2025.1 Epoxy" for a known series; the version as given for one series.py does not know."""
    try:
        return series.get(version).label
    except StackbookError:
        return version


def platform_label(name: str, openstack: str = "", lang: str = "en") -> str:
    """ "Debian 13 · OpenStack 2025.1 Epoxy", or the Debian label alone when the series is unknown;
    the Debian release named as ``lang`` names it."""
    debian = platforms.PLATFORMS[name].label if name in platforms.PLATFORMS else name
    debian = PLATFORM_NAMES.get(lang, {}).get(name, debian)
    return f"{debian} · OpenStack {series_label(openstack)}" if openstack else debian


def shipped(name: str) -> str:
    """The series the platform's Debian release ships ("" for an unknown platform)."""
    found = platforms.PLATFORMS.get(name)
    return found.ships if found else ""


def upstream_status(found: series.Series, lang: str) -> str:
    """Upstream's status of a series in ``lang``, with the date it began when upstream gives one."""
    key = "status_" + found.status.replace(" ", "_")
    status = label(lang, key) if key in LABELS["en"] else found.status
    if found.since is None:
        return status
    return label(lang, "status_since", status=status, date=day(found.since, lang))


def result(status: str, lang: str) -> str:
    """A run's result in words: passed, failed, outputs differ (a status we don't know: as written)."""
    if status in ("passed", "failed", "differs"):
        return label(lang, "result_" + status)
    return status
