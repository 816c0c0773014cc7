"""``stackbook i18n`` wiring: the JSON statistics and the TBX export."""

from __future__ import annotations

import json
from pathlib import Path

from babel.messages.catalog import Catalog
from click.testing import CliRunner

from stackbook import cli
from stackbook.i18n import catalogs


def test_stats_json(tmp_path: Path) -> None:
    catalog = Catalog(locale="ko", fuzzy=False)
    catalog.add("A", "아")
    catalogs.save(catalogs.catalog_path(tmp_path, "ko", "index"), catalog)
    result = CliRunner().invoke(cli.main, ["i18n", "stats", "--json", "--locales", str(tmp_path), "-l", "ko"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ko"]["pages"]["index"]["translated"] == 1


def test_tbx_writes_beside_the_glossary_and_reports_a_missing_one(tmp_path: Path) -> None:
    (tmp_path / "ja").mkdir()
    (tmp_path / "ja" / "glossary.md").write_text("| English | 日本語 |\n| --- | --- |\n| token | トークン |\n",
                                                 encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["i18n", "tbx", "--locales", str(tmp_path), "-l", "ja"])
    assert (result.exit_code, result.output) == (0, f"{tmp_path / 'ja' / 'glossary.tbx'}\n")
    result = CliRunner().invoke(cli.main, ["i18n", "tbx", "--locales", str(tmp_path), "-l", "ko"])
    assert result.exit_code == 2
    assert "no glossary for this language" in result.output
