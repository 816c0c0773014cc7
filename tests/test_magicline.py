"""The magic line parser shared by the kernel, the site and the benchmark."""

from __future__ import annotations

import pytest

from stackbook import magicline
from stackbook.errors import StackbookError
from stackbook.magicline import MagicLine


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("%%on controller\nhostname", MagicLine("on", "controller")),
        ("%%on controller --only debian-12\nx", MagicLine("on", "controller", only=("debian-12",))),
        ("%%ini controller /etc/a.conf --if-exists\n[x]",
         MagicLine("ini", "controller", "/etc/a.conf", if_exists=True)),
        ("%%ini controller /etc/a.conf --only debian-13,debian-sid\n[x]",
         MagicLine("ini", "controller", "/etc/a.conf", only=("debian-13", "debian-sid"))),
        ("%%write controller /root/x --mode 600\ny", MagicLine("write", "controller", "/root/x", mode="600")),
        ("%%copy controller /etc/heat/b-ca.crt --from remote:/etc/ssl/ca.crt --mode 644\n",
         MagicLine("copy", "controller", "/etc/heat/b-ca.crt", mode="644", source_role="remote",
                   source_path="/etc/ssl/ca.crt")),
        ("%%bash\nls", None),
        ("print(1)", None),
    ],
)
def test_parse_cell(source: str, expected: MagicLine | None) -> None:
    assert magicline.parse_cell(source) == expected


@pytest.mark.parametrize(
    ("kind", "line", "message"),
    [
        ("on", "", "usage: %%on"),
        ("ini", "controller", "usage: %%ini"),
        ("on", "controller --only debian-11", "unknown platform 'debian-11'"),
        ("on", "controller --frobnicate", "usage: %%on"),
        ("copy", "controller /etc/x", "required: --from"),
        ("copy", "controller /etc/x --from remote", "give the role and the absolute path, ROLE:/path"),
        ("copy", "controller /etc/x --from remote:etc/x", "ROLE:/path"),
    ],
)
def test_bad_lines_say_the_usage(kind: str, line: str, message: str) -> None:
    with pytest.raises(StackbookError, match=message):
        magicline.parse(kind, line)


def test_applies_to() -> None:
    step = MagicLine("on", "controller", only=("debian-12",))
    assert step.applies_to("debian-12") and not step.applies_to("debian-13")
    assert MagicLine("on", "controller").applies_to("debian-sid")
