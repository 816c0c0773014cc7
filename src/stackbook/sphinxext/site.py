"""Build the whole site: every language in its own process, plus the root redirect page.

Usage: ``python -m stackbook.sphinxext.site [--serve] [--lang LANG] [SPHINX OPTIONS...]``
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from stackbook import process
from stackbook.files import replace_folder
from stackbook.i18n import LANGUAGES
from stackbook.process import Result

REDIRECT = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>stackbook</title>
<script>
// Send the reader to the site in their browser's language (what Accept-Language says).
(function () {{
  var have = {languages};
  var wanted = (navigator.languages || [navigator.language || "en"]);
  for (var i = 0; i < wanted.length; i++) {{
    var code = String(wanted[i]).toLowerCase().split("-")[0];
    if (have.indexOf(code) >= 0) {{ location.replace(code + "/index.html"); return; }}
  }}
  location.replace("en/index.html");
}})();
</script>
<noscript><meta http-equiv="refresh" content="0; url=en/index.html"></noscript>
</head>
<body>
<ul>{links}</ul>
</body>
</html>
"""


def redirect_page(langs: tuple[str, ...]) -> str:
    """Pure: the root index.html that picks a language (English when none matches)."""
    links = "".join(f'<li><a href="{code}/index.html" hreflang="{code}">{code}</a></li>'
                    for code in langs)
    return REDIRECT.format(languages=json.dumps(list(langs)), links=links)


def sphinx_argv(srcdir: Path, out: Path, lang: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The sphinx-build command for one language (own doctree folder, warnings are errors)."""
    return [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
            "-D", f"language={lang}", "-d", str(out.parent / "doctrees" / lang),
            *extra, str(srcdir), str(out / lang)]


def _timed(argv: list[str]) -> tuple[Result, float]:
    start = time.perf_counter()
    return process.run(argv), time.perf_counter() - start


def build(srcdir: Path, out: Path, langs: tuple[str, ...] = LANGUAGES,
          extra: tuple[str, ...] = ()) -> dict[str, tuple[Result, float]]:
    """Build every language in parallel processes and write the redirect page. The new site takes
    ``out``'s place only when every language built: a failed or killed build leaves the previous
    site whole (a published site is never half old, half new)."""

    def make(staging: Path) -> dict[str, tuple[Result, float]]:
        (staging / "index.html").write_text(redirect_page(langs), encoding="utf-8")
        with ThreadPoolExecutor(max_workers=len(langs)) as pool:
            done = pool.map(_timed, [sphinx_argv(srcdir, staging, lang, extra) for lang in langs])
            return dict(zip(langs, done, strict=True))

    out.parent.mkdir(parents=True, exist_ok=True)
    return replace_folder(out, make, lambda results: all(r.ok for r, _ in results.values()))


def serve_argv(srcdir: Path, out: Path, lang: str, port: int) -> list[str]:
    """sphinx-autobuild for one language, on loopback only."""
    return [sys.executable, "-m", "sphinx_autobuild", "--host", "127.0.0.1", "--port", str(port),
            "-D", f"language={lang}", "-d", str(out.parent / "doctrees" / lang),
            "--watch", str(srcdir / "locales"), "--watch", str(srcdir / "src" / "stackbook"),
            str(srcdir), str(out / lang)]


def main(argv: list[str]) -> int:
    """Build the site (or serve one language with --serve); print each language's time."""
    serve = "--serve" in argv
    lang = argv[argv.index("--lang") + 1] if "--lang" in argv else "en"
    extra = tuple(a for i, a in enumerate(argv)
                  if a not in ("--serve", "--lang") and (i == 0 or argv[i - 1] != "--lang"))
    srcdir, out = Path.cwd(), Path("_build/html")
    if serve:
        os.execv(sys.executable, serve_argv(srcdir, out, lang, 8000))
    start = time.perf_counter()
    results = build(srcdir, out, LANGUAGES, extra)
    for code, (result, seconds) in results.items():
        print(f"{code}: {'ok' if result.ok else 'FAILED'} in {seconds:.1f} s", flush=True)
        if not result.ok:
            print("\n".join(result.tail(40)), file=sys.stderr)
    ok = all(r.ok for r, _ in results.values())
    where = f"-> {out}/index.html" if ok else f"not published: {out} is as it was before this build"
    print(f"all languages: {time.perf_counter() - start:.1f} s {where}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
