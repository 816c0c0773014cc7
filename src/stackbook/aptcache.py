"""apt-cacher-ng on the host: one package cache every node downloads through."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from stackbook import process
from stackbook.errors import NodeError
from stackbook.paths import cache_dir
from stackbook.polling import wait_until

PORT = int(os.environ.get("STACKBOOK_APT_CACHE_PORT", "3142"))


def _home() -> Path:
    return cache_dir() / "apt-cacher-ng"


def config_text(home: Path, port: int) -> str:
    """Pure: a minimal acng.conf: no remapping, so each node asks for the host's own mirrors."""
    return "\n".join([
        f"CacheDir: {home}/cache", f"LogDir: {home}/log",
        "SupportDir: /usr/lib/apt-cacher-ng", f"Port: {port}", "BindAddress: 0.0.0.0",
        f"PidFile: {home}/pid", "ExThreshold: 4", "",
    ])


def log_path() -> Path:
    """The cache's transfer log: one line per file, ``I`` fetched upstream, ``O`` served."""
    return _home() / "log" / "apt-cacher.log"


def listening(port: int | None = None) -> bool:
    """True when something answers on the cache port (default: PORT) on loopback."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port or PORT)) == 0


def ensure() -> str:
    """Start the cache if it is not running; return its loopback proxy URL."""
    home = _home()
    if not listening():
        for sub in ("conf", "cache", "log"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        (home / "conf/acng.conf").write_text(config_text(home, PORT))
        process.run(["apt-cacher-ng", "-c", str(home / "conf"), "ForeGround=0"], check=True)
        _wait(home)
    return f"http://127.0.0.1:{PORT}"


def _wait(home: Path) -> None:
    if not wait_until(listening, timeout=10, every=0.1):
        raise NodeError(f"apt-cacher-ng did not start on port {PORT}: see {home}/log/apt-cacher.err")


def stop() -> None:
    """Stop the cache if stackbook started it."""
    pidfile = _home() / "pid"
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 15)
    except (OSError, ValueError):
        return
    wait_until(lambda: not Path(f"/proc/{pid}").exists(), timeout=5, every=0.05)
    pidfile.unlink(missing_ok=True)
