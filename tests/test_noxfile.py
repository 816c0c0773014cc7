"""Every nox session starts in a new virtual environment with only what it installs.

For each session, the noxfile is read (not run) for the dependency groups it installs and the
programs it runs. Each program's modules are then imported in a fresh interpreter that refuses
every top-level module of a distribution outside those groups and their dependencies: a session
whose code imports something it does not install fails here, not on a clean clone.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, distribution, entry_points, packages_distributions
from importlib.util import find_spec
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import stackbook.sphinxext

from .builders import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# What `python -m venv` puts in every new environment before the session installs anything.
VENV = {"pip", *(("setuptools",) if sys.version_info < (3, 12) else ())}


@dataclass(frozen=True)
class Command:
    """One ``session.run``: its leading constant words, and whether more than posargs follow."""

    words: tuple[str, ...]
    computed: bool


@dataclass(frozen=True)
class Session:
    """A nox session as the noxfile declares it."""

    name: str
    groups: tuple[str, ...]
    project: bool
    commands: tuple[Command, ...]


def _calls(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == name:
            yield node


def _command(call: ast.Call) -> Command:
    words: list[str] = []
    computed = False
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and not computed:
            words.append(arg.value)
        elif ast.unparse(arg) != "*session.posargs":
            computed = True
    return Command(tuple(words), computed)


def _is_session(func: ast.FunctionDef) -> bool:
    return any(ast.unparse(d.func if isinstance(d, ast.Call) else d) == "nox.session" for d in func.decorator_list)


def read_sessions() -> list[Session]:
    """Pure over the noxfile's text: each session's groups and commands."""
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    helper = functions["_install"]
    project = any(ast.literal_eval(a) == "." for call in _calls(helper, "session.install") for a in call.args
                  if isinstance(a, ast.Constant))
    found = []
    for func in filter(_is_session, functions.values()):
        own = [ast.unparse(call) for call in _calls(func, "session.install")]
        assert not own, f"session {func.name} installs packages itself ({own}): use _install(session, GROUP)"
        groups = tuple(ast.literal_eval(a) for call in _calls(func, "_install") for a in call.args[1:])
        commands = tuple(_command(call) for call in _calls(func, "session.run"))
        found.append(Session(func.name, groups, project, commands))
    return found


SESSIONS = read_sessions()


def _group(name: str) -> Iterator[str]:
    for item in PYPROJECT["dependency-groups"][name]:
        if isinstance(item, str):
            yield item
        else:
            yield from _group(item["include-group"])


def installed_by(session: Session) -> set[str]:
    """The distributions a session's new environment has: its groups and the project, with their dependencies."""
    specs = [*(["stackbook", *PYPROJECT["project"]["dependencies"]] if session.project else [])]
    specs += [spec for group in session.groups for spec in _group(group)]
    return VENV | _closure(Requirement(spec) for spec in specs)


def _closure(todo: Iterable[Requirement]) -> set[str]:
    pending, seen = list(todo), set[tuple[str, frozenset[str]]]()
    while pending:
        req = pending.pop()
        key = (canonicalize_name(req.name), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            needs = distribution(req.name).requires or []
        except PackageNotFoundError:  # not installed here: its own dependencies are unknown
            continue
        extras = req.extras or {""}
        for spec in map(Requirement, needs):
            if spec.marker is None or any(spec.marker.evaluate({"extra": extra}) for extra in extras):
                pending.append(spec)
    return {name for name, _ in seen}


def refused(installed: set[str]) -> list[str]:
    """Top-level modules here that only distributions outside ``installed`` provide."""
    return sorted(module for module, dists in packages_distributions().items()
                  if not {canonicalize_name(d) for d in dists} & installed)


def _assignments(path: str, *names: str) -> dict[str, Any]:
    tree = ast.parse((ROOT / path).read_text())
    return {t.id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
            for t in n.targets if isinstance(t, ast.Name) and t.id in names}


def _sphinx_build() -> tuple[str, ...]:
    """What sphinx-build imports for this site: Sphinx, conf.py's extensions and theme, and ours."""
    conf = _assignments("conf.py", "extensions", "html_theme")
    return ("sphinx.cmd.build", *conf["extensions"], conf["html_theme"],
            *stackbook.sphinxext.EXTENSIONS, stackbook.sphinxext.READER.rpartition(".")[0])


KERNEL = ("ipykernel.kernelapp", "stackbook.magics")  # a runbook's kernel, with %load_ext stackbook
# What a command starts besides its own program: sphinx-build, a kernel per runbook.
LOADS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("stackbook", "run"): ("stackbook.execute", "papermill", *KERNEL),
    ("stackbook", "i18n", "extract"): _sphinx_build(),
    ("python", "-m", "stackbook.sphinxext.site"): _sphinx_build(),
    ("pytest", "--nbval-lax"): ("nbval.plugin", *KERNEL),
}
# pytest without paths collects its testpaths: every test module, imported as the package `tests`.
TEST_MODULES = tuple(f"tests.{p.stem}" for p in sorted((ROOT / "tests").glob("*.py")) if p.stem != "__init__")


