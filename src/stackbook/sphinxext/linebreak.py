"""Labels broken into lines the way a reader of each language expects (the install path's boxes).

English and Korean break at spaces. Japanese breaks where the script changes (a katakana word,
a kanji compound with the hiragana after it) and never starts a line with closing punctuation.
"""

from __future__ import annotations

import unicodedata

LINE_WIDTH = 24  # columns of a label's line (a CJK character takes two)
NO_LINE_START = "、。，．・：）」』ー!),.:;?"  # not at the start of a line (Japanese kinsoku, and ours)
# Scripts whose runs are kept together on a line (Japanese breaks between them, Korean at spaces).
SCRIPTS: dict[str, tuple[tuple[int, int], ...]] = {
    "hiragana": ((0x3041, 0x309F),),
    "katakana": ((0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "kanji": ((0x3005, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)),
    "hangul": ((0x1100, 0x11FF), (0x3131, 0x318F), (0xAC00, 0xD7AF)),
}


def width(text: str) -> int:
    """Pure: columns ``text`` takes (CJK characters two each)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def script(ch: str) -> str:
    """Pure: the class of a character for line breaking: a line may break where the class changes."""
    if ch.isspace():
        return "space"
    for name, ranges in SCRIPTS.items():
        if any(low <= ord(ch) <= high for low, high in ranges):
            return name
    return "narrow" if width(ch) == 1 else ch  # other wide characters (punctuation) stand alone


def pieces(text: str) -> list[str]:
    """Pure: ``text`` cut where a line may break: runs of one script (a word, a katakana word, a kanji
    compound with the hiragana after it, a Hangul word, spaces); other wide characters one by one."""
    found: list[str] = []
    for ch in text:
        kind = script(ch)
        # Hiragana (particles, endings) stays with the word before it.
        before = script(found[-1][-1]) if found else ""
        if found and (kind == before or (kind == "hiragana" and before in ("kanji", "katakana", "narrow"))):
            found[-1] += ch
        else:
            found.append(ch)
    return found


def _fill(parts: list[str], columns: int) -> list[str]:
    lines = [""]
    spaced = False
    for part in parts:
        if part.isspace():
            spaced = bool(lines[-1])
            continue
        joined = lines[-1] + (" " if spaced else "") + part
        if width(joined) <= columns or not lines[-1] or part[0] in NO_LINE_START:
            lines[-1] = joined
        else:
            lines.append(part)
        spaced = False
    return [line for line in lines if line]


def wrap(text: str, columns: int = LINE_WIDTH) -> list[str]:
    """Pure: ``text`` in as few lines of at most about ``columns`` as it takes, of even lengths;
    broken at spaces or where the script changes (a longer word stays whole)."""
    parts = pieces(text)
    fewest = _fill(parts, columns)
    for target in range(max(1, -(-width(text) // len(fewest))), columns):
        even = _fill(parts, target)
        if len(even) <= len(fewest):
            return even
    return fewest
