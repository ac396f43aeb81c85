"""The k best rows of summed term scores (index/topk.py) against a plain reference: the
same rows, order and scores to the bit, ties included, on generated scores and corpora,
whether the scores are summed by numpy or by SciPy's sparse product (topk.SPARSE_FROM)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from corpus.model import make_item_id
from index import topk
from index.lexical import LexicalIndex


class Spans:
    """A term given by its scores (rows ascending, float32 scores) by segment and weight."""

    def __init__(self, spans: list[tuple[np.ndarray, np.ndarray]], weight: float) -> None:
        self._spans, self.weight = spans, np.float32(weight)

    def scored(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return self._spans

    def spans(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Weighted as LexicalIndex.search weighted them before (float32)."""
        w = self.weight
        return [(r, s if w == 1.0 else s * w) for r, s in self._spans]


def reference(
    terms: list[Spans], k: int, keys: np.ndarray, keep: np.ndarray | None
) -> list[tuple[int, float]]:
    """(row, score) of the k best: each row's sum in query order, added in float32 from 0,
    sorted by score then item key."""
    sums: dict[int, np.float32] = {}
    for term in terms:
        for rows, vals in term.spans():
            for r, v in zip(rows.tolist(), vals, strict=True):
                if keep is None or keep[r]:
                    sums[r] = np.float32(sums.get(r, np.float32(0.0)) + v)
    ranked = sorted((r for r, s in sums.items() if s > 0), key=lambda r: (-sums[r], keys[r]))
    return [(r, float(sums[r])) for r in ranked[:k]]


def generated_terms(rng: np.random.Generator, n_rows: int, n_terms: int) -> list[Spans]:
    """Terms from rare to common, in two segments, scores on a coarse grid (many ties)."""
    terms = []
    for _ in range(n_terms):
        m = int(rng.integers(1, n_rows))
        rows = np.sort(rng.choice(n_rows, m, replace=False)).astype(np.int32)
        vals = (rng.integers(1, 6, m) / np.float32(4)).astype(np.float32)
        if rng.random() < 0.3:  # not on the grid: weighting rounds
            vals = rng.random(m, dtype=np.float32) + np.float32(0.01)
        weight = float(rng.choice([1.0, 1.0, 0.2, 0.3]))
        cut = int(rng.integers(0, m + 1))
        terms.append(Spans([(rows[:cut], vals[:cut]), (rows[cut:], vals[cut:])], weight))
    return terms


@pytest.fixture(params=["numpy", "sparse"])
def summed_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test twice: the postings summed by numpy, then by SciPy (from any size on)."""
    if request.param == "sparse":
        monkeypatch.setattr(topk, "SPARSE_FROM", 0)
    return str(request.param)


@pytest.mark.parametrize("seed", range(6))
def test_top_equals_the_reference_on_generated_scores(seed: int, summed_by: str) -> None:
    rng = np.random.default_rng(seed)
    n_rows = int(rng.integers(3_000, 40_000))  # past 4 * k * BLOCK rows: floor_of prunes
    keys = rng.permutation(n_rows).astype(np.int64) - n_rows // 2
    terms = generated_terms(rng, n_rows, int(rng.integers(1, 8)))
    for k in (1, 7, 10, 60):
        for keep in (None, rng.random(n_rows) < 0.3):
            rows, scores = topk.top(terms, k, keys, keep)
            got = list(zip(rows.tolist(), scores.tolist(), strict=True))
            assert got == reference(terms, k, keys, keep)


def test_floor_of_is_a_lower_bound_of_the_kth_best() -> None:
    rng = np.random.default_rng(1)
    for _ in range(50):
        scores = rng.random(int(rng.integers(100, 50_000))) * (rng.random() < 0.5)
        scores[rng.random(len(scores)) < 0.8] = 0.0
        k = int(rng.integers(1, 100))
        floor = topk.floor_of(scores, k)
        kth = np.sort(scores)[-k] if len(scores) >= k else 0.0
        assert floor <= kth
        assert (scores >= floor).sum() >= min(k, len(scores))


WORDS = [f"ord{i}" for i in range(400)] + ["avgift", "budget", "styrelsen", "beslut"]


@pytest.fixture(scope="module")
def generated_index() -> LexicalIndex:
    """3,000 generated items (Zipf words, compounds among them): past 4 * k * 64 rows."""
    rng = random.Random(7)
    weights = [1 / (i + 1) for i in range(len(WORDS))]
    docs = []
    for i in range(3_000):
        body = rng.choices(WORDS, weights, k=rng.randint(3, 60))
        if rng.random() < 0.2:
            body.append(rng.choice(WORDS) + rng.choice(["avgift", "budget"]))
        docs.append(
            (
                make_item_id("generated", str(i)),
                " ".join(rng.choices(WORDS, weights, k=3)),
                " ".join(body),
            )
        )
    return LexicalIndex.build(docs)


def test_search_equals_a_plain_sum_of_each_terms_scores(
    generated_index: LexicalIndex, summed_by: str
) -> None:
    """LexicalIndex.search against each term's scores from LexicalIndex.postings, summed
    in query order in float32: the same items, scores and order (ties by item key)."""
    index = generated_index
    rng = random.Random(3)
    key_of = dict(zip(index.item_ids, range(len(index)), strict=True))  # key order
    for _ in range(40):
        query = " ".join(rng.choices(WORDS[:60] + WORDS[-4:], k=rng.randint(1, 5)))
        terms = index.query_terms(query, family_weight=0.3)
        sums: dict[str, np.float32] = {}
        for q in terms:
            items, scores = index.postings(q.term)
            if q.weight != 1.0:
                scores = scores * np.float32(q.weight)
            for item, s in zip(items, scores, strict=True):
                sums[item] = np.float32(sums.get(item, np.float32(0.0)) + s)
        want = sorted(sums, key=lambda i: (-sums[i], key_of[i]))
        for k in (1, 10, 100):
            hits = index.search(query, k, family_weight=0.3)
            assert [(h.item_id, h.score) for h in hits] == [(i, float(sums[i])) for i in want[:k]]
