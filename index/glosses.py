"""Concepts recognised by their explanation: a query in everyday words finds the protocols'
administrative term ("who may approve invoices" → "attestordning").

Neither retriever bridges that gap well: the lexical side needs the protocol's word, and the
small multilingual model does not know that an "attestordning" is about approving invoices.
``index/data/glosses.json`` explains the domain's standing concepts in plain Swedish and
English. A query *recognises* a concept when at least ``MIN_HITS`` of its content words, and
at least a share ``Tuning.gloss_share`` of them, are words of the concept's explanation or
terms (compared by stem, an English word also by its singular and its form without -ed/-ing).
Words most items hold ("beslut", "styrelsen": more than ``COMMON_SHARE`` of them) do not
count. The terms of the recognised concepts are then searched as a run of their own, fused
with the query's lexical and dense runs (``index.search.Searcher``) at ``Tuning.gloss_weight``
times the share of the query's words they explain.

Words alone miss a paraphrase whose words the explanation lacks. The query's own vector
(the dense retriever's) is also compared with each concept's explanations embedded by the
same encoder (``ConceptVectors``): a concept whose explanation is the query's nearest, at a
cosine of at least ``Tuning.concept_cosine`` and ``Tuning.concept_margin`` above the next
concept's, is recognised as if the query explained it in full. The model matches a short
question with a short definition far better than with a protocol's long passages. The
explanations' vectors are computed once per model and kept in the cache folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.analyze import FUNCTION_WORDS_EN, STOPWORDS, QueryTerm, english_variants, stem, words
from index.query import names_period

if TYPE_CHECKING:
    from index.analyze import Analyzer
    from index.embed import QueryEncoder

log = logging.getLogger(__name__)

MIN_HITS = 2  # content words of the query a concept's explanation must hold
COMMON_SHARE = 0.2  # a word in more than this share of the items says nothing of a concept
GENERIC = 4  # … nor a word of this many concepts' explanations
_ENGLISH_ENDINGS = ("ing", "ed", "d")
_IGNORED = STOPWORDS | FUNCTION_WORDS_EN


@dataclass(frozen=True)
class Concept:
    """One concept: the protocols' words for it, the keys of its explanation and the
    explanation's texts (Swedish, English) as they are embedded."""

    terms: tuple[str, ...]
    keys: frozenset[str]
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recognised:
    """The weighted terms of the concepts a query recognises, the largest share of the
    query's content words one of them explains (0 when none) and the concepts' names."""

    terms: tuple[QueryTerm, ...]
    share: float
    names: tuple[str, ...] = ()  # each recognised concept's first term ("attestordning")


def word_keys(word: str) -> frozenset[str]:
    """The forms a word is compared by: its stem, and as English its singular and its stem
    without -ed/-ing ("approved" → "approv", "invoices" → "invoic")."""
    forms = set(english_variants(word))
    forms |= {
        word[: -len(e)] for e in _ENGLISH_ENDINGS if word.endswith(e) and len(word) > len(e) + 2
    }
    return frozenset(stem(f) for f in forms if f)


def _keys(text: str) -> frozenset[str]:
    return frozenset(
        k for w in words(text) if w.isalpha() and w not in _IGNORED for k in word_keys(w)
    )


def concepts() -> tuple[Concept, ...]:
    """The concepts of index/data/glosses.json (read on first use)."""
    return _glossary()[0]


@cache
def _glossary() -> tuple[tuple[Concept, ...], frozenset[str]]:
    """The concepts, and the generic keys: a key of GENERIC or more concepts' explanations
    ("år", "board", "pengar") tells none of them apart, so it is left out of all, and a query
    word with only such keys counts like a common word."""
    raw = resources.files("index").joinpath("data/glosses.json").read_text("utf-8")
    every = [
        (
            tuple(c["terms"]),
            _keys(" ".join([*c["terms"], c["sv"], c["en"]])),
            tuple(f"{c['terms'][0]}: {c[lang]}" for lang in ("sv", "en")),
        )
        for c in json.loads(raw)["concepts"]
    ]
    counts = Counter(k for _, keys, _ in every for k in keys)
    generic = frozenset(k for k, n in counts.items() if n >= GENERIC)
    concepts = tuple(Concept(terms, keys - generic, texts) for terms, keys, texts in every)
    return concepts, generic


