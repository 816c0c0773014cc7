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
# Debian packages the jobs use: test nodes, the package cache, the site (graphviz draws the
# install path), the browser tests (CJK fonts so screenshots of the ja/ko sites show text).
need=""
for pkg in mmdebstrap apt-cacher-ng iproute2 openssh-client util-linux graphviz \
           chromium chromium-driver fonts-noto-cjk; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need="$need $pkg"
done
if [ -n "$need" ]; then
    echo "run.sh: installing$need" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need >&2
fi
python3 -m nox --version >/dev/null 2>&1 || python3 -m pip install -q nox
exec python3 -m nox -s "$session" -- "$@"
