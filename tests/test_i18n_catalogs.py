"""Catalog files: reading with located errors, reproducible writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from stackbook.i18n import CatalogError, catalogs

PO = '''msgid ""
msgstr ""
"POT-Creation-Date: 2025-01-01 00:00+0000\\n"
"PO-Revision-Date: 2025-01-01 00:00+0000\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Install Keystone"
msgstr "Keystone のインストール"
'''


def _catalog() -> Catalog:
    catalog = Catalog(locale="ja", fuzzy=False)
    catalog.add("Install Keystone", "Keystone のインストール")
    return catalog


def test_catalog_path_is_one_file_per_page(tmp_path: Path) -> None:
    assert catalogs.catalog_path(tmp_path, "ko", "runbooks/keystone") == (
        tmp_path / "ko" / "LC_MESSAGES" / "runbooks" / "keystone.po")


def test_load_reports_file_and_line_of_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.po"
    path.write_text(PO + "\nmsgid \"Unfinished\"\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        catalogs.load(path)
    assert info.value.path == str(path)
    assert info.value.line >= 10


@pytest.mark.parametrize(("old", "new", "expected"), [
    (PO, PO, False),
    (PO, PO.replace("2025-01-01 00:00", "2026-02-02 12:00"), False),
    (PO, PO.replace("のインストール", "をインストール"), True),
])
def test_should_write_ignores_only_dates(tmp_path: Path, old: str, new: str, expected: bool) -> None:
    path = tmp_path / "page.po"
    path.write_text(old, encoding="utf-8")
    assert catalogs.should_write(path, new.encode()) is expected


def test_save_is_reproducible_with_source_date_epoch(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "a.po", tmp_path / "b.po"
    for path in (first, second):
        catalog = _catalog()
        catalog.revision_date = catalogs.build_date()
        catalog.creation_date = catalogs.build_date()
        assert catalogs.save(path, catalog)
    assert first.read_bytes() == second.read_bytes()
    assert b"2023-11-14 22:13" in first.read_bytes()


def test_save_leaves_a_file_alone_when_only_the_date_changed(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "page.po"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    catalog = _catalog()
    catalog.revision_date = catalogs.build_date()
    catalogs.save(path, catalog)
    before = path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    catalog.revision_date = catalogs.build_date()
    assert catalogs.save(path, catalog) is False
    assert path.read_bytes() == before


def test_messages_skip_the_header_and_carry_lines(tmp_path: Path) -> None:
    path = tmp_path / "page.po"
    path.write_text(PO, encoding="utf-8")
    found = list(catalogs.messages(catalogs.load(path)))
    assert [(m[0], m[1], m[2]) for m in found] == [("Install Keystone", "Keystone のインストール", False)]
    assert found[0][3] == 7


@pytest.mark.parametrize(("forms", "expected"), [(("",), ""), (("{n} 件見つかりました",), "{n} 件見つかりました")])
def test_a_message_with_plural_forms_counts_once(tmp_path: Path, forms: tuple[str, ...], expected: str) -> None:
    catalog = Catalog(locale="ja", fuzzy=False)
    catalog.add(("Found one page", "Found {n} pages"), forms)
    path = tmp_path / "sphinx.po"
    catalogs.save(path, catalog)
    assert [m[:3] for m in catalogs.messages(catalogs.load(path))] == [("Found one page", expected, False)]


LONG_OLD = "The old English of this message, long enough for Babel to wrap it at seventy-six columns."


def test_previous_msgid_of_a_fuzzy_message_round_trips_unwrapped(tmp_path: Path) -> None:
    catalog = _catalog()
    catalog.add("A new sentence.", "古い訳", flags=["fuzzy"], previous_id=LONG_OLD)
    catalog.add("A settled sentence.", "確定した訳", previous_id="An older sentence.")
    text = catalogs.render(catalog).decode()
    assert f'#, fuzzy\n#| msgid "{LONG_OLD}"\nmsgid "A new sentence."' in text
    assert "An older sentence." not in text  # no longer fuzzy: the old English is of no use
    path = tmp_path / "x.po"
    path.write_bytes(text.encode())
    again = catalogs.load(path)
    message = again.get("A new sentence.")
    assert message is not None and message.previous_id == [LONG_OLD] and message.user_comments == []
    assert catalogs.render(again).decode() == text


def test_load_drops_previous_msgids_an_earlier_write_wrapped_into_broken_comments(tmp_path: Path) -> None:
    path = tmp_path / "old.po"
    path.write_text(PO + '\n# keep this note\n# | msgid "The old English of this message,\n# | long enough"\n'
                    '#, fuzzy\nmsgid "New"\nmsgstr "新"\n', encoding="utf-8")
    message = catalogs.load(path).get("New")
    assert message is not None and message.user_comments == ["keep this note"] and message.previous_id == []
