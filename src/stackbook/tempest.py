"""Tempest, OpenStack's own API tests, against the cloud the runbooks built.

Pure parts: the test selection (``runbooks/tempest.txt``), ``tempest.conf`` from what the
cloud has, and the results from Tempest's subunit stream (as ``subunit2csv`` prints it).
The edges: reading the cloud from the controller, running Tempest on this machine, keeping
what it wrote (secrets scrubbed) in the run folder.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from stackbook import errors, execute, files, inventory, process, records, secrets
from stackbook.errors import CommandFailed, StackbookError
from stackbook.targets import SshTarget, Target, hosts_text, parse_target, with_hosts_argv

SELECTION_FILE = "tempest.txt"
DEFAULT_TIMEOUT = 1800.0
# Catalog service type -> Tempest's [service_available] option.
SERVICES = {"image": "glance", "orchestration": "heat", "key-manager": "barbican"}
# Services Tempest knows that the guides never install.
NOT_INSTALLED = ("nova", "neutron", "cinder", "swift", "horizon")


class TempestError(StackbookError):
    """A selection file to fix, or a Tempest run that could not produce results."""


class TempestNotInstalled(StackbookError):
    """Tempest is not in the environment stackbook runs in."""

    kind = errors.INFRASTRUCTURE


@dataclass(frozen=True)
class Selection:
    """Which tests run: include regexes, and exclusions each with the reason it is excluded."""

    include: tuple[str, ...]
    exclude: tuple[tuple[str, str], ...]


def parse_selection(text: str, source: str) -> Selection:
    """Pure: ``+ REGEX`` includes, ``- REGEX  # reason`` excludes (the reason is required)."""
    include: list[str] = []
    exclude: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        sign, _, rest = line.partition(" ")
        pattern, _, reason = rest.partition(" # ")
        pattern, reason = pattern.strip(), reason.strip()
        where = f"{source}, line {number}"
        if sign not in ("+", "-") or not pattern:
            raise TempestError(f"{where}: expected '+ REGEX' or '- REGEX  # reason', found {raw!r}")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise TempestError(f"{where}: {pattern!r} is not a regular expression ({exc})") from None
        if sign == "+":
            include.append(pattern)
        elif not reason:
            raise TempestError(f"{where}: the exclusion {pattern!r} needs its reason: '- REGEX  # why'")
        else:
            exclude.append((pattern, reason))
    if not include:
        raise TempestError(f"{source}: no test selected; add lines like '+ tempest\\.api\\.identity'")
    return Selection(tuple(include), tuple(exclude))


@dataclass(frozen=True)
class Cloud:
    """What Tempest needs to know about the cloud, read from its controller."""

    auth_url: str  # Keystone's v3 URL, as the admin's openrc has it
    region: str
    admin_password: str
    services: frozenset[str]  # catalog service types
    ca_certificate: str = ""  # PEM of the CA the endpoints' certificates chain to, if any
    user: str = ""  # a user without admin rights and its project (the Keystone guide's demo user)
    user_password: str = ""
    project: str = ""

    @property
    def host(self) -> str:
        return urlsplit(self.auth_url).hostname or ""


