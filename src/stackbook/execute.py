"""Execute runbooks with papermill against an inventory, check them, keep the record."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from stackbook import (
    compare,
    errors,
    facts,
    inventory,
    notebooks,
    platforms,
    preflight,
    records,
    runbooks,
    secrets,
    steps,
    timeouts,
)
from stackbook.errors import MissingParameter, StackbookError, TargetUnreachable
from stackbook.files import write_atomic, write_notebook
from stackbook.progress import Position, moved
from stackbook.runbooks import Runbook
from stackbook.targets import parse_target

Progress = Callable[[str], None]
UNREACHABLE = {"TargetUnreachable", "NodeError"}  # a step that failed because its host was not there


@dataclass
class Outcome:
    """How one runbook went."""

    runbook: str
    status: str = "not run"  # passed | failed | differs | skipped | not run
    seconds: float = 0.0
    cells: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, Any] | None = None  # cell, ename, evalue, kind (errors.FAILED_CHECK, ...)
    differences: list[str] = field(default_factory=list)
    skipped_for: str | None = None  # skipped: the failed runbook it needs (directly or not)


def ending(outcomes: list[Outcome]) -> str:
    """Pure: what kind of end the run had (errors.PASSED, FAILED_CHECK, INFRASTRUCTURE, ...)."""
    for outcome in outcomes:
        if outcome.error:
            return str(outcome.error.get("kind", errors.FAILED_CHECK))
    if all(o.status == "passed" for o in outcomes):
        return errors.PASSED
    return errors.FAILED_CHECK


@dataclass
class Plan:
    """What to run, where, and where to keep the record."""

    runbooks: list[Runbook]
    roles: dict[str, str]
    parameters: dict[str, str]
    run_dir: Path
    rules: compare.Rules
    update_reference: bool = False
    record: bool = False
    publish: compare.Rules = field(default_factory=list)
    platform: facts.Facts | None = None  # measured on the controller before the first runbook
    reference_platform: str = platforms.DEFAULT  # the stored outputs (what the site shows) come from it
    cell_timeout: float = timeouts.DEFAULT  # seconds, unless a runbook or cell sets its own
    keep_going: bool = False  # after a failure, run the runbooks that do not need the failed one
    results: Path | None = None  # where the run's record goes (records.write); None: no record
    restored_from: dict[str, Any] | None = None  # the snapshot the node was restored from (see resume)
    after: Callable[[Runbook, Outcome], None] | None = None  # called after each runbook (a snapshot)


def check_plan(plan: Plan) -> None:
    """Fail before running anything if a role or a required parameter is missing, or a cell
    would fail for a reason visible in the runbook (see preflight)."""
    for book in plan.runbooks:
        nb = runbooks.read(book.path)
        timeouts.check(nb, book.path)
        roles = inventory.effective(plan.roles)
        for role in book.roles:
            if role not in roles:
                raise MissingParameter(book.path, f"role {role}", f"add --target {role}=URL or an inventory line")
        for name, default in book.parameters.items():
            if default is None and name not in plan.parameters:
                raise MissingParameter(book.path, name, f"pass -p {name}=VALUE")
        preflight.check(book.path, nb, book.roles, roles, book.parameters)
    known = {n for b in plan.runbooks for n in b.parameters}
    unknown = sorted(set(plan.parameters) - known)
    if unknown:
        raise StackbookError(f"-p {unknown[0]}: no runbook in this run has that parameter; "
                             f"known: {', '.join(sorted(known))}")


def secret_values(plan: Plan) -> dict[str, str]:
    """The secrets of this run: given with -p, else stored for this inventory, else generated."""
    names = sorted({n for b in plan.runbooks for n in b.parameters if secrets.is_secret(n)})
    given = {n: v for n, v in plan.parameters.items() if secrets.is_secret(n)}
    return secrets.resolve(secrets.store_path(inventory.dump(plan.roles)), names, given)


def reach(plan: Plan, progress: Progress = lambda _: None) -> None:
    """Every target of the inventory answers (ssh in batch mode), or the error for the first that
    does not; then each finishes a package installation an earlier, killed run left half-done."""
    targets = {role: parse_target(url) for role, url in sorted(plan.roles.items())}
    for role, target in targets.items():
        result = target.run("true")
        if not result.ok:
            raise TargetUnreachable(target.url, f"role {role}: `true` exited {result.rc}: {' '.join(result.tail(3))}")
    for role, target in targets.items():
        done = steps.settle(target)
        if done:
            progress(f"{role}: finished a package installation an earlier run left half-done "
                     f"(dpkg --configure -a):\n{done}")


def measure(plan: Plan) -> facts.Facts:
    """The controller's platform as measured now (the first role if there is no controller)."""
    role = "controller" if "controller" in plan.roles else sorted(plan.roles)[0]
    return facts.measure(parse_target(plan.roles[role]))


