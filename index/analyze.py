"""Swedish analyzer for the lexical index: tokens, stems, compound parts, English glossary.

analyze(text)        -> index terms (stems of words, plus the parts of compounds)
analyze_query(text)  -> query terms (the same, plus Swedish translations of English words)
tokenize(text)       -> surface tokens with offsets (for snippets)

Stemming is Snowball Swedish (PyStemmer) with repairs for forms Snowball leaves apart from
their base word: the definite neuter -et/-ets ("förbundet", "förbundets" -> "förbund"), the
plural genitive ("chefers" -> "chef"), a doubled final m ("medlemmar" -> "medlem"), the definite -orn ("revisorn" -> "revis"), and plural
stems that Snowball would shorten further in the base word ("revisorer" -> "revis" like
"revisor"; "insatser" -> "insat" like "insats"). Snowball is not idempotent: a stem given as
a query word may stem further; the lexical index also looks up a query word as it stands.
Module-level functions use the built-in compound lexicon; `Analyzer(lexicon)` uses one learnt
from a corpus (the lexical index keeps its own).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from index.compounds import MIN_SPLIT_WORD, Lexicon, builtin_lexicon, split, wordlist

ANALYZER_VERSION = 1  # stored with an index; bump when terms change
PART_WEIGHT = 0.3  # weight of a compound part of a query word (the whole word weighs 1)
MAX_NESTING = 3

STOPWORDS_SV = frozenset(
    wordlist(
        """
    och att i på av för med till om en ett den det de som är var har hade vara varit ska
    skall kan kunde skulle inte eller men så från vid under efter denna detta dessa sig sin
    sitt sina man vi han hon dem oss ni du jag mig dig hans hennes deras dess vår vårt våra
    er ert era nu då också även samt här där när hur vad vem vilka vilken vilket alla allt
    inom mot utan över mellan genom ut upp ur än bara mycket mer redan dock ju ej hos åt
    sedan blir bli blev blivit får fick fått ha bör någon något några annat andra samma
    varje ingen inget inga
    """
    )
)
STOPWORDS_EN = frozenset(
    wordlist(
        """
    the of and or to who whom whose what which when where why how was were is are been
    being did does done a an on at with from that this these those it its about any for
    in into has have had than there their they them we our you your me my he she his her
    """
    )
)
STOPWORDS = STOPWORDS_SV | STOPWORDS_EN
# English function words beyond the stopwords, which carry no topic of a question ("who may
# approve …", "not able to …"); ignored where a query's content words are counted
# (index.glosses), not in the index.
FUNCTION_WORDS_EN = frozenset(
    wordlist(
        """
    may might can could would should will shall must be by as if so not no nor do also only
    just very more most such own same other then too up out all some each every
    """
    )
)

_HYPHENS = "-\u2010\u2011"
# A token: letters and digits, joined by hyphens ("Anna-Karin", "2023-11-02") or by . , :
# inside ("3,5", "08:30", "NNS:s"); the analyzer takes the joined forms apart. WORD_RE runs
# on normalised text, where underscores (export rules) have become spaces.
TOKEN_RE = re.compile(rf"[^\W_]+(?:[{_HYPHENS}.,:][^\W_]+)*")
WORD_RE = re.compile(rf"\w+(?:[{_HYPHENS}.,:]\w+)*")
_HYPHEN_SPLIT = re.compile(rf"[{_HYPHENS}]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_GENITIVE = re.compile(r"([^\W\d_]+):[^\W\d_]{1,3}")  # "nns:s"
_INNER_STOP = re.compile(r"[.,:]")
# A hyphen at a line end between letters, the next line going on in lower case.
_LINE_BREAK_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=[a-zåäöéüæø])")
# Stems that end in -et without being a definite neuter.
_ET_KEEP = wordlist(
    "itet budget paket internet planet magnet tapet raket alfabet komet sekret konkret "
    "diskret market target ticket asset outlet toilet"
)
_ORN_KEEP = ("korn", "horn", "björn", "sporn")


class QueryTerm(NamedTuple):
    term: str
    weight: float
    surface: str  # the Swedish word it came from (as typed, translated, or a compound part)


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("swedish")


def _snowball(word: str) -> str:
    s: str = _stemmer().stemWord(word)
    return s


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """Stem of a lower-case word: Snowball Swedish plus the repairs listed above."""
    s = _snowball(word)
    removed = s != word
    if (
        removed
        and word.endswith("s")
        and s == word[:-1]
        and s.endswith(("er", "ar", "or"))
        and len(s) > 4
    ):
        s = _snowball(s)  # plural genitive: "chefers" -> "chefer" -> "chef"
    elif (
        s.endswith("et")
        and len(s) >= 4
        and (s == word or (s == word[:-1] and word.endswith("s")))
        and not s.endswith(_ET_KEEP)
    ):
        s = s[:-2]  # definite neuter: "förbundet", "förbundets" -> "förbund"
    elif s == word and len(s) >= 6 and s.endswith("orn") and not s.endswith(_ORN_KEEP):
        s, removed = s[:-1], True  # definite -orn: "revisorn" -> "revisor"
    if removed and s.endswith("or") and _snowball(s) == s[:-2]:
        s = s[:-2]  # "revisorer" -> "revisor" -> "revis", as "revisor" itself
    elif removed and s.endswith("s") and _snowball(s) == s[:-1]:
        s = s[:-1]  # "insatser" -> "insats" -> "insat", as "insats" itself
    if s != word and s.endswith("mm"):
        s = s[:-1]  # "medlemmar" -> "medlemm" -> "medlem"
    return s


def normalize(text: str) -> str:
    """NFC, no soft hyphens or underscores, words broken at a line end rejoined ("be-\nslut"),
    lower case."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("_", " ")
    if "-\n" in text or "- \n" in text or "-\r" in text:
        text = _LINE_BREAK_HYPHEN.sub("", text)
    return text.lower()


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Surface tokens of `text` (give it NFC text) with their start and end offsets."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def words(text: str) -> list[str]:
    """Normalised word tokens of a text (the unit the analyzer caches)."""
    return WORD_RE.findall(normalize(text))


