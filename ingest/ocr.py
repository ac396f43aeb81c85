"""OCR of scanned PDF pages with Tesseract's Swedish model.

A page image is rendered with pypdfium2, read by the ``tesseract`` program (through
pytesseract, one process per page, so a page over its time limit is killed and the next one
goes on), and its words come back with boxes and confidences. Words are grouped into
Tesseract's lines and handed, in PDF coordinates, to the same reading-order code as a
born-digital page (``ingest.formats.pdf.order_lines``): a label and its value on one row are
joined as they are for a PDF from Word. Rotated pages (90/180/270°) are turned upright with
Tesseract's orientation detection when the first reading is poor; slight skew is handled by
Tesseract's own layout analysis.

The parsing of Tesseract's output into lines and the page confidence are pure functions;
rendering and the Tesseract call are the I/O at the edge.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corpus.errors import NeedsOCR
from corpus.model import Block, Page
from ingest.ocr_image import solid_bullets, without_rules
from ingest.ocr_layout import denoised, deskewed, form_words, steady_running_lines
from ingest.ocr_signs import Repair, find_repairs, point_repairs, relabel

log = logging.getLogger(__name__)

LANG = "swe"
DPI = 300
# A page whose words Tesseract trusts less than this (mean, weighted by length) is a warning.
LOW_CONFIDENCE = 70.0
# A line is kept only when at least one of its words holds a letter or digit read with at least
# this confidence: a smudge, a stamp or a dark bar gives lines of dots, dashes and unsure
# letters, and they would be invented text. (A misread "§" before a well-read title stays.)
MIN_WORD_CONFIDENCE = 30.0
# A font size in word-box heights (the median word box of a line is about 0.8 em high).
EM_PER_BAND = 1.25
# A gap between two words of a Tesseract line wider than this many word heights (about 1.2 em;
# a word space is under 0.6) is a column gap: the cells of a table row, a label and its value
# set apart by a tab. The line is split there into pieces, as pdfminer splits a born-digital
# PDF's line (a label cell "Beslut" beside its text is then read as the PDF's is).
COLUMN_GAP = 1.5
# Below this the first reading is so poor that the page may be turned: ask for its orientation.
RETRY_ORIENTATION = 55.0


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word Tesseract read: box in pixels (y grows downwards), confidence 0–100."""

    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str
    line: tuple[int, int, int]  # (block, paragraph, line) numbers: Tesseract's grouping


@dataclass(frozen=True, slots=True)
class OcrPage:
    """The reading of one page: text in reading order, confidence, and how it was read."""

    number: int
    text: str
    confidence: float | None  # None when no word was read
    blocks: tuple[Block, ...] = ()
    words: int = 0
    rotated: int = 0  # degrees the page was turned before reading
    error: str | None = None  # why the page could not be read (time limit, Tesseract failure)


def needs_ocr(text: str) -> bool:
    """A page whose text layer is no use: (almost) no visible characters, or mostly glyph
    ids without Unicode ("(cid:12)")."""
    from ingest.formats.pdf import CID, SPARSE_CHARS, visible_chars

    visible = visible_chars(text)
    cid = sum(len(m) for m in CID.findall(text))
    return visible < SPARSE_CHARS or cid > visible


