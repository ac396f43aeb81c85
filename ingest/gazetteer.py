"""Gazetteer of Swedish samordningsförbund (and NNS): names, aliases, mentions, ownership.

The data file ``ingest/data/forbund.json`` lists every förbund with its core names ("names"),
case-sensitive abbreviations and explicit aliases. Matching forms are generated from the core
names with the usual templates ("Samordningsförbundet X", "SF X", "Xs Samordningsförbund" …),
so a new förbund needs only its name and core names. Text is matched token by token
(case-insensitive except abbreviations and "SF X"), longest match first, with genitive -s,
hyphenated line breaks and lists after a plural ("Samordningsförbunden X och Y").

``resolve_forbund`` decides which förbund a document belongs to; its rules are in
``ingest.ownership``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

log = logging.getLogger(__name__)

DATA_FILE = Path(__file__).with_name("data") / "forbund.json"

FORBUND = "förbund"
NATVERK = "nätverk"

STRONG = "strong"  # a förbund word or an abbreviation: "Samordningsförbundet X", "NVSam"
BARE = "bare"  # the core name alone: "Umeåregionen" (weak evidence only)

_PREFIXES = ("Samordningsförbundet", "Samordningsförbundet i", "Samordningsförbunden",
             "Samordningsförbund", "Finsam")  # fmt: skip
_CS_PREFIXES = ("SF",)  # case-sensitive prefixes
_SUFFIX = "Samordningsförbund"
_PLURAL = "samordningsförbunden"
_BEFORE, _AFTER = 45, 80  # characters before and after an anchor word that a form can reach
_LINE_HYPHEN = re.compile(r"-\s*\n\s*")
_ANCHOR = re.compile(r"samordningsförbund|finsam", re.I)

_TOKEN = re.compile(r"[^\W¹²³⁰-⁹]+|[-–—/&,:]")  # words without footnote marks
_DASHES = {"–": "-", "—": "-", "/": "-", "&": "och"}


@dataclass(frozen=True, slots=True)
class Forbund:
    """One entry of the gazetteer."""

    name: str  # canonical full name
    kind: str  # FORBUND or NATVERK
    county: str | None
    short: str
    names: tuple[str, ...] = ()  # core names, used with the templates
    abbreviations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    bare: bool = False  # the core name alone is (weak) evidence of this förbund
    members: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    successor: str | None = None


_FIELDS = frozenset(Forbund.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Mention:
    """A förbund named in a text: canonical name, character span, surface, strength."""

    canonical: str
    start: int
    end: int
    surface: str
    strength: str  # STRONG or BARE
    abbreviation: bool = False
    plural: bool = False  # part of "Samordningsförbunden X och Y" (third person)


class _Tok(NamedTuple):
    norm: str  # lower-cased, dashes unified, & -> och
    exact: str  # case kept, dashes unified
    start: int
    end: int


# A word whose end is a run of capitals glued to a lower-case letter: two words; so is a
# word with a capitalised word of four letters or more glued on ("KlarälvenStyrelseprotokoll":
# a header's text run over its tab stop), but not a name's short inner capital ("VärNa").
_GLUED_CAPS = re.compile(r"^(\w*[a-zåäöé])([A-ZÅÄÖÉ]{3,}|[A-ZÅÄÖÉ][a-zåäöé]{3,})$")


def _tokens(text: str, vocab: frozenset[str] = frozenset(), a: int = 0, b: int = -1) -> list[_Tok]:
    """Word and punctuation tokens. A word broken at a line end ("Samordnings-" newline
    "förbundet") is re-joined when the joined word is in vocab; real hyphens stay."""
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text, a, len(text) if b < 0 else b):
        raw = m.group()
        glued = _GLUED_CAPS.match(raw)
        if glued:  # "länPROTOKOLL", "KlarälvenStyrelseprotokoll": a header's word glued on
            cut = m.start() + glued.end(1)
            out.append(_Tok(glued[1].lower(), glued[1], m.start(), cut))
            out.append(_Tok(glued[2].lower(), glued[2], cut, m.end()))
            continue
        exact = _DASHES.get(raw, raw)
        tok = _Tok(exact.lower(), exact, m.start(), m.end())
        if (
            vocab
            and len(out) >= 2
            and out[-1].exact == "-"
            and raw[0].isalpha()
            and out[-2].end == out[-1].start
            and (out[-2].norm + tok.norm) in vocab
        ):
            first = out[-2]
            out[-2:] = [_Tok(first.norm + tok.norm, first.exact + raw, first.start, tok.end)]
            continue
        out.append(tok)
    return out


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(t.norm for t in _tokens(phrase))


def _norm_name(name: str) -> str:
    return " ".join(_key(name))


class Gazetteer:
    """All förbund and NNS, with lookup tables for matching and canonical names."""

    def __init__(self, entries: tuple[Forbund, ...]) -> None:
        self.entries = entries
        self.by_name = {e.name: e for e in entries}
        self.strong: dict[tuple[str, ...], str] = {}  # case-insensitive forms
        self.strong_cs: dict[tuple[str, ...], str] = {}  # first token exact, rest lower
        self.bare: dict[tuple[str, ...], tuple[str, bool]] = {}  # core -> (name, bare_ok)
        self.lookup: dict[str, str] = {}  # normalised any-name -> canonical (CLI filters)
        for e in entries:
            self._add(e)
        keys = list(self.strong) + list(self.strong_cs) + list(self.bare)
        self.first = frozenset(k[0] for k in list(self.strong) + list(self.bare))
        self.first_cs = frozenset(k[0] for k in self.strong_cs)
        self.maxlen = max(len(k) for k in keys)
        self.vocab = frozenset(t for k in keys for t in k if t.isalpha())
        self.anchors = ("ordningsförbund", "finsam", "nätverket")  # in every form, lower case
        self.anchors_cs = tuple(sorted({k[0] for k in self.strong_cs}))
        self.bare_anchors = tuple(  # the longest word of each bare name
            sorted({max(k, key=len) for k, (_, ok) in self.bare.items() if ok})
        )

    def _put(self, table: dict[tuple[str, ...], Any], key: tuple[str, ...], value: object,
             name: str) -> None:  # fmt: skip
        old = table.get(key)
        if old is not None and old != value:
            log.warning("gazetteer: %r names both %s and %s", " ".join(key), old, name)
            return
        table[key] = value

    def _add(self, e: Forbund) -> None:
        for core in e.names:
            self._put(self.bare, _key(core), (e.name, e.bare), e.name)
        ci_forms, cs_forms = surface_forms(e)
        for form in ci_forms:
            self._put(self.strong, _key(form), e.name, e.name)
        for form in cs_forms:
            toks = _tokens(form)
            self._put(self.strong_cs, (toks[0].exact, *(t.norm for t in toks[1:])), e.name, e.name)
        for any_name in (e.name, *e.aliases, *e.names, *e.abbreviations):
            self.lookup.setdefault(_norm_name(any_name), e.name)

    # --- matching -----------------------------------------------------------------------

    def _match_at(
        self, toks: list[_Tok], i: int, loose: bool, any_bare: bool = False
    ) -> tuple[str, int, str, bool] | None:
        """Longest form starting at token i: (canonical, end index, strength, abbr) or None."""
        n_max = min(self.maxlen, len(toks) - i)
        t0 = toks[i]
        try_ci = t0.norm in self.first
        try_cs = t0.exact in self.first_cs
        if not (try_ci or try_cs):
            return None
        for n in range(n_max, 0, -1):
            window = toks[i : i + n]
            keys = [tuple(t.norm for t in window)]
            last = keys[0][-1]
            if len(last) > 3 and last.endswith("s"):
                keys.append((*keys[0][:-1], last[:-1]))  # genitive
            for k in keys:
                if try_ci and k in self.strong:
                    return self.strong[k], i + n, STRONG, False
                if try_cs:
                    kc = (t0.exact, *k[1:])
                    if kc in self.strong_cs:
                        return self.strong_cs[kc], i + n, STRONG, True
                if (loose or any_bare) and try_ci and k in self.bare:
                    name, ok = self.bare[k]
                    if ok or any_bare:
                        return name, i + n, BARE, False
        return None

    def mentions(self, text: str, *, loose: bool = False) -> list[Mention]:
        """All förbund mentions, in text order. loose: also bare core names (weak)."""
        out: list[Mention] = []
        for a, b in self._windows(text, loose):
            self._scan(text, _tokens(text, self.vocab, a, b), loose, out)
        return out

    def _windows(self, text: str, loose: bool) -> list[tuple[int, int]]:
        """Stretches of text around the words every form contains (found with str.find,
        much faster than tokenising everything), widened to whole words and merged."""
        lower = text.lower()
        if len(lower) != len(text):  # a letter whose lower case is longer: positions shift
            return [(0, len(text))]
        hits = [(i - _BEFORE, i + _AFTER) for w in self.anchors for i in _find_all(lower, w)]
        for i in (*_find_all(lower, "-\n"), *_find_all(lower, "- \n")):
            if _ANCHOR.search(_LINE_HYPHEN.sub("", lower[max(0, i - 20) : i + 24])):
                hits.append((i - _BEFORE, i + _AFTER))  # "Samordnings-\nförbundet"
        for w in self.anchors_cs:  # abbreviations and "SF X"
            hits += [(i, i + len(w) + 40) for i in _find_all(text, w)]
        if loose:
            hits += [(i - 30, i + 40) for w in self.bare_anchors for i in _find_all(lower, w)]
        from ingest.lines import merge_word_spans

        return merge_word_spans(text, hits)

    def _scan(self, text: str, toks: list[_Tok], loose: bool, out: list[Mention]) -> None:
        i = 0
        first, first_cs = self.first, self.first_cs
        while i < len(toks):
            if toks[i].norm not in first and toks[i].exact not in first_cs:
                i += 1
                continue
            hit = self._match_at(toks, i, loose)
            if hit is None or _glued(text, toks, i, hit[1]):
                i += 1
                continue
            name, j, strength, abbr = hit
            plural = toks[i].norm == _PLURAL
            out.append(self._mention(text, toks, i, j, name, strength, abbr, plural))
            while plural and j + 1 < len(toks) and toks[j].norm in (",", "och"):
                k = j + 1 + (toks[j].norm == "," and toks[j + 1].norm == "och")
                nxt = self._match_at(toks, k, False, any_bare=True) if k < len(toks) else None
                if nxt is None or _glued(text, toks, k, nxt[1]):
                    break
                out.append(self._mention(text, toks, k, nxt[1], nxt[0], STRONG, False, True))
                j = nxt[1]
            i = j

    @staticmethod
    def _mention(
        text: str, toks: list[_Tok], i: int, j: int, name: str, strength: str, abbr: bool,
        plural: bool,
    ) -> Mention:  # fmt: skip
        end = toks[j - 1].end
        if text[end : end + 2] == ":s":
            end += 2
        start = toks[i].start
        return Mention(name, start, end, text[start:end], strength, abbr, plural)

    def canonical(self, name: str) -> str | None:
        """Canonical name for any alias, tolerant of case, whitespace and förbund words."""
        key = _norm_name(name)
        if not key:
            return None
        if key in self.lookup:
            return self.lookup[key]
        stripped = re.sub(r"^(samordningsförbund(et|en)?( i)?|sf|finsam) ", "", key)
        stripped = re.sub(r" samordningsförbund(et|s)?$", "", stripped)
        for cand in (stripped, stripped[:-1] if stripped.endswith("s") else ""):
            if cand in self.lookup:
                return self.lookup[cand]
        return None


def surface_forms(e: Forbund) -> tuple[list[str], list[str]]:
    """The strong written forms of a förbund: (case-insensitive forms, case-sensitive forms).
    Bare core names are not among them (they are weak evidence, see Gazetteer.bare)."""
    forms = {e.name, *e.aliases}
    for core in e.names:
        forms.update(f"{p} {core}" for p in _PREFIXES)
        forms.add(f"{core} {_SUFFIX}")
        if not core.endswith("s"):
            forms.add(f"{core}s {_SUFFIX}")
        if " län" not in core and "-" not in core:  # county forms: "Gävleborgs läns s…"
            for county in {f"{core} län", f"{core}s län" if not core.endswith("s") else ""} - {""}:
                forms.update(f"{p} {county}" for p in _PREFIXES)
                forms.add(f"{county}s {_SUFFIX}")
    # a form without a förbund word is weak ("Umeåregionen", "Nils (Svedala-Skurup)");
    # abbreviations match case-sensitively only
    ci = sorted(f for f in forms if _ANCHOR.search(f) and f not in e.abbreviations)
    cs = [f"{p} {core}" for core in e.names for p in _CS_PREFIXES] + list(e.abbreviations)
    return ci, cs


def _find_all(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + len(word))
    return out


def _glued(text: str, toks: list[_Tok], i: int, j: int) -> bool:
    """A match that is part of a compound ("Umeåregionen-området", "x-Umeåregionen")."""
    if j < len(toks) and toks[j].exact == "-" and toks[j].start == toks[j - 1].end:
        return j + 1 < len(toks) and toks[j + 1].start == toks[j].end
    if i >= 1 and toks[i - 1].exact == "-" and toks[i - 1].end == toks[i].start:
        return i >= 2 and toks[i - 2].end == toks[i - 1].start
    return False


def _entry(raw: dict) -> Forbund:
    tuples = ("names", "abbreviations", "aliases", "members")
    fields = {k: tuple(v) if k in tuples else v for k, v in raw.items() if k in _FIELDS}
    return Forbund(**{"kind": FORBUND, "county": None, "short": raw["name"], **fields})


def parse_gazetteer(data: dict) -> Gazetteer:
    """A gazetteer from the parsed JSON document (pure; see load_gazetteer for the file)."""
    return Gazetteer(tuple(_entry(raw) for raw in data["entries"]))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer, read once on first use."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return parse_gazetteer(json.load(fh))


def find_forbund_mentions(text: str) -> list[tuple[str, int, int]]:
    """(canonical name, start, end) of each förbund or NNS named in text (strong forms)."""
    return [(m.canonical, m.start, m.end) for m in load_gazetteer().mentions(text)]


def canonical_forbund(name: str) -> str | None:
    """The canonical name of a förbund from any alias ("NVSam", "sf umeåregionen"), or None."""
    return load_gazetteer().canonical(name)


def all_forbund() -> list[str]:
    """Canonical names of every samordningsförbund (not NNS), sorted."""
    return sorted((e.name for e in load_gazetteer().entries if e.kind == FORBUND), key=str.lower)


def core_names() -> list[tuple[str, str]]:
    """(core name, canonical name) of every samordningsförbund (not NNS)."""
    return [(c, e.name) for e in load_gazetteer().entries if e.kind == FORBUND for c in e.names]


def wrapped_forbund(head: str, tails: Sequence[str]) -> tuple[str, str] | None:
    """(canonical name, surface) of the förbund named across the lines of one wrapped table
    cell: ``head`` (its first line, "Samordningsförbundet Norra") joined to the lines after it
    (``tails``, "Skaraborg"). A word broken without a hyphen ("Samordningsförb" ⏎ "undet") is
    joined when the whole word is a gazetteer word. The longest name of a förbund (not NNS)
    that begins the cell and reaches past ``head`` counts ("Anna Ek, Samordningsförbundet" ⏎
    "Falun" names a participant's förbund, not the letterhead's); else None."""
    gaz = load_gazetteer()
    text = " ".join(head.split())
    cut = len(text)
    for tail in (" ".join(t.split()) for t in tails):
        if not tail or not text:
            break
        last, first = text.rsplit(" ", 1)[-1], tail.split(" ", 1)[0]
        glued = (last + first).lower() in gaz.vocab and last.lower() not in gaz.vocab
        text = f"{text}{'' if glued else ' '}{tail}"
    found = [
        m
        for m in gaz.mentions(text)
        if m.start == 0 and cut < m.end and gaz.by_name[m.canonical].kind == FORBUND
    ]
    best = max(found, key=lambda m: m.end - m.start, default=None)
    return (best.canonical, best.surface) if best else None


def resolve_forbund(text: str) -> tuple[str, str] | None:
    """Which förbund a document belongs to, with the evidence in a short Swedish sentence
    (see ingest.ownership for the rules), or None when the text does not tell."""
    from ingest.ownership import resolve

    return resolve(text, load_gazetteer())
