from __future__ import annotations

import json
import shlex
import stat
import urllib.parse
from pathlib import Path

import pytest

from stackbook import errors, magics, secrets
from stackbook.errors import WeakSecret


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ADMIN_PASS", True), ("KEYSTONE_DBPASS", True), ("RABBIT_PASS", True), ("OS_PASSWORD", True),
     ("METADATA_SECRET", True), ("REGION", False), ("INVENTORY", False), ("admin_pass", False),
     ("PASSAGE", False)],
)
def test_is_secret(name: str, expected: bool) -> None:
    assert secrets.is_secret(name) is expected


def test_resolve_generates_once_and_keeps(tmp_path: Path) -> None:
    store = tmp_path / "s" / "inv.json"
    first = secrets.resolve(store, ["ADMIN_PASS", "DEMO_PASS"], {})
    assert len(first["ADMIN_PASS"]) == 24 and first["ADMIN_PASS"] != first["DEMO_PASS"]
    assert secrets.resolve(store, ["ADMIN_PASS"], {}) == {"ADMIN_PASS": first["ADMIN_PASS"]}
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_given_value_wins_and_is_kept(tmp_path: Path) -> None:
    store = tmp_path / "inv.json"
    secrets.resolve(store, ["ADMIN_PASS"], {})
    assert secrets.resolve(store, ["ADMIN_PASS"], {"ADMIN_PASS": "chosen-one"})["ADMIN_PASS"] == "chosen-one"
    assert secrets.load(store)["ADMIN_PASS"] == "chosen-one"


def test_scrub_longest_first_and_tokens() -> None:
    values = {"A_PASS": "abcdefgh", "B_PASS": "abcdefghij"}
    token = "gAAAAAB" + "x" * 120
    text = f"abcdefghij abcdefgh id {token} end"
    assert secrets.scrub(text, values) == "B_PASS A_PASS id TOKEN end"


AWKWARD = "p\u00e4ss w\"o'rd&=/%+ü"  # a quote of each kind, a backslash sequence, space, non-ASCII


@pytest.mark.parametrize(
    "form",
    [AWKWARD, json.dumps(AWKWARD)[1:-1], json.dumps(AWKWARD, ensure_ascii=False)[1:-1],
     json.dumps(json.dumps(AWKWARD)[1:-1])[1:-1], repr(AWKWARD)[1:-1], shlex.quote(AWKWARD),
     urllib.parse.quote(AWKWARD, safe=""), urllib.parse.quote(AWKWARD), urllib.parse.quote_plus(AWKWARD)],
    ids=["raw", "json", "json-utf8", "json-twice", "python-repr", "shell", "url", "url-path", "url-form"],
)
def test_scrub_finds_every_form_of_a_secret(form: str) -> None:
    assert secrets.scrub(f"before {form} after", {"ADMIN_PASS": AWKWARD}) == "before ADMIN_PASS after"


def test_a_summary_written_as_json_keeps_no_secret() -> None:
    # The way execute writes summary.json: the whole document dumped, then scrubbed.
    error = f"mysql: ERROR 1045 password={AWKWARD!r} url=https://u:{urllib.parse.quote(AWKWARD)}@h/"
    text = secrets.scrub(json.dumps({"error": error}), {"ADMIN_PASS": AWKWARD})
    for form in secrets.forms(AWKWARD):
        assert form not in text
    assert "ADMIN_PASS" in text


@pytest.mark.parametrize("value", ["", "short", "1234567"])
def test_a_short_given_secret_is_refused_and_nothing_stored(tmp_path: Path, value: str) -> None:
    store = tmp_path / "inv.json"
    if not value:  # empty means "not given": one is generated
        assert len(secrets.resolve(store, ["ADMIN_PASS"], {"ADMIN_PASS": value})["ADMIN_PASS"]) == 24
        return
    with pytest.raises(WeakSecret, match=r"ADMIN_PASS \(given\) has \d characters; secrets need at least 8"):
        secrets.resolve(store, ["ADMIN_PASS"], {"ADMIN_PASS": value})
    assert not store.exists()


def test_a_short_stored_secret_is_refused_naming_the_file(tmp_path: Path) -> None:
    store = tmp_path / "inv.json"
    store.write_text('{"ADMIN_PASS": "abc"}')
    with pytest.raises(WeakSecret, match=f"ADMIN_PASS \\(stored in {tmp_path}/inv.json\\)") as caught:
        secrets.resolve(store, ["ADMIN_PASS"], {})
    assert caught.value.kind == errors.BAD_INPUT
    # A longer value given on the command line replaces it.
    assert secrets.resolve(store, ["ADMIN_PASS"], {"ADMIN_PASS": "long-enough"})["ADMIN_PASS"] == "long-enough"


def test_store_path_depends_on_inventory(state: Path) -> None:
    one = secrets.store_path("controller=node://controller")
    two = secrets.store_path("controller=ssh://root@10.0.0.11")
    assert one != two and one.parent == two.parent == state / "secrets"


def test_jupyter_and_the_cli_share_the_store_for_the_same_hosts(state: Path) -> None:
    # The CLI keys the store by the inventory's normal form; a kernel given the same hosts in
    # another spelling (spaces, order) must find the same secrets.
    cli = secrets.resolve(secrets.store_path("controller=node://a,remote=node://b"), ["ADMIN_PASS"], {})
    kernel = magics.Context({"INVENTORY": " remote = node://b , controller=node://a", "ADMIN_PASS": ""})
    assert kernel.variables()["ADMIN_PASS"] == cli["ADMIN_PASS"]
