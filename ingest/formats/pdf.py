"""PDF text layer -> page texts, with pdfminer.six layout analysis.

pdfminer groups characters into text lines; the lines of a page are then put in reading
order here (``order_lines``, pure): rows top to bottom, and the pieces of one row (a label and
its value, the cells of a table row) joined left to right with a space, as a protocol reads.
A page set in two columns of running text is read column by column. A vertical gap of more
than about one blank line becomes an empty line, so paragraph breaks survive.

An item set in a borderless two-column table with its label and title in the narrow left
column and its text in the right one (the title wrapping in its cell, the text starting beside
the label) is read column by column too (``label_columns``): the label with the title, then
the text. So is a table of participant lists set side by side under their headings
(``Närvarande ledamöter | Tjänstgörande ersättare | Övriga närvarande``, one person per
paragraph in each cell): each list under its heading, a person's wrapped lines joined. A
part's heading set in the margin beside its text ("Beslut ⇥ Styrelsen beslutar …") is read
on a line before its text.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTChar,
    LTComponent,
    LTContainer,
    LTImage,
    LTTextLineHorizontal,
)
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSException as PDFException

from corpus.errors import NeedsOCR, UnreadableFile
from corpus.model import CELL, HEADING, PARAGRAPH, Block, Extraction, Page
from ingest.clauses import is_block_start
from ingest.formats.pdf_rows import Line, render_rows, rows_of
from ingest.formats.pdf_table import line_full, order_table_pages
from ingest.lines import NAME_TOKEN, REFERENCE, continues, is_label, join
from ingest.people import role_label

log = logging.getLogger(__name__)

# Tuned for protocols: keep a label and its value apart only when far apart (char_margin),
# never merge lines into boxes across a blank line (line_margin), read text inside form
# XObjects too (all_texts), and skip pdfminer's box ordering (we order lines ourselves).
LAPARAMS = dict(
    line_overlap=0.5,
    char_margin=2.0,
    line_margin=0.5,
    word_margin=0.1,
    boxes_flow=None,
    detect_vertical=False,
    all_texts=True,
)

LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
CID = re.compile(r"\(cid:\d+\)")
SPARSE_CHARS = 25  # a page with fewer visible characters than this counts as "no text"
SCAN_SHARE = 0.5  # ... and is a scan when an image covers at least this share of it
BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
HEADING_SIZE = 1.15  # a line this much larger than the page's body text reads as a heading
LABEL_CHARS = 14  # an item label alone in its cell ("§ 12", "Ärende 4") is this short
COLUMN_GAP = 2.0  # character widths between a label cell and the column right of it
CELL_EDGE = 2.0  # points a piece may reach across a column edge and still lie in its column
ROW_GAP = 1.5  # a vertical gap of more than this many line heights ends an item's table
NAME_CHARS = 40  # a heading of a table's column is short
CELL_PADDING = 10.0  # points between the text of a cell and that of the cell right of it
_PERSON = re.compile(rf"^{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}}(?:\s*[,(]|$)")
_FIELD = re.compile(r"^[A-ZÅÄÖ][\wåäö]*(?: [\wåäö]+){0,3}:(?:\s|$)")  # "Sekreterare: …"


def _find_gutter(lines: list[Line]) -> tuple[float, float] | None:
    """(x of a gutter between two columns of running text, top of the columns), or None for an
    ordinary page.

    Two columns means: a vertical line crossed by no text line beside the right column (titles,
    a header set across the page above it and a running footer below it may cross), with at
    least six lines on each side whose typical width is at least 30 % of the text width (so a
    column of short labels beside their values is not taken for a column of text).
    """
    if len(lines) < 12:
        return None
    left_edge = min(ln.x0 for ln in lines)
    right_edge = max(ln.x1 for ln in lines)
    span = right_edge - left_edge
    if span <= 0:
        return None
    for gx in sorted({ln.x1 + 1.0 for ln in lines}):
        if not left_edge + 0.3 * span <= gx <= left_edge + 0.7 * span:
            continue
        left = [ln for ln in lines if ln.x1 <= gx]
        right = [ln for ln in lines if ln.x0 >= gx]
        if len(left) < 6 or len(right) < 6:
            continue
        if statistics.median(ln.width for ln in left) < 0.3 * span:
            continue
        if statistics.median(ln.width for ln in right) < 0.3 * span:
            continue
        zone_top = max(ln.y1 for ln in right)
        zone_bottom = min(ln.y0 for ln in right)
        crossing = [ln for ln in lines if ln.x0 < gx < ln.x1]
        if all(ln.y0 >= zone_top - 1 or ln.y1 <= zone_bottom + 1 for ln in crossing):
            return gx, zone_top
    return None


def order_lines(lines: list[Line]) -> str:
    """Text of one page in reading order, one output line per row (see module docstring)."""
    return order_pages([lines])[0]


def order_pages(pages: list[list[Line]]) -> list[str]:
    """Text of each page in reading order: a table of items by its cells (``pdf_table``), the
    rest of a page row by row (see module docstring)."""
    tables = order_table_pages(pages)
    return [
        _order_rows(lines) if table is None else "\n".join(table)
        for lines, table in zip(pages, tables, strict=True)
    ]


def _order_rows(lines: list[Line]) -> str:
    gutter = _find_gutter(lines)
    if gutter is None:
        return "\n".join(label_columns(lines))
    gx, top = gutter
    above = [ln for ln in lines if ln.y0 >= top - 1]  # the page's head, set across or not
    rest = [ln for ln in lines if ln.y0 < top - 1]
    left = [ln for ln in rest if ln.x1 <= gx]
    right = [ln for ln in rest if ln.x0 >= gx]
    below = [ln for ln in rest if ln.x0 < gx < ln.x1]
    parts = [render_rows(above), render_rows(left), render_rows(right), render_rows(below)]
    return "\n".join(line for part in parts for line in part)


def label_columns(lines: list[Line]) -> list[str]:
    """The rows of a page as text (``render_rows``), but an item whose label and title stand
    in a narrow left column beside its text read column by column (see the module doc).

    Such an item opens at a row whose first piece is a label alone, the next piece a column
    gap to its right (that piece's left edge is the text column's), and runs over the rows
    below while no piece crosses that edge, none lies left of the label, no gap between rows
    is larger than ``ROW_GAP`` line heights, and the left column's lines follow each other. It
    is read so only when its left column holds more than the label and case references ("Dnr
    2025/3") and no part's heading ("Beslut" set in the margin beside its text), and the text
    beside it reaches as far down: a title."""
    rows = rows_of(lines)
    out: list[str] = []
    done = 0  # rows[:done] are written
    k = 0
    while k < len(rows):
        lists = _attendance_region(rows, k)
        region = _label_region(rows, k) if lists is None else None
        part = _margin_heading(rows, k) if lists is None and region is None else None
        if lists is None and region is None and part is None:
            k += 1
            continue
        out += render_rows([ln for row in rows[done:k] for ln in row])
        if lists is not None:
            end, text = lists
            out += [*text, ""]
        elif part is not None:
            end, beside = part
            out += [rows[k][0].text.strip(), *render_rows(beside)]
        elif region is not None:
            end, left, right = region
            refs = [ln.text for ln in left if REFERENCE.match(ln.text)]
            title = [ln.text for ln in left if not REFERENCE.match(ln.text)]
            out += [" ".join([rows[k][0].text, *title]), *refs, *render_rows(right), ""]
        done = k = end
    return out + render_rows([ln for row in rows[done:] for ln in row])


def _margin_heading(rows: list[list[Line]], k: int) -> tuple[int, list[Line]] | None:
    """(end row, the text beside it) of a part's heading set in the margin column beside its
    text ("Beslut ⇥ Styrelsen beslutar …"): the heading alone in the first piece of row ``k``,
    a column gap to the text, which runs on in the rows below with nothing left of it."""
    row = rows[k]
    if len(row) < 2 or not is_block_start(row[0].text.strip()):
        return None
    head, beside = row[0], row[1]
    char = head.width / max(len(head.text), 1)
    if beside.x0 - head.x1 < COLUMN_GAP * char:
        return None
    edge = beside.x0
    text = list(row[1:])
    bottom = min(ln.y0 for ln in row)
    end = k + 1
    while end < len(rows):
        nxt = rows[end]
        height = max(ln.height for ln in nxt)
        if bottom - max(ln.y1 for ln in nxt) > ROW_GAP * height:
            break
        if any(ln.x0 < edge - CELL_EDGE for ln in nxt):
            break
        text += nxt
        bottom = min(ln.y0 for ln in nxt)
        end += 1
    return end, text


def _attendance_region(rows: list[list[Line]], k: int) -> tuple[int, list[str]] | None:
    """(end row, lines) of a table of participant lists side by side whose header is row
    ``k`` (its headings may wrap onto the next row), each list under its heading; or None.
    The table ends at a gap of more than ``ROW_GAP`` line heights, a row that does not fit its
    columns, an item label or a "Label: value" line."""
    head = rows[k]
    if len(head) < 2 or any(len(ln.text) > NAME_CHARS for ln in head):
        return None
    starts = [ln.x0 for ln in head]
    names = [ln.text.strip() for ln in head]
    body = k + 1
    while body < len(rows) and body <= k + 2:  # a heading wrapped in its cell ("Närvarande" /
        cols = [_column(starts, ln) for ln in rows[body]]  # "ledamöter")
        if None in cols or not all(ln.text[:1].islower() for ln in rows[body]):
            break
        for c, ln in zip(cols, rows[body], strict=True):
            names[c or 0] = join(names[c or 0], ln.text.strip())
        body += 1
    if not all(role_label(n.rstrip(":")) for n in names):
        return None
    cells: list[list[tuple[int, Line]]] = [[] for _ in starts]
    end = body
    while end < len(rows):
        row = rows[end]
        cols = [_column(starts, ln) for ln in row]
        if (
            None in cols
            or (end > body and _row_gap(rows[end - 1], row) > ROW_GAP)
            or any(is_label(ln.text) or _FIELD.match(ln.text) for ln in row)
        ):
            break
        for c, ln in zip(cols, row, strict=True):
            cells[c or 0].append((0, ln))
        end += 1
    if end == body:
        return None
    right = max(ln.x1 for row in rows for ln in row)  # the text's right margin
    out: list[str] = []
    for c, (name, cell) in enumerate(zip(names, cells, strict=True)):
        edge = starts[c + 1] - CELL_PADDING if c + 1 < len(starts) else right
        out += [name, *_people(cell, edge)] if cell else []
    return end, out


def _people(cell: list[tuple[int, Line]], edge: float) -> list[str]:
    """The entries of a participant list's cell, one a person: a line continues the entry
    before when that one's line was full (``edge``: the cell's right edge) and the line does
    not open another person's entry ("Name Name," / "Name Name (S)") unless it surely
    continues ("… Simon Ljung (C) för" / "Hans Bäck (C)", "… Region" / "Västra Götaland")."""
    out: list[str] = []
    prev: Line | None = None
    for _, ln in cell:
        text = ln.text.strip()
        if (
            prev is not None
            and line_full(prev, ln, edge)
            and (continues(out[-1], text) or not _PERSON.match(text))
        ):
            out[-1] = join(out[-1], text)
        else:
            out.append(text)
        prev = ln
    return out


def _column(starts: list[float], line: Line) -> int | None:
    """The column of ``starts`` that ``line`` lies in, None when it reaches across an edge."""
    col = max((c for c, x in enumerate(starts) if x <= line.x0 + CELL_EDGE), default=0)
    if col + 1 < len(starts) and line.x1 > starts[col + 1] + CELL_EDGE:
        return None
    return col


def _row_gap(prev: list[Line], row: list[Line]) -> float:
    """The gap between two rows in line heights."""
    height = max(ln.height for ln in prev + row)
    return (min(ln.y0 for ln in prev) - max(ln.y1 for ln in row)) / height


def _label_region(rows: list[list[Line]], k: int) -> tuple[int, list[Line], list[Line]] | None:
    """(end row, left column below the label, right column) of an item read by its label
    column from row ``k`` (see ``label_columns``), or None."""
    row = rows[k]
    if len(row) < 2:
        return None
    label, beside = row[0], row[1]
    text = " ".join(label.text.split())
    char = label.width / max(len(label.text), 1)
    if len(text) > LABEL_CHARS or not is_label(text) or beside.x0 - label.x1 < COLUMN_GAP * char:
        return None
    edge = beside.x0
    left: list[Line] = []
    right: list[Line] = list(row[1:])
    bottom = min(ln.y0 for ln in row)
    end = k + 1
    closed = False  # the left column began and a row without it followed: its cell ended
    while end < len(rows):
        nxt = rows[end]
        height = max(ln.height for ln in nxt)
        if bottom - max(ln.y1 for ln in nxt) > ROW_GAP * height:
            break
        if any(
            ln.x0 < label.x0 - CELL_EDGE or (ln.x0 < edge - CELL_EDGE and ln.x1 > edge + CELL_EDGE)
            for ln in nxt
        ):
            break
        first = " ".join(nxt[0].text.split())
        if nxt[0].x0 < edge - CELL_EDGE and len(first) <= LABEL_CHARS and is_label(first):
            break  # the next item's label
        in_left = [ln for ln in nxt if ln.x0 < edge - CELL_EDGE]
        if in_left and closed:
            break  # text at the margin after the title's cell: the item goes on below
        closed = closed or (bool(left) and not in_left)
        left += in_left
        right += [ln for ln in nxt if ln.x0 >= edge - CELL_EDGE]
        bottom = min(ln.y0 for ln in nxt)
        end += 1
    if (
        len(right) < 2
        or all(REFERENCE.match(ln.text) for ln in left)
        or any(is_block_start(ln.text.strip()) for ln in left)
        or min(ln.y0 for ln in right) > min(ln.y0 for ln in left) + 1
    ):
        # no title under the label, a part's heading in the margin ("Beslut"), or lines at
        # the margin below the text beside the label: the item's text, not a title's cell
        return None
    return end, left, right


def layout_blocks(lines: list[Line]) -> tuple[Block, ...]:
    """Layout hints of one page: the pieces of a row set apart by a column gap are table
    cells (row and column numbered); a lone line in a larger or bold font is a heading."""
    if not lines:
        return ()
    sizes = [ln.size for ln in lines if ln.size]
    body = statistics.median(sizes) if sizes else 0.0
    out: list[Block] = []
    for r, row in enumerate(rows_of(lines)):
        if len(row) > 1:
            out += [
                Block(CELL, ln.text, row=r, col=c, size=ln.size or None, bold=ln.bold)
                for c, ln in enumerate(row)
            ]
            continue
        ln = row[0]
        big = bool(body) and ln.size >= HEADING_SIZE * body
        kind = HEADING if (big or ln.bold) and len(ln.text) <= 160 else PARAGRAPH
        out.append(Block(kind, ln.text, size=ln.size or None, bold=ln.bold))
    return tuple(out)


def _walk(items: Iterable[LTComponent]) -> Iterator[LTComponent]:
    for item in items:
        yield item
        if isinstance(item, LTContainer) and not isinstance(item, LTTextLineHorizontal):
            yield from _walk(item)


@dataclass(frozen=True, slots=True)
class Glyph:
    """A character set sideways: ``up`` when it reads bottom to top (turned left)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    up: bool


