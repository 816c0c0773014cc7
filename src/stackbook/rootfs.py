"""The Debian 12 root filesystem every node starts from, built once with mmdebstrap."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from stackbook import aptcache, aptsources, process
from stackbook.errors import CommandFailed, NodeError
from stackbook.paths import cache_dir

INCLUDE = (
    "openssh-server", "iproute2", "ca-certificates", "python3", "sudo", "curl",
    "procps", "tini", "less", "iputils-ping", "netbase", "gnupg",
)


def mmdebstrap_argv(
    sources: Sequence[aptsources.Source], proxy: str, target: Path, *, relax_dates: bool
) -> list[str]:
    """Pure: the mmdebstrap command line for the node root filesystem."""
    argv = [
        "mmdebstrap", "--variant=minbase", f"--include={','.join(INCLUDE)}",
        f'--aptopt=Acquire::http::Proxy "{proxy}"',
    ]
    if relax_dates:
        argv += ['--aptopt=Acquire::Check-Valid-Until "false"']
    # The proxy is the host's, unreachable from a node: nodes get their own (see node.py).
    argv += ["--customize-hook=rm -f \"$1\"/etc/apt/apt.conf.d/99mmdebstrap"]
    if relax_dates:
        dates = "echo 'Acquire::Check-Valid-Until \"false\";' > \"$1\"/etc/apt/apt.conf.d/10stackbook-dates"
        argv += [f"--customize-hook={dates}"]
    argv += ["--customize-hook=rm -f \"$1\"/etc/ssh/ssh_host_*"]
    return [*argv, aptsources.SUITE, str(target), *(s.line() for s in sources)]


def _host_relaxes_dates() -> bool:
    """Whether the host's apt accepts expired Release files (a snapshot mirror)."""
    result = process.run(["apt-config", "dump", "Acquire::Check-Valid-Until"])
    return '"false"' in result.stdout


def tarball(progress: Callable[[str], None] = lambda _: None) -> Path:
    """The cached root filesystem tarball, built first if needed."""
    sources = aptsources.host_sources()
    relax = _host_relaxes_dates()
    key = hashlib.sha256(repr((INCLUDE, sources, relax)).encode()).hexdigest()[:12]
    path = cache_dir() / f"rootfs-{aptsources.SUITE}-{key}.tar"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    proxy = aptcache.ensure()
    partial = path.with_suffix(f".partial-{os.getpid()}.tar")
    progress(f"building the Debian {aptsources.SUITE} root filesystem with mmdebstrap (about a minute)")
    try:
        result = process.run(mmdebstrap_argv(sources, proxy, partial, relax_dates=relax), on_line=progress)
        if not result.ok:
            raise CommandFailed(result, where="this machine")
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    if not path.exists():
        raise NodeError(f"mmdebstrap left no tarball at {path}")
    return path
