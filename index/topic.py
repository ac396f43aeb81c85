"""A decision topic understood as subject + what is asked of the decision.

``parse_topic("avslagna tilläggsäskanden")`` -> subject concepts (``extra_medel``: every phrase
of its family in ``index/data/concepts.json``) and the requested acts (``rejected``).
Phrases are compared by their stems word by word, longest first, so inflections and word
order inside the vocabulary's phrases do not matter; a word the vocabulary does not know
becomes a concept of its own (its stem, compound-free, and its glossary translations).
Pure functions; the vocabulary is read once on first use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from corpus.model import ACTS, PROCEDURES, STANCES

Stems = tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    """A subject: its name and phrases (each a tuple of stems)."""

    name: str
    phrases: tuple[Stems, ...]
    head: bool = False  # must stand in the title or a clause
    ad_hoc: bool = False  # a topic word the vocabulary lacks: the body alone is half evidence
    amounts: bool = False  # an amount in kronor in the decision is enough
    unless_title: str | None = None  # not when the title names this other concept
    # whole words (stems) that hold a phrase's word but name something else: "deltagaravgift"
    # is a fee, but not the fee the concept "avgift" means
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Topic:
    text: str
    concepts: tuple[Concept, ...]
    acts: frozenset[str] = field(default_factory=frozenset)  # requested acts (any of)
    stances: frozenset[str] = field(default_factory=frozenset)  # requested stances (any of)
    # how the decision was reached (any of: a vote, a reservation …)
    procedures: frozenset[str] = field(default_factory=frozenset)

    @property
    def asks(self) -> bool:
        return bool(self.acts or self.stances or self.procedures)


@dataclass(frozen=True)
class Vocabulary:
    concepts: dict[str, Concept]
    # phrase stems -> ("concept", name) | ("act", names) | ("stance", names)
    # | ("procedure", names)
    phrases: dict[Stems, tuple[str, tuple[str, ...]]]
    longest: int
    noise: frozenset[str]


def word_stems(text: str) -> list[Stems]:
    """Per word of a text: its index terms (the whole word's stem first, then compound parts);
    stopwords give an empty tuple, so they keep their place."""
    from index.analyze import default_analyzer, words

    analyzer = default_analyzer()
    return [analyzer.word_terms(w) for w in words(text)]


def phrase_stems(phrase: str) -> Stems:
    """A phrase as the stems of its whole words (stopwords left out), a hyphen between letters
    read as a space as a topic's is ("roll-call vote", "counter-motion")."""
    return tuple(terms[0] for terms in word_stems(_HYPHENATED.sub(" ", phrase)) if terms)


@cache
def vocabulary() -> Vocabulary:
    raw = json.loads(resources.files("index").joinpath("data/concepts.json").read_text("utf-8"))
    concepts: dict[str, Concept] = {}
    phrases: dict[Stems, tuple[str, tuple[str, ...]]] = {}
    for name, entry in raw["concepts"].items():
        stems = tuple(dict.fromkeys(s for p in entry["phrases"] if (s := phrase_stems(p))))
        concepts[name] = Concept(
            name,
            stems,
            head=bool(entry.get("head")),
            amounts=bool(entry.get("amounts")),
            unless_title=entry.get("unless_title"),
            excluded=frozenset(s for w in entry.get("not", ()) for s in phrase_stems(w)),
        )
        for s in stems:
            phrases.setdefault(s, ("concept", (name,)))
    for kind, table, allowed in (
        ("act", raw["requests"]["acts"], ACTS),
        ("stance", raw["requests"]["stances"], STANCES),
        ("procedure", raw["requests"]["procedures"], PROCEDURES),
    ):
        for names, words in table.items():
            values = tuple(names.split())
            if not set(values) <= set(allowed):
                raise ValueError(f"concepts.json: unknown {kind} in {names!r}")
            for w in words:
                if s := phrase_stems(w):
                    phrases[s] = (kind, values)  # a request phrase beats a subject phrase
    noise = frozenset(t for terms in word_stems(raw["noise"]) for t in terms[:1])
    return Vocabulary(concepts, phrases, max(len(p) for p in phrases), noise)


def _ad_hoc(word: str) -> Concept | None:
    """A concept of a word the vocabulary does not know: its whole stem and translations."""
    from index.analyze import default_analyzer

    terms = tuple(
        (q.term,) for q in default_analyzer().query_terms(word) if q.weight >= 1.0 and q.term
    )
    return Concept(f"ord:{word.lower()}", terms, ad_hoc=True) if terms else None


_HYPHENATED = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def parse_topic(text: str) -> Topic:
    """Subject concepts and requested acts/stances of a topic (see the module docstring)."""
    from index.analyze import words

    vocab = vocabulary()
    asked, text = text, _HYPHENATED.sub(" ", text)  # "NNS-avgiften" asks what "NNS avgiften" asks
    surface = words(text)
    stems = [terms[0] if terms else "" for terms in word_stems(text)]
    concepts: dict[str, Concept] = {}
    requested: dict[str, list[set[str]]] = {"act": [], "stance": [], "procedure": []}
    i = 0
    while i < len(stems):
        if not stems[i]:
            i += 1
            continue
        match = _longest(stems, i, vocab)
        if match:
            n, (kind, names) = match
            if kind == "concept":
                concepts.setdefault(names[0], vocab.concepts[names[0]])
            else:
                requested[kind].append(set(names))
            i += n
            continue
        if stems[i] not in vocab.noise:
            concept = _ad_hoc(surface[i])
            if concept and not any(concept.phrases == c.phrases for c in concepts.values()):
                concepts[concept.name] = concept
        i += 1
    return Topic(
        asked,
        tuple(concepts.values()),
        _combine(requested["act"]),
        _combine(requested["stance"]),
        _combine(requested["procedure"]),
    )


def _longest(
    stems: Sequence[str], i: int, vocab: Vocabulary
) -> tuple[int, tuple[str, tuple[str, ...]]] | None:
    """The longest vocabulary phrase starting at word i (stopwords skipped inside it)."""
    for n in range(min(vocab.longest * 2, len(stems) - i), 0, -1):
        key = tuple(s for s in stems[i : i + n] if s)
        if stems[i + n - 1] and key in vocab.phrases:
            return n, vocab.phrases[key]
    return None


def _combine(sets: Sequence[set[str]]) -> frozenset[str]:
    """Several request phrases narrow each other ("beviljade … lägre belopp" -> partly
    granted); if they share nothing, any of them will do ("emot eller avstod")."""
    if not sets:
        return frozenset()
    common = set.intersection(*sets)
    return frozenset(common or set.union(*sets))


# -- matching items ----------------------------------------------------------------------------


def occurs(phrase: Stems, text_terms: Sequence[Stems]) -> bool:
    """Whether a phrase stands in a text given as per-word terms: one word matches the word's
    stem or a compound part; several words must follow each other (stopwords skipped)."""
    if len(phrase) == 1:
        return any(phrase[0] in terms for terms in text_terms)
    content = [terms for terms in text_terms if terms]
    n = len(phrase)
    return any(
        all(phrase[j] in content[i + j] for j in range(n)) for i in range(len(content) - n + 1)
    )


def names_concept(concept: Concept, text_terms: Sequence[Stems]) -> bool:
    if concept.excluded:  # an excluded word stands as a stopword does: it names nothing
        text_terms = [() if t and t[0] in concept.excluded else t for t in text_terms]
    return any(occurs(p, text_terms) for p in concept.phrases)


def coverage(
    topic: Topic,
    head: Sequence[Stems],
    body: Sequence[Stems],
    title: Sequence[Stems],
    has_amount: bool,
) -> tuple[float, list[str]]:
    """Share of the topic's concepts an item is about, and their names (head = title +
    clauses). A concept the vocabulary lacks that stands only in the background text counts
    half: "delårsrapporten (§ 47)" mentioned under "Ekonomi" is no decision on it."""
    vocab = vocabulary()
    share = 0.0
    names = []
    for c in topic.concepts:
        if c.unless_title and names_concept(vocab.concepts[c.unless_title], title):
            continue
        if names_concept(c, head) or (c.amounts and has_amount):
            share += 1.0
        elif not c.head and names_concept(c, body):
            share += 0.5 if c.ad_hoc else 1.0
        else:
            continue
        names.append(c.name)
    return (share / len(topic.concepts) if topic.concepts else 1.0), names


def named_otherwise(topic: Topic, text_terms: Sequence[Stems]) -> bool:
    """Whether a text names, for a concept of the topic it does not name, something else that
    holds the concept's word (a conference's "deltagaravgift" where the NNS fee is asked)."""
    return any(
        c.excluded
        and not names_concept(c, text_terms)
        and any(t and t[0] in c.excluded for t in text_terms)
        for c in topic.concepts
    )


def all_phrases(concepts: Iterable[Concept]) -> list[str]:
    """The stems of every phrase of some concepts, for a lexical candidate query."""
    return sorted({s for c in concepts for p in c.phrases for s in p})
