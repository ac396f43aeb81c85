"""The words of each item, as ids into one surface vocabulary: the lexical index's input.

Reading and tokenising every item's text is half of a lexical build. An update keeps the
previous build's tokens, drops the items that are gone, reads only the new ones and puts the
items back in item-key order, so the index built from them equals a build from scratch.

Files (in the lexical index folder): tokens.words.txt (the surface words, by id),
tokens.ids.npy (int32 word ids of all items end to end), tokens.offsets.npy (int64, where each
item starts) and tokens.items.txt (the item ids, in item-key order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.model import item_key
from index.analyze import words

WORDS, IDS = "tokens.words.txt", "tokens.ids.npy"
OFFSETS, ITEMS = "tokens.offsets.npy", "tokens.items.txt"
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

    # -- files ------------------------------------------------------------------------------
    def save(self, folder: Path, write: Callable[[Path, Callable[..., object]], None]) -> None:
        write(folder / WORDS, lambda f: f.write("\n".join(self.words).encode("utf-8")))
        write(folder / IDS, lambda f: np.save(f, self.ids))
        write(folder / OFFSETS, lambda f: np.save(f, self.offsets))
        write(folder / ITEMS, lambda f: f.write("\n".join(self.item_ids).encode("utf-8")))

    @classmethod
    def load(cls, folder: Path) -> Tokens | None:
        """The saved tokens, or None if the folder has none or they do not fit together."""
        try:
            text = (folder / WORDS).read_text("utf-8")
            items = (folder / ITEMS).read_text("utf-8")
            ids = np.load(folder / IDS)
            offsets = np.load(folder / OFFSETS)
        except (OSError, ValueError):
            return None
        vocab = text.split("\n") if text else []
        item_ids = items.split("\n") if items else []
        if len(offsets) != len(item_ids) + 1 or offsets[-1] != len(ids):
            return None
        if len(ids) and (ids.min() < 0 or ids.max() >= len(vocab)):
            return None
        return cls(vocab, item_ids, ids.astype(np.int32, copy=False), offsets)


def _word_ids(ws: list[str], ids: dict[str, int], vocab: list[str]) -> list[int]:
    """Ids of words; new words get the next ids (in sorted order, so builds are repeatable)."""
    for w in sorted(set(ws).difference(ids)):
        ids[w] = len(vocab)
        vocab.append(w)
    return list(map(ids.__getitem__, ws))
