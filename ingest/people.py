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
OFFICER = re.compile(
    r"^(?P<label>Mötesordförande|Ordförande|Ordf\.|Sekreterare|Mötessekreterare|Protokollförare"
    r"|Justerare|Justerande|Justeringspersoner|Justeringsperson|Justeras av|Justeras"
    r"|Vid protokollet|Utses att justera)\b\s*:?\s*(?P<rest>.*)$"
)
_NAME_ROLE = re.compile(
    rf"^(?P<name>{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}}),?\s+\(?(?P<role>mötesordförande|ordförande"
    r"|mötessekreterare|sekreterare|protokollförare|justerare|justerande)\)?\s*$"
)
_ENTRY = re.compile(rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{1,4}}(?=\s*[,(;]|\s*$)")
_ORG_TOKEN = re.compile(
    r"^(?:Region|Regionen|Landstinget|Kommun|Stad|Staden)$|(?:förbund|förbundet|kassan"
    r"|förmedlingen|kommun|regionen|landsting|landstinget|nätverket|AB)$"
)
_ROLE_WORD = re.compile(
    r"^(?:ordförande|vice ordförande|ordf\.?|förbundschef|verksamhetsledare|sekreterare"
    r"|mötessekreterare|justerare|ersättare|tjänstgörande ersättare|tjänstgörande|beslutande"
    r"|ledamot|kassör|adjungerad|controller|ekonom|samordnare|utvecklingsledare|handläggare"
    r"|processledare|revisor|kanslichef|föredragande)\b",
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


def officers(lines: Sequence[Line]) -> tuple[str | None, str | None, list[str]]:
    """(chair, secretary, adjusters) from label lines ("Sekreterare Ann R") or "Name, role"."""
    chair: str | None = None
    secretary: str | None = None
    adjusters: list[str] = []
    for i, ln in enumerate(lines):
        t = ln.text
        m = OFFICER.match(t)
        if m:
            label = m["label"].lower()
            rest = m["rest"]
            if not rest and i + 1 < len(lines) and not OFFICER.match(lines[i + 1].text):
                rest = lines[i + 1].text
            names = [n for n in (take_person(p) for p in re.split(r"\s+och\s+|\s*,\s*", rest)) if n]
            if not names:
                continue
            if label.startswith(("ordf", "mötesordf")):
                chair = chair or names[0]
            elif label.startswith(("sekr", "mötessekr", "protokollf", "vid prot")):
                secretary = secretary or names[0]
            else:
                adjusters += [n for n in names if n not in adjusters]
            continue
        m2 = _NAME_ROLE.match(t)
        if m2:
            role, name = m2["role"].lower(), m2["name"]
            if role.endswith("ordförande"):
                chair = chair or name
            elif role.startswith(("mötessekr", "sekr", "protokollf")):
                secretary = secretary or name
            elif name not in adjusters:
                adjusters.append(name)
    return chair, secretary, adjusters


def take_person(text: str) -> str | None:
    """The name at the start of ``text`` unless it is a label or organisation word."""
    name = take_name(text)
    if name is None or any(tok in NOT_NAME for tok in name.split()):
        return None
    return name
