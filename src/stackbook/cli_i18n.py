"""``stackbook i18n``: the translators' commands (extract, update, stats, check, notebooks, tbx)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from stackbook.i18n import TRANSLATED, check, extract, glossary, notebooks, stats, update

_locales = click.option("--locales", "locale_dir", type=click.Path(path_type=Path),
                        default=Path("locales"), show_default=True, help="Catalog folder.")
_pots = click.option("--pot-dir", type=click.Path(path_type=Path), default=Path("_build/gettext"),
                     show_default=True, help="Where the English templates (.pot) go.")
_langs = click.option("--lang", "-l", "langs", multiple=True, default=TRANSLATED, show_default=True,
                      help="Language to work on (repeatable).")


def _known(langs: tuple[str, ...]) -> list[str]:
    bad = [lang for lang in langs if lang not in TRANSLATED]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: the site has {', '.join(TRANSLATED)}",
                                 param_hint="--lang")
    return list(langs)


@click.group("i18n")
def i18n() -> None:
    """Translate the site: English is the source, ja and ko live in locales/ as .po files."""


@i18n.command("extract")
@click.option("--source", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="Folder with conf.py.")
@_pots
def extract_cmd(source: Path, pot_dir: Path) -> None:
    """Extract English messages: one .pot per page (Sphinx gettext builder)."""
    pages = extract.extract(source, pot_dir)
    click.echo(f"{len(pages)} templates in {pot_dir}")


@i18n.command("update")
@_pots
@_locales
@_langs
def update_cmd(pot_dir: Path, locale_dir: Path, langs: tuple[str, ...]) -> None:
    """Update catalogs from the templates: add new, mark changed fuzzy, drop removed."""
    if not pot_dir.is_dir():
        raise click.BadParameter(f"{pot_dir} does not exist: run `stackbook i18n extract` first",
                                 param_hint="--pot-dir")
    for row in update.update(pot_dir, locale_dir, _known(langs)):
        if row.written:
            click.echo(f"{row.lang} {row.docname}: +{row.added} new, {row.fuzzy} fuzzy, "
                       f"-{row.removed} removed")


@i18n.command("stats")
@_locales
@_langs
@click.option("--complete", is_flag=True, help="Exit 1 unless every page is fully translated.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: per language its totals and pages.")
def stats_cmd(locale_dir: Path, langs: tuple[str, ...], complete: bool, as_json: bool) -> None:
    """Translated, fuzzy and untranslated messages per language and page."""
    rows = stats.collect(locale_dir, _known(langs))
    if as_json:
        click.echo(json.dumps(stats.report(rows), ensure_ascii=False, indent=2))
    else:
        _stats_table(rows)
    if complete and not all(row.complete for row in rows):
        sys.exit(1)


def _stats_table(rows: list[stats.Stats]) -> None:
    click.echo(f"{'lang':<5} {'page':<32} {'done':>5} {'fuzzy':>6} {'todo':>5} {'%':>4}")
    for row in [*rows, *stats.totals(rows).values()]:
        click.echo(f"{row.lang:<5} {row.docname:<32} {row.translated:>5} {row.fuzzy:>6} "
                   f"{row.untranslated:>5} {row.percent:>4}")


@i18n.command("check")
@_locales
@_langs
def check_cmd(locale_dir: Path, langs: tuple[str, ...]) -> None:
    """Fail on broken catalogs: syntax, and links, roles or code changed in a translation."""
    problems = check.check(locale_dir, _known(langs))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.secho(f"{len(problems)} problem(s)", fg="red", err=True)
        sys.exit(1)
    click.echo("catalogs ok")


@i18n.command("notebooks")
@click.option("--runbooks", "runbook_dir", type=click.Path(path_type=Path), default=Path("runbooks"),
              show_default=True)
@_locales
@_langs
@click.option("--out", type=click.Path(path_type=Path), default=Path("_build/notebooks"),
              show_default=True, help="Writes OUT/<lang>/<runbook>.ipynb.")
def notebooks_cmd(runbook_dir: Path, locale_dir: Path, langs: tuple[str, ...], out: Path) -> None:
    """Write translated runbooks: markdown from the catalogs, code cells unchanged."""
    for path in notebooks.export(runbook_dir, locale_dir, _known(langs), out):
        click.echo(str(path))


@i18n.command("tbx")
@_locales
@_langs
def tbx_cmd(locale_dir: Path, langs: tuple[str, ...]) -> None:
    """Export each glossary (locales/LANG/glossary.md) as TBX for translation tools: locales/LANG/glossary.tbx."""
    for lang in _known(langs):
        path, written = glossary.write_tbx(locale_dir, lang)
        click.echo(f"{path}{'' if written else ' (unchanged)'}")
