"""Segment cleaned pages into a Document: kind, meeting, items, attachments. Pure.

    clean(pages) -> segment(pages, doc_id=…, source=…) -> Document

Numbered documents (protocols "§ 57", agendas "7. Titel"/"punkt 7", "Ärende 2") are split at
their item labels (``ingest.labels``); what follows the last item of a notice or protocol and
reads as separate documents becomes attachment sections (``ingest.sections``). Documents
without numbered items (notes) are split into sections by their headings. The header before
the first item holds the meeting facts (``ingest.meeting``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.model import (
    HEADING,
    KALLELSE,
    OKAND,
    PARAGRAF,
    PROTOKOLL,
    PUNKT,
    RUNNING,
    Document,
    Item,
    Page,
)
from ingest import gazetteer
from ingest.furniture import ENTRY_META, PAGE_UPDATED, PLACE_DATE, SIGNOFF, SIGNOFF_STRICT
from ingest.items import numbered_item
from ingest.labels import Start, find_starts
from ingest.lines import NAME, NAME_TOKEN_RE, Line, continues, ends_sentence, join
from ingest.meeting import build_meeting, detect_kind
from ingest.ocr_names import misread_forbund
from ingest.officers import ROLES_ROW
from ingest.sections import (
    ATTACHMENT_HEAD,
    PEOPLE_HEAD,
    agenda_end,
    attachment_ranges,
    attachment_title,
    notes_header_end,
    section_items,
)
from ingest.tables import cell_rows

log = logging.getLogger(__name__)

_JUSTERARE = r"(?:att justera|till (?:protokolls?)?justerare|som (?:protokolls?)?justerare)"
_ELECTED = r"(?:valdes|utsågs|utses|väljs)"
_ADJUSTER = re.compile(
    rf"(?:[Uu]tse|utses|utser|[Vv]älja|väljs|väljer|valdes|utsågs)\s+(?P<a>{NAME.pattern})\s+{_JUSTERARE}"
    rf"|(?P<b>{NAME.pattern})\s+{_ELECTED}\s+{_JUSTERARE}"
    rf"|(?:[Tt]ill|[Ss]om) (?:protokolls?)?justerare {_ELECTED}\s+(?P<c>{NAME.pattern})"
)
OCR_HEAD_LINES = 8  # lines of a scan's first page where a misread förbund name is looked for
TAIL_LINES = 30  # signature lines looked for at the end of a protocol
# The version of clean() + segment(), stored with every document: raise it whenever their output
# changes, and `finsam resegment` redoes the documents of older versions from the store.
# 2: attendance tables read by their cells; 3: group headings of a list; 4: the layouts of the
# second and third zoo (labels in roman numerals or at the right margin, group headings between
# items, a dated sign-off, officers several to a line, a wrapped letterhead cell, …); 5: the
# layouts of the fifth zoo (a title above its label rows, "Ärende 14/2025", points numbered by
# an HTML list, a label column and participant lists side by side in PDF tables, e-signing); 6:
# the layouts of the sixth zoo ("Pkt N.", a PDF section in two columns to its end, a PDF table
# of items over pages under a footer, a web page's end at its "last changed" note, roles such as
# "(förbundschef, sekr.)", the § signs misread in a scan's OCR text layer); 7: a case reference
# on the title's line kept out of the title; 8: the families of the sixth zoo's held-out set (a
# part's heading in a table cell beside its text, in a scan, Word, HTML and a wrapped PDF cell;
# the förbund and date in a wrapped opening sentence; "X, ordf."; a blog post's meta line; an
# attachment page after the last item); 9: the seventh zoo's (a watermark set aslant, a web
# page's sibling <span>s, a wiki's block quotes and task lists, the date and officers of the
# running headers and footers, an attendance list after the last item); 10: three of its held-out
# families (a print date beside the letterhead is no meeting date; a part's row after the empty
# rest of a label cell merged down the item's rows) and clauses listed under "beslutar
# följande:", "Beslutet är enhälligt" no clause, a clause wrapped after a dash
SEGMENTER_VERSION = 10


def flatten(pages: Sequence[Page]) -> list[Line]:
    """The non-empty lines of all pages; a paragraph broken by a page break is re-joined."""
    out: list[Line] = []
    for page in pages:
        first = True
        for raw in page.text.split("\n"):
            text = raw.strip()
            if not text:
                continue
            if (
                first
                and out
                and out[-1].last_page < page.number
                and continues(out[-1].text, text, names=False)
            ):
                prev = out[-1]
                out[-1] = Line(join(prev.text, text), prev.page, page.number)
            else:
                out.append(Line(text, page.number, page.number))
            first = False
    return out


@dataclass(frozen=True, slots=True)
class Plan:
    """Where the parts of a document lie in its lines (internal to segmentation)."""

    kind: str
    starts: list[Start]
    toc: dict[int, str]
    header_end: int  # lines[:header_end] is the meeting header
    end: int  # lines[end:] are attachments (numbered documents only)


def plan(lines: list[Line], headings: frozenset[str] = frozenset()) -> Plan:
    """The document kind, item starts, header and attachment boundaries of ``lines``."""
    kind = detect_kind(lines, has_paragraphs=False, has_points=False)
    starts, toc = find_starts(lines, protocol=kind == PROTOKOLL, agenda=kind == KALLELSE)
    if kind == OKAND:
        kind = detect_kind(
            lines,
            has_paragraphs=bool(starts) and starts[0].kind == PARAGRAF,
            has_points=bool(starts) and starts[0].kind == PUNKT,
        )
    if not starts:
        return Plan(kind, [], toc, notes_header_end(lines, headings), len(lines))
    last = starts[-1]
    end = agenda_end(
        lines,
        last.index + (1 if last.title else 2),
        agenda=kind == KALLELSE,
        last_title=_title_of(lines, last),
    )
    return Plan(kind, starts, toc, starts[0].index, end)


def header_lines(pages: Sequence[Page]) -> list[str]:
    """The meeting header of cleaned pages: the lines before the first item or section."""
    lines = flatten(pages)
    return [ln.text for ln in lines[: plan(lines).header_end]]


def segment(
    pages: list[Page], *, doc_id: str, source: str, path: str = "", fmt: str = ""
) -> Document:
    """The Document of cleaned pages (see the module doc)."""
    lines = flatten(pages)
    text = "\n\n".join(p.text for p in pages if p.text.strip())
    headings = frozenset(
        " ".join(b.text.split()) for pg in pages for b in pg.blocks if b.kind == HEADING
    )
    p = plan(lines, headings)
    if p.starts and (cut := _page_end(lines, p.starts[-1].index)) is not None:
        lines = lines[:cut]  # a web page's site after its content
        p = plan(lines, headings)
    log.debug(
        "%s: %s, %d items from line %d, attachments from line %d of %d",
        source, p.kind, len(p.starts), p.header_end, p.end, len(lines),
    )  # fmt: skip
    kind, agenda, protocol = p.kind, p.kind == KALLELSE, p.kind == PROTOKOLL
    used: set[str] = set()
    items: list[Item] = []
    attachments: list[str] = []
    signoff: list[Line] = []  # signatures and posting notices: officers' evidence, no items
    for k, st in enumerate(p.starts):
        stop = p.starts[k + 1].index if k + 1 < len(p.starts) else _signoff_at(lines, st, p.end)
        if k + 1 == len(p.starts):
            signoff += lines[stop : p.end]
        item = numbered_item(
            doc_id,
            st,
            lines[st.index : stop],
            toc_title=p.toc.get(st.number),
            agenda=agenda,
            protocol=protocol,
            headings=headings,
        )
        used.add(item.label)
        items.append(item)
    if p.starts:
        for a, b in attachment_ranges(lines, p.end) if p.end < len(lines) else ():
            if _signs_off(lines[a:b]):
                signoff += lines[a:b]
                continue
            title = attachment_title(lines[a:b])
            attachments.append(title)
            items += section_items(
                doc_id, lines[a:b], attachment=title, first_label=title, used=used, agenda=False
            )
    else:
        items = section_items(
            doc_id,
            lines[p.header_end :],
            attachment=None,
            first_label=None,
            used=used,
            agenda=False,
            headings=headings,
        )
        signoff += [ln for it in items if SIGNOFF.match(it.title) for ln in _lines_of(it)]
        items = [it for it in items if not SIGNOFF.match(it.title)]
    body_tail = lines[max(p.header_end, p.end - TAIL_LINES) : p.end] if protocol else []
    tail = [*body_tail, *signoff]
    meeting = build_meeting(
        lines[: p.header_end],
        tail,
        kind,
        forbund=_forbund(text, pages),
        rows=_cell_rows(pages),
        all_lines=lines,
        adjuster_hint=_adjuster(items),
        running=[
            Line(b.text, pg.number, pg.number)
            for pg in pages
            for b in pg.blocks
            if b.kind == RUNNING
        ],
    )
    return Document(
        doc_id=doc_id,
        source=source,
        path=path,
        kind=kind,
        meeting=meeting,
        items=tuple(items),
        n_pages=max((pg.number for pg in pages), default=0),
        text=text,
        attachments=tuple(attachments),
        fmt=fmt,
        segmenter=SEGMENTER_VERSION,
    )


def _page_end(lines: Sequence[Line], last: int) -> int | None:
    """Where a web page's content ends after its last item: at the note of when the page was
    changed ("Sidan uppdaterades: 2025-05-23"), after which the site's boxes follow, or at a
    blog post's meta line ("Publicerat i Protokoll", "Kategorier: …")."""
    return next(
        (
            i
            for i in range(last + 1, len(lines))
            if PAGE_UPDATED.match(lines[i].text) or ENTRY_META.match(lines[i].text)
        ),
        None,
    )


