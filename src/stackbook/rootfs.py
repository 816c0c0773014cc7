"""The root filesystem nodes of a platform start from: one per Debian suite, built once with mmdebstrap."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from stackbook import aptcache, aptsources, process
from stackbook.errors import NodeError
from stackbook.paths import cache_dir, state_dir
from stackbook.platforms import Platform

INCLUDE = (
    "openssh-server", "iproute2", "ca-certificates", "python3", "sudo", "curl",
    "procps", "tini", "less", "iputils-ping", "netbase", "gnupg",
)


def mmdebstrap_argv(
    suite: str, sources: Sequence[aptsources.Source], proxy: str, target: Path, *, relax_dates: bool
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
    return [*argv, suite, str(target), *(s.line() for s in sources)]


def _host_relaxes_dates() -> bool:
    """Whether the host's apt accepts expired Release files (a snapshot mirror)."""
    result = process.run(["apt-config", "dump", "Acquire::Check-Valid-Until"])
    return '"false"' in result.stdout


def cached_path(platform: Platform) -> tuple[Path, list[aptsources.Source], bool]:
    """Where the platform's tarball is cached, with the apt sources and date policy it is built
    with: the name changes when any of them changes."""
    sources = aptsources.host_sources(platform)
    # Snapshot mirrors serve Release files past their Valid-Until (unstable's is short).
    relax = platform.relax_dates or _host_relaxes_dates()
    key = hashlib.sha256(repr((INCLUDE, sources, relax)).encode()).hexdigest()[:12]
    return cache_dir() / f"rootfs-{platform.suite}-{key}.tar", sources, relax


def tarball(platform: Platform, progress: Callable[[str], None] = lambda _: None) -> Path:
    """The platform's cached root filesystem tarball, built first if needed."""
    path, sources, relax = cached_path(platform)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    proxy = aptcache.ensure()
    partial = path.with_suffix(f".partial-{os.getpid()}.tar")
    progress(f"building the {platform.label} ({platform.suite}) root filesystem with mmdebstrap (about a minute)")
    argv = mmdebstrap_argv(platform.suite, sources, proxy, partial, relax_dates=relax)
    try:
        result = process.run(argv, on_line=progress)
        if not result.ok:
            raise NodeError(_failure(platform, sources, result.tail(12)))
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _failure(platform: Platform, sources: Sequence[aptsources.Source], tail: Sequence[str]) -> str:
    lines = [
        f"cannot build the {platform.label} root filesystem: mmdebstrap failed (nothing was kept).",
        "apt sources tried (derived from this host's apt configuration):",
        *(f"  {s.line()}" for s in sources),
        "last lines of mmdebstrap's output:", *(f"  {line}" for line in tail),
        f"check that the mirror serves {platform.suite}, or set {aptsources.OVERRIDE_ENV}="
        f"'deb URI {platform.suite} main' to one that does.",
    ]
    return "\n".join(lines)


def unpacked(platform: Platform, progress: Callable[[str], None] = lambda _: None) -> Path:
    """The platform's root filesystem unpacked once, read-only by agreement: the lowest layer
    of overlay nodes (a new tarball gets a new folder; old ones are removed)."""
    tar = tarball(platform, progress)
    bases = state_dir() / "bases"
    path = bases / tar.stem
    if path.is_dir():
        return path
    bases.mkdir(parents=True, exist_ok=True)
    with open(bases / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.is_dir():
            return path
        partial = bases / f".{tar.stem}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        progress(f"unpacking {tar.name} once, as the base layer of overlay nodes")
        result = process.run(["tar", "-x", "-p", "--numeric-owner", "-f", str(tar), "-C", str(partial)])
        if not result.ok:
            shutil.rmtree(partial, ignore_errors=True)
            raise NodeError(f"cannot unpack {tar} ({'; '.join(result.tail(3))}): remove it and run again")
        partial.rename(path)
        for old in bases.glob(f"rootfs-{platform.suite}-*"):
            if old != path:
                shutil.rmtree(old, ignore_errors=True)
    return path


def built(platform: Platform) -> str:
    """When the platform's tarball was built (ISO, UTC): the date of its package index."""
    path, _, _ = cached_path(platform)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
