"""Catalog files: where they live, reading them, and writing them reproducibly."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po

from stackbook.files import write_atomic
from stackbook.i18n import CatalogError

# Babel reads a ``#| msgid "..."`` line (the English a fuzzy message had before) as a
# translator comment starting with this, and wraps the line into invalid ones when writing.
_PREVIOUS = "| msgid "

# Header lines that change on every write; ignored when deciding whether to write.
_DATE_LINES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.MULTILINE)


def catalog_path(locale_dir: Path, lang: str, docname: str) -> Path:
    """``locales/<lang>/LC_MESSAGES/<docname>.po`` (one catalog per page)."""
    return locale_dir / lang / "LC_MESSAGES" / f"{docname}.po"


def docnames(folder: Path, suffix: str) -> list[str]:
    """Every page with a catalog (``.po``) or template (``.pot``) under ``folder``, sorted."""
    return sorted(str(p.relative_to(folder).with_suffix("")) for p in folder.rglob(f"*{suffix}"))


def load(path: Path, *, lang: str | None = None) -> Catalog:
    """Read a catalog, or CatalogError with the file and line of the first syntax error."""
    try:
        with path.open("rb") as handle:
            return restore_previous(read_po(handle, locale=lang, abort_invalid=True))
    except PoFileError as exc:
        raise CatalogError(str(path), exc.lineno + 1, exc.args[0] if exc.args else str(exc)) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(str(path), 1, str(exc)) from None


def restore_previous(catalog: Catalog) -> Catalog:
    """Turn the ``| msgid`` comments Babel reads from ``#|`` lines back into previous msgids.

    Comments left by earlier writes that wrapped a previous msgid into broken lines go.
    """
    for message in catalog:
        kept = []
        for comment in message.user_comments:
            quoted = comment[len(_PREVIOUS):].strip()
            if comment.startswith(_PREVIOUS) and len(quoted) > 1 and quoted[0] == quoted[-1] == '"':
                message.previous_id = [unescape(quoted)]
            elif not comment.startswith("|"):
                kept.append(comment)
        message.user_comments = kept
    return catalog


def build_date() -> datetime:
    """The date written into headers: SOURCE_DATE_EPOCH when set, otherwise now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC)


def render(catalog: Catalog) -> bytes:
    """The catalog as .po bytes, in message order, without obsolete entries."""
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, include_previous=False,
             ignore_obsolete=True, sort_output=False)
    text = out.getvalue().decode("utf-8")
    for message in catalog:
        # The English a fuzzy message had before, unwrapped (Babel would wrap it into invalid lines).
        if message.id and message.fuzzy and message.previous_id and isinstance(message.id, str):
            entry = f"msgid {normalize(message.id, width=0)}\n"
            previous = normalize(message.previous_id[0], width=0).replace("\n", "\n#| ")
            text = text.replace(entry, f"#| msgid {previous}\n{entry}", 1)
    return text.encode("utf-8")


_YEAR = re.compile(r"^(#.*?)\d{4}", re.MULTILINE)  # years in the header comment


def _without_dates(data: bytes) -> str:
    text = data.decode("utf-8")
    head, sep, body = text.partition('msgid ""')
    return _YEAR.sub(r"\1YYYY", head) + sep + _DATE_LINES.sub("", body)


def should_write(path: Path, data: bytes) -> bool:
    """Whether writing ``data`` changes ``path`` beyond its header dates."""
    if not path.exists():
        return True
    return _without_dates(path.read_bytes()) != _without_dates(data)


def save(path: Path, catalog: Catalog) -> bool:
    """Write the catalog (atomically) if its content changed; return whether the file was written."""
    data = render(catalog)
    if not should_write(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return True


def messages(catalog: Catalog) -> Iterator[tuple[str, str, bool, int]]:
    """Each real message as (msgid, msgstr, fuzzy, line in the file), the header skipped. A message
    with plural forms gives its singular and its first form (empty unless every form is translated)."""
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else str(message.id[0])
        forms = [message.string] if isinstance(message.string, str) else [str(f) for f in message.string or ()]
        yield msgid, forms[0] if forms and all(forms) else "", message.fuzzy, message.lineno or 0
