"""Disposable test nodes: a Debian system of a chosen platform in its own namespaces, reached over SSH."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import select
import shlex
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from stackbook import aptcache, platforms, process, rootfs
from stackbook.errors import NodeError
from stackbook.paths import state_dir
from stackbook.polling import wait_until
from stackbook.targets import SshTarget, hosts_text

NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
NETNS_PREFIX = "stackbook-"
SUBNET = "10.213"  # node i gets 10.213.i.0/30: host end .1, node end .2
LINK_SUBNET = "10.214"  # nodes i < j linked: 10.214.i.(4j)/30, i's end .4j+1, j's end .4j+2
MAX_LINKED = 63  # 4 * 63 + 2 is the last address of a /24
DPKG_UNSAFE_IO = "# stackbook: a test node is disposable (see stackbook/node.py)\nforce-unsafe-io\n"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Node:
    """A node's recorded state."""

    name: str
    index: int
    pid: int
    platform: str = platforms.DEFAULT
    overlay: bool = False  # root is an overlay: upper/ over ``layers`` over the unpacked base
    layers: tuple[str, ...] = ()  # snapshot layers under the upper, topmost first
    alias: str = ""  # the address of the node a snapshot was taken on, when it could not be had again

    @property
    def address(self) -> str:
        """The node's own address (its hostname resolves to this inside the node)."""
        return f"{SUBNET}.{self.index}.2"

    @property
    def host_address(self) -> str:
        """The host end of the node's veth pair (where the apt cache answers)."""
        return f"{SUBNET}.{self.index}.1"

    @property
    def netns(self) -> str:
        """The network namespace name (by index: unique across state folders)."""
        return f"{NETNS_PREFIX}{self.index}"

    @property
    def veth(self) -> str:
        """The host end of the veth pair (at most 15 characters)."""
        return f"sbveth{self.index}"

    @property
    def dir(self) -> Path:
        """The node's folder: root filesystem, keys, logs."""
        return nodes_dir() / self.name

    @property
    def root(self) -> Path:
        """The node's root filesystem."""
        return self.dir / "root"

    @property
    def upper(self) -> Path:
        """An overlay node's own writable layer (what a snapshot freezes)."""
        return self.dir / "upper"

    def alive(self) -> bool:
        """True while the node's namespace holder process runs."""
        return _alive(self.pid)


def nodes_dir() -> Path:
    """Where node folders live."""
    return state_dir() / "nodes"


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def check_name(name: str) -> str:
    """A node name is a hostname: lower-case letters, digits and dashes."""
    if not NAME.match(name):
        raise NodeError(f"bad node name {name!r}: use a hostname like controller or compute1")
    return name


def load(name: str) -> Node | None:
    """The recorded node called ``name``, if any."""
    meta = nodes_dir() / check_name(name) / "node.json"
    try:
        data = json.loads(meta.read_text())
        return Node(**{**data, "layers": tuple(data.get("layers", ()))})
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as exc:
        raise NodeError(f"{meta} is damaged ({exc}): remove {meta.parent} by hand") from None


def all_nodes() -> list[Node]:
    """Every recorded node, running or not."""
    found = [load(p.parent.name) for p in sorted(nodes_dir().glob("*/node.json")) if NAME.match(p.parent.name)]
    return [n for n in found if n is not None]


def key_path() -> Path:
    """The ssh key stackbook logs into nodes with (made on first use)."""
    key = state_dir() / "ssh" / "id_ed25519"
    if not key.exists():
        key.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        process.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "stackbook", "-f", str(key)], check=True)
    return key


def ssh_options(node: Node) -> tuple[str, ...]:
    """ssh options that pin the node's own host key and log in with stackbook's key."""
    return (
        "-i", str(key_path()), "-o", "IdentitiesOnly=yes",
        "-o", f"UserKnownHostsFile={node.dir / 'known_hosts'}", "-o", "StrictHostKeyChecking=yes",
    )


def target_for(node: Node) -> SshTarget:
    """The ssh target reaching this node, exactly as a real controller is reached."""
    return SshTarget(f"node://{node.name}", node.address, "root", 22, ssh_options(node))


def node_target(name: str) -> SshTarget:
    """Resolve ``node://NAME`` to an ssh target, or say how to start the node."""
    node = load(name)
    if node is None or not node.alive():
        raise NodeError(f"test node {name!r} is not running: start it with `stackbook node up {name}`")
    return target_for(node)


