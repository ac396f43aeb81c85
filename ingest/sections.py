"""Heading-based sections (notes, attachments) and where the attachments of a notice begin.

A heading is a short line that is not a sentence, a list item, a label/value pair, a name or a
table row, and that is directly followed by body text. Consecutive headings ("Tidiga insatser"
then "Hikikomori") make one section titled by the last, the earlier ones opening its body.
Short headings of the groups of a bulleted list opened by a line ending in ":" ("Händelser
under året:" / "Processen mot länsförbund" / "• …" / "Arbetsmarknaden" / "• …") are part of
the list, not sections (`list_subheadings`).

Attachments ("bilagor") follow the agenda or protocol. A new attachment starts where a page
opens like a separate document (a lone date line before a title, a letter's "Angående …"
subject) or where a memo header appears ("Avser punkt …", "Föredragande:", "Dnr …").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from corpus.model import SEKTION, Item
from ingest.clauses import COPY, DECISION_HEAD, HANDLING, PROPOSAL_HEAD, parts
from ingest.items import clean_title, finish_item, split_title
from ingest.lines import (
    BLOCK_LABEL,
    DECISION_INTRO,
    FUNCTION_WORDS,
    ISO_DATE,
    NUMBERED,
    REFERENCE,
    Line,
    ends_sentence,
    is_list_item,
    is_name,
)
from ingest.vocab import ADJUSTER_LABELS, CHAIR_LABELS, MONTH, SECRETARY_LABELS

_ROLE_WORD = re.compile(
    r"^(?:ordförande|vice ordförande|kassör|sekreterare|förbundschef|verksamhetsledare|ledamot"
    r"|ersättare|justerare|föredragande|handläggare|revisor|kanslichef|ekonom|samordnare)$",
    re.I,
)
KIND_WORD = re.compile(
    r"^(?:minnesanteckning\w*|anteckningar\w*|protokoll\w*|sammanträdesprotokoll|kallelse\w*"
    r"|föredragningslista\w*|dagordning)\b",
    re.I,
)
MEMO_LINE = re.compile(
    r"^(?:Avser punkt|Föredragande\s*:|Dnr\b|Diarienr|Diarienummer|Ärendenummer|Handläggare\s*:"
    r"|Tjänsteskrivelse\b|Missiv\b|Datum\s*:|Till\s*:|Från\s*:|Mottagare\s*:)",
    re.I,
)
# An attachment's heading ("Bilaga 1 till protokoll 2025-05-21, § 34", "Bilaga A – Riktlinjer
# för insatser", "Bilaga 2"): at the top of a page after the items, a separate document.
ATTACHMENT_HEAD = re.compile(
    r"^(?:Bilaga|BILAGA|Bil\.)\s+(?:\d{1,2}|[A-Z])\b(?:\s*(?:[:–-]|till\b).{0,100})?$"
)
SUBJECT = re.compile(r"^(?:Angående|Ang\.|Ang:|Ärende:|Rubrik:|Gäller:)\s*\S", re.I)
DATE_ONLY = re.compile(
    rf"^(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}} {MONTH} \d{{4}})$",
    re.I,
)
_CLOSING = re.compile(r"\b(?:avslutande|avslutning|avslutas)\b", re.I)
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖ]")
MAX_HEADING_WORDS = 12
_NUMERIC = re.compile(r"^[-+−]?\d[\d.,%]*$")
# fmt: off
_VERBS = frozenset((
    "är", "var", "har", "hade", "ska", "skall", "kommer", "kan", "blir", "skulle", "finns",
    "fanns",
))
# fmt: on


def part_heading(text: str) -> bool:
    """A heading of a part of an item ("Beslut", "Förslag till beslut", "Beslutsunderlag",
    "Kopia till") or a decision's lead-in ("Styrelsen beslutar"), bold as it may be: it never
    opens a section of its own."""
    return bool(
        DECISION_HEAD.match(text)
        or PROPOSAL_HEAD.match(text)
        or HANDLING.match(text)
        or COPY.match(text)
        or BLOCK_LABEL.match(text)
        or DECISION_INTRO.search(text)
    )


def heading_like(text: str) -> bool:
    """A line that could be a heading (not yet knowing what follows it)."""
    if len(text) > 100 or text[-1] in ".,;:!?" or ", " in text or ": " in text or " / " in text:
        return False
    if MEMO_LINE.match(text) or (". " in text and not _NUMBERED_HEADING.match(text)):
        return False
    first = text[0]
    if first.isdigit():
        if not _NUMBERED_HEADING.match(text) or len(text.split()) > 9:
            return False
    elif not first.isupper() or is_list_item(text):
        return False
    n_words = len(text.split())
    if n_words > MAX_HEADING_WORDS or "http" in text or "www." in text:
        return False
    if DATE_ONLY.match(text) or _ROLE_WORD.match(text) or KIND_WORD.match(text):
        return False
    if n_words <= 3 and is_name(text) and not any(ch.isdigit() for ch in text):
        return False
    if sum(bool(_NUMERIC.match(tok)) for tok in text.split()) >= 3:
        return False
    last = text.rsplit(None, 1)[-1].lower()
    if last in FUNCTION_WORDS or last in _VERBS:
        return False
    return not (n_words >= 7 and any(w in _VERBS for w in text.lower().split()))


def marked_heading(text: str, headings: frozenset[str]) -> bool:
    """A line the file itself marks as a heading (a heading style, a bold or larger line)
    that reads as one: short, no closing full stop, not a list item."""
    return (
        bool(headings)
        and " ".join(text.split()) in headings
        and len(text) <= 120
        and not text.endswith((".", ","))
        and not is_list_item(text)
        and text[:1].isupper()
    )


def split_sections(
    lines: Sequence[Line], headings: frozenset[str] = frozenset(), *, items: bool = False
) -> list[tuple[str | None, int, int, int]]:
    """(heading, first line, first body line, end) of every section of ``lines``.

    The first section has no heading when text precedes the first heading. ``headings`` are
    the texts the file marks as headings (layout hints); they count besides the rules. With
    ``items`` the sections are a meeting's items, and the heading of an item's part opens
    none (``part_heading``); in an attached memo "Bakgrund" or "Förslag till beslut" does.
    """

    def heading(text: str) -> bool:
        if items and part_heading(text):
            return False
        return heading_like(text) or marked_heading(text, headings)

    marks: list[tuple[int, int]] = []  # (index of first heading line of a run, heading index)
    n = len(lines)
    inside = list_subheadings([ln.text for ln in lines], heading)
    i = 0
    while i < n:
        if i in inside or not heading(lines[i].text):
            i += 1
            continue
        j = i
        while j + 1 < n and j + 1 not in inside and heading(lines[j + 1].text):
            j += 1
        if j + 1 < n:  # body text follows the run of headings
            marks.append((i, j))
        i = j + 1
    out: list[tuple[str | None, int, int, int]] = []
    if not marks:
        return [(None, 0, 0, n)] if n else []
    if marks[0][0] > 0:
        out.append((None, 0, 0, marks[0][0]))
    for k, (first, head) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else n
        out.append((lines[head].text, first, head + 1, end))
    return out


MAX_LIST_PROSE = 2  # sentences of prose in a row between a list's items (a remark, a stray item)


def list_subheadings(texts: Sequence[str], heading: Callable[[str], bool]) -> set[int]:
    """Indexes of the lines that head a group of a bulleted list rather than a section.

    The list opens with a line ending in ":" directly followed by a heading-like line and a
    list item under it. Every later heading-like line directly followed by a list item heads a
    group of the same list, as long as the list goes on: list items, and at most
    ``MAX_LIST_PROSE`` lines of prose in a row between them (a line that goes on from one
    ending mid-sentence, the tail of a wrapped line, is not counted apart). A heading followed
    by prose, or more prose than that, ends the list.
    """
    out: set[int] = set()
    n = len(texts)
    i = 0
    while i + 2 < n:
        t = texts[i].rstrip()
        opens = t.endswith(":") and heading(texts[i + 1])
        if not (opens and is_list_item(texts[i + 2])):
            i += 1
            continue
        out.add(i + 1)
        k, prose = i + 2, 0
        while k < n:
            if is_list_item(texts[k]):
                prose = 0
            elif heading(texts[k]):
                if k + 1 >= n or not is_list_item(texts[k + 1]):
                    break
                out.add(k)
                prose = 0
            elif ends_sentence(texts[k - 1]):
                prose += 1
                if prose > MAX_LIST_PROSE:
                    break
            k += 1
        i = k
    return out


def section_items(
    doc_id: str,
    lines: Sequence[Line],
    *,
    attachment: str | None,
    first_label: str | None,
    used: set[str],
    agenda: bool,
    headings: frozenset[str] = frozenset(),
) -> list[Item]:
    """SEKTION items of ``lines`` split by headings; untitled leading text gets ``first_label``.
    The sections of a document's own text (no ``attachment``) are its items: an item's part
    heading ("Beslut", "Styrelsen beslutar") opens no section there."""
    items: list[Item] = []
    own = attachment is None
    for heading, first, body_start, end in split_sections(lines, headings, items=own):
        block = list(lines[first:end])
        if not block:
            continue
        if heading is None:
            title = clean_title(first_label or block[0].text[:80])
            body = block
        else:
            title, annotation = split_title(heading)
            title = title or heading
            body = list(lines[first : body_start - 1]) + list(lines[body_start:end])
            if annotation and title != heading:
                head = lines[body_start - 1]
                body.insert(0, Line(annotation, head.page, head.last_page))
        proposal_head = heading is not None and PROPOSAL_HEAD.match(heading)
        scan = [lines[body_start - 1], *lines[body_start:end]] if proposal_head else body
        found = parts(scan, agenda=agenda, protocol=False)
        label = unique(title or "Avsnitt", used)
        items.append(
            finish_item(
                doc_id, label, None, SEKTION, title, block, body, found, attachment=attachment
            )
        )
    return items


def unique(label: str, used: set[str]) -> str:
    """``label``, or ``label (2)``, ``label (3)`` … when already used in the document."""
    out, k = label, 1
    while out in used:
        k += 1
        out = f"{label} ({k})"
    used.add(out)
    return out


_OFFICER_LABEL = "|".join(
    re.escape(w)
    for w in sorted({*CHAIR_LABELS, *SECRETARY_LABELS, *ADJUSTER_LABELS}, key=len)[::-1]
)
_MEETING_FIELD = re.compile(
    r"^(?:Datum|Tid|Plats|Lokal|Dag|Tid och plats|Plats och tid|Mötesdatum|Närvarande"
    rf"|Deltagare|Frånvarande|Mötesledare|Beslutande|{_OFFICER_LABEL})(?![\wåäö])\s*:?",
    re.I,
)
PEOPLE_HEAD = re.compile(
    r"^(?:Närvarande|Deltagare|Deltagande|Frånvarande|Närvarolista|Övriga närvarande"
    r"|Närvarande ledamöter|Ledamöter|Ersättare|Inbjudna)\s*:?$",
    re.I,
)


def notes_header_end(lines: Sequence[Line], headings: frozenset[str] = frozenset()) -> int:
    """Where the header of a document without numbered items ends: its first heading, past
    a subtitle over the meeting fields ("Medlemssamråd 2023" / "Datum: …") and the list of
    those present ("Närvarande" / "• Anna Ek, …")."""
    sections = split_sections(lines, headings)
    for k, (head, first, _body, _end) in enumerate(sections):
        if head is not None and first < 40:
            for head2, _first2, body2, end2 in sections[k:]:
                if not _header_section(head2 or "", lines[body2:end2]):
                    break
                first = end2
            return first
    for i, ln in enumerate(lines[:15]):
        if KIND_WORD.match(ln.text):
            return i + 1
    return 0


def _header_section(head: str, body: Sequence[Line]) -> bool:
    """A 'section' that is part of the meeting header: the list of those present, or meeting
    fields (date, time, place) under a subtitle."""
    if PEOPLE_HEAD.match(head):
        return True
    return bool(body) and all(_MEETING_FIELD.match(ln.text) for ln in body)


def opens_document(lines: Sequence[Line], i: int, *, anywhere: bool = False) -> int | None:
    """Where a separate document (an attachment) begins if ``lines[i]`` opens one, else None.

    The start can be the line before ``i``: the addressee above a letter's subject line.
    """
    t = lines[i].text
    if MEMO_LINE.match(t):
        # a memo's first line, unless it lists a document the decision rests on, under a
        # "Beslutsunderlag" heading or after another such line
        prev = lines[i - 1].text if i > 0 else ""
        return i if i == 0 or not (MEMO_LINE.match(prev) or HANDLING.match(prev)) else None
    if SUBJECT.match(t) and heading_like(t):
        prev = lines[i - 1].text if i > 0 else ""
        addressee = prev and len(prev.split()) <= 3 and heading_like(prev)
        return i - 1 if addressee else i
    window = [ln.text for ln in lines[i : i + 3]]
    page_start = i == 0 or lines[i].page != lines[i - 1].last_page
    if (
        (page_start or anywhere)
        and DATE_ONLY.match(t)
        and len(window) > 1
        and heading_like(window[1])
    ):
        return i
    if not page_start:
        return None
    return i if any(SUBJECT.match(w) for w in window) else None


def attachment_title(lines: Sequence[Line]) -> str:
    """The heading of an attachment: its subject line, else its first non-memo line."""
    head = [ln.text for ln in lines[:8]]
    for t in head[:4]:
        if SUBJECT.match(t):
            return clean_title(t)[:120]
    for t in head:
        if MEMO_LINE.match(t) or DATE_ONLY.match(t) or ISO_DATE.fullmatch(t):
            continue
        return clean_title(t)[:120]
    return clean_title(head[0])[:120] if head else "Bilaga"


def agenda_end(lines: Sequence[Line], body_start: int, *, agenda: bool, last_title: str) -> int:
    """Where the last item ends and attachments begin (``len(lines)`` when none follow).

    After a closing point ("Mötets avslutande") the first heading or new page after its text
    starts the attachments; in a notice, so does a new page that opens with a heading.
    """
    n = len(lines)
    closing = bool(_CLOSING.search(last_title))
    for i in range(body_start, n):
        if i <= body_start + 1 and REFERENCE.match(lines[i].text):
            continue  # the last item's own case reference ("Dnr 2023/48"), not a new document
        opened = opens_document(lines, i)
        if opened is not None and opened >= body_start:
            return opened
        page_start = lines[i].page != lines[i - 1].last_page
        # a new page right under the closing point's title goes on with its text ("Mötets
        # avslutande" the last line of its page, "Ordföranden tackade …" the next page's first)
        if closing and (page_start and i > body_start or heading_like(lines[i].text)):
            return i
        if page_start and agenda and _looks_like_title_page(lines, i):
            return i
    return n


def _looks_like_title_page(lines: Sequence[Line], i: int) -> bool:
    t = lines[i].text
    return heading_like(t) and not NUMBERED.match(t) and i + 1 < len(lines)


def attachment_ranges(lines: Sequence[Line], begin: int) -> list[tuple[int, int]]:
    """(start, end) of each attachment from ``begin`` to the end of the document."""
    starts = [begin]
    for i in range(begin + 1, len(lines)):
        opened = opens_document(lines, i, anywhere=True)
        if opened is not None and opened - starts[-1] > 1:
            starts.append(opened)
    return [(s, starts[k + 1] if k + 1 < len(starts) else len(lines)) for k, s in enumerate(starts)]