def _program(name: str) -> str:
    """The module behind a console script (a binary such as ruff: the module of its name)."""
    scripts: dict[str, str] = PYPROJECT["project"]["scripts"]
    if name in scripts:
        return scripts[name].partition(":")[0]
    return next((ep.module for ep in entry_points(group="console_scripts", name=name)), name)


def modules(command: Command) -> list[str]:
    """The modules a command imports: its program (a module, or a script's path) and what it loads."""
    program, *args = command.words
    if program == "python":
        found = [args[1] if args[0] == "-m" else str(ROOT / args[0])]
    else:
        found = [_program(program)]
        if program == "pytest" and not command.computed:
            found += TEST_MODULES
    for prefix, loads in LOADS.items():
        if command.words[:len(prefix)] == prefix:
            found += loads
    return found


# Runs in a new interpreter: a finder in front of all others refuses the modules listed, as
# though their distributions were not installed; then the modules (or scripts) are imported.
CHILD = """
import importlib, importlib.abc, importlib.util, json, sys

refused, wanted = set(json.loads(sys.argv[1])), json.loads(sys.argv[2])


class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if "." not in name and name in refused:
            raise ModuleNotFoundError(f"No module named {name!r} (the session does not install it)", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())
for name in wanted:
    if name.endswith(".py"):  # a script: its imports, without running its main()
        spec = importlib.util.spec_from_file_location("_script", name)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    else:
        importlib.import_module(name)
"""


def import_as(session: Session, skip: frozenset[str] = frozenset()) -> subprocess.CompletedProcess[str]:
    """Import what ``session`` runs (but the top-level packages in ``skip``) in a new interpreter
    that has only what the session installs."""
    wanted = list(dict.fromkeys(m for command in session.commands for m in modules(command)
                                if m.partition(".")[0] not in skip))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}  # pyproject's pythonpath, as pytest sets it
    argv = [sys.executable, "-c", CHILD, json.dumps(refused(installed_by(session))), json.dumps(wanted)]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_sessions_the_readme_names_are_read_from_the_noxfile() -> None:
    readme = (ROOT / "README.md").read_text()
    named = set(re.findall(r"\./run\.sh (\w+)", readme)) | set(re.findall(r"`(\w+)` \(", readme))
    assert named - {"SESSION"} <= {s.name for s in SESSIONS}
    assert [s.name for s in SESSIONS if not s.commands] == []
    assert [s.name for s in SESSIONS if not s.project] == []  # _install always installs the package


@pytest.mark.parametrize("session", SESSIONS, ids=lambda s: s.name)
def test_what_a_session_runs_imports_with_what_it_installs(session: Session) -> None:
    installed = installed_by(session)
    wanted = {m for command in session.commands for m in modules(command) if not m.endswith(".py")}
    # A program not installed in this environment (ruff and mypy outside the lint session's):
    # its import cannot be tried here, but the session must at least install its distribution.
    tops = {m.partition(".")[0] for m in wanted} - {"stackbook", "tests"}
    absent = frozenset(top for top in tops if find_spec(top) is None)
    assert {canonicalize_name(m) for m in absent} <= installed, f"{session.name} runs {absent}"
    result = import_as(session, skip=absent)
    assert result.returncode == 0, (f"session {session.name} installs {session.groups} and the project, but "
                                    f"what it runs needs more:\n{result.stderr[-2000:]}")


def test_a_bench_session_without_the_docs_group_is_caught() -> None:
    # The real mistake this guards against: the benchmarks read runbooks with the site's parser.
    bench = next(s for s in SESSIONS if s.name == "bench")
    result = import_as(replace(bench, groups=()))
    assert result.returncode != 0
    assert "No module named 'sphinx' (the session does not install it)" in result.stderr
