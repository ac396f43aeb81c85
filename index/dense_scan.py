"""The exact scan of one query over a flat FAISS index, in two halves on two threads.

FAISS scans a flat index for one query on one thread (its threads split the queries, and a
search has one): at 131k passages (100k items) that is ~23 ms, the largest part of a hybrid
search. The two halves of the index's own vectors (views, nothing copied) are scanned with
``faiss.knn``, one in a worker thread: FAISS lets go of the GIL, so on two idle cores the scan
takes about half the time, for the same CPU work (README, *Measuring*). The merged top
``depth`` is the whole index's (each half gives its own best ``depth``); only passages of
exactly equal score may come in another order than ``IndexIDMap2.search`` gives them.
"""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

from index.pools import pool

SPLIT_FROM = 50_000  # passages from which a scan is split (below it the hand-over costs more)

SCAN_POOL = "finsam-scan"  # the threads of the second halves (pools.pool)


def _knn(q: np.ndarray, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Inner products of the best min(k, len(x)) rows of x for one query: (scores, rows),
    on this thread alone (an OpenMP team for one query only waits at its barrier)."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        scores, rows = faiss.knn(q, x, min(k, len(x)), faiss.METRIC_INNER_PRODUCT)
    finally:
        faiss.omp_set_num_threads(before)
    return scores[0], rows[0]


def split_scan(index: Any, q: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, passage ids) of the best `depth` passages of an ``IndexIDMap2(IndexFlatIP)``
    for one query `q` ([1, dim] float32), best first, as ``index.search(q, depth)`` gives."""
    flat: Any = faiss.downcast_index(index.index)
    n, dim = int(flat.ntotal), int(flat.d)
    x = faiss.rev_swig_ptr(flat.get_xb(), n * dim).reshape(n, dim)
    q = np.ascontiguousarray(q, dtype=np.float32).reshape(1, dim)
    mid = n // 2
    second = pool(SCAN_POOL, 2).submit(_knn, q, x[mid:], depth)
    s0, r0 = _knn(q, x[:mid], depth)
    s1, r1 = second.result()
    scores = np.concatenate([s0, s1])
    rows = np.concatenate([r0, r1 + mid])
    order = np.argsort(-scores, kind="stable")[:depth]
    ids = faiss.rev_swig_ptr(index.id_map.data(), n)
    return scores[order], ids[rows[order]].astype(np.int64)