def page_count(path: Path) -> int:
    """Pages of a PDF, as PDFium counts them (0 when it cannot open the file)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()


def available(lang: str = LANG) -> str | None:
    """None when Tesseract with ``lang`` can run here, else a Swedish reason for the user."""
    if shutil.which("tesseract") is None:
        return "Tesseract saknas (installera tesseract-ocr och tesseract-ocr-swe)"
    try:
        import pytesseract

        langs = pytesseract.get_languages(config="")
    except Exception as exc:  # a broken installation: say so, do not crash
        return f"Tesseract kan inte köras ({type(exc).__name__})"
    if lang not in langs:
        return f"Tesseracts språkmodell '{lang}' saknas (installera tesseract-ocr-{lang})"
    return None


def words_from_data(data: Mapping[str, Sequence[Any]]) -> list[OcrWord]:
    """Words of ``pytesseract.image_to_data(output_type=DICT)``: level-5 rows with text and a
    confidence."""
    out: list[OcrWord] = []
    for i, text in enumerate(data.get("text", ())):
        text = str(text).strip()
        if int(data["level"][i]) != 5 or not text:
            continue
        conf = float(data["conf"][i])
        if conf < 0:
            continue
        out.append(
            OcrWord(
                left=int(data["left"][i]),
                top=int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
                conf=conf,
                text=text,
                line=(int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i])),
            )
        )
    return out


_NUMBER = re.compile(r"^[§$S]?\d{1,4}$")


def trusted(words: Sequence[OcrWord]) -> list[OcrWord]:
    """The words of the lines that hold a number, or at least one letter or digit read with
    confidence ``MIN_WORD_CONFIDENCE`` or more (see there); other lines are noise, not text."""
    sound = {
        w.line
        for w in words
        if w.conf >= MIN_WORD_CONFIDENCE
        and any(ch.isalnum() for ch in w.text)
        or _NUMBER.match(w.text)  # a § number in a cell of its own, however unsure its sign
    }
    return [w for w in words if w.line in sound]


def confidence(words: Iterable[OcrWord]) -> float | None:
    """Mean word confidence weighted by word length (long words say more), or None."""
    total = weight = 0.0
    for word in words:
        total += word.conf * len(word.text)
        weight += len(word.text)
    return round(total / weight, 1) if weight else None


def page_lines(words: Sequence[OcrWord], scale: float, page_height: float) -> list[Any]:
    """Tesseract's lines as ``pdf.Line`` boxes in PDF points (y upwards), words joined; a line
    is split into pieces at its column gaps (``COLUMN_GAP``)."""
    from ingest.formats.pdf_rows import Line

    groups: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        groups.setdefault(word.line, []).append(word)
    lines = []
    for group in groups.values():
        group.sort(key=lambda w: w.left)
        # The line's band from the median word box, so one tall glyph does not widen it. Most
        # words reach from the baseline to the top of their capitals or ascenders: about
        # 0.8 em. A PDF's text line is one em high (its font size): make the band so, or a
        # list with a little space after each item reads as paragraphs apart.
        top = statistics.median(w.top for w in group) * scale
        bottom = statistics.median(w.top + w.height for w in group) * scale
        size = round((bottom - top) * EM_PER_BAND, 1)
        centre = page_height - (top + bottom) / 2
        for piece in _pieces(group):
            x0 = piece[0].left * scale
            x1 = max(w.left + w.width for w in piece) * scale
            text = _without_corner(" ".join(w.text for w in piece))
            lines.append(Line(x0, centre - size / 2, x1, centre + size / 2, text, size=size))
    return lines


def _pieces(group: Sequence[OcrWord]) -> list[list[OcrWord]]:
    """The words of one line (left to right) in pieces split at its column gaps; a piece that
    is what is left of a table's vertical rule is dropped (``_rule_mark``)."""
    height = statistics.median(w.height for w in group)
    pieces = [[group[0]]]
    for prev, word in zip(group, group[1:], strict=False):
        if word.left - (prev.left + prev.width) > COLUMN_GAP * height:
            pieces.append([word])
        else:
            pieces[-1].append(word)
    if len(pieces) > 1:  # a table's vertical rule read as a letter at either end
        pieces = [
            p for k, p in enumerate(pieces) if k not in (0, len(pieces) - 1) or not _rule_mark(p)
        ]
    return pieces


_RULE_GLYPHS = frozenset("Iil|![]")
_QUOTES = "\"'„”“’‘"


def _without_corner(text: str) -> str:
    """A piece's text without a quote mark glued to its first word that no other quote mark
    answers ('"Beslut Styrelsen beslutar'): the corner of a table's rules beside a cell."""
    glued = len(text) > 1 and text[0] in _QUOTES and text[1].isalnum()
    if glued and not any(ch in _QUOTES for ch in text[1:]):
        return text[1:]
    return text


def _rule_mark(piece: Sequence[OcrWord]) -> bool:
    """A piece that is one stroke read as a letter ("I", "l", "|"), set apart from the rest of
    its line by a column gap: what is left of a table's vertical rule beside a cell."""
    return len(piece) == 1 and len(piece[0].text) == 1 and piece[0].text in _RULE_GLYPHS


def text_of(
    words: Sequence[OcrWord], scale: float, page_height: float
) -> tuple[str, tuple[Block, ...]]:
    """Page text in reading order and its layout hints, by the born-digital PDF rules."""
    from ingest.formats.pdf import layout_blocks, order_lines

    lines = page_lines(words, scale, page_height)
    return (order_lines(lines), layout_blocks(lines)) if lines else ("", ())


def _read(image: Any, timeout_s: float) -> list[OcrWord]:
    import pytesseract

    data = pytesseract.image_to_data(
        image,
        lang=LANG,
        config="--psm 3",
        timeout=timeout_s,
        output_type=pytesseract.Output.DICT,
    )
    words = solid_bullets(words_from_data(data), image)
    return deskewed(form_words(trusted(denoised(words))))