def _measure_again(plan: Plan) -> facts.Facts:
    """The facts after the run (with the packages it installed); the earlier ones if unreachable now."""
    try:
        return measure(plan)
    except StackbookError:
        if plan.platform is None:
            raise
        return plan.platform


def blocker(requires: tuple[str, ...], stopped: Mapping[str, str]) -> str | None:
    """Pure: the failed runbook behind ``requires``, if one of them failed or was skipped
    (``stopped`` maps each failed or skipped runbook to the failed one behind it)."""
    return next((stopped[name] for name in requires if name in stopped), None)


def expected_seconds(plan: Plan) -> dict[str, float]:
    """Each runbook's time in the newest record of this platform that ran it (none when the
    results folder has no readable record: this is for the progress display only)."""
    if plan.results is None or plan.platform is None:
        return {}
    try:
        runs = records.history(plan.results).get(plan.platform.platform, [])
    except StackbookError:
        return {}
    found = {}
    for book in plan.runbooks:
        latest = records.latest(runs, book.name)
        if latest is not None:
            found[book.name] = latest[1].seconds
    return found


def execute(plan: Plan, progress: Progress, at: Callable[[Position], None] = lambda _: None) -> list[Outcome]:
    """Run each runbook in order; stop at the first failure, or with ``plan.keep_going`` skip
    only the runbooks that need a failed one. Writes the run folder."""
    check_plan(plan)
    reach(plan, progress)
    before = plan.platform or measure(plan)
    plan = replace(plan, platform=before)
    progress(f"controller platform: {before.platform} ({before.label})")
    # papermill runs each notebook in its runbook's folder: a relative run folder (the CLI's
    # default, `runs`) would then point somewhere else while the log is written.
    plan = replace(plan, run_dir=plan.run_dir.resolve(), results=plan.results.resolve() if plan.results else None)
    values = secret_values(plan)
    plan.run_dir.mkdir(parents=True, exist_ok=False)
    log = _Log(plan.run_dir / "run.log", values, progress)
    outcomes = [Outcome(b.name) for b in plan.runbooks]
    began = datetime.now(UTC)
    started = began.isoformat(timespec="seconds")
    stopped: dict[str, str] = {}
    expected = expected_seconds(plan)
    for index, (book, outcome) in enumerate(zip(plan.runbooks, outcomes, strict=True), 1):
        cause = blocker(book.requires, stopped)
        if cause is not None:
            outcome.status, outcome.skipped_for = "skipped", cause
            stopped[book.name] = cause
            log(f"runbook {book.name}: skipped: it needs {cause}, which failed")
            continue
        log(f"runbook {book.name}: {book.title}")
        where = Position(book.name, index, len(plan.runbooks), expected=expected.get(book.name))
        at(where)
        _run_one(plan, book, outcome, values, log, _reporter(at, where))
        log(f"runbook {book.name}: {outcome.status} in {outcome.seconds:.1f} s")
        if plan.after is not None and ending([outcome]) != errors.INTERRUPTED:
            plan.after(book, outcome)
        _write_summary(plan, outcomes, started, values)
        if ending([outcome]) == errors.INTERRUPTED:
            kept = _write_record(plan, outcomes, began, values, log)
            _write_summary(plan, outcomes, started, values, kept)
            raise KeyboardInterrupt  # the summary and the record say so already
        if outcome.status == "failed":
            if not plan.keep_going:
                break
            stopped[book.name] = book.name
    # After the runbooks: the package versions they installed belong to the record.
    measured = _measure_again(plan)
    plan = replace(plan, platform=measured)
    kept = _write_record(plan, outcomes, began, values, log)
    _write_summary(plan, outcomes, started, values, kept)
    if plan.update_reference and all(o.status in {"passed", "differs"} for o in outcomes):
        _update_references(plan, outcomes, measured, values, log)
    elif plan.record:
        _record(plan, outcomes, measured, log)
    return outcomes


