"""Commands that paste safely: the parameters set by hand, and the guard that stops a step without them.

The guards are run in real bash, the interactive way a reader pastes too (a terminal, line by
line and as one bracketed paste).
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time
from typing import Any

import pytest
from docutils import nodes

from stackbook.sphinxext import paste, render
from stackbook.sphinxext.labels import LABELS
from stackbook.sphinxext.paste import Parameter

KEYSTONE = {"INVENTORY": "controller=node://controller", "REGION": "RegionOne", "KEYSTONE_DBPASS": "",
            "ADMIN_PASS": "", "CERT_DAYS": 365, "CA_NAME": "stackbook private CA"}


@pytest.mark.parametrize(("parameters", "expected"), [
    (KEYSTONE, [Parameter("REGION", "RegionOne", False), Parameter("KEYSTONE_DBPASS", "", True),
                Parameter("ADMIN_PASS", "", True), Parameter("CERT_DAYS", "365", False),
                Parameter("CA_NAME", "stackbook private CA", False)]),
    ({"ADMIN_PASS": "kept-in-the-notebook"}, [Parameter("ADMIN_PASS", "", True)]),  # a secret's default is never shown
    ({"NAME": None}, [Parameter("NAME", "", False)]),  # no default: the reader gives one
    ({"lower": "x", "_HIDDEN": "x", "LIST": [1], "INVENTORY": "x"}, []),  # what the kernel does not export
])
def test_settable(parameters: dict[str, Any], expected: list[Parameter]) -> None:
    assert paste.settable(parameters) == expected


@pytest.mark.parametrize(("parameter", "lang", "line"), [
    (Parameter("REGION", "RegionOne", False), "en", "export REGION=RegionOne"),
    (Parameter("CA_NAME", "stackbook private CA", False), "ja", "export CA_NAME='stackbook private CA'"),
    (Parameter("ADMIN_PASS", "", True), "en",
     "export ADMIN_PASS=''  # a password of 8 characters or more, between the quotes"),
    (Parameter("ADMIN_PASS", "", True), "ja", "export ADMIN_PASS=''  # 引用符の間に 8 文字以上のパスワードを入れます"),
    (Parameter("ADMIN_PASS", "", True), "ko", "export ADMIN_PASS=''  # 따옴표 사이에 8자 이상의 비밀번호를 넣습니다"),
    (Parameter("NAME", "", False), "en", "export NAME=''  # a value, between the quotes"),
])
def test_export_line(parameter: Parameter, lang: str, line: str) -> None:
    assert paste.export_line(parameter, lang) == line


def test_exports_follow_the_parameters_cell() -> None:
    assert paste.exports(paste.settable(KEYSTONE), "en").splitlines() == [
        "export REGION=RegionOne",
        "export KEYSTONE_DBPASS=''  # a password of 8 characters or more, between the quotes",
        "export ADMIN_PASS=''  # a password of 8 characters or more, between the quotes",
        "export CERT_DAYS=365",
        "export CA_NAME='stackbook private CA'"]


@pytest.mark.parametrize(("body", "expected"), [
    ("mysql <<EOF\nCREATE USER 'k' IDENTIFIED BY '$KEYSTONE_DBPASS';\nEOF", ["KEYSTONE_DBPASS"]),
    ('OS_BOOTSTRAP_PASSWORD="${ADMIN_PASS}" keystone-manage bootstrap --bootstrap-region-id "$REGION"',
     ["REGION", "ADMIN_PASS"]),  # in the parameters cell's order
    ('echo "${CERT_DAYS:-30}"', ["CERT_DAYS"]),
    ("echo $ADMIN_PASSWORD $REGIONS", []),  # other names that start the same
    ("service keystone restart", []),
    ("echo ADMIN_PASS", []),  # a word, not a reference
])
def test_used(body: str, expected: list[str]) -> None:
    assert paste.used(body, paste.settable(KEYSTONE)) == expected


@pytest.mark.parametrize(("lang", "line"), [
    ("en", ': "${ADMIN_PASS:?set ADMIN_PASS first (see Parameters at the top)}"'),
    ("ja", ': "${ADMIN_PASS:?先に ADMIN_PASS を設定してください (ページ上部の「パラメーター」を参照)}"'),
    ("ko", ': "${ADMIN_PASS:?먼저 ADMIN_PASS을(를) 설정하세요(페이지 위쪽의 ‘매개변수’ 참고)}"'),
])
def test_guard(lang: str, line: str) -> None:
    assert paste.guard("ADMIN_PASS", lang) == line


def test_guarded_wraps_the_step_in_one_command() -> None:
    assert paste.guarded("mysql <<EOF\nSELECT '$A';\nEOF\n", ["A", "B"], "en") == (
        ': "${A:?set A first (see Parameters at the top)}" &&\n'
        ': "${B:?set B first (see Parameters at the top)}" && {\n'
        "mysql <<EOF\nSELECT '$A';\nEOF\n}")
    assert paste.guarded("hostname", [], "en") == "hostname"


STEP = "echo step-ran-with-$A\ncat <<EOF\nheredoc-$A\nEOF"


def _bash(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], env={"PATH": os.environ["PATH"], **env},
                          capture_output=True, text=True, check=False)


@pytest.mark.parametrize("lang", sorted(LABELS))
def test_a_guarded_step_stops_without_its_parameter(lang: str) -> None:
    script = paste.guarded(STEP, ["A"], lang)
    for env in ({}, {"A": ""}):
        result = _bash(script, env)
        assert result.returncode != 0 and result.stdout == ""
        assert result.stderr.strip().endswith(f"A: {LABELS[lang]['guard'].format(name='A')}")
    assert _bash(script, {"A": "x"}).stdout == "step-ran-with-x\nheredoc-x\n"


def test_the_guard_message_is_printed_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    message = 'set {name} "first" in $HOME, `not run` }} \\ then it\'s \'done\''
    monkeypatch.setitem(LABELS["en"], "guard", message)
    result = _bash(paste.guarded("echo ran", ["A"], "en"), {"HOME": "/nowhere"})
    assert result.stdout == "" and result.stderr.strip().endswith("A: " + message.format(name="A"))


ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


def _interactive(paste_text: bytes, env: dict[str, str], bracketed: bool = False) -> list[str]:
    """The lines an interactive bash in a terminal prints when ``paste_text`` is pasted into it
    (marked as a paste, the way a terminal does for a shell that asks, if ``bracketed``)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a reader's shell, without their startup files
        os.execve("/bin/bash", ["bash", "--norc", "--noprofile", "-i"],
                  {"PATH": os.environ["PATH"], "PS1": "$ ", "TERM": "dumb", **env})
    mode = b"on" if bracketed else b"off"
    output = b""
    try:
        os.write(fd, b"bind 'set enable-bracketed-paste " + mode + b"'\n")
        time.sleep(0.3)  # readline takes the setting before the paste arrives
        os.write(fd, (b"\x1b[200~" + paste_text + b"\x1b[201~" if bracketed else paste_text) + b"\nexit\n")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the shell exited and closed the terminal
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    return ESCAPE.sub("", output.decode(errors="replace")).splitlines()


