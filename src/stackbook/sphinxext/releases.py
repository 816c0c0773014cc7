"""``{verified-releases}``: each platform, its OpenStack series, upstream's status, the latest runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from stackbook import platforms, series, tempest
from stackbook.errors import StackbookError
from stackbook.sphinxext import localize, results, tempestresults
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.languages import language
from stackbook.sphinxext.matrix import NONE
from stackbook.sphinxext.tables import row, table
from stackbook.sphinxext.verification import Record


@dataclass(frozen=True)
class Release:
    """How the runbooks stand on one platform."""

    platform: str
    openstack: str  # the series the newest run measured, else the one the Debian release ships
    total: int  # runbooks on the site
    recorded: int = 0  # runbooks with a record on this platform
    passed: int = 0
    newest: date | None = None

    @property
    def state(self) -> str:
        """CSS state: passed (all runbooks), failed (some did not pass), unverified (no record)."""
        if not self.recorded:
            return "unverified"
        return "passed" if self.passed == self.total else "failed"


def release(name: str, books: Sequence[Mapping[str, Record]]) -> Release:
    """Pure: platform ``name`` summed over every runbook's records."""
    found = [book[name] for book in books if name in book]
    dated = sorted((r for r in found if r.day), key=lambda r: r.day or date.min)
    measured = next((r.openstack for r in reversed(dated) if r.openstack), "")
    return Release(name, measured or localize.shipped(name), len(books), len(found),
                   sum(r.status == "passed" for r in found), dated[-1].day if dated else None)


def summarize(books: Sequence[Mapping[str, Record]]) -> list[Release]:
    """Pure: one Release per platform, in the order of platforms.PLATFORMS."""
    return [release(name, books) for name in platforms.PLATFORMS]


def _upstream(version: str, lang: str) -> str:
    try:
        return localize.upstream_status(series.get(version), lang)
    except StackbookError:
        return NONE


def cells(found: Release, lang: str, api_tests: tempestresults.TempestRecord | None = None) -> list[str]:
    """Pure: the row's text: platform, series, upstream status, latest runs, Tempest's counts."""
    name = localize.platform_label(found.platform, lang=lang)
    if found.platform == platforms.DEFAULT:
        name = label(lang, "default_platform", platform=name)
    if not found.recorded:
        runs = label(lang, "not_verified_yet")
    else:
        when = localize.day(found.newest, lang) if found.newest else NONE
        runs = label(lang, "runs_passed", passed=str(found.passed), total=str(found.total), date=when)
    series_text = localize.series_label(found.openstack) if found.openstack else NONE
    return [name, series_text, _upstream(found.openstack, lang), runs, tempestresults.counts(api_tests, lang)]


def releases_table(found: Sequence[Release], lang: str,
                   api_tests: Mapping[str, tempestresults.TempestRecord] | None = None) -> nodes.table:
    """The home page's table of verified releases (with Tempest's last counts per platform)."""
    header = [label(lang, key) for key in ("platform", "series", "upstream", "latest", "tempest")]
    body = [row(cells(r, lang, (api_tests or {}).get(r.platform)), [f"sb-{r.state}"]) for r in found]
    return table(header, body, ["sb-releases"])


class VerifiedReleases(SphinxDirective):
    """``{verified-releases}``: the releases the runbooks are verified on, from their metadata."""

    def run(self) -> list[nodes.Node]:
        """Read every runbook's latest results (the build's records, else metadata) and build the table."""
        books = []
        folder = Path(self.env.srcdir) / "runbooks"
        self.env.note_dependency(str(folder / tempest.RECORD_FILE))
        for docname in sorted(self.env.found_docs):
            path = Path(self.env.doc2path(docname))
            if docname.startswith("runbooks/") and path.suffix == ".ipynb":
                self.env.note_dependency(str(path))
                books.append(results.verified(self.env, path))
        return [releases_table(summarize(books), language(self.config), tempestresults.read(folder))]
