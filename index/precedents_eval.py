"""Scoring precedents (``index.precedents``) on graded drafts: nDCG@10, Recall@10, MRR, P@5.

A draft file is the query-file format of ``index.evaluate`` (``tests/data/precedents/
drafts.json``), each draft with its ``matter``. Precedents are decided items only, so a
draft is scored against the judgements that name an item of the precedent pool (the items
``precedents`` may show: a decision, not procedural, status decided); a judgement that names
no such item counts neither in the ideal ranking nor in the recall's denominator.

nDCG@10 uses the grades (``index.evaluate.ndcg``, each judgement credited once, at its first
match: ``index.evaluate.gains``). The binary measures count an item as relevant at grade
``RELEVANT`` or more: Recall@10 is the share of the pool's relevant items in the first ten,
capped (the relevant found in the first ten over min(10, relevant in the pool)), so a draft
with thirty relevant items can reach 1; MRR is the reciprocal rank of the first relevant
item; P@5 the share of relevant items among the first five.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corpus.model import EvalQuery, ItemContext
from index.evaluate import assign_splits, gains, matches, ndcg

RELEVANT = 2  # the grade from which a precedent counts as relevant (binary measures)
K = 10


@dataclass(frozen=True, slots=True)
class DraftScore:
    """The scores of one draft (or the means of a group of drafts, qid naming the group)."""

    qid: str
    split: str
    ndcg10: float
    recall10: float
    rr: float
    p5: float
    n: int = 1  # drafts averaged


def score_draft(
    q: EvalQuery, ranked: Sequence[ItemContext], pool: Sequence[ItemContext]
) -> DraftScore:
    """Score one draft's list against its judgements that name an item of the pool."""
    judged = [j for j in q.relevant if any(matches(c, j) for c in pool)]
    g = gains(ranked, judged)
    relevant = sum(1 for j in judged if j.grade >= RELEVANT)
    found = sum(1 for x in g[:K] if x >= RELEVANT)
    first = next((r for r, x in enumerate(g, 1) if x >= RELEVANT), None)
    return DraftScore(
        q.qid,
        q.split,
        ndcg(g, [j.grade for j in judged], K),
        found / min(K, relevant) if relevant else 0.0,
        1.0 / first if first else 0.0,
        sum(1 for x in g[:5] if x >= RELEVANT) / 5,
    )


def mean(scores: Sequence[DraftScore], name: str, split: str = "") -> DraftScore:
    n = len(scores)
    if not n:
        return DraftScore(name, split, 0.0, 0.0, 0.0, 0.0, 0)
    return DraftScore(
        name,
        split,
        sum(s.ndcg10 for s in scores) / n,
        sum(s.recall10 for s in scores) / n,
        sum(s.rr for s in scores) / n,
        sum(s.p5 for s in scores) / n,
        n,
    )


def assign_draft_splits(drafts: Sequence[EvalQuery], matter: Mapping[str, str]) -> dict[str, str]:
    """Draft id -> "tune" | "report": ``index.evaluate.assign_splits`` with the draft's
    matter as its stratum (within a matter, drafts alternate between the halves in the order
    of the sha256 of their ids; the odd matters' extra drafts alternate between the halves)."""
    return assign_splits(
        EvalQuery(q.qid, q.text, q.relevant, lang=q.lang, kind=matter[q.qid]) for q in drafts
    )
