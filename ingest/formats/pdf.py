"""PDF text layer -> page texts, with pdfminer.six layout analysis.

pdfminer groups characters into text lines; the lines of a page are then put in reading
order here (``order_lines``, pure): rows top to bottom, and the pieces of one row (a label and
its value, the cells of a table row) joined left to right with a space, as a protocol reads.
A page set in two columns of running text is read column by column (its gutter found by
``ingest.formats.pdf_gutter``). A vertical gap of more
than about one blank line becomes an empty line, so paragraph breaks survive.

An item set in a borderless two-column table with its label and title in a narrow left column,
participant lists set side by side and a part's heading in the margin are read by
``ingest.formats.pdf_columns``. A page that is a scan under an OCR text layer gets the repairs
finsam's own OCR readings get (``ingest.ocr_signs``: a run of § labels OCR misread).
"""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

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
from corpus.model import CELL, HEADING, PARAGRAPH, RUNNING, Block, Extraction, Page
from ingest.formats.pdf_columns import CELL_EDGE, label_columns
from ingest.formats.pdf_gutter import Gutter, column_parts, find_gutter, right_edge
from ingest.formats.pdf_rows import Line, render_rows, rows_of
from ingest.formats.pdf_table import order_table_pages
from ingest.ocr_signs import repair_text_layer

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


def order_lines(lines: list[Line]) -> str:
    """Text of one page in reading order, one output line per row (see module docstring)."""
    return order_pages([lines])[0]


def order_pages(pages: list[list[Line]]) -> list[str]:
    """Text of each page in reading order: a table of items by its cells (``pdf_table``), the
    rest of a page row by row (see module docstring)."""
    return read_pages(pages)[0]


def read_pages(pages: list[list[Line]]) -> tuple[list[str], list[Gutter | None]]:
    """(text of each page in reading order, the gutter of each page set in two columns)."""
    tables = order_table_pages(pages)
    out: list[str] = []
    gutters: list[Gutter | None] = []
    before: float | None = None  # the gutter of the page before, when it was in two columns
    for lines, table in zip(pages, tables, strict=True):
        gutter = None if table is not None else find_gutter(lines, before)
        out.append("\n".join(table) if table is not None else _order_rows(lines, gutter))
        gutters.append(gutter)
        before = right_edge(lines, gutter[0]) if gutter is not None else None
    return out, gutters


def _order_rows(lines: list[Line], gutter: Gutter | None) -> str:
    if gutter is None:
        return "\n".join(label_columns(lines))
    return "\n".join(line for part in column_parts(lines, gutter) for line in render_rows(part))


def layout_blocks(lines: list[Line], gutter: Gutter | None = None) -> tuple[Block, ...]:
    """Layout hints of one page: the pieces of a row set apart by a column gap are table
    cells (row and column numbered); a lone line in a larger or bold font is a heading. On a
    page in two columns (``gutter``) each column's rows are its own (a title in one column
    shares its baseline with a line of the other, and is still alone on its row)."""
    if not lines:
        return ()
    sizes = [ln.size for ln in lines if ln.size]
    body = statistics.median(sizes) if sizes else 0.0
    out: list[Block] = []
    parts = [lines] if gutter is None else column_parts(lines, gutter)
    for r, row in enumerate(row for part in parts for row in rows_of(part)):
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


def _page_lines(layout: Iterable[LTComponent]) -> tuple[list[Line], list[Glyph], list[str], int]:
    """Text lines of a laid-out page, its sideways glyphs, its text set aslant (a watermark or
    stamp drawn across the page: "JUSTERAT 2025-02-20" at 45°, no text of the page but its
    furniture) and the number of raster images."""
    lines: list[Line] = []
    glyphs: list[Glyph] = []
    aslant: list[str] = []
    images = 0
    for item in _walk(layout):
        if isinstance(item, LTImage):
            images += 1
        elif isinstance(item, LTTextLineHorizontal):
            # glyphs set aslant span the rows they cross: no row of the page's text, even when
            # pdfminer puts some of them in a line with the text they cross
            kept, stamp = _apart(list(item))
            if stamp:
                aslant.append(stamp)
            kept = _without_note_marks(kept)
            chars = [ch for ch in kept if isinstance(ch, LTChar)]
            if not chars:
                continue
            first = chars[0]
            if not first.upright and abs(first.matrix[1]) > abs(first.matrix[0]):
                up = first.matrix[1] > 0
                glyphs.extend(Glyph(ch.x0, ch.y0, ch.x1, ch.y1, ch.get_text(), up) for ch in chars)
                continue
            text = "".join(part.get_text() for part in kept).strip()
            if text:
                box = (item.x0, item.y0, item.x1, item.y1)
                if stamp:
                    box = (
                        min(c.x0 for c in chars),
                        min(c.y0 for c in chars),
                        max(c.x1 for c in chars),
                        max(c.y1 for c in chars),
                    )
                bold = bool(BOLD.search(first.fontname))
                lines.append(Line(*box, text, first.size, bold))
    return lines, glyphs, aslant, images


