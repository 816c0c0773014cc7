"""Bring catalogs in line with the English templates: add new, mark changed fuzzy, drop removed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from stackbook.i18n import catalogs


@dataclass(frozen=True)
class Updated:
    """What updating one page's catalog in one language did."""

    lang: str
    docname: str
    added: int
    fuzzy: int
    removed: int
    written: bool


def merge(template: Catalog, existing: Catalog | None, lang: str) -> tuple[Catalog, int, int, int]:
    """Pure-ish: the updated catalog and counts (added, newly fuzzy, removed)."""
    catalog = existing or Catalog(
        locale=lang, project=template.project, version=template.version, fuzzy=False,
        header_comment=f"# {lang} translation of {template.project}: see docs/translating.md",
        last_translator="stackbook translators", language_team=f"stackbook {lang}",
    )
    before = {m.id for m in catalog if m.id}
    fuzzy_before = {m.id for m in catalog if m.id and m.fuzzy}
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
    removed = len(catalog.obsolete)
    catalog.obsolete.clear()
    catalog.creation_date = template.creation_date
    catalog.revision_date = catalogs.build_date()
    catalog.fuzzy = False
    now = [m for m in catalog if m.id]
    fuzzy = sum(1 for m in now if m.fuzzy and m.id not in fuzzy_before)
    added = sum(1 for m in now if m.id not in before and not m.fuzzy)
    return catalog, added, fuzzy, removed


def update(pot_dir: Path, locale_dir: Path, langs: list[str]) -> list[Updated]:
    """Update every page's catalog for ``langs`` from the templates in ``pot_dir``."""
    results: list[Updated] = []
    pages = catalogs.docnames(pot_dir, ".pot")
    for lang in langs:
        for docname in pages:
            template = catalogs.load(pot_dir / f"{docname}.pot")
            path = catalogs.catalog_path(locale_dir, lang, docname)
            existing = catalogs.load(path, lang=lang) if path.exists() else None
            catalog, added, fuzzy, removed = merge(template, existing, lang)
            written = catalogs.save(path, catalog)
            results.append(Updated(lang, docname, added, fuzzy, removed, written))
        results += _drop_orphans(locale_dir, lang, set(pages))
    return results


def _drop_orphans(locale_dir: Path, lang: str, pages: set[str]) -> list[Updated]:
    """Remove catalogs of pages that no longer exist in English."""
    folder = locale_dir / lang / "LC_MESSAGES"
    gone: list[Updated] = []
    for docname in catalogs.docnames(folder, ".po"):
        if docname not in pages:
            path = catalogs.catalog_path(locale_dir, lang, docname)
            count = sum(1 for _ in catalogs.messages(catalogs.load(path)))
            path.unlink()
            path.with_suffix(".mo").unlink(missing_ok=True)
            gone.append(Updated(lang, docname, 0, 0, count, True))
    return gone