def _signs_off(block: Sequence[Line]) -> bool:
    """Whether a block after the items is the sign-off: it opens with a sign-off line, with
    the place and date of signing and the signatures, or with the heading of an attendance
    list ("Närvarolista", its table after the last item): officers' evidence, no items."""
    return (
        bool(SIGNOFF.match(block[0].text) or PEOPLE_HEAD.match(block[0].text))
        or _dated_signatures(block)
        or _signature_rows(block)
    )


def _signature_rows(block: Sequence[Line]) -> bool:
    """Whether ``block`` opens with a row of names over a row of role words, a signature table
    read row by row ("Ingrid Svahn Oskar Lindblad" / "Ordförande Sekreterare")."""
    if len(block) < 2 or not ROLES_ROW.match(block[1].text):
        return False
    tokens = block[0].text.split()
    return 2 <= len(tokens) <= 12 and all(NAME_TOKEN_RE.match(t) for t in tokens)


def _dated_signatures(block: Sequence[Line]) -> bool:
    """Whether ``block`` opens with the place and date of signing, signatures after them
    ("Malung 2024-09-26", the names, "Ordförande Sekreterare Justerare")."""
    return bool(PLACE_DATE.match(block[0].text)) and any(
        SIGNOFF.match(ln.text) for ln in block[1:4]
    )


