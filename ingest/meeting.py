"""The meeting header: document kind, date, time, place, organ, participants, officers.

Only what the text states is used. A meeting date comes from a line that says it is the
meeting's ("Sammanträdesdatum", "Styrelsens sammanträde 2021-10-28", "Plats och tid … 2023-06-
15 kl …"), never from a notice's dispatch date or an "Anslag" line. A document that states no
date gets ``date_window`` instead: the latest date it reports as past ("godkänts … den 24 mars
2023") and the earliest it announces as coming ("träffas … den 10 maj").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.model import (
    BESLUTANDE,
    KALLELSE,
    MINNESANTECKNINGAR,
    OKAND,
    OVRIGA,
    PROTOKOLL,
    Meeting,
    Participant,
)
from ingest.facts import dated
from ingest.lines import (
    FUNCTION_WORDS,
    MONTHS,
    TIME_RANGE,
    Line,
    ends_sentence,
    is_label,
    is_list_item,
)
from ingest.officers import officers
from ingest.people import participants
from ingest.vocab import MONTH, ORGAN_SUBJECT

_KIND_PATTERNS = (
    (
        re.compile(r"\b(?:minnesanteckning\w*|mötesanteckning\w*|anteckningar)\b", re.I),
        MINNESANTECKNINGAR,
    ),
    (re.compile(r"\b(?:kallelse\w*|föredragningslista\w*)\b", re.I), KALLELSE),
    (
        re.compile(r"\b\w*protokoll\b|\bprotokoll (?:fört|från)\b|^protokoll\b|^minutes\b", re.I),
        PROTOKOLL,
    ),
)
_KIND_LINE_WORDS = 7  # a line naming the document kind is a short title line
_KIND_OPENING = re.compile(
    r"^(?:protokoll|minnesanteckningar|anteckningar|kallelse)\s+(?:fört|förda|från|vid|över|till)\b",
    re.I,
)
_STRONG_CUE = re.compile(
    r"sammanträdesdatum|mötesdatum|sammanträde|styrelsemöte|\bmöte\b|mötet|protokoll"
    r"|kallelse|anteckningar|föredragningslista",
    re.I,
)
_DATE_LABEL = re.compile(r"datum|sammanträde|möte", re.I)
_WEAK_CUE = re.compile(r"plats och tid|tid och plats|^tid\b|^datum\b|\bdatum\s*:|^date\s*:", re.I)
_NOT_MEETING = re.compile(
    r"anslag|justera|publicer|uppsättande|nedtagande|signer|docusign|cest|utsänd|skickad"
    r"|utskri|printed|genererad|exporterad"
    r"|upprättad|expedierad|förvaring|föregående|nästa",
    re.I,
)
_PLACE = re.compile(
    r"^(?:plats och tid|tid och plats|plats|lokal|mötesplats|möteslokal|sammanträdesplats)\b\s*:?\s*(?P<rest>.*)$",
    re.I,
)
_ORGANS = (
    ("interimsstyrelse", re.compile(r"\binterimsstyrelse", re.I)),
    ("arbetsutskott", re.compile(r"(?i:\barbetsutskott)|\bAU\b")),
    ("beredningsgrupp", re.compile(r"\bberedningsgrupp", re.I)),
    ("medlemssamråd", re.compile(r"\bmedlemssamråd", re.I)),
    ("presidium", re.compile(r"\bpresidi", re.I)),
    ("ledningsgrupp", re.compile(r"\bledningsgrupp", re.I)),
    ("årsmöte", re.compile(r"\bårsmöte", re.I)),
    ("medlemsmöte", re.compile(r"\bmedlemsmöte", re.I)),
    ("styrelse", re.compile(r"\b(?:förbunds)?styrelse|\bboard\b", re.I)),
)
_PAST = re.compile(
    r"\b(?:godkänts|godkändes|godkände|godkänt|beslutade|beslutat|beslutats|beslöt|antogs|antagits"
    r"|antog|fastställdes|fastställts|fastställde|genomfördes|genomförts|genomförde|hölls|hade"
    r"|ägde|avslutades|inkom|lämnade|skedde|presenterade|redovisade|bildades|startade|var)\b",
    re.I,
)
_FUTURE = re.compile(
    r"\b(?:kommer|ska|skall|planeras|träffas|inför|kallas|hålls|äger rum|senast|nästa|planerat"
    r"|planerad)\b",
    re.I,
)
_YEARLESS = re.compile(
    rf"(?<!\w)(\d{{1,2}})\s+({MONTH})(?!\s+\d{{4}})(?!\w)",
    re.I,
)


def detect_kind(lines: Sequence[Line], *, has_paragraphs: bool, has_points: bool) -> str:
    """Protokoll, kallelse or minnesanteckningar from the document's title lines."""
    for ln in lines[:40]:
        t = ln.text
        if "§" in t:
            continue
        if len(t.split()) > _KIND_LINE_WORDS:
            # a sentence that opens by naming the document ("Protokoll från styrelsemöte den
            # 14 november 2024 i Ånge. Närvarande: …") names its kind all the same
            m = _KIND_OPENING.match(t)
            if not m:
                continue
            t = m[0]
        for pattern, kind in _KIND_PATTERNS:
            if pattern.search(t):
                return kind
    if has_paragraphs:
        return PROTOKOLL
    if any(re.match(r"^(?:beslutande|justerare|justerande)\b", ln.text, re.I) for ln in lines[:60]):
        return PROTOKOLL
    if has_points:
        return KALLELSE
    return OKAND


