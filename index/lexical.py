"""BM25 over Swedish items: an eager sparse index in the layout of bm25s.

At build time every (item, term) pair gets its BM25 score (Lucene variant, like bm25s), kept
in a term-major sparse matrix (CSC: data / indices / indptr); a compound's part counts as half
an occurrence, so "avgift" ranks an item saying "avgift" above one saying "serviceavgift". A query sums the columns of its
terms (each with its weight: 1 for a query word, less for a compound part) with one
`np.bincount`; a filter removes postings of items that are not allowed before the sum, so
the top k are taken among allowed items only. The matrix is built with numpy from the
analyzer's terms of each distinct word (a corpus has far fewer distinct words than tokens).

Files (plain, in one folder; the caller writes the manifest): bm25s's data.csc.index.npy,
indices.csc.index.npy, indptr.csc.index.npy, vocab.index.json, params.index.json (so
`bm25s.BM25.load(folder)` opens the same matrix), plus item_ids.txt, lexicon.surfaces.txt,
lexicon.stems.txt (the compound parts learnt from the corpus, stems with their counts) and
analyzer.json.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import numpy as np

from corpus.errors import IndexStale
from corpus.model import Hit, item_key
from index.analyze import ANALYZER_VERSION, STOPWORDS, Analyzer, QueryTerm, stem, words
from index.compounds import Lexicon, builtin_lexicon, learn_lexicon
from index.families import Families, synonym_stems
from index.tokens import Tokens
from index.word_analysis import WordAnalysis

log = logging.getLogger(__name__)

Progress = Callable[[int], None]  # items read so far

DATA, INDICES, INDPTR = "data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy"
VOCAB, PARAMS = "vocab.index.json", "params.index.json"
ITEMS, SURFACES, STEMS, ANALYZER = (
    "item_ids.txt",
    "lexicon.surfaces.txt",
    "lexicon.stems.txt",
    "analyzer.json",
)
TF = "tf.csc.npy"  # each posting's term frequency (what the BM25 score was computed from)
CHUNK_DOCS = 4096


@dataclass(frozen=True)
class Bm25Params:
    k1: float = 1.2
    b: float = 0.75
    title_weight: int = 3  # a title word counts as this many body words


class LexicalIndex:
    """Swedish BM25 index over items: build / save / load / search."""

    def __init__(
        self,
        item_ids: Sequence[str],
        data: np.ndarray,
        indices: np.ndarray,
        indptr: np.ndarray,
        vocab: dict[str, int],
        lexicon: Lexicon,
        params: Bm25Params,
    ) -> None:
        self._item_ids = tuple(item_ids)
        self._data, self._indices, self._indptr = data, indices, indptr
        self._vocab = vocab
        self.lexicon = lexicon
        self.params = params
        self.analyzer = Analyzer(lexicon)
        self.tokens: Tokens | None = None  # kept by a build, saved for the next update
        self.analysis: WordAnalysis | None = None  # each word's terms, likewise
        self.tf: np.ndarray | None = None  # each posting's tf, likewise
        keys = np.fromiter((item_key(i) for i in self._item_ids), np.int64, len(self._item_ids))
        self._key_order = np.argsort(keys, kind="stable")
        self._sorted_keys = keys[self._key_order]

    # -- properties ------------------------------------------------------------------------
    @property
    def item_ids(self) -> tuple[str, ...]:
        return self._item_ids

    def __len__(self) -> int:
        return len(self._item_ids)

    @property
    def n_terms(self) -> int:
        return len(self._vocab)

    # -- build -----------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        docs: Iterable[tuple[str, str, str]],
        progress: Progress | None = None,
        *,
        params: Bm25Params | None = None,
        base: Tokens | None = None,
    ) -> LexicalIndex:
        """Index (item_id, title, text) triples, plus the items of `base` (the tokens of a
        previous build, without the items that are gone). Raises ValueError on a repeated
        item id."""
        params = params or Bm25Params()
        return cls.from_tokens(Tokens.read(docs, params.title_weight, progress, base=base), params)

    @classmethod
    def from_tokens(cls, tokens: Tokens, params: Bm25Params) -> LexicalIndex:
        """The index of tokenised items: learn the compound lexicon from the word counts,
        analyse each distinct word once, then score every (item, term) pair."""
        vocab_words = tokens.words
        counts = tokens.counts()
        standalone = {
            w: n
            for w, n in zip(vocab_words, counts.tolist(), strict=True)
            if n and w not in STOPWORDS
        }
        lexicon = learn_lexicon(standalone, stem)
        analysis = WordAnalysis.of(vocab_words, Analyzer(lexicon), {})
        return cls.from_analysis(tokens, analysis, lexicon, params)

    @classmethod
    def from_analysis(
        cls, tokens: Tokens, analysis: WordAnalysis, lexicon: Lexicon, params: Bm25Params
    ) -> LexicalIndex:
        """The index of tokenised items whose words are analysed: every (item, term) pair."""
        doc, term, tf = _postings(
            tokens, analysis.offsets, analysis.terms, analysis.tf(), len(analysis.vocab)
        )
        tf_csc, indices, indptr = to_csc(doc, term, tf, len(analysis.vocab))
        return cls.from_postings(tokens, analysis, lexicon, params, tf_csc, indices, indptr)

    @classmethod
    def from_postings(
        cls,
        tokens: Tokens,
        analysis: WordAnalysis,
        lexicon: Lexicon,
        params: Bm25Params,
        tf: np.ndarray,
        indices: np.ndarray,
        indptr: np.ndarray,
    ) -> LexicalIndex:
        """The index of term-major postings (rows = items in tokens' order): BM25 scores."""
        data = bm25_scores(tf, indices, indptr, len(tokens), params)
        log.info(
            "lexical index: %d items, %d words, %d terms, %d postings, %d compound parts",
            len(tokens),
            len(tokens.words),
            len(analysis.vocab),
            len(data),
            len(lexicon),
        )
        index = cls(tokens.item_ids, data, indices, indptr, analysis.vocab, lexicon, params)
        index.tokens, index.analysis, index.tf = tokens, analysis, tf
        return index

    # -- save / load -----------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the index files into `folder` (each file replaced atomically)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / DATA, lambda f: np.save(f, np.asarray(self._data)))
        _write(folder / INDICES, lambda f: np.save(f, np.asarray(self._indices)))
        _write(folder / INDPTR, lambda f: np.save(f, np.asarray(self._indptr)))
        _write_text(folder / VOCAB, json.dumps(self._vocab, ensure_ascii=False))
        bm25s_params = {
            "k1": self.params.k1,
            "b": self.params.b,
            "delta": 0.5,
            "method": "lucene",
            "idf_method": "lucene",
            "dtype": "float32",
            "int_dtype": "int32",
            "num_docs": len(self),
            "backend": "numpy",
        }
        _write_text(folder / PARAMS, json.dumps(bm25s_params, indent=2))
        _write_text(folder / ITEMS, "\n".join(self._item_ids))
        _write_text(folder / SURFACES, "\n".join(sorted(self.lexicon.surfaces)))
        stems = sorted(self.lexicon.stems.items())
        _write_text(folder / STEMS, "\n".join(f"{s}\t{n}" for s, n in stems))
        if self.tokens is not None:
            self.tokens.save(folder, _write)
        if self.analysis is not None and self.tf is not None:
            self.analysis.save(folder, _write)
            _write(folder / TF, lambda f: np.save(f, np.asarray(self.tf)))
        meta = {"analyzer_version": ANALYZER_VERSION, "n_items": len(self), **asdict(self.params)}
        _write_text(folder / ANALYZER, json.dumps(meta, indent=2))

    @staticmethod
    def saved_tokens(folder: Path, params: Bm25Params | None = None) -> Tokens | None:
        """The tokens saved with the index in `folder`, if they can seed a build with this
        analyzer and these parameters; None otherwise (then every item is read again)."""
        params = params or Bm25Params()
        try:
            meta = json.loads((Path(folder) / ANALYZER).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("analyzer_version") != ANALYZER_VERSION:
            return None
        if meta.get("title_weight") != params.title_weight:
            return None
        return Tokens.load(Path(folder))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Open a saved index. Raises IndexStale when it is missing, damaged or outdated."""
        folder = Path(folder)
        try:
            meta = json.loads((folder / ANALYZER).read_text("utf-8"))
            if meta.get("analyzer_version") != ANALYZER_VERSION:
                raise IndexStale(
                    f"the lexical index in {folder} was built by analyzer version "
                    f"{meta.get('analyzer_version')}, this program has {ANALYZER_VERSION}"
                )
            params = Bm25Params(meta["k1"], meta["b"], meta["title_weight"])
            items = _read_lines(folder / ITEMS)
            stems = dict(line.split("\t") for line in _read_lines(folder / STEMS))
            lexicon = Lexicon(
                frozenset(_read_lines(folder / SURFACES)),
                {s: int(n) for s, n in stems.items()},
                builtin_lexicon(stem).atomic,
            )
            vocab = json.loads((folder / VOCAB).read_text("utf-8"))
            data = np.load(folder / DATA, mmap_mode="r")
            indices = np.load(folder / INDICES, mmap_mode="r")
            indptr = np.load(folder / INDPTR)
        except (OSError, ValueError, KeyError) as e:
            raise IndexStale(f"the lexical index in {folder} cannot be read ({e})") from e
        if len(items) != meta["n_items"] or len(indptr) != len(vocab) + 1:
            raise IndexStale(f"the lexical index in {folder} is incomplete")
        return cls(items, data, indices, indptr, vocab, lexicon, params)

    # -- search ----------------------------------------------------------------------------
    @cached_property
    def families(self) -> Families:
        """The word families of this index's terms (index.families)."""
        return Families.of(self._vocab, synonym_stems(stem))

    def query_terms(
        self, query: str, family_weight: float = 0.0, synonym_weight: float = 0.0
    ) -> list[QueryTerm]:
        """The weighted terms of a query that occur in the index. Each whole-word term also
        brings the other terms of its word family (index.families) at family_weight times
        its own weight, and those of its synonym group (index/data/synonyms.json) at
        synonym_weight times it."""
        found = {q.term: q for q in self.analyzer.query_terms(query)}
        for w in words(query):  # a query of stems ("arbet") matches as it stands
            if w not in found and w not in STOPWORDS and w in self._vocab:
                found[w] = QueryTerm(w, 1.0, w)
        if family_weight or synonym_weight:
            for q in list(found.values()):
                if q.weight < 1.0:
                    continue
                related = [(t, family_weight) for t in self.families.relatives(q.term)]
                related += [(t, synonym_weight) for t in self.families.synonyms_of(q.term)]
                for t, share in related:
                    weight = share * q.weight
                    if weight and (t not in found or found[t].weight < weight):
                        found[t] = QueryTerm(t, weight, q.surface)
        return [q for q in found.values() if q.term in self._vocab]

    def search(
        self,
        query: str,
        k: int,
        allowed: np.ndarray | None = None,
        *,
        family_weight: float = 0.0,
        synonym_weight: float = 0.0,
    ) -> list[Hit]:
        """The k best items for a query; with `allowed` (int64 item keys) only those items;
        family_weight: see ``query_terms``."""
        terms = self.query_terms(query, family_weight, synonym_weight)
        if k <= 0 or not terms or not len(self):
            return []
        keep = None if allowed is None else self._allowed_rows(allowed)
        spans: list[tuple[np.ndarray, np.ndarray]] = []
        for q in terms:
            tid = self._vocab[q.term]
            lo, hi = int(self._indptr[tid]), int(self._indptr[tid + 1])
            rows, vals = self._indices[lo:hi], self._data[lo:hi]
            if keep is not None:
                sel = keep[rows]
                rows, vals = rows[sel], vals[sel]
            spans.append((rows, vals))
        all_rows = np.concatenate([r for r, _ in spans])
        if not len(all_rows):
            return []
        weights = np.concatenate(
            [v * np.float32(q.weight) for (_, v), q in zip(spans, terms, strict=True)]
        )
        scores = np.bincount(all_rows, weights=weights, minlength=len(self))
        cand = np.flatnonzero(scores > 0)
        if len(cand) > k:
            cand = cand[np.argpartition(-scores[cand], k - 1)[:k]]
        top = cand[np.lexsort((cand, -scores[cand]))]
        present = [_contains(rows, top) for rows, _ in spans]
        hits = []
        for n, row in enumerate(top):
            surfaces = dict.fromkeys(q.surface for q, p in zip(terms, present, strict=True) if p[n])
            hits.append(
                Hit(
                    item_id=self._item_ids[row],
                    score=float(scores[row]),
                    retriever="lexical",
                    matched=tuple(surfaces),
                )
            )
        return hits

    def _allowed_rows(self, allowed: np.ndarray) -> np.ndarray:
        """Boolean row mask of the allowed item keys (keys not in the index are ignored)."""
        keys = np.asarray(allowed, dtype=np.int64)
        pos = np.searchsorted(self._sorted_keys, keys)
        pos = np.minimum(pos, len(self._sorted_keys) - 1)
        found = self._sorted_keys[pos] == keys
        mask = np.zeros(len(self), dtype=bool)
        mask[self._key_order[pos[found]]] = True
        return mask


def _contains(sorted_rows: np.ndarray, rows: np.ndarray) -> np.ndarray:
    if not len(sorted_rows):
        return np.zeros(len(rows), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_rows, rows), len(sorted_rows) - 1)
    return np.asarray(sorted_rows[pos] == rows)


def _postings(
    tokens: Tokens,
    offsets: np.ndarray,
    flat: np.ndarray,
    flat_tf: np.ndarray,
    n_terms: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, term, tf) of every distinct pair, sorted by doc then term. A word occurrence adds
    1 to the tf of its whole term and PART_TF to each of its compound parts."""
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


def to_csc(
    doc: np.ndarray, term: np.ndarray, tf: np.ndarray, n_terms: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Postings sorted by term (then doc, as given): (tf, doc, indptr)."""
    order = np.argsort(term, kind="stable")
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(term, minlength=n_terms), out=indptr[1:])
    return tf[order], doc[order], indptr


def bm25_scores(
    tf: np.ndarray, doc: np.ndarray, indptr: np.ndarray, n_docs: int, p: Bm25Params
) -> np.ndarray:
    """BM25 (Lucene idf) score of every posting of a term-major matrix. Term frequencies are
    multiples of 1/2, so document lengths and their mean are exact sums: the scores are the
    same bits whatever the order the postings were added in."""
    dl = np.bincount(doc, weights=tf, minlength=n_docs)
    avgdl = float(dl.mean()) if n_docs and dl.sum() else 1.0
    df = np.diff(indptr)
    term = np.repeat(np.arange(len(df), dtype=np.int32), df)
    idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
    norm = p.k1 * (1 - p.b + p.b * dl / avgdl)
    return np.asarray((idf[term] * tf / (tf + norm[doc])).astype(np.float32))


def _write(path: Path, dump: Callable[[BinaryIO], object]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        dump(f)
    os.replace(tmp, path)


def _write_text(path: Path, text: str) -> None:
    _write(path, lambda f: f.write(text.encode("utf-8")))


def _read_lines(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    return text.split("\n") if text else []