def _signoff_at(lines: Sequence[Line], start: Start, end: int) -> int:
    """Where the last item's text ends: at a sign-off line ("Vid protokollet", "Justeras",
    "Underskrifter", "ANSLAG", a place and date before signatures, a row of names over a row
    of roles), an attendance list's heading ("Närvarolista") or an attachment's heading at the
    top of a page ("Bilaga 1 till protokoll …", where a protocol signed on its first page
    ends) after its title, else at ``end``."""
    for i in range(start.index + 2, end):
        block = lines[i : i + 4]
        if (
            SIGNOFF_STRICT.match(lines[i].text)
            or _dated_signatures(block)
            or _signature_rows(block)
            or _attachment_page(lines, i)
            or PEOPLE_HEAD.match(lines[i].text)
        ):
            return i
    return end


def _attachment_page(lines: Sequence[Line], i: int) -> bool:
    """Whether ``lines[i]`` opens a page with an attachment's heading ("Bilaga 2 till § 18")."""
    t = lines[i].text
    new_page = lines[i].page != lines[i - 1].last_page
    return new_page and ATTACHMENT_HEAD.match(t) is not None and not ends_sentence(t)


def _cell_rows(pages: Sequence[Page]) -> list[tuple[str, ...]]:
    """The rows of table cells the file states (layout hints), in page order."""
    return [row for pg in pages for row in cell_rows(pg)]


def _lines_of(item: Item) -> list[Line]:
    page = item.pages[0] if item.pages else 0
    return [Line(t, page, page) for t in (item.title, *item.body.split("\n")) if t]


def _forbund(text: str, pages: Sequence[Page]) -> tuple[str, str] | None:
    """The förbund the text names; else the one its running headers/footers name (a Word
    header, a web page's site header): evidence about the document, not body text; else, in a
    scan, the one its letterhead names with a few letters misread."""
    wrapped = _wrapped_name(text, _cell_rows(pages))
    if wrapped is not None:
        return wrapped
    letterhead = "\n".join([ln for ln in text.split("\n") if ln.strip()][:2])
    found = gazetteer.resolve_forbund(letterhead) if letterhead else None
    if found is not None and gazetteer.canonical_forbund(found[0]) is not None:
        # the document's own letterhead outweighs what its text discusses
        return found
    found = gazetteer.resolve_forbund(text) if text else None
    if found is not None:
        return found
    running = "\n".join(b.text for p in pages for b in p.blocks if b.kind == RUNNING)
    found = gazetteer.resolve_forbund(running) if running else None
    if found is not None:
        return found[0], f"sidhuvud/sidfot: {found[1]}"
    if pages and pages[0].ocr_confidence is not None:  # a scan: its letterhead may be misread
        head = [ln for ln in text.split("\n") if ln.strip()][:OCR_HEAD_LINES]
        return misread_forbund("\n".join(head))
    return None


