"""Reading built pages in tests: navigation, Previous/Next, the install path's graph, the search index."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

from stackbook.i18n import catalogs, frame
from stackbook.sphinxext.frame import BODY_LABELS

SVG = "{http://www.w3.org/2000/svg}"
LABEL_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-tooltip")  # attributes a reader sees or hears
XLINK = "{http://www.w3.org/1999/xlink}"


def _block(page: str, start: str, end: str) -> str:
    begin = page.index(start)
    return page[begin:page.index(end, begin)]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def links(fragment: str) -> list[tuple[str, str]]:
    """(href, text) of every link in ``fragment``, in order."""
    return [(href, _text(text)) for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', fragment, re.S)]


def sidebar(page: str) -> list[tuple[str, str]]:
    """The primary sidebar's links (the current page's is "#"); empty when the theme left it out."""
    if 'class="bd-docs-nav' not in page:
        return []
    return links(_block(page, 'class="bd-docs-nav', "</nav>"))


def sidebar_title(page: str) -> str:
    """The heading above the sidebar's links."""
    found = re.search(r'<p class="bd-links__title"[^>]*>(.*?)</p>', page, re.S)
    return _text(found.group(1)) if found else ""


def navbar(page: str) -> list[tuple[str, str]]:
    """The links of the header's navigation (the "More" menu's included)."""
    return links(_block(page, '<ul class="bd-navbar-elements', "</ul>\n</nav>"))


def prev_next(page: str) -> tuple[str, str]:
    """The hrefs of Previous and Next ("" where there is none)."""
    found = [re.search(rf'<a class="{side}"\s+href="([^"]*)"', page) for side in ("left-prev", "right-next")]
    return (found[0].group(1) if found[0] else "", found[1].group(1) if found[1] else "")


def code_blocks(page: str) -> list[str]:
    """The text of every highlighted code block on the page, as the copy button reads it."""
    return [html.unescape(re.sub(r"<[^>]+>", "", block)).rstrip("\n")
            for block in re.findall(r'<div class="highlight"><pre>(.*?)</pre>', page, re.S)]


def table_rows(page: str, css: str) -> list[list[str]]:
    """The cells' text of each body row of the first table with class ``css``."""
    table = _block(page, f'<table class="{css}', "</table>")
    body = table[table.index("<tbody"):]
    return [[_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def toctree(page: str) -> list[tuple[str, str]]:
    """The links of the page's tables of contents, in order."""
    return [link for block in re.findall(r'<div class="toctree-wrapper compound">(.*?)</div>', page, re.S)
            for link in links(block)]


def graph_file(page: str, folder: Path) -> Path:
    """The SVG of the install path drawn on ``page`` (in the site folder ``folder``)."""
    found = re.search(r'<object data="([^"]+)" type="image/svg\+xml" class="[^"]*sb-install-path-graph', page)
    assert found, "no install path graph on the page"
    return folder / found.group(1)


def graph_nodes(svg: Path) -> list[dict[str, str]]:
    """Each node of a Graphviz SVG: its id (the docname), label text, link, tooltip and fill."""
    nodes = []
    for group in ET.parse(svg).getroot().iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        link = next(group.iter(f"{SVG}a"))
        shape = next(e for e in link if e.tag in (f"{SVG}path", f"{SVG}polygon"))
        nodes.append({"id": group.findtext(f"{SVG}title") or "",
                      "label": " ".join(t.text or "" for t in link.iter(f"{SVG}text")),
                      "href": link.get(f"{XLINK}href") or "", "tooltip": link.get(f"{XLINK}title") or "",
                      "fill": shape.get("fill") or ""})
    return nodes


def graph_edges(svg: Path) -> set[tuple[str, str]]:
    """The arrows of a Graphviz SVG as (from, to) node ids."""
    titles = [group.findtext(f"{SVG}title") or "" for group in ET.parse(svg).getroot().iter(f"{SVG}g")
              if group.get("class") == "edge"]
    return {(a, b) for a, _sep, b in (t.partition("->") for t in titles)}


def search_index(folder: Path) -> dict[str, Any]:
    """The site's searchindex.js as data."""
    text = (folder / "searchindex.js").read_text(encoding="utf-8")
    return dict(json.loads(text[len("Search.setIndex("):-1]))


def pages_with(index: dict[str, Any], term: str) -> set[str]:
    """The pages the index maps ``term`` to, in their text or their titles."""
    found: set[str] = set()
    for table in (index["terms"], index["titleterms"]):
        docs = table.get(term, [])
        found |= {index["docnames"][doc] for doc in (docs if isinstance(docs, list) else [docs])}
    return found


def frame_labels() -> list[str]:
    """The English words of the page's frame: the messages of the site's frame catalog (those
    without placeholders) and the fixed labels other extensions write."""
    template = frame.template(catalogs.load(frame.theme_template_path()), Catalog(fuzzy=False))
    found = [str(m.id) for m in template if isinstance(m.id, str) and m.id and "%(" not in m.id]
    return found + [english for _attribute, english in BODY_LABELS]


def english_labels(page: str, labels: list[str]) -> list[str]:
    """Which of ``labels`` the page shows as a whole text or attribute value (code and scripts left out)."""
    frame = re.sub(r"<(pre|code|script|style)\b.*?</\1>", "", page, flags=re.S)
    return [label for label in labels
            if re.search(rf'>\s*{re.escape(html.escape(label, quote=False))}\s*<', frame)
            or re.search(rf'\b(?:{"|".join(LABEL_ATTRIBUTES)})="{re.escape(html.escape(label))}"', frame)]
