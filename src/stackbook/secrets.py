"""Secrets: generated once per inventory unless given, and never written in clear to outputs."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import secrets as random
import shlex
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from stackbook.errors import SecretsError, WeakSecret
from stackbook.files import write_atomic
from stackbook.paths import state_dir

# Keystone Fernet tokens are bearer credentials: never kept, whoever printed them.
FERNET_TOKEN = re.compile(r"\bgAAAAA[A-Za-z0-9_-]{40,}={0,2}")
SECRET_NAME = re.compile(r"^[A-Z][A-Z0-9_]*(PASS|PASSWORD|SECRET|TOKEN)$")
FILE_ENV = "STACKBOOK_SECRETS_FILE"
# Shorter values are refused: they would be guessed, and scrubbing them would mangle outputs.
MIN_LENGTH = 8


def is_secret(name: str) -> bool:
    """Whether a parameter name holds a secret (``ADMIN_PASS``, ``KEYSTONE_DBPASS``, ...)."""
    return bool(SECRET_NAME.match(name))


def store_path(inventory: str) -> Path:
    """The secrets file for an inventory (root-only, outside run folders and the repository)."""
    override = os.environ.get(FILE_ENV)
    if override:
        return Path(override)
    digest = hashlib.sha256(inventory.encode()).hexdigest()[:16]
    return state_dir() / "secrets" / f"{digest}.json"


def load(path: Path) -> dict[str, str]:
    """The stored secrets (empty if none yet); SecretsError for a file that is not a JSON object."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SecretsError(path, str(exc)) from None
    if not isinstance(data, dict):
        raise SecretsError(path, f"expected a JSON object of NAME: value, found {type(data).__name__}")
    return {str(k): str(v) for k, v in data.items()}


def save(path: Path, values: Mapping[str, str]) -> None:
    """Store secrets atomically with mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path, json.dumps(dict(sorted(values.items())), indent=1), mode=0o600)


def resolve(path: Path, names: list[str], given: Mapping[str, str]) -> dict[str, str]:
    """Values for ``names``: given ones win, then stored ones, else freshly generated; stored.

    WeakSecret, before anything is stored, for a given or stored value shorter than MIN_LENGTH.
    """
    stored = load(path)
    for name in names:
        if given.get(name):
            _check(name, given[name], "given")
        elif stored.get(name):
            _check(name, stored[name], f"stored in {path}")
    values = {n: given.get(n) or stored.get(n) or random.token_hex(12) for n in names}
    if any(stored.get(n) != v for n, v in values.items()):
        save(path, {**stored, **values})
    return values


def _check(name: str, value: str, origin: str) -> None:
    if len(value) < MIN_LENGTH:
        raise WeakSecret(name, len(value), MIN_LENGTH, origin)


def forms(value: str) -> set[str]:
    """Pure: the ways ``value`` can appear in what stackbook writes.

    Raw; JSON-escaped (ASCII or not, and escaped twice, as in an error message kept in
    summary.json); as Python prints it in a repr (tracebacks); shell-quoted; URL-encoded
    (component, path and form encodings).
    """
    once = {value, repr(value)[1:-1], shlex.quote(value), urllib.parse.quote(value, safe=""),
            urllib.parse.quote(value), urllib.parse.quote_plus(value),
            _json(value, ascii_only=True), _json(value, ascii_only=False)}
    twice = {_json(form, ascii_only=True) for form in once}
    return {form for form in once | twice if form}


def _json(value: str, *, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)[1:-1]


@functools.lru_cache(maxsize=16)
def _replacements(items: frozenset[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    pairs = {(form, name) for name, value in items if value for form in forms(value)}
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair)))


def scrub(text: str, values: Mapping[str, str]) -> str:
    """Pure: ``text`` with each secret, in every form it can take, replaced by its name.

    Longer forms first, so that a secret containing another is replaced whole.
    """
    for form, name in _replacements(frozenset(values.items())):
        text = text.replace(form, name)
    return FERNET_TOKEN.sub("TOKEN", text)
