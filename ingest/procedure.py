"""How a board reached its decision on an item, read from the item's text: a vote, a member's
reservation, a note to the minutes, a conflict of interest (corpus.model.PROCEDURES).

Protocols record these in fixed wordings, under headings of their own or in a sentence:
"Omröstning begärs och verkställs", "Ordföranden ställer förbundschefens förslag mot Agnetas
yrkande", "med 5 röster mot 3"; "Reservation: Leila Hamdan (S) reserverar sig mot beslutet";
"Protokollsanteckning", "antecknar till protokollet"; "anmäler jäv", "deltar inte i
handläggningen". A sentence that says there was none ("Inga reservationer anmäldes", "utan
omröstning") records nothing. Pure functions of the text.
"""

from __future__ import annotations

import re

_NONE = r"(?<!\w)(?:ingen|inga|inget|utan)\s+(?:\w+\s+){0,2}?"  # "Ingen anmälde jäv"
_NONE_AFTER = r"\s*[:–-]?\s*(?:ingen|inga|inget)\b"  # "Reservation: ingen"
_PATTERNS = {
    "vote": (
        r"omröstning\w*|votering\w*|röstsiffr\w*|utslagsröst\w*|(?:ja|nej)-?röst\w*"
        r"|\d+\s+röster\s+mot\s+\d+|propositionsordning\w*"
        # the members' votes, not a board's position ("Styrelsen röstar nej till NNS förslag")
        r"|(?:den|de)\s+som\s+[^.]{0,100}?röstar\s+(?:ja|nej)\b"
        # the chair puts one proposal against another: "ställer förslaget mot X:s yrkande",
        # "ställer proposition på förbundschefens förslag mot Leilas yrkande"
        r"|ställer\s+(?:proposition\s+på\s+)?[^.]{0,80}?\bmot\s+[^.]{0,60}?yrkande"
    ),
    "reservation": r"reserverar\s+sig|reserverade\s+sig|reservation(?:er|en|erna)?\b",
    "note": r"protokollsanteckning\w*|anteckna[rst]?\s+(?:\w+\s+){0,3}?till\s+protokollet",
    "conflict": r"jävig\w*|jäv\b|deltar\s+inte\s+i\s+(?:handläggningen|beslutet|behandlingen)",
}
# The words a protocol records each procedure with, for finding the items that may hold one
# (the patterns above then decide): a search's extra run when a query asks for a procedure.
WORDS = {
    "vote": "omröstning votering röster propositionsordning proposition yrkande",
    "reservation": "reservation reserverar reserverade",
    "note": "protokollsanteckning antecknar protokollet",
    "conflict": "jäv jävig handläggningen",
}
_FOUND = {name: re.compile(rf"(?<!\w)(?:{p})", re.I) for name, p in _PATTERNS.items()}
_DENIED = {name: re.compile(rf"{_NONE}(?:{p})", re.I) for name, p in _PATTERNS.items()}
_DENIED_AFTER = {name: re.compile(rf"(?:{p}){_NONE_AFTER}", re.I) for name, p in _PATTERNS.items()}


def procedures(text: str) -> frozenset[str]:
    """The procedures (corpus.model.PROCEDURES) an item's text records."""
    text = " ".join(text.split())
    out = set()
    for name, found in _FOUND.items():
        denied = {m.end() for m in _DENIED[name].finditer(text)}
        denied_after = {m.start() for m in _DENIED_AFTER[name].finditer(text)}
        if any(
            m.end() not in denied and m.start() not in denied_after for m in found.finditer(text)
        ):
            out.add(name)
    return frozenset(out)