def rotated_lines(glyphs: list[Glyph]) -> list[str]:
    """Text set sideways (margin notes, stamps) as lines: glyphs grouped by column, in order."""
    out: list[str] = []
    for up in (True, False):
        column: list[Glyph] = []
        for glyph in sorted((g for g in glyphs if g.up is up), key=lambda g: (g.x0 + g.x1) / 2):
            size = glyph.x1 - glyph.x0
            if (
                column
                and (glyph.x0 + glyph.x1) / 2 - (column[-1].x0 + column[-1].x1) / 2 > size / 2
            ):
                out.extend(_read_column(column, up))
                column = []
            column.append(glyph)
        if column:
            out.extend(_read_column(column, up))
    return out


def _read_column(column: list[Glyph], up: bool) -> list[str]:
    ordered = sorted(column, key=lambda g: g.y0 if up else -g.y1)
    runs: list[list[str]] = [[]]
    prev: Glyph | None = None
    for glyph in ordered:
        size = max(glyph.x1 - glyph.x0, 1.0)
        if prev is not None:
            gap = glyph.y0 - prev.y1 if up else prev.y0 - glyph.y1
            if gap > 2 * size:
                runs.append([])
            elif gap > 0.2 * size:
                runs[-1].append(" ")
        runs[-1].append(glyph.text)
        prev = glyph
    return [text for run in runs if (text := "".join(run).strip())]