ASLANT = 0.2  # a glyph turned more than about 11° and less than 79° is set aslant


def _apart(parts: list[Any]) -> tuple[list[Any], str]:
    """(the pieces of a line set upright or sideways, the text of its glyphs set aslant, with
    the spaces between them)."""
    kept: list[Any] = []
    stamp: list[str] = []
    slant = False
    for part in parts:
        if isinstance(part, LTChar):
            slant = _aslant(part.matrix)
        if slant:
            stamp.append(part.get_text())
        else:
            kept.append(part)
    return kept, "".join(stamp).strip()


NOTE_SIZE = 0.75  # a note mark is set this much smaller than its line's text, or smaller
NOTE_RISE = 0.15  # ... and raised by this share of the text's size above its baseline
_NOTE_MARKS = frozenset("0123456789*†")


def _without_note_marks(parts: list[Any]) -> list[Any]:
    """The pieces of a line without the note marks set superscript after a word ("Årsredovisning
    2024¹", "Beslut²": read as "20241", "Beslut2" otherwise)."""
    chars = [p for p in parts if isinstance(p, LTChar)]
    if len(chars) < 4:
        return parts
    size = statistics.median(c.size for c in chars)
    base = statistics.median(c.y0 for c in chars)
    out: list[Any] = []
    for part in parts:
        note = (
            isinstance(part, LTChar)
            and part.get_text() in _NOTE_MARKS
            and part.size < NOTE_SIZE * size
            and part.y0 > base + NOTE_RISE * size
            and bool(out)
            and not out[-1].get_text().isspace()
        )
        if not note:
            out.append(part)
    return out


def _aslant(matrix: tuple[float, ...]) -> bool:
    """Whether a glyph's text matrix turns it aslant, neither upright nor sideways."""
    a, b = abs(matrix[0]), abs(matrix[1])
    return b > ASLANT * a and a > ASLANT * b


LINE_NUMBERS = 4  # a margin column of at least this many numbers is Word's line numbering
_LINE_NUMBER = re.compile(r"^\d{1,4}$")


def without_line_numbers(lines: list[Line]) -> list[Line]:
    """A page's lines without the numbers of its line numbering (Word's "Radnumrering"): bare
    numbers right-aligned in a column left of all other text, rising down the page. Numbers in
    the text's own columns (a table's first column, a page number) are kept."""
    numbers = [ln for ln in lines if _LINE_NUMBER.match(ln.text.strip())]
    rest = [ln for ln in lines if not _LINE_NUMBER.match(ln.text.strip())]
    if len(numbers) < LINE_NUMBERS or not rest:
        return lines
    left = min(ln.x0 for ln in rest)
    column = [ln for ln in numbers if ln.x1 < left]
    edges = [ln.x1 for ln in column]  # right-aligned: one edge
    values = [int(ln.text) for ln in sorted(column, key=lambda ln: -ln.y1)]
    rising = all(a < b for a, b in zip(values, values[1:], strict=False))
    if len(column) < LINE_NUMBERS or max(edges) - min(edges) > 2 * CELL_EDGE or not rising:
        return lines
    return [ln for ln in lines if ln not in column]


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
    stamps: list[list[str]] = []  # each page's text set aslant: furniture (RUNNING hints)
    images: list[int] = []
    scanned: list[int] = []  # 0-based: pages that are an image without text
    layered: list[int] = []  # 0-based: pages that are an image under an OCR text layer
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
            lines, glyphs, aslant, n_images = _page_lines(layout)
            lines = without_line_numbers(lines)
            page_lines.append(lines)
            sideways.append(rotated_lines(glyphs))
            stamps.append(aslant)
            images.append(n_images)
            shown = sum(visible_chars(t) for t in [*(ln.text for ln in lines), *sideways[-1]])
            if n_images and _image_share(layout) >= SCAN_SHARE:
                (scanned if shown < SPARSE_CHARS else layered).append(number - 1)
    ordered, gutters = read_pages(page_lines)
    blocks = [
        (*layout_blocks(lines, g), *(Block(RUNNING, t) for t in aslant))
        for lines, g, aslant in zip(page_lines, gutters, stamps, strict=True)
    ]
    for text, turned in zip(ordered, sideways, strict=True):
        if turned:  # sideways text after the page body, set off by an empty line
            text = "\n".join([text, "", *turned]).lstrip("\n")
        texts.append(text.translate(LIGATURES))
    if not texts:
        raise UnreadableFile(str(path), "PDF-filen har inga sidor (skadad eller tom)")
    _check_text_layer(path, texts, images)
    if layered:
        texts, blocks = repair_text_layer(texts, blocks, set(layered))
    pages = tuple(
        Page(n, text, tuple(replace(b, text=b.text.translate(LIGATURES)) for b in hints))
        for n, (text, hints) in enumerate(zip(texts, blocks, strict=True), start=1)
    )
    return Extraction(
        pages, "pdf", pages_in_file=in_file, image_pages=tuple(n + 1 for n in scanned)
    )
