"""Runs with snapshots on a real overlay test node: restore, skip what did not change, services back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from stackbook import node, resume, snapshots
from stackbook.errors import StackbookError
from stackbook.execute import Outcome
from stackbook.runbooks import Runbook

from .builders import make_runbook, shell

INIT_SCRIPT = r"""cat > /etc/init.d/tinyweb <<'SCRIPT'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          tinyweb
# Required-Start:
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:
# Short-Description: a tiny web server for the snapshot tests
### END INIT INFO
case "$1" in
  start) start-stop-daemon --start --quiet --background --make-pidfile --pidfile /run/tinyweb.pid \
           --chdir /srv/tinyweb --exec /usr/bin/python3 -- -m http.server 8000 ;;
  stop) start-stop-daemon --stop --quiet --pidfile /run/tinyweb.pid --remove-pidfile ;;
  status) start-stop-daemon --status --pidfile /run/tinyweb.pid ;;
esac
SCRIPT
chmod 755 /etc/init.d/tinyweb
mkdir -p /srv/tinyweb && echo hello > /srv/tinyweb/index.html
update-rc.d tinyweb defaults >/dev/null 2>&1
echo ran >> /root/first-ran
service tinyweb start
for i in $(seq 100); do curl -sf http://localhost:8000/ >/dev/null && break; sleep 0.1; done"""
PARAMS = 'INVENTORY = "controller=node://controller"'


@pytest.fixture
def books(tmp_path: Path, state: Path) -> Iterator[Path]:
    """Two runbooks: the first installs and starts a service, the second uses it."""
    folder = tmp_path / "runbooks"
    folder.mkdir()
    make_runbook(folder / "first.ipynb", [shell(INIT_SCRIPT)], PARAMS, title="First")
    make_runbook(folder / "second.ipynb", [shell("curl -sf http://localhost:8000/index.html >/dev/null")],
                 PARAMS, title="Second", requires=("first",))
    try:
        yield folder
    finally:
        node.down("controller")


