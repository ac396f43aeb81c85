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
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from index.analyze import FUNCTION_WORDS_EN, STOPWORDS, QueryTerm, english_variants, stem, words
from index.query import names_period

if TYPE_CHECKING:
    from index.analyze import Analyzer

MIN_HITS = 2  # content words of the query a concept's explanation must hold
COMMON_SHARE = 0.2  # a word in more than this share of the items says nothing of a concept
GENERIC = 4  # … nor a word of this many concepts' explanations
_ENGLISH_ENDINGS = ("ing", "ed", "d")
_IGNORED = STOPWORDS | FUNCTION_WORDS_EN


@dataclass(frozen=True)
class Concept:
    """One concept: the protocols' words for it and the keys of its explanation."""

    terms: tuple[str, ...]
    keys: frozenset[str]


@dataclass(frozen=True)
class Recognised:
    """The weighted terms of the concepts a query recognises, and the largest share of the
    query's content words one of them explains (0 when none)."""

    terms: tuple[QueryTerm, ...]
    share: float


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
        (tuple(c["terms"]), _keys(" ".join([*c["terms"], c["sv"], c["en"]])))
        for c in json.loads(raw)["concepts"]
    ]
    counts = Counter(k for _, keys in every for k in keys)
    generic = frozenset(k for k, n in counts.items() if n >= GENERIC)
    return tuple(Concept(terms, keys - generic) for terms, keys in every), generic


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
) -> Recognised:
    """The concepts whose explanation holds at least MIN_HITS of the query's content words
    (`keys`, from ``query_keys``) and a share `min_share` of them: their terms that the index
    holds (`known`), each weighted by the share its concept explains."""
    generic = _glossary()[1]
    keys = [k for k in keys if not k <= generic]
    if len(keys) < MIN_HITS:
        return Recognised((), 0.0)
    found: dict[str, QueryTerm] = {}
    best = 0.0
    for concept in concepts() if concept_list is None else concept_list:
        share = sum(1 for k in keys if k & concept.keys) / len(keys)
        if share * len(keys) < MIN_HITS or share < min_share:
            continue
        best = max(best, share)
        for term in concept.terms:  # Swedish words: analysed without the English glossary
            for t, surface, part in (e for w in words(term) for e in analyzer.expand(w)):
                if part or not known(t):
                    continue
                if t not in found or found[t].weight < share:
                    found[t] = QueryTerm(t, share, surface)
    return Recognised(tuple(found.values()), best)
