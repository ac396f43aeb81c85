"""The exact scan of one query over a flat FAISS index: on two threads, and first over an
8-bit copy of the vectors whose best rows are then scored exactly.

FAISS scans a flat index for one query on one thread (its threads split the queries, and a
search has one): at 131k passages (100k items) that is ~18–23 ms, the largest part of a hybrid
search after the query's embedding. Two ways make it cheaper, both with the exact scan's hits:

- ``split_scan``: the two halves of the index's own vectors (views, nothing copied) are scanned
  with ``faiss.knn``, one in a worker thread: FAISS lets go of the GIL, so on two idle cores the
  scan takes about half the time, for the same CPU work (README, *Measuring*).
- ``Coarse``: an 8-bit copy of the vectors (FAISS's scalar quantiser, a range per dimension
  trained on these very vectors: a quarter of the bytes to read) is scanned first, in halves on
  two threads, and its best ``SHORTLIST`` × depth rows are scored exactly from their float32
  rows. Each decoded component is within a step/2 of the true one (the quantiser's ranges hold
  every vector it copied), so a row's 8-bit score is within ``bound(q)`` of its exact score:
  Σ |q_j| · step_j / 2, or |q| times the farthest any vector lies from its copy, whichever is
  less. If the lowest 8-bit score of the shortlist plus that bound stays below
  the depth-th exact score found, no row outside the shortlist can be among the best: the
  answer is the exact scan's. Otherwise the shortlist grows fourfold and the scan is repeated
  (at worst up to every row), so the answer is always the exact one.

The merged top ``depth`` is the whole index's; only passages of exactly equal score may come
in another order than ``IndexIDMap2.search`` gives them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import faiss
import numpy as np

from index.pools import pool

log = logging.getLogger(__name__)

SPLIT_FROM = 50_000  # passages from which a scan is split (below it the hand-over costs more)
COARSE_FROM = 50_000  # passages from which an exact index keeps an 8-bit copy to scan first
SHORTLIST = 4  # rows scored exactly per row asked for, at first (README, *Measuring*)
_GROWTH = 4  # the shortlist's growth when the bound cannot rule out the rows left out
# Rounding: the quantiser's own arithmetic puts a decoded component at most ~1e-5 of a step
# past its half step (measured); the float32 sums of both scores add ~1e-7 of a score each.
_BOUND_SLACK = 1.001
_SCORE_SLACK = 1e-5

SCAN_POOL = "finsam-scan"  # the threads of the second halves (pools.pool)


@contextmanager
def omp_threads(n: int) -> Iterator[None]:
    """FAISS OpenMP threads for a block: all cores for builds, one for a single query.

    A single query gains nothing from threads but, on a busy machine, pays for an OpenMP
    barrier waiting for a descheduled thread (measured: p50 from 0.3 ms to 8 ms).
    """
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(max(1, n))
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _knn(q: np.ndarray, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Inner products of the best min(k, len(x)) rows of x for one query: (scores, rows),
    on this thread alone (an OpenMP team for one query only waits at its barrier)."""
    with omp_threads(1):
        scores, rows = faiss.knn(q, x, min(k, len(x)), faiss.METRIC_INNER_PRODUCT)
    return scores[0], rows[0]


