"""Figures: a full run's time per platform, from the runbooks' latest recorded fresh-node runs.

`nox -s matrix` runs every runbook on a fresh node of each platform with --record; each
runbook keeps its result, date and duration per platform in its metadata. This prints the
sum per platform and the slowest runbooks, so the figures come from real runs, not a guess.
"""

from __future__ import annotations

from pathlib import Path

from stackbook import platforms
from stackbook.sphinxext import verification

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Print the figures."""
    books = {path.stem: verification.read(path) for path in sorted((ROOT / "runbooks").glob("*.ipynb"))}
    print("full run per platform (fresh node, from the latest `nox -s matrix` records):")
    for name, platform in platforms.PLATFORMS.items():
        found = {book: records[name] for book, records in books.items() if name in records}
        if not found:
            print(f"  {name:<11} {platform.label:<16} no record")
            continue
        seconds = {book: r.seconds or 0.0 for book, r in found.items()}
        passed = sum(r.status == "passed" for r in found.values())
        days = sorted(str(r.day) for r in found.values() if r.day)
        slowest = sorted(seconds, key=lambda b: -seconds[b])[:3]
        print(f"  {name:<11} {platform.label:<16} {sum(seconds.values()):7.1f} s  {passed}/{len(books)} passed  "
              f"({days[0] if days else '?'}..{days[-1] if days else '?'}; slowest: {', '.join(slowest)})")


if __name__ == "__main__":
    main()
