"""The install path: the runbooks in the order they are run, and a picture of what needs what.

The order is :func:`stackbook.runbooks.order` over the runbooks' names, sorted: what
``stackbook run --all`` runs. ``{runbook-toctree}`` puts the runbooks in that order into the
site's navigation (sidebar, Previous/Next); ``{install-path}`` draws them with Graphviz, each
node titled as its page (so in the page's language) and marked with its latest result on the
default platform.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.directives.other import TocTree
from sphinx.environment import BuildEnvironment
from sphinx.ext.graphviz import graphviz
from sphinx.util.docutils import SphinxDirective

from stackbook import platforms, runbooks
from stackbook.errors import MissingTool, StackbookError
from stackbook.sphinxext import localize, results, verification
from stackbook.sphinxext.labels import label
from stackbook.sphinxext.linebreak import wrap
from stackbook.sphinxext.matrix import state

FOLDER = "runbooks"  # where the runbooks' pages are
MARKS = {"passed": "✓", "failed": "✗", "differs": "≠", "unverified": "–", "unknown": "?"}
# Node fill and border per state (light fills keep dark text readable in both colour modes).
COLOURS = {"passed": ("#d4edda", "#1e7e34"), "failed": ("#f8d7da", "#b02a37"),
           "differs": ("#fff3cd", "#997404"), "unverified": ("#e9ecef", "#6c757d"),
           "unknown": ("#fff3cd", "#997404")}

@dataclass(frozen=True)
class Step:
    """One runbook on the path, with its latest run on the default platform."""

    docname: str
    requires: tuple[str, ...]  # docnames
    state: str  # passed | failed | differs | unverified | unknown
    day: date | None = None  # of that run


def runbook_paths(env: BuildEnvironment) -> dict[str, Path]:
    """The site's runbooks: docname -> notebook."""
    found = {doc: Path(env.doc2path(doc)) for doc in env.found_docs if doc.startswith(FOLDER + "/")}
    return {doc: path for doc, path in sorted(found.items()) if path.suffix == ".ipynb"}


def install_order(known: Mapping[str, runbooks.Runbook]) -> list[str]:
    """Pure: runbook names in install order (requirements first, then by name)."""
    return [book.name for book in runbooks.order(sorted(known), dict(known), with_requires=True)]


def step(docname: str, book: runbooks.Runbook, record: verification.Record | None) -> Step:
    """Pure: a runbook's step (its requirements as docnames in the same folder)."""
    folder = str(PurePosixPath(docname).parent)
    if record is None:
        return Step(docname, tuple(f"{folder}/{name}" for name in book.requires), "unverified")
    return Step(docname, tuple(f"{folder}/{name}" for name in book.requires), state(record.status), record.day)


def read_steps(paths: Mapping[str, Path],
               read: Callable[[Path], Mapping[str, verification.Record]] = verification.read) -> list[Step]:
    """The runbooks at ``paths`` (docname -> notebook) in install order, each with its latest result
    as ``read`` gives it (the build's records, else the runbook's metadata)."""
    books = {path.stem: (doc, runbooks.load(path)) for doc, path in paths.items()}
    ordered = install_order({name: book for name, (_doc, book) in books.items()})
    return [step(books[name][0], books[name][1], read(books[name][1].path).get(platforms.DEFAULT))
            for name in ordered]


def site_steps(directive: SphinxDirective) -> list[Step]:
    """The site's runbooks in install order, each noted as a dependency of the directive's page
    (the directive's error when they cannot be read or ordered)."""
    paths = runbook_paths(directive.env)
    for path in paths.values():
        directive.env.note_dependency(str(path))
    try:
        return read_steps(paths, lambda path: results.verified(directive.env, path))
    except StackbookError as exc:
        raise directive.error(str(exc)) from None


def quote(text: str) -> str:
    """Pure: ``text`` as a DOT string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def result_words(found: Step, lang: str) -> str:
    """Pure: the step's latest result in words, with its date when there is one."""
    if found.state == "unverified":
        return label(lang, "not_verified_yet")
    words = localize.result(found.state, lang) if found.state != "unknown" else "?"
    return f"{words} ({localize.day(found.day, lang)})" if found.day else words