# -- up ---------------------------------------------------------------------------------

BOOT = """#!/bin/sh
# PID 1 of the node's PID namespace until it execs into the node's init.
set -eu
R={root}
{mount}mount -t proc proc "$R/proc"
mount -t sysfs -o ro sysfs "$R/sys"
mount -t tmpfs -o mode=755,size=8m tmpfs "$R/dev"
mknod -m 666 "$R/dev/null" c 1 3
mknod -m 666 "$R/dev/zero" c 1 5
mknod -m 666 "$R/dev/full" c 1 7
mknod -m 666 "$R/dev/random" c 1 8
mknod -m 666 "$R/dev/urandom" c 1 9
mknod -m 666 "$R/dev/tty" c 5 0
mkdir -p "$R/dev/pts" "$R/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$R/dev/pts"
ln -s pts/ptmx "$R/dev/ptmx"
ln -s /proc/self/fd "$R/dev/fd"
ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"
ln -s /proc/self/fd/2 "$R/dev/stderr"
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
mount -t tmpfs -o mode=755 tmpfs "$R/run"
mkdir -p "$R/run/sshd" "$R/run/lock"
hostname {name}
exec chroot "$R" /usr/bin/tini -s -- /usr/sbin/sshd -D -e
"""


def up(name: str, platform: str | None = None, progress: Progress = lambda _: None,
       layers: Sequence[Path] | None = None, address: str = "") -> Node:
    """Create and start node ``name`` of ``platform`` (returns the running node if it already runs).

    With ``layers`` (snapshot layers, topmost first; empty for none) the node's root is an
    overlay over them and the platform's unpacked base, mounted inside the node only: nothing
    is unpacked per node, and its own changes (``node.upper``) can be frozen as a snapshot.
    ``address`` is the one to have (a snapshot's services are bound to it): when another node
    holds it, the node gets it as a second address inside itself, where its name resolves to it.
    """
    check_name(name)
    chosen = platforms.get(platform)
    tar = rootfs.tarball(chosen, progress)
    base = rootfs.unpacked(chosen, progress) if layers is not None else None
    aptcache.ensure()
    # Everything from cleaning up to a process living in the new namespace happens under
    # one lock: an empty namespace seen under the lock is always a leftover.
    with _allocation_lock():
        _cleanup_stale(progress)
        existing = load(name)
        if existing is not None and existing.alive():
            if existing.platform != chosen.name:
                raise NodeError(f"node {name} already runs {existing.platform}, not {chosen.name}: "
                                f"`stackbook node down {name}` first, or choose another name")
            return existing
        stack = tuple(str(p) for p in layers or ())
        index = _free_index(_index_of(address))
        alias = address if address and address != f"{SUBNET}.{index}.2" else ""
        node = Node(name, index, 0, chosen.name, overlay=base is not None, layers=stack, alias=alias)
        try:
            node.dir.mkdir(parents=True)
            (node.dir / "node.json").write_text(json.dumps(asdict(node)))
            _network(node)
            if base is None:
                progress(f"unpacking {tar.name} into {node.root}")
                _unpack(node, tar)
                _configure(node, node.root, node.root)
            else:
                for folder in (node.root, node.upper, node.dir / "work"):
                    folder.mkdir(parents=True)
                _configure(node, node.upper, base, mount=overlay_mount(node, base))
            node = _boot(node)
        except BaseException:
            _teardown(node)
            raise
    try:
        _wait_ssh(node)
    except BaseException:
        _teardown(node)
        raise
    progress(f"node {name} ({chosen.label}) is up at {node.address} (ssh root@{node.address})")
    return node


def link_addresses(first: Node, second: Node) -> dict[str, str]:
    """Pure: each node's address on the link between the two (by node name)."""
    low, high = sorted((first, second), key=lambda n: n.index)
    if low.index == high.index:
        raise NodeError(f"cannot link node {first.name} to itself")
    if high.index > MAX_LINKED:
        raise NodeError(f"node {high.name} has index {high.index}; links join nodes 1 to {MAX_LINKED} only: "
                        "take nodes down until fewer run, then bring it up again")
    base = f"{LINK_SUBNET}.{low.index}"
    return {low.name: f"{base}.{4 * high.index + 1}", high.name: f"{base}.{4 * high.index + 2}"}


