"""Participants of a meeting, from the header (officers: ingest/officers.py).

Participant lists come under a role label ("Beslutande", "Tjänstgörande ersättare",
"Ersättare", "Övriga deltagande", "Närvarande", "Ledamöter") as "Name, Organisation" lines,
"Name (Organisation)", "Name, role Organisation", or flattened into one line by a converter
("Elisabet Pettersson, Sala kommun Anders Johannesson, Region Västmanland …"). Notes such as
"(kl 8.45-11.15)" or "Tjänstgörande §§42-44" are kept; a note can change the role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from corpus.model import BESLUTANDE, ERSATTARE, OVRIGA, TJANSTGORANDE_ERSATTARE, Participant
from ingest.attendance import Rows, column_kinds
from ingest.lines import NAME_TOKEN, Line, norm_space
from ingest.officers import NOT_NAME, OFFICER, ORG_TOKEN, label_pairs, role_of, take_person

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
            r"|ordinarie ledamöter|ledamöter|närvarande|present)\b",
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
_ENTRY = re.compile(
    rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{1,4}}(?=\s*[,(;]|\s*$|\s+(?:förbundschef|ordförande"
    r"|\w*sekreterare|ekonom|controller|verksamhetsledare|ledamot|ersättare)\b)"
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
# A title in a role column that makes its holder a deciding member.
_MEMBER_TITLE = re.compile(
    r"^(?:(?:förste |andre |1:e |2:e )?vice )?ordförande\b|^(?:ordinarie )?ledamot\b|^beslutande\b",
    re.I,
)
# A sentence under a list ("Samtliga ledamöter är beslutande."), not a wrapped organisation.
_SENTENCE = re.compile(r"\S\.(?:\s|$)")
PER_ROW = "per row"  # a list whose rows say each person's role (a role column)
_NOTE = re.compile(r"^(?:kl\.?\b|klockan\b|§|\d{1,2}[.:]\d{2})", re.I)


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


def participants(
    header: Sequence[Line], *, present: str = BESLUTANDE, rows: Sequence[Sequence[str]] = ()
) -> list[Participant]:
    """Everyone listed under a role label in the header, reading attendance tables by their
    cells where the file states its table ``rows`` (see ingest/attendance.py).

    ``present`` is the role of those listed as just "Närvarande" (deciding members in a
    protocol, others elsewhere). A chair named on an "Ordförande:" line right before (or
    within) the list of deciding members is one of them.
    """
    header = _rejoined(header, rows)
    out: list[Participant] = []
    role: str | None = None
    table = Rows(rows)
    columns: tuple[str, ...] | None = None  # what each column of the attendance table holds
    column_roles: tuple[str, ...] = ()  # one list per column: "Ledamöter | Ersättare"
    chair: list[Participant] = []  # named on an "Ordförande:" line, waiting for the list
    named_chair: list[Participant] = []  # ... and added to it
    for ln in header:
        t = ln.text
        row = table.cells(t)
        if row:
            cells, rest = row
            kinds = column_kinds(cells)
            if kinds:  # the column names: a list opens here, the role per row if no label
                columns, column_roles, role = kinds, (), role or PER_ROW
                continue
            labels = [role_label(c) for c in cells]
            if all(lab and not lab[1] for lab in labels):  # "Ledamöter | Ersättare"
                column_roles = tuple(lab[0] for lab in labels if lab)
                role, columns = column_roles[0], None
                continue
            if labels[0] and not labels[0][1] and not _role_first(columns):
                # "Beslutande | Name | Organisation | role": the list's label in the first cell
                role = present if labels[0][0] == BESLUTANDE and _PRESENT.match(t) else labels[0][0]
                cells, columns, column_roles = cells[1:], None, ()
            if role is not None and not labels[0] and _stops(t) and not _role_first(columns):
                role, column_roles = None, ()
                continue
            if role is not None:
                out += _row_entries(cells, rest, role, columns, column_roles, out)
                continue
        if role == PER_ROW:  # past the end of a table that gave each row its role
            role, columns = None, None
        found = role_label(t)
        if found:
            role, rest = found
            if role == BESLUTANDE and _PRESENT.match(t):
                role = present
            if role == BESLUTANDE:
                out += chair
                named_chair += chair
            chair, column_roles = [], ()
            if rest:
                out += _entries(rest, role, out)
            continue
        said = next((rest for label, rest, _ in label_pairs(t) if role_of(label) == "chair"), "")
        chair = []
        if said:  # "Ordförande: Ann Ek" (maybe with other officers on its line)
            chair = [replace(p, role=BESLUTANDE) for p in _entries(said, OVRIGA, [])]
            chair = [replace(p, note=_joined("ordförande", p.note)) for p in chair[:1]]
            if role == BESLUTANDE:
                out += chair
                named_chair += chair
                chair = []
        if role is None:
            continue
        if _stops(t):
            role, columns, column_roles = None, None, ()
            continue
        out += _entries(t, role, out)
    return _without_repeated(out, named_chair)


_CUT_FIRST = re.compile(rf",\s*{NAME_TOKEN}$")  # "…, Lena Åberg, Anders"
_REST_OF_NAME = re.compile(rf"^{NAME_TOKEN}(?: {NAME_TOKEN})?(?:\s*[,(;]|$)")  # "Nilsson, …"


def _rejoined(header: Sequence[Line], rows: Sequence[Sequence[str]] = ()) -> list[Line]:
    """``header`` with a list of names wrapped inside a name joined again: a line that ends in
    the first word of an entry ("…, Lena Åberg, Anders") and a next line that opens with the
    rest of it ("Nilsson" or "Nilsson, Sofia Ek"). The rows of a table are never joined, nor
    a line that ends in an organisation ("…, Försäkringskassan")."""
    stated = [norm_space(" ".join(cells)) for cells in rows if len(cells) >= 2]

    def is_row(text: str) -> bool:
        key = norm_space(text)
        return any(key == r or key.startswith(r + " ") for r in stated)

    out: list[Line] = []
    for ln in header:
        prev = out[-1] if out else None
        cut = _CUT_FIRST.search(prev.text) if prev is not None else None
        if (
            prev is not None
            and cut is not None
            and not ORG_TOKEN.search(cut.group().lstrip(", "))
            and cut.group().lstrip(", ") not in NOT_NAME
            and _REST_OF_NAME.match(ln.text)
            and role_label(ln.text) is None
            and not label_pairs(ln.text)
            and not is_row(prev.text)
            and not is_row(ln.text)
        ):
            out[-1] = Line(f"{prev.text} {ln.text}", prev.page, ln.last_page)
        else:
            out.append(ln)
    return out


def _row_entries(
    cells: Sequence[str],
    rest: str,
    role: str,
    columns: tuple[str, ...] | None,
    column_roles: tuple[str, ...],
    before: list[Participant],
) -> list[Participant]:
    """The people of one table row: one per column of a list-per-column table, else the row's
    person by its cells (columns named or guessed), else every entry written in its cells."""
    cells = _continued(cells, rest)
    if column_roles:
        out: list[Participant] = []
        for k, cell in enumerate(cells):
            out += _entries(cell, column_roles[min(k, len(column_roles) - 1)], before + out)
        return out
    person = _row_person(cells, columns or _guessed_columns(cells), role)
    if person:
        return [person]
    out = []
    for cell in cells:
        out += _entries(cell, BESLUTANDE if role == PER_ROW else role, before + out)
    return out


def _row_person(
    cells: Sequence[str], columns: Sequence[str | None], role: str
) -> Participant | None:
    name: str | None = None
    org: str | None = None
    roles: list[str] = []
    notes: list[str] = []
    for kind, cell in zip(columns, cells, strict=False):
        if not cell:
            continue
        if kind == "name" and name is None:
            name, glued = _split_organisation(norm_space(re.sub(r"\([^()]*\)", " ", cell)))
            if take_person(name) != name:
                return None  # not a name alone: "Name (S), Organisation, role" is read as text
            org = org or glued
            notes += re.findall(r"\(([^()]*)\)", cell)
        elif kind == "organisation" and org is None:
            org = cell
        elif kind == "role":
            roles.append(cell)
        else:
            notes.append(cell)
    if name is None:
        return None
    tail = _ROLE_AFTER_ORG.search(org) if org else None
    if org and tail:  # a role column read into the organisation's cell
        roles.append(tail.group(1))
        org = org[: tail.start()].strip() or None
    if role == PER_ROW:
        role = _role_of_title(" ".join(roles))
    note = ", ".join(roles + notes) or None
    return Participant(name, org, _role_by_note(role, note), note)


def _split_organisation(text: str) -> tuple[str, str | None]:
    """A name and the organisation a converter glued to it ("Karin Ek Försäkringskassan",
    "Leif Nordin Falun kommun")."""
    tokens = text.split()
    for k in range(2, len(tokens)):
        if ORG_TOKEN.search(tokens[k]):
            start = k - 1 if tokens[k].islower() and k > 2 else k
            return " ".join(tokens[:start]), " ".join(tokens[start:])
    return text, None


def _guessed_columns(cells: Sequence[str]) -> list[str | None]:
    """What each cell of a row without column names holds: the first name alone is the name,
    a role word the role, the first other capitalised cell the organisation."""
    out: list[str | None] = []
    for cell in cells:
        bare = _split_organisation(norm_space(re.sub(r"\([^()]*\)", " ", cell)))[0]
        if "name" not in out and take_person(bare) == bare:
            out.append("name")
        elif _ROLE_WORD.match(cell):
            out.append("role")
        elif "organisation" not in out and cell[:1].isupper():
            out.append("organisation")
        else:
            out.append("note")
    return out


def _continued(cells: Sequence[str], rest: str) -> tuple[str, ...]:
    """``cells`` with the words a converter set after the row added to the cell they continue:
    one whose last word begins a role with them ("vice" + "ordförande"), else the last."""
    if not rest:
        return tuple(cells)
    at = next(
        (k for k, c in enumerate(cells) if c and _ROLE_WORD.match(f"{c.split()[-1]} {rest}")),
        len(cells) - 1,
    )
    return tuple(f"{c} {rest}" if k == at else c for k, c in enumerate(cells))


def _role_of_title(title: str) -> str:
    """The role of a person by the title in a role column: members decide."""
    if _MEMBER_TITLE.match(title):
        return BESLUTANDE
    return _role_by_note(OVRIGA, title)


def _role_by_note(role: str, note: str | None) -> str:
    """The role as a note states it ("tjänstgörande ersättare", "ej tjänstgörande")."""
    low = (note or "").lower()
    if "ej tjänstgörande" in low:
        return ERSATTARE
    if "tjänstgörande" in low:
        return TJANSTGORANDE_ERSATTARE
    if re.search(r"\bersättare\b", low):
        return ERSATTARE
    if re.search(r"\bbeslutande\b", low):
        return BESLUTANDE
    return role


def _joined(first: str, second: str | None) -> str:
    return f"{first}, {second}" if second else first


def _role_first(columns: tuple[str, ...] | None) -> bool:
    """Whether a table's first column holds roles ("Sekreterare | Name | …" is then a row)."""
    return columns is not None and len(columns) > 0 and columns[0] == "role"


