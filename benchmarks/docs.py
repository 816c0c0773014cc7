"""Doc build figures: full three-language build, and rebuild after editing one page.

Works on a copy of the site sources in a temporary folder, so the checkout is never touched.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from stackbook.i18n import LANGUAGES
from stackbook.sphinxext import site

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("conf.py", "index.md", "docs", "runbooks", "locales")


def copy_sources(dest: Path) -> None:
    """Copy what Sphinx reads into ``dest``."""
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)


def timed(srcdir: Path, langs: tuple[str, ...]) -> float:
    """Seconds to build ``langs`` in parallel; exits on a failed build."""
    start = time.perf_counter()
    results = site.build(srcdir, srcdir / "_build" / "html", langs)
    for lang, (result, _) in results.items():
        if not result.ok:
            sys.exit(f"{lang} build failed:\n" + "\n".join(result.tail(30)))
    return time.perf_counter() - start


def main() -> None:
    """Print the figures the issue asks for (goals: full <= 15 s, one page <= 3 s)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp)
        copy_sources(src)
        full = timed(src, LANGUAGES)
        noop = timed(src, ("ja",))
        page = src / "docs" / "jupyter.md"
        page.write_text(page.read_text() + "\nOne more sentence for the benchmark.\n")
        one_en = timed(src, ("en",))
        po = src / "locales" / "ja" / "LC_MESSAGES" / "docs" / "jupyter.po"
        po.write_text(po.read_text() + "\n")
        po.touch()
        one_ja = timed(src, ("ja",))
    print(f"docs: full build, en+ja+ko in parallel: {full:5.1f} s (goal <= 15 s)")
    print(f"docs: rebuild with nothing changed (ja):  {noop:5.1f} s")
    print(f"docs: rebuild after editing one page (en): {one_en:5.1f} s (goal <= 3 s)")
    print(f"docs: rebuild after editing one catalog (ja): {one_ja:5.1f} s (goal <= 3 s)")


if __name__ == "__main__":
    main()
