"""Figures: a full run's time per platform, from the runbooks' latest recorded fresh-node runs.

`nox -s matrix` runs every runbook on a fresh node of each platform with --record; each
runbook keeps its result, date and duration per platform in its metadata. This prints the
sum per platform and the slowest runbooks, so the figures come from real runs, not a guess.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from stackbook import platforms

ROOT = Path(__file__).resolve().parent.parent


def records() -> dict[str, dict[str, dict[str, object]]]:
    """platform -> runbook -> its latest record."""
    found: dict[str, dict[str, dict[str, object]]] = {name: {} for name in platforms.PLATFORMS}
    for path in sorted((ROOT / "runbooks").glob("*.ipynb")):
        verified = nbformat.read(path, as_version=4).metadata.get("stackbook", {}).get("verified", {})
        for name, record in verified.items():
            if name in found and isinstance(record, dict):
                found[name][path.stem] = record
    return found


def main() -> None:
    """Print the figures."""
    total = len(list((ROOT / "runbooks").glob("*.ipynb")))
    print("full run per platform (fresh node, from the latest `nox -s matrix` records):")
    for name, books in records().items():
        label = platforms.get(name).label
        if not books:
            print(f"  {name:<11} {label:<16} no record")
            continue
        seconds = sum(float(str(r.get("seconds", 0))) for r in books.values())
        passed = sum(1 for r in books.values() if r.get("status") == "passed")
        dates = sorted(str(r.get("date", "")) for r in books.values())
        slowest = sorted(books, key=lambda b: -float(str(books[b].get("seconds", 0))))[:3]
        print(f"  {name:<11} {label:<16} {seconds:7.1f} s  {passed}/{total} passed  "
              f"({dates[0]}..{dates[-1]}; slowest: {', '.join(slowest)})")


if __name__ == "__main__":
    main()
