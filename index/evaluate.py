"""Search quality on graded query files: nDCG@10, Recall@20 and MRR per mode."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

from corpus.errors import CorpusError
from corpus.model import EvalQuery, EvalScore, ItemContext, Judgement


def load_queries(path: Path) -> list[EvalQuery]:
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
        return [
            EvalQuery(
                q["id"], q["q"], tuple(Judgement(s, lab, int(g)) for s, lab, g in q["relevant"])
            )
            for q in raw["queries"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise CorpusError(f"{path}: not a query file in the dev-queries format ({e})") from e


def _number(label: str) -> int | None:
    m = re.search(r"\d+", label)
    return int(m.group()) if m else None


def matches(ctx: ItemContext, j: Judgement) -> bool:
    """Same source file and same item number; for "sektion:<kw>" a section whose heading
    (or the heading of its attachment) holds the keyword."""
    if ctx.source != j.source:
        return False
    if j.label.startswith("sektion:"):
        kw = j.label.split(":", 1)[1].strip().casefold()
        heads = (ctx.item.title, ctx.item.attachment or "")
        return any(kw in h.casefold() for h in heads)
    return ctx.item.number is not None and ctx.item.number == _number(j.label)


def gains(ranked: Sequence[ItemContext], relevant: Sequence[Judgement]) -> list[int]:
    """Grade of each ranked item; each judgement is credited once, at its first match."""
    used: set[int] = set()
    out = []
    for ctx in ranked:
        grade = 0
        for i, j in enumerate(relevant):
            if i not in used and matches(ctx, j):
                used.add(i)
                grade = j.grade
                break
        out.append(grade)
    return out


def ndcg(gained: Sequence[int], ideal: Sequence[int], k: int) -> float:
    def dcg(gs: Sequence[int]) -> float:
        return sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(gs[:k]))

    best = dcg(sorted(ideal, reverse=True))
    return dcg(gained) / best if best else 0.0


def score_run(
    mode: str, queries: Sequence[EvalQuery], ranked: Sequence[Sequence[ItemContext]]
) -> EvalScore:
    per = []
    mrr = 0.0
    for q, run in zip(queries, ranked, strict=True):
        g = gains(run, q.relevant)
        ideal = [j.grade for j in q.relevant]
        n10 = ndcg(g, ideal, 10)
        r20 = sum(1 for x in g[:20] if x) / len(q.relevant) if q.relevant else 0.0
        first = next((r for r, x in enumerate(g, 1) if x), None)
        mrr += 1.0 / first if first else 0.0
        per.append((q.qid, n10, r20))
    n = len(queries) or 1
    return EvalScore(
        mode=mode,
        ndcg10=sum(p[1] for p in per) / n,
        recall20=sum(p[2] for p in per) / n,
        mrr=mrr / n,
        per_query=tuple(per),
    )


def evaluate(
    searcher: object, queries: Sequence[EvalQuery], modes: Sequence[str]
) -> list[EvalScore]:
    """Run every query in every mode (k=20) and score the rankings."""
    scores = []
    for mode in modes:
        ranked = []
        for q in queries:
            hits = searcher.search(q.text, 20, None, mode)  # type: ignore[attr-defined]
            ids = [h.item_id for h in hits]
            ranked.append(searcher.store.item_contexts(ids))  # type: ignore[attr-defined]
        scores.append(score_run(mode, queries, ranked))
    return scores