def run(folder: Path, tmp_path: Path) -> dict[str, object]:
    """``stackbook run --snapshots first second``; the newest record."""
    argv = [sys.executable, "-m", "stackbook", "run", "first", "second", "--runbooks", str(folder),
            "--runs", str(tmp_path / "runs"), "--snapshots"]
    done = subprocess.run(argv, capture_output=True, text=True, env=os.environ.copy(), check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    newest = sorted((Path(os.environ["STACKBOOK_RESULTS"])).glob("*/*.json"))[-1]
    record: dict[str, object] = json.loads(newest.read_text())
    newest.unlink()  # the next run's record is the only one then
    return record


def on_node(command: str) -> str:
    """What ``command`` prints on the node."""
    made = node.load("controller")
    assert made is not None
    return node.target_for(made).run("sh", "-c", command).stdout


def edit(book: Path, line: str) -> None:
    """Add a step to ``book`` (a new step changes what it does)."""
    nb = nbformat.read(book, as_version=4)
    nb.cells.append(shell(line))
    nbformat.write(nb, book)


def ran(record: dict[str, object]) -> list[str]:
    return [str(b["runbook"]) for b in record["runbooks"]]  # type: ignore[attr-defined,index]


@pytest.mark.node
def test_editing_the_last_runbook_restores_the_first_with_its_service(books: Path, tmp_path: Path) -> None:
    cold = run(books, tmp_path)
    assert ran(cold) == ["first", "second"] and cold["restored_from"] is None
    assert len(snapshots.load_all()) == 2
    assert "tinyweb" in next(s for s in snapshots.load_all().values() if s.runbooks == ("first",)).services

    edit(books / "second.ipynb", "curl -sf http://localhost:8000/ >/dev/null")
    warm = run(books, tmp_path)
    assert ran(warm) == ["second"]
    assert warm["status"] == "passed"
    assert warm["restored_from"]["runbooks"] == ["first"]  # type: ignore[index]
    assert on_node("cat /root/first-ran") == "ran\n"  # restored, not run again on the fresh node
    assert on_node("curl -sf http://localhost:8000/index.html") == "hello\n"  # the service runs again
    assert on_node("service tinyweb status >/dev/null && echo up") == "up\n"

    edit(books / "first.ipynb", "true")
    again = run(books, tmp_path)
    assert ran(again) == ["first", "second"] and again["restored_from"] is None


@pytest.mark.node
def test_a_later_snapshot_holds_only_what_changed_and_restores_whole(books: Path, tmp_path: Path) -> None:
    edit(books / "second.ipynb", "echo second > /root/second-ran && rm /root/first-ran")
    run(books, tmp_path)
    found = snapshots.load_all().values()
    first = next(s for s in found if s.runbooks == ("first",))
    second = next(s for s in found if s.runbooks == ("first", "second"))
    assert second.below[0] == first.key  # stacked on the first, not a second copy of it
    assert second.bytes < first.bytes / 2
    resume.restore("controller", second.platform, second, lambda _: None)
    assert on_node("cat /root/second-ran; test -e /root/first-ran && echo still there || echo gone") == "second\ngone\n"
    assert on_node("curl -sf http://localhost:8000/index.html") == "hello\n"  # the first's service, from below


@pytest.mark.node
def test_a_restored_node_leaves_nothing_when_it_goes(books: Path, tmp_path: Path) -> None:
    run(books, tmp_path)
    edit(books / "second.ipynb", "true")
    run(books, tmp_path)
    made = node.load("controller")
    assert made is not None and made.overlay and made.layers
    node.down("controller")
    mounts = Path("/proc/self/mountinfo").read_text()
    assert str(made.dir) not in mounts
    assert made.netns not in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert not made.dir.exists()
    assert snapshots.load_all()  # the snapshots stay for the next run


def test_node_name_needs_a_single_test_node() -> None:
    assert resume.node_name({"controller": "node://ctl"}) == "ctl"
    with pytest.raises(StackbookError, match="one test node"):
        resume.node_name({"controller": "ssh://root@10.0.0.11"})


def test_no_snapshot_after_a_runbook_that_did_not_pass_or_any_later_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # --keep-going runs a runbook that does not need the failed one: its key would claim the failed one passed.
    books = [Runbook(n, Path(f"{n}.ipynb"), n, (), ("controller",), {}) for n in ("a", "b", "c", "d")]
    taken: list[tuple[str, ...]] = []

    def take(made: node.Node, key: str, names: tuple[str, ...], cap: int,
             last: resume.Taken | None) -> tuple[SimpleNamespace, None]:
        taken.append(tuple(names))
        return SimpleNamespace(bytes=0), None

    monkeypatch.setattr(resume, "take", take)
    said: list[str] = []
    taker = resume._Taker(node.Node("controller", 1, 0), books, ["ka", "kb", "kc", "kd"], 1 << 30, said.append)
    for book, status in zip(books, ["passed", "failed", "passed", "differs"], strict=True):
        taker(book, Outcome(book.name, status))
    assert taken == [("a",)]
    assert said[1:] == ["no snapshot after c: b did not pass before it"]


@pytest.mark.node
def test_overlay_nodes_link_like_any_other(state: Path) -> None:
    # An overlay node's root is mounted inside the node only: its /etc/hosts is reached through its init.
    first, _ = node.up("sitea", layers=[]), node.up("siteb", layers=[])
    try:
        addresses = node.link("sitea", "siteb")
        a = node.target_for(first)
        assert a.run("getent", "hosts", "siteb").stdout.split() == [addresses["siteb"], "siteb"]
        assert a.run("ping", "-c1", "-W3", "siteb").ok
        node.down("siteb")
        assert not a.run("getent", "hosts", "siteb").ok
    finally:
        node.down("sitea")
        node.down("siteb")
