"""The stackbook command line: a thin layer over the library."""

from __future__ import annotations

import os
import signal
import sys
from datetime import date
from pathlib import Path

import click

from stackbook import (
    __version__,
    compare,
    execute,
    inventory,
    node,
    pins,
    platforms,
    process,
    progress,
    records,
    resume,
    runbooks,
    snapshots,
    tempest,
    timeouts,
)
from stackbook.errors import EXIT_STATUS, FAILED_CHECK, INTERRUPTED, StackbookError

RUNBOOK_DIR = Path("runbooks")
# The process a command's life is tied to (nox, in the project's sessions): `node up` leases
# its node to it, and every command started by it ends with it.
LEASE_ENV = "STACKBOOK_LEASE"


def _progress(message: str) -> None:
    click.echo(message, err=True)


class _Group(click.Group):
    """Shows stackbook errors as one clear message, not a traceback, and exits with the status
    of its kind: 2 bad input, 3 infrastructure, 130 interrupted (1 is a failed check)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except StackbookError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(EXIT_STATUS[exc.kind])
        except KeyboardInterrupt:
            click.secho("interrupted: the step on the target was stopped; the run folder keeps what ran",
                        fg="red", err=True)
            sys.exit(EXIT_STATUS[INTERRUPTED])


@click.group(cls=_Group)
@click.version_option(__version__)
def main() -> None:
    """stackbook: OpenStack installation guides that run.

    Runbooks are Jupyter notebooks in runbooks/. `stackbook run` executes them with
    papermill against an inventory of hosts (by default a disposable test node made on
    this machine) and checks their outputs against the stored reference.
    """
    holder = os.environ.get(LEASE_ENV, "")
    if holder.isdigit():
        process.end_with(int(holder))  # a nightly killed with SIGKILL: its run stops, and says so


@main.command()
@click.argument("names", nargs=-1)
@click.option("--all", "run_all", is_flag=True, help="Run every runbook in runbooks/.")
@click.option("--inventory", "-i", "inventory_spec", metavar="FILE|ROLE=URL,...",
              help="Inventory file ([targets] role = URL) or inline pairs. Default: controller=node://controller.")
@click.option("--target", "-t", "targets", multiple=True, metavar="ROLE=URL",
              help="Map a role to a target, e.g. controller=ssh://root@10.0.0.11 (repeatable).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Set a runbook parameter (always a string). Secrets given here are stored, never printed.")
@click.option("--with-requires", is_flag=True, help="Also run the runbooks the named ones require.")
@click.option("--update-reference", is_flag=True,
              help="After a run that executes cleanly, store its (sanitized) outputs as the reference. "
                   "On the reference platform (debian-13) they replace the stored outputs; on another, "
                   "only checked cells whose output differs keep that platform's output beside them.")
@click.option("--record", is_flag=True,
              help="Also write each runbook's result (passed, failed, differs) and date into its metadata "
                   "(the older way; the site reads the run records in the results folder).")
@click.option("--cell-timeout", type=click.FloatRange(min=0, min_open=True), default=timeouts.DEFAULT,
              show_default=True, metavar="SECONDS",
              help="How long a cell may run before it is stopped and the runbook fails, unless the "
                   "runbook (metadata stackbook.timeout) or the cell (stackbook-timeout) sets its own.")
@click.option("--runs", "runs_root", type=click.Path(path_type=Path), default=Path("runs"), show_default=True,
              help="Where run folders (executed notebooks, summary.json, run.log) go.")
@click.option("--runbooks", "folder", type=click.Path(path_type=Path), default=RUNBOOK_DIR, show_default=True,
              help="Folder of runbooks.")
@click.option("--results", "results_root", type=click.Path(file_okay=False, path_type=Path),
              default=records.DEFAULT_FOLDER, show_default=True, envvar=records.ENV, show_envvar=True,
              help="Where the run's record goes (PLATFORM/UTC-TIME.json: facts, results, Tempest), "
                   "for the site and its drift between runs.")
@click.option("--keep-going", is_flag=True,
              help="After a runbook fails, run those that do not need it; those that need it are reported as "
                   "skipped, naming the failed one (the nightly uses this).")
@click.option("--tempest", "with_tempest", is_flag=True,
              help="After the runbooks pass, run Tempest (OpenStack's API tests) against the cloud they built: "
                   "the tests in runbooks/tempest.txt. Failures make the run a failed check.")
@click.option("--snapshots", "use_snapshots", is_flag=True,
              help="Make the test node fresh from the newest snapshot that fits the run (same platform, "
                   "same runbooks before, same package index), run only the runbooks after it, and snapshot "
                   "the node after each runbook that passes. The record names the snapshot restored.")
@click.option("--snapshot-cap", "snapshot_cap", default="20G", show_default=True, metavar="SIZE",
              help="With --snapshots: the snapshots' total size; the oldest go first beyond it.")
@click.option("--platform", "platform", default=platforms.DEFAULT, show_default=True, metavar="NAME",
              help="With --snapshots: the Debian release of the fresh node.")
def run(names: tuple[str, ...], run_all: bool, inventory_spec: str | None, targets: tuple[str, ...],
        params: tuple[str, ...], with_requires: bool, update_reference: bool, record: bool, cell_timeout: float,
        runs_root: Path, folder: Path, results_root: Path, keep_going: bool, with_tempest: bool,
        use_snapshots: bool, snapshot_cap: str, platform: str) -> None:
    """Execute runbooks against the inventory and check their outputs."""
    signal.signal(signal.SIGTERM, _interrupted)  # stop like Ctrl-C: the step on the target too
    found = runbooks.discover(folder)
    if not names and not run_all:
        raise click.UsageError(f"name runbooks to run, or --all (runbooks: {', '.join(found)})")
    known = {name: runbooks.load(path) for name, path in found.items()}
    roles = inventory.load(inventory_spec, targets)
    chosen = list(names)
    if run_all and not names:
        chosen, missing = runbooks.for_inventory(known, inventory.effective(roles))
        for name, lacking in missing.items():
            _progress(f"{name}: left out of --all: it needs the role{'s' if len(lacking) > 1 else ''} "
                      f"{', '.join(lacking)} (add --target ROLE=URL)")
    parameters = _params(params)
    # A controller under another host name compares, and stores, as the reference's "controller".
    host = compare.host_rules(parameters)
    plan = execute.Plan(
        runbooks=runbooks.order(chosen, known, with_requires or run_all),
        roles=roles,
        parameters=parameters,
        run_dir=execute.new_run_dir(runs_root),
        rules=[*host, *compare.load_rules(folder / "sanitize.cfg")],
        update_reference=update_reference,
        record=record,
        publish=[*host, *compare.load_rules(folder / "publish.cfg")],
        cell_timeout=cell_timeout,
        results=results_root,
        keep_going=keep_going,
    )
    selection = tempest.load_selection(folder) if with_tempest else None  # a bad file: before anything runs
    if use_snapshots:
        if platform not in platforms.PLATFORMS:
            raise click.BadParameter(str(platforms.UnknownPlatform(platform)), param_hint="--platform")
        try:
            cap = snapshots.parse_size(snapshot_cap)
        except StackbookError as exc:
            raise click.BadParameter(str(exc), param_hint="--snapshot-cap") from None
        execute.check_plan(plan)  # a bad runbook fails before a node is made
        plan = resume.prepare(plan, platform, cap, _progress)
    # On a terminal the last line shows where the run is, rewritten in place; in logs, a line per step.
    display = progress.Display(sys.stderr, live=sys.stderr.isatty())
    stop = display.ticking()
    try:
        outcomes = execute.execute(plan, display.line, display.at)
    finally:
        stop.set()
        display.done()
    click.echo(f"run folder: {plan.run_dir}")
    if plan.restored_from:
        click.echo(f"  restored from snapshot {plan.restored_from['snapshot'][:12]}: "
                   f"{', '.join(plan.restored_from['runbooks'])} not run again "
                   f"({plan.restored_from['seconds']:.1f} s)")
    for outcome in outcomes:
        why = f" (needs {outcome.skipped_for}, which failed)" if outcome.skipped_for else ""
        click.echo(f"  {outcome.runbook:<16} {outcome.status:<8} {outcome.seconds:7.1f} s{why}")
    end = execute.ending(outcomes)
    if selection is not None and end == "passed":
        results = tempest.verify(plan, selection, _progress)
        click.echo(tempest.describe(results))
        if record:
            tempest.record(folder, plan.run_dir.resolve(), results, date.today().isoformat())
        if not results.ok:
            end = FAILED_CHECK
    if end != "passed":
        click.echo(f"run ended: {end}", err=True)
    sys.exit(EXIT_STATUS[end])


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r}: write NAME=VALUE", param_hint="-p")
        found[name] = value
    return found


@main.command("tempest")
@click.option("--inventory", "-i", "inventory_spec", metavar="FILE|ROLE=URL,...",
              help="Inventory file or inline pairs; Tempest tests the controller's cloud. "
                   "Default: controller=node://controller.")
@click.option("--target", "-t", "targets", multiple=True, metavar="ROLE=URL", help="Map a role to a target.")
@click.option("--runs", "runs_root", type=click.Path(path_type=Path), default=Path("runs"), show_default=True,
              help="Where the run folder (tempest.conf, log and results, secrets scrubbed) goes.")
@click.option("--runbooks", "folder", type=click.Path(path_type=Path), default=RUNBOOK_DIR, show_default=True,
              help="Folder of runbooks (its tempest.txt selects the tests).")
def tempest_command(inventory_spec: str | None, targets: tuple[str, ...], runs_root: Path, folder: Path) -> None:
    """Run Tempest, OpenStack's own API tests, against a cloud the runbooks built."""
    roles = inventory.load(inventory_spec, targets)
    results = tempest.standalone(roles, tempest.load_selection(folder), execute.new_run_dir(runs_root).resolve(),
                                 _progress)
    click.echo(tempest.describe(results))
    sys.exit(0 if results.ok else EXIT_STATUS[FAILED_CHECK])


