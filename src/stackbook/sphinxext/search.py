"""Search for Japanese and Korean pages: runs of CJK characters indexed as overlapping pairs.

Sphinx indexes the words its language class splits a page into, and looks a reader's word up
as a whole (only a word of three or more characters that is not itself in the index is also
looked for inside indexed words). Korean attaches particles and endings to words
(데이터베이스를, 설치합니다) and falls back to English splitting on spaces, so a reader's
데이터베이스 or 설치 misses the pages that only use it with a particle. Japanese is split by
TinySegmenter on the page but not in the query, so 証明書を or ユーザー (inside
データベースユーザー) miss too. Indexing every pair of neighbouring CJK characters (and every
single one) and splitting the query into the same pairs finds any word a page contains, the
way CJK full-text search engines do (bigrams).
"""

from __future__ import annotations

import re

from sphinx.search import SearchLanguage

# Scripts written without spaces between words or with particles attached (all in the BMP, so
# JavaScript's string indices count them one by one).
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3005, 0x3007),  # the iteration mark, the closing mark, the ideographic zero
    (0x3041, 0x30FF),  # Hiragana, Katakana (with ー)
    (0x3131, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
)
_CLASS = "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in CJK_RANGES)
_CJK = re.compile(f"[{_CLASS}]")
_RUNS = re.compile(f"[{_CLASS}]+|[^{_CLASS}]+")
_WORDS = re.compile(r"\w+")  # what Sphinx's default splitter keeps (the query side: splitQuery)


def pairs(run: str) -> list[str]:
    """Pure: the overlapping pairs of characters in ``run`` (a single character stays alone)."""
    return [run] if len(run) < 2 else [run[i:i + 2] for i in range(len(run) - 1)]


def _runs(text: str) -> list[str]:
    return [run for word in _WORDS.findall(text) for run in _RUNS.findall(word)]


def query_terms(text: str) -> list[str]:
    """Pure: the terms a reader's query is looked up by (what :data:`JS_SPLITTER` does in the browser)."""
    return [term for run in _runs(text) for term in (pairs(run) if _CJK.match(run) else [run])]


def index_terms(text: str) -> list[str]:
    """Pure: the terms a page's text is indexed by: words, CJK pairs and single CJK characters."""
    terms: list[str] = []
    for run in _runs(text):
        if not _CJK.match(run):
            terms.append(run)
        else:
            terms += pairs(run) + (list(run) if len(run) > 1 else [])
    return terms


# The browser's half of query_terms: Sphinx puts it into language_data.js, where it replaces the
# default splitQuery of searchtools.js.
JS_SPLITTER = """\
var splitQuery = (query) => {
  const cjk = /^[CJK]/u;
  const runs = /[CJK]+|[^CJK]+/gu;
  const terms = [];
  for (const word of query.split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu)) {
    for (const run of word.match(runs) || []) {
      if (!cjk.test(run) || run.length < 2) terms.push(run);
      else for (let i = 0; i < run.length - 1; i++) terms.push(run.slice(i, i + 2));
    }
  }
  return terms;
};
""".replace("CJK", _CLASS)


class SearchCJK(SearchLanguage):
    """Words as Sphinx's default splitter finds them, CJK runs as pairs; no stemming, no stop words."""

    js_splitter_code = JS_SPLITTER

    def split(self, input: str) -> list[str]:
        """The terms the page's text is indexed by."""
        return index_terms(input)


class SearchJapanese(SearchCJK):
    """Japanese: replaces Sphinx's TinySegmenter splitter, which the query side does not share."""

    lang = "ja"
    language_name = "Japanese"


class SearchKorean(SearchCJK):
    """Korean: Sphinx has none and falls back to English, which keeps particles on the words."""

    lang = "ko"
    language_name = "Korean"