def config(cloud: Cloud, workspace: Path) -> str:
    """Pure: tempest.conf for ``cloud``; the services the guides did not install are unavailable."""
    ca = str(workspace / "ca.crt") if cloud.ca_certificate else ""
    admin = {"admin_username": "admin", "admin_password": cloud.admin_password,
             "admin_project_name": "admin", "admin_domain_name": "Default"}
    available = {option: str(kind in cloud.services).lower() for kind, option in SERVICES.items()}
    sections: dict[str, dict[str, str]] = {
        "DEFAULT": {"log_dir": str(workspace / "logs"), "log_file": "tempest.log"},
        "auth": {**admin, "use_dynamic_credentials": "true", "tempest_roles": "member"},
        "identity": {"uri_v3": cloud.auth_url, "auth_version": "v3", "region": cloud.region,
                     "v3_endpoint_type": "public", "ca_certificates_file": ca,
                     "disable_ssl_certificate_validation": "false"},
        "identity-feature-enabled": {"api_v2": "false", "trust": "true", "access_rules": "true"},
        "service_available": {**{name: "false" for name in NOT_INSTALLED}, **available},
        "image": {"region": cloud.region},
        "key_manager": {"region": cloud.region, "endpoint_type": "public"},
        "heat_plugin": {
            "auth_url": cloud.auth_url, "auth_version": "3", "region": cloud.region,
            "admin_username": "admin", "admin_password": cloud.admin_password,
            "admin_project_name": "admin", "user_domain_name": "Default",
            "username": cloud.user, "password": cloud.user_password, "project_name": cloud.project,
            "project_domain_name": "Default", "ca_file": ca,
            # The functional and scenario tests need servers and networks: API tests only.
            "skip_functional_tests": "true", "skip_scenario_tests": "true",
        },
        "validation": {"run_validation": "false"},
    }
    lines: list[str] = []
    for name, options in sections.items():
        lines += [f"[{name}]", *(f"{key} = {value}" for key, value in options.items() if value != ""), ""]
    return "\n".join(lines)


@dataclass
class Results:
    """Counts and names from one Tempest run."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)
    flaky: list[str] = field(default_factory=list)  # failed, then passed when run again alone
    seconds: float = 0.0
    excluded: list[dict[str, str]] = field(default_factory=list)
    succeeded: list[str] = field(default_factory=list, repr=False)  # names of the passed tests

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.passed > 0

    def as_dict(self) -> dict[str, object]:
        found = asdict(self)
        del found["succeeded"]  # hundreds of names: the counts say enough
        return {**found, "ok": self.ok}


_STATUS = {"success": "passed", "xfail": "passed", "skip": "skipped", "fail": "failed", "failure": "failed",
           "uxsuccess": "failed"}


def parse_results(csv_text: str) -> Results:
    """Pure: counts and failed test names from ``subunit2csv`` output (one row per test)."""
    results = Results()
    for row in csv.DictReader(io.StringIO(csv_text)):
        test, status = row.get("test", ""), _STATUS.get(row.get("status", ""), "")
        if not test or not status or (test.startswith("setUpClass") and status == "passed"):
            continue
        setattr(results, status, getattr(results, status) + 1)
        name = re.sub(r"\[.*\]$", "", test)
        if status == "failed":
            results.failures.append(name)
        elif status == "passed":
            results.succeeded.append(name)
    results.failures.sort()
    return results


GABBI_SUITE = r"^heat_tempest_plugin\.tests\.api\.test_heat_api\."


def retry_selection(failures: list[str]) -> Selection:
    """Pure: the tests to run once more after ``failures``: each by its exact id, except Heat's
    gabbi tests, which only run as their whole suite (each reads the one before it)."""
    return Selection(tuple(sorted({_retry_pattern(name) for name in failures})), ())


def _retry_pattern(name: str) -> str:
    if re.match(GABBI_SUITE, name):
        return GABBI_SUITE
    fixture = re.fullmatch(r"(?:setUpClass|tearDownClass) \((.+)\)", name)
    if fixture:  # a class's fixture failed: its tests run again
        return f"^{re.escape(fixture.group(1))}\\."
    return f"^{re.escape(name)}(\\[|$)"


def after_retry(first: Results, retry: Results) -> Results:
    """Pure: the results of a run whose failed tests ran once more: a test that passed the second
    time counts as passed and is named flaky; one that failed again stays failed."""
    flaky = sorted(name for name in set(first.failures) if _passed_again(name, retry))
    failed = [name for name in first.failures if name not in flaky]
    return Results(first.passed + len(flaky), len(failed), first.skipped, failed, flaky, first.seconds + retry.seconds)


def _passed_again(name: str, retry: Results) -> bool:
    fixture = re.fullmatch(r"(?:setUpClass|tearDownClass) \((.+)\)", name)
    if fixture:  # its class's tests ran, and none failed
        prefix = fixture.group(1) + "."
        return (any(t.startswith(prefix) for t in retry.succeeded)
                and not any(t.startswith(prefix) or fixture.group(1) in t for t in retry.failures))
    return name in retry.succeeded


# -- the edges ------------------------------------------------------------------------------

READ_CLOUD = r"""set -eu
( . /root/demo-openrc; printf '%s\n' "$OS_USERNAME" "$OS_PASSWORD" "$OS_PROJECT_NAME" )
. /root/admin-openrc
printf '%s\n' "$OS_AUTH_URL" "${OS_REGION_NAME:-}" "$OS_PASSWORD"
openstack service list -f value -c Type | tr '\n' ' '; echo
if [ -n "${OS_CACERT:-}" ]; then cat "$OS_CACERT"; fi
"""


def read_cloud(target: Target, region: str = "RegionOne") -> Cloud:
    """The cloud as the controller's admin-openrc, demo-openrc and catalog describe it."""
    result = target.run("bash", "-c", READ_CLOUD)
    if not result.ok:
        raise CommandFailed(result, where=f"{target.url} (reading /root/admin-openrc and demo-openrc for Tempest)")
    lines = result.stdout.split("\n", 7)
    user, user_password, project, auth_url, region_name, password, services = [*lines, *[""] * 7][:7]
    return Cloud(auth_url.strip(), region_name.strip() or region, password.strip(),
                 frozenset(services.split()), lines[7] if len(lines) > 7 else "",
                 user.strip(), user_password.strip(), project.strip())


