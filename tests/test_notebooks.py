from __future__ import annotations

import pytest
from nbformat import v4

from stackbook import notebooks


@pytest.mark.parametrize(
    ("source", "tags", "marker", "expected"),
    [
        ("%%on controller\nls", ["nbval-check-output"], "check", True),
        ("%%on controller\n# NBVAL_CHECK_OUTPUT\nls", [], "check", True),
        ("# NBVAL_IGNORE_OUTPUT\nprint(1)", [], "ignore", True),
        ("%%on controller\nls", [], "check", False),
        ("x = 1", ["raises-exception"], "raises", True),
        ("x = 1", ["nbval-skip"], "skip", True),
    ],
)
def test_markers(source: str, tags: list[str], marker: str, expected: bool) -> None:
    cell = v4.new_code_cell(source, metadata={"tags": tags})
    assert notebooks.marked(cell, marker) is expected


def _executed() -> v4.NotebookNode:
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_code_cell('INVENTORY = ""', metadata={"tags": ["parameters"]}),
        v4.new_code_cell('INVENTORY = "x"', metadata={"tags": ["injected-parameters"], "papermill": {"duration": 1}}),
        v4.new_code_cell("%%on controller\necho s3cr3t-value", outputs=[
            v4.new_output("stream", name="stdout", text="password s3cr3t-value\n")], execution_count=3),
    ]
    nb.metadata["papermill"] = {"parameters": {"ADMIN_PASS": "s3cr3t-value"}}
    return nb


def test_scrub_reaches_outputs_sources_and_metadata() -> None:
    clean = notebooks.scrub_notebook(_executed(), {"ADMIN_PASS": "s3cr3t-value"})
    assert "s3cr3t-value" not in str(clean)
    assert clean.cells[2].outputs[0].text == "password ADMIN_PASS\n"


def test_with_outputs_takes_outputs_and_drops_run_metadata() -> None:
    source = v4.new_notebook()
    source.cells = [_executed().cells[0], v4.new_code_cell("%%on controller\necho s3cr3t-value")]
    merged = notebooks.with_outputs(source, _executed())
    assert merged.cells[1].outputs[0].text == "password s3cr3t-value\n"
    assert merged.cells[1].execution_count == 3
    assert "papermill" not in merged.metadata
    assert notebooks.with_outputs(merged, _executed()) == merged


def test_without_injected_is_idempotent() -> None:
    once = notebooks.without_injected(_executed())
    assert len(once.cells) == 2 and notebooks.without_injected(once) == once


@pytest.mark.parametrize(
    ("source", "expected"),
    [("%%on controller\n\nhostname\nls", "%%on controller: hostname"), ("print(1)\n", "print(1)"), ("", "")],
)
def test_first_line(source: str, expected: str) -> None:
    assert notebooks.first_line(v4.new_code_cell(source)) == expected


def test_rewrite_outputs_touches_outputs_only() -> None:
    nb = _executed()
    out = notebooks.rewrite_outputs(nb, str.upper)
    assert out.cells[2].outputs[0].text == "PASSWORD S3CR3T-VALUE\n"
    assert out.cells[2].source == nb.cells[2].source
