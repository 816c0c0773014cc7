"""A small Sphinx project for the docs tests: one page, one runbook, catalogs for ja and ko."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat import NotebookNode, v4

from stackbook import records
from stackbook.i18n import LANGUAGES
from stackbook.sphinxext import site

ROOT = Path(__file__).resolve().parent.parent

CONF = '''\
extensions = ["stackbook.sphinxext"]
project = "demo"
include_patterns = ["index.md", "docs/**", "runbooks/**"]
exclude_patterns = ["_build", "locales"]
nb_execution_mode = "off"
nb_merge_streams = True
locale_dirs = ["locales/"]
gettext_compact = False
gettext_location = False
html_theme = "pydata_sphinx_theme"
html_theme_options = {"navbar_end": ["language-switcher"]}
copybutton_selector = "div:not(.output) > div.highlight > pre"
'''

INDEX = """\
# Demo

Install the `keystone` package, then read [the guide](docs/page.md).

```{verified-releases}
```

```{toctree}
docs/page
runbooks/demo
```
"""

PAGE = """\
# A page

Run {doc}`the demo runbook <../runbooks/demo>` first.

- Check the **database** before you start.
"""


def stream(text: str) -> NotebookNode:
    """A stdout stream output."""
    return v4.new_output("stream", name="stdout", text=text)


def runbook(verified: Mapping[str, Any] | None = None, long_lines: int = 40) -> NotebookNode:
    """A runbook in the fixed format, with every kind of cell."""
    nb = v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"},
                   "stackbook": {"title": "Demo", "requires": [], "roles": ["controller"]}}
    if verified:
        nb.metadata["stackbook"]["verified"] = dict(verified)
    params = v4.new_code_cell('RELEASE = "zed"\nDEMO_PASS = ""\nINVENTORY = "controller=local://"',
                              execution_count=1)
    params.metadata["tags"] = ["parameters"]
    on = v4.new_code_cell("%%on controller\nhostname\necho ready", execution_count=3,
                          outputs=[stream("controller\nready\n")])
    on.metadata["tags"] = ["nbval-check-output"]
    nb.cells = [
        v4.new_markdown_cell("# Demo runbook\n\nThis runbook installs the `demo` service."),
        params,
        v4.new_code_cell("%load_ext stackbook", execution_count=2),
        v4.new_markdown_cell("## Configure\n\n- Set the database connection.\n- Restart the service."),
        on,
        v4.new_code_cell("%%ini controller /etc/demo/demo.conf\n[database]\nconnection = sqlite://",
                         execution_count=4),
        v4.new_code_cell("%%write controller /etc/demo/clouds.yaml --mode 600\nclouds:\n  demo: {}",
                         execution_count=5),
        v4.new_code_cell("%%on controller\nseq 1 " + str(long_lines), execution_count=6,
                         outputs=[stream("".join(f"{i}\n" for i in range(1, long_lines + 1)))]),
        v4.new_markdown_cell("| Name | Value |\n| --- | --- |\n| Port | 5000 |"),
        v4.new_code_cell("%%on controller --only debian-12\nsystemctl restart demo\n"
                         'demo-manage password <<<"$DEMO_PASS"', execution_count=7),
    ]
    return nb


def make_root(root: Path, nb: NotebookNode | None = None) -> Path:
    """Write the demo project into ``root`` and return it."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "runbooks").mkdir(exist_ok=True)
    (root / "conf.py").write_text(CONF)
    (root / "index.md").write_text(INDEX)
    (root / "docs" / "page.md").write_text(PAGE)
    nbformat.write(nb or runbook(), root / "runbooks" / "demo.ipynb")
    return root


TRANSLATIONS: dict[str, dict[str, str]] = {
    "ja": {
        "Demo": "デモ",
        "Install the `keystone` package, then read [the guide](docs/page.md).":
            "`keystone` パッケージをインストールしてから、[ガイド](docs/page.md)を読みます。",
        "A page": "ページ",
        "Run {doc}`the demo runbook <../runbooks/demo>` first.":
            "最初に {doc}`デモのランブック <../runbooks/demo>` を実行します。",
        "Check the **database** before you start.": "始める前に**データベース**を確認します。",
        "Demo runbook": "デモのランブック",
        "This runbook installs the `demo` service.": "このランブックでは `demo` サービスをインストールします。",
        "Configure": "設定",
        "Set the database connection.": "データベース接続を設定します。",
        "Restart the service.": "サービスを再起動します。",
        "Name": "名前", "Value": "値", "Port": "ポート", "5000": "5000",
    },
    "ko": {
        "Demo": "데모",
        "Install the `keystone` package, then read [the guide](docs/page.md).":
            "`keystone` 패키지를 설치한 다음 [안내서](docs/page.md)를 읽습니다.",
        "A page": "페이지",
        "Run {doc}`the demo runbook <../runbooks/demo>` first.":
            "먼저 {doc}`데모 런북 <../runbooks/demo>`\\ 을 실행합니다.",
        "Check the **database** before you start.": "시작하기 전에 **데이터베이스**를 확인합니다.",
        "Demo runbook": "데모 런북",
        "This runbook installs the `demo` service.": "이 런북은 `demo` 서비스를 설치합니다.",
        "Configure": "구성",
        "Set the database connection.": "데이터베이스 연결을 설정합니다.",
        "Restart the service.": "서비스를 다시 시작합니다.",
        "Name": "이름", "Value": "값", "Port": "포트", "5000": "5000",
    },
}


def translate(locale_dir: Path, lang: str, skip: frozenset[str] = frozenset()) -> None:
    """Fill every page's catalog of ``lang`` from TRANSLATIONS (except the msgids in ``skip``), and
    take the frame's catalog (the theme's and Sphinx's words) from the real site's."""
    from babel.messages.pofile import read_po, write_po

    folder = locale_dir / lang / "LC_MESSAGES"
    shutil.copyfile(ROOT / "locales" / lang / "LC_MESSAGES" / "sphinx.po", folder / "sphinx.po")
    for path in folder.rglob("*.po"):
        if path == folder / "sphinx.po":
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.id not in skip:
                message.string = TRANSLATIONS[lang][str(message.id)]
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0)


def build_without_records(root: Path, langs: tuple[str, ...] = LANGUAGES) -> Path:
    """Build the site at ``root`` with -W, reading no run records (the runbooks' metadata gives
    their results); fail with the build's last lines. Returns the HTML folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(records.ENV, str(root / "no-records"))
        results = site.build(root, root / "_build" / "html", langs)
    for lang, (result, _) in results.items():
        assert result.ok, f"{lang} build with -W failed:\n" + "\n".join(result.tail(30))
    return root / "_build" / "html"