def tool(name: str) -> str:
    """An executable of the environment stackbook runs in (where the tempest group installs it)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise TempestNotInstalled(f"{name} is not installed in this environment ({sys.prefix}): install the "
                                  "project's tempest dependency group (the nox sessions that run Tempest do), "
                                  "or pip install tempest heat-tempest-plugin barbican-tempest-plugin")
    return found


def hosts_file(cloud: Cloud, target: Target) -> str | None:
    """/etc/hosts text that names the controller, when this machine cannot resolve it; else None."""
    try:
        socket.getaddrinfo(cloud.host, None)
        return None
    except OSError:
        pass
    if not isinstance(target, SshTarget):
        raise TempestError(f"{cloud.host}: this machine cannot resolve the controller's name, which the "
                           "catalog uses; add it to DNS or /etc/hosts")
    return hosts_text(Path("/etc/hosts").read_text(), [(cloud.host, target.host)])



# Heat's API tests are a gabbi suite: each test reads the one before it ($LAST_URL), so they
# must run in order in one worker. stestr groups tests by this regex's match: the suite as one
# group, every other test by its class, as Tempest's own configuration does.
GROUP_REGEX = r"heat_tempest_plugin\.tests\.api\.test_heat_api\.|([^\.]*\.)*"


def _group_gabbi_tests(stestr_conf: Path) -> None:
    lines = [line for line in stestr_conf.read_text().splitlines() if not line.startswith("group_regex")]
    stestr_conf.write_text("\n".join([*lines, f"group_regex={GROUP_REGEX}", ""]))


def run(target: Target, selection: Selection, folder: Path, values: Mapping[str, str],
        progress: Callable[[str], None] = lambda _: None, timeout: float = DEFAULT_TIMEOUT,
        concurrency: int = 2) -> Results:
    """Run the selected tests against the cloud on ``target``; keep config, log and results in
    ``folder`` with every secret scrubbed; return the results."""
    tempest = tool("tempest")
    cloud = read_cloud(target)
    scrubbing = {**values, "ADMIN_PASS": cloud.admin_password, "DEMO_PASS": cloud.user_password}
    with tempfile.TemporaryDirectory(prefix="stackbook-tempest-") as tmp:
        workspace = Path(tmp)
        index = workspace / "workspace.yaml"
        init = process.run([tempest, "init", "--workspace-path", str(index), "--name", "stackbook", str(workspace)])
        if not init.ok:
            raise CommandFailed(init, where="tempest init")
        _group_gabbi_tests(workspace / ".stestr.conf")
        (workspace / "etc" / "tempest.conf").write_text(config(cloud, workspace))
        if cloud.ca_certificate:
            (workspace / "ca.crt").write_text(cloud.ca_certificate)
        outputs: list[str] = []

        def one_pass(chosen: Selection, workers: int) -> Results:
            (workspace / "include.txt").write_text("\n".join(chosen.include) + "\n")
            (workspace / "exclude.txt").write_text("\n".join(p for p, _ in chosen.exclude) + "\n")
            argv = [tempest, "run", "--workspace", "stackbook", "--workspace-path", str(index),
                    "--config-file", str(workspace / "etc" / "tempest.conf"),
                    "--include-list", str(workspace / "include.txt"),
                    "--exclude-list", str(workspace / "exclude.txt"), "--concurrency", str(workers)]
            if cloud.ca_certificate:
                # Heat's API tests (gabbi, through httpx) ignore [heat_plugin] ca_file: httpx trusts
                # the CA that SSL_CERT_FILE names instead of its own bundle.
                argv = ["env", f"SSL_CERT_FILE={workspace / 'ca.crt'}", *argv]
            if hosts is not None:
                argv = with_hosts_argv(str(workspace / "hosts"), argv)
            began = time.monotonic()
            result = process.run(argv, timeout=timeout, on_line=lambda line: progress(
                "tempest | " + secrets.scrub(line, scrubbing)))
            outputs.append(result.stdout)
            streams = sorted((workspace / ".stestr").glob("[0-9]*"), key=lambda p: int(p.name))
            if not streams:
                raise TempestError(f"tempest produced no results (exit {result.rc}): "
                                   + secrets.scrub(" / ".join(result.tail(5)), scrubbing))
            # stestr keeps each run as a subunit v1 stream: to v2, then one CSV row per test.
            table = process.run(["sh", "-c", '"$1" < "$3" | "$2"', "csv", tool("subunit-1to2"),
                                 tool("subunit2csv"), str(streams[-1])])
            found = parse_results(table.stdout)
            found.seconds = round(time.monotonic() - began, 1)
            return found

        hosts = hosts_file(cloud, target)
        if hosts is not None:
            (workspace / "hosts").write_text(hosts)
        progress(f"tempest: {len(selection.include)} selections, {len(selection.exclude)} exclusions, "
                 f"against {cloud.auth_url}")
        results = one_pass(selection, concurrency)
        if results.failures:
            # A test that fails once may have met another one running beside it: run the failed
            # ones again, alone; those that pass then are named flaky in the results.
            progress(f"tempest: {results.failed} failed; running them once more, one at a time")
            results = after_retry(results, one_pass(retry_selection(results.failures), 1))
        results.excluded = [{"tests": p, "reason": r} for p, r in selection.exclude]
        streams = sorted((workspace / ".stestr").glob("[0-9]*"), key=lambda p: int(p.name))
        _keep(workspace, streams, folder, scrubbing, results, "".join(outputs))
    return results


def _keep(workspace: Path, streams: list[Path], folder: Path, values: Mapping[str, str], results: Results,
          output: str) -> None:
    """Config, log, console output and results into ``folder``, scrubbed; the subunit streams
    (the run, then the retry if there was one) only if no secret is in them (they are binary:
    they cannot be scrubbed without breaking them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for source, name in ((workspace / "etc" / "tempest.conf", "tempest.conf"),
                         (workspace / "logs" / "tempest.log", "tempest.log")):
        if source.exists():
            (folder / name).write_text(secrets.scrub(source.read_text(errors="replace"), values))
    (folder / "console.txt").write_text(secrets.scrub(output, values))
    for stream, name in zip(streams, ("results.subunit", "retry.subunit"), strict=False):
        raw = stream.read_bytes()
        leaked = any(form.encode() in raw for value in values.values() if value for form in secrets.forms(value))
        if not leaked:
            (folder / name).write_bytes(raw)
    (folder / "results.json").write_text(json.dumps(results.as_dict(), indent=1) + "\n")


def describe(results: Results) -> str:
    """One line for the run's log."""
    line = (f"tempest: {results.passed} passed, {results.failed} failed, {results.skipped} skipped "
            f"in {results.seconds:.0f} s")
    return (line + "".join(f"\n  failed: {name}" for name in results.failures)
            + "".join(f"\n  flaky (failed, then passed alone): {name}" for name in results.flaky))



def with_results(summary: dict[str, object], results: Results) -> dict[str, object]:
    """Pure: a run's summary with Tempest's results; failed tests make the run a failed check."""
    updated = {**summary, "tempest": results.as_dict()}
    if not results.ok:
        updated["status"] = "failed"
        updated["end"] = {"kind": errors.FAILED_CHECK, "exit": errors.EXIT_STATUS[errors.FAILED_CHECK]}
    return updated


def with_record(records: dict[str, object], platform: Mapping[str, object], results: Results,
                day: str) -> dict[str, object]:
    """Pure: the per-platform record of Tempest results with this run's entry (others kept)."""
    entry = {"date": day, "debian": platform.get("debian"), "openstack": platform.get("openstack"),
             "passed": results.passed, "failed": results.failed, "skipped": results.skipped,
             "seconds": results.seconds, "failures": results.failures, "flaky": results.flaky}
    return {**records, str(platform.get("platform")): entry}


def add_to_summary(run_dir: Path, results: Results) -> None:
    """Write Tempest's results into the run's summary.json (atomically)."""
    path = run_dir / "summary.json"
    files.write_atomic(path, json.dumps(with_results(json.loads(path.read_text()), results), indent=1))


def add_to_record(run_dir: Path, results: Results, values: Mapping[str, str]) -> None:
    """Write Tempest's counts and failed names into the run's record, if it wrote one."""
    kept = json.loads((run_dir / "summary.json").read_text()).get("record")
    if kept:
        path = Path(kept)
        records.rewrite(path, records.with_tempest(records.load(path), results.as_dict()), values)


RECORD_FILE = "tempest-verified.json"


def record(folder: Path, run_dir: Path, results: Results, day: str) -> Path:
    """Keep this platform's Tempest results beside the runbooks, for the site to show."""
    platform = json.loads((run_dir / "summary.json").read_text()).get("platform") or {}
    path = folder / RECORD_FILE
    records = json.loads(path.read_text()) if path.exists() else {}
    updated = with_record(records, platform, results, day)
    files.write_atomic(path, json.dumps(updated, indent=1, sort_keys=True) + "\n")
    return path


def load_selection(folder: Path) -> Selection:
    """The test selection kept beside the runbooks (TempestError naming the file and line)."""
    path = folder / SELECTION_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TempestError(f"{path}: cannot read the Tempest test selection ({exc.strerror})") from None
    return parse_selection(text, str(path))


def _controller(roles: Mapping[str, str]) -> Target:
    role = "controller" if "controller" in roles else sorted(roles)[0]
    return parse_target(roles[role])


def verify(plan: execute.Plan, selection: Selection, progress: Callable[[str], None]) -> Results:
    """Tempest after a run's runbooks passed: results in its folder and in its summary.json."""
    run_dir = plan.run_dir.resolve()
    values = execute.secret_values(plan)
    results = run(_controller(plan.roles), selection, run_dir / "tempest", values, progress)
    add_to_summary(run_dir, results)
    add_to_record(run_dir, results, values)
    progress(describe(results))
    return results


def standalone(roles: Mapping[str, str], selection: Selection, run_dir: Path,
               progress: Callable[[str], None]) -> Results:
    """Tempest alone against the controller's cloud: results and a summary.json in ``run_dir``."""
    run_dir.mkdir(parents=True, exist_ok=False)
    values = secrets.load(secrets.store_path(inventory.dump(roles)))
    results = run(_controller(roles), selection, run_dir / "tempest", values, progress)
    summary: dict[str, object] = {"inventory": dict(roles), "status": "passed",
               "end": {"kind": errors.PASSED, "exit": 0}}
    files.write_atomic(run_dir / "summary.json", json.dumps(with_results(summary, results), indent=1))
    return results