def _page_lines(layout: Iterable[LTComponent]) -> tuple[list[Line], list[Glyph], int]:
    """Text lines of a laid-out page, its sideways glyphs and the number of raster images."""
    lines: list[Line] = []
    glyphs: list[Glyph] = []
    images = 0
    for item in _walk(layout):
        if isinstance(item, LTImage):
            images += 1
        elif isinstance(item, LTTextLineHorizontal):
            first = next((ch for ch in item if isinstance(ch, LTChar)), None)
            if (
                first is not None
                and not first.upright
                and abs(first.matrix[1]) > abs(first.matrix[0])
            ):
                up = first.matrix[1] > 0
                glyphs.extend(
                    Glyph(ch.x0, ch.y0, ch.x1, ch.y1, ch.get_text(), up)
                    for ch in item
                    if isinstance(ch, LTChar)
                )
                continue
            text = item.get_text().strip()
            if text:
                size = first.size if first is not None else 0.0
                bold = first is not None and bool(BOLD.search(first.fontname))
                lines.append(Line(item.x0, item.y0, item.x1, item.y1, text, size, bold))
    return lines, glyphs, images


def visible_chars(text: str) -> int:
    """Characters of a page's text layer that show: not white space, not glyph ids ("(cid:12)")."""
    return sum(1 for ch in CID.sub("", text) if not ch.isspace())


