from __future__ import annotations

import pytest

from stackbook import ini
from stackbook.errors import StackbookError

BASE = "[DEFAULT]\n#debug = false\n\n[database]\n# connection = <None>\nconnection = sqlite:////var/lib/x.db\n\n[token]\n"


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("[database]\nconnection = mysql+pymysql://k:p@controller/k",
         "[DEFAULT]\n#debug = false\n\n[database]\n# connection = <None>\n"
         "connection = mysql+pymysql://k:p@controller/k\n\n[token]\n"),
        ("[token]\nprovider = fernet",
         BASE + "provider = fernet\n"),
        ("[DEFAULT]\ndebug = true",
         "[DEFAULT]\n#debug = false\ndebug = true\n\n[database]\n# connection = <None>\n"
         "connection = sqlite:////var/lib/x.db\n\n[token]\n"),
        ("[paste_deploy]\n# ...\nflavor = keystone",
         BASE + "\n[paste_deploy]\nflavor = keystone\n"),
    ],
)
def test_merge(fragment: str, expected: str) -> None:
    assert ini.merge(BASE, fragment) == expected


def test_merge_is_idempotent() -> None:
    fragment = "[token]\nprovider = fernet\n[new]\na = 1\nb = 2"
    once = ini.merge(BASE, fragment)
    assert ini.merge(once, fragment) == once


def test_merge_into_empty_file() -> None:
    assert ini.merge("", "[uwsgi]\nprocesses = 2") == "[uwsgi]\nprocesses = 2\n"


@pytest.mark.parametrize(
    ("fragment", "message"),
    [("provider = fernet", "before any"), ("[token]\nnot a setting", "line 2")],
)
def test_bad_fragment(fragment: str, message: str) -> None:
    with pytest.raises(StackbookError, match=message):
        ini.merge(BASE, fragment)


def test_summary() -> None:
    assert ini.summary("[database]\nconnection = x\n[token]\nprovider = fernet") == \
        "[database] connection; [token] provider"