def verification(outcome: Outcome, measured: facts.Facts) -> dict[str, Any]:
    """One platform's entry in a runbook's ``verified`` metadata: when, on what, how it went."""
    failed = None
    if outcome.error:
        step = outcome.error.get("step")
        source = next((c["source"] for c in outcome.cells if c["step"] == step), "")
        failed = {"step": step, "source": source, "error": str(outcome.error.get("evalue", "")).split("\n")[0]}
    return {
        "date": datetime.now(UTC).date().isoformat(), "status": outcome.status,
        "seconds": round(outcome.seconds, 1), "debian": measured.debian, "openstack": measured.openstack,
        "failed": failed,
    }


def with_verification(nb: NotebookNode, outcome: Outcome, measured: facts.Facts) -> NotebookNode:
    """Pure: ``nb`` with this platform's result recorded (a legacy flat record is dropped)."""
    meta = nb.metadata["stackbook"]
    verified = meta.get("verified") or {}
    if "status" in verified:  # the old single-platform form
        verified = {}
    meta["verified"] = {**verified, measured.platform: verification(outcome, measured)}
    return nb


@contextlib.contextmanager
def _writing(books: list[Runbook]) -> Iterator[None]:
    """Hold the runbook folders while reading and writing back: runs on two nodes at once
    (the matrix on two platforms) each add their own record without losing the other's."""
    with contextlib.ExitStack() as stack:
        for folder in sorted({b.path.parent.resolve() for b in books}):
            fd = os.open(folder, os.O_RDONLY)
            stack.callback(os.close, fd)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield


def _record(plan: Plan, outcomes: list[Outcome], measured: facts.Facts, log: Progress) -> None:
    """Write each runbook's result into its metadata (the site shows it); outputs untouched."""
    with _writing(plan.runbooks):
        for book, outcome in zip(plan.runbooks, outcomes, strict=True):
            if outcome.status in ("not run", "skipped"):
                continue
            nb = with_verification(runbooks.read(book.path), outcome, measured)
            write_notebook(book.path, nb)
            log(f"recorded {outcome.status} on {measured.platform} for {book.name}")


