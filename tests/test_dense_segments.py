"""The dense index saved as a base and segments (index/dense_segments.py): an update loaded
lazily links the base unread and writes only its change, and every version answers exactly
as an index that made the same changes in memory."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from test_dense import DIM, ids, random_items, unit

from corpus.errors import IndexStale
from corpus.model import item_key
from index import dense_segments
from index.dense import DenseIndex
from index.dense_io import INDEX_FILE, faiss_ids
from index.dense_segments import SEGMENT


def segments(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if SEGMENT.match(p.name))


def same_file(a: Path, b: Path) -> bool:
    return os.path.samestat(a.stat(), b.stat())


def same_answers(a: DenseIndex, b: DenseIndex, rng: np.random.Generator, keys: np.ndarray) -> None:
    assert (len(a), a.n_vectors, a.kind) == (len(b), b.n_vectors, b.kind)
    assert sorted(a.item_ids()) == sorted(b.item_ids())
    for _ in range(10):
        q = rng.standard_normal(DIM)
        assert a.search(q, 10) == b.search(q, 10)
        assert a.search(q, 10, keys) == b.search(q, 10, keys)


def one_update(
    index: DenseIndex, rng: np.random.Generator, step: int, n_gone: int, n_new: int
) -> None:
    """Remove n_gone items, replace one, add n_new (the same calls on every index)."""
    held = sorted(index.item_ids())
    index.remove(held[:n_gone])
    changed = held[n_gone]
    index.add(changed, unit(rng.standard_normal((2, DIM))))
    fresh = {
        i: unit(rng.standard_normal((int(rng.integers(1, 4)), DIM))) for i in ids(n_new, f"d{step}")
    }
    index.add_many(fresh.items())


@pytest.mark.parametrize("exact_limit", [10_000, 600])
def test_lazy_updates_link_the_base_and_answer_as_the_index_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exact_limit: int
) -> None:
    monkeypatch.setattr(dense_segments, "COMPACT_SHARE", 0.2)
    items = random_items(500, np.random.default_rng(1))
    memory = DenseIndex.new(DIM, exact_limit=exact_limit)
    memory.add_many(items.items())
    first = tmp_path / "v000"
    memory.save(first)
    assert segments(first) == [] and memory.kind == ("flat" if exact_limit > 1000 else "ivf")
    keys = np.array([item_key(i) for i in list(items)[::5]])
    previous = first
    for step in range(1, dense_segments.MAX_SEGMENTS + 3):
        lazy = DenseIndex.load(previous, lazy=True)
        assert lazy._index is None
        for index in (lazy, memory):
            one_update(index, np.random.default_rng(step), step, n_gone=3, n_new=4)
        assert lazy._index is None  # the update never read the vectors
        folder = tmp_path / f"v{step:03d}"
        lazy.save(folder)
        assert lazy._index is None
        assert same_file(folder / INDEX_FILE, first / INDEX_FILE)  # linked, not written
        assert 1 <= len(segments(folder)) <= dense_segments.MAX_SEGMENTS
        loaded = DenseIndex.load(folder)
        same_answers(loaded, memory, np.random.default_rng(100 + step), keys)
        assert np.array_equal(np.sort(faiss_ids(loaded._index)), np.sort(faiss_ids(memory._index)))
        previous = folder
    assert len(segments(previous)) < step  # merged

    # A change too large for segments: the whole index is written again.
    lazy = DenseIndex.load(previous, lazy=True)
    big = {i: unit(np.random.default_rng(5).standard_normal((2, DIM))) for i in ids(150, "big")}
    for index in (lazy, memory):
        index.add_many(big.items())
    last = tmp_path / "v999"
    lazy.save(last)
    assert segments(last) == [] and not same_file(last / INDEX_FILE, first / INDEX_FILE)
    same_answers(DenseIndex.load(last), memory, np.random.default_rng(7), keys)


def test_a_lazy_index_reads_its_vectors_when_it_must_rebuild(tmp_path: Path) -> None:
    items = random_items(300, np.random.default_rng(2))
    memory = DenseIndex.new(DIM, exact_limit=10_000)
    memory.add_many(items.items())
    memory.save(tmp_path / "a")
    lazy = DenseIndex.load(tmp_path / "a", lazy=True)
    for index in (lazy, memory):
        one_update(index, np.random.default_rng(3), 1, n_gone=2, n_new=3)
        index.exact_limit = 400  # now over the limit: the next change goes approximate
        index.rebuild_if_needed()
    assert lazy.kind == memory.kind == "ivf" and lazy._index is not None
    lazy.save(tmp_path / "b")
    keys = np.array([item_key(i) for i in list(items)[::4]])
    same_answers(DenseIndex.load(tmp_path / "b"), memory, np.random.default_rng(4), keys)
    # A search of a lazily loaded index reads the vectors too.
    lazy = DenseIndex.load(tmp_path / "b", lazy=True)
    same_answers(lazy, memory, np.random.default_rng(5), keys)


def test_damaged_vectors_carried_by_an_update_are_found_where_they_are_read(
    tmp_path: Path,
) -> None:
    items = random_items(300, np.random.default_rng(3))
    index = DenseIndex.new(DIM)
    index.add_many(items.items())
    index.save(tmp_path / "a")
    base = tmp_path / "a" / INDEX_FILE
    data = bytearray(base.read_bytes())
    data[len(data) // 2] ^= 0x55
    base.write_bytes(bytes(data))
    lazy = DenseIndex.load(tmp_path / "a", lazy=True)  # the update does not read them
    lazy.remove(list(items)[:2])
    lazy.save(tmp_path / "b")
    with pytest.raises(IndexStale, match=INDEX_FILE):
        DenseIndex.load(tmp_path / "b")
    lazy = DenseIndex.load(tmp_path / "b", lazy=True)
    with pytest.raises(IndexStale, match=INDEX_FILE):  # nor trusted when it must rebuild
        lazy.search(np.ones(DIM), 3)
    # A damaged segment likewise.
    index = DenseIndex.new(DIM)
    index.add_many(items.items())
    for n in range(3):
        index.remove(list(items)[2 * n : 2 * n + 2])
        index.save(tmp_path / "c")
    assert len(segments(tmp_path / "c")) == 2
    seg = tmp_path / "c" / segments(tmp_path / "c")[-1]
    data = bytearray(seg.read_bytes())
    data[len(data) // 2] ^= 0x55
    seg.write_bytes(bytes(data))
    with pytest.raises(IndexStale, match=seg.name):
        DenseIndex.load(tmp_path / "c")


def test_the_item_map_agrees_with_a_dict_through_puts_pops_and_folds() -> None:
    from index.dense_items import ItemMap, item_map

    rng = np.random.default_rng(9)
    pool = ids(300, "map")
    model: dict[str, np.ndarray] = {}
    m = ItemMap()
    for step in range(400):
        item = pool[int(rng.integers(0, len(pool)))]
        if item in model:
            assert np.array_equal(m.pop(item_key(item)), model.pop(item))
        else:
            model[item] = rng.integers(0, 2**62, int(rng.integers(1, 4)))
            m.put(item, model[item])
        if step % 37 == 0:
            m.table()  # fold now and then
        assert len(m) == len(model) and m.n_passages == sum(len(p) for p in model.values())
        probe = pool[int(rng.integers(0, len(pool)))]
        got = m.get(item_key(probe))
        assert (got is None) == (probe not in model)
        assert got is None or (got[0] == probe and np.array_equal(got[1], model[probe]))
    assert sorted(m.item_ids()) == sorted(model)
    table = m.table()
    assert m.ids == sorted(model, key=item_key) and list(table.keys) == [item_key(i) for i in m.ids]
    again = item_map(table.passages(), m.ids, check_all=True)
    for item, pids in model.items():
        got = again.get(item_key(item))
        assert got is not None and got[0] == item and np.array_equal(got[1], pids)
    with pytest.raises(ValueError):
        item_map(table.passages(), m.ids[::-1], check_all=True)


def test_an_ivf_index_of_format_1_is_updated_without_reading_it(tmp_path: Path) -> None:
    import json

    from index.dense import ivf_lists
    from index.dense_io import META_FILE

    items = random_items(800, np.random.default_rng(4))
    index = DenseIndex.new(DIM, exact_limit=600)
    index.add_many(items.items())
    index.save(tmp_path / "a")
    meta = json.loads((tmp_path / "a" / META_FILE).read_text("utf-8"))
    for key in ("nlist", "segments", "base_passages"):
        meta.pop(key)
    (tmp_path / "a" / META_FILE).write_text(json.dumps({**meta, "format": 1}), "utf-8")
    lazy = DenseIndex.load(tmp_path / "a", lazy=True)
    assert lazy.kind == "ivf" and lazy._nlist == ivf_lists(index.n_vectors)
    for ix in (lazy, index):
        one_update(ix, np.random.default_rng(6), 1, n_gone=2, n_new=2)
    lazy.save(tmp_path / "b")
    assert lazy._index is None and segments(tmp_path / "b")
    keys = np.array([item_key(i) for i in list(items)[::7]])
    same_answers(DenseIndex.load(tmp_path / "b"), index, np.random.default_rng(8), keys)
