"""Sphinx configuration for the stackbook site (English source; ja and ko from locales/)."""

from __future__ import annotations

project = "stackbook"
author = "stackbook contributors"
copyright = "stackbook contributors"

extensions = ["stackbook.sphinxext"]

root_doc = "index"
include_patterns = ["index.md", "docs/**", "runbooks/**"]
exclude_patterns = [".venv", ".nox", "_build", "runs", "locales", "tests", "src", "README.md"]

# Notebooks render from their stored outputs; never executed at build time.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

language = "en"
locale_dirs = ["locales/"]
gettext_compact = False
gettext_location = False  # line numbers would churn every catalog on each English edit
gettext_last_translator = "stackbook translators"
gettext_language_team = "stackbook translators"

html_theme = "pydata_sphinx_theme"
html_title = "stackbook"
html_last_updated_fmt = None
html_copy_source = False
html_theme_options = {
    "navbar_end": ["language-switcher", "theme-switcher"],
    "secondary_sidebar_items": ["page-toc"],
    "show_prev_next": True,
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_sidebars = {"**": ["sidebar-nav-bs"]}

# The copy button copies commands only: not outputs, not a "$ " prompt.
copybutton_selector = "div:not(.output) > div.highlight > pre"
copybutton_prompt_text = r"\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
