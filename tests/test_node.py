"""A real test node: ssh transport, unreachable hosts, teardown that leaves nothing."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from stackbook import node, polling, process
from stackbook.errors import NodeError, TargetUnreachable
from stackbook.polling import wait_until
from stackbook.targets import SshTarget, parse_target

pytestmark = pytest.mark.node


def test_node_is_reached_over_ssh_like_a_controller(fresh_node: node.Node) -> None:
    target = parse_target("node://controller")
    assert isinstance(target, SshTarget) and target.host == fresh_node.address
    result = target.run("sh", "-c", "hostname; getent hosts controller; ps -o comm= -p 1; cat")
    assert result.ok
    lines = result.stdout.split()
    assert lines[:3] == ["controller", fresh_node.address, "controller"]
    assert lines[3] == "tini"


def test_arguments_are_quoted_and_stdin_is_fed(fresh_node: node.Node) -> None:
    target = node.target_for(fresh_node)
    result = target.run("printf", "%s|", "two words", "$HOME", "; rm -rf /", input=None)
    assert result.stdout == "two words|$HOME|; rm -rf /|"
    echoed = target.run("sh", "-c", "tr a-z A-Z; exit 7", input="hello\n")
    assert (echoed.rc, echoed.stdout) == (7, "HELLO\n")


def test_node_has_no_route_out_but_reaches_the_package_cache(fresh_node: node.Node) -> None:
    target = node.target_for(fresh_node)
    routes = target.run("ip", "route").stdout
    assert "default" not in routes
    proxy = target.run("cat", "/etc/apt/apt.conf.d/01stackbook-proxy").stdout
    assert fresh_node.host_address in proxy


def test_dpkg_on_a_node_skips_fsync(fresh_node: node.Node) -> None:
    # dpkg reads every file in dpkg.cfg.d; one of them sets the option.
    found = node.target_for(fresh_node).run("sh", "-c", "cat /etc/dpkg/dpkg.cfg.d/*").stdout
    assert "\nforce-unsafe-io\n" in "\n" + found


def test_unreachable_host_is_a_clear_error_within_seconds(fresh_node: node.Node) -> None:
    # Port 1 on the node: the node exists (our own namespace) but nothing listens.
    target = SshTarget("ssh://root@controller:1", fresh_node.address, "root", 1, node.ssh_options(fresh_node))
    began = time.monotonic()
    with pytest.raises(TargetUnreachable) as caught:
        target.run("true")
    assert time.monotonic() - began < 10
    assert "cannot reach ssh://root@controller:1" in str(caught.value)
    assert "Connection refused" in str(caught.value)


def test_stopped_node_says_how_to_start_it(state: Path) -> None:
    with pytest.raises(NodeError, match="stackbook node up nothere"):
        parse_target("node://nothere")


def _identity(made: node.Node) -> tuple[int, str]:
    """The node's namespace inode and veth ifindex: names may be reused by other nodes."""
    inode = Path(f"/run/netns/{made.netns}").stat().st_ino
    return inode, Path(f"/sys/class/net/{made.veth}/ifindex").read_text().strip()


def _leftovers(made: node.Node, identity: tuple[int, str]) -> list[str]:
    found = []
    netns = Path(f"/run/netns/{made.netns}")
    if netns.exists() and netns.stat().st_ino == identity[0]:
        found.append(f"namespace {made.netns}")
    ifindex = Path(f"/sys/class/net/{made.veth}/ifindex")
    if ifindex.exists() and ifindex.read_text().strip() == identity[1]:
        found.append(f"link {made.veth}")
    if str(made.root) in Path("/proc/self/mountinfo").read_text():
        found.append("mount")
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(made.dir) in (proc / "cmdline").read_bytes().decode(errors="replace"):
                found.append(f"process {proc.name}")
        except OSError:
            continue
    if made.dir.exists():
        found.append(f"folder {made.dir}")
    return found


@pytest.fixture
def own_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if os.geteuid() != 0:
        pytest.skip("test nodes need root")
    monkeypatch.setenv("STACKBOOK_STATE", str(tmp_path / "state"))
    return tmp_path


def test_down_leaves_nothing(own_state: Path) -> None:
    made = node.up("scratch")
    node.target_for(made).run("sh", "-c", "sleep 300 >/dev/null 2>&1 &")
    identity = _identity(made)
    assert len(_leftovers(made, identity)) >= 4  # namespace, link, process, folder: visible
    assert node.down("scratch") is True
    assert _leftovers(made, identity) == []
    assert node.down("scratch") is False


