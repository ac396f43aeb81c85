"""Word families of the corpus: index terms that derive from one root.

Snowball leaves a verb apart from its derived nouns and participles: "förlängd" (stem
"förläng") does not find "förlängning", "fastställd" not "fastställande" (stem "fastställ"),
"justera" not "justering", "reservera" not "reservation". A term's *root keys* are the term
and the term without one derivational ending (ENDINGS); two index terms are of one family
when they share a key of at least MIN_ROOT letters. The families are those of the index's own
vocabulary (``Families.of(vocab)``), so a query word finds the derivations the corpus uses,
at a weight below the word's own (``index.search.Tuning.family_weight``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

# Derivational endings left on Snowball stems: the action noun (-ning, -ing, -ation), the
# -era verb (-er), the past participle (-d).
ENDINGS = ("ning", "ation", "ing", "er", "d")
MIN_ROOT = 5


def root_keys(term: str) -> tuple[str, ...]:
    """The term and, if it ends in a derivational ending, the term without it."""
    if not term.isalpha():
        return (term,)
    for ending in ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_ROOT:
            return (term, term[: -len(ending)])
    return (term,)


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The word groups of index/data/synonyms.json (lower case, as written)."""
    raw = resources.files("index").joinpath("data/synonyms.json").read_text("utf-8")
    return tuple(tuple(w.lower() for w in g) for g in json.loads(raw)["groups"])


def synonym_stems(stem: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
    """Stem of a synonym -> the stems of the other words of its group."""
    out: dict[str, tuple[str, ...]] = {}
    for group in synonym_groups():
        stems = list(dict.fromkeys(stem(w) for w in group))
        for s in stems:
            out[s] = tuple(t for t in stems if t != s)
    return out


@dataclass(frozen=True)
class Families:
    """Root key -> the index terms holding it; stem -> its synonyms' stems."""

    by_key: dict[str, tuple[str, ...]]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, terms: Iterable[str], synonyms: dict[str, tuple[str, ...]] | None = None
    ) -> Families:
        by_key: dict[str, list[str]] = defaultdict(list)
        terms = list(terms)
        for t in terms:
            for key in root_keys(t):
                if len(key) >= MIN_ROOT:
                    by_key[key].append(t)
        # a key of one term stays: a query word whose stem is that key ("förläng", from
        # "förlängd") finds the term ("förlängning") though the index lacks the word itself
        known = set(terms)
        syn = {s: tuple(t for t in ts if t in known) for s, ts in (synonyms or {}).items()}
        return cls(
            {k: tuple(v) for k, v in by_key.items() if len(v) > 1 or v[0] != k},
            {s: ts for s, ts in syn.items() if ts},
        )

    def synonyms_of(self, term: str) -> tuple[str, ...]:
        """Index terms of the term's synonyms (index/data/synonyms.json)."""
        return self.synonyms.get(term, ())

    def relatives(self, term: str) -> list[str]:
        """The other index terms of the term's family, in vocabulary order."""
        out: dict[str, None] = {}
        for key in root_keys(term):
            for t in self.by_key.get(key, ()):
                if t != term:
                    out[t] = None
        return list(out)
