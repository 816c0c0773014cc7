"""Benchmark: runbooks through stackbook vs the same commands as one plain bash script.

Two fresh test nodes, one after the other (2 cores: running them side by side would measure
contention): node A runs the runbooks with `stackbook run`; node B gets the same cell
bodies, INI merges and files as one bash script over a single ssh call. Prints both wall
times and their ratio (goal: stackbook <= 1.10x the plain script).
"""

from __future__ import annotations

import inspect
import json
import os
import secrets as random
import sys
import tempfile
import time
from pathlib import Path
from typing import NoReturn

import nbformat

from stackbook import ini, node, platforms, process, secrets, steps
from stackbook.secrets import is_secret
from stackbook.sphinxext import cells

ROOT = Path(__file__).resolve().parent.parent
RUNBOOKS = sys.argv[1:] or ["environment", "database-user", "keystone"]
PLATFORM = platforms.get()  # the default platform, where both nodes are made


MARK = "__stackbook_bench_mark__"


def plain_script(values: dict[str, str], names: list[str] | None = None, mark: str | None = None) -> str:
    """One bash script with every cell of the runbooks, as an operator would paste them.

    Wrapped by the same ``steps.script`` the %%on magic uses (strict mode, the parameters,
    stdin from /dev/null), so both sides run the same shell preamble.
    """
    parts: list[str] = []
    merge = inspect.getsource(ini).replace("from stackbook.errors import StackbookError", "StackbookError = Exception")
    parts.append(f"cat > /tmp/inimerge.py <<'INI_PY'\n{merge}\nimport sys\np = sys.argv[1]\n"
                 "old = open(p).read() if __import__('os').path.exists(p) else ''\n"
                 "open(p, 'w').write(merge(old, sys.stdin.read()))\nINI_PY")
    for name in names if names is not None else RUNBOOKS:
        if name == mark:  # the time when this runbook's steps begin, and (below) when all end
            parts.append(f'echo "{MARK} $(date +%s.%N)"')
        nb = nbformat.read(ROOT / "runbooks" / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            magic = cells.parse_magic(cell.source) if cell.cell_type == "code" else None
            if magic is None or (magic.only and PLATFORM.name not in magic.only):
                continue  # not a step, or a step for other releases (the magic skips it too)
            body = cells.body(cell.source)
            if magic.kind == "on":
                parts.append(body)
            elif magic.kind == "copy":
                # One host here: the copy is a local one.
                parts.append(f"install -D {'-m ' + magic.mode + ' ' if magic.mode else ''}"
                             f"{magic.source_path} {magic.path}")
            elif magic.kind == "ini":
                text = steps.expand(body, values, magic.path)
                parts.append(f"python3 /tmp/inimerge.py {magic.path} <<'INI_FRAGMENT'\n{text}\nINI_FRAGMENT")
            else:
                text = steps.expand(body, values, magic.path)
                parts.append(f"cat > {magic.path} <<'FILE_BODY'\n{text}\nFILE_BODY")
                if magic.mode:
                    parts.append(f"chmod {magic.mode} {magic.path}")
    if mark is not None:
        parts.append(f'echo "{MARK} $(date +%s.%N)"')
    return steps.script("\n".join(parts), values)


def parameters(names: list[str] | None = None) -> dict[str, str]:
    """Every parameter of the runbooks; secrets generated here and given to both sides."""
    from stackbook import runbooks

    values: dict[str, str] = {}
    for name in names if names is not None else RUNBOOKS:
        for key, default in runbooks.load(ROOT / "runbooks" / f"{name}.ipynb").parameters.items():
            if key != "INVENTORY":
                values[key] = random.token_hex(12) if is_secret(key) else str(default)
    return values


def options(values: dict[str, str], folder: Path) -> list[str]:
    """The ``-p`` options for ``values`` without their secrets: those go into a secrets file in
    ``folder`` (mode 0600) that stackbook, its kernels included, reads through $STACKBOOK_SECRETS_FILE.
    A secret on a command line shows in ``ps`` to every user of the host."""
    path = folder / "secrets.json"
    secrets.save(path, {k: v for k, v in values.items() if is_secret(k)})
    os.environ[secrets.FILE_ENV] = str(path)
    return [f"-p{k}={v}" for k, v in values.items() if not is_secret(k)]


def failed(what: str, output: str, values: dict[str, str]) -> NoReturn:
    """Stop with the end of ``output``, the secrets among ``values`` replaced by their names."""
    hidden = {k: v for k, v in values.items() if is_secret(k)}
    sys.exit(f"{what} failed:\n{secrets.scrub(output[-3000:], hidden)}")


def fresh_node(state: Path) -> node.Node:
    """A new node named controller in its own state folder."""
    os.environ["STACKBOOK_STATE"] = str(state)
    return node.up("controller", PLATFORM.name)


def main() -> None:
    """Run both sides and print the figures."""
    values = parameters()
    with tempfile.TemporaryDirectory(prefix="stackbook-bench-") as scratch:
        base = Path(scratch)
        made = fresh_node(base / "a")
        try:
            params = options(values, base)
            began = time.monotonic()
            result = process.run([sys.executable, "-m", "stackbook", "run", *RUNBOOKS, "--runs",
                                  str(base / "runs"), *params])
            through_stackbook = time.monotonic() - began
            if not result.ok:
                failed("stackbook run", result.stderr, values)
            summary = json.loads(next((base / "runs").glob("*/summary.json")).read_text())
            in_cells = sum(c["seconds"] for r in summary["runbooks"] for c in r["cells"])
        finally:
            node.down(made.name)
        made = fresh_node(base / "b")
        try:
            target = node.target_for(made)
            began = time.monotonic()
            plain = target.run("bash", "-s", input=plain_script(values))
            as_script = time.monotonic() - began
            if not plain.ok:
                failed("plain script", plain.stdout, values)
        finally:
            node.down(made.name)
    print(f"runbooks: {', '.join(RUNBOOKS)} on fresh {PLATFORM.label} test nodes (load average now: "
          f"{os.getloadavg()[0]:.1f}; figures are only comparable on an otherwise idle machine)")
    print(f"  through stackbook (papermill, kernel, ssh per cell): {through_stackbook:7.1f} s")
    print(f"    of which inside cells (commands, ssh, magics):     {in_cells:7.1f} s")
    print(f"    kernels, papermill, checks, CLI start:             {through_stackbook - in_cells:7.1f} s")
    print(f"  same commands as one bash script over ssh:           {as_script:7.1f} s")
    ratio = through_stackbook / as_script
    print(f"  ratio stackbook / plain script:                      {ratio:7.2f}x (goal <= 1.10x)")


if __name__ == "__main__":
    main()
