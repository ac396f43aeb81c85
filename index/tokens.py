"""The words of each item, as ids into one surface vocabulary: the lexical index's input.

Reading and tokenising every item's text is half of a lexical build. An update keeps the
previous build's tokens, drops the items that are gone, reads only the new ones and puts the
items back in item-key order, so the index built from them equals a build from scratch.

The index keeps them by row (RowTokens), as its postings: the base segment's rows in
tokens.ids.npy (int32 word ids of all its items end to end) and tokens.offsets.npy (int64,
where each row starts), written once and hard-linked into later versions; the rows added
since in delta.tokens.ids.npy and delta.tokens.offsets.npy; tokens.words.txt (the surface
words, by id; an update only appends) and tokens.counts.npy (how often each word occurs in
the live rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.model import item_key
from index.analyze import words

WORDS, IDS, OFFSETS, COUNTS = (
    "tokens.words.txt",
    "tokens.ids.npy",
    "tokens.offsets.npy",
    "tokens.counts.npy",
)
DELTA_IDS, DELTA_OFFSETS = "delta.tokens.ids.npy", "delta.tokens.offsets.npy"
Write = Callable[[Path, Callable[..., object]], None]
Progress = Callable[[int], None]
PROGRESS_EVERY = 1000


@dataclass
class Tokens:
    words: list[str]  # surface word by id
    item_ids: list[str]  # in item-key order
    ids: np.ndarray  # int32 word ids of all items, end to end
    offsets: np.ndarray  # int64, len(item_ids) + 1

    def __len__(self) -> int:
        return len(self.item_ids)

    def counts(self) -> np.ndarray:
        """How often each word occurs (title words counted with their weight)."""
        return np.bincount(self.ids, minlength=len(self.words))

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def read(
        cls,
        docs: Iterable[tuple[str, str, str]],
        title_weight: int,
        progress: Progress | None = None,
        *,
        base: Tokens | None = None,
    ) -> Tokens:
        """Tokens of (item_id, title, text) triples, added to those of `base` if given.
        Raises ValueError on an item id that occurs twice."""
        vocab = list(base.words) if base else []
        ids = {w: i for i, w in enumerate(vocab)}
        item_ids = list(base.item_ids) if base else []
        seen = set(item_ids)
        arrays = [base.ids] if base else []
        lengths = [np.diff(base.offsets)] if base else []
        new_lengths: list[int] = []
        n = 0
        for n, (item_id, title, text) in enumerate(docs, 1):
            if item_id in seen:
                raise ValueError(f"item id {item_id} occurs twice in the lexical index input")
            seen.add(item_id)
            item_ids.append(item_id)
            head = _word_ids(words(title), ids, vocab)
            body = _word_ids(words(text), ids, vocab)
            arr = np.array(head * title_weight + body, dtype=np.int32)
            arrays.append(arr)
            new_lengths.append(len(arr))
            if progress and n % PROGRESS_EVERY == 0:
                progress(n)
        if progress:
            progress(n)
        lengths.append(np.array(new_lengths, dtype=np.int64))
        flat = np.concatenate(arrays) if arrays else np.zeros(0, np.int32)
        offsets = np.zeros(len(item_ids) + 1, dtype=np.int64)
        np.cumsum(np.concatenate(lengths), out=offsets[1:])
        return cls(vocab, item_ids, flat, offsets).in_key_order()

    def in_key_order(self) -> Tokens:
        """The same tokens with the items sorted by item key (the order of a full build)."""
        keys = np.fromiter((item_key(i) for i in self.item_ids), np.int64, len(self.item_ids))
        order = np.argsort(keys, kind="stable")
        if np.array_equal(order, np.arange(len(order))):
            return self
        return self._select(order)

    def without(self, gone: set[str]) -> Tokens:
        """The tokens of all items but `gone`, with the words only those used dropped."""
        keep = np.array([i not in gone for i in self.item_ids], dtype=bool)
        kept = self if keep.all() else self._select(np.flatnonzero(keep))
        used = kept.counts() > 0
        if used.all():
            return kept
        new_id = np.cumsum(used) - 1
        return Tokens(
            [w for w, u in zip(kept.words, used.tolist(), strict=True) if u],
            kept.item_ids,
            new_id[kept.ids].astype(np.int32),
            kept.offsets,
        )

    def _select(self, rows: np.ndarray) -> Tokens:
        """The items at `rows`, in that order (a ragged gather of their word ids)."""
        lengths = np.diff(self.offsets)[rows]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        starts = np.repeat(self.offsets[rows] - offsets[:-1], lengths)
        flat = self.ids[starts + np.arange(offsets[-1])]
        return Tokens(self.words, [self.item_ids[r] for r in rows], flat, offsets)


@dataclass
class RowTokens:
    """The tokens of every row of the lexical index (rows of gone items included: their
    postings are dead, their words no longer counted)."""

    words: list[str]  # surface word by id (an update only appends)
    counts: np.ndarray  # int64, occurrences of each word in the live rows
    base_ids: np.ndarray  # int32, the base segment's rows end to end
    base_offsets: np.ndarray  # int64, n_base + 1
    delta_ids: np.ndarray  # int32, the rows added since
    delta_offsets: np.ndarray  # int64, n_delta + 1 (starts at 0)

    @classmethod
    def of(cls, tokens: Tokens) -> RowTokens:
        """Rows in the order of `tokens`, all in the base segment."""
        return cls(
            list(tokens.words),
            tokens.counts().astype(np.int64),
            tokens.ids,
            tokens.offsets,
            np.zeros(0, np.int32),
            np.zeros(1, np.int64),
        )

    @property
    def n_base(self) -> int:
        return len(self.base_offsets) - 1

    def __len__(self) -> int:
        return self.n_base + len(self.delta_offsets) - 1

    def rows(self, rows: np.ndarray, item_ids: list[str]) -> Tokens:
        """The tokens of `rows` (ascending or not), as items named `item_ids`."""
        rows = np.asarray(rows, dtype=np.int64)
        in_base = rows < self.n_base
        lengths = np.zeros(len(rows), dtype=np.int64)
        starts = np.zeros(len(rows), dtype=np.int64)
        b, d = rows[in_base], rows[~in_base] - self.n_base
        lengths[in_base] = self.base_offsets[b + 1] - self.base_offsets[b]
        lengths[~in_base] = self.delta_offsets[d + 1] - self.delta_offsets[d]
        starts[in_base] = self.base_offsets[b]
        starts[~in_base] = len(self.base_ids) + self.delta_offsets[d]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        pos = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
        from_base = pos < len(self.base_ids)
        flat = np.empty(len(pos), dtype=np.int32)
        flat[from_base] = self.base_ids[pos[from_base]]
        flat[~from_base] = self.delta_ids[pos[~from_base] - len(self.base_ids)]
        return Tokens(self.words, list(item_ids), flat, offsets)

    def holding(self, words: np.ndarray) -> np.ndarray:
        """The rows holding any of the word ids `words` (ascending)."""
        wanted = np.zeros(len(self.words), dtype=bool)
        wanted[words] = True
        found = []
        for ids, offsets, first in (
            (self.base_ids, self.base_offsets, 0),
            (self.delta_ids, self.delta_offsets, self.n_base),
        ):
            at = np.flatnonzero(wanted[ids])
            found.append(first + np.unique(np.searchsorted(offsets, at, side="right") - 1))
        return np.concatenate(found).astype(np.int64)

    def appended(self, words: list[str], counts: np.ndarray, added: Tokens) -> RowTokens:
        """These rows and those of `added` after them, with the words and counts now."""
        n = len(self.delta_offsets) - 1
        delta_offsets = np.concatenate(
            [self.delta_offsets[:n], self.delta_offsets[n] + added.offsets]
        )
        return RowTokens(
            words,
            counts,
            self.base_ids,
            self.base_offsets,
            np.concatenate([self.delta_ids, added.ids]).astype(np.int32),
            delta_offsets,
        )

    # -- files ------------------------------------------------------------------------------
    def save(self, folder: Path, write: Write, *, base: bool = True) -> None:
        """Write the files; the base segment's only if `base` (else they are linked)."""
        write(folder / WORDS, lambda f: f.write("\n".join(self.words).encode("utf-8")))
        write(folder / COUNTS, lambda f: np.save(f, self.counts))
        if base:
            write(folder / IDS, lambda f: np.save(f, np.asarray(self.base_ids)))
            write(folder / OFFSETS, lambda f: np.save(f, np.asarray(self.base_offsets)))
        write(folder / DELTA_IDS, lambda f: np.save(f, self.delta_ids))
        write(folder / DELTA_OFFSETS, lambda f: np.save(f, self.delta_offsets))

    @classmethod
    def load(cls, folder: Path, n_rows: int) -> RowTokens | None:
        """The saved tokens of `n_rows` rows, or None if missing or not consistent."""
        try:
            text = (folder / WORDS).read_text("utf-8")
            counts = np.load(folder / COUNTS)
            ids = np.load(folder / IDS, mmap_mode="r")
            offsets = np.load(folder / OFFSETS)
            delta_ids = np.load(folder / DELTA_IDS)
            delta_offsets = np.load(folder / DELTA_OFFSETS)
        except (OSError, ValueError):
            return None
        words = text.split("\n") if text else []
        tokens = cls(words, counts, ids, offsets, delta_ids, delta_offsets)
        if (
            len(counts) != len(words)
            or len(tokens) != n_rows
            or offsets[-1] != len(ids)
            or delta_offsets[-1] != len(delta_ids)
            or (len(delta_ids) and (delta_ids.min() < 0 or delta_ids.max() >= len(words)))
        ):
            return None
        return tokens

    def live(self, rows: np.ndarray, item_ids: list[str]) -> Tokens:
        """The tokens of the live `rows`, as a Tokens of the live words only (ids renumbered):
        what a build from these items alone would have read."""
        return self.rows(rows, item_ids).without(set())


def _word_ids(ws: list[str], ids: dict[str, int], vocab: list[str]) -> list[int]:
    """Ids of words; new words get the next ids (in sorted order, so builds are repeatable)."""
    for w in sorted({w for w in ws if w not in ids}):  # (set.difference(dict) walks the dict)
        ids[w] = len(vocab)
        vocab.append(w)
    return list(map(ids.__getitem__, ws))
