"""BM25 over Swedish items: term-major postings scored at query time, in two segments.

Each (item, term) pair keeps its term frequency (a compound's part counts as a quarter of an
occurrence, Bm25Params.part_tf, so "avgift" ranks an item saying "avgift" above one saying
"serviceavgift"), in
term-major sparse matrices (CSC: tf / indices / indptr, index/postings.py): a large base
segment and a small delta segment of the items added since. A query scores the postings of its
few terms only, with BM25 (Lucene variant, like bm25s) from the corpus statistics of the index
(live items, their mean length, each term's document frequency), and sums them with one
`np.bincount` (each term with its weight: 1 for a query word, less for a compound part); a
filter removes postings of items that are not allowed before the sum, so the top k are taken
among allowed items only; ties are broken by item key. An update (index/lexical_update.py)
therefore only appends rows to the delta segment and marks the rows of gone items dead: no
stored score depends on the rest of the corpus, and the scores are those of a build from
scratch, to the bit.

Files (plain, in one folder; the caller writes the manifest). Base segment, written once and
hard-linked into later versions: tf.csc.npy, indices.csc.index.npy, indptr.csc.index.npy,
tokens.ids.npy, tokens.offsets.npy. Rewritten by each update: delta.tf.npy,
delta.indices.npy, delta.indptr.npy (and the delta tokens, index/tokens.py), item_ids.txt (the
item of each row), rows.keys.npy (its item key), rows.dl.npy (its length), rows.live.npy
(whether it counts), vocab.terms.txt (the terms by id; only appended to), terms.df.npy (live
rows per term), lexicon.surfaces.txt, lexicon.stems.txt (the compound parts learnt from the
corpus, stems with their counts), the word analysis (index/word_analysis.py) and
analyzer.json (versions, parameters, counts).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from functools import cached_property
from itertools import compress
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from corpus.errors import IndexStale
from corpus.model import Hit, item_key
from index import topk
from index.analyze import ANALYZER_VERSION, STOPWORDS, Analyzer, QueryTerm, stem, words
from index.compounds import Lexicon, builtin_lexicon, learn_lexicon
from index.families import Families, synonym_stems
from index.lang import EN, SV
from index.postings import (
    Postings,
    ScoreCache,
    TermScores,
    bm25,
    idf,
    length_norm,
    postings_of,
    to_csc,
)
from index.tokens import IDS, OFFSETS, RowTokens, Tokens
from index.word_analysis import WordAnalysis

log = logging.getLogger(__name__)

Progress = Callable[[int], None]  # items read so far

FORMAT = 2  # of the index folder: 2 = segments of tf scored at query time (1 stored scores)
TF, INDICES, INDPTR = "tf.csc.npy", "indices.csc.index.npy", "indptr.csc.index.npy"
DELTA_TF, DELTA_INDICES, DELTA_INDPTR = "delta.tf.npy", "delta.indices.npy", "delta.indptr.npy"
SCORE_CACHE = 16_000_000  # scored postings kept for the next queries (8 bytes each)
BASE_FILES = (TF, INDICES, INDPTR, IDS, OFFSETS)  # hard-linked from version to version
VOCAB, DF = "vocab.terms.txt", "terms.df.npy"  # the terms by id (one a line)
KEYS, DL, LIVE = "rows.keys.npy", "rows.dl.npy", "rows.live.npy"
ITEMS, SURFACES, STEMS, ANALYZER = (
    "item_ids.txt",
    "lexicon.surfaces.txt",
    "lexicon.stems.txt",
    "analyzer.json",
)


@dataclass(frozen=True)
class Bm25Params:
    """BM25's parameters (chosen on the tuning half by scripts/tune_search.py). k1 and b
    enter at query time (the index keeps term frequencies and lengths), title_weight and
    part_tf at build time (they make the term frequencies): an index saved with other
    build-time parameters is stale, one saved with another k1 or b is scored with these."""

    k1: float = 0.9
    b: float = 0.5
    title_weight: int = 3  # a title word counts as this many body words
    part_tf: float = 0.25  # a compound part occurrence counts as this much of an occurrence

    def builds_as(self, other: Bm25Params) -> bool:
        """Whether an index built with `other` has the term frequencies these would make."""
        return (self.title_weight, self.part_tf) == (other.title_weight, other.part_tf)


@dataclass(frozen=True)
class Rows:
    """What the index knows of each row: its item, item key, length and whether it is live
    (a row of an item that is gone, or was posted again in a later row, is dead)."""

    item_ids: list[str]
    keys: np.ndarray  # int64
    dl: np.ndarray  # float64, the sum of its postings' tf
    live: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.item_ids)

    def plus(self, item_ids: list[str], dl: np.ndarray, dead: np.ndarray) -> Rows:
        """These rows, those in `dead` (row numbers) marked dead, and new live rows after."""
        live = np.concatenate([self.live, np.ones(len(item_ids), dtype=bool)])
        live[dead] = False
        keys = np.fromiter((item_key(i) for i in item_ids), np.int64, len(item_ids))
        return Rows(
            self.item_ids + list(item_ids),
            np.concatenate([self.keys, keys]),
            np.concatenate([self.dl, dl.astype(np.float64)]),
            live,
        )


class LexicalIndex:
    """Swedish BM25 index over items: build / save / load / search."""

    def __init__(
        self,
        rows: Rows,
        base: Postings,
        delta: Postings,
        vocab: dict[str, int],
        df: np.ndarray,
        lexicon: Lexicon,
        params: Bm25Params,
        *,
        base_folder: Path | None = None,
    ) -> None:
        self.rows, self.base, self.delta = rows, base, delta
        self.all_terms = vocab  # every term an analysis gave (ids only appended)
        self.df = df
        self.lexicon = lexicon
        self.params = params
        self.base_folder = base_folder  # where the base segment's files are (None: unsaved)
        self.analyzer = Analyzer(lexicon)
        self.tokens: RowTokens | None = None  # kept by a build or an update, for the next
        self.analysis: WordAnalysis | None = None  # each word's terms, likewise
        self._vocab = dict(compress(vocab.items(), (df > 0).tolist()))  # ids are 0, 1, …
        self._live = np.flatnonzero(rows.live)
        self._n = len(self._live)
        self._idf = idf(df, self._n)
        self._norm = length_norm(rows.dl, rows.live, params.k1, params.b)
        live_keys = rows.keys[self._live]
        order = np.argsort(live_keys, kind="stable")
        self._key_order = self._live[order]  # live rows in item-key order
        self._sorted_keys = live_keys[order]
        self._dead = None if self._n == len(rows) else ~rows.live
        self._cache = ScoreCache(SCORE_CACHE)

    # -- properties ------------------------------------------------------------------------
    @cached_property
    def item_ids(self) -> tuple[str, ...]:
        """The live items, in item-key order."""
        return tuple(self.rows.item_ids[r] for r in self._key_order.tolist())

    def __len__(self) -> int:
        return self._n

    @property
    def n_terms(self) -> int:
        return len(self._vocab)

    def holds(self, term: str) -> bool:
        """Whether the index holds a term."""
        return term in self._vocab

    def share(self, term: str) -> float:
        """The share of the items that hold a term (dead rows of an update included)."""
        t = self._vocab.get(term)
        return 0.0 if t is None else float(self.df[t]) / len(self.rows)

    def postings(self, term: str) -> tuple[tuple[str, ...], np.ndarray]:
        """The live items holding a term, in item-key order, and their BM25 scores."""
        if term not in self._vocab:
            return (), np.zeros(0, np.float32)
        t = self._vocab[term]
        rows, tf = self._span(t)
        if self._dead is not None:
            keep = ~self._dead[rows]
            rows, tf = rows[keep], tf[keep]
        order = np.argsort(self.rows.keys[rows], kind="stable")
        rows = rows[order]
        scores = bm25(self._idf[t], tf[order], rows, self._norm)
        return tuple(self.rows.item_ids[r] for r in rows.tolist()), scores

    def _term_scores(self, term: int, weight: float) -> TermScores:
        """A query term's weighted scores over the rows (both segments, dead rows included)."""
        segments = [self.base.span(term), self.delta.span(term)]
        return TermScores(term, weight, segments, self._idf[term], self._norm, self._cache)

    def _span(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, tf) of a term in both segments, rows ascending (delta rows follow base's)."""
        rows, tf = self.base.span(term)
        more_rows, more_tf = self.delta.span(term)
        if not len(more_rows):
            return np.asarray(rows), np.asarray(tf)
        return np.concatenate([rows, more_rows]), np.concatenate([tf, more_tf])

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
        analyse each distinct word once, then post every (item, term) pair."""
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
        """The index of tokenised items whose words are analysed: every (item, term) pair of
        them in one base segment, rows in the items' order."""
        n_terms = len(analysis.vocab)
        doc, term, tf = postings_of(
            tokens, analysis.offsets, analysis.terms, analysis.tf(params.part_tf), n_terms
        )
        base = to_csc(doc, term, tf, n_terms)
        dl = np.bincount(doc, weights=tf, minlength=len(tokens))
        keys = np.fromiter((item_key(i) for i in tokens.item_ids), np.int64, len(tokens))
        rows = Rows(list(tokens.item_ids), keys, dl, np.ones(len(tokens), dtype=bool))
        index = cls(rows, base, Postings.empty(), analysis.vocab, base.df(n_terms), lexicon, params)
        index.tokens, index.analysis = RowTokens.of(tokens), analysis
        log.info(
            "lexical index: %d items, %d words, %d terms, %d postings, %d compound parts",
            len(tokens),
            len(tokens.words),
            n_terms,
            len(base),
            len(lexicon),
        )
        return index

    # -- save / load -----------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the index files into `folder` (each file replaced atomically). The base
        segment's files are hard-linked from the folder it was loaded from, when it has one."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        source = self.base_folder
        write_base = source is None
        if source is not None and source.resolve() != folder.resolve():
            for name in BASE_FILES:
                _link(source / name, folder / name)
        if write_base:
            _write(folder / TF, lambda f: np.save(f, np.asarray(self.base.tf)))
            _write(folder / INDICES, lambda f: np.save(f, np.asarray(self.base.rows)))
            _write(folder / INDPTR, lambda f: np.save(f, np.asarray(self.base.indptr)))
        _write(folder / DELTA_TF, lambda f: np.save(f, self.delta.tf))
        _write(folder / DELTA_INDICES, lambda f: np.save(f, self.delta.rows))
        _write(folder / DELTA_INDPTR, lambda f: np.save(f, self.delta.indptr))
        _write(folder / KEYS, lambda f: np.save(f, self.rows.keys))
        _write(folder / DL, lambda f: np.save(f, self.rows.dl))
        _write(folder / LIVE, lambda f: np.save(f, self.rows.live))
        _write(folder / DF, lambda f: np.save(f, self.df))
        _write_text(folder / VOCAB, "\n".join(_by_id(self.all_terms)))
        _write_text(folder / ITEMS, "\n".join(self.rows.item_ids))
        _write_text(folder / SURFACES, "\n".join(sorted(self.lexicon.surfaces)))
        stems = sorted(self.lexicon.stems.items())
        _write_text(folder / STEMS, "\n".join(f"{s}\t{n}" for s, n in stems))
        if self.tokens is not None:
            self.tokens.save(folder, _write, base=write_base)
        if self.analysis is not None:
            self.analysis.save(folder, _write)
        meta = {
            "analyzer_version": ANALYZER_VERSION,
            "format": FORMAT,
            "n_items": len(self),
            "n_rows": len(self.rows),
            **asdict(self.params),
        }
        _write_text(folder / ANALYZER, json.dumps(meta, indent=2))
        self.base_folder = folder

    @staticmethod
    def saved_tokens(folder: Path, params: Bm25Params | None = None) -> Tokens | None:
        """The tokens of the live items saved with the index in `folder` (in item-key order),
        if they can seed a build with this analyzer and these parameters; None otherwise
        (then every item is read again). The tokens depend on the title weight alone: an
        index whose compound parts counted otherwise still gives them."""
        params = params or Bm25Params()
        built = saved_params(Path(folder))
        if built is None or built.title_weight != params.title_weight:
            return None
        try:
            index = LexicalIndex.load(folder, built)
        except IndexStale:
            return None
        tokens = RowTokens.load(Path(folder), len(index.rows))
        if tokens is None:
            return None
        return tokens.live(index._key_order, list(index.item_ids))

    @classmethod
    def load(cls, folder: Path, params: Bm25Params | None = None) -> LexicalIndex:
        """Open a saved index, to be scored with `params` (default: the code's). Raises
        IndexStale when it is missing, damaged or outdated, or was built with other build-time
        parameters (Bm25Params.builds_as)."""
        folder = Path(folder)
        params = params or Bm25Params()
        try:
            meta = json.loads((folder / ANALYZER).read_text("utf-8"))
            if meta.get("analyzer_version") != ANALYZER_VERSION or meta.get("format") != FORMAT:
                raise IndexStale(
                    f"the lexical index in {folder} was built by analyzer version "
                    f"{meta.get('analyzer_version')} in format {meta.get('format', 1)}, "
                    f"this program has {ANALYZER_VERSION} and {FORMAT}"
                )
            built = _params_of(meta)
            if not params.builds_as(built):
                raise IndexStale(
                    f"the lexical index in {folder} counts a title word {built.title_weight} "
                    f"times and a compound part as {built.part_tf:g} of a word, this program "
                    f"{params.title_weight} times and {params.part_tf:g}"
                )
            items = _read_lines(folder / ITEMS)
            stems = dict(line.split("\t") for line in _read_lines(folder / STEMS))
            lexicon = Lexicon(
                frozenset(_read_lines(folder / SURFACES)),
                {s: int(n) for s, n in stems.items()},
                builtin_lexicon(stem).atomic,
            )
            vocab = {t: i for i, t in enumerate(_read_lines(folder / VOCAB))}
            base = Postings(
                np.load(folder / TF, mmap_mode="r"),
                np.load(folder / INDICES, mmap_mode="r"),
                np.load(folder / INDPTR),
            )
            delta = Postings(
                np.load(folder / DELTA_TF),
                np.load(folder / DELTA_INDICES),
                np.load(folder / DELTA_INDPTR),
            )
            rows = Rows(items, np.load(folder / KEYS), np.load(folder / DL), np.load(folder / LIVE))
            df = np.load(folder / DF)
        except (OSError, ValueError, KeyError) as e:
            raise IndexStale(f"the lexical index in {folder} cannot be read ({e})") from e
        n_rows = len(items)
        if (
            n_rows != meta["n_rows"]
            or int(rows.live.sum()) != meta["n_items"]
            or not len(rows.keys) == len(rows.dl) == len(rows.live) == n_rows
            or len(df) != len(vocab)
            or base.n_terms > len(vocab)
            or delta.n_terms > len(vocab)
            or base.indptr[-1] != len(base.rows)
            or len(base.tf) != len(base.rows)
            or delta.indptr[-1] != len(delta.rows)
            or len(delta.tf) != len(delta.rows)
        ):
            raise IndexStale(f"the lexical index in {folder} is incomplete")
        return cls(rows, base, delta, vocab, df, lexicon, params, base_folder=folder)

    # -- search ----------------------------------------------------------------------------
    @cached_property
    def families(self) -> Families:
        """The word families of this index's terms and the related terms of its lexicons
        (index.families)."""
        return Families.of(self._vocab, synonym_stems(stem))

    def query_terms(
        self,
        query: str,
        family_weight: float = 0.0,
        synonym_weight: float = 0.0,
        thesaurus_weight: float = 0.0,
        lang: str = SV,
    ) -> list[QueryTerm]:
        """The weighted terms of a query that occur in the index. Each whole-word term also
        brings the other terms of its word family (index.families) at family_weight times
        its own weight, those of its synonym group (index/data/synonyms.json) at
        synonym_weight times it and its Swedish thesaurus synonyms at thesaurus_weight times
        it; in an English query (lang "en") a word no glossary phrase translates is English
        and brings none ("handles" is no form of Swedish "handla")."""
        found = {q.term: q for q in self.analyzer.query_terms(query)}
        for w in words(query):  # a query of stems ("arbet") matches as it stands
            if w not in found and w not in STOPWORDS and w in self._vocab:
                found[w] = QueryTerm(w, 1.0, w)
        english = set(self.analyzer.unglossed(query)) if lang == EN else set()
        related: list[tuple[str, float, str]] = []
        if family_weight or synonym_weight or thesaurus_weight:
            fam = self.families
            for q in found.values():
                if q.weight < 1.0:
                    continue
                related += [(t, family_weight * q.weight, q.surface) for t in fam.relatives(q.term)]
                related += [
                    (t, synonym_weight * q.weight, q.surface) for t in fam.synonyms_of(q.term)
                ]
                if q.surface not in english:
                    related += [
                        (t, thesaurus_weight * q.weight, q.surface)
                        for t in fam.thesaurus_of(q.term)
                    ]
        for t, weight, surface in related:
            if weight and (t not in found or found[t].weight < weight):
                found[t] = QueryTerm(t, weight, surface)
        return [q for q in found.values() if q.term in self._vocab]

    def search(
        self,
        query: str,
        k: int,
        allowed: np.ndarray | None = None,
        *,
        family_weight: float = 0.0,
        synonym_weight: float = 0.0,
        thesaurus_weight: float = 0.0,
        lang: str = SV,
    ) -> list[Hit]:
        """The k best items for a query; with `allowed` (int64 item keys) only those items;
        the weights: see ``query_terms``."""
        terms = self.query_terms(query, family_weight, synonym_weight, thesaurus_weight, lang)
        return self.search_terms(terms, k, allowed)

    def search_terms(
        self, terms: list[QueryTerm], k: int, allowed: np.ndarray | None = None
    ) -> list[Hit]:
        """The k best items for a query's weighted terms (``query_terms``); with `allowed`
        (int64 item keys) only those items."""
        if k <= 0 or not terms or not len(self):
            return []
        keep = self._dead_free() if allowed is None else self._allowed_rows(allowed)
        scores = [self._term_scores(self._vocab[q.term], q.weight) for q in terms]
        top, top_scores = topk.top(scores, k, self.rows.keys, keep)
        present = [t.holds(top) for t in scores]
        hits = []
        for n, row in enumerate(top.tolist()):
            surfaces = dict.fromkeys(q.surface for q, p in zip(terms, present, strict=True) if p[n])
            hits.append(
                Hit(
                    item_id=self.rows.item_ids[row],
                    score=float(top_scores[n]),
                    retriever="lexical",
                    matched=tuple(surfaces),
                )
            )
        return hits

    def _allowed_rows(self, allowed: np.ndarray) -> np.ndarray:
        """Boolean row mask of the allowed item keys (keys not in the index are ignored)."""
        keys = np.asarray(allowed, dtype=np.int64)
        if not len(self._sorted_keys):
            return np.zeros(len(self.rows), dtype=bool)
        pos = np.searchsorted(self._sorted_keys, keys)
        pos = np.minimum(pos, len(self._sorted_keys) - 1)
        found = self._sorted_keys[pos] == keys
        mask = np.zeros(len(self.rows), dtype=bool)
        mask[self._key_order[pos[found]]] = True
        return mask

    def _dead_free(self) -> np.ndarray | None:
        """Boolean row mask of the live rows, or None when every row is live."""
        return None if self._dead is None else self.rows.live


def saved_params(folder: Path) -> Bm25Params | None:
    """The parameters the index in `folder` was saved with; None when it has no readable
    record of them."""
    try:
        return _params_of(json.loads((folder / ANALYZER).read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _params_of(meta: dict[str, Any]) -> Bm25Params:
    """The parameters recorded in analyzer.json (one saved before part_tf was recorded
    counted a part as half an occurrence)."""
    return Bm25Params(
        float(meta["k1"]),
        float(meta["b"]),
        int(meta["title_weight"]),
        float(meta.get("part_tf", 0.5)),
    )


def _write(path: Path, dump: Callable[[BinaryIO], object]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        dump(f)
    os.replace(tmp, path)


def _by_id(vocab: dict[str, int]) -> list[str]:
    """The terms in the order of their ids (0, 1, …)."""
    terms = list(vocab)
    ids = np.fromiter(vocab.values(), np.int64, len(vocab))
    if not np.array_equal(ids, np.arange(len(ids))):
        terms = [terms[i] for i in np.argsort(ids).tolist()]
    return terms


def _link(source: Path, path: Path) -> None:
    """`path` becomes another name of the file `source` (a copy where links fail)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, path)


def _write_text(path: Path, text: str) -> None:
    _write(path, lambda f: f.write(text.encode("utf-8")))


def _read_lines(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    return text.split("\n") if text else []
