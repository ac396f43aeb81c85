"""Precedents: earlier items like a draft (a tjänsteskrivelse or ärende text), with decisions."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from corpus.model import Filters, Precedent
from index.decisions import decision_row
from index.fuse import rrf
from index.search import Searcher

QUERY_WORDS = 300  # a draft longer than this is cut for the lexical query
DENSE_CHARS = 2000  # e5 reads at most 512 tokens


def precedents(
    searcher: Searcher,
    draft: str,
    k: int = 10,
    filters: Filters | None = None,
    *,
    per_meeting: int = 2,
    depth: int = 200,
) -> list[Precedent]:
    """Items with decisions most like the draft; at most per_meeting items of one document, so
    one meeting does not crowd out other förbund."""
    draft = unicodedata.normalize("NFC", draft).strip()
    if not draft:
        return []
    filters = replace(filters or Filters(), decisions_only=True)
    allowed = searcher.store.allowed_keys(filters)
    if len(allowed) == 0:
        return []
    lexical = searcher.lexical.search(" ".join(draft.split()[:QUERY_WORDS]), depth, allowed)
    qvec = searcher.encoder.encode_queries([draft[:DENSE_CHARS]])[0]
    dense = searcher.dense.search(qvec, depth, allowed)
    similarity = {h.item_id: h.score for h in dense}
    fused = rrf([lexical, dense])
    contexts = {c.item.item_id: c for c in searcher.store.item_contexts([h.item_id for h in fused])}
    per_doc: dict[str, int] = {}
    out: list[Precedent] = []
    for hit in fused:
        ctx = contexts.get(hit.item_id)
        if ctx is None or ctx.item.procedural:
            continue
        if per_doc.get(ctx.doc_id, 0) >= per_meeting:
            continue
        per_doc[ctx.doc_id] = per_doc.get(ctx.doc_id, 0) + 1
        out.append(Precedent(decision_row(ctx, hit.score), similarity.get(hit.item_id, 0.0)))
        if len(out) >= k:
            break
    return out
