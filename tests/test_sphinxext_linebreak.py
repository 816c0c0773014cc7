"""Labels broken into lines as each language breaks them."""

from __future__ import annotations

import pytest

from stackbook.sphinxext import linebreak


@pytest.mark.parametrize(("text", "lines"), [
    ("✓ Keystone, the Identity service", ["✓ Keystone, the", "Identity service"]),
    ("✓ Glance", ["✓ Glance"]),
    ("✓ Troubleshooting: GRANT ... IDENTIFIED BY and MySQL 8",
     ["✓ Troubleshooting:", "GRANT ... IDENTIFIED", "BY and MySQL 8"]),
    ("✓ コントローラーの前提条件", ["✓ コントローラーの", "前提条件"]),  # kept at the particle
    ("✓ TLS のトラブルシューティング", ["✓ TLS の", "トラブルシューティング"]),  # a long katakana word stays whole
    ("✓ 어디서나 통하는 데이터베이스와 사용자 만들기", ["✓ 어디서나 통하는", "데이터베이스와", "사용자 만들기"]),
])
def test_wrap_breaks_labels_where_a_reader_expects(text: str, lines: list[str]) -> None:
    assert linebreak.wrap(text) == lines


def test_wrap_does_not_start_a_line_with_closing_punctuation() -> None:
    lines = linebreak.wrap("あいうえおかきくけこ、さしすせそ", 20)
    assert len(lines) == 2 and all(not line.startswith(("、", "。", ")")) for line in lines)


@pytest.mark.parametrize(("text", "expected"), [
    ("Keystone (Identity サービス)", ["Keystone", " ", "(Identity", " ", "サービス", ")"]),
    ("コントローラーの前提条件", ["コントローラーの", "前提条件"]),
    ("鍵と署名要求", ["鍵と", "署名要求"]),
    ("데이터베이스와 사용자", ["데이터베이스와", " ", "사용자"]),
])
def test_pieces_are_where_a_line_may_break(text: str, expected: list[str]) -> None:
    assert linebreak.pieces(text) == expected


def test_width_counts_wide_characters_twice() -> None:
    assert linebreak.width("TLS 証明書") == 10
