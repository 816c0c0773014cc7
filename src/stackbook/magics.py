"""Jupyter cell magics for runbooks: thin adapters over stackbook.steps."""

from __future__ import annotations

import socket
from collections.abc import Iterable
from typing import Any

from stackbook import inventory, magicline, platforms, secrets, steps
from stackbook.errors import InventoryError, StackbookError
from stackbook.magicline import MagicLine
from stackbook.targets import LocalTarget, SshTarget, Target, parse_target

INVENTORY_VAR = "INVENTORY"


class Context:
    """The kernel's view: its parameters, the inventory and the secrets."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self._targets: dict[str, Target] = {}
        self._platforms: dict[str, platforms.Platform] = {}

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
        # The same store as `stackbook run` for the same hosts: keyed by the inventory's normal form.
        store = secrets.store_path(inventory.dump(inventory.load(self.inventory_spec)))
        filled = secrets.resolve(store, names, given)
        found.update(filled)
        return found

    def secret_values(self, variables: dict[str, str]) -> dict[str, str]:
        """Only the secrets among ``variables``."""
        return {n: v for n, v in variables.items() if secrets.is_secret(n)}

    def target(self, role: str) -> Target:
        """The target for ``role`` from the inventory."""
        roles = inventory.effective(inventory.load(self.inventory_spec))
        if role not in roles:
            known = ", ".join(sorted(roles)) or "none"
            raise InventoryError(f"role {role!r} is not in the inventory (roles: {known}); "
                                 f"add {role}=URL to {INVENTORY_VAR}")
        url = roles[role]
        if url not in self._targets:
            target = parse_target(url)
            if isinstance(target, LocalTarget):
                target = LocalTarget(target.url, node_hosts(roles.values()))
            self._targets[url] = target
        return self._targets[url]

    def platform(self, target: Target) -> platforms.Platform:
        """The platform ``target`` runs, read from its /etc/os-release once."""
        if target.url not in self._platforms:
            result = target.run("cat", "/etc/os-release")
            self._platforms[target.url] = platforms.from_os_release(result.stdout)
        return self._platforms[target.url]

    def skipped(self, magic: MagicLine, target: Target) -> bool:
        """True (and says so) when the step is for other releases than ``target``'s."""
        if not magic.only:
            return False
        platform = self.platform(target)
        if magic.applies_to(platform.name):
            return False
        print(f"not run: this step is for {', '.join(magic.only)}; {magic.role} runs {platform.name}")
        return True


def node_hosts(urls: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(name, address) of each test node among ``urls`` that this machine cannot resolve by name:
    its local steps reach a node by the node's name, as they would a controller in DNS."""
    found = []
    for url in urls:
        if not url.startswith("node://"):
            continue
        target = parse_target(url)
        name = url.removeprefix("node://").strip("/")
        try:
            socket.getaddrinfo(name, None)
        except OSError:
            found.append((name, target.host if isinstance(target, SshTarget) else name))
    return tuple(found)


def _echo(values: dict[str, str]) -> steps.Echo:
    def echo(line: str) -> None:
        print(secrets.scrub(line, values), flush=True)

    return echo


def on(ctx: Context, line: str, cell: str) -> None:
    """%%on ROLE [--only PLATFORMS]: run the cell as bash on ROLE's target."""
    args = magicline.parse("on", line)
    target = ctx.target(args.role)
    if ctx.skipped(args, target):
        return
    variables = ctx.variables()
    steps.shell(target, f"{args.role} ({target.url})", cell, variables, _echo(ctx.secret_values(variables)))


def ini_cell(ctx: Context, line: str, cell: str) -> None:
    """%%ini ROLE PATH [--if-exists] [--only PLATFORMS]: merge the cell's INI fragment into PATH on ROLE."""
    args = magicline.parse("ini", line)
    target = ctx.target(args.role)
    if ctx.skipped(args, target):
        return
    variables = ctx.variables()
    fragment = steps.expand(cell, variables, f"%%ini {line}")
    account = steps.ini_merge(target, f"{args.role} ({target.url})", args.path, fragment, args.if_exists)
    _echo(ctx.secret_values(variables))(account)


def write_cell(ctx: Context, line: str, cell: str) -> None:
    """%%write ROLE PATH [--mode MODE] [--only PLATFORMS]: write the cell, variables expanded, to PATH on ROLE."""
    args = magicline.parse("write", line)
    target = ctx.target(args.role)
    if ctx.skipped(args, target):
        return
    variables = ctx.variables()
    text = steps.expand(cell, variables, f"%%write {line}")
    text = text if text.endswith("\n") else text + "\n"
    steps.write(target, f"{args.role} ({target.url})", args.path, text, args.mode)
    print(f"wrote {args.path} ({len(text.splitlines())} lines)")


def copy_cell(ctx: Context, line: str, cell: str) -> None:
    """%%copy ROLE PATH --from ROLE:PATH [--mode MODE] [--only PLATFORMS]: copy a file from one
    host to another through this kernel; its content is never shown. The cell's body (IPython
    wants one) says what the file is: the page shows it, nothing runs it."""
    args = magicline.parse("copy", line)
    target, source = ctx.target(args.role), ctx.target(args.source_role)
    if ctx.skipped(args, target):
        return
    if not steps.exists(source, args.source_path):
        raise StackbookError(f"%%copy {line}: {args.source_path} does not exist on {args.source_role} "
                             f"({source.url}); run the step that makes it first")
    text = steps.read(source, args.source_path)
    steps.write(target, f"{args.role} ({target.url})", args.path, text, args.mode)
    print(f"copied {args.source_path} from {args.source_role} to {args.path} on {args.role} "
          f"({len(text.splitlines())} lines)")


def _show_error(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> Any:
    """Show stackbook errors as their message, without a Python traceback.

    IPython discards what a custom handler returns; publishing it through
    ``_showtraceback`` is what makes the kernel report an error output (and papermill stop).
    """
    stb = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def register(ipython: Any) -> None:
    """Register %%on, %%ini, %%write and %%copy with an IPython shell."""
    ctx = Context(ipython.user_ns)
    for name, func in (("on", on), ("ini", ini_cell), ("write", write_cell), ("copy", copy_cell)):
        ipython.register_magic_function(
            lambda line, cell, f=func: f(ctx, line, cell), magic_kind="cell", magic_name=name
        )
    ipython.set_custom_exc((StackbookError,), _show_error)