def _check_text_layer(path: Path, texts: list[str], images: list[int]) -> None:
    """Raise NeedsOCR when the pages carry no usable text (a scan, or glyphs without Unicode)."""
    if not texts:
        return
    visible = [visible_chars(t) for t in texts]
    if sum(visible) == 0 and not any(CID.search(t) for t in texts):
        if any(images):
            raise NeedsOCR(str(path))
        raise NeedsOCR(
            str(path), "PDF:en saknar textlager (ingen sökbar text på sidorna) – kräver OCR"
        )
    sparse = sum(1 for v in visible if v < SPARSE_CHARS)
    with_images = sum(1 for n in images if n)
    if sparse == len(texts) and with_images * 2 >= len(texts):
        raise NeedsOCR(
            str(path), "skannad PDF: sidorna är bilder med nästan ingen text – kräver OCR"
        )
    cid_chars = sum(len(m) for t in texts for m in CID.findall(t))
    if cid_chars and cid_chars > sum(visible):
        raise NeedsOCR(str(path), "PDF:ens text saknar teckenkodning (bara glyf-id) – kräver OCR")


def _check_complete(path: Path) -> None:
    """A PDF ends with %%EOF (or at least its startxref) within its last kilobytes."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail and b"startxref" not in tail:
        raise UnreadableFile(str(path), "PDF-filen är ofullständig (avkortad, filslutet saknas)")


def _image_share(layout: LTComponent) -> float:
    """The share of the page that its largest raster image covers (a scanned page: ~1)."""
    area = max(layout.width * layout.height, 1.0)
    images = (it for it in _walk([layout]) if isinstance(it, LTImage))
    return max((it.width * it.height / area for it in images), default=0.0)


def _declared_pages(document: PDFDocument) -> int:
    """The page count the PDF's page tree states (0 when it states none)."""
    try:
        count = resolve1(resolve1(document.catalog.get("Pages")).get("Count"))
    except (AttributeError, TypeError, ValueError, PDFException):
        return 0
    return count if isinstance(count, int) and count > 0 else 0


