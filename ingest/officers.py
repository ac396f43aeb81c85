"""Officers of a meeting: chair, secretary and adjusters, from label lines (one or several
labels to a line, a name after a signature rule), "Name, role" pairs, table rows with a role
cell, and signature rows (a row of names over a row of role words, in a table or as two text
lines).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.attendance import Rows
from ingest.lines import NAME_TOKEN, NAME_TOKEN_RE, Line, take_name
from ingest.vocab import ADJUSTER_LABELS, CHAIR_LABELS, SECRETARY_LABELS, STAFF_TITLES

_LABELS = sorted((*CHAIR_LABELS, *SECRETARY_LABELS, *ADJUSTER_LABELS), key=len, reverse=True)
_LABEL = "|".join(re.escape(x) for label in _LABELS for x in (label, label.upper()))
OFFICER = re.compile(
    r"^(?:Underskrift(?:er)?\s+|UNDERSKRIFT(?:ER)?\s+)?(?P<label>"
    + _LABEL
    + r")(?![\wåäöÅÄÖ])(?P<sep>\s*:?[\s._…·]*)(?P<rest>.*)$"
)
# A further label on a line of them ("Ordförande: Ann Ek Sekreterare: Bo Alm Justerare: …").
# An officer's label with its colon after a field of the same line ("Datum: 2025-10-02.
# Ordförande: …"; "Plats: Ljungby; Sekreterare: …")
_FIELD_LABEL = re.compile(r"(?<=[.;]\s)(?:" + _LABEL + r")\s*:")
_NEXT_LABEL = re.compile(r"(?<=\s)(?P<label>" + _LABEL + r")(?![\wåäöÅÄÖ])(?P<sep>\s*:?[\s._…·]*)")
# Role words alone, the row under (or over) the names it pairs with: "Sekreterare Ordförande".
ROLES_ROW = re.compile(r"^(?:(?:" + _LABEL + r")(?![\wåäöÅÄÖ])\s*){2,}$")
NAME_CHARS = 80  # a name after a label is within this many characters
_RULED = re.compile(r"[._…]{3}")  # a rule to sign on between a label and its name
# A signature line: dots or underscores to sign on, maybe with a value beside ("……… 45–54",
# "……… §§ 15–21" where the paragraphs signed for stand in the next cell).
_RULE = re.compile(r"^(?=.*[._…]{3})[\s._…·\d–—§-]*$")
# A row of role words under (or above) a row of signatures: "Sekreterare Ordförande Justerare".
_ROLE_CELL = re.compile(
    r"^(?:(?P<chair>ordförande|mötesordförande|chair|chairperson)|(?P<secretary>sekreterare"
    r"|mötessekreterare|protokollförare|secretary)|(?P<adjuster>justerare|justerande|verifier)"
    r"|förbundschef|verksamhetsledare|vice ordförande|ledamot)$",
    re.I,
)
_NAME_ROLE = re.compile(
    rf"(?:^|(?<=\s))(?P<name>{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}})(?<!Vice),?\s+\(?(?P<role>"
    r"mötesordförande|ordförande|mötessekreterare|sekreterare|protokollförare|justerare"
    r"|justerande|chair|secretary)\)?(?=\s+[A-ZÅÄÖ]|\s*$)"
    # an abbreviated role after a comma in a running list ("Eva Klint, ordf., Per Lindvall,
    # vice ordf., …"; "Karl Bonde, förbundschef, sekr."), maybe after the person's title
    rf"|(?:^|(?<=[\s:;]))(?P<name3>{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}}),\s+"
    r"(?:[a-zåäö]+,\s+)?(?P<role3>ordf|sekr|just)\.(?=\s*[,;]|\s+[A-ZÅÄÖ]|\s*$)"
    # an abbreviated role in brackets after a name in a list ("Karin Nordin (ordf.), …"), maybe
    # after the person's title ("Ebba Mårtensson (förbundschef, sekr.)")
    rf"|(?:^|(?<=[\s:,;]))(?P<name2>{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}})\s+\("
    r"(?:[a-zåäö]+,\s*)?(?P<role2>ordf|sekr|just)\.?\)(?=[\s,;.]|$)"
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
    table = Rows(rows)
    for i, ln in enumerate(lines):
        t = ln.text
        pairs = label_pairs(t)
        for k, (label, rest, ruled) in enumerate(pairs):
            names = _names(rest)
            if not names and k == len(pairs) - 1:  # the last label's name may be under it
                names = _name_wrapped(rest, lines, i) if ruled else _name_below(lines, i)
            found[role_of(label)] += names
        if pairs:
            continue
        row = table.cells(t)
        held = _row_officer(row[0]) if row else _name_then_roles(t)
        if held:  # "Ann Ek | Förbundschef, sekreterare": the cells say where the name ends
            found[held[0]].append(held[1])
            continue
        for m4 in _KEPT_MINUTES.finditer(t):
            name = _person_beside_role(m4["name"])
            if name:
                found["secretary"].append(name)
        for m2 in _NAME_ROLE.finditer(t):
            name = _person_beside_role(m2["name"] or m2["name2"] or m2["name3"])
            if name:
                found[role_of(m2["role"] or m2["role2"] or m2["role3"])].append(name)
    for a, b in _row_pairs(lines, rows):
        for name, role in zip(a, b, strict=True):
            m3 = _ROLE_CELL.match(role)
            key = m3.lastgroup if m3 else None
            if key:
                found[key].append(name)
    chair = found["chair"][0] if found["chair"] else None
    secretary = found["secretary"][0] if found["secretary"] else None
    return chair, secretary, list(dict.fromkeys(found["adjuster"]))


def label_pairs(text: str) -> list[tuple[str, str, bool]]:
    """(label, what follows it, whether a signature rule does) for each officer label of a
    line that opens with one: "Ordförande: Ann Ek Sekreterare: Bo Alm Justerare:" gives
    ("Ordförande", "Ann Ek"), ("Sekreterare", "Bo Alm") and ("Justerare", ""). A later label
    counts where a colon, a rule, a name or the line's end follows it. A line of fields that
    opens with another ("Datum: 2025-10-02. Ordförande: Eva Berg. Sekreterare: Tor Lund.") is
    read from its first officer label with a colon after a sentence's end; none for other
    lines."""
    m = OFFICER.match(text)
    if not m and (later := _FIELD_LABEL.search(text)) is not None:
        return label_pairs(text[later.start() :])
    if not m or ROLES_ROW.match(text):
        return []
    out: list[tuple[str, str, bool]] = []
    label, sep, start = m["label"], m["sep"], m.start("rest")
    for nxt in _NEXT_LABEL.finditer(text, start):
        after = text[nxt.end() :]
        said = ":" in nxt["sep"] or _RULED.search(nxt["sep"]) or take_person(after[:NAME_CHARS])
        if not (said or not after.strip()):
            continue
        out.append((label, text[start : nxt.start()].strip(), bool(_RULED.search(sep))))
        label, sep, start = nxt["label"], nxt["sep"], nxt.end()
    out.append((label, text[start:].strip(), bool(_RULED.search(sep))))
    return out


def _row_officer(cells: Sequence[str]) -> tuple[str, str] | None:
    """(role, name) of a table row with one cell naming a person and one whose role list
    holds an officer's role ("Ann Ek | Förbundschef, sekreterare"), else None."""
    bare = [" ".join(re.sub(r"\([^()]*\)", " ", c).split()) for c in cells]  # "Ann Ek (S)"
    people = [b for b in bare if take_person(b) == b and _person_beside_role(b) == b]
    if len(people) != 1:
        return None
    for cell in cells:
        for part in re.split(r"\s*[,;/()]\s*", cell):
            m = _ROLE_CELL.match(part.strip())
            key = m.lastgroup if m else None
            if key:
                return key, people[0]
    return None


