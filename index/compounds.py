"""Swedish compound splitting: "serviceavgiften" -> service + avgift.

Pure functions over a `Lexicon` of known parts: words seen standalone in the corpus (learnt at
index time) plus a small built-in list of common morphemes of this domain. A split must
consist of known parts, joined directly or by a binding letter (-s-, -e-, -a-); among the
possible splits the one with the fewest parts wins (then the one with the longest parts).
When no split into known parts exists, a long word may have one unseen part: an unseen
modifier before a known head ("parkeringsavgiften" -> parkering + avgift), else a known
modifier before an unseen head ("enkätundersökning" -> enkät + undersökning), so splitting
works on words nobody has shown us. Derivational endings ("-ning", "-ande") are never parts.

Among splits with equally many parts the one whose parts were seen most often standalone
wins (Koehn & Knight's geometric mean), so "samordning+s+förbunds" beats a broken
"samordningsför+bunds". The stemmer is passed in (`Stem`): this module has no state.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

Stem = Callable[[str], str]


def wordlist(text: str) -> tuple[str, ...]:
    """A tuple of the whitespace-separated words of a text (readable word lists)."""
    return tuple(text.split())


MIN_PART = 4  # shortest part learnt from the corpus
MIN_SPLIT_WORD = 7  # shorter words are never split
MIN_UNKNOWN = 4  # shortest unseen modifier of the fallback split
HEAD_MIN_FALLBACK = 6  # shortest known remainder (surface) behind an unseen modifier
MIN_FALLBACK_WORD = 10  # shorter words are only split into known parts
UNSEEN_HEAD = 6  # shortest unseen head behind a known modifier
UNSEEN_MODIFIER = 5  # shortest known modifier before an unseen head
BINDERS = ("s", "e", "a")
# Derivational suffixes and endings: left over by broken words ("bedöm-ning"), never parts.
NOT_PARTS = frozenset(
    wordlist(
        """
    ning ningar ningen ningens ande andet anden ende enden else elsen heten heter skap skapet
    liga ligt iska iskt tion tionen tioner sion itet iteten ering eringen arna erna orna aren
    arens ades erad erade arade
    """
    )
)

PREFIX = 4  # letters of a part looked up before anything else
# Inflectional endings a known last part may carry although its stem is short ("mötet").
INFLECTIONS = wordlist("n t en et na ar er or arna erna orna ns ts ens ets s")
BUILTIN_COUNT = 20  # standalone count credited to a built-in morpheme
VOWELS = frozenset("aeiouyåäöéü")
# Consonant clusters that can begin a Swedish word.
ONSETS = frozenset(
    wordlist(
        """
    bl br dr dj fl fr gl gr gn kl kn kr kv pl pr sk sl sm sn sp st sv sj tj tr tv vr
    skr spr str skv spl sch
    """
    )
)
# Beginnings of suffixes: an unseen part starting so is an ending, not a word.
SUFFIX_STARTS = tuple(
    wordlist(
        """
    ation ition ution ion ing ering isering igande ighet ning gning tning else ande ende ism
    ist ell iv ik ör ig isk lig ling het skap dom
    """
    )
)

# Short morphemes (2-3 letters) that may be compound parts although shorter than MIN_PART.
SHORT_MORPHEMES = frozenset(wordlist("år lön län mål råd val ram dag tid fri"))

# Common parts of compounds in the protocols of samordningsförbund (general Swedish public-
# sector vocabulary, not tied to any document). Used besides the parts learnt from a corpus.
# They are units: a word whose stem is one of theirs is not split ("redovisning" stays whole).
DOMAIN_MORPHEMES = tuple(
    wordlist(
        """
    samordning förbund chef ordförande ledamot ledamöter ersättare sekreterare
    styrelse grupp utskott medlem möte sammanträde protokoll
    justering justerare ordning beslut förslag ärende handling underlag
    avgift service tillägg äskande äskan ansökan tilldelning medel budget
    ekonomi ekonomisk kostnad intäkt resultat bokslut redovisning rapport
    tertial revision revisor granskning berättelse
    ansvar frihet verksamhet plan uppföljning utvärdering analys insats insatser
    projekt finansiering stöd rehabilitering samverkan samarbete nätverk nationell region
    kommun landsting försäkring kassa förmedling arbete
    marknad sysselsättning studier utbildning hälsa vård psykiatri
    individ deltagare personal bemanning rekrytering tjänst tjänster lön
    avtal uppdrag direktiv kansli ledning ledare samordnare handläggare team arkiv
    lokal hyra enkät villkor placering avkastning kapital förmögenhet
    period kvartal månad vecka datum dokument information kommunikation webb
    sida digital signering anslag tillkännagivande övriga frågor beredning utse ombud
    samråd dialog konferens
    """
    )
)


def surface_of_part(word: str) -> bool:
    """Whether a word seen standalone becomes a known part (a surface of the lexicon)."""
    return (
        word.isalpha()
        and (len(word) >= MIN_PART or word in SHORT_MORPHEMES)
        and (word not in NOT_PARTS)
    )


def stem_of_part(s: str) -> bool:
    """Whether the stem of such a surface becomes a known part (a stem of the lexicon)."""
    return len(s) >= 2 and s not in NOT_PARTS


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Known compound parts: lower-case surface words, and their stems with how often each
    stem was seen standalone (which decides between splits). `atomic` holds the stems of
    words that are never split themselves (the built-in morphemes)."""

    surfaces: frozenset[str]
    stems: Mapping[str, int]
    atomic: frozenset[str] = frozenset()

    @classmethod
    def from_counts(cls, counts: Mapping[str, int], stem: Stem) -> Lexicon:
        surfaces = frozenset(w for w in counts if surface_of_part(w))
        stems: dict[str, int] = {}
        for w in surfaces:
            s = stem(w)
            if stem_of_part(s):
                stems[s] = stems.get(s, 0) + counts[w]
        return cls(surfaces, stems)

    def extended(self, counts: Mapping[str, int], stem: Stem) -> Lexicon:
        more = Lexicon.from_counts(counts, stem)
        stems = dict(self.stems)
        for s, n in more.stems.items():
            stems[s] = stems.get(s, 0) + n
        return Lexicon(self.surfaces | more.surfaces, stems, self.atomic)

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """First four letters of every known part: no part can start where these don't."""
        return frozenset(
            w[:PREFIX] for w in (*self.surfaces, *self.stems) if len(w) >= PREFIX
        ) | frozenset(w[:PREFIX] for w in SHORT_MORPHEMES)

    def weight(self, term: str) -> float:
        """log(1 + standalone count) of a part's term: rare parts make doubtful splits."""
        return math.log1p(self.stems.get(term, 0))

    def __len__(self) -> int:
        return len(self.surfaces)


