"""Updating catalogs: new strings added, changed ones fuzzy, removed ones dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from stackbook.i18n import catalogs, update


def _template(*ids: str) -> Catalog:
    template = Catalog(fuzzy=False)
    for msgid in ids:
        template.add(msgid)
    return template


def _write_pot(pot_dir: Path, docname: str, *ids: str) -> None:
    path = pot_dir / f"{docname}.pot"
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogs.save(path, _template(*ids))


def test_merge_adds_marks_fuzzy_and_drops() -> None:
    existing = Catalog(locale="ja", fuzzy=False)
    existing.add("Install the keystone package.", "keystone パッケージをインストールします。")
    existing.add("Restart Apache.", "Apache を再起動します。")
    template = _template("Install the keystone package now.", "Check the endpoints.")
    merged, added, fuzzy, removed = update.merge(template, existing, "ja")
    by_id = {m.id: m for m in merged if m.id}
    assert by_id["Install the keystone package now."].fuzzy
    assert by_id["Install the keystone package now."].string == "keystone パッケージをインストールします。"
    assert not by_id["Check the endpoints."].string
    assert "Restart Apache." not in by_id
    assert (added, fuzzy, removed) == (1, 1, 1)
    assert not merged.obsolete


def test_update_writes_catalogs_per_language_and_page(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pots, locales = tmp_path / "gettext", tmp_path / "locales"
    _write_pot(pots, "index", "Welcome")
    _write_pot(pots, "runbooks/keystone", "Install Keystone")
    rows = update.update(pots, locales, ["ja", "ko"])
    assert {(r.lang, r.docname, r.added, r.written) for r in rows} == {
        ("ja", "index", 1, True), ("ja", "runbooks/keystone", 1, True),
        ("ko", "index", 1, True), ("ko", "runbooks/keystone", 1, True)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert not any(r.written for r in update.update(pots, locales, ["ja", "ko"]))


def test_update_removes_catalogs_of_deleted_pages(tmp_path: Path) -> None:
    pots, locales = tmp_path / "gettext", tmp_path / "locales"
    _write_pot(pots, "index", "Welcome")
    _write_pot(pots, "docs/old", "Gone soon")
    update.update(pots, locales, ["ja"])
    (pots / "docs" / "old.pot").unlink()
    rows = update.update(pots, locales, ["ja"])
    assert ("docs/old", 1) in {(r.docname, r.removed) for r in rows}
    assert not catalogs.catalog_path(locales, "ja", "docs/old").exists()