def _name_then_roles(line: str) -> tuple[str, str] | None:
    """(role, name) of a line that is a person's name and then their roles alone, a name and a
    role set side by side as fields of a list of attendees, the role capitalised ("Anders
    Sjölund Ordförande", "Robert Näslund Ledamot, justerare"); None for another line ("Eva
    Westin Vice ordförande" holds no officer's role; "Ann Ek Förbundet förbundschef,
    sekreterare" is a table row whose cells are lost)."""
    tokens = line.split()
    for k in range(2, min(5, len(tokens))):
        name = " ".join(tokens[:k])
        if not all(NAME_TOKEN_RE.match(tok) for tok in tokens[:k]):
            return None
        if not tokens[k][0].isupper():  # a role of its own field is capitalised
            continue
        parts = [x.strip() for x in re.split(r"\s*[,;/]\s*", " ".join(tokens[k:]))]
        roles = [_ROLE_CELL.match(x) for x in parts]
        if all(roles) and _person_beside_role(name) == name:
            key = next((m.lastgroup for m in roles if m and m.lastgroup), None)
            return (key, name) if key else None
    return None


def _person_beside_role(words: str) -> str | None:
    """The person's name in the capitalised words before a role ("Förbundschef Amira
    Lundmark" → "Amira Lundmark", "Amira Lundmark Förbundschef" → "Amira Lundmark"): a staff
    title before or after it dropped; none when fewer than two words are left or a word is an
    organisation's or a label's."""
    name = _TITLE.sub("", words)
    tokens = name.split()
    if tokens and tokens[-1] in STAFF_TITLES:  # "Name Förbundschef, sekreterare": a role column
        tokens = tokens[:-1]
        name = " ".join(tokens)
    if len(tokens) < 2 or any(ORG_TOKEN.search(tok) or tok in NOT_NAME for tok in tokens):
        return None
    return name


def role_of(label: str) -> str:
    low = label.lower()
    if low.startswith(("ordf", "mötesordf", *(c.lower() for c in CHAIR_LABELS))):
        return "chair"
    if low.startswith(("sekr", *(s.lower() for s in SECRETARY_LABELS))):
        return "secretary"
    return "adjuster"


def _names(text: str) -> list[str]:
    return [n for n in (take_person(p) for p in re.split(r"\s+och\s+|\s*,\s*", text)) if n]


def _name_wrapped(rest: str, lines: Sequence[Line], i: int) -> list[str]:
    """The name signed for in a narrow cell, broken at the line's end: "Sekreterare ____
    Jonas" over "Pettersson Paragrafer 32–38"; else the name under the label."""
    first = rest.strip()
    if i + 1 < len(lines) and NAME_TOKEN_RE.match(first) and first not in NOT_NAME:
        below = lines[i + 1].text
        joined = [] if OFFICER.match(below) else _names(f"{first} {below}")[:1]
        if joined:
            return joined
    return _name_below(lines, i)


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
    """The name at the start of ``text`` up to a label word ("Anders Wiklund Paragrafer 21–25"
    → "Anders Wiklund"); none when it starts with one or has fewer than two words."""
    name = take_name(text)
    if name is None:
        return None
    tokens = name.split()
    cut = next((k for k, tok in enumerate(tokens) if tok in NOT_NAME), len(tokens))
    return " ".join(tokens[:cut]) if cut >= 2 else None
