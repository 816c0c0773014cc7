"""Catalog checks: markup that must survive a translation, and syntax errors with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from stackbook.i18n import catalogs, check


@pytest.mark.parametrize(("msgid", "msgstr", "issues"), [
    ("Run `keystone-manage`.", "`keystone-manage` を実行します。", []),
    ("Run `keystone-manage`.", "`keystone-manage bootstrap` を実行します。",
     ["missing `keystone-manage`", "unexpected `keystone-manage bootstrap`"]),
    ("Run `ls`.", "ls を実行します。", ["missing `ls`"]),
    ("See [the guide](docs/jupyter.md).", "[ガイド](docs/jupyter.md)を参照してください。", []),
    ("See [the guide](docs/jupyter.md).", "[ガイド](docs/jupyter)を参照。",
     ["missing link docs/jupyter.md", "unexpected link docs/jupyter"]),
    ("Read {doc}`the page <run-own-cloud>`.", "{doc}`페이지 <run-own-cloud>`를 읽습니다.", []),
    ("Read {doc}`the page <run-own-cloud>`.", "{doc}`페이지 <jupyter>`를 읽습니다.",
     ["missing {doc}`run-own-cloud`", "unexpected {doc}`jupyter`"]),
    ("Read {doc}`jupyter`.", "{ref}`jupyter`를 읽습니다.",
     ["missing {doc}`jupyter`", "unexpected {ref}`jupyter`"]),
    ("Check the **database**.", "**데이터베이스**를 확인합니다.", []),
    # Korean: a particle right after markup that ends in punctuation breaks the markup.
    ('Check the **"db"** entry.', '**"db"**를 확인합니다.', ["strong: 1 in English, 0 in the translation"]),
    ("Run `ls` as `root`.", "`root` で `ls` を実行し、`ls` の結果を見ます。", []),
])
def test_compare(msgid: str, msgstr: str, issues: list[str]) -> None:
    assert check.compare(msgid, msgstr) == issues


def _write(path: Path, entries: list[tuple[str, str]]) -> None:
    catalog = Catalog(locale="ko", fuzzy=False)
    for msgid, msgstr in entries:
        catalog.add(msgid, msgstr)
    catalogs.save(path, catalog)


def test_check_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "ko" / "LC_MESSAGES" / "index.po"
    _write(path, [("Fine.", "좋습니다."), ("Run `ls`.", "ls를 실행합니다.")])
    problems = check.check(tmp_path, ["ko"])
    assert [str(p).split(": ", 1)[0] for p in problems] == [f"{path}:{_line_of(path, 'Run')}"]
    assert "missing `ls`" in problems[0].message


def test_check_reports_syntax_errors(tmp_path: Path) -> None:
    path = tmp_path / "ja" / "LC_MESSAGES" / "index.po"
    path.parent.mkdir(parents=True)
    path.write_text('msgid "a"\nmsgstr "b"\nmsgid "c\n', encoding="utf-8")
    problems = check.check(tmp_path, ["ja"])
    assert len(problems) == 1
    assert problems[0].message.startswith("syntax error")
    assert problems[0].line == 3


def test_fuzzy_entries_are_not_checked(tmp_path: Path) -> None:
    path = tmp_path / "ja" / "LC_MESSAGES" / "index.po"
    catalog = Catalog(locale="ja", fuzzy=False)
    catalog.add("Run `ls`.", "古い訳", flags=["fuzzy"])
    catalogs.save(path, catalog)
    assert check.check(tmp_path, ["ja"]) == []


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f'msgid "{start}'))
