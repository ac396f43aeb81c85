"""Dense retrieval: a FAISS index of passage vectors with stable ids, hits reported per item.

Vectors are L2-normalised float32 and compared by inner product (cosine). Each passage window
gets a stable id (`index.passages.passage_id`); the index keeps passage id -> item key
(`corpus.model.item_key`) -> item id.

Two layouts, switched automatically after every add/remove (`rebuild_if_needed`):
- exact: `IndexIDMap2(IndexFlatIP)` while the index holds at most `exact_limit` passages
  (from `COARSE_FROM` passages an unfiltered search first scans an 8-bit copy of the vectors
  and scores its best rows exactly: the same hits, `index/dense_scan.py`);
- approximate: `IndexIVFFlat` (inner product) above it. IVF keeps the 64-bit passage ids
  itself (no IDMap needed), removes them natively (`remove_ids`), applies an `IDSelector`
  while scanning its lists, and trains in seconds; HNSW (measured, see scripts/bench_dense.py)
  cannot remove and builds ~10x slower. The IVF is retrained when the corpus has grown so much
  that its lists are too long, and replaced by the exact index when it shrinks to half the
  limit.

On disk the index is a base and segments of later changes (index/dense_segments.py): an
index loaded with `lazy=True` (an update) reads only its item map, records its adds and
removes, and saves them as one new segment beside the base it links unread; the FAISS index
itself is read only when a search or a rebuild needs it.

Filters are applied inside the FAISS search: the passage ids of the allowed items go into an
`IDSelectorBatch` in `faiss.SearchParameters`; nothing is over-fetched and dropped. The search
goes deeper than k passages only to collapse several windows of one item into one hit, until k
distinct items are found or the allowed passages are exhausted.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from corpus.errors import IndexStale
from corpus.model import Hit, item_key
from index import dense_segments
from index.dense_io import crc32, read_folder, write_folder
from index.dense_items import ItemMap, Lookup, item_map
from index.dense_scan import COARSE_FROM, SPLIT_FROM, Coarse, omp_threads, split_scan
from index.dense_segments import Change, Saved, load_segment
from index.passages import passage_ids

log = logging.getLogger(__name__)

DEFAULT_EXACT_LIMIT = 300_000  # measured: exact p95 reaches ~30 ms here (bench_dense)
DEFAULT_NPROBE = 32
# IVF lists: about 2*sqrt(n) of them (2,000 at 1M passages), each trained from 40 points (the
# faiss minimum). 4*sqrt(n) halves the scan but made training 3.7x slower at 1M (180 s vs 49 s).
_LISTS_PER_SQRT = 2
_TRAIN_POINTS_PER_LIST = 40
_RETRAIN_GROWTH = 2  # retrain when the ideal number of lists has doubled


def cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def normalised(vectors: np.ndarray, dim: int) -> np.ndarray:
    """A C-contiguous float32 (n, dim) copy with unit rows; rejects non-finite or zero rows."""
    x = np.array(vectors, dtype=np.float32, order="C", copy=True, ndmin=2)
    if x.ndim != 2 or x.shape[1] != dim:
        raise ValueError(f"expected vectors of dimension {dim}, got shape {np.shape(vectors)}")
    if not np.isfinite(x).all():
        raise ValueError("vectors contain NaN or infinity")
    norms = np.linalg.norm(x, axis=1)
    if (norms == 0).any():
        raise ValueError("a vector is all zeros")
    x /= norms[:, None]
    return x


def ivf_lists(n: int) -> int:
    """Number of IVF lists for n passages (each list trained from >= 40 points)."""
    return max(1, min(round(_LISTS_PER_SQRT * math.sqrt(n)), n // _TRAIN_POINTS_PER_LIST))


class DenseIndex:
    """Passage vectors of items, searchable by item with filters. See the module docstring."""

    def __init__(
        self,
        dim: int,
        index: Any,
        *,
        exact_limit: int = DEFAULT_EXACT_LIMIT,
        nprobe: int = DEFAULT_NPROBE,
        items: ItemMap | None = None,
        saved: Saved | None = None,
        layout: tuple[str, int] = ("flat", 1),
    ) -> None:
        self.dim = dim
        self.exact_limit = exact_limit
        self.nprobe = nprobe
        self._index: Any = index  # None until needed when saved is given; faiss stubs
        self._map = items if items is not None else ItemMap()
        self._count = self._map.n_passages
        if index is not None:
            ivf = isinstance(index, faiss.IndexIVF)
            layout = ("ivf", int(index.nlist)) if ivf else ("flat", 1)
        self._layout, self._nlist = layout
        # The files this index extends on its next save, and the changes made since.
        self._saved = saved
        self._change: Change | None = Change(dim) if saved is not None else None
        self._filter_cache: tuple[Lookup, bytes, tuple[int, int, Any]] | None = None
        # The 8-bit copy an exact index's unfiltered searches scan first (index.dense_scan),
        # made by the first search that needs it and dropped when the FAISS index changes.
        self._coarse: Coarse | None = None
        self._coarse_lock = threading.Lock()
        # Whether it may: a searcher for a CLI command's few queries would pay more for the
        # copy (~0.2 s at 131k passages) than its scans save (~5 ms each).
        self.copy_8bit = True

    @classmethod
    def new(cls, dim: int, *, exact_limit: int = DEFAULT_EXACT_LIMIT) -> DenseIndex:
        """An empty exact index for vectors of `dim` dimensions."""
        if dim <= 0:
            raise ValueError(f"dimension must be positive, got {dim}")
        return cls(dim, faiss.IndexIDMap2(faiss.IndexFlatIP(dim)), exact_limit=exact_limit)

    # ---- size and contents -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._map)

    def __contains__(self, item_id: object) -> bool:
        if not isinstance(item_id, str):
            return False
        got = self._map.get(item_key(item_id))
        return got is not None and got[0] == item_id

    @property
    def n_vectors(self) -> int:
        return self._count

    @property
    def exact(self) -> bool:
        """True while searches are exhaustive (flat index)."""
        return self._layout == "flat"

    @property
    def kind(self) -> str:
        """Layout of the FAISS index: "flat" (exact) or "ivf" (approximate)."""
        return self._layout

    def _faiss(self) -> Any:
        """The FAISS index, read from the saved files and brought up to date if need be."""
        if self._index is None:
            assert self._saved is not None and self._change is not None
            index, *_ = read_folder(self._saved.folder)
            self._change.apply(index)
            if index.ntotal != self._count:
                raise IndexStale(f"the dense index in {self._saved.folder} has changed")
            self._index = index
        return self._index

    def item_ids(self) -> list[str]:
        return self._map.item_ids()

    def n_passages(self, item_id: str) -> int:
        """Number of passage windows stored for an item (0 when absent)."""
        got = self._map.get(item_key(item_id))
        return len(got[1]) if got is not None and got[0] == item_id else 0

    # ---- changes -----------------------------------------------------------------------
    def add(self, item_id: str, vectors: np.ndarray) -> None:
        """Store an item's passage vectors (one row per window), replacing earlier ones."""
        self.add_many([(item_id, vectors)])

    def add_many(self, batch: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store many items at once (far cheaper than one add per item on a large index)."""
        latest: dict[str, np.ndarray] = {}
        for item_id, vectors in batch:
            if not item_id:
                raise ValueError("empty item id")
            x = normalised(vectors, self.dim)
            if len(x) == 0:
                raise ValueError(f"item {item_id} has no passage vectors")
            latest[item_id] = x
        if not latest:
            return
        owners: dict[int, str] = {}
        for item_id in latest:
            key = item_key(item_id)
            held = self._map.get(key)
            other = owners.setdefault(key, held[0] if held is not None else item_id)
            if other != item_id:
                raise ValueError(f"item ids {other} and {item_id} share the key {key}")
        self._drop(latest)
        ids = [passage_ids(item_id, len(x)) for item_id, x in latest.items()]
        x_all, ids_all = np.concatenate(list(latest.values())), np.concatenate(ids)
        if self._index is not None:
            self._coarse = None
            with omp_threads(cores()):
                self._index.add_with_ids(x_all, ids_all)
        if self._change is not None:
            self._change.then_add(ids_all, x_all)
            self._forget_change_if_whole()
        self._count += len(ids_all)
        for (item_id, _), pid in zip(latest.items(), ids, strict=True):
            self._map.put(item_id, pid)
        self.rebuild_if_needed()

    def _forget_change_if_whole(self) -> None:
        """Stop recording changes (a copy of each added vector) once the next save must write
        the index whole anyway; only when the FAISS index is in memory."""
        saved, change = self._saved, self._change
        if self._index is None or saved is None or change is None:
            return
        if change.n_added > dense_segments.COMPACT_SHARE * max(1, saved.base_passages):
            self._saved, self._change = None, None

    def remove(self, item_ids: Iterable[str]) -> int:
        """Remove items (absent ones are ignored); returns how many were removed."""
        removed = self._drop(item_ids)
        if removed:
            self.rebuild_if_needed()
        return removed

    def _drop(self, item_ids: Iterable[str]) -> int:
        keys = {item_key(i) for i in item_ids if i in self}
        if not keys:
            return 0
        pids = np.concatenate([self._map.pop(k) for k in keys])
        if self._index is not None:
            self._coarse = None
            with omp_threads(cores()):
                self._index.remove_ids(faiss.IDSelectorBatch(pids))
        if self._change is not None:
            self._change.then_remove(pids)
        self._count -= len(pids)
        return len(keys)

    def rebuild_if_needed(self) -> bool:
        """Switch exact <-> approximate, or retrain the IVF, when the size calls for it."""
        n = self.n_vectors
        if self.exact and n > self.exact_limit:
            self._rebuild(approximate=True)
        elif not self.exact and n <= self.exact_limit // 2:
            self._rebuild(approximate=False)
        elif not self.exact and ivf_lists(n) >= _RETRAIN_GROWTH * self._nlist:
            self._rebuild(approximate=True)
        else:
            return False
        return True

    def _rebuild(self, *, approximate: bool) -> None:
        self._faiss()
        ids, x = self._all_vectors()
        self._index = faiss.IndexFlatIP(self.dim)  # let the old index go before building
        self._coarse = None
        self._saved, self._change = None, None  # the next save writes the index whole
        with omp_threads(cores()):
            if approximate:
                nlist = ivf_lists(len(x))
                ivf = faiss.IndexIVFFlat(
                    faiss.IndexFlatIP(self.dim), self.dim, nlist, faiss.METRIC_INNER_PRODUCT
                )
                ivf.cp.niter = 10
                sample = min(len(x), nlist * _TRAIN_POINTS_PER_LIST)
                rows = np.random.default_rng(0).choice(len(x), sample, replace=False)
                ivf.train(x[np.sort(rows)])
                index: Any = ivf
            else:
                index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
            index.add_with_ids(x, ids)
        self._index = index
        self._layout, self._nlist = ("ivf", index.nlist) if approximate else ("flat", 1)
        log.info(
            "dense index rebuilt as %s with %d passages",
            f"IVF-Flat ({self._index.nlist} lists)" if approximate else "exact flat",
            len(x),
        )

    def _all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of every (passage id, vector) held by the FAISS index."""
        index = self._index
        if isinstance(index, faiss.IndexIVF):
            inv: Any = index.invlists
            ids, xs = [], []
            for lst in range(index.nlist):
                size = inv.list_size(lst)
                if size:
                    ids.append(faiss.rev_swig_ptr(inv.get_ids(lst), size).copy())
                    codes = faiss.rev_swig_ptr(inv.get_codes(lst), size * index.code_size)
                    xs.append(codes.view(np.float32).reshape(size, self.dim).copy())
            if not ids:
                return np.zeros(0, np.int64), np.zeros((0, self.dim), np.float32)
            return np.concatenate(ids), np.concatenate(xs)
        flat: Any = faiss.downcast_index(index.index)
        x = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * self.dim).reshape(-1, self.dim)
        return faiss.vector_to_array(index.id_map).astype(np.int64), x.copy()

    # ---- search ------------------------------------------------------------------------
    def _table(self) -> Lookup:
        return self._map.table()

    def search(self, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[Hit]:
        """The k items whose best passage is nearest the query, best first.

        `allowed`: item keys (`corpus.model.item_key`, int64) or item ids (str) that may be
        returned; None allows all. Each hit's score is the item's best passage score (cosine)
        and `passage` that window's index.
        """
        if k <= 0 or not len(self._map):
            return []
        q = normalised(qvec, self.dim)
        if len(q) != 1:
            raise ValueError("search takes one query vector")
        table = self._table()
        if allowed is None:
            n_items, n_pass, sel = len(table.keys), len(table.pids), None
        else:
            n_items, n_pass, sel = self._filter(table, np.asarray(allowed))
            if n_items == 0:
                return []
        want = min(k, n_items)
        per_item = max(1.0, len(table.pids) / max(1, len(table.keys)))
        depth = min(n_pass, math.ceil(want * per_item) + want)
        lists = self._nlist
        share = n_pass / max(1, len(table.pids))
        nprobe = min(lists, math.ceil(self.nprobe / math.sqrt(share)))
        while True:
            scores, labels = self._raw(q, depth, sel, nprobe)
            hits = self._collapse(scores, labels, table)
            if len(hits) >= want:
                return hits[:k]
            if (labels >= 0).sum() >= depth and depth < n_pass:
                depth = min(n_pass, 2 * depth)
            elif not self.exact and nprobe < lists:
                nprobe = min(lists, 4 * nprobe)
            else:
                return hits[:k]

    def _filter(self, table: Lookup, allowed: np.ndarray) -> tuple[int, int, Any]:
        """(allowed items, their passages, IDSelector); the last filter is cached, as a user
        paging or refining a query keeps it (building it is O(allowed), ~10 ms per 100k)."""
        if allowed.dtype.kind in "UO":
            allowed = np.array([item_key(str(a)) for a in allowed], dtype=np.int64)
        allowed = np.ascontiguousarray(allowed, dtype=np.int64)
        digest = hashlib.blake2b(allowed.tobytes(), digest_size=16).digest()
        cached = self._filter_cache
        if cached is not None and cached[0] is table and cached[1] == digest:
            return cached[2]
        rows = table.rows_of(allowed)
        pids = table.pids_of(rows)
        sel: Any = faiss.IDSelectorBatch(pids)
        if 2 * len(pids) > len(table.pids):  # most items allowed: the complement is smaller
            sel = faiss.IDSelectorNot(faiss.IDSelectorBatch(np.setdiff1d(table.pids, pids)))
        result = (len(rows), len(pids), sel)
        self._filter_cache = (table, digest, result)
        return result

    def _raw(
        self, q: np.ndarray, depth: int, sel: faiss.IDSelector | None, nprobe: int
    ) -> tuple[np.ndarray, np.ndarray]:
        params: Any = None  # the faiss stubs omit the keyword arguments
        if not self.exact:
            params = faiss.SearchParametersIVF(nprobe=nprobe, sel=sel)  # type: ignore[call-arg]
        elif sel is not None:
            params = faiss.SearchParameters(sel=sel)  # type: ignore[call-arg]
        index = self._faiss()
        if self.exact and sel is None and self.copy_8bit and self.n_vectors >= COARSE_FROM:
            return self._coarse_of(index).scan(index, q, depth)  # 8 bits first, then exact
        if self.exact and sel is None and self.n_vectors >= SPLIT_FROM and cores() > 1:
            return split_scan(index, q, depth)  # two halves on two threads
        with omp_threads(1):
            scores, labels = index.search(q, depth, params=params)
        return scores[0], labels[0]

    def _coarse_of(self, index: Any) -> Coarse:
        """The 8-bit copy of the exact index `index`, made on first use (~0.2 s at 131k
        passages); the app's sessions share a searcher, so one of them makes it."""
        with self._coarse_lock:
            if self._coarse is None:
                self._coarse = Coarse(index)
            return self._coarse

    def _collapse(self, scores: np.ndarray, labels: np.ndarray, table: Lookup) -> list[Hit]:
        found = labels >= 0
        scores, labels = scores[found], labels[found]
        rows, windows = table.locate(labels)
        _, first = np.unique(rows, return_index=True)
        first.sort()
        ids = self._map.ids
        return [
            Hit(
                item_id=ids[int(rows[i])],
                score=float(scores[i]),
                retriever="dense",
                passage=int(windows[i]),
            )
            for i in first
        ]

    # ---- persistence -------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the index into `folder` (each file replaced atomically, dense.json last):
        the changes since the last save as one segment beside the files of that save (linked
        when the folder is another), or the whole index when the segments have grown too
        many or too large (see index/dense_segments.py)."""
        passages = self._table().passages()
        items = self._map.ids
        meta = {
            "dim": self.dim,
            "exact_limit": self.exact_limit,
            "nprobe": self.nprobe,
            "layout": self.kind,
            "nlist": self._nlist,
        }
        saved, change = self._saved, self._change
        if saved is not None and change is not None:
            rows_after = saved.rows + change.n_added + change.n_removed
            if rows_after > dense_segments.COMPACT_SHARE * max(1, saved.base_passages):
                saved = None  # write the whole index
            elif len(saved.segments) >= dense_segments.MAX_SEGMENTS:
                merged = Change(self.dim)
                for seg in saved.segments:
                    merged.then(load_segment(_checked(seg.folder / seg.name, seg.crc32), self.dim))
                merged.then(change)
                saved, change = (
                    Saved(saved.folder, saved.base_crc32, saved.base_passages, ()),
                    merged,
                )
        if saved is None or change is None:
            self._saved = write_folder(Path(folder), passages, items, meta, index=self._faiss())
        else:
            self._saved = write_folder(
                Path(folder),
                passages,
                items,
                meta,
                base=(saved.folder, saved.base_crc32, saved.base_passages),
                segments=list(saved.segments),
                change=(saved.next_name(), change) if change else None,
            )
        self._change = Change(self.dim)

    @classmethod
    def load(cls, folder: Path, *, verify: bool = True, lazy: bool = False) -> DenseIndex:
        """Read an index written by `save`; raises IndexStale when files are missing or torn.
        lazy: read the FAISS index only when a search or rebuild needs it (an update)."""
        index, passages, items, meta, saved = read_folder(Path(folder), verify=verify, lazy=lazy)
        try:
            by_key = item_map(passages, items, check_all=not lazy)
        except ValueError as e:
            raise IndexStale(f"the items and passages of the dense index in {folder} differ") from e
        layout = str(meta.get("layout", "flat"))
        return cls(
            int(meta["dim"]),
            index,
            exact_limit=int(meta["exact_limit"]),
            nprobe=int(meta["nprobe"]),
            items=by_key,
            saved=saved,
            layout=(layout, int(meta.get("nlist", _nlist_of_old(layout, meta)))),
        )


def _nlist_of_old(layout: str, meta: dict[str, Any]) -> int:
    """The IVF lists of an index whose dense.json (format 1) does not record them: those it
    was trained with when it was last written whole (a guess good enough to decide when to
    retrain; reading them would mean reading the index)."""
    return ivf_lists(int(meta["base_passages"])) if layout == "ivf" else 1


def _checked(path: Path, crc: int) -> Path:
    """`path`, when its bytes match the CRC-32 recorded for it; IndexStale otherwise."""
    if crc32(path) != crc:
        raise IndexStale(f"{path} does not match its recorded checksum")
    return path
