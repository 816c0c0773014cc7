"""``{controller-services}``: the controller's services, their ports, the HTTPS port of each that
the TLS runbook serves over HTTPS, and the runbook that sets each up.

The services are declared in ``runbooks/services.toml``. An API's ports are not: they are read
from the port list the TLS runbook writes (its ``%%write`` cell for that file), so the page
shows what the runbook does. The data file is checked against the runbooks: every runbook it
names exists, and every API in the port list has a row.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from nbformat import NotebookNode
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from stackbook import magicline, runbooks
from stackbook.errors import DataFileError, StackbookError
from stackbook.sphinxext import installpath
from stackbook.sphinxext.cells import body
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.languages import language
from stackbook.sphinxext.matrix import NONE
from stackbook.sphinxext.tables import Cell, row, table

DATA_FILE = "services.toml"  # in the runbooks' folder
FIELDS: dict[str, type] = {"name": str, "runbook": str, "type": str, "port": int, "https_port": int}


@dataclass(frozen=True)
class Service:
    """One service on the controller, as the table shows it."""

    name: str
    runbook: str
    port: int
    https_port: int | None = None
    type: str = ""  # its service type in the catalog, for an API


@dataclass(frozen=True)
class Declared:
    """What ``services.toml`` says: where the TLS runbook's port list is, and the services."""

    tls_runbook: str
    ports_file: str
    services: tuple[Mapping[str, Any], ...]


def _entry(raw: object, path: object) -> Mapping[str, Any]:
    if not isinstance(raw, dict) or not {"name", "runbook"} <= set(raw):
        raise DataFileError(path, f"each [[service]] needs a name and a runbook, found {raw!r}")
    for key, value in raw.items():
        wanted = FIELDS.get(key)
        if wanted is None or not isinstance(value, wanted):
            allowed = ", ".join(f"{k} ({t.__name__})" for k, t in FIELDS.items())
            raise DataFileError(path, f"service {raw['name']!r}: {key} = {value!r} is not one of: {allowed}")
    if ("type" in raw) == ("port" in raw):
        raise DataFileError(path, f"service {raw['name']!r}: give either type (an API, its ports from the TLS "
                                  "runbook's port list) or port (any other service), not both or neither")
    return raw


def parse(text: str, path: object) -> Declared:
    """Pure: the declarations in a ``services.toml`` text (``path`` names it in errors)."""
    try:
        data = tomllib.loads(text)
        tls = data["tls"]
        return Declared(str(tls["runbook"]), str(tls["ports_file"]),
                        tuple(_entry(raw, path) for raw in data.get("service", [])))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, f"not valid TOML: {exc}") from None
    except (KeyError, TypeError) as exc:
        raise DataFileError(path, f"needs a [tls] table with runbook and ports_file (missing {exc})") from None


def ports_list(text: str) -> dict[str, tuple[int, int]]:
    """Pure: the TLS runbook's port list: service type -> (plain port, HTTPS port)."""
    found = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) == 3 and words[1].isdigit() and words[2].isdigit():
            found[words[0]] = (int(words[1]), int(words[2]))
    return found


def written(nb: NotebookNode, path: str) -> str | None:
    """Pure: what the runbook's ``%%write`` cell for ``path`` writes (None when it has none)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            magic = magicline.parse_cell(cell.source)
        except StackbookError:
            continue
        if magic is not None and magic.kind == "write" and magic.path == path:
            return body(cell.source)
    return None


def _service(raw: Mapping[str, Any], ports: Mapping[str, tuple[int, int]], declared: Declared,
             path: object) -> Service:
    kind = str(raw.get("type", ""))
    if not kind:
        return Service(raw["name"], raw["runbook"], raw["port"], raw.get("https_port"))
    if kind not in ports:
        raise DataFileError(path, f"service {raw['name']!r}: type {kind!r} is not in {declared.ports_file} of "
                                  f"the {declared.tls_runbook} runbook; add it there, or give its port instead")
    return Service(raw["name"], raw["runbook"], ports[kind][0], ports[kind][1], kind)


def resolve(declared: Declared, ports: Mapping[str, tuple[int, int]], known: Collection[str],
            path: object) -> list[Service]:
    """Pure: the table's services, each API's ports from the TLS runbook's list; DataFileError for a
    runbook that does not exist or an API of the list without a row."""
    for raw in declared.services:
        if raw["runbook"] not in known:
            raise DataFileError(path, f"service {raw['name']!r}: no runbook named {raw['runbook']!r}; "
                                      f"known: {', '.join(sorted(known))}")
    found = [_service(raw, ports, declared, path) for raw in declared.services]
    missing = sorted(set(ports) - {s.type for s in found})
    if missing:
        raise DataFileError(path, f"{declared.ports_file} of the {declared.tls_runbook} runbook lists "
                                  f"{', '.join(missing)}, which no [[service]] names; add a service with that type")
    return found


def _runbook_link(name: str, docname: str) -> list[nodes.Node]:
    ref = addnodes.pending_xref("", nodes.inline("", name), refdomain="std", reftype="doc",
                                reftarget=f"/{installpath.FOLDER}/{name}", refexplicit=False, refdoc=docname)
    return [nodes.paragraph("", "", ref)]


def cells(found: Service, docname: str) -> list[Cell]:
    """Pure: a row: service, its type in the catalog, port, HTTPS port, the runbook (titled as its page)."""
    https = str(found.https_port) if found.https_port else NONE
    return [found.name, f"`{found.type}`" if found.type else NONE, str(found.port), https,
            _runbook_link(found.runbook, docname)]


def services_table(found: Sequence[Service], lang: str, docname: str) -> nodes.table:
    """The table of the controller's services; rows served over HTTPS have the class sb-https."""
    header = [label(lang, key) for key in ("service", "service_type", "port", "https_port", "set_up_by")]
    rows = [row(cells(s, docname), ["sb-https"] if s.https_port else []) for s in found]
    return table(header, rows, ["sb-services"])


def read(folder: Path, known: Mapping[str, Path]) -> list[Service]:
    """The services declared in ``folder``'s services.toml, checked against the runbooks ``known``."""
    path = folder / DATA_FILE
    try:
        declared = parse(path.read_text(encoding="utf-8"), path)
    except FileNotFoundError:
        raise DataFileError(path, "missing: the What you build page reads the controller's services from it") from None
    if declared.tls_runbook not in known:
        raise DataFileError(path, f"[tls] runbook: no runbook named {declared.tls_runbook!r}")
    text = written(runbooks.read(known[declared.tls_runbook]), declared.ports_file)
    if text is None:
        raise DataFileError(path, f"the {declared.tls_runbook} runbook has no %%write cell for "
                                  f"{declared.ports_file}; fix [tls] ports_file")
    return resolve(declared, ports_list(text), known, path)


class ControllerServices(SphinxDirective):
    """``{controller-services}``: the table of the controller's services, from runbooks/services.toml."""

    def run(self) -> list[nodes.Node]:
        """Read the data file and the TLS runbook, check them, and build the table."""
        paths = installpath.runbook_paths(self.env)
        known = {path.stem: path for path in paths.values()}
        folder = Path(self.env.srcdir) / installpath.FOLDER
        for path in [folder / DATA_FILE, *known.values()]:
            self.env.note_dependency(str(path))
        try:
            found = read(folder, known)
        except StackbookError as exc:
            raise self.error(str(exc)) from None
        return [services_table(found, language(self.config), self.env.docname)]