@pytest.mark.parametrize("bracketed", [False, True], ids=["line by line", "bracketed paste"])
def test_a_pasted_step_stops_in_an_interactive_shell(bracketed: bool) -> None:
    step = paste.guarded("echo step-ran\necho second-line-ran", ["A"], "en").encode()
    shown = _interactive(step, {}, bracketed)
    assert "bash: A: set A first (see Parameters at the top)" in shown
    assert "step-ran" not in shown and "second-line-ran" not in shown
    shown = _interactive(step, {"A": "x"}, bracketed)
    assert "step-ran" in shown and "second-line-ran" in shown


@pytest.mark.parametrize("bracketed", [False, True], ids=["line by line", "bracketed paste"])
def test_a_guard_on_a_line_of_its_own_would_not_stop_the_rest(bracketed: bool) -> None:
    """Why guarded() makes guard and step one command: pasted alone, the guard fails and the
    next line runs anyway."""
    shown = _interactive(paste.guard("A", "en").encode() + b"\necho next-line-ran", {}, bracketed)
    assert "bash: A: set A first (see Parameters at the top)" in shown and "next-line-ran" in shown


def test_parameters_block_is_a_bash_block_under_a_caption() -> None:
    block = render.parameters_block(paste.settable(KEYSTONE), "ko")
    assert "sb-by-hand" in block["classes"]
    caption, code = block.children
    assert caption.astext().startswith("직접 입력할 때")
    assert isinstance(code, nodes.literal_block) and code["language"] == "bash"
    assert code.astext() == paste.exports(paste.settable(KEYSTONE), "ko")