@cache
def load_glossary() -> dict[str, tuple[str, ...]]:
    """English (word or phrase, lower case) -> Swedish words, from index/data/glossary.json.
    A key is in the query's words as `words` splits them ("chair's decisions" is matched as
    "chair s decisions"), so that every key can match."""
    raw = resources.files("index").joinpath("data/glossary.json").read_text("utf-8")
    entries = json.loads(raw)["entries"]
    return {" ".join(words(k)): tuple(normalize(v) for v in vs) for k, vs in entries.items()}


def english_variants(word: str) -> list[str]:
    """An English word and its singular forms (a plural -s/-es/-ies)."""
    out = [word]
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out.append(word[:-2])
    if word.endswith("s") and len(word) > 3:
        out.append(word[:-1])
    return out


@dataclass
class Analyzer:
    """Analysis with a given compound lexicon; caches the terms of every word it has seen."""

    lexicon: Lexicon

    def __post_init__(self) -> None:
        # word -> (its terms, the terms whose lexicon counts decided its compound splits)
        self._cache: dict[str, tuple[tuple[tuple[str, str, bool], ...], frozenset[str]]] = {}
        self._splits: dict[str, tuple[list[tuple[str, str, bool]], frozenset[str]]] = {}
        glossary = load_glossary()
        self._glossary = glossary
        self._max_phrase = max((k.count(" ") + 1 for k in glossary), default=1)

    # -- words -----------------------------------------------------------------------------
    def expand(self, word: str) -> tuple[tuple[str, str, bool], ...]:
        """(term, surface, is_part) for one normalised word; () for stopwords."""
        return self.expand_tracked(word)[0]

    def expand_tracked(self, word: str) -> tuple[tuple[tuple[str, str, bool], ...], frozenset[str]]:
        """``expand(word)`` and the terms whose standalone counts in the lexicon decided
        between compound splits of equally many parts (see ``compounds.split``)."""
        got = self._cache.get(word)
        if got is None:
            ties: set[str] = set()
            got = (self._expand(word, ties), frozenset(ties))
            self._cache[word] = got
        return got

    def word_terms(self, word: str) -> tuple[str, ...]:
        return tuple(t for t, _, _ in self.expand(word))

    def _sub(self, word: str, ties: set[str]) -> tuple[tuple[str, str, bool], ...]:
        terms, more = self.expand_tracked(word)
        ties |= more
        return terms

    def _expand(self, w: str, ties: set[str]) -> tuple[tuple[str, str, bool], ...]:
        if w in STOPWORDS:
            return ()
        if w.isalpha():
            if len(w) < 2:
                return ()
            return _unique([(stem(w), w, False), *self._parts(w, 0, ties)])
        if w.isalnum() or _NUMBER.fullmatch(w):  # "2023", "p1", "3,5", "08:30"
            return ((w, w, False),)
        out: list[tuple[str, str, bool]] = []
        if _HYPHEN_SPLIT.search(w):  # the whole ("anna-karin", "2023-11-02") and its pieces
            whole = stem(w) if all(c.isalpha() or c in _HYPHENS for c in w) else w
            out.append((whole, w, False))
            for piece in _HYPHEN_SPLIT.split(w):
                out.extend(self._sub(piece, ties))
            return _unique(out)
        genitive = _GENITIVE.fullmatch(w)
        if genitive:
            return self._sub(genitive.group(1), ties)
        for piece in _INNER_STOP.split(w):  # "slut.nästa": two words
            out.extend(self._sub(piece, ties))
        return _unique(out)

    def _parts(self, w: str, depth: int, ties: set[str]) -> list[tuple[str, str, bool]]:
        got = self._splits.get(w)
        if got is None:
            own: set[str] = set()
            res: list[tuple[str, str, bool]] = []
            for surface, term in split(w, self.lexicon, stem, own):
                res.append((term, surface, True))
                if len(surface) >= MIN_SPLIT_WORD and depth < MAX_NESTING:
                    res.extend(self._parts(surface, depth + 1, own))
            got = (res, frozenset(own))
            self._splits[w] = got
        ties |= got[1]
        return got[0]

    # -- texts -----------------------------------------------------------------------------
    def analyze(self, text: str) -> list[str]:
        out: list[str] = []
        for w in words(text):
            out.extend(t for t, _, _ in self.expand(w))
        return out

    def query_terms(self, text: str) -> list[QueryTerm]:
        """Weighted query terms: whole words 1, compound parts PART_WEIGHT; English words are
        replaced by their Swedish glossary translations (longest phrase first)."""
        found: list[QueryTerm] = []
        for word, swedish in self._glossed(text):
            for w in [word] if swedish is None else [w for sv in swedish for w in words(sv)]:
                found.extend(self._word_query_terms(w))
        best: dict[str, QueryTerm] = {}
        for q in found:
            if q.term not in best or q.weight > best[q.term].weight:
                best[q.term] = q
        return list(best.values())

    def unglossed(self, text: str) -> list[str]:
        """The words of a text no glossary phrase translates (stopwords, numbers aside)."""
        return [
            w
            for w, swedish in self._glossed(text)
            if swedish is None and w.isalpha() and w not in STOPWORDS
        ]

    def _glossed(self, text: str) -> Iterator[tuple[str, tuple[str, ...] | None]]:
        """A text's words in order, each glossary phrase as one (its first word, its Swedish
        translations), longest phrase first; any other word with None."""
        ws = words(text)
        i = 0
        while i < len(ws):
            n, swedish = self._glossary_at(ws, i)
            yield ws[i], swedish if n else None
            i += n or 1

    def _word_query_terms(self, w: str) -> list[QueryTerm]:
        return [QueryTerm(t, PART_WEIGHT if part else 1.0, s) for t, s, part in self.expand(w)]

    def _glossary_at(self, ws: list[str], i: int) -> tuple[int, tuple[str, ...]]:
        """The longest glossary phrase at ws[i] (its last word, the head noun, also in the
        singular: "annual reports" is "annual report") and its translations; (0, ()) if none."""
        for n in range(min(self._max_phrase, len(ws) - i), 1, -1):
            lead = " ".join(ws[i : i + n - 1])
            for last in english_variants(ws[i + n - 1]):
                phrase = f"{lead} {last}"
                if phrase in self._glossary:
                    return n, self._glossary[phrase]
        for v in english_variants(ws[i]):
            if v in self._glossary:
                return 1, self._glossary[v]
        return 0, ()


def _unique(terms: list[tuple[str, str, bool]]) -> tuple[tuple[str, str, bool], ...]:
    seen: set[str] = set()
    out = []
    for t in terms:
        if t[0] not in seen:
            seen.add(t[0])
            out.append(t)
    return tuple(out)


@cache
def default_analyzer() -> Analyzer:
    """An analyzer with the built-in compound lexicon only."""
    return Analyzer(builtin_lexicon(stem))


def analyze(text: str) -> list[str]:
    """Index terms of a text (built-in compound lexicon)."""
    return default_analyzer().analyze(text)


def analyze_query(text: str) -> list[str]:
    """Query terms of a text: index terms plus Swedish translations of English words."""
    return [q.term for q in default_analyzer().query_terms(text)]
