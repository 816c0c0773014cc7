"""What a target runs, measured rather than typed: Debian release, OpenStack series, package versions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from stackbook import platforms, series
from stackbook.errors import CommandFailed, StackbookError
from stackbook.targets import Target

# The packages whose versions a run records (those not installed are left out): the services,
# the clients and libraries they share (which move on their own in Debian unstable), and the rest
# of the stack. A run's record keeps them, and the site shows which moved between two runs.
PACKAGES = (
    "keystone", "glance-api", "heat-api", "heat-engine", "barbican-api", "barbican-worker",
    "openstack-dashboard", "python3-heat-dashboard",
    "python3-openstackclient", "python3-keystoneclient", "python3-glanceclient", "python3-heatclient",
    "python3-barbicanclient", "python3-keystoneauth1", "python3-keystonemiddleware", "python3-openstacksdk",
    "python3-oslo.config", "python3-oslo.db", "python3-oslo.messaging", "python3-oslo.policy",
    "python3-sqlalchemy", "python3-pymysql", "python3-django",
    "mariadb-server", "rabbitmq-server", "memcached", "apache2", "libapache2-mod-wsgi-py3", "uwsgi-core",
    "python3", "openssl",
)
SEPARATOR = "--- stackbook facts ---"


def command() -> str:
    """Pure: one shell program printing os-release, debian_version and the package versions."""
    return (
        f"cat /etc/os-release; echo '{SEPARATOR}'; cat /etc/debian_version; echo '{SEPARATOR}'; "
        "dpkg-query -W -f='${Package} ${Version} ${db:Status-Status}\\n' "
        + " ".join(PACKAGES) + " 2>/dev/null || true"
    )


@dataclass(frozen=True)
class Facts:
    """A target's platform as measured."""

    platform: str  # debian-13
    debian: str  # 13.2, or trixie/sid for a release without a number yet
    openstack: str = ""  # 2025.1 (empty before keystone is installed)
    packages: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for summary.json and the runbooks' records."""
        return asdict(self)

    @property
    def label(self) -> str:
        """``Debian 13.2 · OpenStack 2025.1 Epoxy``."""
        openstack = f" · OpenStack {series.get(self.openstack).label}" if self.openstack else ""
        return f"Debian {self.debian}{openstack}"


def parse(output: str) -> Facts:
    """Pure: Facts from the output of ``command()``."""
    parts = output.split(SEPARATOR + "\n")
    if len(parts) != 3:
        raise StackbookError(f"unexpected output while reading the target's platform:\n{output[-500:]}")
    release, debian_version, listing = parts
    platform = platforms.from_os_release(release)
    version = platforms.os_release(release).get("VERSION_ID") or debian_version.strip()
    packages = {}
    for line in listing.splitlines():
        words = line.split()
        if len(words) == 3 and words[2] == "installed":
            packages[words[0]] = words[1]
    openstack = series.from_keystone(packages["keystone"]).version if "keystone" in packages else ""
    return Facts(platform.name, version, openstack, packages)


def measure(target: Target) -> Facts:
    """Read the facts from ``target``."""
    result = target.run("sh", "-c", command())
    if not result.ok:
        raise CommandFailed(result, where=target.url)
    return parse(result.stdout)
