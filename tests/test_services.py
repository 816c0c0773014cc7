"""Services captured before a snapshot and started again after a restore (the pure parts)."""

from __future__ import annotations

from stackbook import services

FOUND = "running mariadb\nrunning ssh\nsomething else\nrunning apache2\nrunning tinyweb\n"


def test_running_reads_the_running_lines_and_leaves_the_nodes_sshd_out() -> None:
    assert services.running(FOUND) == ["mariadb", "apache2", "tinyweb"]


def test_start_order_follows_the_rc_links_then_names() -> None:
    links = ["README", "S01mariadb", "S02apache2", "S01ssh", "K01apache2"]
    assert services.start_order(["tinyweb", "apache2", "mariadb"], links) == ["mariadb", "apache2", "tinyweb"]
    assert services.start_order(["b", "a"], []) == ["a", "b"]


def test_listening_ports_leave_ssh_out() -> None:
    out = ("LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nLISTEN 0 5 10.213.3.2:8000 0.0.0.0:*\n"
           "LISTEN 0 80 [::]:3306 [::]:*\nLISTEN 0 80 [::]:3306 [::]:*\ngarbage\n")
    assert services.listening(out) == [3306, 8000]


def test_start_script_quotes_names_and_reports_failures() -> None:
    script = services.start_script(["mariadb", "odd name"])
    assert "service mariadb start" in script
    assert "service 'odd name' start" in script
    assert script.count("|| echo failed:") == 3


def test_start_script_loads_an_enabled_firewall_first() -> None:
    first = services.start_script(["mariadb"]).splitlines()[0]
    assert "nftables.service" in first and "nft -f /etc/nftables.conf" in first