def _stops(text: str) -> bool:
    """Whether a line ends a participant list: another part of the header, an officer."""
    return bool(_LIST_STOP.match(text) or OFFICER.match(text))


def _without_repeated(people: list[Participant], chair: list[Participant]) -> list[Participant]:
    """``people`` without a chair named on an "Ordförande:" line when the list names them
    too (a person listed twice, say for two parts of a meeting, stays twice)."""
    names = {p.name for p in chair}
    listed = {p.name for p in people if p not in chair}
    return [p for p in people if not (p in chair and p.name in listed & names)]


def _entries(text: str, role: str, before: list[Participant]) -> list[Participant]:
    text = text.strip().strip(";")
    starts: list[tuple[int, int, str]] = []
    for m in _ENTRY.finditer(text):
        tokens = m.group().split()
        cut = 0
        k = 0
        while k < len(tokens):
            if ORG_TOKEN.search(tokens[k]):
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
        name, org = _split_organisation(text)
        if org and take_person(name) == name:  # "Olga Ek Nacka kommun ledamot": no commas
            return [_participant(name, org, role)]
        if (
            before
            and not _ROLE_WORD.match(text)
            and text[:1].isupper()
            and not _SENTENCE.search(text)
        ):
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
        if (
            _ROLE_WORD.match(piece)
            or _NOTE.match(piece)
            or org is not None
            or not piece[:1].isupper()
        ):
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
    role = _role_by_note(role, note)
    return Participant(norm_space(name), norm_space(org) if org else None, role, note)
