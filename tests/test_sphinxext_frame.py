"""The page's frame in its language: fixed labels, the copy button's words, the browser's messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from stackbook.i18n import catalogs
from stackbook.i18n import frame as frame_catalog
from stackbook.sphinxext import frame

SUMMARY = '<details class="admonition hide"><summary aria-label="Toggle hidden content"><p>Show</p>'


@pytest.mark.parametrize(("lang", "expected"), [
    ("ja", 'aria-label="隠れている内容の表示を切り替える"'),
    ("ko", 'aria-label="숨긴 내용 보기/숨기기"'),
    ("en", 'aria-label="Toggle hidden content"'),
])
def test_relabel_puts_other_extensions_labels_in_the_language(lang: str, expected: str) -> None:
    body = frame.relabel(SUMMARY, lang)
    assert expected in body and body.replace(expected, "") == SUMMARY.replace('aria-label="Toggle hidden content"', "")
    assert frame.relabel(body, lang) == body  # idempotent


@pytest.mark.parametrize(("lang", "copy", "copied"), [
    ("ja", "コピー", "コピーしました"), ("ko", "복사", "복사했습니다")])
def test_copybutton_script_gives_the_button_its_words(lang: str, copy: str, copied: str) -> None:
    script = frame.copybutton_script(lang)
    words = json.loads(script[script.index("messages[lang] = ") + 17:script.index(";\n  locale")])
    assert words["copy"] == copy and words["copy_success"] == copied
    assert set(words) == set(frame.COPY_LABELS)
    assert "iconCopy = title(iconCopy" in script and "locale = lang" in script


def test_js_messages_add_to_sphinx_s_catalog() -> None:
    script = frame.js_messages({"Search finished": ["検索が完了しました"]}, "ja", "0")
    assert script.startswith("Documentation.addTranslations(") and script.endswith(");\n")
    catalog = json.loads(script[len("Documentation.addTranslations("):-3])
    assert catalog == {"locale": "ja", "messages": {"Search finished": ["検索が完了しました"]}, "plural_expr": "0"}


def _frame_catalog(path: Path, forms: tuple[str, ...], fuzzy: bool = False) -> Path:
    catalog = Catalog(locale="ko", fuzzy=False)
    catalog.add("Section Navigation", "이 섹션의 페이지")
    catalog.add(frame_catalog.SEARCH_RESULTS, forms, flags=["fuzzy"] if fuzzy else [])
    catalogs.save(path, catalog)
    return path


@pytest.mark.parametrize(("forms", "fuzzy", "expected"), [
    (("${resultCount}개 찾았습니다.",), False, {frame_catalog.SEARCH_RESULTS[0]: ["${resultCount}개 찾았습니다."]}),
    (("",), False, {}),  # untranslated: Sphinx's own (empty) translation stays
    (("${resultCount}개 찾았습니다.",), True, {}),
])
def test_browser_translations_are_the_translated_browser_messages(
        tmp_path: Path, forms: tuple[str, ...], fuzzy: bool, expected: dict[str, list[str]]) -> None:
    found, plural_expr = frame.browser_translations(_frame_catalog(tmp_path / "sphinx.po", forms, fuzzy))
    assert found == expected
    assert plural_expr == "0"


def test_browser_translations_without_a_catalog(tmp_path: Path) -> None:
    assert frame.browser_translations(tmp_path / "sphinx.po") == ({}, "0")