def _run_one(plan: Plan, book: Runbook, outcome: Outcome, values: Mapping[str, str], log: Progress,
             on_cell: Callable[[int, int], None] = lambda cell, cells: None) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    # papermill warns about parameters it cannot infer from our inventory strings; noise here.
    logging.getLogger("papermill").setLevel(logging.ERROR)

    params = {n: v for n, v in plan.parameters.items() if n in book.parameters and not secrets.is_secret(n)}
    params["INVENTORY"] = inventory.dump(plan.roles)
    source = runbooks.read(book.path)
    fallback = timeouts.runbook_timeout(source, book.path, plan.cell_timeout)
    begin = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="stackbook-") as scratch:
        partial = Path(scratch) / f"{book.name}.ipynb"
        try:
            papermill.execute_notebook(
                str(book.path), str(partial), parameters=params, kernel_name="python3",
                progress_bar=False, cwd=str(book.path.parent), language="python",
                engine_name=_engine(), stackbook_on_cell=on_cell,
                stdout_file=_Lines(book.name, log), stderr_file=_Lines(book.name, log),
                # A cell past its limit is interrupted: the step's command stops on the target.
                timeout_func=lambda cell: timeouts.cell_timeout(cell, fallback), interrupt_on_timeout=True,
            )
            outcome.status = "passed"
        except PapermillExecutionError as exc:
            outcome.status = "failed"
            cell = exc.cell_index - 1  # numbered as in the runbook, without papermill's injected cell
            ename, evalue = exc.ename, str(exc.evalue)
            if ename == "KeyboardInterrupt":
                # Only the execution timeout interrupts the kernel: Ctrl-C and SIGTERM reach this
                # process (below), not the kernel, which runs in a session of its own.
                limit = timeouts.cell_timeout(source.cells[cell], fallback)
                number = timeouts.code_cell_number(source, cell)
                ename, evalue = "CellTimeout", f"cell {number} timed out after {limit:g} s"
            kind = errors.INFRASTRUCTURE if ename in UNREACHABLE else errors.FAILED_CHECK
            step = timeouts.code_cell_number(source, cell)  # as Jupyter numbers it
            outcome.error = {"cell": cell, "step": step, "ename": ename,
                             "evalue": secrets.scrub(evalue, values), "kind": kind}
            log(f"runbook {book.name} ({book.path}): cell {step} failed:\n{ename}: {secrets.scrub(evalue, values)}")
        except (KeyboardInterrupt, Exception) as exc:
            # Keep what ran so far: the partial notebook and the summary are the record.
            kind = errors.kind_of(exc)
            outcome.status = "failed"
            reason = "interrupted (Ctrl-C or SIGTERM)" if kind == errors.INTERRUPTED else f"{exc}"
            outcome.error = {"cell": None, "step": None, "ename": type(exc).__name__,
                             "evalue": secrets.scrub(reason, values), "kind": kind}
            log(f"runbook {book.name}: {kind}: {type(exc).__name__}: {reason}")
        outcome.seconds = round(time.monotonic() - begin, 2)
        if not partial.exists():
            return
        executed = notebooks.scrub_notebook(nbformat.read(partial, as_version=4), values)
    outcome.cells = _timings(executed)
    write_notebook(plan.run_dir / f"{book.name}.ipynb", executed)
    if outcome.status == "passed":
        reference = source
        platform = plan.platform.platform if plan.platform else platforms.DEFAULT
        found = compare.compare(book.name, reference, executed, plan.rules, platform)
        outcome.differences = [str(d) for d in found]
        for difference in found:
            log(f"output differs from the reference: {difference}")
        if found:
            outcome.status = "differs"


def _timings(nb: NotebookNode) -> list[dict[str, Any]]:
    cells = notebooks.without_injected(nb).cells
    code = [(i, c) for i, c in enumerate(cells) if c.cell_type == "code"]
    return [
        {"cell": i, "step": step, "source": notebooks.first_line(c),
         "seconds": round(c.metadata.get("papermill", {}).get("duration") or 0.0, 2)}
        for step, (i, c) in enumerate(code, 1)
    ]


def _write_record(plan: Plan, outcomes: list[Outcome], began: datetime, values: Mapping[str, str],
                  log: Progress) -> Path | None:
    """The run's record in the results folder (when the plan names one), for the site and the drift."""
    if plan.results is None or plan.platform is None:
        return None
    record = records.build(outcomes, plan.platform, began, datetime.now(UTC), ending(outcomes),
                           plan.restored_from)
    path = records.write(plan.results, record, values)
    log(f"run record: {path}")
    return path


def _write_summary(plan: Plan, outcomes: list[Outcome], started: str, values: Mapping[str, str],
                   record: Path | None = None) -> None:
    end = ending(outcomes)
    summary = {
        "started": started, "inventory": plan.roles, "record": str(record.resolve()) if record else None,
        "platform": plan.platform.as_dict() if plan.platform else None,
        "status": "passed" if end == errors.PASSED else "failed",
        "end": {"kind": end, "exit": errors.EXIT_STATUS[end]},
        "runbooks": [asdict(o) for o in outcomes],
        "restored_from": plan.restored_from,
    }
    text = secrets.scrub(json.dumps(summary, indent=1), values)
    write_atomic(plan.run_dir / "summary.json", text)


