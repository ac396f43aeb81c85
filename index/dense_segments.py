"""Changes of a dense index since it was last written whole, kept as segments on disk.

An update of a large index changes a few passages among millions. Writing the whole FAISS
index again for that (2 GB at 1M items) costs most of an update, so a version folder holds

- `dense.faiss`: the base, the index as it was last written whole (hard-linked from version
  to version, never rewritten by an update), and
- `dense.segNNNNNN.npz`: segments, in order. Each holds the passage ids it removes and the
  (passage id, vector) rows it then adds.

The index is the base with each segment applied in turn (`replay`): exactly the index the
same removes and adds made in memory, rows in the same order. An update that only adds and
removes items need not read the base at all: it links it into the new version and writes one
small segment. Consecutive changes merge into one (`Change.then_remove`, `then_add`): removing
R2 after (R1, A1) is (R1 | R2, A1 without R2). Segments merge the same way, without the base,
when there are more than MAX_SEGMENTS; the whole index is written again when the segments hold
more than COMPACT_SHARE of the base's passages (a searcher replays them on every load).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faiss
import numpy as np

MAX_SEGMENTS = 8
COMPACT_SHARE = 0.05  # segments' rows (added + removed) beyond this share of the base: rewrite
SEGMENT = re.compile(r"^dense\.seg(\d{6})\.npz$")


def segment_name(number: int) -> str:
    return f"dense.seg{number:06d}.npz"


@dataclass
class Change:
    """Passage ids removed, then rows added (in order), relative to some earlier index."""

    dim: int
    removed: list[np.ndarray] = field(default_factory=list)
    parts: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (ids, vectors)

    def __bool__(self) -> bool:
        return any(len(r) for r in self.removed) or any(len(i) for i, _ in self.parts)

    @property
    def n_added(self) -> int:
        return sum(len(i) for i, _ in self.parts)

    @property
    def n_removed(self) -> int:
        return len(self.removed_ids())

    def then_remove(self, pids: np.ndarray) -> None:
        if not len(pids):
            return
        pids = np.asarray(pids, dtype=np.int64)
        self.removed.append(pids)
        kept = []
        for ids, x in self.parts:
            keep = ~np.isin(ids, pids)
            kept.append((ids, x) if keep.all() else (ids[keep], x[keep]))
        self.parts = [(i, x) for i, x in kept if len(i)]

    def then_add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.parts.append((np.asarray(ids, dtype=np.int64), vectors))

    def then(self, other: Change) -> None:
        """This change followed by `other`, merged into this one."""
        self.then_remove(other.removed_ids())
        for ids, x in other.parts:
            self.then_add(ids, x)

    def removed_ids(self) -> np.ndarray:
        if not self.removed:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(self.removed))

    def added(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.parts:
            return np.zeros(0, np.int64), np.zeros((0, self.dim), np.float32)
        ids = np.concatenate([i for i, _ in self.parts])
        return ids, np.concatenate([x for _, x in self.parts]).astype(np.float32, copy=False)

    def apply(self, index: Any) -> None:
        """Make the change to a FAISS index (IDMap2 or IVF)."""
        removed = self.removed_ids()
        if len(removed):
            index.remove_ids(faiss.IDSelectorBatch(removed))
        ids, x = self.added()
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(x), ids)


@dataclass(frozen=True)
class Segment:
    """A segment file as recorded in dense.json, and the folder that holds it now."""

    name: str
    crc32: int
    added: int
    removed: int
    folder: Path

    def record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "crc32": self.crc32,
            "added": self.added,
            "removed": self.removed,
        }

    @property
    def rows(self) -> int:
        return self.added + self.removed


@dataclass(frozen=True)
class Saved:
    """Where an index was last saved: its base (folder, CRC-32, passages) and segments."""

    folder: Path
    base_crc32: int
    base_passages: int
    segments: tuple[Segment, ...]

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.segments)

    def next_name(self) -> str:
        numbers = [int(m.group(1)) for s in self.segments if (m := SEGMENT.match(s.name))]
        return segment_name(max(numbers, default=0) + 1)


def save_segment(path: Path, change: Change) -> None:
    ids, x = change.added()
    with path.open("wb") as f:
        np.savez(f, removed=change.removed_ids(), ids=ids, vectors=x)


def load_segment(path: Path, dim: int) -> Change:
    """The change a segment file holds; ValueError when it is not one."""
    with np.load(path, allow_pickle=False) as z:
        removed, ids, x = z["removed"], z["ids"], z["vectors"]
    if (
        removed.dtype != np.int64
        or ids.dtype != np.int64
        or x.dtype != np.float32
        or x.ndim != 2
        or x.shape != (len(ids), dim)
    ):
        raise ValueError(f"{path.name} does not hold a segment of dimension {dim}")
    change = Change(dim)
    change.then_remove(removed)
    change.then_add(ids, x)
    return change
