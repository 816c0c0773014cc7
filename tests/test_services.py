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
    script = services.start_script([["mariadb", "odd name"]])
    assert "service mariadb start" in script
    assert "service 'odd name' start" in script
    assert script.count("|| echo failed:") == 3


def test_start_script_loads_an_enabled_firewall_first() -> None:
    first = services.start_script([["mariadb"]]).splitlines()[0]
    assert "nftables.service" in first and "nft -f /etc/nftables.conf" in first


HEADERS = f"""{services.MARK} mariadb
### BEGIN INIT INFO
# Provides:          mariadb
# Required-Start:    $remote_fs $syslog
# Should-Start:      $network $named $time
### END INIT INFO
{services.MARK} rabbitmq-server
### BEGIN INIT INFO
# Provides:          rabbitmq-server
# Required-Start:    $remote_fs $network
### END INIT INFO
{services.MARK} keystone
### BEGIN INIT INFO
# Provides:          keystone
# Required-Start:    $network $local_fs $remote_fs $syslog
# Should-Start:      postgresql mysql keystone rabbitmq-server ntp
### END INIT INFO
{services.MARK} heat-api
### BEGIN INIT INFO
# Provides:          heat-api
# Should-Start:      postgresql mysql keystone rabbitmq-server ntp
### END INIT INFO
{services.MARK} apache2
### BEGIN INIT INFO
# Provides:          apache2 httpd
# Required-Start:    $local_fs $remote_fs $network $syslog $named
### END INIT INFO
"""


def test_dependencies_read_lsb_headers_resolve_aliases_and_drop_facilities_and_absent_names() -> None:
    needs = services.dependencies(HEADERS)
    assert needs["mariadb"] == set() and needs["apache2"] == set()
    assert needs["keystone"] == {"mariadb", "rabbitmq-server"}  # "mysql" is mariadb; itself and ntp dropped
    assert needs["heat-api"] == {"mariadb", "rabbitmq-server", "keystone"}


def test_waves_start_a_service_after_what_it_needs_and_the_rest_together() -> None:
    names = ["apache2", "heat-api", "keystone", "mariadb", "rabbitmq-server"]
    assert services.waves(names, services.dependencies(HEADERS)) == [
        ["apache2", "mariadb", "rabbitmq-server"], ["keystone"], ["heat-api"]]
    assert services.waves(["a", "b"], {}) == [["a", "b"]]


def test_waves_break_a_cycle_in_the_given_order() -> None:
    assert services.waves(["a", "b", "c"], {"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a"], ["b", "c"]]


def test_start_script_starts_each_wave_together_and_waits_before_the_next() -> None:
    lines = services.start_script([["mariadb", "memcached"], ["keystone"]]).splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("( service ")]
    waits = [i for i, line in enumerate(lines) if line == "wait"]
    assert len(starts) == 3 and all(lines[i].endswith(" &") for i in starts)
    assert starts[1] < waits[0] < starts[2] < waits[1]
