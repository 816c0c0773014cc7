from __future__ import annotations

import pytest

from stackbook import process
from stackbook.errors import CommandFailed, MissingTool


def test_result_ok_and_tail() -> None:
    result = process.run(["sh", "-c", "printf 'a\\nb\\nc\\n'; echo e >&2"])
    assert result.ok and result.tail(2) == ["c", "e"]


def test_check_raises_with_command_and_output() -> None:
    with pytest.raises(CommandFailed, match=r"exit code 4: sh -c 'echo boom; exit 4'[\s\S]*boom"):
        process.run(["sh", "-c", "echo boom; exit 4"], check=True)


def test_missing_tool_names_the_package() -> None:
    with pytest.raises(MissingTool, match="apt-get install no-such-tool-here"):
        process.run(["no-such-tool-here"])


def test_timeout_is_exit_124() -> None:
    result = process.run(["sleep", "5"], timeout=0.2)
    assert result.rc == 124 and "timed out" in result.stderr


def test_streamed_lines() -> None:
    seen: list[str] = []
    result = process.run(["sh", "-c", "echo 1; echo 2"], on_line=seen.append)
    assert seen == ["1", "2"] and result.stdout == "1\n2\n"