def _update_references(
    plan: Plan, outcomes: list[Outcome], measured: facts.Facts, values: Mapping[str, str], log: Progress
) -> None:
    """Write outputs of this (passing) run into the runbooks: all or nothing.

    On the reference platform they become the outputs the site shows. On another platform only
    the checked cells whose output differs from the reference keep this platform's output,
    beside the reference (the site shows it under the step, the comparison uses it there).
    """
    with _writing(plan.runbooks):
        _stage_and_write(plan, outcomes, measured, values, log)


def _stage_and_write(
    plan: Plan, outcomes: list[Outcome], measured: facts.Facts, values: Mapping[str, str], log: Progress
) -> None:
    staged: list[tuple[Path, NotebookNode]] = []
    for book, outcome in zip(plan.runbooks, outcomes, strict=True):
        executed = notebooks.scrub_notebook(
            nbformat.read(plan.run_dir / f"{book.name}.ipynb", as_version=4), values)
        source = runbooks.read(book.path)
        if measured.platform == plan.reference_platform:
            updated = notebooks.with_outputs(source, executed)
            updated = notebooks.rewrite_outputs(updated, lambda text: compare.sanitize(text, plan.publish))
            updated.metadata["stackbook"]["reference"] = {"platform": measured.platform,
                                                          "date": datetime.now(UTC).date().isoformat()}
        else:
            updated = compare.with_platform_outputs(source, executed, measured.platform, plan.rules, plan.publish)
        outcome = replace(outcome, status="passed")  # the new reference is what this run printed
        staged.append((book.path, with_verification(updated, outcome, measured)))
    for path, nb in staged:
        write_notebook(path, nb)
        log(f"reference outputs updated: {path}")


def _reporter(at: Callable[[Position], None], where: Position) -> Callable[[int, int], None]:
    def on_cell(cell: int, cells: int) -> None:
        at(moved(where, cell, cells))
    return on_cell


def _engine() -> str:
    """papermill's nbclient engine, telling ``stackbook_on_cell`` when each code cell starts."""
    from papermill.engines import NBClientEngine, papermill_engines

    class Engine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            on_cell = kwargs.pop("stackbook_on_cell", None)
            if on_cell is not None:
                started = nb_man.cell_start
                total = sum(c.cell_type == "code" for c in nb_man.nb.cells)
                count = 0

                def cell_start(cell: Any, cell_index: Any = None, **more: Any) -> Any:
                    nonlocal count
                    if cell.cell_type == "code":
                        count += 1
                        on_cell(count, total)
                    return started(cell, cell_index, **more)

                nb_man.cell_start = cell_start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register("stackbook", Engine)
    return "stackbook"


class _Lines:
    """A file-like sink for papermill's live cell output: each line to the log, as progress."""

    def __init__(self, name: str, log: Progress) -> None:
        self.name, self.log, self.pending = name, log, ""

    def write(self, text: str) -> int:
        """Log every complete line."""
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self.log(f"  {self.name} | {line}")
        return len(text)

    def flush(self) -> None:
        """Lines are logged as they complete; nothing to flush."""


class _Log:
    """Progress lines to the user and to run.log, secrets scrubbed."""

    def __init__(self, path: Path, values: Mapping[str, str], echo: Progress) -> None:
        self.path, self.values, self.echo = path, values, echo

    def __call__(self, message: str) -> None:
        clean = secrets.scrub(message, self.values)
        self.echo(clean)
        with self.path.open("a") as handle:
            handle.write(f"{datetime.now(UTC).isoformat(timespec='seconds')} {clean}\n")


def new_run_dir(root: Path) -> Path:
    """A fresh run folder under ``root``, named by UTC time."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return root / f"{stamp}-{os.getpid()}"
