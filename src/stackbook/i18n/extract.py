"""Extract English messages with Sphinx's gettext builder: one template (.pot) per page."""

from __future__ import annotations

import sys
from pathlib import Path

from stackbook import process
from stackbook.i18n import catalogs, frame


def gettext_argv(srcdir: Path, pot_dir: Path) -> list[str]:
    """The sphinx-build command line that writes ``pot_dir/<docname>.pot``."""
    return [sys.executable, "-m", "sphinx", "-b", "gettext", "-E", "-q", "-W",
            "-d", str(pot_dir / ".doctrees"), str(srcdir), str(pot_dir)]


def extract(srcdir: Path, pot_dir: Path) -> list[str]:
    """Run the gettext builder (CommandFailed on warnings or errors) and add the site's frame
    (``sphinx.pot``); return the page names, the frame's included."""
    for stale in pot_dir.rglob("*.pot"):  # pages removed from the English source
        stale.unlink()
    process.run(gettext_argv(srcdir, pot_dir), check=True)
    pages = catalogs.docnames(pot_dir, ".pot")
    header = catalogs.load(pot_dir / f"{pages[0]}.pot") if pages else None
    frame.write_template(pot_dir, header.project if header else "", header.version if header else "")
    return catalogs.docnames(pot_dir, ".pot")
