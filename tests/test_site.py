"""The real site: all three languages built with -W, fully translated, and used in a browser."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest

from stackbook import notebooks, platforms, runbooks
from stackbook.i18n import LANGUAGES, TRANSLATED, check, stats
from stackbook.sphinxext import site

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _pages() -> list[str]:
    pages = ["index", *(f"docs/{p.stem}" for p in (ROOT / "docs").glob("*.md"))]
    return sorted(pages + [f"runbooks/{p.stem}" for p in (ROOT / "runbooks").glob("*.ipynb")])


def test_every_page_is_fully_translated() -> None:
    rows = stats.collect(ROOT / "locales", list(TRANSLATED), _pages())
    unfinished = [f"{r.lang} {r.docname}: {r.untranslated} untranslated, {r.fuzzy} fuzzy"
                  for r in rows if not r.complete]
    assert unfinished == []


def test_catalogs_pass_the_check() -> None:
    assert [str(p) for p in check.check(ROOT / "locales", list(TRANSLATED))] == []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built in en, ja and ko with -W into a temporary folder."""
    out = tmp_path_factory.mktemp("site") / "html"
    results = site.build(ROOT, out)
    failed = {lang: "\n".join(r.tail(30)) for lang, (r, _) in results.items() if not r.ok}
    assert failed == {}, failed
    return out


@pytest.mark.slow
def test_three_languages_build_clean(built: Path) -> None:
    for lang in LANGUAGES:
        for page in _pages():
            assert (built / lang / f"{page}.html").is_file(), f"{lang}/{page}"
    assert "sb-translation" not in (built / "ja" / "runbooks" / "keystone.html").read_text()
    assert (built / "ko" / "_notebooks" / "keystone.ko.ipynb").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_runbook_shows_its_releases(built: Path, lang: str) -> None:
    for page in (p for p in _pages() if p.startswith("runbooks/")):
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


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (a free port), for the browser."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.RequestHandlerClass.log_message = lambda *a: None  # type: ignore[method-assign]
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


def _shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.browser
def test_switch_language_keeps_the_runbook(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/en/runbooks/keystone.html")
    _shot(page, "keystone-en")
    for lang in TRANSLATED:
        page.click(f".sb-language-switcher a[data-language={lang}]")
        page.wait_for_url(f"{server}/{lang}/runbooks/keystone.html")
        assert page.locator("html").get_attribute("lang") == lang
        _shot(page, f"keystone-{lang}")
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
def test_search_finds_a_japanese_term(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/ja/search.html?q=データベース")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15000)
    _shot(page, "search-ja")
    assert results.count() >= 1
    page.close()
