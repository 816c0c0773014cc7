"""Reading built pages in tests: the English labels of the page's frame."""

from __future__ import annotations

import html
import re

from babel.messages.catalog import Catalog

from stackbook.i18n import catalogs, frame
from stackbook.sphinxext.frame import BODY_LABELS

LABEL_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-tooltip")  # attributes a reader sees or hears


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
