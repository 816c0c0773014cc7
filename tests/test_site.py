"""The real site: all three languages built with -W, fully translated, and used in a browser."""

from __future__ import annotations

import functools
import http.server
import os
import re
import struct
import subprocess
import threading
import zlib
from collections.abc import Iterator
from html import escape, unescape
from pathlib import Path

import pytest

import pages
from stackbook import magicline, notebooks, platforms, records, runbooks
from stackbook.i18n import LANGUAGES, TRANSLATED, check, frame, stats
from stackbook.sphinxext import cells, installpath, paste, search, services, site, verification
from stackbook.sphinxext.labels import label

ROOT = Path(__file__).resolve().parent.parent
# Screenshots kept after the run (git-ignored): STACKBOOK_SCREENSHOTS, or test-artifacts/screenshots.
SCREENSHOTS = Path(os.environ.get("STACKBOOK_SCREENSHOTS") or ROOT / "test-artifacts" / "screenshots")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _pages() -> list[str]:
    found = ["index", *(f"docs/{p.stem}" for p in (ROOT / "docs").glob("*.md"))]
    return sorted(found + [f"runbooks/{p.stem}" for p in (ROOT / "runbooks").glob("*.ipynb")]
                  + [f"runbooks/{p.stem}" for p in (ROOT / "runbooks").glob("*.md")])


def _runbooks() -> list[str]:
    """The runbooks' pages in install order."""
    known = {name: runbooks.load(path) for name, path in runbooks.discover(ROOT / "runbooks").items()}
    return [f"runbooks/{name}" for name in installpath.install_order(known)]


def test_every_page_is_fully_translated() -> None:
    rows = stats.collect(ROOT / "locales", list(TRANSLATED), [*_pages(), frame.DOCNAME])
    unfinished = [f"{r.lang} {r.docname}: {r.untranslated} untranslated, {r.fuzzy} fuzzy"
                  for r in rows if not r.complete]
    assert unfinished == []


