"""Officers of a meeting: chair, secretary and adjusters, from label lines, "Name, role" pairs
and signature rows (a row of names over a row of role words, in a table or as two text lines).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.lines import NAME_TOKEN, Line, take_name
from ingest.vocab import ADJUSTER_LABELS, CHAIR_LABELS, SECRETARY_LABELS, STAFF_TITLES

_LABELS = sorted((*CHAIR_LABELS, *SECRETARY_LABELS, *ADJUSTER_LABELS), key=len, reverse=True)
OFFICER = re.compile(
    r"^(?:Underskrift(?:er)?\s+|UNDERSKRIFT(?:ER)?\s+)?(?P<label>"
    + "|".join(re.escape(x) for label in _LABELS for x in (label, label.upper()))
    + r")(?![\wåäöÅÄÖ])\s*:?[\s._…·]*(?P<rest>.*)$"
)
# A signature line: dots or underscores to sign on, maybe with a value beside ("……… 45–54").
_RULE = re.compile(r"^(?=.*[._…]{3})[\s._…·\d–—-]*$")
# A row of role words under (or above) a row of signatures: "Sekreterare Ordförande Justerare".
_ROLE_CELL = re.compile(
    r"^(?:(?P<chair>ordförande|mötesordförande)|(?P<secretary>sekreterare|mötessekreterare"
    r"|protokollförare)|(?P<adjuster>justerare|justerande)|förbundschef|verksamhetsledare"
    r"|vice ordförande|ledamot)$",
    re.I,
)
_NAME_ROLE = re.compile(
    rf"(?:^|(?<=\s))(?P<name>{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}}),?\s+\(?(?P<role>"
    r"mötesordförande|ordförande|mötessekreterare|sekreterare|protokollförare|justerare"
    r"|justerande)\)?(?=\s+[A-ZÅÄÖ]|\s*$)"
    # an abbreviated role in brackets after a name in a list ("Karin Nordin (ordf.), …")
    rf"|(?:^|(?<=[\s:,;]))(?P<name2>{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}})\s+\((?P<role2>"
    r"ordf|sekr|just)\.?\)(?=[\s,;.]|$)"
)
_TITLE = re.compile(r"^(?:" + "|".join(STAFF_TITLES) + r")\s+")
# "Leif Berglind, förbundschef, förde protokollet": the one who kept the minutes is the secretary.
_KEPT_MINUTES = re.compile(
    rf"(?:^|(?<=[\s:,;]))(?P<name>{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}}),?(?:\s+[a-zåäö]+,)?"
    r"(?:\s+som)?\s+(?:förde|för) protokollet\b"
)
ORG_TOKEN = re.compile(
    r"^(?:Region|Regionen|Landstinget|Kommun|Stad|Staden)$|(?:förbund|förbundet|kassan"
    r"|förmedlingen|kommun|regionen|landsting|landstinget|nätverket|AB)$"
)
# fmt: off
NOT_NAME = frozenset((
    "Justering", "Protokollet", "Protokoll", "Sekreterare", "Ordförande", "Justerare",
    "Justerande", "Paragrafer", "Beslutande", "Ersättare", "Plats", "Tid", "Datum", "Organ",
    "Underskrifter", "Underskrift", "Anslag", "Sammanträdesdatum", "Övriga", "Utses", "Region",
    "Kommun", "Samordningsförbundet", "Styrelsen", "Förvaringsplats", "Ansvarig", "Digitalt",
    "Mötet", "Möte", "Närvarande", "Frånvarande", "Kallelse", "Minnesanteckningar",
    "Innehållsförteckning",
))
# fmt: on


def officers(
    lines: Sequence[Line], rows: Sequence[Sequence[str]] = ()
) -> tuple[str | None, str | None, list[str]]:
    """(chair, secretary, adjusters) from label lines ("Sekreterare: Ann R", a label with the
    name under a signature line), "Name, role" pairs, and signature rows: a row of names over
    (or under) a row of role words, as table ``rows`` of cells or as two text lines."""
    found: dict[str, list[str]] = {"chair": [], "secretary": [], "adjuster": []}
    for cells in rows:  # a role column beside a name column: the cells say where names end
        for k in range(len(cells) - 1):
            m0 = OFFICER.match(cells[k].strip())
            person = take_person(cells[k + 1]) if m0 and not m0["rest"] else None
            if m0 and person:
                found[role_of(m0["label"])].append(person)
    for i, ln in enumerate(lines):
        t = ln.text
        m = OFFICER.match(t)
        if m:
            names = _names(m["rest"]) or _name_below(lines, i)
            if names:
                found[role_of(m["label"])] += names
            continue
        for m4 in _KEPT_MINUTES.finditer(t):
            name = _person_beside_role(m4["name"])
            if name:
                found["secretary"].append(name)
        for m2 in _NAME_ROLE.finditer(t):
            name = _person_beside_role(m2["name"] or m2["name2"])
            if name:
                found[role_of(m2["role"] or m2["role2"])].append(name)
    for a, b in _row_pairs(lines, rows):
        for name, role in zip(a, b, strict=True):
            m3 = _ROLE_CELL.match(role)
            key = m3.lastgroup if m3 else None
            if key:
                found[key].append(name)
    chair = found["chair"][0] if found["chair"] else None
    secretary = found["secretary"][0] if found["secretary"] else None
    return chair, secretary, list(dict.fromkeys(found["adjuster"]))


def _person_beside_role(words: str) -> str | None:
    """The person's name in the capitalised words before a role ("Förbundschef Amira
    Lundmark" → "Amira Lundmark"): a staff title before it dropped; none when fewer than two
    words are left or a word is an organisation's or a label's."""
    name = _TITLE.sub("", words)
    tokens = name.split()
    if len(tokens) < 2 or any(ORG_TOKEN.search(tok) or tok in NOT_NAME for tok in tokens):
        return None
    return name


def role_of(label: str) -> str:
    low = label.lower()
    if low.startswith(("ordf", "mötesordf")):
        return "chair"
    if low.startswith(("sekr", *(s.lower() for s in SECRETARY_LABELS))):
        return "secretary"
    return "adjuster"


def _names(text: str) -> list[str]:
    return [n for n in (take_person(p) for p in re.split(r"\s+och\s+|\s*,\s*", text)) if n]


def _name_below(lines: Sequence[Line], i: int) -> list[str]:
    """The name written under a label, past the signature line(s)."""
    for j in range(i + 1, min(i + 4, len(lines))):
        t = lines[j].text
        if _RULE.match(t):
            continue
        if OFFICER.match(t):
            return []
        return _names(t)[:1]
    return []


def _row_pairs(
    lines: Sequence[Line], rows: Sequence[Sequence[str]]
) -> list[tuple[list[str], list[str]]]:
    """(names, roles) of signature rows: table rows first, else two text lines whose words
    split evenly into two-word names."""
    out: list[tuple[list[str], list[str]]] = []
    for k in range(len(rows) - 1):
        for a, b in ((rows[k], rows[k + 1]), (rows[k + 1], rows[k])):
            if len(a) == len(b) >= 2 and all(_ROLE_CELL.match(c.strip()) for c in b):
                names = [take_person(c) for c in a]
                if all(names) and all(
                    n == " ".join(c.split()) for n, c in zip(names, a, strict=True)
                ):
                    out.append(([n for n in names if n], list(b)))
    if out:
        return out
    for k in range(len(lines) - 1):
        for a, b in ((lines[k].text, lines[k + 1].text), (lines[k + 1].text, lines[k].text)):
            roles = b.split()
            words = a.split()
            if len(roles) < 2 or not all(_ROLE_CELL.match(r) for r in roles):
                continue
            if len(words) != 2 * len(roles):
                continue
            names = [take_person(" ".join(words[2 * n : 2 * n + 2])) for n in range(len(roles))]
            if all(names):
                out.append(([n for n in names if n], roles))
    return out


def take_person(text: str) -> str | None:
    """The name at the start of ``text`` unless it is a label or organisation word."""
    name = take_name(text)
    if name is None or any(tok in NOT_NAME for tok in name.split()):
        return None
    return name
