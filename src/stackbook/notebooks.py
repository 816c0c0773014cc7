"""Pure transforms over notebooks: markers, secret scrubbing, reference outputs."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from nbformat import NotebookNode

from stackbook.secrets import scrub

INJECTED = "injected-parameters"
ERROR_MARKER = "papermill-error-cell-tag"  # the two markdown cells papermill adds around a failure
PARAMETERS = "parameters"
# Cell metadata: a checked cell's output on platforms whose output differs from the stored reference.
PLATFORM_OUTPUTS = "stackbook-platform-outputs"

# nbval's markers, as cell tags or as a comment on the cell's first lines.
MARKERS: Mapping[str, tuple[str, str]] = {
    "check": ("nbval-check-output", "NBVAL_CHECK_OUTPUT"),
    "ignore": ("nbval-ignore-output", "NBVAL_IGNORE_OUTPUT"),
    "skip": ("nbval-skip", "NBVAL_SKIP"),
    "raises": ("raises-exception", "NBVAL_RAISES_EXCEPTION"),
}


def tags(cell: NotebookNode) -> set[str]:
    """A cell's tags."""
    return set(cell.get("metadata", {}).get("tags", []))


def marked(cell: NotebookNode, marker: str) -> bool:
    """Whether ``cell`` carries nbval's ``marker`` (``check``, ``ignore``, ``skip``, ``raises``)."""
    tag, comment = MARKERS[marker]
    head = cell.get("source", "").splitlines()[:2]
    return tag in tags(cell) or any(line.lstrip("# ").strip() == comment for line in head)


def without_injected(nb: NotebookNode) -> NotebookNode:
    """Pure: the notebook without papermill's additions (injected parameters, error markers)."""
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not {INJECTED, ERROR_MARKER} & set(tags(c))]
    return out


def _scrub_value(value: Any, secrets: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, list):
        return [_scrub_value(v, secrets) for v in value]
    if isinstance(value, dict):
        return type(value)((k, _scrub_value(v, secrets)) for k, v in value.items())
    return value


def scrub_notebook(nb: NotebookNode, secrets: Mapping[str, str]) -> NotebookNode:
    """Pure: every string in the notebook with secret values replaced by their names."""
    result: NotebookNode = _scrub_value(nb, secrets)
    return result


def rewrite_outputs(nb: NotebookNode, rewrite: Callable[[str], str]) -> NotebookNode:
    """Pure: the notebook with ``rewrite`` applied to the text of every code output."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = rewrite(output.get("text", ""))
            elif "text/plain" in output.get("data", {}):
                output["data"]["text/plain"] = rewrite(output["data"]["text/plain"])
    return out


def strip_run_metadata(nb: NotebookNode) -> NotebookNode:
    """Pure: drop papermill's and Jupyter's per-run metadata (timings, statuses)."""
    out = copy.deepcopy(nb)
    out.metadata.pop("papermill", None)
    for cell in out.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return out


def with_outputs(source: NotebookNode, executed: NotebookNode) -> NotebookNode:
    """Pure: ``source`` with code outputs and counts taken from ``executed`` (same cells)."""
    ran = without_injected(executed).cells
    out = copy.deepcopy(source)
    if len(ran) != len(out.cells):
        raise ValueError(f"executed notebook has {len(ran)} cells, source has {len(out.cells)}")
    for cell, result in zip(out.cells, ran, strict=True):
        if cell.cell_type == "code":
            cell.outputs = copy.deepcopy(result.get("outputs", []))
            cell.execution_count = result.get("execution_count")
    return strip_run_metadata(out)


def output_text(cell: NotebookNode) -> str:
    """The text a reader sees under a code cell: streams, plain results, errors."""
    parts: list[str] = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            parts.append(output.get("text", ""))
        elif kind in {"execute_result", "display_data"}:
            parts.append(output.get("data", {}).get("text/plain", ""))
        elif kind == "error":
            parts.append(f"{output.get('ename')}: {output.get('evalue')}\n")
    return "".join(parts)


def first_line(cell: NotebookNode) -> str:
    """A cell's first line, to name it in messages (a magic line with the command after it)."""
    lines = [line for line in cell.get("source", "").strip().splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].startswith("%%"):
        return f"{lines[0]}: {lines[1].strip()}"
    return lines[0] if lines else ""


def platform_outputs(cell: NotebookNode) -> dict[str, str]:
    """A cell's outputs stored for other platforms than the reference's: platform → text."""
    return dict(cell.get("metadata", {}).get(PLATFORM_OUTPUTS) or {})
