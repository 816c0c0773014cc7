#!/bin/sh
# Set up this machine (Debian 12, as root) and run one of stackbook's jobs:
#   ./run.sh verify   make a test node, execute and check every runbook, remove the node
#   ./run.sh tests    the test suite
#   ./run.sh SESSION  any nox session (docs, lint, bench)
set -eu
cd "$(dirname "$0")"
session=${1:-verify}
[ $# -gt 0 ] && shift
if [ "$(id -u)" != 0 ]; then
    echo "run.sh: run as root (test nodes need network namespaces and chroot)" >&2
    exit 2
fi
need=""
for pair in mmdebstrap:mmdebstrap apt-cacher-ng:apt-cacher-ng ip:iproute2 ssh:openssh-client \
            unshare:util-linux chromium:chromium chromedriver:chromium-driver; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || need="$need ${pair#*:}"
done
if [ -n "$need" ]; then
    echo "run.sh: installing$need" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need >&2
fi
python3 -m nox --version >/dev/null 2>&1 || python3 -m pip install -q nox
exec python3 -m nox -s "$session" -- "$@"
