from __future__ import annotations

from pathlib import Path

import pytest
from nbformat import v4

from stackbook import preflight, runbooks

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ("INVENTORY", "SERVER_NAME", "ADMIN_PASS")


def _nb(*sources: str) -> v4.NotebookNode:
    nb = v4.new_notebook()
    nb.cells = [v4.new_markdown_cell("# t"), v4.new_code_cell('SERVER_NAME = "controller"'),
                *(v4.new_code_cell(s) for s in sources)]
    return nb


def _problems(*sources: str, mapped: tuple[str, ...] = ("controller",)) -> list[str]:
    return [str(p) for p in preflight.check_cells("r.ipynb", _nb(*sources), ("controller",), mapped, PARAMS)]


@pytest.mark.parametrize("body", [
    'echo "$SERVER_NAME ${ADMIN_PASS}" $HOME',
    'url="https://$SERVER_NAME/"\ncurl "$url"',
    "for port in 1 2; do echo $port; done",
    "openstack image list -f value | while read -r id name; do echo $id $name; done",
    ". /root/admin-openrc\necho $OS_AUTH_URL",
    "echo '$NOT_EXPANDED' \"it's $SERVER_NAME\"  # $COMMENTED",
    "cat <<'EOF'\n$LITERAL\nEOF\necho done",
    "echo \\${APACHE_LOG_DIR}",
    "export LANG_DIR=/x; echo $LANG_DIR",
    "sed -E 's/ after [0-9]+ ms//; s/$//' x",
])
def test_what_bash_would_find_set_passes(body: str) -> None:
    assert _problems(f"%%on controller\n{body}") == []


def test_a_name_nothing_sets_is_named_with_cell_and_line() -> None:
    found = _problems("%%on controller\necho ok", "%%on controller\nx=1\necho $x\necho \"$KEYSTONE_DBPASS\"")
    assert found == ["r.ipynb: cell 3, line 4: $KEYSTONE_DBPASS is not a parameter and nothing in the cell "
                     "sets it before this line"]


def test_a_name_set_in_an_earlier_cell_is_not_set_in_the_next() -> None:
    found = _problems("%%on controller\nsite=/etc/x", "%%on controller\ncat $site")
    assert found == ["r.ipynb: cell 3, line 2: $site is not a parameter and nothing in the cell sets it "
                     "before this line"]


def test_roles_ini_and_write_cells() -> None:
    found = _problems(
        "%%on compute1\ntrue",
        "%%ini controller /etc/x.conf\n[DEFAULT]\nhost = ${SERVER_NAME}\nnot a setting",
        "%%write controller /etc/y\nname = ${SERVER_NAM}",
        "%%on\ntrue",
    )
    assert found[0] == ("r.ipynb: cell 2, line 1: role 'compute1' is not declared in the runbook's metadata "
                        "(stackbook.roles: controller)")
    assert found[1].startswith("r.ipynb: cell 3, line 4: INI fragment line 3: 'not a setting' is not `key = value`")
    assert found[2] == "r.ipynb: cell 4, line 2: ${SERVER_NAM} is not a parameter of the runbook"
    assert found[3] == ("r.ipynb: cell 5, line 1: %%on: the following arguments are required: role; "
                        "usage: %%on [--only PLATFORM[,PLATFORM]] role")
    unmapped = _problems("%%on controller\ntrue", mapped=())
    assert unmapped == ["r.ipynb: cell 2, line 1: role 'controller' has no target: add --target controller=URL "
                        "or an inventory line"]


def test_a_copy_needs_both_roles() -> None:
    assert _problems("%%copy controller /etc/x --from controller:/etc/y\n") == []
    found = _problems("%%copy controller /etc/x --from remote:/etc/y\n")
    assert found == ["r.ipynb: cell 2, line 1: role 'remote' is not declared in the runbook's metadata "
                     "(stackbook.roles: controller)"]


def test_every_runbook_passes_its_own_preflight() -> None:
    for path in sorted((ROOT / "runbooks").glob("*.ipynb")):
        book = runbooks.load(path)
        assert preflight.check_cells(path.name, runbooks.read(path), book.roles, book.roles, book.parameters) == []
