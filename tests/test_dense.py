"""The FAISS dense index: exact and IVF search against numpy brute force, filters inside the
search, collapse of passage windows into items, updates, and save -> load round trips."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from corpus.errors import IndexStale
from corpus.model import Item, item_key, make_item_id
from index.dense import DenseIndex
from index.dense_io import ITEMS_FILE, META_FILE, PASSAGES_FILE
from index.passages import passages

DIM = 32


def ids(n: int, doc: str = "doc") -> list[str]:
    return [make_item_id(doc, f"§ {i}") for i in range(n)]


def unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def random_items(
    n: int, rng: np.random.Generator, dim: int = DIM, clusters: int = 0
) -> dict[str, np.ndarray]:
    """n items with 1-3 windows each; clustered like real embeddings when clusters > 0."""
    centres = rng.standard_normal((max(clusters, 1), dim))
    out = {}
    for item_id in ids(n):
        m = int(rng.integers(1, 4))
        if clusters:
            x = centres[rng.integers(0, clusters, m)] + 0.35 * rng.standard_normal((m, dim))
        else:
            x = rng.standard_normal((m, dim))
        out[item_id] = unit(x)
    return out


def brute_force(
    items: dict[str, np.ndarray], q: np.ndarray, k: int, allowed: set[str] | None = None
) -> list[tuple[str, float, int]]:
    """Best (item, score, window) by the maximum passage cosine, computed by numpy."""
    q = unit(q)
    best = [
        (item_id, float((x @ q).max()), int((x @ q).argmax()))
        for item_id, x in items.items()
        if allowed is None or item_id in allowed
    ]
    return sorted(best, key=lambda t: -t[1])[:k]


def build(items: dict[str, np.ndarray], **kw: int) -> DenseIndex:
    index = DenseIndex.new(DIM, **kw)
    index.add_many(items.items())
    return index


@pytest.fixture(scope="module")
def corpus() -> dict[str, np.ndarray]:
    return random_items(400, np.random.default_rng(1))


def test_exact_search_matches_numpy_brute_force(corpus: dict[str, np.ndarray]) -> None:
    index = build(corpus)
    assert index.kind == "flat"
    assert len(index) == 400
    assert index.n_vectors == sum(len(x) for x in corpus.values())
    rng = np.random.default_rng(2)
    for _ in range(20):
        q = rng.standard_normal(DIM)
        hits = index.search(q, 10)
        expected = brute_force(corpus, q, 10)
        assert [h.item_id for h in hits] == [e[0] for e in expected]
        assert [h.passage for h in hits] == [e[2] for e in expected]
        np.testing.assert_allclose([h.score for h in hits], [e[1] for e in expected], atol=1e-5)
        assert all(h.retriever == "dense" for h in hits)


def test_windows_of_one_item_collapse_into_one_hit() -> None:
    rng = np.random.default_rng(3)
    q = unit(rng.standard_normal(DIM))
    near = unit(q + 0.05 * rng.standard_normal((6, DIM)))  # six windows all close to q
    items = random_items(30, rng)
    star = make_item_id("other", "§ 1")
    items[star] = near
    index = build(items)
    hits = index.search(q, 5)
    assert [h.item_id for h in hits].count(star) == 1
    assert hits[0].item_id == star
    assert hits[0].passage == int((near @ q).argmax())
    assert len({h.item_id for h in hits}) == 5


def test_search_goes_deeper_until_k_distinct_items() -> None:
    rng = np.random.default_rng(9)
    q = unit(rng.standard_normal(DIM))
    items = random_items(200, rng)  # one to three windows each
    crowd = {}
    for n in range(12):  # long items whose windows all beat the next item's best window
        centre = unit(q + (0.02 + 0.01 * n) * rng.standard_normal(DIM))
        crowd[make_item_id("crowd", str(n))] = unit(centre + 0.01 * rng.standard_normal((30, DIM)))
    items |= crowd
    index = build(items)
    hits = index.search(q, 10)
    assert len(hits) == 10
    assert {h.item_id for h in hits} <= set(crowd)
    assert [h.item_id for h in hits] == [e[0] for e in brute_force(items, q, 10)]


def test_filters_return_only_allowed_items_and_still_k(corpus: dict[str, np.ndarray]) -> None:
    index = build(corpus)
    rng = np.random.default_rng(4)
    q = rng.standard_normal(DIM)
    ranked = [e[0] for e in brute_force(corpus, q, len(corpus))]
    # The allowed items are the ones that score worst: over-fetching k and dropping would
    # return nothing at all.
    allowed = set(ranked[-25:])
    keys = np.array([item_key(i) for i in allowed], dtype=np.int64)
    hits = index.search(q, 10, keys)
    assert [h.item_id for h in hits] == [e[0] for e in brute_force(corpus, q, 10, allowed)]
    # Item ids work as well as keys; unknown keys are ignored.
    assert index.search(q, 10, np.array(sorted(allowed))) == hits
    assert index.search(q, 10, np.r_[keys, 12345]) == hits
    # Fewer allowed than k: all of them, nothing else.
    assert {h.item_id for h in index.search(q, 10, keys[:3])} == {
        i for i in allowed if item_key(i) in set(keys[:3].tolist())
    }
    assert index.search(q, 10, np.zeros(0, dtype=np.int64)) == []


def test_large_filter_uses_complement_and_stays_exact(corpus: dict[str, np.ndarray]) -> None:
    index = build(corpus)
    q = np.random.default_rng(5).standard_normal(DIM)
    allowed = set(list(corpus)[:350])  # most items: selector on the banned complement
    keys = np.array([item_key(i) for i in allowed])
    hits = index.search(q, 15, keys)
    assert [h.item_id for h in hits] == [e[0] for e in brute_force(corpus, q, 15, allowed)]


def test_k_beyond_the_index_returns_every_item(corpus: dict[str, np.ndarray]) -> None:
    small = dict(list(corpus.items())[:7])
    hits = build(small).search(np.ones(DIM), 50)
    assert sorted(h.item_id for h in hits) == sorted(small)
    assert DenseIndex.new(DIM).search(np.ones(DIM), 5) == []


def test_add_replaces_and_remove_deletes() -> None:
    rng = np.random.default_rng(6)
    items = random_items(50, rng)
    index = build(items)
    target = ids(50)[7]
    q = unit(rng.standard_normal(DIM))
    before = index.n_vectors
    index.add(target, np.stack([q, -q]))  # replaces its 1-3 windows with two
    assert len(index) == 50
    assert index.n_vectors == before - len(items[target]) + 2
    assert index.n_passages(target) == 2
    top = index.search(q, 1)[0]
    assert (top.item_id, top.passage) == (target, 0)
    assert top.score == pytest.approx(1.0, abs=1e-5)
    assert index.remove([target, make_item_id("nowhere", "§ 1")]) == 1
    assert target not in index
    assert len(index) == 49
    assert target not in {h.item_id for h in index.search(q, 49)}
    assert index.remove([target]) == 0


def test_add_many_keeps_the_last_of_duplicates_and_validates() -> None:
    index = DenseIndex.new(DIM)
    a = make_item_id("d", "a")
    index.add_many([(a, np.ones((3, DIM))), (a, np.eye(DIM)[:1])])
    assert index.n_vectors == 1
    with pytest.raises(ValueError, match="dimension"):
        index.add(a, np.ones((2, DIM + 1)))
    with pytest.raises(ValueError, match="zeros"):
        index.add(a, np.zeros((1, DIM)))
    with pytest.raises(ValueError, match="NaN"):
        index.search(np.full(DIM, np.nan), 3)
    assert index.n_vectors == 1  # failed calls changed nothing


def test_save_load_gives_same_results(tmp_path: Path, corpus: dict[str, np.ndarray]) -> None:
    index = build(corpus)
    index.save(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {
        "dense.faiss",
        PASSAGES_FILE,
        ITEMS_FILE,
        META_FILE,
    }
    loaded = DenseIndex.load(tmp_path)
    assert (len(loaded), loaded.n_vectors, loaded.kind) == (len(index), index.n_vectors, "flat")
    assert sorted(loaded.item_ids()) == sorted(index.item_ids())
    rng = np.random.default_rng(7)
    keys = np.array([item_key(i) for i in list(corpus)[::3]])
    for _ in range(10):
        q = rng.standard_normal(DIM)
        assert loaded.search(q, 10) == index.search(q, 10)
        assert loaded.search(q, 10, keys) == index.search(q, 10, keys)
    # The loaded index keeps working: replace, remove, save again.
    loaded.remove(list(corpus)[:10])
    loaded.save(tmp_path)
    assert len(DenseIndex.load(tmp_path)) == 390


def test_torn_or_missing_files_raise_index_stale(
    tmp_path: Path, corpus: dict[str, np.ndarray]
) -> None:
    with pytest.raises(IndexStale, match="finsam reindex"):
        DenseIndex.load(tmp_path / "nothing")
    old, new = tmp_path / "old", tmp_path / "new"
    index = build(corpus)
    index.save(old)
    index.remove(list(corpus)[:5])
    index.save(new)
    # A save killed after renaming the passages file but before dense.json.
    shutil.copy(new / PASSAGES_FILE, old / PASSAGES_FILE)
    with pytest.raises(IndexStale, match=re.escape(PASSAGES_FILE)):
        DenseIndex.load(old)
    (new / ITEMS_FILE).unlink()
    with pytest.raises(IndexStale, match="missing"):
        DenseIndex.load(new)
    assert not [p for p in new.iterdir() if p.name.endswith(".tmp")]


def test_ivf_path_recall_filters_updates_and_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    items = random_items(3000, rng, clusters=60)
    exact = build(items)
    index = build(items, exact_limit=1000)
    assert index.kind == "ivf"
    assert len(index) == 3000
    total = 0.0
    for _ in range(40):
        q = rng.standard_normal(DIM)
        want = {h.item_id for h in exact.search(q, 10)}
        total += len(want & {h.item_id for h in index.search(q, 10)}) / 10
    assert total / 40 >= 0.9
    # Filters: only allowed items, and k of them even when they are few and far apart.
    allowed = set(rng.choice(list(items), 40, replace=False).tolist())
    keys = np.array([item_key(i) for i in allowed])
    for _ in range(10):
        q = rng.standard_normal(DIM)
        hits = index.search(q, 10, keys)
        assert len(hits) == 10
        assert {h.item_id for h in hits} <= allowed
        assert len({h.item_id for h in hits}) == 10
        exact_ids = {e[0] for e in brute_force(items, q, 10, allowed)}
        assert len(exact_ids & {h.item_id for h in hits}) >= 9
    # Too few lists probed for a sparse filter: the search probes more until it has k items.
    index.nprobe = 1
    for _ in range(10):
        hits = index.search(rng.standard_normal(DIM), 10, keys)
        assert len({h.item_id for h in hits}) == 10 and {h.item_id for h in hits} <= allowed
    # ... and when the allowed items lie far from every list near the query.
    q = rng.standard_normal(DIM)
    far = {e[0] for e in brute_force(items, q, len(items))[-1200:]}
    far_keys = np.array([item_key(i) for i in far])
    hits = index.search(q, 10, far_keys)
    assert len(hits) == 10 and {h.item_id for h in hits} <= far
    index.nprobe = 32
    # Updates work in the approximate index too.
    victim = next(iter(allowed))
    q = unit(rng.standard_normal(DIM))
    index.add(victim, q[None, :])
    assert index.search(q, 1)[0].item_id == victim
    index.remove([victim])
    assert victim not in {h.item_id for h in index.search(q, 20)}
    index.save(tmp_path)
    loaded = DenseIndex.load(tmp_path)
    assert loaded.kind == "ivf"
    for _ in range(5):
        q = rng.standard_normal(DIM)
        assert loaded.search(q, 10, keys) == index.search(q, 10, keys)
    # Shrinking to half the limit goes back to exact search.
    loaded.remove(list(items)[:2850])
    assert loaded.kind == "flat"
    remaining = {i: x for i, x in list(items.items())[2850:] if i != victim}
    q = rng.standard_normal(DIM)
    assert [h.item_id for h in loaded.search(q, 10)] == [
        e[0] for e in brute_force(remaining, q, 10)
    ]


def toy_embed(text: str, dim: int = 256) -> np.ndarray:
    """A deterministic stand-in for the encoder: hashed bag of lower-cased words."""
    v = np.zeros(dim, dtype=np.float32)
    for word in re.findall(r"\w+", text.casefold()):
        h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
        v[h % dim] += 1.0 if (h >> 32) & 1 else -1.0
    return v if v.any() else np.ones(dim, dtype=np.float32)


def test_passages_to_hits_on_sample_protocol_text(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[1] / "corpus" / "samples"
    texts = [p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt"))]
    # Cut the real protocols into pseudo-items of 150 lines: some long enough to be windowed.
    chunks = [
        "\n".join(t.splitlines()[i : i + 150])
        for t in texts
        for i in range(0, len(t.splitlines()), 150)
    ]
    items = [
        Item(make_item_id("sample", str(n)), str(n), n, "sektion", f"Del {n}", body)
        for n, body in enumerate(chunks)
    ]
    index = DenseIndex.new(256)
    windows = {it.item_id: passages(it, window_words=120, overlap=20) for it in items}
    index.add_many((i, np.stack([toy_embed(t) for t in ws])) for i, ws in windows.items())
    assert index.n_vectors > len(items)  # some items were split
    index.save(tmp_path)
    loaded = DenseIndex.load(tmp_path)
    for item in items[::4]:
        ws = windows[item.item_id]
        probe = ws[len(ws) // 2]
        hit = loaded.search(toy_embed(probe), 3)[0]
        assert (hit.item_id, hit.passage) == (item.item_id, len(ws) // 2)


def test_item_ids_sharing_a_key_are_refused() -> None:
    index = DenseIndex.new(DIM)
    a, b = "0" * 15 + "a" * 17, "0" * 15 + "b" * 17  # same first 15 hex digits
    with pytest.raises(ValueError, match="share the key"):
        index.add_many([(a, np.ones(DIM)), (b, np.ones(DIM))])
    index.add(a, np.ones(DIM))
    with pytest.raises(ValueError, match="share the key"):
        index.add(b, np.ones(DIM))
    assert index.item_ids() == [a]
