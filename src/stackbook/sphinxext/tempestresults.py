"""Tempest's results on the site, per platform: ``{tempest-results}`` and the releases table's column.

They are read from ``runbooks/tempest-verified.json``, which ``stackbook run --tempest --record``
keeps (one entry per platform, see :func:`stackbook.tempest.with_record`)::

    {"debian-13": {"date": "2026-12-06", "debian": "13.2", "openstack": "2025.1", "passed": 250,
                   "failed": 0, "skipped": 61, "seconds": 431.0, "failures": []}}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from stackbook import platforms, tempest
from stackbook.errors import StackbookError
from stackbook.sphinxext import localize
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.languages import language
from stackbook.sphinxext.matrix import NONE
from stackbook.sphinxext.tables import Cell, row, table


@dataclass(frozen=True)
class TempestRecord:
    """Tempest's last run on one platform."""

    platform: str
    passed: int
    failed: int
    skipped: int
    day: date | None = None
    seconds: float | None = None
    openstack: str = ""
    failures: tuple[str, ...] = ()
    flaky: tuple[str, ...] = ()  # failed once, then passed when run again alone

    @property
    def state(self) -> str:
        """CSS state: passed when no test failed (and some ran), else failed."""
        return "passed" if self.failed == 0 and self.passed > 0 else "failed"


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _record(name: str, data: Mapping[str, object]) -> TempestRecord:
    try:
        day = date.fromisoformat(str(data.get("date")))
    except ValueError:
        day = None
    seconds = data.get("seconds")
    failures, flaky = data.get("failures"), data.get("flaky")
    return TempestRecord(
        name, _count(data.get("passed")), _count(data.get("failed")), _count(data.get("skipped")), day,
        float(seconds) if isinstance(seconds, int | float) and not isinstance(seconds, bool) else None,
        str(data.get("openstack") or ""),
        tuple(str(f) for f in failures) if isinstance(failures, list) else (),
        tuple(str(f) for f in flaky) if isinstance(flaky, list) else ())


def records(data: object) -> dict[str, TempestRecord]:
    """Pure: platform -> record, in the order of platforms.PLATFORMS (unknown names dropped)."""
    if not isinstance(data, Mapping):
        return {}
    return {name: _record(name, data[name]) for name in platforms.PLATFORMS if isinstance(data.get(name), Mapping)}


def read(folder: Path) -> dict[str, TempestRecord]:
    """The records kept beside the runbooks in ``folder`` (none when the file is missing)."""
    path = folder / tempest.RECORD_FILE
    try:
        return records(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise StackbookError(f"{path}: cannot read Tempest's results ({exc}); fix the file, or delete it "
                             "and record them again with `stackbook run --all --tempest --record`") from None


def counts(found: TempestRecord | None, lang: str) -> str:
    """Pure: "250 passed, 0 failed, 61 skipped", or that Tempest has not run on the platform."""
    if found is None:
        return label(lang, "tempest_not_run")
    return label(lang, "tempest_counts", passed=str(found.passed), failed=str(found.failed),
                 skipped=str(found.skipped))


def _failures(found: TempestRecord, lang: str) -> Cell:
    failed = [nodes.paragraph("", "", nodes.literal(name, name)) for name in found.failures]
    flaky = [nodes.paragraph("", "", nodes.literal(name, name), nodes.Text(" " + label(lang, "tempest_flaky")))
             for name in found.flaky]
    return [*failed, *flaky] or NONE


def results_table(found: Mapping[str, TempestRecord], lang: str) -> nodes.table:
    """Pure: one row per platform: its Tempest counts, date, time and the tests that failed."""
    header = [label(lang, key) for key in ("platform", "tempest", "checked", "duration", "tempest_failures")]
    body = []
    for name in platforms.PLATFORMS:
        record = found.get(name)
        platform = localize.platform_label(name, record.openstack if record else "", lang)
        if record is None:
            body.append(row([platform, counts(None, lang), NONE, NONE, NONE], ["sb-unverified"]))
            continue
        body.append(row([platform, counts(record, lang),
                         localize.day(record.day, lang) if record.day else NONE,
                         localize.duration(record.seconds, lang) if record.seconds is not None else NONE,
                         _failures(record, lang)], [f"sb-{record.state}"]))
    return table(header, body, ["sb-tempest"])


def _paragraph(*children: nodes.Node) -> nodes.paragraph:
    # Already in the page's language: gettext must not extract it as a message of the page.
    return nodes.paragraph("", "", *children, translatable=False)


def exclusions(folder: Path, lang: str) -> list[nodes.Node]:
    """The tests the selection leaves out, each with its reason, or a line saying none are."""
    selection = tempest.load_selection(folder)
    if not selection.exclude:
        return [_paragraph(nodes.Text(label(lang, "tempest_no_exclusions")))]
    items = [nodes.list_item("", _paragraph(nodes.literal(pattern, pattern), nodes.Text(f": {reason}")))
             for pattern, reason in selection.exclude]
    return [_paragraph(nodes.Text(label(lang, "tempest_exclusions"))), nodes.bullet_list("", *items)]


class TempestResults(SphinxDirective):
    """``{tempest-results}``: Tempest's last run per platform, and what the selection leaves out."""

    def run(self) -> list[nodes.Node]:
        """Read the records and the selection kept in the source's runbooks folder."""
        folder = Path(self.env.srcdir) / "runbooks"
        for name in (tempest.RECORD_FILE, tempest.SELECTION_FILE):
            self.env.note_dependency(str(folder / name))
        lang = language(self.config)
        return [results_table(read(folder), lang), *exclusions(folder, lang)]
