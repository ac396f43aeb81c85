"""Layout hints shared by the readers: heading styles, header/footer parts, page placement.

Readers that build a page's text in one pass (DOCX, HTML) collect their Blocks beside it;
``place`` then puts each block on the page whose text holds it, walking forward so repeated
texts land in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.model import Block, Page

HEADING_STYLE = re.compile(
    r"^(?:heading|rubrik|overskrift|berschrift)\s*(\d)$|^(title|rubrik)$", re.I
)


def heading_level(style_name: str) -> int | None:
    """The heading level of a paragraph style name ("Heading 2", "Rubrik 1", "Title" -> 1)."""
    m = HEADING_STYLE.match(" ".join(style_name.split()))
    if not m:
        return None
    return int(m.group(1)) if m.group(1) else 1


def place(texts: Sequence[str], blocks: Sequence[Block], first: Sequence[Block] = ()) -> list[Page]:
    """Pages of ``texts`` (numbered from 1) with each block on the page holding its text.

    ``first`` (running headers and footers, evidence about the whole document) go to page 1.
    A block whose text is not found stays on the page of the block before it.
    """
    per_page: list[list[Block]] = [[] for _ in texts]
    if per_page:
        per_page[0] += first
    flats = [" ".join(t.split()) for t in texts]
    page, offset = 0, 0
    for block in blocks:
        key = " ".join(block.text.split())[:60]
        found = False
        for p in range(page, len(texts)):
            at = flats[p].find(key, offset if p == page else 0) if key else -1
            if at >= 0:
                page, offset, found = p, at + len(key), True
                break
        if per_page and (found or key):
            per_page[page].append(block)
    return [Page(n, t, tuple(b)) for n, (t, b) in enumerate(zip(texts, per_page, strict=True), 1)]
