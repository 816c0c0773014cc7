"""The controller's services: runbooks/services.toml, checked against the runbooks, as a table."""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes
from nbformat import v4
from sphinx import addnodes

from builders import make_runbook
from stackbook import runbooks
from stackbook.errors import DataFileError
from stackbook.sphinxext import services
from stackbook.sphinxext.services import Service

ROOT = Path(__file__).resolve().parent.parent
PORTS = "# service-type  plain-port  tls-port\nidentity 5000 13000\n\nimage  9292  13292  # Glance\n"
TOML = """\
[tls]
runbook = "tls-endpoints"
ports_file = "/etc/apache2/openstack-tls-ports"

[[service]]
name = "MariaDB"
runbook = "environment"
port = 3306

[[service]]
name = "Keystone"
runbook = "keystone"
type = "identity"

[[service]]
name = "Glance"
runbook = "glance"
type = "image"

[[service]]
name = "Horizon"
runbook = "horizon"
port = 80
https_port = 443
"""
KNOWN = ("environment", "keystone", "glance", "horizon", "tls-endpoints")


def test_ports_list() -> None:
    assert services.ports_list(PORTS) == {"identity": (5000, 13000), "image": (9292, 13292)}


def test_resolve_reads_the_apis_ports_from_the_tls_runbook() -> None:
    assert services.resolve(services.parse(TOML, "services.toml"), services.ports_list(PORTS), KNOWN, "x") == [
        Service("MariaDB", "environment", 3306),
        Service("Keystone", "keystone", 5000, 13000, "identity"),
        Service("Glance", "glance", 9292, 13292, "image"),
        Service("Horizon", "horizon", 80, 443),
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("[tls]\nrunbook = 'tls-endpoints'\n", "needs a [tls] table with runbook and ports_file"),
    ("[tls\n", "not valid TOML"),
    (TOML + '[[service]]\nname = "X"\nrunbook = "keystone"\n', "service 'X': give either type"),
    (TOML + '[[service]]\nname = "X"\nrunbook = "keystone"\nport = 1\ntype = "image"\n', "not both or neither"),
    (TOML + '[[service]]\nname = "X"\nrunbook = "keystone"\nport = "80"\n', "port = '80' is not one of"),
    (TOML + '[[service]]\nname = "X"\nrunbook = "keystone"\nprot = 80\n', "prot = 80 is not one of"),
    (TOML + '[[service]]\nrunbook = "keystone"\nport = 80\n', "needs a name and a runbook"),
])
def test_parse_says_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(DataFileError, match=r"^services\.toml: ") as found:
        services.parse(text, "services.toml")
    assert message in str(found.value)


@pytest.mark.parametrize(("extra", "ports", "message"), [
    ('[[service]]\nname = "X"\nrunbook = "nova"\nport = 8774\n', PORTS,
     "service 'X': no runbook named 'nova'; known: environment, glance, horizon, keystone, tls-endpoints"),
    ('[[service]]\nname = "X"\nrunbook = "heat"\ntype = "orchestration"\n', PORTS, "no runbook named 'heat'"),
    ('[[service]]\nname = "Heat"\nrunbook = "glance"\ntype = "orchestration"\n', PORTS,
     "type 'orchestration' is not in /etc/apache2/openstack-tls-ports of the tls-endpoints runbook"),
    ("", PORTS + "key-manager 9311 13311\n",
     "lists key-manager, which no [[service]] names; add a service with that type"),
])
def test_resolve_checks_the_data_against_the_runbooks(extra: str, ports: str, message: str) -> None:
    declared = services.parse(TOML + extra, "services.toml")
    with pytest.raises(DataFileError, match=r"^services\.toml: ") as found:
        services.resolve(declared, services.ports_list(ports), KNOWN, "services.toml")
    assert message in str(found.value)


def test_written_is_the_write_cell_for_the_file() -> None:
    nb = v4.new_notebook()
    nb.cells = [v4.new_code_cell("%%on controller\ncat /etc/apache2/openstack-tls-ports"),
                v4.new_code_cell("%%write controller /etc/other\nidentity 1 2"),
                v4.new_code_cell("%%write controller /etc/apache2/openstack-tls-ports\n" + PORTS),
                v4.new_code_cell("%%write controller --bad\nx")]
    assert services.written(nb, "/etc/apache2/openstack-tls-ports") == PORTS
    assert services.written(nb, "/etc/missing") is None


def test_read_a_folder_of_runbooks(tmp_path: Path) -> None:
    for name in KNOWN:
        cells = [v4.new_code_cell("%%write controller /etc/apache2/openstack-tls-ports\n" + PORTS)]
        make_runbook(tmp_path / f"{name}.ipynb", cells if name == "tls-endpoints" else [], 'INVENTORY = "x"')
    (tmp_path / services.DATA_FILE).write_text(TOML)
    found = services.read(tmp_path, runbooks.discover(tmp_path))
    assert [(s.name, s.port, s.https_port) for s in found] == [
        ("MariaDB", 3306, None), ("Keystone", 5000, 13000), ("Glance", 9292, 13292), ("Horizon", 80, 443)]
    (tmp_path / services.DATA_FILE).write_text(TOML.replace("openstack-tls-ports", "tls-ports"))
    with pytest.raises(DataFileError, match="has no %%write cell for /etc/apache2/tls-ports; fix"):
        services.read(tmp_path, runbooks.discover(tmp_path))
    (tmp_path / services.DATA_FILE).unlink()
    with pytest.raises(DataFileError, match="missing"):
        services.read(tmp_path, runbooks.discover(tmp_path))


def test_the_checked_in_services_agree_with_the_runbooks() -> None:
    found = services.read(ROOT / "runbooks", runbooks.discover(ROOT / "runbooks"))
    by_type = {s.type: s for s in found if s.type}
    assert (by_type["identity"].port, by_type["identity"].https_port) == (5000, 13000)
    assert {s.runbook for s in found} >= {"environment", "keystone", "glance", "heat", "barbican", "horizon"}
    assert all(s.https_port for s in found if s.type)  # every API is served over HTTPS after the TLS runbook


def test_services_table() -> None:
    found = [Service("MariaDB", "environment", 3306), Service("Keystone", "keystone", 5000, 13000, "identity")]
    table = services.services_table(found, "ko", "docs/what-you-build")
    header = [entry.astext() for entry in table.next_node(nodes.thead).findall(nodes.entry)]
    assert header == ["서비스", "서비스 유형", "포트", "HTTPS 포트", "설정하는 런북"]
    rows = list(table.next_node(nodes.tbody).findall(nodes.row))
    assert [row["classes"] for row in rows] == [[], ["sb-https"]]
    assert [entry.astext() for entry in rows[1].findall(nodes.entry)] == [
        "Keystone", "identity", "5000", "13000", "keystone"]  # the link's text becomes the page's title
    assert rows[1].next_node(nodes.literal).astext() == "identity"
    link = rows[1].next_node(addnodes.pending_xref)
    assert link["reftarget"] == "/runbooks/keystone" and link["refdoc"] == "docs/what-you-build"
