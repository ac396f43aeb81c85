"""Each distinct word's index terms, kept with the lexical index so an update re-analyses only
the words a change can affect (index/lexical_update.py).

Files (in the lexical index folder): analysis.offsets.npy (int64, where each word's terms start,
by the word ids of tokens.words.txt), analysis.terms.npy (int32 term ids of vocab.index.json),
analysis.parts.npy (whether each term is a compound part of its word) and analysis.ties.json
(for the words whose compound split was decided between splits of equally many parts: the
terms whose corpus counts decided it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.analyze import Analyzer

OFFSETS, TERMS, PARTS, TIES = (
    "analysis.offsets.npy",
    "analysis.terms.npy",
    "analysis.parts.npy",
    "analysis.ties.json",
)
Write = Callable[[Path, Callable[..., object]], None]


@dataclass
class WordAnalysis:
    vocab: dict[str, int]  # term -> term id (an update only appends)
    offsets: np.ndarray  # int64, one more than there are words
    terms: np.ndarray  # int32 term ids, word after word
    parts: np.ndarray  # bool, whether the term is a compound part
    ties: dict[str, tuple[str, ...]]  # word -> the terms whose counts decided its split

    def tf(self, part_tf: float) -> np.ndarray:
        """The tf one occurrence of the word adds to each of its terms: 1 to a whole word,
        part_tf to a compound part (index.lexical.Bm25Params.part_tf)."""
        return np.where(self.parts, np.float32(part_tf), np.float32(1.0)).astype(np.float32)

    def of_word(self, i: int) -> tuple[tuple[int, ...], tuple[bool, ...]]:
        a, b = int(self.offsets[i]), int(self.offsets[i + 1])
        return tuple(self.terms[a:b].tolist()), tuple(self.parts[a:b].tolist())

    @classmethod
    def of(cls, words: Sequence[str], analyzer: Analyzer, vocab: dict[str, int]) -> WordAnalysis:
        """Analyse every word (term ids taken from, or appended to, `vocab`)."""
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        terms: list[int] = []
        parts: list[bool] = []
        ties: dict[str, tuple[str, ...]] = {}
        for i, w in enumerate(words):
            expanded, tied = analyzer.expand_tracked(w)
            for t, _, part in expanded:
                terms.append(vocab.setdefault(t, len(vocab)))
                parts.append(part)
            offsets[i + 1] = len(terms)
            if tied:
                ties[w] = tuple(sorted(tied))
        return cls(
            vocab, offsets, np.array(terms, dtype=np.int32), np.array(parts, dtype=bool), ties
        )

    def save(self, folder: Path, write: Write) -> None:
        write(folder / OFFSETS, lambda f: np.save(f, self.offsets))
        write(folder / TERMS, lambda f: np.save(f, self.terms))
        write(folder / PARTS, lambda f: np.save(f, self.parts))
        body = json.dumps(self.ties, ensure_ascii=False, sort_keys=True)
        write(folder / TIES, lambda f: f.write(body.encode("utf-8")))

    @classmethod
    def load(cls, folder: Path, vocab: dict[str, int], n_words: int) -> WordAnalysis | None:
        """The saved analysis of `n_words` words, or None if missing or not consistent."""
        try:
            offsets = np.load(folder / OFFSETS)
            terms = np.load(folder / TERMS)
            parts = np.load(folder / PARTS)
            ties = json.loads((folder / TIES).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if len(offsets) != n_words + 1 or offsets[-1] != len(terms) or len(parts) != len(terms):
            return None
        if len(terms) and (terms.min() < 0 or terms.max() >= len(vocab)):
            return None
        return cls(vocab, offsets, terms, parts, {w: tuple(t) for w, t in ties.items()})
