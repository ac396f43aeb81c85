"""Organisations in text with spaCy: ``spacy.blank("sv")`` plus an EntityRuler.

The ruler's patterns come from the gazetteer (every förbund and NNS, with genitive forms) and
from rules for the other Finsam parties: Försäkringskassan, Arbetsförmedlingen, the regions,
"X kommun", Länsstyrelsen, KPMG, SKR, Nationella rådet. Each entity carries its canonical
name as the pattern id (or is canonicalised from its text).

Speed (measured on the samples): spaCy's Swedish tokenizer costs ~8 ms per 1,000 words and
spaCy's token Matcher ~1 µs per token, too slow for ingest. So (1) a regex
pre-filter finds the few places where an organisation can be named, and only windows around
them are matched; (2) the blank pipeline gets a plain regex tokenizer (keeping
"Skellefteå-Norsjö", "NNS:s" whole); (3) the main ruler holds phrase patterns only (names and
abbreviations; an abbreviation must then match case-sensitively: "VärNa", not "värna"); the
token rules ("X kommun", "Länsstyrelsen i X län") live in a second ruler that sees only the
few words before "kommun"/"stad" and after "Länsstyrelsen". Built on first use, cached.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ingest.gazetteer import load_gazetteer, surface_forms
from ingest.lines import merge_word_spans

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

ORG = "ORG"
ABBR = "ABBR"  # an abbreviation: kept only when its case matches exactly
FORBUND_BEFORE, FORBUND_AFTER = 45, 80  # characters kept around "samordningsförbund"
RULE_WINDOW = 32  # characters kept around other trigger words (on the side names reach)
_SEPARATOR = " ¶ "

FORSAKRINGSKASSAN = "Försäkringskassan"
ARBETSFORMEDLINGEN = "Arbetsförmedlingen"
SKR = "SKR"
REGIONS = (
    "Region Stockholm", "Region Uppsala", "Region Sörmland", "Region Östergötland",
    "Region Jönköpings län", "Region Kronoberg", "Region Kalmar län", "Region Gotland",
    "Region Blekinge", "Region Skåne", "Region Halland", "Region Värmland", "Region Örebro län",
    "Region Västmanland", "Region Dalarna", "Region Gävleborg", "Region Västernorrland",
    "Region Jämtland Härjedalen", "Region Västerbotten", "Region Norrbotten",
)  # fmt: skip
# phrase (matched case-insensitively, also with genitive -s) -> canonical name
_PHRASES = {
    "Försäkringskassan": FORSAKRINGSKASSAN,
    "Arbetsförmedlingen": ARBETSFORMEDLINGEN,
    "Västra Götalandsregionen": "Västra Götalandsregionen",
    "Regionstyrelsen": "Regionstyrelsen",
    "Sveriges Kommuner och Regioner": SKR,
    "Sveriges Kommuner och Landsting": SKR,
    "Nationella rådet": "Nationella rådet för finansiell samordning",
    "Nationella rådet för finansiell samordning": "Nationella rådet för finansiell samordning",
    "ESF-rådet": "Svenska ESF-rådet",
    "Svenska ESF-rådet": "Svenska ESF-rådet",
    **{r: r for r in REGIONS},
    **{f"Landstinget i {r.removeprefix('Region ')}": r for r in REGIONS},
}
# case-sensitive abbreviations -> canonical name (the gazetteer adds the förbund ones)
_ABBREVIATIONS = {
    "FK": FORSAKRINGSKASSAN, "Fk": FORSAKRINGSKASSAN, "AF": ARBETSFORMEDLINGEN,
    "Af": ARBETSFORMEDLINGEN, "KPMG": "KPMG", "SKR": SKR, "SKL": SKR,
}  # fmt: skip
# capitalised words that are not a kommun's name in "Varje kommun", "Berörd kommun" …
_NOT_KOMMUN = ["varje", "denna", "den", "det", "din", "er", "vår", "egen", "annan", "samma",
               "respektive", "berörd", "berörda", "aktuell", "vilken", "ingen", "någon", "en",
               "ett", "alla", "samtliga", "övriga", "viss", "lokal", "ny", "stor", "liten",
               "per", "sin", "hela", "vald", "enskild", "större", "mindre", "inom", "i", "för",
               "till", "från", "med", "hos", "av", "och", "mellan", "region"]  # fmt: skip
_KOMMUN_PREFIX = ["upplands", "lilla", "östra", "övre", "norra", "södra", "västra"]

# Trigger words, found with str.find on lower-cased text (much faster than one regex):
# (word, needs a word start, needs a word end, kind); "rule" windows feed the token rules
_TRIGGERS = (
    ("samordningsförbund", False, False, "forbund"), ("finsam", True, False, "forbund"),
    ("nätverket", True, False, "name"), ("försäk", True, False, "name"),
    ("arbetsförmedl", True, False, "name"), ("region", False, False, "name"),
    ("landsting", True, False, "name"), ("sveriges kommuner", True, False, "name"),
    ("nationella rådet", True, False, "name"), ("esf-rådet", False, False, "name"),
    ("länsstyrelse", True, False, "lans"), ("kommun", False, True, "rule"),
    ("stad", True, True, "rule"),
)  # fmt: skip
_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(?=[a-zåäö])")  # "Försäk-\nringskassan"
_JOINING = re.compile(r"(?<=\w)[–/](?=\w)")  # "Kävlinge–Lomma", "Härnösand/Timrå"


def _genitive(text: str) -> str:
    return text if text.endswith(("s", "x", "z")) else text + "s"


def _phrase_patterns() -> list[dict[str, Any]]:
    """Names matched case-insensitively (with genitive forms), each with its canonical id."""
    pats: list[dict[str, Any]] = []
    for e in load_gazetteer().entries:
        ci, cs = surface_forms(e)
        for form in ci + [f for f in cs if " " in f]:  # "SF Umeåregionen", "NNV Skåne"
            for f in {form, _genitive(form)}:
                pats.append({"label": ORG, "pattern": f, "id": e.name})
    for phrase, canonical in _PHRASES.items():
        for f in {phrase, _genitive(phrase)}:
            pats.append({"label": ORG, "pattern": f, "id": canonical})
    for abbr, canonical in _abbreviations().items():
        if canonical:
            pats.append({"label": ABBR, "pattern": abbr, "id": canonical})
    return pats


def _rule_patterns() -> list[dict[str, Any]]:
    """Token rules: "Sala kommun", "Norbergs kommun", "Upplands Väsby kommun", "Västerås stad",
    "Länsstyrelsen i Västmanlands län"."""
    name = {"IS_TITLE": True, "LOWER": {"NOT_IN": _NOT_KOMMUN}}
    pats: list[dict[str, Any]] = []
    for word in ("kommun", "stad"):
        pats.append({"label": ORG, "pattern": [name, {"LOWER": word}]})
        prefix = {"LOWER": {"IN": _KOMMUN_PREFIX}}
        pats.append({"label": ORG, "pattern": [prefix, name, {"LOWER": word}]})
    lans = {"LOWER": {"IN": ["länsstyrelsen", "länsstyrelsens"]}}
    pats.append({"label": ORG, "pattern": [lans], "id": "Länsstyrelsen"})
    pats.append({"label": ORG, "pattern": [lans, {"LOWER": "i"}, name, {"LOWER": "län"}]})
    return pats


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """Case-sensitive one-word abbreviations (also with ":s") -> canonical name."""
    out = dict(_ABBREVIATIONS)
    for e in load_gazetteer().entries:
        out.update({a: e.name for a in e.abbreviations if " " not in a})
    out.update({f"{a}:s": name for a, name in list(out.items())})
    out["SF"] = ""  # a trigger for "SF Umeåregionen" (a phrase pattern), never an entity
    return out


@lru_cache(maxsize=1)
def _abbreviation_triggers() -> tuple[str, ...]:
    """Case-sensitive words that start an abbreviation ("NNS", "SF", "NNV" of "NNV Skåne")."""
    words = {a for a in _abbreviations() if ":" not in a}  # "NNS:s" is found as "NNS"
    words |= {a.split()[0] for e in load_gazetteer().entries for a in e.abbreviations}
    return tuple(sorted(words))


class _Tokenizer:
    """Words ("Skellefteå-Norsjö", "NNS:s", "Dals-Eds" whole) and single punctuation marks."""

    _WORD = re.compile(r"(\w+(?:[-:]\w+)*|[^\w\s])(\s?)")

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Any:
        from spacy.tokens import Doc

        pairs = self._WORD.findall(text)
        return Doc(self.vocab, words=[w for w, _ in pairs], spaces=[bool(s) for _, s in pairs])


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """spacy.blank("sv") with two EntityRulers: "org_names" (phrase patterns from the
    gazetteer and the fixed names) and "org_rules" (token rules). Built once."""
    import spacy
    from spacy import attrs

    nlp = spacy.blank("sv")
    nlp.tokenizer = _Tokenizer(nlp.vocab)
    # only the lexical attributes the patterns use: every unseen word costs their computation
    keep = {attrs.LOWER, attrs.NORM, attrs.IS_TITLE, attrs.IS_SPACE, attrs.IS_PUNCT}
    vocab: Any = nlp.vocab
    vocab.lex_attr_getters = {k: v for k, v in vocab.lex_attr_getters.items() if k in keep}
    config = {"phrase_matcher_attr": "LOWER", "validate": False}
    names = nlp.add_pipe("entity_ruler", name="org_names", config=config)
    names.add_patterns(_phrase_patterns())  # type: ignore[attr-defined]
    rules = nlp.add_pipe("entity_ruler", name="org_rules", config=config)
    rules.add_patterns(_rule_patterns())  # type: ignore[attr-defined]
    return nlp


_Windows = tuple[str, list[int], list[int]]  # joined text, window starts there and in the source


def _find_all(text: str, word: str, start_bound: bool, end_bound: bool) -> list[int]:
    """Start positions of word in text (with word boundaries where asked)."""
    out, i = [], text.find(word)
    while i >= 0:
        j = i + len(word)
        if not (start_bound and i > 0 and text[i - 1].isalnum()) and not (
            end_bound and j < len(text) and text[j].isalnum()
        ):
            out.append(i)
        i = text.find(word, j)
    return out


def _windows(text: str) -> tuple[_Windows, _Windows]:
    """(windows around names, windows around rule words) of text."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer would shift positions
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    names: list[tuple[int, int]] = []
    rules: list[tuple[int, int]] = []
    for word, start_bound, end_bound, kind in _TRIGGERS:
        for i in _find_all(lower, word, start_bound, end_bound):
            j = i + len(word)
            if kind == "rule":
                rules.append((i - RULE_WINDOW, j))
                continue
            if kind == "lans":
                rules.append((i, j + RULE_WINDOW))
            elif kind == "forbund":  # "Centrala Östergötlands Samordningsförbund", "… X och Y"
                names.append((i - FORBUND_BEFORE, j + FORBUND_AFTER))
            else:  # "Nationella Nätverket för …", "Västra Götalandsregionen", "Region X län"
                names.append((i - RULE_WINDOW, j + RULE_WINDOW))
    for abbr in _abbreviation_triggers():
        names += [(i, i + len(abbr) + RULE_WINDOW) for i in _find_all(text, abbr, True, True)]
    return _join(text, names), _join(text, rules)


