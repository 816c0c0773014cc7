"""The package's own dependencies cover what it imports: `pip install .` alone runs the CLI."""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .builders import ROOT

PACKAGE = ROOT / "src" / "stackbook"
# The Sphinx extension runs inside sphinx-build, which the docs dependency group installs.
DOCS_ONLY = PACKAGE / "sphinxext"


def _top_level_imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_core_dependencies_cover_every_import_outside_the_sphinx_extension() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {canonicalize_name(Requirement(spec).name) for spec in project["dependencies"]}
    distributions = packages_distributions()
    missing: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if DOCS_ONLY in path.parents:
            continue
        for module in _top_level_imports(path):
            if module in sys.stdlib_module_names or module == "stackbook":
                continue
            provided_by = {canonicalize_name(d) for d in distributions.get(module, [module])}
            if not provided_by & declared:
                missing.setdefault(module, []).append(str(path.relative_to(ROOT)))
    assert not missing, f"imported but not in [project].dependencies: {missing}"
