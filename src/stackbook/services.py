"""What a node runs, captured before a snapshot and started again after a restore.

Nodes have no init system beyond tini: services are started by runbooks with
``service NAME start``. Before a snapshot, each init script's ``status`` tells whether its
service runs (by exit status: ``service --status-all`` also wants it to print something, which
not every script does) and ``ss`` which TCP ports listen; after a restore the same services are started
in the order of the ``/etc/rc2.d`` start links, and the restore waits until the same ports
listen again. Like a concurrent boot (startpar), services start in waves: each wave is the
services whose LSB ``Required-Start``/``Should-Start`` are met by earlier waves, started
together; a node built without insserv numbers every link S01, so the links alone give no order.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping, Sequence

from stackbook.errors import INFRASTRUCTURE, StackbookError
from stackbook.polling import wait_until
from stackbook.targets import Target

SSH_PORT = 22
OWN = {"ssh"}  # the node's sshd runs under tini, started by the node itself
MARK = "--stackbook-rc--"
CAPTURE = f"""cd /etc/init.d || exit 0
for s in *; do
  case "$s" in README|skeleton|rc|rcS|*.sh) continue ;; esac
  [ -x "$s" ] && grep -qsw status "$s" || continue
  if timeout 10 "./$s" status </dev/null >/dev/null 2>&1; then echo "running $s"; fi
done
echo {MARK}
ls /etc/rc2.d 2>/dev/null || true
"""
HEADERS = f"""cd /etc/init.d || exit 0
for s in "$@"; do
  echo "{MARK} $s"
  sed -n '/^### BEGIN INIT INFO/,/^### END INIT INFO/p' "./$s" 2>/dev/null || true
done
"""
# Names OpenStack's init scripts give that Debian's scripts provide under another name:
# keystone, glance, heat and barbican "Should-Start: mysql", and mariadb "Provides: mariadb".
ALIASES = {"mysql": "mariadb"}
RUNNING = re.compile(r"^running (\S+)$")
RC_LINK = re.compile(r"^S\d+(.+)$")


class ServiceError(StackbookError):
    """A restored node whose services did not come back."""

    kind = INFRASTRUCTURE


def running(lines: str) -> list[str]:
    """Pure: the services the capture script found running, the node's own sshd aside."""
    return [m.group(1) for m in map(RUNNING.match, lines.splitlines()) if m and m.group(1) not in OWN]


def start_order(names: Iterable[str], rc_links: Sequence[str]) -> list[str]:
    """Pure: ``names`` in the order of the rc2.d start links; those without a link last, by name."""
    linked = [m.group(1) for m in map(RC_LINK.match, sorted(rc_links)) if m]
    wanted = set(names)
    ordered = [name for name in dict.fromkeys(linked) if name in wanted]
    return ordered + sorted(wanted - set(ordered))


def listening(ss_output: str) -> list[int]:
    """Pure: the TCP ports in ``ss -Hltn`` output, ssh aside."""
    ports = set()
    for line in ss_output.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[3].rpartition(":")[2].isdigit():
            ports.add(int(fields[3].rpartition(":")[2]))
    return sorted(ports - {SSH_PORT})


def dependencies(text: str) -> dict[str, set[str]]:
    """Pure: for each service in the HEADERS output, the names its LSB header says start first
    (Required-Start and Should-Start) among the services there, through what each Provides,
    then through ALIASES; facilities such as $network are left out (a node has them all)."""
    provides: dict[str, set[str]] = {}
    needs: dict[str, set[str]] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith(MARK + " "):
            current = line[len(MARK) + 1:].strip()
            provides[current], needs[current] = {current}, set()
            continue
        match = re.match(r"#\s*(Provides|Required-Start|Should-Start):(.*)$", line)
        if not current or not match:
            continue
        words = {w for w in match.group(2).split() if not w.startswith("$")}
        if match.group(1) == "Provides":
            provides[current] |= words
        else:
            needs[current] |= words
    by_name = {word: name for name, words in provides.items() for word in words}

    def named(word: str) -> str:
        return by_name.get(word) or by_name.get(ALIASES.get(word, ""), "")

    return {name: {named(w) for w in wanted} - {"", name} for name, wanted in needs.items()}


def waves(names: Sequence[str], needs: Mapping[str, set[str]]) -> list[list[str]]:
    """Pure: ``names`` in waves, each after every service it needs among ``names``; order kept
    within a wave. Where a cycle leaves no service ready, the first one left starts alone."""
    left = list(dict.fromkeys(names))
    wanted = set(left)
    done: set[str] = set()
    found: list[list[str]] = []
    while left:
        ready = [n for n in left if (needs.get(n, set()) & wanted) <= done] or left[:1]
        found.append(ready)
        done |= set(ready)
        left = [n for n in left if n not in done]
    return found


# A firewall is kernel state, not a file: load it again as boot would, when nftables is enabled
# (the TLS runbook's table is included from /etc/nftables.conf).
FIREWALL = ("if [ -e /etc/systemd/system/sysinit.target.wants/nftables.service ] && command -v nft >/dev/null; "
            "then nft -f /etc/nftables.conf || echo failed: nftables; fi")


def start_script(order: Sequence[Sequence[str]]) -> str:
    """Pure: the shell that loads the firewall, then starts each wave of ``order`` together,
    one wave after another, going on past a service that fails (and naming it)."""
    lines = [FIREWALL]
    for wave in order:
        lines += [f"( service {shlex.quote(n)} start </dev/null >/dev/null 2>&1 || echo failed: {shlex.quote(n)} ) &"
                  for n in wave]
        lines.append("wait")
    return "\n".join(lines) + "\n"


def capture(target: Target) -> tuple[list[str], list[int]]:
    """The running services in start order and the listening ports of the node at ``target``."""
    result = target.run("sh", "-s", input=CAPTURE)
    status, _, links = result.stdout.partition(MARK)
    ports = target.run("ss", "-Hltn")
    return start_order(running(status), links.split()), listening(ports.stdout)


def restart(target: Target, names: Sequence[str], ports: Sequence[int], timeout: float = 120) -> None:
    """Start ``names`` again and wait until ``ports`` listen, or say which did not come back."""
    headers = target.run("sh", "-s", "--", *names, input=HEADERS) if names else None
    order = waves(names, dependencies(headers.stdout if headers else ""))
    result = target.run("sh", "-s", input=start_script(order))
    failed = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("failed: ")]
    if failed:
        raise ServiceError(f"after the restore, starting {failed[0]} failed on {target.url}: "
                           "look at its log on the node, or run the runbooks again without --snapshots")
    missing: list[int] = []

    def back() -> bool:
        missing[:] = sorted(set(ports) - set(listening(target.run("ss", "-Hltn").stdout)))
        return not missing

    if ports and not wait_until(back, timeout, every=0.25):
        raise ServiceError(f"after the restore, TCP ports {missing} did not listen again within {timeout:.0f} s "
                           f"on {target.url}: a service did not come back; run without --snapshots")
