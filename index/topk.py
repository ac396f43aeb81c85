"""The k best rows of a sum of weighted term scores.

A query's score of a row is the sum, in float32 and in the query's term order, of each term's
weighted float32 BM25 score there (0 where the row lacks the term), over the postings of all
terms (`full`). At a million items a query's terms hold 2-5 million postings; they are summed
by SciPy's compiled sparse product (a dependency already, made for this), about twice as fast
as laying them end to end for one `np.bincount` in float64 (README, *The k best of a search*).
Most rows score above 0, so choosing the k best is worth doing with care: the k-th best of the
maxima of blocks of 64 scores is a lower bound of the k-th best score (`floor_of`), which
leaves a few hundred rows to sort instead of most of the index.

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
SPARSE_FROM = 1 << 20  # postings from which a search sums them with SciPy (full)


class Term(Protocol):
    """One weighted query term's scores over the rows (index/postings.py TermScores)."""

    weight: np.float32

    def scored(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(rows ascending, float32 scores before the weight)] of its postings, by segment."""
        ...


def full(terms: Sequence[Term], n_rows: int, keep: np.ndarray | None) -> np.ndarray:
    """The score of every row (float32); with `keep` (bool by row) only the rows it marks
    score. A row's score is its terms' weighted scores (each weighted in float32) added in
    float32 in the query's term order, starting from 0: each row is in one segment of a term.
    Many postings are summed by SciPy's compiled sparse product (`sparse_sum`), a few by
    numpy; both do the same float32 additions in the same order, so they give the same bits."""
    spans = [(r, v, term.weight) for term in terms for r, v in term.scored() if len(r)]
    total = sum(len(r) for r, _, _ in spans)
    if total >= SPARSE_FROM:
        scores = sparse_sum(spans, n_rows, total)
    else:
        scores = np.zeros(n_rows, np.float32)
        for r, v, w in spans:
            scores[r] += v if w == 1.0 else v * w  # rows are unique within a segment
    if keep is not None:
        scores[~keep] = 0.0
    return scores


def sparse_sum(
    spans: Sequence[tuple[np.ndarray, np.ndarray, np.float32]], n_rows: int, total: int
) -> np.ndarray:
    """The spans' weighted scores summed by row, as the columns of one sparse matrix times a
    vector of ones: SciPy's CSC product adds column by column (query order), and a product by
    1 is exact whether or not the compiler fuses it with the addition. The weighted scores
    and rows are laid end to end once (float32, int32 where they fit)."""
    from scipy.sparse import csc_array  # ~0.3 s to import: only for searches this large

    index_type = np.int32 if max(total, n_rows) < 2**31 else np.int64
    rows, data = np.empty(total, index_type), np.empty(total, np.float32)
    starts = np.zeros(len(spans) + 1, index_type)
    at = 0
    for j, (r, v, w) in enumerate(spans):
        end = at + len(r)
        rows[at:end] = r
        if w == 1.0:
            data[at:end] = v
        else:
            np.multiply(v, w, out=data[at:end])
        starts[j + 1] = at = end
    matrix = csc_array((data, rows, starts), shape=(n_rows, len(spans)))
    return np.asarray(matrix @ np.ones(len(spans), np.float32), dtype=np.float32)


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
