"""OpenStack release series from Zed on: upstream status and dates, and the series of a keystone package."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stackbook.errors import StackbookError


@dataclass(frozen=True)
class Series:
    """One OpenStack release series, as openstack/releases describes it."""

    version: str  # "2025.1": the release-id upstream gives it
    name: str  # "Epoxy"
    keystone: int  # keystone's major version in that series (27 for 2025.1)
    released: date  # initial release date
    status: str  # "maintained" | "unmaintained" | "end of life" (upstream wording)
    since: date | None  # when the current status began, if upstream says

    @property
    def label(self) -> str:
        """Version and name, as pages show them: "2025.1 Epoxy"."""
        return f"{self.version} {self.name}"


M, U, EOL = "maintained", "unmaintained", "end of life"

# Source: github.com/openstack/releases at 02df7c9a3cc39cf886c8c1b8181d5e4ed96781c9 (2026-08-21):
# data/series_status.yaml (release-id, initial-release, status, eol-date) and
# deliverables/<name>/keystone.yaml (first keystone release of the series). "since" is the eol-date for
# end of life, the initial-release for maintained, and None for unmaintained (the file gives no date).
TABLE: tuple[Series, ...] = (
    # Zed has no release-id upstream; "2022.2" is our number for it (the year-based scheme began at 2023.1).
    # End of life: openstack/releases' data/series_status.yaml as read on 2026-12-05 (shared/FINDINGS.md);
    # the older snapshot in the search index still said unmaintained and gives no date.
    Series("2022.2", "Zed", 22, date(2022, 10, 5), EOL, None),
    Series("2023.1", "Antelope", 23, date(2023, 3, 22), U, None),
    Series("2023.2", "Bobcat", 24, date(2023, 10, 4), EOL, date(2025, 4, 30)),
    Series("2024.1", "Caracal", 25, date(2024, 4, 3), U, None),
    Series("2024.2", "Dalmatian", 26, date(2024, 10, 2), EOL, date(2026, 4, 29)),
    # Unmaintained since 2026-10-02: series_status.yaml as read on 2026-12-05 (shared/FINDINGS.md), the
    # date the older snapshot already scheduled. Debian 13 still supports its packages.
    Series("2025.1", "Epoxy", 27, date(2025, 4, 2), U, date(2026, 10, 2)),
    Series("2025.2", "Flamingo", 28, date(2025, 10, 1), M, date(2025, 10, 1)),
    Series("2026.1", "Gazpacho", 29, date(2026, 4, 1), M, date(2026, 4, 1)),
    # Released 2026-09-30 and maintained (series_status.yaml as read on 2026-12-05, shared/FINDINGS.md);
    # keystone 30 is what Debian unstable ships as 2026.2 (2:30.0.0).
    Series("2026.2", "Hibiscus", 30, date(2026, 9, 30), M, date(2026, 9, 30)),
)

_BY_VERSION = {s.version: s for s in TABLE}
_BY_KEYSTONE = {s.keystone: s for s in TABLE}
# [epoch:]major.rest[-debian_revision], e.g. 2:27.0.0-1, 2:22.0.2-0+deb12u1, 2:30.0.0~rc1-1
_DEBIAN_VERSION = re.compile(r"(?:\d+:)?(\d+)[.~+][0-9A-Za-z.+~-]*")


def _known() -> str:
    return ", ".join(s.label for s in TABLE)


def get(version: str) -> Series:
    """The series with release-id ``version`` ("2025.1")."""
    try:
        return _BY_VERSION[version]
    except KeyError:
        raise StackbookError(f"unknown OpenStack series {version!r}: known are {', '.join(_BY_VERSION)}") from None


def from_keystone(package_version: str) -> Series:
    """The series a Debian keystone package version ("2:27.0.0-1") belongs to."""
    match = _DEBIAN_VERSION.fullmatch(package_version.strip())
    if match is None:
        raise StackbookError(
            f"cannot read keystone package version {package_version!r}: expected [epoch:]major.minor.patch-revision"
        )
    major = int(match.group(1))
    try:
        return _BY_KEYSTONE[major]
    except KeyError:
        raise StackbookError(
            f"keystone {package_version} (major {major}) belongs to no known OpenStack series; known are "
            f"{_known()} (keystone {TABLE[0].keystone} to {TABLE[-1].keystone}): "
            "add a row to the table in src/stackbook/series.py"
        ) from None
