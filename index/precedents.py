"""Precedents: earlier decided items like a draft (a tjänsteskrivelse or ärende text).

Candidates come from the same retrieval as search: lexical and dense runs fused with the
search's tuned weights (``index.tuning.Tuning``). The list shows, and is sorted by, the
similarity of each item to the draft (cosine of the draft and the item's best passage), one
row per item: the same decision met twice (a document ingested under two names) is shown
once, and at most ``per_meeting`` items of one meeting, so one protocol does not crowd out
other förbund.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import numpy as np

from corpus.model import DECIDED, Filters, Precedent, item_key
from index.decisions import decision_row
from index.fuse import rrf
from index.search import Searcher

QUERY_WORDS = 300  # a draft longer than this is cut for the lexical query
DENSE_CHARS = 2000  # e5 reads at most 512 tokens
CANDIDATES_PER_RESULT = 5  # fused candidates looked at per precedent asked for


def precedents(
    searcher: Searcher,
    draft: str,
    k: int = 10,
    filters: Filters | None = None,
    *,
    per_meeting: int = 2,
) -> list[Precedent]:
    """The k decided items most like the draft, most similar first."""
    draft = unicodedata.normalize("NFC", draft).strip()
    if not draft or k <= 0:
        return []
    filters = replace(filters or Filters(), decisions_only=True)
    allowed = searcher.store.allowed_keys(filters)
    if len(allowed) == 0:
        return []
    tuning = searcher.tuning
    depth = max(tuning.depth, k * CANDIDATES_PER_RESULT)
    lexical = searcher.lexical.search(" ".join(draft.split()[:QUERY_WORDS]), depth, allowed)
    qvec = searcher.encoder.encode_queries([draft[:DENSE_CHARS]])[0]
    dense = searcher.dense.search(qvec, depth, allowed)
    fused = rrf(
        [lexical, dense], k0=tuning.rrf_k0, weights=[tuning.lexical_weight, tuning.dense_weight]
    )[: k * CANDIDATES_PER_RESULT]
    similarity = {h.item_id: h.score for h in dense}
    missing = [h.item_id for h in fused if h.item_id not in similarity]
    if missing:  # lexical-only candidates: their cosine with the draft, from the same index
        keys = np.array(sorted(item_key(i) for i in missing), dtype=np.int64)
        similarity |= {h.item_id: h.score for h in searcher.dense.search(qvec, len(keys), keys)}
    contexts = {c.item.item_id: c for c in searcher.store.item_contexts([h.item_id for h in fused])}
    ranked = sorted(
        (h for h in fused if h.item_id in contexts),
        key=lambda h: (-similarity.get(h.item_id, 0.0), -h.score, h.item_id),
    )
    per_doc: dict[str, int] = {}
    seen: set[tuple[str | None, str | None, str, str]] = set()
    out: list[Precedent] = []
    for hit in ranked:
        ctx = contexts[hit.item_id]
        if ctx.item.procedural:
            continue
        same = (ctx.forbund, ctx.meeting_date, ctx.item.label, " ".join(ctx.item.decisions))
        if same in seen or per_doc.get(ctx.doc_id, 0) >= per_meeting:
            continue
        row = decision_row(ctx, hit.score)
        if row.status != DECIDED:  # a notice's proposal is no precedent
            continue
        seen.add(same)
        per_doc[ctx.doc_id] = per_doc.get(ctx.doc_id, 0) + 1
        out.append(Precedent(row, similarity.get(hit.item_id, 0.0)))
        if len(out) >= k:
            break
    return out
