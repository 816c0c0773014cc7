"""``stackbook i18n`` wiring: the JSON statistics."""

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

