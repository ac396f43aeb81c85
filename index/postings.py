"""Term-major postings of the lexical index and the BM25 score they give at query time.

A segment holds, for each term, the rows (items) it occurs in and its term frequency there:
tf / rows / indptr, a CSC matrix in the layout of bm25s (rows sorted within each term). The
index has a large base segment, written once and hard-linked into every later index version,
and a small delta segment of the rows added since, rewritten by each update (index/lexical.py,
index/lexical_update.py). Scores are computed when a query is answered, from the tf and the
corpus statistics of that moment (number of items, their mean length, each term's document
frequency), so an update that appends rows changes no stored score.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from index.tokens import Tokens

CHUNK_DOCS = 4096
Scored = list[tuple[np.ndarray, np.ndarray]]  # (rows, scores) of a term, by segment


@dataclass(frozen=True)
class Postings:
    tf: np.ndarray  # float32, term frequency of each posting (multiples of 1/4)
    rows: np.ndarray  # int32, the posting's row (item), ascending within a term
    indptr: np.ndarray  # int64, where each term's postings start (terms past its end: none)

    @classmethod
    def empty(cls) -> Postings:
        return cls(np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int64))

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def n_terms(self) -> int:
        return len(self.indptr) - 1

    def span(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, tf) of a term's postings."""
        if term >= self.n_terms:
            return self.rows[:0], self.tf[:0]
        lo, hi = int(self.indptr[term]), int(self.indptr[term + 1])
        return self.rows[lo:hi], self.tf[lo:hi]

    def terms(self) -> np.ndarray:
        """The term of each posting (int64)."""
        return np.repeat(np.arange(self.n_terms, dtype=np.int64), np.diff(self.indptr))

    def df(self, n_terms: int) -> np.ndarray:
        """Postings per term, for n_terms terms (int64)."""
        out = np.zeros(n_terms, dtype=np.int64)
        out[: self.n_terms] = np.diff(self.indptr)
        return out

    def without_rows(self, dead: np.ndarray) -> Postings:
        """The postings of the rows where `dead` (bool by row) is False."""
        if not len(self) or not dead[self.rows].any():
            return self
        keep = ~dead[self.rows]
        return from_triples(self.terms()[keep], self.rows[keep], self.tf[keep], self.n_terms)

    def plus(self, term: np.ndarray, rows: np.ndarray, tf: np.ndarray, n_terms: int) -> Postings:
        """These postings and more (of rows none of these has), sorted by term then row."""
        return from_triples(
            np.concatenate([self.terms(), term.astype(np.int64)]),
            np.concatenate([self.rows, rows.astype(np.int32)]),
            np.concatenate([self.tf, tf.astype(np.float32)]),
            max(n_terms, self.n_terms),
        )


def from_triples(term: np.ndarray, rows: np.ndarray, tf: np.ndarray, n_terms: int) -> Postings:
    """Postings of (term, row, tf) triples in any order."""
    order = np.lexsort((rows, term))
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(term, minlength=n_terms), out=indptr[1:])
    return Postings(
        np.asarray(tf[order], dtype=np.float32), np.asarray(rows[order], dtype=np.int32), indptr
    )


def to_csc(doc: np.ndarray, term: np.ndarray, tf: np.ndarray, n_terms: int) -> Postings:
    """Postings of (doc, term, tf) sorted by doc then term: a stable sort by term."""
    order = np.argsort(term, kind="stable")
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(term, minlength=n_terms), out=indptr[1:])
    return Postings(tf[order], doc[order].astype(np.int32), indptr)


