"""Participants and officers of a meeting, from the header (and the signature lines).

Participant lists come under a role label ("Beslutande", "Tjänstgörande ersättare",
"Ersättare", "Övriga deltagande", "Närvarande", "Ledamöter") as "Name, Organisation" lines,
"Name (Organisation)", "Name, role Organisation", or flattened into one line by a converter
("Elisabet Pettersson, Sala kommun Anders Johannesson, Region Västmanland …"). Notes such as
"(kl 8.45-11.15)" or "Tjänstgörande §§42-44" are kept; a note can change the role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.model import BESLUTANDE, ERSATTARE, OVRIGA, TJANSTGORANDE_ERSATTARE, Participant
from ingest.lines import NAME_TOKEN, Line, norm_space, take_name
from ingest.vocab import ADJUSTER_LABELS, CHAIR_LABELS, SECRETARY_LABELS

_ROLE_LABELS = (
    (re.compile(r"^(?:ej|icke) tjänstgörande ersättare\b", re.I), ERSATTARE),
    (re.compile(r"^tjänstgörande ersättare\b", re.I), TJANSTGORANDE_ERSATTARE),
    (re.compile(r"^(?:närvarande |övriga )?ersättare\b", re.I), ERSATTARE),
    (
        re.compile(
            r"^(?:övriga deltagande|övriga deltagare|övriga närvarande|närvarande övriga|övriga"
            r"|dessutom närvarande|närvarande tjänstepersoner|tjänstepersoner|tjänstemän"
            r"|adjungerade?|deltagare|gäster|inbjudna)\b",
            re.I,
        ),
        OVRIGA,
    ),
    (
        re.compile(
            r"^(?:beslutande(?: ledamöter)?|närvarande beslutande|närvarande ledamöter"
            r"|ordinarie ledamöter|ledamöter|närvarande)\b",
            re.I,
        ),
        BESLUTANDE,
    ),
)
_PRESENT = re.compile(r"^närvarande\b(?! (?:beslutande|ledamöter))", re.I)
_LIST_STOP = re.compile(
    r"^(?:frånvarande|plats|tid\b|datum|utses|justering|paragrafer|underskrift|anslag|organ\b"
    r"|sammanträdesdatum|innehåll|protokollet|förvaringsplats|ansvarig|sekreterare"
    r"|mötessekreterare|protokollförare|ordförande|justerare|justerande|vid protokollet|§"
    r"|minnesanteckning|anteckningar|kallelse|föredragningslista|dagordning|närvarolista)",
    re.I,
)
_LABELS = sorted((*CHAIR_LABELS, *SECRETARY_LABELS, *ADJUSTER_LABELS), key=len, reverse=True)
OFFICER = re.compile(
    r"^(?:Underskrift(?:er)?\s+)?(?P<label>"
    + "|".join(re.escape(label) for label in _LABELS)
    + r")(?![\wåäöÅÄÖ])\s*:?\s*(?P<rest>.*)$"
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
)
_ENTRY = re.compile(
    rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{1,4}}(?=\s*[,(;]|\s*$|\s+(?:förbundschef|ordförande"
    r"|\w*sekreterare|ekonom|controller|verksamhetsledare|ledamot|ersättare)\b)"
)
_ORG_TOKEN = re.compile(
    r"^(?:Region|Regionen|Landstinget|Kommun|Stad|Staden)$|(?:förbund|förbundet|kassan"
    r"|förmedlingen|kommun|regionen|landsting|landstinget|nätverket|AB)$"
)
_ROLE_WORD = re.compile(
    r"^(?:ordförande|vice ordförande|ordf\.?|förbundschef|verksamhetsledare|\w*sekreterare"
    r"|mötessekreterare|justerare|ersättare|tjänstgörande ersättare|tjänstgörande|beslutande"
    r"|ledamot|kassör|adjungerad|controller|ekonom|samordnare|utvecklingsledare|handläggare"
    r"|processledare|revisor|kanslichef|föredragande)\b",
    re.I,
)
_ROLE_AFTER_ORG = re.compile(
    r"\s+((?:vice )?ordförande|ledamot|(?:tjänstgörande )?ersättare|\w*sekreterare|förbundschef"
    r"|verksamhetsledare)$",
    re.I,
)
_NOTE = re.compile(r"^(?:kl\.?\b|klockan\b|§|\d{1,2}[.:]\d{2})", re.I)
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


def role_label(text: str) -> tuple[str, str] | None:
    """(role, rest of the line) when ``text`` opens a participant list."""
    for pattern, role in _ROLE_LABELS:
        m = pattern.match(text)
        if m:
            rest = text[m.end() :].lstrip(" :")
            if rest and not (rest[0].isupper() or rest[0] == "("):
                return None
            return role, rest
    return None


def participants(header: Sequence[Line], *, present: str = BESLUTANDE) -> list[Participant]:
    """Everyone listed under a role label in the header.

    ``present`` is the role of those listed as just "Närvarande" (deciding members in a
    protocol, others elsewhere).
    """
    out: list[Participant] = []
    role: str | None = None
    for ln in header:
        t = ln.text
        found = role_label(t)
        if found:
            role, rest = found
            if role == BESLUTANDE and _PRESENT.match(t):
                role = present
            if rest:
                out += _entries(rest, role, out)
            continue
        if role is None:
            continue
        if _LIST_STOP.match(t) or OFFICER.match(t):
            role = None
            continue
        out += _entries(t, role, out)
    return out


def _entries(text: str, role: str, before: list[Participant]) -> list[Participant]:
    text = text.strip().strip(";")
    starts: list[tuple[int, int, str]] = []
    for m in _ENTRY.finditer(text):
        tokens = m.group().split()
        cut = 0
        k = 0
        while k < len(tokens):
            if _ORG_TOKEN.search(tokens[k]):
                cut = k + (2 if tokens[k] in ("Region", "Regionen", "Landstinget") else 1)
            k += 1
        name_tokens = tokens[cut:]
        if len(name_tokens) < 2 or any(tok in NOT_NAME for tok in name_tokens):
            continue
        if cut and tokens[cut - 1].lower().startswith("samordningsförbund"):
            continue  # "Samordningsförbundet Östra Skaraborg": a förbund, not a person
        name = " ".join(name_tokens[:4])
        begin = m.start() + len(" ".join(tokens[:cut])) + (1 if cut else 0)
        starts.append((begin, m.end(), name))
    if not starts:
        if before and not _ROLE_WORD.match(text) and text[:1].isupper():
            last = before[-1]
            org = f"{last.organisation} {text}" if last.organisation else text
            before[-1] = Participant(last.name, org, last.role, last.note)
        return []
    out = []
    for k, (_begin, end, name) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        out.append(_participant(name, text[end:stop], role))
    return out


def _participant(name: str, rest: str, role: str) -> Participant:
    notes: list[str] = []
    org: str | None = None
    pieces: list[str] = []
    for paren in re.findall(r"\(([^()]*)\)", rest):
        pieces += [p.strip() for p in paren.split(",") if p.strip()]
    plain = re.sub(r"\([^()]*\)", ",", rest)
    ordered = [p.strip(" ;.") for p in plain.split(",")]
    for i, part in enumerate(p for p in ordered if p):
        m = _ROLE_WORD.match(part)
        if m:
            tail = part[m.end() :].strip()
            if tail and not _NOTE.match(tail) and org is None and tail[0].isupper():
                notes.append(part[: m.end()])
                org = tail
            else:
                notes.append(part)
        elif _NOTE.match(part) or i > 0 and org is not None:
            notes.append(part)
        elif org is None:
            org = part
        else:
            notes.append(part)
    for piece in pieces:
        if _ROLE_WORD.match(piece) or _NOTE.match(piece) or org is not None:
            notes.append(piece)
        else:
            org = piece
    role_tail = _ROLE_AFTER_ORG.search(org) if org else None
    if (
        org and role_tail
    ):  # a role column read into the organisation: "Skellefteå kommun ordförande"
        notes.append(role_tail.group(1))
        org = org[: role_tail.start()].strip() or None
    note = ", ".join(notes) if notes else None
    low = (note or "").lower()
    if "ej tjänstgörande" in low:
        role = ERSATTARE
    elif "tjänstgörande" in low:
        role = TJANSTGORANDE_ERSATTARE
    elif re.search(r"\bersättare\b", low):
        role = ERSATTARE
    elif re.search(r"\bbeslutande\b", low):
        role = BESLUTANDE
    return Participant(norm_space(name), norm_space(org) if org else None, role, note)


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
                found[_role_of(m0["label"])].append(person)
    for i, ln in enumerate(lines):
        t = ln.text
        m = OFFICER.match(t)
        if m:
            names = _names(m["rest"]) or _name_below(lines, i)
            if names:
                found[_role_of(m["label"])] += names
            continue
        for m2 in _NAME_ROLE.finditer(t):
            name = m2["name"]
            if not any(_ORG_TOKEN.search(tok) or tok in NOT_NAME for tok in name.split()):
                found[_role_of(m2["role"])].append(name)
    for a, b in _row_pairs(lines, rows):
        for name, role in zip(a, b, strict=True):
            m3 = _ROLE_CELL.match(role)
            key = m3.lastgroup if m3 else None
            if key:
                found[key].append(name)
    chair = found["chair"][0] if found["chair"] else None
    secretary = found["secretary"][0] if found["secretary"] else None
    return chair, secretary, list(dict.fromkeys(found["adjuster"]))


def _role_of(label: str) -> str:
    low = label.lower()
    if low.startswith(("ordf", "mötesordf")):
        return "chair"
    if low.startswith(tuple(s.lower() for s in SECRETARY_LABELS)):
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