def meeting_date(header: Sequence[Line], kind: str) -> str | None:
    """The meeting date stated in the header, or None."""
    best: tuple[int, int, str] | None = None
    prev_tier = 2  # the tier of the line before, when this one may go on its sentence
    for i, ln in enumerate(header):
        t = ln.text
        tier = 0 if _STRONG_CUE.search(t) else 1 if _WEAK_CUE.search(t) else 2
        if tier == 2 and i and _wrapped_sentence(header[i - 1].text, t):
            # the second line of a wrapped sentence that names the meeting ("Protokoll fört vid
            # sammanträde med styrelsen för Samordningsförbundet" ⏎ "Gotland onsdagen den 12
            # februari 2025 …")
            tier = prev_tier
        if _NOT_MEETING.search(t) and not re.match(r"^sammanträdesdatum", t, re.I):
            prev_tier = 2
            continue
        prev_tier = tier
        found = dated(t)
        if not found and tier < 2 and i + 1 < len(header) and len(t.split()) <= 3:
            nxt = header[i + 1].text
            if not _NOT_MEETING.search(nxt):
                found = [(0, d) for _, d in dated(nxt)[:1]]
                if not _DATE_LABEL.search(t):
                    tier += 1  # "Kallelse" above a date: maybe the date it was sent
        if not found:
            continue
        if tier == 2 and (kind != PROTOKOLL or i > 8 or len(t.split()) > 4):
            continue
        candidate = (tier, i, found[0][1])
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    return best[2] if best else None


SENTENCE_WORDS = 6  # a line of running prose is at least this long


def _wrapped_sentence(prev: str, line: str) -> bool:
    """Whether ``line`` may go on the sentence of ``prev``: a line of prose that ends without a
    sentence's end, and no label, list item or field after it."""
    return (
        len(prev.split()) >= SENTENCE_WORDS
        and not ends_sentence(prev)
        and not prev.rstrip().endswith(":")
        and not is_label(line)
        and not is_list_item(line)
        and not re.match(r"^[^\s:]{1,30}(?: [^\s:]+){0,2}:", line)
    )


_BARE_RANGE = re.compile(r"(?<![\d.:])(\d{1,2})[.:](\d{2})\s*(?:-|–|—|till)\s*(\d{1,2})[.:](\d{2})")


def meeting_time(header: Sequence[Line]) -> str | None:
    for ln in header:
        t = ln.text
        if not re.search(r"\bkl\b|\bkl\.|klockan|^tid\b|\boch tid\b|tid och plats", t, re.I):
            continue
        if _NOT_MEETING.search(t):
            continue
        m = TIME_RANGE.search(t) or _BARE_RANGE.search(t)
        if m:
            start = f"{int(m.group(1)):02d}:{m.group(2)}"
            if m.group(3):
                return f"{start}-{int(m.group(3)):02d}:{m.group(4)}"
            return start
    return None


def meeting_place(header: Sequence[Line]) -> str | None:
    for i, ln in enumerate(header):
        m = _PLACE.match(ln.text)
        if not m:
            continue
        rest = m["rest"]
        if not rest and i + 1 < len(header):
            rest = header[i + 1].text
        rest = re.sub(
            r"(?:\b(?:kl\.?|klockan)\s*)?\d{1,2}[.:]\d{2}(?:\s*[-–]\s*\d{1,2}[.:]\d{2})?", "", rest
        )
        rest = re.sub(r"\b\d{4}-\d{1,2}-\d{1,2}\b", "", rest)
        rest = re.sub(r"\b(?:kl\.?|klockan)\b", "", rest)
        place = " ".join(rest.replace(" ,", ",").split()).strip(" ,;–-")
        if place:
            return place
    return None


def meeting_organ(header: Sequence[Line], kind: str) -> str | None:
    """The organ the header names ("Styrelsens sammanträde", "Arbetsutskottet"), or None."""
    for ln in header:
        t = ln.text
        if "§" in t[:12]:
            continue
        for organ, pattern in _ORGANS:
            if pattern.search(t):
                return organ
    return None