def postings_of(
    tokens: Tokens,
    offsets: np.ndarray,
    flat: np.ndarray,
    flat_tf: np.ndarray,
    n_terms: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, term, tf) of every distinct pair of the tokenised items, sorted by doc then term,
    given each word's terms (offsets / flat term ids / the tf one occurrence adds to each).
    A word occurrence adds 1 to the tf of its whole term and its part tf to each compound part."""
    n_per_word = np.diff(offsets)
    docs_out, terms_out, tf_out = [], [], []
    modulus = max(n_terms, 1)
    starts = tokens.offsets
    for a in range(0, len(tokens), CHUNK_DOCS):
        b = min(a + CHUNK_DOCS, len(tokens))
        w = tokens.ids[starts[a] : starts[b]]
        d = np.repeat(np.arange(a, b, dtype=np.int64), np.diff(starts[a : b + 1]))
        counts = n_per_word[w]
        total = int(counts.sum())
        # Ragged gather: the terms of each word occurrence, laid end to end.
        first = offsets[w] - (np.cumsum(counts) - counts)
        pos = np.repeat(first, counts) + np.arange(total)
        key = np.repeat(d, counts) * n_terms + flat[pos]
        uniq, inverse = np.unique(key, return_inverse=True)
        docs_out.append((uniq // modulus).astype(np.int32))
        terms_out.append((uniq % modulus).astype(np.int32))
        tf_out.append(np.bincount(inverse, weights=flat_tf[pos]).astype(np.float32))
    if not docs_out:
        empty_i, empty_f = np.zeros(0, np.int32), np.zeros(0, np.float32)
        return empty_i, empty_i, empty_f
    return np.concatenate(docs_out), np.concatenate(terms_out), np.concatenate(tf_out)


def idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Lucene's idf of every term (float32)."""
    return np.asarray(np.log1p((n_docs - df + 0.5) / (df + 0.5)), dtype=np.float32)


def length_norm(dl: np.ndarray, live: np.ndarray, k1: float, b: float) -> np.ndarray:
    """k1 * (1 - b + b * dl / avgdl) of every row (float32), avgdl over the live rows. Term
    frequencies are multiples of 1/4 (a compound part's tf: index.lexical.Bm25Params), so
    lengths and their sum are exact: the same bits whatever the order the rows were added in."""
    n = int(live.sum())
    total = float(dl[live].sum()) if n else 0.0
    avgdl = total / n if n and total else 1.0
    return np.asarray(k1 * (1 - b + b * dl / avgdl), dtype=np.float32)


def bm25(term_idf: np.float32, tf: np.ndarray, rows: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """The BM25 score idf * tf / (tf + norm[row]) of postings of one term, in float32 (the
    same operations whichever way the postings came: a build and an update agree)."""
    den = np.take(norm, rows)
    np.add(den, tf, out=den)
    out = np.multiply(tf, term_idf, dtype=np.float32)
    np.divide(out, den, out=out)
    return out


class ScoreCache:
    """The scored postings (rows, scores, by segment) of the terms searched last, up to a
    number of postings: common terms are scored once, not at every query. Thread-safe."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._held = 0
        self._terms: OrderedDict[int, Scored] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, term: int) -> Scored | None:
        with self._lock:
            found = self._terms.get(term)
            if found is not None:
                self._terms.move_to_end(term)
            return found

    def put(self, term: int, scored: Scored) -> None:
        size = sum(len(rows) for rows, _ in scored)
        if size > self.budget:
            return
        with self._lock:
            if term in self._terms:
                return
            self._terms[term] = scored
            self._held += size
            while self._held > self.budget:
                _, old = self._terms.popitem(last=False)
                self._held -= sum(len(rows) for rows, _ in old)


class TermScores:
    """One weighted query term's BM25 scores over the rows of an index (index.topk.Term),
    scored once and kept in the cache."""

    def __init__(
        self,
        term: int,
        weight: float,
        segments: list[tuple[np.ndarray, np.ndarray]],
        term_idf: np.float32,
        norm: np.ndarray,
        cache: ScoreCache,
    ) -> None:
        self.term, self.weight = term, np.float32(weight)
        self.segments = [(r, t) for r, t in segments if len(r)]  # (rows ascending, tf)
        self.idf, self.norm, self.cache = term_idf, norm, cache

    def scored(self) -> Scored:
        """[(rows, unweighted scores)] of its postings, from the cache or scored and kept."""
        found = self.cache.get(self.term)
        if found is None:
            found = [(r, bm25(self.idf, t, r, self.norm)) for r, t in self.segments]
            self.cache.put(self.term, found)
        return found

    def holds(self, rows: np.ndarray) -> np.ndarray:
        """Whether it occurs in each of these rows (int32, as its postings: no copy of them)."""
        out = np.zeros(len(rows), dtype=bool)
        for seg_rows, _ in self.segments:
            pos = np.minimum(np.searchsorted(seg_rows, rows), len(seg_rows) - 1)
            out |= seg_rows[pos] == rows
        return out
