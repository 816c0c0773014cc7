"""The verification matrix under a runbook's title: its last run on each platform, and the download."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from docutils import nodes

from stackbook import platforms
from stackbook.sphinxext import localize
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.tables import Cell, row, table
from stackbook.sphinxext.verification import STATUSES, Failure, Record

NONE = "—"  # an empty cell


@dataclass(frozen=True)
class Row:
    """One platform's line of the matrix, in the page's language."""

    platform: str  # Debian 13 · OpenStack 2025.1 Epoxy
    state: str  # passed | failed | differs | unverified | unknown: the row's CSS class is sb-<state>
    result: str
    day: str = NONE
    duration: str = NONE
    failure: Failure | None = None


def state(status: str) -> str:
    """The CSS state of a recorded status."""
    return status if status in STATUSES else "unknown"


def row_for(name: str, found: Record | None, lang: str) -> Row:
    """Pure: the matrix row of platform ``name`` (not verified in this build when there is no record)."""
    if found is None:
        return Row(localize.platform_label(name, lang=lang), "unverified", label(lang, "not_verified_build"))
    return Row(
        localize.platform_label(name, found.openstack, lang), state(found.status),
        localize.result(found.status, lang),
        localize.day(found.day, lang) if found.day else NONE,
        localize.duration(found.seconds, lang) if found.seconds is not None else NONE,
        found.failed if found.status == "failed" else None,
    )


def rows(found: Mapping[str, Record], lang: str) -> list[Row]:
    """Pure: one row per platform, in the order of platforms.PLATFORMS."""
    return [row_for(name, found.get(name), lang) for name in platforms.PLATFORMS]


def failure_cell(failed: Failure | None, lang: str) -> Cell:
    """Nodes for where a run stopped: "step 7: ``%%on controller``", then the error's first line."""
    if failed is None:
        return NONE
    where: list[nodes.Node] = []
    if failed.step is not None:
        where.append(nodes.Text(label(lang, "step", number=str(failed.step)) + (": " if failed.source else "")))
    if failed.source:
        where.append(nodes.literal(failed.source, failed.source))
    paragraphs = [nodes.paragraph("", "", *where)] if where else []
    if failed.error:
        paragraphs.append(nodes.paragraph("", "", nodes.inline(failed.error, failed.error, classes=["sb-error"])))
    return paragraphs or NONE


def matrix(found: Mapping[str, Record], lang: str) -> nodes.table:
    """The table of the runbook's last run on each platform (a failure column only when one failed)."""
    lines = rows(found, lang)
    header = [label(lang, key) for key in ("platform", "result", "checked", "duration")]
    stopped = any(line.failure for line in lines)
    if stopped:
        header.append(label(lang, "failed_step"))
    body = []
    for line in lines:
        cells: list[Cell] = [line.platform, [_result(line)], line.day, line.duration]
        if stopped:
            cells.append(failure_cell(line.failure, lang))
        body.append(row(cells, [f"sb-{line.state}"]))
    found_table = table(header, body, ["sb-verification"], title=label(lang, "matrix"))
    found_table["ids"] = ["sb-verification"]  # a captioned table needs an id (Sphinx numbers them)
    return found_table


def _result(line: Row) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.inline(line.result, line.result, classes=["sb-result"]))


def header(found: Mapping[str, Record], download: str, lang: str) -> nodes.container:
    """What goes under a runbook's title: the verification matrix and the download link."""
    link = nodes.reference("", label(lang, "download"), refuri=download, classes=["sb-download"])
    return nodes.container("", matrix(found, lang), nodes.paragraph("", "", link), classes=["sb-runbook-meta"])
