"""Build Items: numbered items from their label blocks, and the shared finishing step.

``numbered_item`` turns the lines of one "§ 57" / "punkt 7" / "Ärende 2" block into an Item:
title (the body's title; the table of contents only when the body has none, with agenda
annotations such as "– information/beslut (bilaga 3)" removed), body, Handlingar, decision
clauses, proposals, "Kopia till", pages, facts and typed decision records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from corpus.model import Decision, Item, make_item_id
from ingest import facts, stance
from ingest.clauses import (
    DECISION_SENTENCE,
    ORGAN_DECIDES,
    PASSIVE_DECISION,
    Parts,
    is_block_start,
    parts,
)
from ingest.labels import Start
from ingest.lines import REFERENCE, Line, is_list_item

_ANNOTATION = re.compile(
    r"\s*(?:\((?:bilaga|bil\.|information|info|beslut|diskussion|för\s+\w+|se bilaga)[^()]*\)"
    r"|[–—-]\s*(?:information|info|beslut|diskussion|beredning|för kännedom|för beslut"
    r"|för information|för diskussion|lägesrapport|återrapport\w*)"
    r"(?:\s*(?:/|och|,)\s*(?:information|info|beslut|diskussion|beredning))*)\s*$",
    re.I,
)
# A case reference written on the title's line, after the title ("Budget 2025 (Dnr 2024/45)",
# "Budget 2025, dnr SF 2024/45") or between the label and the title ("§ 12 Dnr 2024/45 Budget
# 2025", "§ 12 (Dnr 2024/45) Budget 2025"): not the title's
_REF = r"(?:Dnr|Diarienr|Diarienummer|Ärendenr|Ärendenummer)\.?\s*:?\s*(?:[A-ZÅÄÖ]{1,8}\s+)?[\w./-]*\d[\w./-]*"
_TRAILING_REF = re.compile(rf"\s*(?:,\s*{_REF}|\(\s*{_REF}\s*\)|\s{_REF})\s*$", re.I)
_LEADING_REF = re.compile(
    rf"^(?P<ref>\(\s*{_REF}\s*\)|{_REF})[\s,:–-]+(?P<title>(?-i:[A-ZÅÄÖ]).*)$", re.I
)
_ANNOTATION_LINE = re.compile(
    r"^[–—-]\s*(?:information|info|beslut|diskussion|beredning|för )", re.I
)
PROCEDURAL = re.compile(
    r"^(?:val av (?:protokolls?justerare|justerare|justeringsperson\w*|sekreterare"
    r"|mötessekreterare|ordförande för (?:mötet|sammanträdet)|två justerare)"
    r"|justering(?: av protokoll(?:et)?)?|protokolls?justerare|(?:godkännande av |fastställande av )?"
    r"(?:dagordning(?:en)?|föredragningslista(?:n)?)|(?:godkännande av )?föregående (?:mötes )?"
    r"protokoll|(?:mötets|sammanträdets) (?:öppnande|avslutande|avslutning)|mötet (?:öppnas"
    r"|avslutas)|öppnande|avslutning|avslutande|incheckning|utcheckning|upprop|närvaro\w*"
    r"|anmälan av jäv|jäv|nästa (?:möte|sammanträde)|mötestider)\b",
    re.I,
)
_OVRIGA = re.compile(r"^övriga frågor\b", re.I)
_NO_CONTENT = re.compile(r"^\s*(?:inga|inget|ingen)\b", re.I)
MAX_TITLE = 160
_TITLE_THEN_TEXT = re.compile(r"^(.{3,120}?[a-zåäö0-9)])\. ([A-ZÅÄÖ].*)$")
# "Budget 2025 – Styrelsen fastställer budgeten.": a title, a dash and the decision
_TITLE_DASH_DECISION = re.compile(
    r"^(?P<title>[^–—]{3,120}?)\s+[–—]\s+(?P<decision>[A-ZÅÄÖ].{5,})$"
)


@lru_cache(maxsize=4096)
def classify(clause: str, from_proposal: bool) -> Decision:
    """``ingest.stance.classify``, remembered: formulaic clauses ("Att godkänna informationen")
    recur in almost every protocol, and a Decision is immutable."""
    return stance.classify(clause, from_proposal=from_proposal)


def clean_title(raw: str) -> str:
    """A title without agenda annotations and trailing punctuation."""
    return split_title(raw)[0]


def split_title(raw: str) -> tuple[str, str]:
    """(title, annotations removed from its end: "– information/beslut (bilaga 3)")."""
    title = " ".join(raw.split())
    notes: list[str] = []
    for _ in range(3):
        m = _ANNOTATION.search(title) or _TRAILING_REF.search(title)
        if not m:
            break
        notes.insert(0, m.group().strip(" ,"))
        title = title[: m.start()]
    return title.strip(" .:;–—-"), " ".join(notes)


def numbered_item(
    doc_id: str,
    start: Start,
    block: Sequence[Line],
    *,
    toc_title: str | None,
    agenda: bool,
    protocol: bool,
    headings: frozenset[str] = frozenset(),
) -> Item:
    """The Item of one label block (``block[0]`` is the label line).

    ``headings`` are the texts the file marks as headings: a title wrapped onto a second
    heading line ("… – Kraftsamling" / "Lidköping") is joined back."""
    body = _split_references(block[2:] if start.above else block[1:])
    raw_title = start.title
    lead = _LEADING_REF.match(raw_title)
    if lead:  # "§ 12 Dnr 2024/45 Budget 2025": the reference is body text, the rest the title
        body.insert(0, Line(lead["ref"].strip("() "), block[0].page, block[0].last_page))
        raw_title = lead["title"]
    ref = REFERENCE.match(raw_title)
    if ref:  # "§ 63 Dnr 2022/44" with the title on the next line: the Dnr is body text
        body.insert(0, Line(raw_title, block[0].page, block[0].last_page))
        raw_title = ""
        if len(body) > 1 and not is_block_start(body[1].text):
            body.insert(0, body.pop(1))
    if (
        not raw_title
        and body
        and not is_block_start(body[0].text)
        and not is_list_item(body[0].text)
        and len(body[0].text) <= MAX_TITLE
    ):
        raw_title = body.pop(0).text
    if raw_title and body and _wrapped_heading(block[0].text, raw_title, body[0].text, headings):
        raw_title = f"{raw_title} {body.pop(0).text}"
    while body and _ANNOTATION_LINE.match(body[0].text) and len(body[0].text) < 80:
        raw_title = f"{raw_title} {body.pop(0).text}"
    m = _TITLE_THEN_TEXT.match(raw_title) if start.title else None
    if m:  # "§ 5 Val av justerare. Till justerare valdes Anna Ek."
        raw_title = m.group(1)
        body.insert(0, Line(m.group(2), block[0].page, block[0].last_page))
    d = _TITLE_DASH_DECISION.match(raw_title) if protocol and start.title else None
    if d and _decides(d["decision"]):
        # a decisions-only protocol: "12. Budget 2025 – Budgeten fastställdes." on one line
        raw_title = d["title"]
        body.insert(0, Line(f"Beslut: {d['decision']}", block[0].page, block[0].last_page))
    title, annotation = split_title(raw_title)
    if annotation:
        body.insert(0, Line(annotation, block[0].page, block[0].page))
    if len(title) > MAX_TITLE and ". " in title[:MAX_TITLE]:
        head, tail = title.split(". ", 1)
        title = head
        body.insert(0, Line(tail, block[0].page, block[0].last_page))
    if not title and toc_title:
        title = clean_title(toc_title)
    found = parts(body, agenda=agenda, protocol=protocol)
    procedural = is_procedural(title, body, found)
    return finish_item(
        doc_id,
        start.label,
        start.number,
        start.kind,
        title,
        block,
        body,
        found,
        procedural=procedural,
    )


def _decides(text: str) -> bool:
    """Whether a sentence reads as a decision: an organ deciding, or a decision verb."""
    return bool(
        ORGAN_DECIDES.match(text) or DECISION_SENTENCE.search(text) or PASSIVE_DECISION.search(text)
    )


def _split_references(lines: Sequence[Line]) -> list[Line]:
    """A case reference and a part heading side by side in one table row ("Dnr 2020/43 |
    Beslut") become two lines, so the heading opens its part."""
    out: list[Line] = []
    for ln in lines:
        m = REFERENCE.match(ln.text)
        rest = ln.text[m.end() :].strip() if m else ""
        if m and rest and is_block_start(rest):
            out += [
                Line(ln.text[: m.end()].strip(), ln.page, ln.last_page),
                Line(rest, ln.page, ln.last_page),
            ]
        else:
            out.append(ln)
    return out


def _wrapped_heading(label: str, title: str, nxt: str, headings: frozenset[str]) -> bool:
    if not headings or " ".join(nxt.split()) not in headings:
        return False
    if " ".join(label.split()) not in headings and " ".join(title.split()) not in headings:
        return False
    return (
        len(nxt) <= 60
        and not nxt.endswith((".", ":"))
        and not is_block_start(nxt)
        and not is_list_item(nxt)
        and not REFERENCE.match(nxt)
    )


def is_procedural(title: str, body: Sequence[Line], found: Parts) -> bool:
    if PROCEDURAL.match(title):
        return True
    if _OVRIGA.match(title) and not found.decisions:
        text = " ".join(ln.text for ln in body)
        return len(text) < 160 or bool(_NO_CONTENT.match(text))
    return False


def finish_item(
    doc_id: str,
    label: str,
    number: int | None,
    kind: str,
    title: str,
    block: Sequence[Line],
    body: Sequence[Line],
    found: Parts,
    *,
    attachment: str | None = None,
    procedural: bool = False,
) -> Item:
    """An Item with its pages, facts and typed decision records."""
    body_text = "\n".join(ln.text for ln in body)
    text = f"{title}\n{body_text}" if title else body_text
    pages = sorted({p for ln in block for p in range(ln.page, ln.last_page + 1)})
    records = tuple(classify(c, False) for c in found.decisions) + tuple(
        classify(p, True) for p in found.proposals
    )
    return Item(
        item_id=make_item_id(doc_id, label),
        label=label,
        number=number,
        kind=kind,
        title=title,
        body=body_text,
        handlingar=found.handlingar,
        decisions=found.decisions,
        proposals=found.proposals,
        copy_to=found.copy_to,
        pages=tuple(pages),
        amounts=tuple(facts.find_amounts(text)),
        dates=tuple(facts.find_dates(text)),
        organisations=tuple(facts.find_organisations(text)),
        attachment=attachment,
        procedural=procedural,
        records=records,
    )