def with_host(hosts: str, address: str, name: str) -> str:
    """Pure: /etc/hosts text with ``name`` at ``address`` (an earlier line for the name replaced)."""
    return hosts_text(hosts, [(name, address)])


def without_host(hosts: str, name: str) -> str:
    """Pure: /etc/hosts text without the lines that name ``name``."""
    return "".join(line + "\n" for line in hosts.splitlines() if name not in line.split()[1:])


def link(first_name: str, second_name: str, progress: Progress = lambda _: None) -> dict[str, str]:
    """Join two running nodes with a link of their own: each reaches the other by name, and no
    other node or host does through it. Returns each node's address on the link."""
    nodes = []
    for name in (first_name, second_name):
        found = load(name)
        if found is None or not found.alive():
            raise NodeError(f"test node {name!r} is not running: start it with `stackbook node up {name}`")
        nodes.append(found)
    first, second = nodes
    addresses = link_addresses(first, second)
    with _allocation_lock():
        for one, other in ((first, second), (second, first)):
            device = f"sblink{other.index}"  # in one's namespace, towards other
            if _has_link(one, device):  # linked before: deleting one end removes the pair
                process.run(["ip", "-n", one.netns, "link", "del", device])
        process.run(["ip", "link", "add", f"sblink{second.index}", "netns", first.netns, "type", "veth",
                     "peer", "name", f"sblink{first.index}", "netns", second.netns], check=True)
        for one, other in ((first, second), (second, first)):
            device = f"sblink{other.index}"
            process.run(["ip", "-n", one.netns, "addr", "add", f"{addresses[one.name]}/30", "dev", device], check=True)
            process.run(["ip", "-n", one.netns, "link", "set", device, "up"], check=True)
            hosts = files(one) / "etc" / "hosts"
            hosts.write_text(with_host(hosts.read_text(), addresses[other.name], other.name))
    progress(f"nodes {first.name} ({addresses[first.name]}) and {second.name} ({addresses[second.name]}) "
             "are linked: each resolves the other's name")
    return addresses


def files(node: Node) -> Path:
    """Where this host reads and writes the node's files: its root folder, or, for an overlay
    node (mounted inside the node only), that root as the node's init sees it."""
    if node.overlay and node.pid:
        for init in _children(node.pid):
            return Path(f"/proc/{init}/root")
    return node.root


def _has_link(node: Node, device: str) -> bool:
    return process.run(["ip", "-n", node.netns, "link", "show", device]).ok


def _index_of(address: str) -> int | None:
    """Pure: the node index an address of ours has (None for another address)."""
    parts = address.split(".")
    if len(parts) == 4 and address.startswith(SUBNET + ".") and parts[2].isdigit() and parts[3] == "2":
        return int(parts[2])
    return None


def _free_index(prefer: int | None = None) -> int:
    used = {n.index for n in all_nodes()} | {
        int(ns[len(NETNS_PREFIX):]) for ns in _netns_list() if ns[len(NETNS_PREFIX):].isdigit()
    }
    if prefer is not None and 0 < prefer < 250 and prefer not in used:
        return prefer
    return next(i for i in range(1, 250) if i not in used)


