"""Which items a dense index holds and the passage ids of each, kept as sorted arrays.

At 1M items a dict of one array per item costs seconds to build from the saved table and to
flatten back for a save. `ItemMap` keeps the table as sorted arrays (`Lookup`, read straight
from dense-passages.npy), and the items added and removed since in small overlays, folded
into new arrays only when the whole table is needed (a search, a save): an update of a few
items touches a few entries, and a long run of batches does not re-sort the table each time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from corpus.model import item_key


@dataclass
class Lookup:
    """Item key <-> passage ids: items sorted by key, their passages in window order."""

    keys: np.ndarray  # sorted item keys
    starts: np.ndarray  # first passage of item i in `pids`
    counts: np.ndarray  # number of passages of item i
    pids: np.ndarray  # passage ids grouped by item, in window order
    _order: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, passages: np.ndarray) -> Lookup:
        """From rows (passage id, item key, window) in any order."""
        p = passages[np.lexsort((passages[:, 2], passages[:, 1]))]
        keys, starts, counts = np.unique(p[:, 1], return_index=True, return_counts=True)
        return cls(keys, starts.astype(np.int64), counts.astype(np.int64), p[:, 0].copy())

    def passages(self) -> np.ndarray:
        """Rows (passage id, item key, window), grouped by item."""
        rows = np.repeat(np.arange(len(self.keys)), self.counts)
        windows = np.arange(len(self.pids)) - self.starts[rows]
        return np.stack([self.pids, self.keys[rows], windows], axis=1).astype(np.int64)

    def row(self, key: int) -> int:
        """The row of an item key, or -1."""
        r = int(np.searchsorted(self.keys, key))
        return r if r < len(self.keys) and self.keys[r] == key else -1

    def rows_of(self, allowed_keys: np.ndarray) -> np.ndarray:
        """Item rows (indexes into `keys`) of the allowed keys that are in the index."""
        if len(self.keys) == 0:
            return np.zeros(0, dtype=np.int64)
        wanted = np.sort(np.asarray(allowed_keys, dtype=np.int64))  # sorted needles: fast
        rows = np.searchsorted(self.keys, wanted).clip(0, len(self.keys) - 1)
        rows = rows[self.keys[rows] == wanted]
        return rows[np.r_[True, rows[1:] != rows[:-1]]] if len(rows) else rows

    def pids_of(self, rows: np.ndarray) -> np.ndarray:
        """All passage ids of the given item rows."""
        counts = self.counts[rows]
        total = int(counts.sum())
        offsets = np.repeat(self.starts[rows] - np.cumsum(counts) + counts, counts)
        return self.pids[offsets + np.arange(total, dtype=np.int64)]

    def locate(self, pids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Item row and window index of each passage id (all must be in the index)."""
        if self._order is None:
            order = np.argsort(self.pids, kind="stable")
            self._order = (order, self.pids[order])
        order, pid_sorted = self._order
        pos = order[np.searchsorted(pid_sorted, pids)]
        rows = np.searchsorted(self.starts, pos, side="right") - 1
        return rows, pos - self.starts[rows]


def _empty() -> Lookup:
    return Lookup.of(np.zeros((0, 3), dtype=np.int64))


class ItemMap:
    """Item ids and passage ids of a dense index: a folded `Lookup` with the item ids in its
    key order, plus the items put and popped since (see the module docstring)."""

    def __init__(self, table: Lookup | None = None, ids: list[str] | None = None) -> None:
        self._table = table if table is not None else _empty()
        self._ids = ids if ids is not None else []
        if len(self._ids) != len(self._table.keys):
            raise ValueError(f"{len(self._ids)} item ids for {len(self._table.keys)} items")
        self._gone: set[int] = set()  # keys of the table's items popped since
        self._new: dict[int, tuple[str, np.ndarray]] = {}  # key -> (item id, passage ids)
        self._n_passages = len(self._table.pids)

    def __len__(self) -> int:
        return len(self._ids) - len(self._gone) + len(self._new)

    @property
    def n_passages(self) -> int:
        return self._n_passages

    def get(self, key: int) -> tuple[str, np.ndarray] | None:
        """(item id, passage ids) of an item key, or None."""
        if key in self._new:
            return self._new[key]
        if key in self._gone:
            return None
        t = self._table
        r = t.row(key)
        return None if r < 0 else (self._ids[r], t.pids[t.starts[r] : t.starts[r] + t.counts[r]])

    def item_ids(self) -> list[str]:
        if not self._gone:
            return [*self._ids, *(i for i, _ in self._new.values())]
        keys = self._table.keys.tolist()
        kept = [i for k, i in zip(keys, self._ids, strict=True) if k not in self._gone]
        return kept + [i for i, _ in self._new.values()]

    def put(self, item_id: str, pids: np.ndarray) -> None:
        """Add an item (its key must be free: pop the old one first)."""
        key = item_key(item_id)
        assert self.get(key) is None, f"{item_id} is in the map"
        self._new[key] = (item_id, pids)
        self._n_passages += len(pids)

    def pop(self, key: int) -> np.ndarray:
        """Remove an item (that is in the map); returns its passage ids."""
        got = self.get(key)
        assert got is not None, f"no item of key {key} in the map"
        if self._new.pop(key, None) is None:
            self._gone.add(key)
        self._n_passages -= len(got[1])
        return got[1]

    def table(self) -> Lookup:
        """The whole map as one Lookup (folding in what was put and popped)."""
        if self._gone or self._new:
            self._fold()
        return self._table

    @property
    def ids(self) -> list[str]:
        """Item ids in the order of table().keys."""
        self.table()
        return self._ids

    def _fold(self) -> None:
        t = self._table
        keep = np.ones(len(t.keys), dtype=bool)
        if self._gone:
            keep = ~np.isin(t.keys, np.fromiter(self._gone, dtype=np.int64, count=len(self._gone)))
        old = t.passages()
        old = old[np.repeat(keep, t.counts)]
        new_keys = np.fromiter(self._new, dtype=np.int64, count=len(self._new))
        groups = [p for _, p in self._new.values()]
        new = np.zeros((0, 3), dtype=np.int64)
        if groups:
            lengths = np.array([len(g) for g in groups], dtype=np.int64)
            starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
            windows = np.arange(int(lengths.sum()), dtype=np.int64) - starts
            new = np.stack([np.concatenate(groups), np.repeat(new_keys, lengths), windows], axis=1)
        kept_ids = [i for i, k in zip(self._ids, keep.tolist(), strict=True) if k]
        all_keys = np.concatenate([t.keys[keep], new_keys])
        all_ids = kept_ids + [i for i, _ in self._new.values()]
        order = np.argsort(all_keys, kind="stable")
        self._table = Lookup.of(np.concatenate([old, new]).astype(np.int64))
        self._ids = [all_ids[i] for i in order.tolist()]
        self._gone, self._new = set(), {}


def item_map(passages: np.ndarray, items: list[str], *, check_all: bool) -> ItemMap:
    """The map of a saved table and its item ids (in key order); ValueError when they do not
    belong together (every item's key checked, or a sample of them unless check_all)."""
    table = Lookup.of(passages)
    if len(table.keys) != len(items):
        raise ValueError(f"passages of {len(table.keys)} items, {len(items)} item ids")
    step = 1 if check_all else max(1, len(items) // 1000)
    picked = list(range(0, len(items), step))
    if picked and len(items) - 1 != picked[-1]:
        picked.append(len(items) - 1)
    for i in picked:
        if item_key(items[i]) != int(table.keys[i]):
            raise ValueError(f"the item id {items[i]} is not the item of key {table.keys[i]}")
    return ItemMap(table, items)
