from __future__ import annotations

from pathlib import Path

import pytest
from nbformat import v4

from stackbook import runbooks
from stackbook.errors import NotebookError, StackbookError

from .builders import ROOT, make_runbook, shell


def test_malformed_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    with pytest.raises(NotebookError, match=r"broken\.ipynb: not a notebook"):
        runbooks.load(path)


def test_invalid_notebook(tmp_path: Path) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text('{"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    with pytest.raises(NotebookError, match=r"bad\.ipynb: (invalid|cannot read) notebook"):
        runbooks.load(path)


def test_parameters_and_metadata(tmp_path: Path) -> None:
    path = make_runbook(tmp_path / "k.ipynb", [shell("true")], 'INVENTORY = "x"\nADMIN_PASS = ""\nREQUIRED = None',
                        requires=("environment",))
    book = runbooks.load(path)
    assert book.parameters == {"INVENTORY": "x", "ADMIN_PASS": "", "REQUIRED": None}
    assert (book.name, book.requires, book.roles) == ("k", ("environment",), ("controller",))


def test_parameters_cell_syntax_error_names_line(tmp_path: Path) -> None:
    path = make_runbook(tmp_path / "k.ipynb", [], 'INVENTORY = "x"\nADMIN_PASS = ')
    with pytest.raises(NotebookError, match="parameters cell, line 2"):
        runbooks.load(path)


def test_missing_parameters_cell(tmp_path: Path) -> None:
    path = make_runbook(tmp_path / "k.ipynb", [], "x = 1")
    nb = runbooks.read(path)
    nb.cells[0].metadata = {}
    import nbformat
    nbformat.write(nb, path)
    with pytest.raises(NotebookError, match="exactly one cell tagged 'parameters'"):
        runbooks.load(path)


def _book(name: str, *requires: str) -> runbooks.Runbook:
    return runbooks.Runbook(name, Path(f"{name}.ipynb"), name, requires, ("controller",), {})


KNOWN = {b.name: b for b in (_book("environment"), _book("keystone", "environment"),
                             _book("glance", "keystone"), _book("db", "environment"))}


@pytest.mark.parametrize(
    ("names", "with_requires", "expected"),
    [
        (["glance"], True, ["environment", "keystone", "glance"]),
        (["glance"], False, ["glance"]),
        (["glance", "environment", "keystone"], False, ["environment", "keystone", "glance"]),
        (list(KNOWN), True, ["environment", "keystone", "glance", "db"]),
    ],
)
def test_order(names: list[str], with_requires: bool, expected: list[str]) -> None:
    assert [b.name for b in runbooks.order(names, KNOWN, with_requires)] == expected


def test_order_errors() -> None:
    with pytest.raises(StackbookError, match="no runbook named 'nova'"):
        runbooks.order(["nova"], KNOWN, True)
    cyclic = {"a": _book("a", "b"), "b": _book("b", "a")}
    with pytest.raises(StackbookError, match="cycle: a -> b -> a"):
        runbooks.order(["a"], cyclic, True)


@pytest.mark.parametrize("path", sorted((ROOT / "runbooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_runbook_is_valid_and_has_checked_outputs(path: Path) -> None:
    book = runbooks.load(path)
    nb = runbooks.read(path)
    checked = [c for c in nb.cells if "nbval-check-output" in c.metadata.get("tags", [])]
    assert checked, f"{path.name} checks no output"
    assert all(c.outputs for c in checked), f"{path.name} has checked cells without reference outputs"
    assert set(book.requires) <= {p.stem for p in path.parent.glob("*.ipynb")}
    assert v4.new_notebook()  # nbformat is importable with the real runbooks


def test_stored_outputs_name_no_package_mirror_of_this_host() -> None:
    from stackbook import aptsources, platforms

    hosts = {s.uri.split("/")[2] for s in aptsources.host_sources(platforms.get())}
    for path in sorted((ROOT / "runbooks").glob("*.ipynb")):
        text = path.read_text()
        assert not [h for h in hosts if h in text], f"{path.name} names a package mirror"


def test_all_means_the_runbooks_whose_roles_the_inventory_has() -> None:
    one = runbooks.Runbook("heat", Path("heat.ipynb"), "Heat", (), ("controller",), {})
    two = runbooks.Runbook("multicloud", Path("m.ipynb"), "Two clouds", ("heat",), ("controller", "remote"), {})
    known = {"heat": one, "multicloud": two}
    assert runbooks.for_inventory(known, ["controller"]) == (["heat"], {"multicloud": ["remote"]})
    assert runbooks.for_inventory(known, ["controller", "remote"]) == (["heat", "multicloud"], {})
    assert runbooks.for_inventory(known, []) == ([], {"heat": ["controller"], "multicloud": ["controller", "remote"]})


def test_every_parameter_default_is_a_plain_value() -> None:
    # A default such as "${CONTROLLER_HOST}" is not expanded anywhere: the runbook would run with it
    # literally unless every run gives the value with -p.
    for path in sorted((ROOT / "runbooks").glob("*.ipynb")):
        for name, value in runbooks.load(path).parameters.items():
            assert "$" not in str(value), f"{path.name}: {name} = {value!r}"
    host = {path.name: runbooks.load(path).parameters.get("CONTROLLER_HOST")
            for path in sorted((ROOT / "runbooks").glob("*.ipynb"))}
    assert set(host.values()) == {"controller"}, host