def builtin_lexicon(stem: Stem) -> Lexicon:
    words = [*DOMAIN_MORPHEMES, *SHORT_MORPHEMES]
    base = Lexicon.from_counts(dict.fromkeys(words, BUILTIN_COUNT), stem)
    return Lexicon(base.surfaces, base.stems, frozenset(map(stem, DOMAIN_MORPHEMES)))


def learn_lexicon(counts: Mapping[str, int], stem: Stem, min_count: int = 1) -> Lexicon:
    """Known parts from standalone word counts of a corpus, plus the built-in morphemes."""
    return builtin_lexicon(stem).extended({w: n for w, n in counts.items() if n >= min_count}, stem)


Part = tuple[str, str]  # (surface without binder, index term)


def _known(part: str, lex: Lexicon) -> bool:
    if part in SHORT_MORPHEMES:
        return True
    return len(part) >= MIN_PART and (part in lex.surfaces or part in lex.stems)


def _head_ok(part: str, term: str) -> bool:
    return part not in NOT_PARTS and term not in NOT_PARTS


def _plausible(part: str) -> bool:
    """An unseen part must look like a Swedish word, not a suffix or a broken word."""
    if part.startswith(SUFFIX_STARTS):
        return False
    a, b = part[0], part[1]
    return a in VOWELS or b in VOWELS or part[:2] in ONSETS or part[:3] in ONSETS


def _modifier(part: str, lex: Lexicon, stem: Stem) -> Part | None:
    """A known first/middle part (with or without a binding letter), else None."""
    for cand in (part, *(part[:-1] for b in BINDERS if part.endswith(b) and len(part) > 2)):
        if _known(cand, lex):
            # A stem-only match ("arbet" in "arbetsmarknad") is already a term.
            term = stem(cand) if (cand in lex.surfaces or cand in SHORT_MORPHEMES) else cand
            return cand, term
    return None


