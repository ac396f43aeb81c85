"""The k best rows of a sum of weighted term scores.

A query's score of a row is the sum, in float64 and in the query's term order, of each term's
weighted float32 BM25 score there (0 where the row lacks the term): one `np.bincount` over the
postings of all terms (`full`), laid end to end once. At a million items a query's terms hold about two million
postings and most rows score above 0, so choosing the k best is worth doing with care: the
k-th best of the maxima of blocks of 64 scores is a lower bound of the k-th best score
(`floor_of`), which leaves a few hundred rows to sort instead of most of the index.

Measured and not kept (README, *The k best of a search*): MaxScore pruning (Turtle and
Flood, 1995) term at a time in numpy. The terms that must be summed for every row held a
quarter of the postings, but finishing the rows they leave open (about 200,000 at 1M items)
cost as much as the sum saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

BLOCK = 64  # scores per block in floor_of


class Term(Protocol):
    """One weighted query term's scores over the rows (index/postings.py TermScores)."""

    weight: np.float32

    def scored(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(rows ascending, float32 scores before the weight)] of its postings, by segment."""
        ...


def full(terms: Sequence[Term], n_rows: int, keep: np.ndarray | None) -> np.ndarray:
    """The score of every row (float64); with `keep` (bool by row) only the rows it marks
    score. Each row is in one segment of a term: its sum runs over the terms in query order.
    The postings are laid end to end once, each score weighted in float32 and widened to
    float64 on its way (the values `scores * weight` then `np.bincount` would add)."""
    parts = []
    for term in terms:
        for r, v in term.scored():
            if keep is not None:
                sel = keep[r]
                r, v = r[sel], v[sel]
            parts.append((r, v, term.weight))
    total = sum(len(r) for r, _, _ in parts)
    if not total:
        return np.zeros(n_rows)
    rows, weights = np.empty(total, np.intp), np.empty(total)
    at = 0
    for r, v, w in parts:
        end = at + len(r)
        rows[at:end] = r
        if w == 1.0:
            weights[at:end] = v
        else:
            np.multiply(v, w, out=weights[at:end], dtype=np.float32)
        at = end
    return np.bincount(rows, weights=weights, minlength=n_rows)


def floor_of(scores: np.ndarray, k: int) -> float:
    """A lower bound of the k-th best score (0 when there are few rows): the k-th best of the
    maxima of blocks of BLOCK scores, each of at least k blocks holding a score that high."""
    n_blocks = len(scores) // BLOCK
    if n_blocks < 4 * k:
        return 0.0
    maxima = scores[: n_blocks * BLOCK].reshape(n_blocks, BLOCK).max(axis=1)
    return float(np.partition(maxima, n_blocks - k)[n_blocks - k])


def best(rows: np.ndarray, scores: np.ndarray, keys: np.ndarray, k: int) -> np.ndarray:
    """The positions in `rows` of the k best scores above 0, best first, ties by item key."""
    cand = np.flatnonzero(scores > 0)
    if len(cand) > k:  # the k best, and all that tie with the k-th
        kth = scores[cand[np.argpartition(-scores[cand], k - 1)[k - 1]]]
        cand = cand[scores[cand] >= kth]
    return cand[np.lexsort((keys[rows[cand]], -scores[cand]))][:k]


def top(
    terms: Sequence[Term], k: int, keys: np.ndarray, keep: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The k best rows (int32, best first, ties by item key in `keys`) and their scores;
    with `keep` only the rows it marks."""
    scores = full(terms, len(keys), keep)
    rows = np.flatnonzero(scores >= max(floor_of(scores, k), np.nextafter(0, 1)))
    at = best(rows, scores[rows], keys, k)
    return rows[at].astype(np.int32), scores[rows[at]]