@main.group("node")
def node_group() -> None:
    """Disposable Debian test nodes on this machine (needs root)."""


@node_group.command("up")
@click.argument("name", default="controller")
@click.option("--platform", "platform", default=platforms.DEFAULT, show_default=True, metavar="NAME",
              help=f"The Debian release to make the node from: {', '.join(platforms.PLATFORMS)}.")
@click.option("--from-snapshot", "snapshot_key", metavar="KEY",
              help="Start the node from this snapshot (a unique prefix of its key: `stackbook node snapshots`), "
                   "its services running; an existing node of that name is removed.")
@click.option("--lease", "holder", type=click.IntRange(min=1), metavar="PID", envvar=LEASE_ENV,
              help="Take the node down when process PID ends, however it ends (a nightly killed with "
                   "SIGKILL leaves no node behind).")
@click.option("--pin", "pin_pairs", multiple=True, metavar="PACKAGE=VERSION", envvar=pins.ENV,
              help=f"Hold PACKAGE at an older VERSION the node's apt sources have (${pins.ENV}: "
                   "space-separated): a run after one without the pin shows the change as drift.")
def node_up(name: str, platform: str, snapshot_key: str | None, holder: int | None,
            pin_pairs: tuple[str, ...]) -> None:
    """Create and start a test node (builds the platform's root filesystem on first use)."""
    if platform not in platforms.PLATFORMS:
        raise click.BadParameter(str(platforms.UnknownPlatform(platform)), param_hint="--platform")
    if holder is not None and not Path(f"/proc/{holder}").exists():
        raise click.BadParameter(f"no process {holder} runs here", param_hint="--lease")
    held = pins.parse(pin_pairs)
    if snapshot_key:
        found = snapshots.get(snapshot_key)
        made = resume.restore(name, found.platform, found, _progress)
    else:
        made = node.up(name, platform, _progress)
    try:
        pins.apply(node.target_for(made), held)
    except BaseException:
        node.down(name, _progress)  # a node that does not hold the versions asked for is not the one asked for
        raise
    for package, version in sorted(held.items()):
        _progress(f"node {made.name} holds {package} at {version}")
    if holder is not None:
        node.lease(made, holder)
        _progress(f"node {made.name} goes down when process {holder} ends")
    click.echo(f"{made.name} {made.address} {made.platform}")


