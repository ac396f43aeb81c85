"""The exact scan split between two threads gives what FAISS's own search of the index gives."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from index.dense import DenseIndex
from index.dense_scan import split_scan

DIM = 32


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("n", [1, 2, 7, 3001])
def test_the_halves_merge_into_the_whole_index_top(n: int) -> None:
    rng = np.random.default_rng(n)
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(DIM))
    ids = rng.choice(2**62, size=n, replace=False).astype(np.int64)
    index.add_with_ids(unit(rng, n), ids)
    for depth in sorted({1, 5, n // 2, n // 2 + 1, n, n + 3} - {0}):
        for q in unit(rng, 5):
            scores, labels = index.search(q[None], depth)
            found = labels[0] >= 0
            got_scores, got_ids = split_scan(index, q[None], depth)
            assert got_ids.tolist() == labels[0][found].tolist()
            assert np.array_equal(got_scores, scores[0][found])


def test_a_large_exact_index_scans_in_halves_with_the_same_hits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    index = DenseIndex.new(DIM)
    index.add_many((f"{i:015x}", unit(rng, 1 + i % 3)) for i in range(1500))
    queries = unit(rng, 8)
    whole = [index.search(q, 20) for q in queries]
    calls = []
    monkeypatch.setattr("index.dense.split_scan", lambda *a: calls.append(1) or split_scan(*a))
    monkeypatch.setattr("index.dense.SPLIT_FROM", 0)
    monkeypatch.setattr("index.dense.cores", lambda: 2)
    assert [index.search(q, 20) for q in queries] == whole
    assert len(calls) == len(queries)
