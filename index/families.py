"""Word families of the corpus: index terms that derive from one root.

Snowball leaves a verb apart from its derived nouns and participles: "förlängd" (stem
"förläng") does not find "förlängning", "fastställd" not "fastställande" (stem "fastställ"),
"justera" not "justering", "reservera" not "reservation". A term's *root keys* are the term
and the term without one derivational ending (ENDINGS); two index terms are of one family
when they share a key of at least MIN_ROOT letters. The families are those of the index's own
vocabulary (``Families.of(vocab)``), so a query word finds the derivations the corpus uses,
at a weight below the word's own (``index.tuning.Tuning.family_weight``).

Two lexicons relate words beyond their root, each at its own weight (``Tuning``):
index/data/synonyms.json, the corpus's own wordings of one standing agenda item
(``synonym_weight``), and index/data/thesaurus_sv.json, general Swedish synonyms from
LibreOffice's thesaurus ("möte" / "sammanträde", "faktura" / "räkning"; ``thesaurus_weight``),
derived by scripts/build_lexicons.py. Both count only with the terms the index holds, and are
read on first use, never at import.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

# Derivational endings left on Snowball stems: the action noun (-ning, -ing, -ation), the
# -era verb (-er), the past participle (-d).
ENDINGS = ("ning", "ation", "ing", "er", "d")
MIN_ROOT = 5
# The noun of a strong verb in -dra, whose Snowball stem drops the "a" ("uppdrar", "uppdra"
# -> "uppdr"): "uppdrag" is of the verb's family (a root of MIN_ROOT letters, as any).
STRONG_NOUN = ("drag", "dr")


def root_keys(term: str) -> tuple[str, ...]:
    """The term and, if it ends in a derivational ending, the term without it (a noun in
    -drag: its verb's stem)."""
    if not term.isalpha():
        return (term,)
    noun, verb = STRONG_NOUN
    if term.endswith(noun) and len(term) - len(noun) + len(verb) >= MIN_ROOT:
        return (term, term[: -len(noun)] + verb)
    for ending in ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_ROOT:
            return (term, term[: -len(ending)])
    return (term,)


@cache
def thesaurus() -> dict[str, tuple[str, ...]]:
    """Swedish word -> its synonyms (index/data/thesaurus_sv.json, build_lexicons.py)."""
    raw = resources.files("index").joinpath("data/thesaurus_sv.json").read_text("utf-8")
    return {k: tuple(v) for k, v in json.loads(raw)["entries"].items()}


@cache
def _headwords() -> tuple[str, ...]:
    return tuple(sorted(thesaurus()))


@lru_cache(maxsize=4096)
def thesaurus_stems(term: str) -> tuple[str, ...]:
    """The stems of the thesaurus synonyms of the words whose stem is `term` ("faktur" ->
    "faktura" -> "räkning", "nota"). A stem is a prefix of its word (Snowball and the
    analyzer's repairs only cut endings), so only the headwords starting with the term are
    stemmed: a query pays for its own words, not for the whole thesaurus."""
    from index.analyze import stem

    heads, words = _headwords(), thesaurus()
    out: dict[str, None] = {}
    for i in range(bisect_left(heads, term), len(heads)):
        if not heads[i].startswith(term):
            break
        if stem(heads[i]) == term:
            out.update((s, None) for s in map(stem, words[heads[i]]) if s != term)
    return tuple(out)


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
    """Root key -> the index terms holding it; stem -> its synonyms' stems (the corpus's
    groups; the thesaurus's)."""

    by_key: dict[str, tuple[str, ...]]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    known: frozenset[str] = frozenset()  # the index's terms

    @classmethod
    def of(
        cls, terms: Iterable[str], synonyms: dict[str, tuple[str, ...]] | None = None
    ) -> Families:
        """The families of an index's terms; synonyms maps a stem to its synonyms' stems
        (only index terms are kept)."""
        by_key: dict[str, list[str]] = defaultdict(list)
        terms = list(terms)
        for t in terms:
            for key in root_keys(t):
                if len(key) >= MIN_ROOT:
                    by_key[key].append(t)
        # a key of one term stays: a query word whose stem is that key ("förläng", from
        # "förlängd") finds the term ("förlängning") though the index lacks the word itself
        known = frozenset(terms)
        syn = {s: tuple(t for t in ts if t in known) for s, ts in (synonyms or {}).items()}
        return cls(
            {k: tuple(v) for k, v in by_key.items() if len(v) > 1 or v[0] != k},
            {s: ts for s, ts in syn.items() if ts},
            known,
        )

    def synonyms_of(self, term: str) -> tuple[str, ...]:
        """Index terms of the term's synonyms (index/data/synonyms.json)."""
        return self.synonyms.get(term, ())

    def thesaurus_of(self, term: str) -> tuple[str, ...]:
        """Index terms of the term's thesaurus synonyms (index/data/thesaurus_sv.json)."""
        return tuple(t for t in thesaurus_stems(term) if t in self.known)

    def relatives(self, term: str) -> list[str]:
        """The other index terms of the term's family, in vocabulary order."""
        out: dict[str, None] = {}
        for key in root_keys(term):
            for t in self.by_key.get(key, ()):
                if t != term:
                    out[t] = None
        return list(out)
