"""The exact scan split between two threads, and the scan of an 8-bit copy whose best rows are
scored exactly, give what FAISS's own search of the index gives."""

from __future__ import annotations

from collections.abc import Callable

import faiss
import numpy as np
import pytest

from corpus.settings import Settings
from corpus.store import Store
from index import dense_scan
from index.dense import DenseIndex
from index.dense_scan import Coarse, flat_vectors, split_scan
from index.search import Searcher

DIM = 32


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.standard_normal((n, DIM)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


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


def _items(
    rng: np.random.Generator, vectors: Callable[[np.random.Generator, int], np.ndarray]
) -> DenseIndex:
    """A dense index of 1500 items of 1–3 passages each."""
    index = DenseIndex.new(DIM)
    index.add_many((f"{i:015x}", vectors(rng, 1 + i % 3)) for i in range(1500))
    return index


def test_a_large_exact_index_scans_in_halves_with_the_same_hits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    index = _items(rng, unit)
    queries = unit(rng, 8)
    whole = [index.search(q, 20) for q in queries]
    calls = []
    monkeypatch.setattr("index.dense.split_scan", lambda *a: calls.append(1) or split_scan(*a))
    monkeypatch.setattr("index.dense.SPLIT_FROM", 0)
    monkeypatch.setattr("index.dense.cores", lambda: 2)
    assert [index.search(q, 20) for q in queries] == whole
    assert len(calls) == len(queries)


def _flat(rng: np.random.Generator, x: np.ndarray) -> faiss.IndexIDMap2:
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(DIM))
    ids = rng.choice(2**62, size=len(x), replace=False).astype(np.int64)
    index.add_with_ids(x, ids)
    return index


def _exact(index: faiss.IndexIDMap2, q: np.ndarray, depth: int) -> tuple[list[float], list[int]]:
    """The best `depth` (scores, ids) by FAISS's own sums over every row; equal scores by row."""
    x, ids = flat_vectors(index)
    scores, rows = faiss.knn(q[None], x, len(x), faiss.METRIC_INNER_PRODUCT)
    best = np.lexsort((rows[0], -scores[0]))[:depth]
    return scores[0][best].tolist(), ids[rows[0][best]].tolist()


def _crowded(rng: np.random.Generator, n: int, spread: float = 0.05) -> np.ndarray:
    """Unit vectors crowded round one direction, as a sentence encoder's are (cosines 0.8–0.9
    between any two and more): scores for a query differ by about the 8-bit rounding."""
    centre = np.ones((1, DIM), dtype=np.float32) / np.sqrt(DIM)
    x = centre + spread * rng.standard_normal((n, DIM)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("n", [1, 2, 7, 3001])
@pytest.mark.parametrize("crowded", [False, True])
def test_the_8bit_copy_scanned_first_gives_the_exact_scan(n: int, crowded: bool) -> None:
    rng = np.random.default_rng(n + crowded)
    x = _crowded(rng, n) if crowded else unit(rng, n)
    index = _flat(rng, x)
    coarse = Coarse(index)
    queries = _crowded(rng, 5) if crowded else unit(rng, 5)
    for depth in sorted({1, 5, n // 2, n // 2 + 1, n, n + 3} - {0}):
        for q in queries:
            scores, _ = index.search(q[None], depth)
            got_scores, got_ids = coarse.scan(index, q[None], depth)
            assert (got_scores.tolist(), got_ids.tolist()) == _exact(index, q, depth)
            assert got_scores.tolist() == scores[0][: len(got_scores)].tolist()  # FAISS's search


def test_each_decoded_component_is_within_half_a_step() -> None:
    """What the bound rests on: the quantiser's ranges hold every vector it copied, and a
    component decodes to the middle of its step."""
    rng = np.random.default_rng(5)
    x = _crowded(rng, 4000)
    coarse = Coarse(_flat(rng, x))
    longest = []
    for half, part in zip(coarse.halves, (x[: coarse.mid], x[coarse.mid :]), strict=True):
        decoded = dense_scan.decoded(half)  # the codes the scan reads
        assert (np.abs(decoded - part) <= coarse.half_step * dense_scan._BOUND_SLACK).all()
        longest.append(np.linalg.norm((decoded - part).astype(np.float64), axis=1).max())
        for q in (unit(rng, 1), _crowded(rng, 1)):
            assert np.abs(decoded @ q[0] - part @ q[0]).max() <= coarse.bound(q)
    assert max(longest) <= coarse.farthest <= max(longest) * (1 + 2e-4)


def test_a_shortlist_the_bound_cannot_vouch_for_is_widened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(11)
    index = _flat(rng, _crowded(rng, 5000, spread=0.02))
    coarse = Coarse(index)
    wanted: list[int] = []
    top = coarse._top
    monkeypatch.setattr(coarse, "_top", lambda q, k: wanted.append(k) or top(q, k))
    monkeypatch.setattr(dense_scan, "SHORTLIST", 1)
    missed = 0
    for q in _crowded(rng, 10, spread=0.02):
        scores, ids = _exact(index, q, 50)
        missed += len(set(ids) - set(flat_vectors(index)[1][top(q[None], 50)[1]].tolist()))
        wanted.clear()
        got_scores, got_ids = coarse.scan(index, q[None], 50)
        assert (got_scores.tolist(), got_ids.tolist()) == (scores, ids)
        assert wanted[0] == 50 and wanted[1:] == [200, 800, 3200, 5000][: len(wanted) - 1]
    assert missed  # the 8-bit scores alone would have left out some of the best rows


def test_a_large_exact_index_scans_its_8bit_copy_first_and_drops_it_when_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(4)
    index = _items(rng, _crowded)
    queries = _crowded(rng, 8)
    whole = [index.search(q, 20) for q in queries]
    made = []
    monkeypatch.setattr("index.dense.Coarse", lambda i: made.append(1) or Coarse(i))
    monkeypatch.setattr("index.dense.COARSE_FROM", 0)
    assert [index.search(q, 20) for q in queries] == whole
    assert len(made) == 1  # one copy for every search
    index.remove([f"{i:015x}" for i in range(0, 1500, 7)])
    index.add_many((f"{i:015x}", _crowded(rng, 2)) for i in range(1500, 1600))
    changed = [index.search(q, 20) for q in queries]
    assert len(made) == 2  # the changed index made a new copy at its first search
    monkeypatch.setattr("index.dense.COARSE_FROM", 10**9)
    monkeypatch.setattr("index.dense.SPLIT_FROM", 10**9)
    assert [index.search(q, 20) for q in queries] == changed  # FAISS's own search agrees


def test_a_cli_command_makes_no_8bit_copy_and_a_long_lived_searcher_does(
    sample_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy costs ~0.2 s at 131k passages and saves ~5 ms a scan: worth it for the app's
    searcher, not for a CLI process's few queries."""
    from search_app.cli import _searcher

    made: list[int] = []
    monkeypatch.setattr("index.dense.Coarse", lambda i: made.append(1) or Coarse(i))
    monkeypatch.setattr("index.dense.COARSE_FROM", 0)
    with Store.open(sample_settings.db, readonly=True) as store:
        brief = _searcher(store, sample_settings)
        found = brief.search("serviceavgift NNS", 10, None, "dense")
        assert found and not made
        kept = Searcher(store, sample_settings)
        assert kept.search("serviceavgift NNS", 10, None, "dense") == found
        assert len(made) == 1
