"""``{verification-history}``: the last runs on each platform, and what changed between them.

Per platform, a table of runbooks x the last N runs (the result and the time of each), Tempest's
counts as its last row, then the drift between consecutive runs: results that changed, package
versions that moved, checked outputs that began or stopped differing from the reference. All of
it from the build's run records (see :mod:`stackbook.sphinxext.results`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from stackbook import drift, platforms
from stackbook.records import Book, Run
from stackbook.sphinxext import installpath, localize, results, tempestresults
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.languages import language
from stackbook.sphinxext.matrix import NONE, state
from stackbook.sphinxext.tables import Cell, row, table

NIGHTS = 7  # runs shown per platform unless the directive says otherwise


def _text(text: str, *classes: str) -> nodes.paragraph:
    # Already in the page's language: gettext must not extract it as a message of the page.
    return nodes.paragraph("", "", nodes.inline(text, text, classes=list(classes)), translatable=False)


def headings(runs: Sequence[Run], lang: str) -> list[str]:
    """Pure: each run's date in ``lang``, with its time (UTC) where two runs share a date."""
    days = [localize.day(r.started.date(), lang) if r.started else r.name for r in runs]
    twice = {day for day, count in Counter(days).items() if count > 1}
    return [f"{day} {_time(r.started)}" if day in twice and r.started else day for day, r in zip(days, runs,
                                                                                                       strict=True)]


def _time(moment: datetime) -> str:
    return f"{moment:%H:%M} UTC"  # records are in UTC; 24-hour time reads the same in every language


def result(book: Book | None, lang: str) -> Cell:
    """Pure: one runbook in one run: its result and time, or a dash when it did not run."""
    if book is not None and book.status == "skipped":
        return [_text(label(lang, "skipped", runbook=book.skipped_for or "?"), "sb-result", "sb-unverified")]
    if book is None or not book.ran:
        return [_text(label(lang, "not_run") if book else NONE, "sb-result", "sb-unverified")]
    words = localize.result(book.status, lang)
    return [_text(words, "sb-result", f"sb-{state(book.status)}"),
            _text(localize.duration(book.seconds, lang), "sb-duration")]


def names(runs: Sequence[Run], order: Sequence[str]) -> list[str]:
    """Pure: the runbooks of ``runs``, in ``order`` (install order), then any others by name."""
    found = {name for r in runs for name in r.books}
    return [n for n in order if n in found] + sorted(found - set(order))


def history_table(platform: str, runs: Sequence[Run], order: Sequence[str], lang: str) -> nodes.table:
    """Pure: runbooks x runs (oldest first), with a Tempest row when Tempest ran in any of them."""
    newest = runs[-1].openstack if runs else ""
    title = label(lang, "history_caption", platform=localize.platform_label(platform, newest, lang))
    body: list[nodes.row] = [row([[nodes.paragraph("", "", nodes.literal(name, name))],
                                  *(result(r.books.get(name), lang) for r in runs)])
                             for name in names(runs, order)]
    if any(r.tempest for r in runs):
        body.append(row([label(lang, "tempest"), *(_tempest(r, lang) for r in runs)]))
    return table([label(lang, "runbook"), *headings(runs, lang)], body, ["sb-history"], title=title)


def _tempest(run: Run, lang: str) -> Cell:
    found = tempestresults.records({run.platform: run.tempest}).get(run.platform) if run.tempest else None
    return [_text(tempestresults.counts(found, lang), f"sb-{found.state}" if found else "sb-unverified")]


def changes(found: drift.Drift, lang: str) -> list[nodes.Node]:
    """Pure: one drift as a paragraph naming the two runs and a list per kind of change."""
    before, after = (headings([found.before, found.after], lang) if found.before.started and found.after.started
                     else [found.before.name, found.after.name])
    shown: list[nodes.Node] = [_text(label(lang, "drift_between", before=before, after=after), "sb-drift-between")]
    if not found:
        return [*shown, _text(label(lang, "drift_no_change"))]
    groups: list[tuple[str, list[nodes.Node]]] = [
        ("drift_results", [_text(f"{c.runbook}: {localize.result(c.before, lang)} → {localize.result(c.after, lang)}")
                           for c in found.results]),
        ("drift_packages", [_text(_package(c, lang)) for c in found.packages]),
        ("drift_outputs", [node for c in found.outputs for node in _output(c, lang)]),
    ]
    items = [nodes.list_item("", _text(label(lang, key), "sb-drift-kind"), nodes.bullet_list(
        "", *(nodes.list_item("", item) for item in found_items))) for key, found_items in groups if found_items]
    return [*shown, nodes.bullet_list("", *items, classes=["sb-drift"])]


def _package(change: drift.PackageChange, lang: str) -> str:
    if not change.before:
        return label(lang, "drift_added", package=change.package, version=change.after)
    if not change.after:
        return label(lang, "drift_removed", package=change.package, version=change.before)
    return f"{change.package}: {change.before} → {change.after}"


def _output(change: drift.OutputChange, lang: str) -> list[nodes.Node]:
    key = "drift_output_now" if change.now else "drift_output_again"
    return [_text(label(lang, key, runbook=change.runbook)),
            nodes.literal_block(change.difference, change.difference, language="text")]


def platform_history(platform: str, runs: Sequence[Run], order: Sequence[str], nights: int,
                     lang: str) -> list[nodes.Node]:
    """Pure: one platform's table of its last ``nights`` runs and the drift between them."""
    shown = list(runs[-nights:])
    # The first run shown is compared with the one before it, when there is one.
    compared = list(runs[-nights - 1:])
    title = label(lang, "drift", platform=localize.platform_label(platform, shown[-1].openstack, lang))
    found: list[nodes.Node] = [history_table(platform, shown, order, lang),
                               # in the page's language already: not a message for the catalogs
                               nodes.rubric(title, title, classes=["sb-drift-title"], translatable=False)]
    for step in drift.along(compared):
        found += changes(step, lang)
    return found


class VerificationHistory(SphinxDirective):
    """``{verification-history}`` (option ``:nights: N``): the last runs per platform and their drift."""

    option_spec = {"nights": directives.positive_int}  # noqa: RUF012 - docutils' own attribute

    def run(self) -> list[nodes.Node]:
        """Read the build's records and show each platform that has some."""
        lang = language(self.config)
        found = results.history(self.env)
        if not found:
            return [_text(label(lang, "history_none"), "sb-unverified")]
        order = [step.docname.rsplit("/", 1)[-1] for step in installpath.site_steps(self)]
        nights = int(self.options.get("nights", NIGHTS))
        shown: list[nodes.Node] = []
        for platform in [*platforms.PLATFORMS, *sorted(set(found) - set(platforms.PLATFORMS))]:
            if found.get(platform):
                shown += platform_history(platform, found[platform], order, nights, lang)
        return [nodes.container("", *shown, classes=["sb-verification-history"])]