def test_after_a_crash_the_next_command_cleans_up(own_state: Path) -> None:
    made = node.up("crashed")
    identity = _identity(made)
    # Simulate a crash: the node's init dies, nobody ran `down`.
    for child in Path(f"/proc/{made.pid}/task/{made.pid}/children").read_text().split():
        os.kill(int(child), signal.SIGKILL)
    wait_until(lambda: not made.alive(), timeout=10, every=0.05)
    assert not made.alive()
    node.cleanup_stale()
    assert _leftovers(made, identity) == []
    assert node.all_nodes() == []


def test_a_leased_node_goes_down_when_its_holder_is_killed(own_state: Path) -> None:
    holder = process.spawn(["sleep", "600"], log=str(own_state / "holder.log"))
    made = node.up("leased")
    identity = _identity(made)
    watcher = node.lease(made, holder)
    time.sleep(1)
    found = node.load("leased")
    assert made.alive() and found is not None and found.pid == made.pid  # the holder lives: so does the node
    os.kill(holder, signal.SIGKILL)  # no finally runs in a process killed so
    process.reap(holder)
    assert wait_until(lambda: not _leftovers(made, identity), timeout=60, every=0.2), _leftovers(made, identity)
    process.reap(watcher, timeout=10)
    assert not Path(f"/proc/{watcher}").exists()


def test_a_lease_spares_a_node_made_again_under_its_name(own_state: Path) -> None:
    holder = process.spawn(["sleep", "600"], log=str(own_state / "holder.log"))
    first = node.up("leased")
    watcher = node.lease(first, holder)
    node.down("leased")
    second = node.up("leased")
    try:
        os.kill(holder, signal.SIGKILL)
        process.reap(holder)
        process.reap(watcher, timeout=30)
        assert not Path(f"/proc/{watcher}").exists(), "the watcher ended with its holder"
        found = node.load("leased")
        assert second.alive() and found is not None and found.pid == second.pid
    finally:
        node.down("leased")


def test_a_lease_on_a_process_that_does_not_run_is_refused(own_state: Path) -> None:
    from click.testing import CliRunner

    from stackbook import cli

    result = CliRunner().invoke(cli.main, ["node", "up", "x", "--lease", "999999999"])
    assert result.exit_code == 2 and "no process 999999999 runs here" in result.output
    assert node.all_nodes() == []


def test_failing_cell_on_the_node_names_command_and_output(fresh_node: node.Node, tmp_path: Path) -> None:
    from stackbook import compare, execute, runbooks

    from .builders import ROOT, make_runbook, shell

    book = make_runbook(tmp_path / "fails.ipynb", [
        shell("echo preparing\nservice no-such-service start\necho never"),
    ], 'INVENTORY = "controller=node://controller"')
    plan = execute.Plan([runbooks.load(book)], {"controller": "node://controller"}, {}, tmp_path / "run",
                        compare.load_rules(ROOT / "runbooks" / "sanitize.cfg"))
    outcome = execute.execute(plan, print)[0]
    assert outcome.status == "failed" and outcome.error is not None
    assert outcome.error["cell"] == 2
    evalue = outcome.error["evalue"]
    assert ("on controller (node://controller), line 3 of the cell with exit code 1: "
            "service no-such-service start") in evalue
    assert "no-such-service: unrecognized service" in evalue


def test_packages_come_from_the_host_cache(fresh_node: node.Node) -> None:
    """A package an earlier node fetched is served from apt-cacher-ng, not downloaded again."""
    from stackbook import aptcache

    log = aptcache.log_path()
    target = node.target_for(fresh_node)
    # tini went into the root filesystem through the same cache, so it is cached already.
    assert target.run("apt-get", "update", "-qq").ok
    before = log.stat().st_size if log.exists() else 0
    fetched = target.run("sh", "-c", "cd /tmp && apt-get download tini")
    assert fetched.ok, fetched.stderr
    with log.open() as handle:
        handle.seek(before)
        entries = [line.split("|") for line in handle if line.rstrip().endswith(".deb")]
    assert [e[1] for e in entries if "tini" in e[-1]] == ["O"], entries


def test_node_runs_the_default_platform_and_says_so(fresh_node: node.Node) -> None:
    from click.testing import CliRunner

    from stackbook import cli, facts, platforms

    assert fresh_node.platform == platforms.DEFAULT
    measured = facts.measure(node.target_for(fresh_node))
    assert measured.platform == platforms.DEFAULT  # read from the node's own os-release
    listed = CliRunner().invoke(cli.main, ["node", "list"]).output.split()
    assert listed[:4] == ["controller", fresh_node.address, platforms.DEFAULT, "running"]


