"""Sessions for stackbook: tests (default), quick, verify (the main job), matrix, nightly, docs, bench, lint, i18n."""

from __future__ import annotations

import os
import time
from pathlib import Path

import nox

nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
# A session's node is leased to nox itself, and its stackbook commands end with nox: killed even
# with SIGKILL, a session leaves no node behind, and its run records that it was interrupted.
LEASE = {"STACKBOOK_LEASE": str(os.getpid())}


def _install(session: nox.Session, *groups: str) -> None:
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def tests(session: nox.Session) -> None:
    """Unit and integration tests (integration ones build real test nodes and run Tempest; needs root)."""
    _install(session, "test", "docs", "tempest")
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def quick(session: nox.Session) -> None:
    """The tests that need no test node, browser or full site build (about a minute)."""
    _install(session, "test", "docs")
    session.run("pytest", "-m", "not node and not browser and not slow", *session.posargs)


@nox.session
def verify(session: nox.Session) -> None:
    """The main job: a fresh test node, every runbook executed and checked, Tempest, then the site."""
    _install(session, "docs", "tempest")
    session.run("stackbook", "node", "down", "--all")
    session.run("stackbook", "node", "up", "controller", env=LEASE)
    try:
        session.run("stackbook", "run", "--all", "--tempest", *session.posargs, env=LEASE)
    finally:
        session.run("stackbook", "node", "down", "controller")
    session.run("python", "-m", "stackbook.sphinxext.site")


PLATFORMS = ("debian-13", "debian-sid", "debian-12")


@nox.session(default=False)
def matrix(session: nox.Session) -> None:
    """Every runbook on every platform (or those named: `-- debian-12`): fresh with Tempest, then a
    second time on the same node."""
    _install(session, "docs", "tempest")
    chosen = session.posargs or list(PLATFORMS)
    figures = []
    for platform in chosen:
        # One state folder per platform: its node, secrets and runs stay apart from the others'.
        env = {"STACKBOOK_STATE": f"/var/lib/stackbook/matrix/{platform}", **LEASE}
        session.run("stackbook", "node", "down", "--all", env=env)
        session.run("stackbook", "node", "up", "controller", "--platform", platform, env=env)
        try:
            began = time.monotonic()
            # The site shows this result, Tempest's counts with it.
            session.run("stackbook", "run", "--all", "--record", "--tempest", env=env)
            fresh = time.monotonic() - began
            session.run("stackbook", "run", "--all", env=env)  # the second run on the same node
            second = time.monotonic() - began - fresh
            figures.append(f"{platform}: fresh with Tempest {fresh:.0f} s, second {second:.0f} s")
        finally:
            session.run("stackbook", "node", "down", "controller", env=env)
    session.log("matrix passed: " + "; ".join(figures))


@nox.session(default=False)
def nightly(session: nox.Session) -> None:
    """The nightly check of one platform (`-- debian-12`; default: the default platform), of every
    runbook or of those named after it (`-- debian-13 horizon`, with what they need): a fresh node,
    the runbooks (past a failure, skipping what needs it), Tempest, a record in results/; on the
    default platform, nbval then checks the runbooks against their references on the same node.
    $STACKBOOK_PIN (PACKAGE=VERSION ...) holds packages at older versions on the node."""
    _install(session, "test", "tempest")
    platform = session.posargs[0] if session.posargs else PLATFORMS[0]
    named = session.posargs[1:]
    books = [f"runbooks/{n}.ipynb" for n in named] or [str(p) for p in Path("runbooks").glob("*.ipynb")]
    env = {"STACKBOOK_STATE": f"/var/lib/stackbook/nightly/{platform}", **LEASE}
    session.run("stackbook", "node", "down", "--all", env=env)
    session.run("stackbook", "node", "up", "controller", "--platform", platform, env=env)
    try:
        # The record goes into results/ (STACKBOOK_RESULTS): nothing is written into the runbooks.
        chosen = [*named, "--with-requires"] if named else ["--all"]
        session.run("stackbook", "run", *chosen, "--tempest", "--keep-going", env=env)
        if platform == PLATFORMS[0]:
            # nbval re-executes each runbook on the same node (so this is also the second-run check)
            # and compares the cells marked NBVAL_CHECK_OUTPUT, with the same sanitizer file. It knows
            # only the reference outputs, which come from the default platform.
            session.run("pytest", "--nbval-lax", "--nbval-sanitize-with", "runbooks/sanitize.cfg",
                        "-p", "no:cacheprovider", "-o", "addopts=", "-o", "filterwarnings=",
                        *sorted(books), env=env)
    finally:
        session.run("stackbook", "node", "down", "controller", env=env)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy (strict) over the package."""
    _install(session, "lint", "docs")  # mypy needs Sphinx's and MyST's types for the site extension
    session.run("ruff", "check", "src", "tests")
    session.run("mypy", "src/stackbook")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Print timing figures: runbooks through stackbook, with and without snapshots, vs plain scripts."""
    _install(session, "docs")  # the benchmarks read runbooks with the site's magic parser
    session.run("python", "benchmarks/platforms.py")
    session.run("python", "benchmarks/runbooks.py", *session.posargs)
    session.run("python", "benchmarks/snapshots.py", *session.posargs)
    session.run("python", "benchmarks/docs.py")


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Build the site in en, ja and ko with -W, in parallel; `-- --serve [--lang ja]` serves it live."""
    _install(session, "docs")
    session.run("python", "-m", "stackbook.sphinxext.site", *session.posargs)


@nox.session(default=False)
def i18n(session: nox.Session) -> None:
    """Extract English messages, update the ja/ko catalogs, check them, write the glossaries as TBX, print stats."""
    _install(session, "docs")
    session.run("stackbook", "i18n", "extract")
    session.run("stackbook", "i18n", "update")
    session.run("stackbook", "i18n", "check")
    session.run("stackbook", "i18n", "tbx")
    session.run("stackbook", "i18n", "stats", *session.posargs)
