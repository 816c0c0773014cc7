"""Extract English messages with Sphinx's gettext builder: one template (.pot) per page."""

from __future__ import annotations

import sys
from pathlib import Path

from stackbook import process
from stackbook.i18n import catalogs


def gettext_argv(srcdir: Path, pot_dir: Path) -> list[str]:
    """The sphinx-build command line that writes ``pot_dir/<docname>.pot``."""
    return [sys.executable, "-m", "sphinx", "-b", "gettext", "-E", "-q", "-W",
            "-d", str(pot_dir / ".doctrees"), str(srcdir), str(pot_dir)]


def extract(srcdir: Path, pot_dir: Path) -> list[str]:
    """Run the gettext builder (CommandFailed on warnings or errors); return the page names."""
    for stale in pot_dir.rglob("*.pot"):  # pages removed from the English source
        stale.unlink()
    process.run(gettext_argv(srcdir, pot_dir), check=True)
    return catalogs.docnames(pot_dir, ".pot")
