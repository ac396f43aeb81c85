"""Agreement of two segmentations of one protocol: a copy (a scan read by OCR) against the
segmentation of its original (the born-digital text).

The original's segmentation is written as a gold (`gold_of`) in the format of
`ingest/seg_eval.py` and the copy is scored against it with the same rules as against a
hand-made gold (`agreement`): item F1 (kind and number; a section by its heading), title
accuracy, decision-clause F1 per item (every item's clauses are judged, an item without
decisions must have none), and the metadata the original states or leaves null (kind, förbund,
meeting date, chair, secretary). Sections of attachments are compared like the rest.
"""

from __future__ import annotations

from typing import Any

from corpus.model import ARENDE, PARAGRAF, PUNKT, SEKTION, Document, Item, SegScore
from ingest.seg_eval import score_document

# The label word of a numbered kind, as the gold format writes it (seg_eval.LABEL_KINDS).
_LABEL_WORD = {PARAGRAF: "§", PUNKT: "punkt", ARENDE: "ärende"}


def _gold_item(it: Item) -> dict[str, Any]:
    decisions = list(it.decisions)
    word = _LABEL_WORD.get(it.kind)
    if it.kind == SEKTION or word is None or it.number is None:
        return {"label": f"sektion:{it.title}", "title": it.title, "decisions": decisions}
    return {
        "n": it.number,
        "label": f"{word} {it.number}",
        "title": it.title,
        "decisions": decisions,
    }


def gold_of(doc: Document) -> dict[str, Any]:
    """A document's segmentation as a gold entry (the format `score_document` takes)."""
    m = doc.meeting
    return {
        "kind": doc.kind,
        "forbund": m.forbund,
        "date": m.date,
        "chair": m.chair,
        "secretary": m.secretary,
        "items": [_gold_item(it) for it in doc.items],
    }


def agreement(original: Document, copy: Document) -> SegScore:
    """How far ``copy`` segments like ``original``: a score of the copy against the original's
    segmentation (see the module doc)."""
    return score_document(original.source, gold_of(original), copy)