# The text names the organ when it writes of this meeting ("vid dagens extra styrelsemöte") or
# when the organ decides ("Styrelsen beslutar …", "Förbundsstyrelsen utser …").
_ORGAN_SELF = re.compile(
    rf"\bdagens (?:extra )?(?P<a>\w+?)(?:möte|sammanträde)\b|^(?P<b>{ORGAN_SUBJECT})\s+"
    r"(?P<verb>[a-zåäö]+)\b"
)


def organ_in_text(lines: Sequence[Line]) -> str | None:
    """The organ a document without an organ in its header names in its text, or None:
    never invented."""
    for ln in lines:
        m = _ORGAN_SELF.search(ln.text)
        if not m or (m["verb"] or "") in FUNCTION_WORDS:
            continue
        word = m["a"] or m["b"]
        for organ, pattern in _ORGANS:
            if pattern.search(word):
                return organ
    return None


def date_window(lines: Sequence[Line]) -> tuple[str, str] | None:
    """(after, before) for an undated document: latest past date, earliest announced date."""
    past: list[str] = []
    future: list[tuple[str, str]] = []  # (sentence, date) with year when stated
    yearless: list[tuple[int, int]] = []
    for ln in lines:
        for sentence in re.split(r"(?<=[.!?])\s+", ln.text):
            is_future = bool(_FUTURE.search(sentence))
            is_past = not is_future and bool(_PAST.search(sentence))
            if not (is_future or is_past):
                continue
            for _, d in dated(sentence):
                if is_future:
                    future.append((sentence, d))
                else:
                    past.append(d)
            if is_future:
                for m in _YEARLESS.finditer(sentence):
                    yearless.append((MONTHS[m.group(2).lower()], int(m.group(1))))
    if not past:
        return None
    lower = max(past)
    year = int(lower[:4])
    candidates = [d for _, d in future if d > lower]
    for month, day in yearless:
        for y in (year, year + 1):
            d = f"{y:04d}-{month:02d}-{day:02d}"
            if d > lower:
                candidates.append(d)
                break
    return (lower, min(candidates)) if candidates else None


def build_meeting(
    header: Sequence[Line],
    tail: Sequence[Line],
    kind: str,
    *,
    forbund: tuple[str, str] | None,
    all_lines: Sequence[Line],
    adjuster_hint: str | None,
    rows: Sequence[Sequence[str]] = (),
    running: Sequence[Line] = (),
) -> Meeting:
    """The Meeting of a document from its header lines (and signature lines at its end); the
    date, organ and officers its ``running`` headers and footers state where the rest states
    none (a Word header on the first page only: "förbund / PROTOKOLL / Styrelsen 2025-11-20")."""
    people: list[Participant] = participants(
        header, present=BESLUTANDE if kind == PROTOKOLL else OVRIGA, rows=rows
    )
    chair, secretary, adjusters = officers(header, rows)
    # then the signatures, then the running footers ("Rätt utdraget intygar X, sekreterare"
    # under every extract)
    for more in (tail, running):
        if chair and secretary and adjusters:
            break
        t_chair, t_secretary, t_adjusters = officers(more, rows)
        chair, secretary = chair or t_chair, secretary or t_secretary
        adjusters = adjusters or t_adjusters
    if chair is None:
        chair = next(
            (
                p.name
                for p in people
                if p.note
                and re.search(r"\b(?:ordförande|chair)\b", p.note, re.I)
                and not re.search(r"vice", p.note, re.I)
            ),
            None,
        )
    if secretary is None:  # a role column or note: "Malin Sjödin, förbundschef, sekreterare"
        secretary = next(
            (
                p.name
                for p in people
                if p.note and re.search(r"(?:\b|förbunds|mötes)sekreterare\b", p.note, re.I)
            ),
            None,
        )
    if chair and len(adjusters) > 1:  # the chair signs under "Justeras" beside the adjuster
        adjusters = [a for a in adjusters if a != chair]  # (alone, the chair is the adjuster)
    if not adjusters and adjuster_hint:
        adjusters = [adjuster_hint]
    date = meeting_date(header, kind) or meeting_date(running, kind)
    return Meeting(
        forbund=forbund[0] if forbund else None,
        forbund_evidence=forbund[1] if forbund else None,
        organ=meeting_organ(header, kind)
        or meeting_organ(running, kind)
        or organ_in_text(all_lines),
        date=date,
        time=meeting_time(header),
        place=meeting_place(header),
        participants=tuple(people),
        chair=chair,
        secretary=secretary,
        adjusters=tuple(adjusters),
        date_window=None if date else date_window(all_lines),
    )