def _orientation(image: Any, timeout_s: float) -> int:
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(
            image, timeout=timeout_s, output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractError:  # too little text to tell: leave the page as it is
        return 0
    return int(osd.get("rotate", 0)) % 360


def ocr_page(path: Path, number: int, *, dpi: int = DPI, timeout_s: float = 120.0) -> OcrPage:
    """Read page ``number`` (1-based) of the PDF at ``path``; never raises for one bad page."""
    import pypdfium2 as pdfium
    import pytesseract

    try:
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[number - 1]
            height = page.get_height()
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        finally:
            pdf.close()
        image = without_rules(image, dpi)
        scale = 72 / dpi
        words = _read(image, timeout_s)
        rotated = 0
        conf = confidence(words)
        if conf is None or conf < RETRY_ORIENTATION:
            turn = _orientation(image, timeout_s)
            if turn:
                turned = _read(image.rotate(-turn, expand=True), timeout_s)
                if (confidence(turned) or 0) > (conf or 0):
                    words, rotated, conf = turned, turn, confidence(turned)
                    height = image.rotate(-turn, expand=True).height * scale
        text, blocks = text_of(words, scale, height)
        return OcrPage(number, text, conf, blocks, len(words), rotated)
    except RuntimeError as exc:  # pytesseract's time-out
        if "timeout" in str(exc).lower():
            log.warning("%s: page %d: OCR over its time limit of %.0f s", path, number, timeout_s)
            return OcrPage(number, "", None, error=f"OCR avbröts efter {timeout_s:.0f} s")
        raise
    except (pytesseract.TesseractError, pdfium.PdfiumError, OSError) as exc:
        log.warning("%s: page %d: OCR failed: %s", path, number, exc)
        return OcrPage(number, "", None, error=f"OCR misslyckades ({type(exc).__name__})")


def _repaired_blocks(blocks: tuple[Block, ...], fixes: Sequence[Repair]) -> tuple[Block, ...]:
    """The blocks of a page whose § labels ``fixes`` repaired, repaired too (a block may be the
    whole line or the table cell that holds the label)."""
    out = []
    for block in blocks:
        text = next((t for f in fixes if (t := relabel(block.text.strip(), f))), None)
        out.append(replace(block, text=text) if text else block)
    return tuple(out)


def apply_ocr(
    path: Path,
    pages: Sequence[Page],
    numbers: Iterable[int],
    *,
    jobs: int = 0,
    timeout_s: float = 120.0,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Page], list[OcrPage]]:
    """``pages`` with the pages ``numbers`` (1-based) replaced by their OCR reading.

    Every OCRed page carries its confidence (``Page.ocr_confidence``); a page that could not
    be read keeps its old text and is listed with its error among the readings returned.
    """
    wanted = sorted({n for n in numbers if 1 <= n <= len(pages)})
    if not wanted:
        return list(pages), []
    readings = ocr_pages(path, wanted, jobs=jobs, timeout_s=timeout_s, progress=progress)
    lines = [t.split("\n") for t in steady_running_lines([r.text for r in readings])]
    fixes: dict[int, list[Repair]] = {}
    for fix in [*find_repairs(lines), *point_repairs(lines)]:
        lines[fix.page][fix.line] = fix.text or fix.new
        fixes.setdefault(fix.page, []).append(fix)
    out = list(pages)
    for k, reading in enumerate(readings):
        if reading.error is not None or not reading.words:  # nothing read: keep the page
            continue
        blocks = _repaired_blocks(reading.blocks, fixes.get(k, ()))
        out[reading.number - 1] = Page(
            reading.number, "\n".join(lines[k]), blocks, ocr_confidence=reading.confidence or 0.0
        )
    return out, readings


def ocr_pages(
    path: Path,
    numbers: Sequence[int],
    *,
    jobs: int = 0,
    dpi: int = DPI,
    timeout_s: float = 120.0,
    progress: Callable[[int], None] | None = None,
) -> list[OcrPage]:
    """Read the given pages, ``jobs`` Tesseract processes at a time (0: one per core).

    Raises NeedsOCR when Tesseract cannot run here, naming what is missing.
    """
    missing = available()
    if missing:
        raise NeedsOCR(str(path), f"sidorna är bilder och kräver OCR: {missing}")
    jobs = jobs or os.cpu_count() or 1
    # One thread per Tesseract process: we parallelise across pages instead.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    results: list[OcrPage] = []
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(numbers)))) as pool:
        for result in pool.map(lambda n: ocr_page(path, n, dpi=dpi, timeout_s=timeout_s), numbers):
            results.append(result)
            if progress is not None:
                progress(1)
    return results
