"""Precedents: earlier decided items like a draft (a tjänsteskrivelse or ärende text).

Candidates come from the same retrieval as search: lexical and dense runs fused with the
search's tuned weights (``index.tuning.Tuning``). The list keeps the fused order (``ORDER``,
one of ``ORDERS``: chosen on the tuning half of ``tests/data/precedents/drafts.json`` by
``scripts/eval_precedents.py variants``; sorting by the dense cosine alone, as before, put a
meeting's budget and reports above other boards' tilläggsäskanden for a tilläggsäskande: the
cosines of a draft with every item lie within a few hundredths) and shows the
similarity of each item to the draft (cosine of the draft and the item's best passage), one
row per item: the same decision met twice (a document ingested under two names) is shown
once, and at most ``per_meeting`` items of one meeting (one, chosen with the order), so one
protocol does not crowd out other förbund.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from corpus.model import DECIDED, Filters, Hit, Precedent, item_key
from index.decisions import decision_row
from index.fuse import rrf
from index.search import Searcher

QUERY_WORDS: int | None = 300  # a draft longer than this is cut for the lexical query
DENSE_CHARS = 2000  # e5 reads at most 512 tokens
CANDIDATES_PER_RESULT = 5  # fused candidates looked at per precedent asked for


def _by_cosine(fused: Sequence[Hit], sim: Mapping[str, float], _: set[str], k0: float) -> list[Hit]:
    return sorted(fused, key=lambda h: (-sim.get(h.item_id, 0.0), -h.score, h.item_id))


def _fused(fused: Sequence[Hit], sim: Mapping[str, float], _: set[str], k0: float) -> list[Hit]:
    return list(fused)


def _fused_and_cosine(
    fused: Sequence[Hit], sim: Mapping[str, float], acts: set[str], k0: float
) -> list[Hit]:
    """Reciprocal rank fusion of the fused order and the cosine order."""
    return rrf([list(fused), _by_cosine(fused, sim, acts, k0)], k0=k0)


def _cosine_times_fused(
    fused: Sequence[Hit], sim: Mapping[str, float], _: set[str], k0: float
) -> list[Hit]:
    return sorted(fused, key=lambda h: (-sim.get(h.item_id, 0.0) * h.score, h.item_id))


def _fused_and_act(
    fused: Sequence[Hit], sim: Mapping[str, float], acts: set[str], k0: float
) -> list[Hit]:
    """Reciprocal rank fusion of the fused order and the same order with the items that
    decided what the draft proposes (its act: granted, rejected, approved …) first."""
    matching = [h for h in fused if h.item_id in acts]
    return rrf([list(fused), matching + [h for h in fused if h.item_id not in acts]], k0=k0)


# name -> order of the fused candidates, given their cosines with the draft, the ids of those
# whose decided act is one the draft proposes, and the fusion's k0
Order = Callable[[Sequence[Hit], Mapping[str, float], set[str], float], list[Hit]]
ORDERS: dict[str, Order] = {
    "cosine": _by_cosine,
    "fused": _fused,
    "fused+cosine": _fused_and_cosine,
    "cosine*fused": _cosine_times_fused,
    "fused+act": _fused_and_act,
}
ORDER = "fused"
_PROPOSAL = re.compile(r"förslag(?: till beslut)?\s*:?", re.IGNORECASE)


def proposed_acts(draft: str) -> set[str]:
    """The acts the draft proposes: its sentences after the last "Förslag (till beslut)"
    (all of them if it has none), each read as a proposal (``ingest.stance.classify``)."""
    from ingest.stance import classify

    parts = _PROPOSAL.split(draft)
    text = parts[-1] if len(parts) > 1 else draft
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\s+(?=att )", text) if s.strip()]
    return {a for s in sentences if (a := classify(s, from_proposal=True).act)}


def precedents(
    searcher: Searcher,
    draft: str,
    k: int = 10,
    filters: Filters | None = None,
    *,
    per_meeting: int = 1,
    order: str = ORDER,
    query_words: int | None = QUERY_WORDS,
) -> list[Precedent]:
    """The k decided items most like the draft, in `order` (see ``ORDERS``); `query_words`
    cuts the draft for the lexical query (None: all of it)."""
    draft = unicodedata.normalize("NFC", draft).strip()
    if not draft or k <= 0:
        return []
    ordering = ORDERS[order]
    filters = replace(filters or Filters(), decisions_only=True)
    allowed = searcher.store.allowed_keys(filters)
    if len(allowed) == 0:
        return []
    tuning = searcher.tuning
    depth = max(tuning.depth, k * CANDIDATES_PER_RESULT)
    lexical = searcher.lexical.search(" ".join(draft.split()[:query_words]), depth, allowed)
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
    acting: set[str] = set()
    if ordering is _fused_and_act:
        acts = proposed_acts(draft)
        acting = {i for i, c in contexts.items() if decision_row(c, 0.0).act in acts}
    fused_score = {h.item_id: h.score for h in fused}
    ranked = ordering(
        [h for h in fused if h.item_id in contexts], similarity, acting, tuning.rrf_k0
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
        row = decision_row(ctx, fused_score[hit.item_id])
        if row.status != DECIDED:  # a notice's proposal is no precedent
            continue
        seen.add(same)
        per_doc[ctx.doc_id] = per_doc.get(ctx.doc_id, 0) + 1
        out.append(Precedent(row, similarity.get(hit.item_id, 0.0)))
        if len(out) >= k:
            break
    return out
