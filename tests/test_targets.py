from __future__ import annotations

from pathlib import Path

import pytest

from stackbook import targets
from stackbook.errors import InvalidTarget, UnknownScheme
from stackbook.targets import LocalTarget, SshTarget, build_ssh_argv, parse_target


@pytest.mark.parametrize(
    ("spec", "host", "user", "port"),
    [
        ("ssh://root@controller", "controller", "root", 22),
        ("ssh://admin@10.0.0.11:2222", "10.0.0.11", "admin", 2222),
        ("ssh://controller", "controller", "root", 22),
        ("ssh://ops@[fd00::11]:22", "fd00::11", "ops", 22),
    ],
)
def test_parse_ssh(spec: str, host: str, user: str, port: int) -> None:
    target = parse_target(spec)
    assert isinstance(target, SshTarget)
    assert (target.host, target.user, target.port, target.url) == (host, user, port, spec)


def test_parse_local() -> None:
    assert isinstance(parse_target("local://"), LocalTarget)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("controller", "not a target URL"),
        ("ssh://", "need a host"),
        ("ssh://root@host:port", "bad port"),
        ("local://somewhere", "takes no host"),
        ("node://", "name the node"),
    ],
)
def test_parse_invalid(spec: str, message: str) -> None:
    with pytest.raises(InvalidTarget, match=message):
        parse_target(spec)


def test_unknown_scheme_lists_valid_ones() -> None:
    with pytest.raises(UnknownScheme) as caught:
        parse_target("docker://controller")
    assert "local://, node://, ssh://" in str(caught.value)


def test_ssh_argv_is_batch_with_timeout_and_shared_connection() -> None:
    argv = build_ssh_argv("10.0.0.11", "root", 2222, ("-i", "key"), "hostname")
    joined = " ".join(argv)
    for option in ("BatchMode=yes", "ConnectTimeout=5", "ControlMaster=auto", "ControlPersist=60"):
        assert option in joined
    assert argv[-3:] == ["root@10.0.0.11", "--", "hostname"]
    assert argv[argv.index("-p") + 1] == "2222"


def test_local_target_runs_with_stdin() -> None:
    result = LocalTarget().run("sh", "-c", 'read line; echo "got $line"; exit 3', input="hello\n")
    assert (result.rc, result.stdout, result.ok) == (3, "got hello\n", False)
    assert result.command == "sh -c 'read line; echo \"got $line\"; exit 3'"


def test_hosts_text_adds_names_and_replaces_earlier_lines_for_them() -> None:
    current = "127.0.0.1\tlocalhost\n10.0.0.5\tcontroller ctl\n"
    assert targets.hosts_text(current, [("controller", "10.213.1.2"), ("siteb", "10.213.2.2")]) == (
        "127.0.0.1\tlocalhost\n10.213.1.2\tcontroller\n10.213.2.2\tsiteb\n")


def test_local_target_with_hosts_resolves_them_without_touching_etc_hosts() -> None:
    before = Path("/etc/hosts").read_text()
    name = "stackbook-test-host-name"
    target = targets.LocalTarget(hosts=((name, "10.254.254.254"),))
    result = target.run("getent", "hosts", name)
    assert result.ok, result.stderr
    assert result.stdout.split() == ["10.254.254.254", name]
    assert Path("/etc/hosts").read_text() == before
    assert not targets.LocalTarget().run("getent", "hosts", name).ok