_CUT_NAME = re.compile(
    r"\b(?:[Ss]amordningsförbundet(?: i)?|Finsam)(?: [A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ]?[a-zåäö]+)?){0,2}?"
    r"(?=\s+(?:[A-ZÅÄÖ]{4,}\b|[Pp]rotokoll|[Kk]allelse|[Mm]innes|[Ss]ida\b|\d)|\s*$)"
)
HEAD_LINES = 12  # lines of the text where a letterhead cell's wrapped name is looked for
TAIL_WORDS = 3  # at most this many words on a wrapped cell's next line (the name's rest)


def _wrapped_name(text: str, rows: Sequence[Sequence[str]] = ()) -> tuple[str, str] | None:
    """The förbund of a letterhead whose name wraps inside its table cell, the lines of the
    cell joined: "Samordningsförbundet Norra | Protokoll …" with "Skaraborg" on the next line.
    The ``rows`` of cells the file states tell where the name's first line ends (and a next
    line that is a row gives the cell under it); without them, the words before a header
    word ("Protokoll", "SIDA", a date) do. Read row by row."""
    lines = [" ".join(ln.split()) for ln in text.split("\n")[:HEAD_LINES]]
    by_line = {" ".join(" ".join(r).split()): r for r in reversed(rows)}  # the first row wins
    for i, line in enumerate(lines[:-1]):
        for col, head, left in _cell_heads(line, rows):
            below = _cell_below(lines[i + 1 : i + 3], by_line, col)
            for tails in ([left, *below], below) if left else (below,):
                found = gazetteer.wrapped_forbund(head, tails)
                if found is not None:
                    return found[0], f'rubriken nämner "{found[1]}" (radbruten)'
    return None


def _cell_heads(line: str, rows: Sequence[Sequence[str]]) -> list[tuple[int | None, str, str]]:
    """(column, first line of a cell, the words the converter set after the row) for each cell
    of the stated row ``line`` begins with, then the name cut at a header word (column None)."""
    for cells in rows:
        first = " ".join(cells[0].split()) if cells else ""
        if first and (line == first or line.startswith(first + " ")):
            left = line
            for cell in cells:  # what is left of the line once the row's cells are taken out
                left = left.replace(" ".join(cell.split()), " ", 1)
            left = " ".join(left.split())
            left = left if len(left.split()) <= TAIL_WORDS else ""
            heads: list[tuple[int | None, str, str]] = [
                (k, c, left) for k, c in enumerate(cells) if c.strip()
            ]
            break
    else:
        heads = []
    # the name cut at a header word, also in a stated row: a scan's cell may hold the words of
    # the cell beside it ("Samordningsförbundet SAMMANTRÄDESPROTOKOLL", the gap between them
    # too narrow to part them)
    m = _CUT_NAME.search(line)
    return [*heads, (None, m.group(), "")] if m else heads


def _cell_below(
    lines: Sequence[str], by_line: dict[str, Sequence[str]], col: int | None
) -> list[str]:
    """The next lines of a cell in ``col``: the cell under it where a next line is a stated
    row (``by_line``: the rows by their joined text), else the lines of a few words."""
    out: list[str] = []
    for line in lines:
        row = by_line.get(line)
        if row is not None and col is not None and len(row) > 1:
            out.append(row[col] if col < len(row) else "")
            break
        if not line or len(line.split()) > TAIL_WORDS:
            break
        out.append(line)
    return out


def _title_of(lines: Sequence[Line], start: Start) -> str:
    if start.title:
        return start.title
    return lines[start.index + 1].text if start.index + 1 < len(lines) else ""


def _adjuster(items: Sequence[Item]) -> str | None:
    for item in items:
        if not item.procedural:
            continue
        for text in (*item.decisions, item.body):
            m = _ADJUSTER.search(text)
            if m:
                return m["a"] or m["b"] or m["c"]
    return None
