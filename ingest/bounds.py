"""The size bound of one item, so that one huge item (a 100 MB one-line text file is one
item) cannot hold the index update for hours. Pure.

An item whose body is longer than the bound is cut at a word boundary; the cut is reported,
never silent: the caller turns each Cut into a warning the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from corpus.model import Document

# 200 000 characters is about 60 pages of running text in one item, and about 190 passages
# of 200 words to embed: far above any § of a protocol, small enough to embed in seconds.
MAX_ITEM_CHARS = 200_000
MAX_TITLE_CHARS = 1_000  # a heading longer than this is not a heading


@dataclass(frozen=True, slots=True)
class Cut:
    """One item cut by the bound: its label and title, its length and what was kept."""

    item: str
    total: int
    kept: int
    limit: int


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = max(head.rfind(" "), head.rfind("\n"))
    return head[:space] if space > limit // 2 else head


def bound_items(doc: Document, limit: int = MAX_ITEM_CHARS) -> tuple[Document, list[Cut]]:
    """The document with every item body cut to `limit` characters (and every title to
    MAX_TITLE_CHARS), and one Cut per item whose body was cut. An item within the bound is
    left as it is."""
    cuts: list[Cut] = []
    items = []
    for item in doc.items:
        body, title = _cut(item.body, limit), _cut(item.title, MAX_TITLE_CHARS)
        if body is not item.body:
            name = " ".join(f"{item.label} {title}".split())[:80]
            cuts.append(Cut(name, len(item.body), len(body), limit))
        if body is not item.body or title is not item.title:
            # A "title" over MAX_TITLE_CHARS is a run-on line, not a heading: cut, and still
            # whole in the body, so nothing is lost and nothing is reported.
            item = replace(item, body=body, title=title)
        items.append(item)
    if not cuts:
        return doc, []
    return replace(doc, items=tuple(items)), cuts
