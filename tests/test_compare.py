from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from types import SimpleNamespace

import pytest
from nbformat import v4

from stackbook import compare, notebooks, runbooks
from stackbook.errors import StackbookError

ROOT = Path(__file__).parent.parent
RULES = compare.load_rules(ROOT / "runbooks" / "sanitize.cfg")

NOISE = """Exception ignored in: <function _removeHandlerRef at 0x7f>
Traceback (most recent call last):
  File "/usr/lib/python3.11/logging/__init__.py", line 855, in _removeHandlerRef
AttributeError: 'NoneType' object has no attribute 'getcurrent'
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id 0c1f2d3e4f5a6b7c8d9e0f1a2b3c4d5e done", "id ID done"),
        ("project 123e4567-e89b-12d3-a456-426614174000", "project ID"),
        ("expires 2026-11-22T05:09:54+0000", "expires TIMESTAMP"),
        ("listening on 10.213.1.2:3306", "listening on ADDRESS:3306"),
        (f"keystone identity\n{NOISE}", "keystone identity\n"),
        ("openstack 6.0.0", "openstack 6.0.0"),
        ("40C74B60317F0000:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:"
         "../ssl/record/methods/tlsany_meth.c:77:",
         "THREAD:error:0A00010B:SSL routines:FUNCTION:wrong version number:SOURCE:"),
        ("4097A0F6E67F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:"
         "../ssl/record/ssl3_record.c:354:",
         "THREAD:error:0A00010B:SSL routines:FUNCTION:wrong version number:SOURCE:"),
    ],
)
def test_checked_in_rules(text: str, expected: str) -> None:
    assert compare.sanitize(text, RULES) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("[x]\nregex: a\n", r"rules\.cfg:2: nbval reads a rule only as 'regex: PATTERN' directly followed"),
    ("[x]\nregex: a\n# comment\nreplace: b\n", r"rules\.cfg:2: nbval reads"),
    ("[x]\nregex:a\nreplace: b\n", r"rules\.cfg:2: nbval reads"),
    ("[x]\nreplace: b\n", r"rules\.cfg:2: replace: without the regex: line"),
    ("[x]\nregex: (a\nreplace: b\n", r"rules\.cfg:2: bad rule \(missing \), unterminated subpattern"),
    ("[x]\nregex: a\nreplace: \\2\n", r"rules\.cfg:2: bad rule \(invalid group reference 2"),
])
def test_a_rule_nbval_would_drop_is_an_error_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(StackbookError, match=message):
        compare.parse_rules(text, "rules.cfg")


def _nbval_sanitize(text: str, rules_text: str) -> str:
    """What the nightly's nbval pass makes of an output: nbval's own parser and sanitizer."""
    from nbval.plugin import IPyNbCell, get_sanitize_patterns

    patterns: OrderedDict[str, str] = OrderedDict()
    patterns.update(get_sanitize_patterns(rules_text))
    cell = SimpleNamespace(parent=SimpleNamespace(sanitize_patterns=patterns))
    return str(IPyNbCell.sanitize(cell, text))


def _stored_outputs() -> list[str]:
    found = []
    for book in sorted((ROOT / "runbooks").glob("*.ipynb")):
        for cell in runbooks.read(book).cells:
            if cell.cell_type == "code":
                found += [notebooks.output_text(cell), *notebooks.platform_outputs(cell).values()]
    return found


@pytest.mark.parametrize("name", ["sanitize.cfg", "publish.cfg"])
def test_stackbook_and_nbval_read_the_rules_alike(name: str) -> None:
    text = (ROOT / "runbooks" / name).read_text()
    rules = compare.parse_rules(text, name)
    assert len(rules) == text.count("\nregex: ")  # nbval reads every rule
    samples = [*_stored_outputs(), NOISE + "keystone\n", "Get:3 http://deb.example/debian sid/main x\n",
               "10.0.0.1        controller\n", "a\n40C74B60317F0000:error:0A00010B:SSL routines:f:r:x.c:77:\n"]
    assert len(samples) > 150
    differ = [s for s in samples if compare.sanitize(s, rules) != _nbval_sanitize(s, text)]
    assert differ == []


def _nb(*texts: str, check: tuple[int, ...] = ()) -> v4.NotebookNode:
    nb = v4.new_notebook()
    for index, text in enumerate(texts):
        tags = ["nbval-check-output"] if index in check else []
        nb.cells.append(v4.new_code_cell(f"%%on controller\ncmd{index}", metadata={"tags": tags},
                                         outputs=[v4.new_output("stream", name="stdout", text=text)]))
    return nb


def test_compare_only_checked_cells_after_sanitizing() -> None:
    reference = _nb("a\n", "host 10.0.0.1\n", check=(1,))
    executed = _nb("anything\n", "host 10.213.1.2\n", check=(1,))
    assert compare.compare("keystone", reference, executed, RULES) == []


def test_difference_is_readable() -> None:
    found = compare.compare("keystone", _nb("keystone identity\n", check=(0,)),
                            _nb("glance image\n", check=(0,)), RULES)
    assert len(found) == 1
    text = str(found[0])
    assert text.startswith("keystone, cell 0 (%%on controller: cmd0):")
    assert "-keystone identity" in text and "+glance image" in text


PUBLISH = compare.load_rules(Path(__file__).parent.parent / "runbooks" / "publish.cfg")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Get:12 http://mirror.example/debian bookworm/main amd64 keystone all 2:22.0.2 [1 kB]\n",
         "Get:12 http://MIRROR/debian bookworm/main amd64 keystone all 2:22.0.2 [1 kB]\n"),
        ("Hit:1 https://mirror.example:8080/debian-security bookworm-security InRelease\n",
         "Hit:1 https://MIRROR/debian-security bookworm-security InRelease\n"),
        ("Fetched 241 kB in 0s (526 kB/s)\n", "Fetched 241 kB in 0s (526 kB/s)\n"),
    ],
)
def test_publication_rules_hide_mirrors(text: str, expected: str) -> None:
    assert compare.sanitize(text, PUBLISH) == expected


@pytest.mark.parametrize(
    ("source", "run", "stored", "expected"),
    [
        ("%%on controller\necho", "debian-12", "debian-13", True),
        ("%%on controller --only debian-12\necho", "debian-12", "debian-13", False),  # reference never ran it
        ("%%on controller --only debian-13,debian-sid\necho", "debian-sid", "debian-13", True),
        ("%%on controller --only debian-13,debian-sid\necho", "debian-12", "debian-13", False),  # not run here
        ("print(1)", "debian-sid", "debian-13", True),
    ],
)
def test_steps_for_some_releases_are_compared_where_both_ran_them(
    source: str, run: str, stored: str, expected: bool
) -> None:
    assert compare.comparable(source, run, stored) is expected


def test_reference_platform_is_read_from_the_metadata() -> None:
    nb = _nb("a\n")
    assert compare.reference_platform(nb) == "debian-13"
    nb.metadata["stackbook"] = {"reference": {"platform": "debian-12", "date": "2026-11-23"}}
    assert compare.reference_platform(nb) == "debian-12"


def test_a_platform_with_its_own_output_is_compared_with_it() -> None:
    reference = _nb("TLS error: tls_validate_record_header\n", check=(0,))
    reference.cells[0].metadata[compare.PLATFORM_OUTPUTS] = {"debian-12": "TLS error: ssl3_get_record\n"}
    old = _nb("TLS error: ssl3_get_record\n", check=(0,))
    assert compare.compare("tls", reference, old, RULES, "debian-12") == []
    assert len(compare.compare("tls", reference, old, RULES, "debian-13")) == 1
    assert len(compare.compare("tls", reference, old, RULES, "debian-sid")) == 1  # none stored for sid


def test_platform_outputs_are_kept_only_where_they_differ() -> None:
    reference = _nb("same on 10.0.0.1\n", "new wording\n", "unchecked\n", check=(0, 1))
    reference.metadata["stackbook"] = {"reference": {"platform": "debian-13"}}
    executed = _nb("same on 10.213.1.2\n", "old wording\nHit:1 https://mirror.example/debian sid InRelease\n", "x\n")
    kept = compare.with_platform_outputs(reference, executed, "debian-12", RULES, PUBLISH)
    assert [compare.PLATFORM_OUTPUTS in c.metadata for c in kept.cells] == [False, True, False]
    assert kept.cells[1].metadata[compare.PLATFORM_OUTPUTS] == {
        "debian-12": "old wording\nHit:1 https://MIRROR/debian sid InRelease\n"}
    assert [c.outputs for c in kept.cells] == [c.outputs for c in reference.cells]  # the reference stays
    again = compare.with_platform_outputs(kept, _nb("", "new wording\n", ""), "debian-12", RULES, PUBLISH)
    assert compare.PLATFORM_OUTPUTS not in again.cells[1].metadata  # same as the reference now: dropped
    with pytest.raises(StackbookError, match="debian-13 is the reference platform"):
        compare.with_platform_outputs(reference, executed, "debian-13", RULES, PUBLISH)


def test_a_controller_under_another_name_reads_as_the_references_controller() -> None:
    assert compare.host_rules({}) == [] and compare.host_rules({"CONTROLLER_HOST": "controller"}) == []
    rules = compare.host_rules({"CONTROLLER_HOST": "site-b"})
    text = ("10.0.0.2  site-b\nhttps://site-b:13000/v3 site-b.crt CN=site-b\n"
            "site-b2 my-site-b site-b-old x.site-b")
    assert compare.sanitize(text, rules) == (
        "10.0.0.2  controller\nhttps://controller:13000/v3 controller.crt CN=controller\n"
        "site-b2 my-site-b site-b-old x.site-b")
    dotted = compare.host_rules({"CONTROLLER_HOST": "ctl.example"})
    assert compare.sanitize("ctl.example ctlXexample", dotted) == "controller ctlXexample"