def _scores(q: np.ndarray, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Inner products of one query with the given rows of x, by the function FAISS's exact
    scan sums them with (so to the bit its scores), without copying the rows."""
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    out = np.empty(len(rows), dtype=np.float32)
    # (the faiss stubs omit this function)
    faiss.fvec_inner_products_by_idx(  # type: ignore[attr-defined]
        faiss.swig_ptr(out),
        faiss.swig_ptr(np.ascontiguousarray(q, dtype=np.float32)),
        faiss.swig_ptr(x),
        faiss.swig_ptr(rows),
        x.shape[1],
        1,
        len(rows),
    )
    return out


def flat_vectors(index: Any) -> tuple[np.ndarray, np.ndarray]:
    """(vectors [n, dim] float32, passage ids [n] int64) of an ``IndexIDMap2(IndexFlatIP)``:
    views of the index's own arrays, valid until the index changes."""
    flat: Any = faiss.downcast_index(index.index)
    n, dim = int(flat.ntotal), int(flat.d)
    x = faiss.rev_swig_ptr(flat.get_xb(), n * dim).reshape(n, dim)
    return x, faiss.rev_swig_ptr(index.id_map.data(), n)


Half = TypeVar("Half")


def _in_halves(
    scan: Callable[[Half], tuple[np.ndarray, np.ndarray]],
    first: Half,
    second: Half,
    mid: int,
    k: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The best k (scores, rows) of two halves, the second scanned in a worker thread (FAISS
    lets go of the GIL) while this one scans the first; rows of the second offset by `mid`."""
    later = pool(SCAN_POOL, 2).submit(scan, second)
    s0, r0 = scan(first)
    s1, r1 = later.result()
    scores = np.concatenate([s0, s1])
    rows = np.concatenate([r0, r1 + mid])
    order = np.argsort(-scores, kind="stable")[:k]
    return scores[order], rows[order]


def split_scan(index: Any, q: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, passage ids) of the best `depth` passages of an ``IndexIDMap2(IndexFlatIP)``
    for one query `q` ([1, dim] float32), best first, as ``index.search(q, depth)`` gives."""
    x, ids = flat_vectors(index)
    q = np.ascontiguousarray(q, dtype=np.float32).reshape(1, x.shape[1])
    mid = len(x) // 2
    scores, rows = _in_halves(lambda part: _knn(q, part, depth), x[:mid], x[mid:], mid, depth)
    return scores, ids[rows].astype(np.int64)


def decoded(half: Any, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Rows start:stop of a scalar-quantised index, decoded from the codes it holds."""
    codes = faiss.rev_swig_ptr(half.codes.data(), half.ntotal * half.code_size)
    codes = codes.reshape(half.ntotal, half.code_size)[start:stop]
    return half.sa_decode(np.ascontiguousarray(codes))


def _farthest(half: Any, x: np.ndarray, chunk: int = 16_384) -> float:
    """The longest distance between a row of x and its 8-bit copy in `half` (decoded in
    chunks: a decoded copy of the whole would be as large as x). Summed in float32, which
    may fall short of the exact length by 384 roundings of ~6e-8 (2.3e-5 of it): raised by
    1e-4 of it to stay above."""
    longest = 0.0
    for start in range(0, len(x), chunk):
        diff = decoded(half, start, start + chunk) - x[start : start + chunk]
        longest = max(longest, float(np.einsum("ij,ij->i", diff, diff).max()))
    return float(np.sqrt(longest)) * (1 + 1e-4)


class Coarse:
    """The 8-bit copy of a flat index's vectors, in two halves (see the module docstring).

    Made from the index as it is; the owner drops it when the index changes. n × dim bytes.
    """

    def __init__(self, index: Any) -> None:
        x, _ = flat_vectors(index)
        n, dim = x.shape
        quantiser = faiss.IndexScalarQuantizer(
            dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        quantiser.train(x)  # per dimension: the lowest value and the range (min, max)
        trained = faiss.vector_to_array(quantiser.sq.trained)
        self.half_step = (trained[dim:] / 510.0).astype(np.float64)  # range / 255 / 2
        self.mid = n // 2
        self.halves = []
        self.farthest = 0.0
        for part in (x[: self.mid], x[self.mid :]):
            half = faiss.clone_index(quantiser)
            if len(part):
                half.add(part)
                self.farthest = max(self.farthest, _farthest(half, part))
            self.halves.append(half)
        self.n = n

    def bound(self, q: np.ndarray) -> float:
        """The most a row's 8-bit score can differ from its exact score, for query `q`: the
        sum of the query's components times half a step, or (Cauchy–Schwarz) the query's
        length times the longest difference between a vector and its 8-bit copy, whichever is
        less (the second is the tighter one for most queries of a sentence encoder)."""
        q64 = q[0].astype(np.float64)
        by_step = float(np.abs(q64) @ self.half_step)
        by_length = float(np.linalg.norm(q64)) * self.farthest
        return min(by_step, by_length) * _BOUND_SLACK

    def _top(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(8-bit scores, rows) of the best k rows, the halves scanned on two threads."""

        def scan(half: Any) -> tuple[np.ndarray, np.ndarray]:
            with omp_threads(1):
                scores, rows = half.search(q, min(k, max(1, half.ntotal)))
            found = rows[0] >= 0
            return scores[0][found], rows[0][found]

        return _in_halves(scan, self.halves[0], self.halves[1], self.mid, k)

    def scan(self, index: Any, q: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, passage ids) of the best `depth` passages, as ``split_scan`` gives them."""
        x, ids = flat_vectors(index)
        if len(x) != self.n:
            raise RuntimeError("the 8-bit copy is of another state of the index")
        q = np.ascontiguousarray(q, dtype=np.float32).reshape(1, x.shape[1])
        depth = min(depth, self.n)
        bound = self.bound(q)
        wanted = min(self.n, SHORTLIST * depth)
        while True:
            coarse, rows = self._top(q, wanted)
            rows = np.sort(rows)
            exact = _scores(q, x, rows)
            best = np.lexsort((rows, -exact))[:depth]  # equal scores: the index's order
            scores = exact[best]
            if wanted >= self.n or len(coarse) < wanted:
                break  # every row was scored exactly
            floor = float(coarse[-1])  # no row left out scores higher in 8 bits
            if floor + bound + _SCORE_SLACK < float(scores[-1]):
                break  # ... so none can score as high as the depth-th exactly
            log.debug("8-bit shortlist of %d too short for depth %d: widened", wanted, depth)
            wanted = min(self.n, _GROWTH * wanted)
        return scores, ids[rows[best]].astype(np.int64)