def query_keys(
    query: str, analyzer: Analyzer, common: Callable[[str], bool]
) -> list[frozenset[str]]:
    """Per content word of the query (stopwords, numbers, periods and common words aside),
    the keys it is compared by: its own (``word_keys``) and its index terms (stem and compound
    parts, so "personuppgiftsskydd" holds "personuppgift")."""
    out = []
    for w in words(query):
        if not w.isalpha() or w in _IGNORED or names_period(w):
            continue
        terms = analyzer.word_terms(w)
        if terms and common(terms[0]):
            continue
        out.append(word_keys(w) | frozenset(terms))
    return out


def recognise(
    keys: list[frozenset[str]],
    analyzer: Analyzer,
    min_share: float,
    known: Callable[[str], bool],
    concept_list: Iterable[Concept] | None = None,
    nearest: Concept | None = None,
) -> Recognised:
    """The concepts whose explanation holds at least MIN_HITS of the query's content words
    (`keys`, from ``query_keys``) and a share `min_share` of them, unless the query names the
    concept (its first term: the lexical run searches it already, and the concept's other
    terms would widen the query), and the concept `nearest` the query's vector
    (``ConceptVectors.nearest``; share 1): their terms that the index holds (`known`), each
    weighted by the share its concept explains."""
    generic = _glossary()[1]
    keys = [k for k in keys if not k <= generic]
    found: dict[str, QueryTerm] = {}
    best = 0.0
    names: list[str] = []
    for concept in concepts() if concept_list is None else concept_list:
        share = sum(1 for k in keys if k & concept.keys) / len(keys) if keys else 0.0
        if concept is nearest:
            share = 1.0
        elif share * len(keys) < MIN_HITS or share < min_share:
            continue
        elif any(k & _name_keys(concept.terms[0]) for k in keys):
            continue  # the query names the concept: its own word is searched already
        best = max(best, share)
        names.append(concept.terms[0])
        for term in concept.terms:  # Swedish words: analysed without the English glossary
            for t, surface, part in (e for w in words(term) for e in analyzer.expand(w)):
                if part or not known(t):
                    continue
                if t not in found or found[t].weight < share:
                    found[t] = QueryTerm(t, share, surface)
    if not found:
        return Recognised((), 0.0)
    return Recognised(tuple(found.values()), best, tuple(names))


@cache
def _name_keys(term: str) -> frozenset[str]:
    """The keys of a concept's name, its first term ("studier"); none for a phrase."""
    return frozenset() if " " in term else word_keys(term)


class ConceptVectors:
    """The concepts' explanations embedded by one query encoder (each concept's Swedish and
    English text), for ``nearest``."""

    def __init__(self, vectors: np.ndarray) -> None:
        self._vectors = vectors  # (2 * len(concepts()), dim), concept by concept
        self._per = len(concepts()[0].texts) if concepts() else 1

    @classmethod
    def of(cls, encoder: QueryEncoder, cache_dir: Path | None = None) -> ConceptVectors:
        """The vectors of `encoder`, read from `cache_dir` when an earlier process stored
        them there (keyed by the encoder's name and the glossary's text), else computed
        (~1 s with the bundled model) and stored."""
        texts = [t for c in concepts() for t in c.texts]
        digest = hashlib.sha256("\n".join([encoder.name, *texts]).encode()).hexdigest()[:16]
        path = None if cache_dir is None else Path(cache_dir) / f"concepts-{digest}.npy"
        if path is not None and path.exists():
            try:
                vectors = np.load(path)
                if vectors.shape == (len(texts), encoder.dim):
                    return cls(vectors)
            except (OSError, ValueError) as e:
                log.warning(
                    "the concept vectors in %s were not readable (%s): recomputing", path, e
                )
        vectors = np.asarray(encoder.encode_queries(texts), dtype=np.float32)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                part = path.with_suffix(f".{os.getpid()}.part")
                with open(part, "wb") as f:
                    np.save(f, vectors)
                os.replace(part, path)
            except OSError as e:
                log.warning("the concept vectors could not be kept in %s: %s", path, e)
        return cls(vectors)

    def nearest(self, query: np.ndarray, min_cosine: float, margin: float) -> Concept | None:
        """The concept whose explanation is nearest the query's vector, if its cosine is at
        least `min_cosine` and `margin` above the next concept's; else None."""
        if not len(self._vectors):
            return None
        best = (self._vectors @ query).reshape(-1, self._per).max(axis=1)
        order = np.argsort(-best, kind="stable")
        first = float(best[order[0]])
        second = float(best[order[1]]) if len(order) > 1 else -1.0
        if first < min_cosine or first - second < margin:
            return None
        return concepts()[int(order[0])]
