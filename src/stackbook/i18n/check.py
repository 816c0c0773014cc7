"""Catalog checks: syntax, and markup that must survive translation (links, roles, code)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.myst_role import myst_role_plugin

from stackbook.i18n import CatalogError, catalogs

_MD = MarkdownIt("commonmark").use(myst_role_plugin)
# Roles whose text a translator may change, as long as the <target> stays.
LABELLED_ROLES = frozenset({"doc", "ref", "term", "download", "numref"})
_TARGET = re.compile(r"<([^<>]+)>\s*$")
# A line of a .po file: a comment, a keyword with a quoted string, or a continued string.
_PO_LINE = re.compile(
    r'^(?:#.*|\s*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"|'
    r'"(?:[^"\\]|\\.)*")\s*$'
)
# Inline markup that must appear as often in the translation as in English.
COUNTED = ("strong_open", "em_open", "image")


@dataclass(frozen=True)
class Problem:
    """One finding, located in a catalog file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _role_key(name: str, content: str) -> str:
    if name in LABELLED_ROLES:
        found = _TARGET.search(content)
        return f"{{{name}}}`{found.group(1) if found else content}`"
    return f"{{{name}}}`{content}`"


def signature(text: str) -> Counter[str]:
    """The markup in ``text`` that a translation must keep: code, roles, link targets, emphasis."""
    found: Counter[str] = Counter()
    for token in _MD.parseInline(text)[0].children or []:
        if token.type == "code_inline":
            found[f"`{token.content}`"] += 1
        elif token.type == "myst_role":
            found[_role_key(str(token.meta.get("name")), token.content)] += 1
        elif token.type == "link_open":
            found[f"link {token.attrs.get('href')}"] += 1
        elif token.type in COUNTED:
            found[token.type.removesuffix("_open")] += 1
    return found


def compare(msgid: str, msgstr: str) -> list[str]:
    """What differs between the markup of ``msgid`` and of its translation ``msgstr``.

    Code, roles and links must be the same set (a translation may repeat one);
    emphasis and images must be as many.
    """
    want, got = signature(msgid), signature(msgstr)
    counted = {key for key in (*want, *got) if key in ("strong", "em", "image")}
    issues = [f"missing {key}" for key in sorted(set(want) - set(got) - counted)]
    issues += [f"unexpected {key}" for key in sorted(set(got) - set(want) - counted)]
    issues += [f"{key}: {want[key]} in English, {got[key]} in the translation"
               for key in sorted(counted) if want[key] != got[key]]
    return issues


def syntax(path: Path) -> list[Problem]:
    """Lines that are not valid .po syntax (Babel's reader tolerates some, msgfmt does not)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Problem(path, number, f"syntax error: {line[:60]!r}")
            for number, line in enumerate(lines, 1) if not _PO_LINE.match(line)]


def check_file(path: Path) -> list[Problem]:
    """Every problem in one catalog file: a syntax error, or markup changed by a translation."""
    broken = syntax(path)
    if broken:
        return broken
    try:
        catalog = catalogs.load(path)
    except CatalogError as exc:
        return [Problem(path, exc.line, f"syntax error: {exc.detail}")]
    problems: list[Problem] = []
    for msgid, msgstr, fuzzy, line in catalogs.messages(catalog):
        if msgstr and not fuzzy:
            problems += [Problem(path, line, f"{issue} (msgid: {msgid[:60]!r})")
                         for issue in compare(msgid, msgstr)]
    return problems


def check(locale_dir: Path, langs: list[str]) -> list[Problem]:
    """Problems in every catalog of ``langs``, in file order."""
    problems: list[Problem] = []
    for lang in langs:
        folder = locale_dir / lang / "LC_MESSAGES"
        for docname in catalogs.docnames(folder, ".po"):
            problems += check_file(catalogs.catalog_path(locale_dir, lang, docname))
    return problems
