"""Search for ja and ko: CJK runs indexed as pairs and single characters, queries split into pairs."""

from __future__ import annotations

import pytest

from stackbook.sphinxext import search


@pytest.mark.parametrize(("text", "expected"), [
    ("설치", ["설치"]),
    ("키", ["키"]),  # a single character is looked up alone
    ("데이터베이스를", ["데이", "이터", "터베", "베이", "이스", "스를"]),
    ("TLS 証明書: コントローラー", ["TLS", "証明", "明書", "コン", "ント", "トロ", "ロー", "ーラ", "ラー"]),
    ("Keystone(Identity 서비스)", ["Keystone", "Identity", "서비", "비스"]),
    ("stackbook run --all", ["stackbook", "run", "all"]),
    ("admin-openrc の値", ["admin", "openrc", "の値"]),
])
def test_query_terms(text: str, expected: list[str]) -> None:
    assert search.query_terms(text) == expected


def test_index_terms_are_pairs_and_single_characters() -> None:
    assert search.index_terms("鍵を作る") == ["鍵を", "を作", "作る", "鍵", "を", "作", "る"]
    assert search.index_terms("Glance 이미지") == ["Glance", "이미", "미지", "이", "미", "지"]


@pytest.mark.parametrize(("text", "query"), [
    ("데이터베이스를 만듭니다.", "데이터베이스"),  # a particle attached
    ("Keystone을 설치합니다.", "설치"),  # an ending attached
    ("API 키가 없으면", "키"),
    ("データベースユーザーを作成します。", "ユーザー"),  # inside a compound
    ("コントローラーの前提条件", "前提条件"),
    ("鍵暗号化鍵を使います。", "鍵"),
    ("証明書を作成します。", "証明書を作成"),  # a phrase without spaces
])
def test_a_word_the_text_contains_is_found(text: str, query: str) -> None:
    assert set(search.query_terms(query)) <= set(search.index_terms(text))


@pytest.mark.parametrize(("text", "query"), [("設定を確認します。", "証明書"), ("서비스를 시작합니다.", "설치")])
def test_a_word_the_text_lacks_is_not_found(text: str, query: str) -> None:
    assert not set(search.query_terms(query)) <= set(search.index_terms(text))


@pytest.mark.parametrize("language", [search.SearchJapanese, search.SearchKorean])
def test_the_languages_split_pages_and_queries_alike(language: type[search.SearchCJK]) -> None:
    found = language({})
    assert found.lang in ("ja", "ko")
    assert found.split("데이터베이스를 設定") == search.index_terms("데이터베이스를 設定")
    assert found.stem("Keystone") == "Keystone"  # Sphinx lowercases; nothing else changes a term
    assert found.js_splitter_code.startswith("var splitQuery = ")


def test_the_browser_splits_by_the_same_ranges() -> None:
    for low, high in search.CJK_RANGES:
        assert f"\\u{low:04x}-\\u{high:04x}" in search.JS_SPLITTER
        assert high <= 0xFFFF  # one UTF-16 unit each, so JavaScript's slice() takes whole characters
