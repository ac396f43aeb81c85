"""The search evaluation as text tables or JSON (`finsam eval`, scripts/eval_search.py).

Pure functions of the scores (index/evaluate.py computes them): overall per mode, per query
(every mode side by side), per language, per query type and per origin (who wrote the
queries: the layouts set, our own, the tuning extras, the blind reporting queries).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corpus.model import EvalQuery, EvalScore
from index.evaluate import by_group

GROUPS = (("lang", "language"), ("kind", "type"), ("origin", "origin"))


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    ).rstrip()


def overall_text(scores: Sequence[EvalScore]) -> list[str]:
    lines = [f"{'mode':<8} {'nDCG@10':>8} {'Recall@20':>10} {'MRR':>6} {'worst':>6}"]
    for s in scores:
        worst = min((p.ndcg10 for p in s.queries), default=0.0)
        lines.append(
            f"{s.mode:<8} {s.ndcg10:>8.3f} {s.recall20:>10.3f} {s.mrr:>6.3f} {worst:>6.2f}"
        )
    return lines


def group_text(scores: Sequence[EvalScore], key: str, title: str) -> list[str]:
    """One row per group, nDCG@10 / R@20 / MRR of each mode side by side."""
    modes = [s.mode for s in scores]
    per_mode = {s.mode: {g.group: g for g in by_group(s, key)} for s in scores}
    names = sorted({name for groups in per_mode.values() for name in groups})
    head = [title, "n"] + [f"{m} nDCG/R@20/MRR/min" for m in modes]
    rows = []
    for name in names:
        first = per_mode[modes[0]][name]
        cells = [name, str(first.n)]
        for m in modes:
            g = per_mode[m][name]
            cells.append(f"{g.ndcg10:.3f} {g.recall20:.3f} {g.mrr:.3f} {g.worst:.2f}")
        rows.append(cells)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return [_row(head, widths)] + [_row(r, widths) for r in rows]


def per_query_text(scores: Sequence[EvalScore], queries: Sequence[EvalQuery]) -> list[str]:
    """One row per query: id, lang, type, split, then nDCG@10 / R@20 / RR of each mode."""
    text = {q.qid: q for q in queries}
    modes = [s.mode for s in scores]
    head = ["query", "lang", "type", "split"] + [f"{m} nDCG/R@20/RR" for m in modes]
    rows = []
    for i, p in enumerate(scores[0].queries):
        cells = [p.qid, p.lang or "?", p.kind or "?", p.split or "-"]
        for s in scores:
            x = s.queries[i]
            cells.append(f"{x.ndcg10:.2f} {x.recall20:.2f} {x.rr:.2f}")
        rows.append(cells)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    out = [_row(head, widths)] + [_row(r, widths) for r in rows]
    low = [p for p in scores[-1].queries if p.ndcg10 < 0.5]
    if low:
        out.append(
            f"below 0.5 in {modes[-1]}: " + ", ".join(f"{p.qid} ({text[p.qid].text})" for p in low)
        )
    return out


def eval_text(scores: Sequence[EvalScore], queries: Sequence[EvalQuery], heading: str) -> str:
    """The whole report: heading, overall, per language, per type, per origin, per query."""
    if not scores:
        return heading
    parts = [heading, *overall_text(scores), ""]
    for key, title in GROUPS:
        if any(getattr(p, key) for p in scores[0].queries):
            parts += [f"per {title}:", *group_text(scores, key, title), ""]
    parts += ["per query:", *per_query_text(scores, queries)]
    return "\n".join(parts)


def eval_json(scores: Sequence[EvalScore], queries: Sequence[EvalQuery]) -> dict[str, Any]:
    """The report as JSON: per mode the means, the groups and every query's scores."""
    text = {q.qid: q.text for q in queries}
    out: dict[str, Any] = {"queries": len(queries), "modes": {}}
    for s in scores:
        out["modes"][s.mode] = {
            "ndcg10": s.ndcg10,
            "recall20": s.recall20,
            "mrr": s.mrr,
            "by_lang": {g.group: _group(g) for g in by_group(s, "lang")},
            "by_type": {g.group: _group(g) for g in by_group(s, "kind")},
            "by_origin": {g.group: _group(g) for g in by_group(s, "origin")},
            "per_query": [
                {
                    "id": p.qid,
                    "q": text.get(p.qid, ""),
                    "lang": p.lang,
                    "type": p.kind,
                    "split": p.split,
                    "origin": p.origin,
                    "ndcg10": p.ndcg10,
                    "recall20": p.recall20,
                    "rr": p.rr,
                }
                for p in s.queries
            ],
        }
    return out


def _group(g: Any) -> dict[str, Any]:
    return {"n": g.n, "ndcg10": g.ndcg10, "recall20": g.recall20, "mrr": g.mrr, "worst": g.worst}
