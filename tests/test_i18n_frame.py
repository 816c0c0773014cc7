"""The site's frame catalog: the theme's messages, Sphinx's missing ones and the theme's options."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from stackbook.i18n import catalogs, frame


def _theme() -> Catalog:
    """A theme template as pydata-sphinx-theme ships it: its own messages and its docs' ones."""
    theme = Catalog(fuzzy=False)
    theme.add("Click to expand", locations=[("docs/conf.py", 111)])
    theme.add("Section Navigation", locations=[("src/pydata_sphinx_theme/theme/x/sidebar-nav-bs.html", 3)])
    theme.add("© Copyright %(copyright)s.", locations=[("src/pydata_sphinx_theme/theme/x/copyright.html", 9)],
              flags=["python-format"])
    return theme


def _ids(catalog: Catalog) -> list[object]:
    return [message.id for message in catalog if message.id]


def test_template_has_the_theme_s_messages_then_ours() -> None:
    found = frame.template(_theme(), Catalog(fuzzy=False))
    assert _ids(found) == ["Section Navigation", "© Copyright %(copyright)s.", *frame.SPHINX_MESSAGES,
                           *frame.THEME_OPTIONS, frame.SEARCH_RESULTS]
    assert "python-format" in found["© Copyright %(copyright)s."].flags
    assert not found["Section Navigation"].locations  # no line numbers to churn the catalogs


def test_template_keeps_what_sphinx_extracted_from_our_templates() -> None:
    base = Catalog(fuzzy=False)
    base.add("Language")
    found = frame.template(_theme(), base)
    assert _ids(found)[:2] == ["Language", "Section Navigation"]
    assert _ids(base) == ["Language"]  # pure: the base is left as it was


def test_write_template_reads_the_installed_theme(tmp_path: Path) -> None:
    path = frame.write_template(tmp_path, "stackbook", "0.1")
    assert path == tmp_path / "sphinx.pot"
    found = catalogs.load(path)
    assert {"Section Navigation", "On this page", "previous page", "Link to this heading",
            "Search the docs ..."} <= set(_ids(found))
    assert "Click to expand" not in _ids(found)
    assert found.project == "stackbook"


def test_every_browser_message_is_in_the_template() -> None:
    found = frame.template(catalogs.load(frame.theme_template_path()), Catalog(fuzzy=False))
    singulars = {message.id if isinstance(message.id, str) else message.id[0] for message in found if message.id}
    assert set(frame.JS_MESSAGES) <= singulars