def _join(text: str, spans: list[tuple[int, int]]) -> _Windows:
    """Merged windows (widened to whole words), whitespace-normalised, joined by a separator
    that no pattern crosses."""
    merged = merge_word_spans(text, spans)
    parts, starts, pos = [], [], 0
    for a, b in merged:
        part = text[a:b]
        if "-" in part:
            part = _HYPHEN_BREAK.sub(r"\1", part)
        if "–" in part or "/" in part:
            part = _JOINING.sub("-", part)
        part = " ".join(part.split())
        parts.append(part)
        starts.append(pos)
        pos += len(part) + len(_SEPARATOR)
    return _SEPARATOR.join(parts), starts, [a for a, _ in merged]


def _canonical(ent: Any) -> str | None:
    if ent.label_ == ABBR:
        return _abbreviations().get(ent.text)  # "värna" (a verb) is not "VärNa"
    if ent.ent_id_:
        return str(ent.ent_id_)
    words = ent.text.split()
    return " ".join([*words[:-1], words[-1].lower()])  # "Fagersta Kommun" -> "Fagersta kommun"


def organisations(text: str) -> tuple[str, ...]:
    """Canonical names of the organisations in text, each once, in order of first mention."""
    found: list[tuple[int, int, str]] = []
    nlp = pipeline()
    for (joined, starts, sources), ruler in zip(
        _windows(text), ("org_names", "org_rules"), strict=True
    ):
        if not joined:
            continue
        for ent in nlp.get_pipe(ruler)(nlp.make_doc(joined)).ents:
            w = bisect_right(starts, ent.start_char) - 1
            at = ent.start_char - starts[w]
            names = [(at, _canonical(ent))]
            if ent.text.lower().startswith("samordningsförbunden"):  # "… X, Y och Z"
                tail = joined[ent.start_char : ent.end_char + FORBUND_AFTER].split(_SEPARATOR)[0]
                names += [(at + m.start, m.canonical) for m in load_gazetteer().mentions(tail)]
            found += [(sources[w], pos, c) for pos, c in names if c]
    return tuple(dict.fromkeys(c for *_, c in sorted(found)))