def _head(part: str, lex: Lexicon, stem: Stem) -> Part | None:
    """A known last part, inflected or not, else None."""
    if len(part) < MIN_PART and part not in SHORT_MORPHEMES:
        return None
    term = stem(part)
    if not _head_ok(part, term):
        return None
    if part in lex.surfaces or part in SHORT_MORPHEMES:
        return part, term
    if len(term) >= MIN_PART and term in lex.stems:
        return part, term  # "avgiften" (stem avgift)
    for ending in INFLECTIONS:  # "mötet" (möte + t), "dagarna" (dag + arna)
        base = part[: len(part) - len(ending)]
        if part.endswith(ending) and (base in lex.surfaces or base in SHORT_MORPHEMES):
            return part, term
    return None


def _rank(parts: list[Part], lex: Lexicon) -> tuple[int, float]:
    """Fewest parts first, then the most frequent parts (geometric mean of counts)."""
    return len(parts), -sum(lex.weight(t) for _, t in parts) / len(parts)


def split(word: str, lex: Lexicon, stem: Stem, ties: set[str] | None = None) -> list[Part]:
    """Split a lower-case word into (part surface, part term) pairs; [] when not a compound.

    The word itself is not among the parts; nested compounds are split by the caller.
    With `ties`, the terms whose standalone counts decided between splits of equally many
    parts are added to it: the split depends on the lexicon's counts of those terms only
    (and on which of the word's substrings are known parts), so an index update knows which
    words a change of counts can re-split (index/lexical_update.py).
    """
    n = len(word)
    if n < MIN_SPLIT_WORD or not word.isalpha() or stem(word) in lex.atomic:
        return []
    # best[i]: best split of word[i:] into modifiers followed by one head (None: impossible).
    best: list[list[Part] | None] = [None] * (n + 1)
    prefixes = lex.prefixes
    for i in range(n - 2, -1, -1):
        if not (
            word[i : i + PREFIX] in prefixes
            or word[i : i + 2] in SHORT_MORPHEMES
            or word[i : i + 3] in SHORT_MORPHEMES
        ):
            continue  # no known part starts here
        options: list[list[Part]] = []
        if i > 0:
            head = _head(word[i:], lex, stem)
            if head is not None:
                options.append([head])
        for j in range(i + 2, n - 1):
            rest = best[j]
            if rest is None:
                continue
            mod = _modifier(word[i:j], lex, stem)
            if mod is not None:
                options.append([mod, *rest])
        if options:
            best[i] = min(options, key=lambda o: _rank(o, lex))
            if ties is not None:
                fewest = min(map(len, options))
                tied = [o for o in options if len(o) == fewest]
                if len(tied) > 1:
                    ties.update(t for o in tied for _, t in o)
    if best[0] is not None:
        return best[0]
    return _fallback(word, best, lex, stem, ties)


def _fallback(
    word: str,
    best: list[list[Part] | None],
    lex: Lexicon,
    stem: Stem,
    ties: set[str] | None = None,
) -> list[Part]:
    """Splits of a long word with one unseen part: an unseen modifier before a known
    remainder, or a known modifier before an unseen head. Fewest parts, then the shortest
    unseen part, then the most frequent known parts."""
    n = len(word)
    if n < MIN_FALLBACK_WORD:
        return []
    options: list[tuple[int, int, float, list[Part]]] = []
    for i in range(MIN_UNKNOWN, n - HEAD_MIN_FALLBACK + 1):
        rest = best[i]
        mod = word[:i]
        if rest is None or not _plausible(mod):
            continue
        if mod.endswith("s") and not mod.endswith("ss") and len(mod) > MIN_UNKNOWN:
            mod = mod[:-1]
        n_parts, weight = _rank(rest, lex)
        options.append((n_parts + 1, i, weight, [(mod, stem(mod)), *rest]))
    if word[:PREFIX] in lex.prefixes:
        for j in range(UNSEEN_MODIFIER, n - UNSEEN_HEAD + 1):
            known = _modifier(word[:j], lex, stem)
            if known is None or len(known[0]) < UNSEEN_MODIFIER or known[0] not in lex.surfaces:
                continue
            head = word[j:]
            term = stem(head)
            if len(term) >= MIN_PART and _head_ok(head, term) and _plausible(head):
                options.append((2, n - j, -lex.weight(known[1]), [known, (head, term)]))
    if not options:
        return []
    chosen = min(options, key=lambda o: o[:3])
    if ties is not None:
        tied = [o for o in options if o[:2] == chosen[:2]]
        if len(tied) > 1:
            ties.update(t for o in tied for _, t in o[3])
    return chosen[3]
