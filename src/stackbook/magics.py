"""Jupyter cell magics for runbooks: thin adapters over stackbook.steps."""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from stackbook import inventory, secrets, steps
from stackbook.errors import InventoryError, StackbookError
from stackbook.targets import Target, parse_target

INVENTORY_VAR = "INVENTORY"


class Context:
    """The kernel's view: its parameters, the inventory and the secrets."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self._targets: dict[str, Target] = {}

    @property
    def inventory_spec(self) -> str:
        """The INVENTORY parameter, or the default test node."""
        return str(self.namespace.get(INVENTORY_VAR) or inventory.DEFAULT)

    def variables(self) -> dict[str, str]:
        """Upper-case string and number parameters, with secrets filled in."""
        found = {
            name: str(value) for name, value in self.namespace.items()
            if name.isupper() and not name.startswith("_") and isinstance(value, (str, int, float))
        }
        names = sorted(n for n in found if secrets.is_secret(n))
        given = {n: found[n] for n in names if found[n]}
        store = secrets.store_path(self.inventory_spec)
        filled = secrets.resolve(store, names, given)
        found.update(filled)
        return found

    def secret_values(self, variables: dict[str, str]) -> dict[str, str]:
        """Only the secrets among ``variables``."""
        return {n: v for n, v in variables.items() if secrets.is_secret(n)}

    def target(self, role: str) -> Target:
        """The target for ``role`` from the inventory."""
        roles = inventory.load(self.inventory_spec)
        if role not in roles:
            known = ", ".join(sorted(roles)) or "none"
            raise InventoryError(f"role {role!r} is not in the inventory (roles: {known}); "
                                 f"add {role}=URL to {INVENTORY_VAR}")
        url = roles[role]
        if url not in self._targets:
            self._targets[url] = parse_target(url)
        return self._targets[url]


def _args(line: str, spec: list[tuple[str, dict[str, Any]]], magic: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"%%{magic}", add_help=False, exit_on_error=False)
    for name, options in spec:
        parser.add_argument(name, **options)
    try:
        return parser.parse_args(shlex.split(line))
    except (argparse.ArgumentError, SystemExit) as exc:
        raise StackbookError(f"%%{magic} {line}: {exc}; usage: {parser.format_usage().strip()}") from None


def _echo(values: dict[str, str]) -> steps.Echo:
    def echo(line: str) -> None:
        print(secrets.scrub(line, values), flush=True)

    return echo


def on(ctx: Context, line: str, cell: str) -> None:
    """%%on ROLE: run the cell as bash on ROLE's target."""
    args = _args(line, [("role", {})], "on")
    variables = ctx.variables()
    target = ctx.target(args.role)
    steps.shell(target, f"{args.role} ({target.url})", cell, variables, _echo(ctx.secret_values(variables)))


def ini_cell(ctx: Context, line: str, cell: str) -> None:
    """%%ini ROLE PATH [--if-exists]: merge the cell's INI fragment into PATH on ROLE."""
    args = _args(line, [("role", {}), ("path", {}), ("--if-exists", {"action": "store_true"})], "ini")
    variables = ctx.variables()
    target = ctx.target(args.role)
    fragment = steps.expand(cell, variables, f"%%ini {line}")
    account = steps.ini_merge(target, f"{args.role} ({target.url})", args.path, fragment, args.if_exists)
    _echo(ctx.secret_values(variables))(account)


def write_cell(ctx: Context, line: str, cell: str) -> None:
    """%%write ROLE PATH [--mode MODE]: write the cell, variables expanded, to PATH on ROLE."""
    args = _args(line, [("role", {}), ("path", {}), ("--mode", {"default": ""})], "write")
    variables = ctx.variables()
    target = ctx.target(args.role)
    text = steps.expand(cell, variables, f"%%write {line}")
    text = text if text.endswith("\n") else text + "\n"
    steps.write(target, f"{args.role} ({target.url})", args.path, text, args.mode)
    print(f"wrote {args.path} ({len(text.splitlines())} lines)")


def _show_error(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> Any:
    """Show stackbook errors as their message, without a Python traceback.

    IPython discards what a custom handler returns; publishing it through
    ``_showtraceback`` is what makes the kernel report an error output (and papermill stop).
    """
    stb = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def register(ipython: Any) -> None:
    """Register %%on, %%ini and %%write with an IPython shell."""
    ctx = Context(ipython.user_ns)
    for name, func in (("on", on), ("ini", ini_cell), ("write", write_cell)):
        ipython.register_magic_function(
            lambda line, cell, f=func: f(ctx, line, cell), magic_kind="cell", magic_name=name
        )
    ipython.set_custom_exc((StackbookError,), _show_error)