def extract_pdf(path: Path, *, max_pages: int) -> Extraction:
    """Pages of a PDF (reading order, line breaks kept, layout hints), at most ``max_pages``,
    with the pages the file has and the pages that are scanned images without text.

    Raises UnreadableFile (encrypted, truncated, broken) and NeedsOCR (no text layer).
    """
    _check_complete(path)
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=LAParams(**LAPARAMS))  # type: ignore[arg-type]
    interpreter = PDFPageInterpreter(manager, device)
    texts: list[str] = []
    page_lines: list[list[Line]] = []
    sideways: list[list[str]] = []  # each page's text set sideways, in lines
    blocks: list[tuple[Block, ...]] = []
    images: list[int] = []
    scanned: list[int] = []
    in_file = 0
    with path.open("rb") as fh:
        try:
            document = PDFDocument(PDFParser(fh), password="")
        except PDFPasswordIncorrect as exc:
            raise UnreadableFile(str(path), "krypterad PDF (lösenordsskyddad)") from exc
        except PDFEncryptionError as exc:
            raise UnreadableFile(
                str(path), "krypterad PDF med ett krypteringssätt som inte stöds"
            ) from exc
        if not document.is_extractable:
            log.info("%s: the PDF forbids text extraction; extracting anyway", path)
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            in_file = number
            if number > max_pages:  # reported as cut (Extraction.pages_cut), not read
                in_file = max(number, _declared_pages(document))
                break
            interpreter.process_page(page)
            layout = device.get_result()
            lines, glyphs, n_images = _page_lines(layout)
            page_lines.append(lines)
            sideways.append(rotated_lines(glyphs))
            blocks.append(layout_blocks(lines))
            images.append(n_images)
            shown = sum(visible_chars(t) for t in [*(ln.text for ln in lines), *sideways[-1]])
            if n_images and shown < SPARSE_CHARS and _image_share(layout) >= SCAN_SHARE:
                scanned.append(number)
    for text, turned in zip(order_pages(page_lines), sideways, strict=True):
        if turned:  # sideways text after the page body, set off by an empty line
            text = "\n".join([text, "", *turned]).lstrip("\n")
        texts.append(text.translate(LIGATURES))
    if not texts:
        raise UnreadableFile(str(path), "PDF-filen har inga sidor (skadad eller tom)")
    _check_text_layer(path, texts, images)
    pages = tuple(
        Page(n, text, tuple(replace(b, text=b.text.translate(LIGATURES)) for b in hints))
        for n, (text, hints) in enumerate(zip(texts, blocks, strict=True), start=1)
    )
    return Extraction(pages, "pdf", pages_in_file=in_file, image_pages=tuple(scanned))