@node_group.command("expire", hidden=True)
@click.argument("name")
@click.option("--holder", type=int, required=True)
@click.option("--init", type=int, required=True)
def node_expire(name: str, holder: int, init: int) -> None:
    """The watcher behind `node up --lease` (started by it, in a session of its own)."""
    node.expire(name, holder, init, _progress)


@node_group.command("down")
@click.argument("names", nargs=-1)
@click.option("--all", "all_nodes", is_flag=True, help="Remove every node.")
def node_down(names: tuple[str, ...], all_nodes: bool) -> None:
    """Stop and remove test nodes; leaves no process, mount, link or namespace."""
    chosen = [n.name for n in node.all_nodes()] if all_nodes else list(names or ("controller",))
    for name in chosen:
        if not node.down(name, _progress):
            click.echo(f"no node named {name}", err=True)
    if not chosen:
        node.cleanup_stale(_progress)


@node_group.command("link")
@click.argument("first")
@click.argument("second")
def node_link(first: str, second: str) -> None:
    """Join two running nodes: each reaches the other by name (two clouds on this machine)."""
    addresses = node.link(first, second, _progress)
    for name, address in addresses.items():
        click.echo(f"{name}\t{address}")


@node_group.command("list")
def node_list() -> None:
    """List test nodes with their address, platform and state."""
    for item in node.all_nodes():
        click.echo(f"{item.name:<16} {item.address:<14} {item.platform:<11} {'running' if item.alive() else 'dead'}")


@node_group.command("snapshots")
def node_snapshots() -> None:
    """List the snapshots, oldest first: key, date, size, the runbooks they are the state after."""
    for item in sorted(snapshots.load_all().values(), key=lambda s: s.created):
        click.echo(f"{item.key[:12]}  {item.created[:19]}  {item.bytes / 1024**2:8.0f} MiB  {item.platform:<11} "
                   f"{' > '.join(item.runbooks)}")


@node_group.command("shell")
@click.argument("name", default="controller")
def node_shell(name: str) -> None:
    """Open an interactive root shell on a test node over ssh."""
    argv = node.shell_argv(name)
    os.execvp(argv[0], argv)


from stackbook.cli_i18n import i18n as _i18n  # noqa: E402 - registered after main is defined

main.add_command(_i18n)
