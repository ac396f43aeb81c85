"""Fusion of ranked runs and re-ranking rules: pure functions on lists of Hits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from corpus.model import Hit


def rrf(
    runs: Sequence[Sequence[Hit]], *, k0: float = 60.0, weights: Sequence[float] | None = None
) -> list[Hit]:
    """Reciprocal rank fusion: score = sum over runs of weight / (k0 + rank), rank from 1."""
    weights = weights or [1.0] * len(runs)
    scores: dict[str, float] = {}
    parts: dict[str, list[tuple[str, float]]] = {}
    matched: dict[str, tuple[str, ...]] = {}
    passage: dict[str, int] = {}
    for run, w in zip(runs, weights, strict=True):
        for rank, hit in enumerate(run, start=1):
            scores[hit.item_id] = scores.get(hit.item_id, 0.0) + w / (k0 + rank)
            parts.setdefault(hit.item_id, []).append((hit.retriever, hit.score))
            if hit.matched and hit.item_id not in matched:
                matched[hit.item_id] = hit.matched
            if hit.retriever == "dense":
                passage[hit.item_id] = hit.passage
    fused = [
        Hit(
            item_id=i,
            score=s,
            retriever="hybrid",
            matched=matched.get(i, ()),
            passage=passage.get(i, 0),
            parts=tuple(parts[i]),
        )
        for i, s in scores.items()
    ]
    fused.sort(key=lambda h: (-h.score, h.item_id))
    return fused


def weighted_sum(runs: Sequence[Sequence[Hit]], weights: Sequence[float]) -> list[Hit]:
    """Sum of per-run scores min-max normalised to [0, 1] within each run."""
    scores: dict[str, float] = {}
    parts: dict[str, list[tuple[str, float]]] = {}
    matched: dict[str, tuple[str, ...]] = {}
    for run, w in zip(runs, weights, strict=True):
        if not run:
            continue
        hi = max(h.score for h in run)
        lo = min(h.score for h in run)
        span = (hi - lo) or 1.0
        for hit in run:
            scores[hit.item_id] = scores.get(hit.item_id, 0.0) + w * (hit.score - lo) / span
            parts.setdefault(hit.item_id, []).append((hit.retriever, hit.score))
            if hit.matched and hit.item_id not in matched:
                matched[hit.item_id] = hit.matched
    fused = [Hit(i, s, "hybrid", matched.get(i, ()), 0, tuple(parts[i])) for i, s in scores.items()]
    fused.sort(key=lambda h: (-h.score, h.item_id))
    return fused


def demote(hits: Sequence[Hit], demoted: Collection[str], *, factor: float) -> list[Hit]:
    """Multiply the scores of the given items by factor (< 1 demotes, > 1 boosts); re-sort."""
    out = [replace(h, score=h.score * factor) if h.item_id in demoted else h for h in hits]
    out.sort(key=lambda h: (-h.score, h.item_id))
    return out