@contextlib.contextmanager
def _allocation_lock() -> Iterator[None]:
    """Serialize address allocation across processes and state folders."""
    with open("/run/lock/stackbook-nodes.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _unpack(node: Node, tar: Path) -> None:
    node.root.mkdir(parents=True)
    result = process.run(["tar", "-x", "-p", "--numeric-owner", "-f", str(tar), "-C", str(node.root)])
    if not result.ok:
        detail = "; ".join(result.tail(3))
        raise NodeError(f"cannot unpack the root filesystem {tar} ({detail}): remove it (rm {tar}) "
                        "and run the command again to build it anew")


def overlay_mount(node: Node, base: Path) -> str:
    """Pure: the boot script's line mounting an overlay node's root."""
    lower = ":".join([*node.layers, str(base)])
    options = f"lowerdir={lower},upperdir={node.upper},workdir={node.dir / 'work'}"
    return f'mount -t overlay -o {shlex.quote(options)} overlay "$R"\n'


def _parents(into: Path, like: Path, paths: Sequence[str]) -> None:
    """Make the folders of ``paths`` under ``into`` with the owner and mode they have under
    ``like`` (an overlay's upper folder's own metadata hides the lower one's)."""
    for rel in paths:
        for depth in range(1, len(Path(rel).parts) + 1):
            part = Path(*Path(rel).parts[:depth])
            made, model = into / part, like / part
            if not made.exists():
                made.mkdir()
                info = model.stat() if model.exists() else None
                if info is not None:
                    os.chown(made, info.st_uid, info.st_gid)
                    made.chmod(info.st_mode & 0o7777)


def _configure(node: Node, into: Path, like: Path, mount: str = "") -> None:
    """Write the node's own files (names, keys, apt proxy, dpkg's I/O) into ``into``: its root,
    or the upper layer of an overlay whose folders are made like those of ``like``."""
    _parents(into, like, ["etc/apt/apt.conf.d", "etc/dpkg/dpkg.cfg.d", "etc/ssh", "root/.ssh"])
    etc = into / "etc"
    (etc / "hostname").write_text(node.name + "\n")
    (etc / "hosts").write_text(f"127.0.0.1\tlocalhost\n{node.alias or node.address}\t{node.name}\n")
    (etc / "resolv.conf").unlink(missing_ok=True)
    (etc / "resolv.conf").write_text("# no DNS: apt goes through the host's package cache\n")
    (etc / "apt/apt.conf.d/01stackbook-proxy").write_text(
        f'Acquire::http::Proxy "http://{node.host_address}:{aptcache.PORT}";\n'
    )
    # A node is thrown away, never recovered after a crash of this machine: dpkg need not fsync
    # every file it unpacks, and with it an install need not wait for whatever else the disk has
    # to write (a snapshot being copied, another node's packages).
    (etc / "dpkg/dpkg.cfg.d/01stackbook-unsafe-io").write_text(DPKG_UNSAFE_IO)
    ssh = into / "root/.ssh"
    ssh.chmod(0o700)
    (ssh / "authorized_keys").write_text(key_path().with_suffix(".pub").read_text())
    hostkey = etc / "ssh/ssh_host_ed25519_key"
    keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", node.name, "-f", str(hostkey)]
    process.run(keygen, check=True)
    pub = hostkey.with_suffix(".pub").read_text().split()
    (node.dir / "known_hosts").write_text(f"{node.address} {pub[0]} {pub[1]}\n")
    (node.dir / "boot.sh").write_text(BOOT.format(root=node.root, name=node.name, mount=mount))


def _network(node: Node) -> None:
    steps = [
        ["ip", "netns", "add", node.netns],
        ["ip", "link", "add", node.veth, "type", "veth", "peer", "name", "eth0", "netns", node.netns],
        ["ip", "addr", "add", f"{node.host_address}/30", "dev", node.veth],
        ["ip", "link", "set", node.veth, "up"],
        ["ip", "-n", node.netns, "addr", "add", f"{node.address}/30", "dev", "eth0"],
        ["ip", "-n", node.netns, "link", "set", "eth0", "up"],
        ["ip", "-n", node.netns, "link", "set", "lo", "up"],
    ]
    if node.alias:
        steps.append(["ip", "-n", node.netns, "addr", "add", f"{node.alias}/32", "dev", "lo"])
    for argv in steps:
        process.run(argv, check=True)


def _boot(node: Node) -> Node:
    argv = [
        "ip", "netns", "exec", node.netns, "unshare", "--mount", "--pid", "--uts", "--ipc",
        "--fork", "--kill-child=SIGTERM", "--propagation", "private",
        "/bin/sh", str(node.dir / "boot.sh"),
    ]
    pid = process.spawn(argv, log=str(node.dir / "console.log"))
    # Hold the allocation lock until the namespace has a process in it (see up()).
    wait_until(lambda: bool(_netns_pids(node.netns)), timeout=5, every=0.01)
    started = replace(node, pid=pid)
    (node.dir / "node.json").write_text(json.dumps(asdict(started)))
    return started


def _wait_ssh(node: Node, timeout: float = 30) -> None:
    target = target_for(node)

    def answers() -> bool:
        if not node.alive():
            log = (node.dir / "console.log").read_text(errors="replace")[-2000:]
            raise NodeError(f"node {node.name} stopped while booting; console:\n{log}")
        return process.run(target.argv("true"), timeout=10).ok

    if not wait_until(answers, timeout, every=0.2):
        raise NodeError(f"node {node.name} did not answer ssh at {node.address} within {timeout:.0f} s")


# -- down -------------------------------------------------------------------------------


def down(name: str, progress: Progress = lambda _: None) -> bool:
    """Stop and remove node ``name``; True if there was one. Leaves nothing behind."""
    cleanup_stale(progress)
    node = load(name)
    if node is not None:
        _teardown(node)
        progress(f"node {name} removed")
    if not any(ns.startswith(NETNS_PREFIX) for ns in _netns_list()):
        aptcache.stop()
    return node is not None


def _teardown(node: Node) -> None:
    # Its links go with its namespace; the names it gave other nodes go too.
    for other in all_nodes():
        hosts = files(other) / "etc" / "hosts"
        if other.name != node.name and hosts.exists():
            text = hosts.read_text()
            if node.name in text.split():
                hosts.write_text(without_host(text, node.name))
    if (node.dir / "known_hosts").exists():
        _close_ssh(node)
    if node.pid and node.alive():
        _stop(node.pid)
    if node.pid:
        process.reap(node.pid)
    _kill_netns_pids(node.netns)
    if node.netns in _netns_list():
        process.run(["ip", "netns", "del", node.netns])
    if Path(f"/sys/class/net/{node.veth}").exists():
        process.run(["ip", "link", "del", node.veth])
    shutil.rmtree(node.dir, ignore_errors=True)


# -- lease ------------------------------------------------------------------------------


def lease(made: Node, holder: int) -> int:
    """Tie node ``made`` to process ``holder`` (a nightly, say): when the holder ends, however it
    ends (SIGKILL included, where no ``finally`` runs), a watcher in a session of its own takes
    the node down, unless it was taken down or made again meanwhile. Returns the watcher's pid."""
    return process.spawn([sys.executable, "-m", "stackbook", "node", "expire", made.name,
                          "--holder", str(holder), "--init", str(made.pid)],
                         log=str(made.dir / "lease.log"))


def expire(name: str, holder: int, init: int, progress: Progress = lambda _: None) -> bool:
    """Wait until process ``holder`` has ended, then take node ``name`` down if it is still the
    node whose namespace holder is ``init``; True if it did."""
    _wait_for_exit(holder)
    found = load(name)
    if found is None or found.pid != init:
        return False
    progress(f"process {holder}, which held node {name}, has ended: taking the node down")
    return down(name, progress)


def _wait_for_exit(pid: int) -> None:
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        select.select([handle], [], [])  # a pidfd becomes readable when its process ends
    finally:
        os.close(handle)


def _close_ssh(node: Node) -> None:
    argv = target_for(node).argv("")
    process.run([argv[0], "-O", "exit", *argv[1:-1]], timeout=10)


def _stop(pid: int) -> None:
    # unshare ignores TERM while it waits: signal the node's PID 1 (its child) instead;
    # when PID 1 exits, the kernel ends every process in the node's PID namespace.
    for child in _children(pid) or [pid]:
        os.kill(child, signal.SIGTERM)
    wait_until(lambda: not _alive(pid), timeout=10, every=0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _kill_netns_pids(netns: str) -> None:
    if netns not in _netns_list():
        return
    for pid in _netns_pids(netns):
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def _netns_pids(netns: str) -> list[str]:
    return process.run(["ip", "netns", "pids", netns]).stdout.split()


def _netns_list() -> set[str]:
    out = process.run(["ip", "netns", "list"]).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def cleanup_stale(progress: Progress = lambda _: None) -> None:
    """Remove what crashed or interrupted nodes left: dead nodes, orphan namespaces and links."""
    with _allocation_lock():
        _cleanup_stale(progress)


def _cleanup_stale(progress: Progress) -> None:
    if not nodes_dir().exists() and not _netns_list():
        return
    live = []
    for node in all_nodes():
        if node.alive():
            live.append(node)
        else:
            progress(f"cleaning up node {node.name}, left over from an earlier run")
            _teardown(node)
    for netns in _netns_list() - {n.netns for n in live}:
        # A live node always has processes in its namespace; an empty one is left over.
        if netns.startswith(NETNS_PREFIX) and not _netns_pids(netns):
            progress(f"removing orphan network namespace {netns}")
            process.run(["ip", "netns", "del", netns])
    if nodes_dir().exists():
        for leftover in nodes_dir().iterdir():
            if not (leftover / "node.json").exists():
                shutil.rmtree(leftover, ignore_errors=True)


def shell_argv(name: str) -> list[str]:
    """The ssh command line for an interactive shell on node ``name``."""
    return node_target(name).argv("", tty=True)