def test_catalogs_pass_the_check() -> None:
    assert [str(p) for p in check.check(ROOT / "locales", list(TRANSLATED))] == []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built in en, ja and ko with -W into a temporary folder, from no run records (the
    runbooks' metadata then gives the results; a test run on a node may have left records elsewhere)."""
    out = tmp_path_factory.mktemp("site") / "html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(records.ENV, str(tmp_path_factory.mktemp("no-records")))
        results = site.build(ROOT, out)
    failed = {lang: "\n".join(r.tail(30)) for lang, (r, _) in results.items() if not r.ok}
    assert failed == {}, failed
    return out


@pytest.mark.slow
def test_three_languages_build_clean(built: Path) -> None:
    for lang in LANGUAGES:
        for page in _pages():
            assert (built / lang / f"{page}.html").is_file(), f"{lang}/{page}"
    for lang in ("ja", "ko"):  # complete translations: no note, the home page's toctree captions included
        assert "sb-translation" not in _html(built, lang, "runbooks/keystone")
        assert "sb-translation" not in _html(built, lang, "index")
    assert (built / "ko" / "_notebooks" / "keystone.ko.ipynb").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_runbook_shows_its_releases(built: Path, lang: str) -> None:
    for page in _runbooks():
        html = (built / lang / f"{page}.html").read_text(encoding="utf-8")
        matrix = html[html.index('<table class="sb-verification'):]
        matrix = matrix[:matrix.index("</table>")]
        assert matrix.count("<tr class=\"sb-") == len(platforms.PLATFORMS), f"{lang}/{page}"
    home = (built / lang / "index.html").read_text(encoding="utf-8")
    releases = home[home.index('<table class="sb-releases'):]
    assert releases[:releases.index("</table>")].count("<tr class=\"sb-") == len(platforms.PLATFORMS)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_outputs_of_other_releases_are_on_the_page(built: Path, lang: str) -> None:
    for book in sorted((ROOT / "runbooks").glob("*.ipynb")):
        stored = [text for cell in runbooks.read(book).cells
                  for text in notebooks.platform_outputs(cell).values()]
        html = (built / lang / "runbooks" / f"{book.stem}.html").read_text(encoding="utf-8")
        assert html.count('class="sb-platform-output') == len(stored), f"{lang}/{book.stem}"
        for text in stored:
            assert escape(text.strip().splitlines()[0], quote=False) in html, f"{lang}/{book.stem}"


def _html(built: Path, lang: str, page: str) -> str:
    return (built / lang / f"{page}.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("lang", site.LANGUAGES)
def test_navigation_follows_the_install_order(built: Path, lang: str) -> None:
    order = _runbooks()
    assert order[0] == "runbooks/environment" and order != sorted(order)
    home = [href.removesuffix(".html") for href, _ in pages.toctree(_html(built, lang, "index"))]
    assert [h for h in home if h.startswith("runbooks/") and h != "runbooks/index"] == order
    assert pages.navbar(_html(built, lang, "index"))[0][0] == "runbooks/index.html"
    chain = ["runbooks/index", *order]
    for before, page, after in zip(chain, chain[1:], [*chain[2:], ""], strict=False):
        html = _html(built, lang, page)
        assert [href for href, _ in pages.sidebar(html)] == [
            "#" if doc == page else doc.removeprefix("runbooks/") + ".html" for doc in order], f"{lang}/{page}"
        prev, following = pages.prev_next(html)
        assert prev == before.removeprefix("runbooks/") + ".html", f"{lang}/{page}"
        assert not after or following == after.removeprefix("runbooks/") + ".html", f"{lang}/{page}"


def _title(built: Path, lang: str, page: str) -> str:
    found = re.search(r"<title>(.*?) &#8212; stackbook</title>", _html(built, lang, page))
    assert found
    return unescape(found.group(1))


@pytest.mark.slow
@pytest.mark.parametrize("lang", site.LANGUAGES)
def test_home_page_draws_the_install_path(built: Path, lang: str) -> None:
    home = _html(built, lang, "index")
    svg = pages.graph_file(home, built / lang)
    nodes = pages.graph_nodes(svg)
    order = _runbooks()
    assert sorted(n["id"] for n in nodes) == sorted(order)  # Graphviz writes them rank by rank
    results = {"passed": "#d4edda", "failed": "#f8d7da", "differs": "#fff3cd"}
    for node in nodes:
        title = _title(built, lang, node["id"])  # the page's own title, in its language
        assert node["label"].split(" ", 1)[1].replace(" ", "") == title.replace(" ", ""), f"{lang}/{node['id']}"
        assert node["href"] == f"../{node['id']}.html"
        record = verification.read(ROOT / f"{node['id']}.ipynb").get(platforms.DEFAULT)
        assert node["fill"] == (results[record.status] if record else "#e9ecef"), f"{lang}/{node['id']}"
        assert node["label"][0] == installpath.MARKS[record.status if record else "unverified"]
    requires = {(f"runbooks/{needed}", f"runbooks/{book.name}")
                for book in (runbooks.load(ROOT / f"{doc}.ipynb") for doc in order) for needed in book.requires}
    assert pages.graph_edges(svg) == requires
    assert 'class="sb-path-legend"' in home


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_every_label_is_in_the_page_language(built: Path, lang: str) -> None:
    labels = pages.frame_labels()
    english = {page: found for page in [*_pages(), "search", "genindex"]
               if (found := pages.english_labels(_html(built, lang, page), labels))}
    assert english == {}
    keystone = _html(built, lang, "runbooks/keystone")
    assert pages.sidebar_title(keystone) == {"ja": "このセクションのページ", "ko": "이 섹션의 페이지"}[lang]
    assert {"ja": "Debian unstable (不安定版)", "ko": "Debian unstable(불안정판)"}[lang] in keystone


def _steps(book: Path) -> list[str]:
    """The shell steps of a runbook, as stored (without their magic line)."""
    found = []
    for cell in runbooks.read(book).cells:
        magic = magicline.parse_cell(cell.source) if cell.cell_type == "code" else None
        if magic is not None and magic.kind == "on":
            found.append(cells.body(cell.source))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang", site.LANGUAGES)
def test_every_runbook_pastes_safely(built: Path, lang: str) -> None:
    guarded = 0
    for book in sorted((ROOT / "runbooks").glob("*.ipynb")):
        parameters = paste.settable(runbooks.load(book).parameters)
        html = _html(built, lang, f"runbooks/{book.stem}")
        blocks = pages.code_blocks(html)
        assert html.count('class="sb-by-hand') == 1, f"{lang}/{book.stem}"
        assert paste.exports(parameters, lang) in blocks, f"{lang}/{book.stem}"
        for step in _steps(book):
            names = paste.used(step, parameters)
            assert paste.guarded(step.rstrip(), names, lang) in blocks, f"{lang}/{book.stem}: {step[:60]}"
            guarded += bool(names)
    assert guarded >= 20  # the runbooks' steps with passwords, regions, names and paths among them
    keystone = pages.code_blocks(_html(built, lang, "runbooks/keystone"))
    assert sum(block.startswith(paste.guard("KEYSTONE_DBPASS", lang)) for block in keystone) == 1
    assert "export KEYSTONE_DBPASS=''  # " in "\n".join(keystone)
    assert not any("INVENTORY" in block for block in keystone if block.startswith("export "))


@pytest.mark.slow
@pytest.mark.parametrize("lang", site.LANGUAGES)
def test_what_you_build_lists_the_controllers_services(built: Path, lang: str) -> None:
    found = services.read(ROOT / "runbooks", runbooks.discover(ROOT / "runbooks"))
    rows = pages.table_rows(_html(built, lang, "docs/what-you-build"), "sb-services")
    assert [row[0] for row in rows] == [s.name for s in found]
    assert [(row[2], row[3]) for row in rows] == [(str(s.port), str(s.https_port or "—")) for s in found]
    assert [row[4] for row in rows] == [_title(built, lang, f"runbooks/{s.runbook}") for s in found]
    keystone = next(row for row in rows if row[0] == "Keystone")
    assert keystone[1:4] == ["identity", "5000", "13000"]
    home = [href for href, _ in pages.toctree(_html(built, lang, "index"))]
    assert "docs/what-you-build.html" in home


# Words a reader types, each from the translated title of a page (or of a section on it), and that
# page: Japanese and Korean words found inside longer words and with particles attached.
SEARCHES = [
    ("ja", "前提条件", "runbooks/environment"),  # コントローラーの前提条件
    ("ja", "鍵", "runbooks/tls-certificates"),  # コントローラーの鍵と署名要求
    ("ja", "証明書", "runbooks/tls-endpoints"),
    ("ko", "설치", "runbooks/keystone"),  # Keystone 설치하기
    ("ko", "데이터베이스", "runbooks/database-user"),  # 어디서나 통하는 데이터베이스와 사용자 만들기
    ("ko", "토큰", "runbooks/environment"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "query", "page"), SEARCHES)
def test_search_index_maps_a_word_to_its_page(built: Path, lang: str, query: str, page: str) -> None:
    index = pages.search_index(built / lang)
    terms = search.query_terms(query)
    assert terms and all(page in pages.pages_with(index, term) for term in terms), (query, terms)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No access log in the test output."""


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (a free port), for the browser."""
    handler = functools.partial(_QuietHandler, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (no browser download, loopback only)."""
    if not CHROMIUM.exists():
        pytest.fail("chromium is not installed: apt-get install chromium chromium-driver (run.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        handle = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield handle
        handle.close()


def _shot(page: object, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    return path


def _png(path: Path) -> tuple[int, int, int]:
    """A PNG file's width, height and number of distinct byte values in its pixel data
    (a blank page has a handful, a page with text and pictures a few hundred)."""
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path} is not a PNG"
    chunks, at = [], 8
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append((kind, data[at + 8:at + 8 + size]))
        at += 12 + size
    width, height = struct.unpack(">II", chunks[0][1][:8])
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    return width, height, len(set(pixels))


def test_png_facts_tell_a_blank_image_from_a_busy_one(tmp_path: Path) -> None:
    def write(name: str, rows: list[bytes]) -> Path:
        def chunk(kind: bytes, body: bytes) -> bytes:
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        header = struct.pack(">IIBBBBB", len(rows[0]) // 3, len(rows), 8, 2, 0, 0, 0)
        raw = b"".join(b"\0" + row for row in rows)
        path = tmp_path / name
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
                         + chunk(b"IEND", b""))
        return path
    assert _png(write("blank.png", [b"\xff" * 30] * 4)) == (10, 4, 2)
    assert _png(write("busy.png", [bytes(range(i, i + 30)) for i in range(0, 120, 30)]))[2] == 120  # 0 to 119


@pytest.mark.slow
@pytest.mark.browser
def test_switch_language_keeps_the_runbook(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/en/runbooks/keystone.html")
    for lang in TRANSLATED:
        page.click(f".sb-language-switcher a[data-language={lang}]")
        page.wait_for_url(f"{server}/{lang}/runbooks/keystone.html")
        assert page.locator("html").get_attribute("lang") == lang
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_root_page_follows_the_browser_language(server: str, browser: object) -> None:
    for locale, lang in (("ko-KR", "ko"), ("ja-JP", "ja"), ("fr-FR", "en")):
        context = browser.new_context(locale=locale)  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(f"{server}/")
        page.wait_for_url(f"{server}/{lang}/index.html")
        context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_copy_button_copies_the_command_only(server: str, browser: object) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/en/runbooks/environment.html")
    cell = page.locator("div.cell:has(div.cell_output)").first
    command = cell.locator("div.cell_input pre").inner_text()
    output = cell.locator("div.cell_output pre").first.inner_text()
    assert cell.locator("div.cell_output button.copybtn").count() == 0
    cell.locator("div.cell_input").hover()
    cell.locator("div.cell_input button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    _shot(page, "copy-button")
    assert copied.strip() == command.strip()
    assert output.strip() not in copied
    assert not copied.startswith("%%")
    context.close()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang", site.LANGUAGES)
def test_copy_button_copies_the_parameters_and_the_guard(server: str, browser: object, lang: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/{lang}/runbooks/keystone.html")
    parameters = paste.settable(runbooks.load(ROOT / "runbooks" / "keystone.ipynb").parameters)

    def copy(block: object) -> str:
        block.hover()  # type: ignore[attr-defined]
        block.locator("button.copybtn").click()  # type: ignore[attr-defined]
        return str(page.evaluate("navigator.clipboard.readText()"))

    by_hand = page.locator("div.sb-by-hand")
    assert by_hand.locator("pre").inner_text().strip() == paste.exports(parameters, lang)
    assert by_hand.locator("p").inner_text().strip() == label(lang, "by_hand")
    assert by_hand.is_visible()
    assert copy(by_hand.locator("div.highlight")).strip() == paste.exports(parameters, lang)
    step = page.locator("div.cell_input", has_text="CREATE DATABASE IF NOT EXISTS keystone").first
    shown = step.locator("pre").inner_text()
    copied = copy(step)
    _shot(page, f"copy-guard-{lang}")
    assert copied.strip() == shown.strip()
    assert copied.startswith(paste.guard("KEYSTONE_DBPASS", lang) + " && {\n")
    assert copied.rstrip().endswith("EOF\n}")
    assert subprocess.run(["bash", "-n"], input=copied, text=True, check=False).returncode == 0  # it parses
    context.close()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(("lang", "query", "found"), [
    ("ja", "ファイアウォール", "docs/other-platforms"),  # a row of its table
    ("ko", "방화벽", "docs/other-platforms"),  # a row of its table
])
def test_search_box_finds_the_page(server: str, browser: object, lang: str, query: str, found: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/{lang}/search.html")
    box = page.locator(".bd-search-container form.bd-search input[name=q]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r".*/search\.html\?q="))
    page.wait_for_function("document.querySelector('#search-results p.search-summary')?.innerText.length > 0",
                           timeout=15000)
    hrefs = page.locator("#search-results ul.search li > a").evaluate_all("links => links.map(a => a.href)")
    assert any(href.startswith(f"{server}/{lang}/{found}.html") for href in hrefs), hrefs
    assert page.locator(".bd-search-container input[name=q]").input_value() == query  # the page searched for it
    _shot(page, f"search-box-{lang}")
    page.close()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang", site.LANGUAGES)
def test_home_page_shows_the_install_path(server: str, browser: object, lang: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server}/{lang}/index.html")
    page.locator("object.sb-install-path-graph").wait_for()
    graph = next(frame for frame in page.frames if frame.url.endswith(".svg"))
    graph.locator("g.node").first.wait_for()
    assert graph.locator("g.node").count() == len(_runbooks())
    graph.locator("g.node a").first.click()  # a box opens its runbook
    page.wait_for_url(f"{server}/{lang}/{_runbooks()[0]}.html")
    page.close()


SIDEBAR_HEADINGS = {"en": "Section Navigation", "ja": "このセクションのページ", "ko": "이 섹션의 페이지"}


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang", site.LANGUAGES)
def test_browser_walks_the_runbooks_in_install_order(built: Path, server: str, browser: object, lang: str) -> None:
    order = _runbooks()  # the order the runbook-toctree directive computes from the runbooks' requirements
    titles = [_title(built, lang, doc) for doc in order]
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/{lang}/index.html")
    navbar = page.locator("ul.bd-navbar-elements").first.locator("a.nav-link, a.dropdown-item")
    home = [href for href, _ in pages.toctree(_html(built, lang, "index"))]
    assert [href.removeprefix(f"{server}/{lang}/") for href in navbar.evaluate_all("a => a.map(x => x.href)")] == [
        href for href in home if not href.startswith("runbooks/") or href == "runbooks/index.html"]
    navbar.first.click()  # the top bar's first entry is the runbooks section
    page.wait_for_url(f"{server}/{lang}/runbooks/index.html")
    for doc, title in zip(order, titles, strict=True):  # Next, page after page, in install order
        page.click("a.right-next")
        page.wait_for_url(f"{server}/{lang}/{doc}.html")
        sidebar = page.locator("nav.bd-docs-nav")
        assert sidebar.locator(".bd-links__title").inner_text() == SIDEBAR_HEADINGS[lang]
        assert [t.strip() for t in sidebar.locator("li a").all_inner_texts()] == titles, f"{lang}/{doc}"
        assert sidebar.locator("li.current > a").inner_text().strip() == title, f"{lang}/{doc}"
    _shot(page, f"sidebar-{lang}")
    following = page.locator("a.right-next")  # after the last runbook, Next leaves the section
    assert following.count() == 0 or (following.get_attribute("href") or "").startswith("../")
    page.click("a.left-prev")  # and Previous goes back one
    page.wait_for_url(f"{server}/{lang}/{order[-2]}.html")
    assert page.locator("button.copybtn").first.get_attribute("data-tooltip") == label(lang, "copy")
    page.close()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang", site.LANGUAGES)
def test_screenshots_of_the_home_page_and_a_runbook(built: Path, server: str, browser: object, lang: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server}/{lang}/index.html")
    graph = page.locator("object.sb-install-path-graph")
    graph.wait_for()
    next(frame for frame in page.frames if frame.url.endswith(".svg")).locator("g.node").first.wait_for()
    home = _shot(page, f"home-{lang}", full_page=True)
    runbook = _runbooks()[1]
    page.goto(f"{server}/{lang}/{runbook}.html")
    assert page.locator("h1").first.inner_text().strip() == _title(built, lang, runbook)
    shots = [home, _shot(page, f"{runbook.replace('/', '-')}-{lang}", full_page=True)]
    page.close()
    for shot in shots:
        width, height, values = _png(shot)
        assert (width, height >= 900) == (1280, True), shot  # the whole page at the viewport's width
        assert values > 100, f"{shot} looks blank: {values} distinct byte values"
        assert shot.stat().st_size > 50_000, shot


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(("lang", "query", "found"), SEARCHES)
def test_search_finds_the_page_with_the_word(server: str, browser: object, lang: str, query: str, found: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/{lang}/search.html?q={query}")
    page.wait_for_function("document.querySelector('#search-results p.search-summary')?.innerText.length > 0",
                           timeout=15000)
    hrefs = page.locator("#search-results ul.search li > a").evaluate_all("links => links.map(a => a.href)")
    assert any(href.startswith(f"{server}/{lang}/{found}.html") for href in hrefs), hrefs
    summary = page.locator("#search-results p.search-summary").inner_text()
    assert "Search finished" not in summary and str(len(hrefs)) in summary
    for text in (query, "Keystone(Identity 서비스) 데이터베이스를", "TLS 証明書: コントローラー用"):
        assert page.evaluate("splitQuery", text) == search.query_terms(text)  # the browser splits as Python does
    _shot(page, f"search-{lang}-{found.rsplit('/', 1)[-1]}")
    page.close()