def test_an_unreachable_archive_is_a_clear_error_and_leaves_no_tarball(
    own_state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackbook import aptcache, platforms, rootfs

    # Port 9 on loopback: nothing answers, and no traffic leaves this machine.
    monkeypatch.setenv("STACKBOOK_APT_SOURCES", "deb http://127.0.0.1:9/debian bookworm main")
    monkeypatch.setenv("STACKBOOK_CACHE", str(own_state / "cache"))
    running = aptcache.listening()
    try:
        with pytest.raises(NodeError) as caught:
            rootfs.tarball(platforms.get("debian-13"))
    finally:
        if not running:  # a cache this test started lives in its temporary folder: stop it
            aptcache.stop()
    message = str(caught.value)
    assert "cannot build the Debian 13 root filesystem" in message
    assert "deb http://127.0.0.1:9/debian trixie main" in message and "STACKBOOK_APT_SOURCES" in message
    assert not list((own_state / "cache").glob("rootfs-*"))


def test_unknown_platform_lists_the_known_ones(own_state: Path) -> None:
    from click.testing import CliRunner

    from stackbook import cli

    result = CliRunner().invoke(cli.main, ["node", "up", "x", "--platform", "debian-11"])
    assert result.exit_code == 2
    assert "unknown platform 'debian-11': use one of debian-13, debian-sid, debian-12" in result.output


def _made_by_stackbook() -> set[str]:
    """The network namespaces and host-side links of test nodes on this machine."""
    links = {p.name for p in Path("/sys/class/net").iterdir() if p.name.startswith("sbveth")}
    return node._netns_list() | links


def test_a_node_that_fails_half_way_is_undone(own_state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stackbook import aptcache, platforms, rootfs

    # A damaged cached root filesystem: the namespace and link exist before unpacking fails.
    monkeypatch.setenv("STACKBOOK_CACHE", str(own_state / "cache"))
    tar, _, _ = rootfs.cached_path(platforms.get(platforms.DEFAULT))
    tar.parent.mkdir(parents=True)
    tar.write_bytes(b"not a tar archive" * 100)
    before = _made_by_stackbook()
    running = aptcache.listening()
    try:
        with pytest.raises(NodeError) as caught:
            node.up("halfway")
    finally:
        if not running:
            aptcache.stop()
    assert f"cannot unpack the root filesystem {tar}" in str(caught.value)
    assert f"rm {tar}" in str(caught.value)
    assert _made_by_stackbook() <= before, "a namespace or link of the failed node is left"
    assert node.load("halfway") is None and not (own_state / "state" / "nodes" / "halfway").exists()



# A package whose configuration lasts while /root/slow exists: an installation to interrupt.
SLOW_PACKAGE = r"""set -eu
d=$(mktemp -d)
mkdir -p "$d/DEBIAN"
printf '%s\n' 'Package: stackbook-slow' 'Version: 1.0' 'Architecture: all' \
    'Maintainer: stackbook tests <root@localhost>' 'Description: configures while /root/slow exists' \
    > "$d/DEBIAN/control"
printf '#!/bin/sh\nwhile [ -e /root/slow ]; do sleep 1; done\n' > "$d/DEBIAN/postinst"
chmod 755 "$d/DEBIAN/postinst"
dpkg-deb --build "$d" /root/stackbook-slow.deb >/dev/null
rm -rf "$d"
dpkg --purge stackbook-slow >/dev/null 2>&1 || true
touch /root/slow
"""


def _configuring(target: SshTarget) -> bool:
    return target.run("pgrep", "-f", "stackbook-slow.postinst").ok


def test_a_run_killed_mid_install_stops_there_and_the_next_run_finishes_it(
    fresh_node: node.Node, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from .builders import make_runbook, shell

    target = node.target_for(fresh_node)
    assert target.run("bash", "-c", SLOW_PACKAGE).ok
    inventory = 'INVENTORY = "controller=node://controller"'
    for folder in ("install", "check"):
        (tmp_path / folder).mkdir()
    make_runbook(tmp_path / "install" / "install.ipynb", [shell("dpkg -i /root/stackbook-slow.deb")], inventory)
    make_runbook(tmp_path / "check" / "check.ipynb",
                 [shell("dpkg-query -W -f='${Status}\\n' stackbook-slow")], inventory)

    def run(folder: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "stackbook", "run", "--all", "--runbooks",
                                 str(tmp_path / folder), "--runs", str(tmp_path / "runs"),
                                 "--results", str(tmp_path / "results")],  # not the session's folder
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    killed = run("install")
    assert polling.wait_until(lambda: _configuring(target), 120, 0.5), "the installation never started"
    killed.kill()  # SIGKILL: nothing in stackbook can react
    killed.communicate()
    # The command on the target stops with the run: its ssh connection closed.
    assert polling.wait_until(lambda: not _configuring(target), 30, 0.5), "dpkg still runs on the node"
    assert "half-configured" in target.run("dpkg-query", "-W", "-f=${Status}", "stackbook-slow").stdout

    target.run("rm", "-f", "/root/slow")
    output, _ = run("check").communicate(timeout=300)
    assert "finished a package installation an earlier run left half-done" in output, output
    assert "install ok installed" in output, output


def test_a_run_waits_for_dpkg_held_by_an_installation_still_running(fresh_node: node.Node) -> None:
    from stackbook import steps
    from stackbook.errors import CommandFailed

    target = node.target_for(fresh_node)
    assert target.run("bash", "-c", SLOW_PACKAGE).ok
    assert target.run("bash", "-c", "setsid dpkg -i /root/stackbook-slow.deb >/dev/null 2>&1 </dev/null &").ok
    assert polling.wait_until(lambda: _configuring(target), 60, 0.5)
    began = time.monotonic()
    with pytest.raises(CommandFailed, match="dpkg is still locked after 4 s"):
        steps.settle(target, limit=4)
    assert time.monotonic() - began >= 4
    # Once the other installation ends, the lock is free and nothing is left to finish.
    target.run("rm", "-f", "/root/slow")
    assert steps.settle(target, limit=60) == ""
    assert target.run("dpkg-query", "-W", "-f=${Status}", "stackbook-slow").stdout == "install ok installed"
    target.run("dpkg", "--purge", "stackbook-slow")


def test_linked_nodes_reach_each_other_by_name_and_nothing_else_does(own_state: Path) -> None:
    site_a, site_b, other = node.up("sitea"), node.up("siteb"), node.up("other")
    try:
        addresses = node.link("sitea", "siteb")
        a, b = node.target_for(site_a), node.target_for(site_b)
        b.run("sh", "-c", "cd /tmp && echo hello from siteb > index.html && "
                          "(python3 -m http.server 8080 >/dev/null 2>&1 &)")
        wait_until(lambda: b.run("sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080").ok, timeout=10, every=0.1)
        assert a.run("getent", "hosts", "siteb").stdout.split() == [addresses["siteb"], "siteb"]
        assert b.run("getent", "hosts", "sitea").stdout.split() == [addresses["sitea"], "sitea"]
        assert a.run("curl", "-sS", "--max-time", "3", "http://siteb:8080/").stdout.strip() == "hello from siteb"
        # The host reaches each node; a node not linked reaches neither end of the link.
        probe = f"exec 3<>/dev/tcp/{addresses['siteb']}/8080"
        assert not node.target_for(other).run("timeout", "3", "bash", "-c", probe).ok
        assert a.run("timeout", "3", "bash", "-c", probe).ok
        # Linking again replaces the link; taking one node down removes it and its name.
        assert node.link("siteb", "sitea") == addresses
        node.down("siteb")
        assert not a.run("getent", "hosts", "siteb").ok
        assert "sblink" not in process.run(["ip", "-n", site_a.netns, "link"]).stdout
    finally:
        for name in ("sitea", "siteb", "other"):
            node.down(name)


def test_link_addresses_are_unique_per_pair() -> None:
    nodes = [node.Node(f"n{i}", i, 0) for i in (1, 2, 3, 63)]
    pairs = [node.link_addresses(x, y) for x in nodes for y in nodes if x.index < y.index]
    every = [addr for pair in pairs for addr in pair.values()]
    assert len(every) == len(set(every))
    assert node.link_addresses(nodes[1], nodes[0]) == {"n1": "10.214.1.9", "n2": "10.214.1.10"}
    with pytest.raises(NodeError, match="itself"):
        node.link_addresses(nodes[0], nodes[0])
    with pytest.raises(NodeError, match="links join nodes 1 to 63"):
        node.link_addresses(nodes[0], node.Node("far", 64, 0))
    hosts = "127.0.0.1\tlocalhost\n10.213.1.2\tn1\n10.214.1.9\tn2\n"
    assert node.with_host(hosts, "10.214.1.13", "n2") == "127.0.0.1\tlocalhost\n10.213.1.2\tn1\n10.214.1.13\tn2\n"
    assert node.without_host(hosts, "n2") == "127.0.0.1\tlocalhost\n10.213.1.2\tn1\n"