def dot(steps: Sequence[Step], titles: Mapping[str, str], urls: Mapping[str, str], lang: str) -> str:
    """Pure: the DOT graph of the path: a node per runbook (mark, title, link), an arrow to each
    runbook from each one it needs."""
    lines = ["digraph install_path {",
             f'  graph [rankdir=LR, bgcolor="transparent", nodesep=0.15, ranksep=0.35, '
             f"tooltip={quote(label(lang, 'path_alt'))}];",
             '  node [shape=box, style="rounded,filled", fontname="sans-serif", fontsize=11, '
             'fontcolor="#212529", penwidth=1.4, margin="0.12,0.06"];',
             '  edge [color="#6c757d", arrowsize=0.7];']
    for found in steps:
        title = titles.get(found.docname, found.docname)
        text = "\\n".join(quote(line)[1:-1] for line in wrap(f"{MARKS[found.state]} {title}"))
        fill, border = COLOURS[found.state]
        tooltip = f"{title}: {result_words(found, lang)}"
        lines.append(f'  {quote(found.docname)} [label="{text}", fillcolor="{fill}", color="{border}", '
                     f'URL={quote(urls[found.docname])}, target="_top", tooltip={quote(tooltip)}];')
    for found in steps:
        lines += [f"  {quote(needed)} -> {quote(found.docname)};" for needed in found.requires]
    return "\n".join([*lines, "}"]) + "\n"


def legend(lang: str) -> nodes.paragraph:
    """What the marks and colours mean, for the default platform."""
    shown = localize.platform_label(platforms.DEFAULT, localize.shipped(platforms.DEFAULT), lang)
    para = nodes.paragraph("", label(lang, "path_legend", platform=shown) + " ", classes=["sb-path-legend"])
    words = {"passed": localize.result("passed", lang), "failed": localize.result("failed", lang),
             "differs": localize.result("differs", lang), "unverified": label(lang, "not_verified_yet")}
    for key, text in words.items():
        para += nodes.inline("", f"{MARKS[key]} {text}", classes=["sb-mark", f"sb-{key}"])
        para += nodes.Text(" ")
    return para


class install_path(nodes.General, nodes.Element):  # docutils names node classes in lower case
    """Where the picture goes; replaced once every page's title is known (doctree-resolved)."""


class InstallPath(SphinxDirective):
    """``{install-path}``: the picture of the runbooks and what each needs, with its legend."""

    def run(self) -> list[nodes.Node]:
        """Read the runbooks' metadata now; titles and links are filled in when the page is written."""
        placeholder = install_path("", steps=site_steps(self))
        return [nodes.container("", placeholder, legend(self.config.language or "en"),
                                classes=["sb-install-path"])]


class RunbookToctree(TocTree):
    """``{runbook-toctree}``: a toctree of every runbook in install order (toctree's options apply)."""

    def run(self) -> list[nodes.Node]:
        """List the runbooks in install order, then let toctree do the rest."""
        ordered = [found.docname for found in site_steps(self)]
        self.content = self.content.__class__(["/" + doc for doc in ordered], "<runbook-toctree>")
        return super().run()


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Sphinx doctree-resolved handler: each placeholder becomes a Graphviz graph."""
    lang = str(app.config.language or "en")
    for placeholder in list(doctree.findall(install_path)):
        if app.builder.format == "html" and shutil.which(app.config.graphviz_dot) is None:
            raise MissingTool(app.config.graphviz_dot, "graphviz")
        steps: list[Step] = placeholder["steps"]
        titles = {s.docname: app.env.titles[s.docname].astext() for s in steps if s.docname in app.env.titles}
        urls = {s.docname: app.builder.get_relative_uri(docname, s.docname) for s in steps}
        graph = graphviz()
        graph["code"] = dot(steps, titles, urls, lang)
        graph["options"] = {"docname": docname}
        graph["alt"] = html.escape(label(lang, "path_alt"))
        graph["classes"] = ["sb-install-path-graph"]
        placeholder.replace_self(graph)

