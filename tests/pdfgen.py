"""Test helper: write real PDF files with reportlab (stable API for round-trip tests).

    from pdfgen import paginate, render_pdf

    pages = paginate(protocol_text, lines_per_page=40)
    render_pdf(pages, tmp_path / "protokoll.pdf", header="Samordningsförbundet X",
               footer="Justerare: ____", page_numbers="Sida {n} ({total})")

- ``render_pdf`` draws one PDF page per entry of ``pages`` (more when an entry does not fit:
  the overflow continues on an extra page, and ``{total}`` counts the pages really drawn).
  Lines are kept as given ("\\n" = new line, an empty line = a blank line); a line wider than
  the text area is wrapped at word boundaries. The running header is drawn top left, the page
  number ("Sida 3 (9)") top right (or bottom right with ``page_number_position="bottom"``),
  the footer bottom left. Text uses the built-in Helvetica (WinAnsi encoding: å ä ö é – “ ” €
  round-trip through pdfminer; characters outside cp1252 do not).
- ``render_image_only_pdf`` writes a "scanned" PDF: every page is a raster image, no text.
- ``render_encrypted_pdf`` writes a password-protected PDF (RC4 128, user password needed).
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

FONT = "Helvetica"
MARGIN_X = 70.0
MARGIN_TOP = 60.0  # header baseline distance from the top edge
MARGIN_BOTTOM = 45.0  # footer baseline distance from the bottom edge
BODY_GAP = 30.0  # space between header/footer and body text


def paginate(text: str, lines_per_page: int = 45) -> list[str]:
    """Split text into pages of at most ``lines_per_page`` lines (a form feed forces a page)."""
    if lines_per_page < 1:
        raise ValueError("lines_per_page must be at least 1")
    pages: list[str] = []
    for chunk in text.split("\f"):
        lines = chunk.split("\n")
        for start in range(0, len(lines), lines_per_page):
            pages.append("\n".join(lines[start : start + lines_per_page]))
    return pages


def _layout(pages: list[str], width: float, max_lines: int, font_size: int) -> list[list[str]]:
    """Wrap each page's lines to ``width``; pages with too many lines overflow onto new pages."""
    physical: list[list[str]] = []
    for page in pages:
        wrapped: list[str] = []
        for line in page.split("\n"):
            wrapped.extend(simpleSplit(line, FONT, font_size, width) or [""])
        if not wrapped:
            wrapped = [""]
        for start in range(0, len(wrapped), max_lines):
            physical.append(wrapped[start : start + max_lines])
    return physical or [[""]]


def render_pdf(
    pages: list[str],
    path: Path,
    *,
    header: str | None = None,
    footer: str | None = None,
    page_numbers: str | None = "Sida {n} ({total})",
    font_size: int = 10,
    page_number_position: str = "top",
) -> Path:
    """Write ``pages`` as a PDF with running header, footer and page numbers; return ``path``.

    ``page_numbers`` is a format string with ``{n}`` (1-based) and ``{total}``; None omits it.
    ``page_number_position`` is "top" (right end of the header line) or "bottom".
    """
    if page_number_position not in ("top", "bottom"):
        raise ValueError("page_number_position must be 'top' or 'bottom'")
    page_w, page_h = A4
    leading = font_size * 1.2
    text_w = page_w - 2 * MARGIN_X
    top = page_h - MARGIN_TOP - BODY_GAP
    bottom = MARGIN_BOTTOM + BODY_GAP
    max_lines = max(1, int((top - bottom) // leading) + 1)
    physical = _layout(pages, text_w, max_lines, font_size)
    total = len(physical)

    canvas = Canvas(str(path), pagesize=A4, pageCompression=1)
    canvas.setTitle(path.stem)
    for n, lines in enumerate(physical, start=1):
        canvas.setFont(FONT, font_size)
        if header:
            canvas.drawString(MARGIN_X, page_h - MARGIN_TOP, header)
        if footer:
            canvas.drawString(MARGIN_X, MARGIN_BOTTOM, footer)
        if page_numbers:
            label = page_numbers.format(n=n, total=total)
            y = page_h - MARGIN_TOP if page_number_position == "top" else MARGIN_BOTTOM
            canvas.drawRightString(page_w - MARGIN_X, y, label)
        text = canvas.beginText(MARGIN_X, top)
        text.setFont(FONT, font_size)
        text.setLeading(leading)
        for line in lines:
            text.textLine(line)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return path


def _scan_image(seed: int) -> Image.Image:
    """A grey "scanned page": speckle noise and dark bars where text lines would be."""
    rng = random.Random(seed)
    image = Image.new("L", (300, 424), color=245)
    draw = ImageDraw.Draw(image)
    for row in range(40, 390, 14):
        width = rng.randint(120, 240)
        draw.rectangle((30, row, 30 + width, row + 6), fill=rng.randint(20, 80))
    for _ in range(400):
        x, y = rng.randrange(300), rng.randrange(424)
        draw.point((x, y), fill=rng.randint(0, 200))
    return image


def render_image_only_pdf(path: Path, pages: int = 1) -> Path:
    """Write a PDF whose pages hold only a raster image and a drawn frame (no text layer)."""
    page_w, page_h = A4
    canvas = Canvas(str(path), pagesize=A4)
    for n in range(pages):
        canvas.drawImage(ImageReader(_scan_image(n)), 40, 40, page_w - 80, page_h - 80)
        canvas.rect(30, 30, page_w - 60, page_h - 60)
        canvas.showPage()
    canvas.save()
    return path


def render_encrypted_pdf(path: Path, password: str = "hemligt", text: str = "Protokoll") -> Path:
    """Write a one-page PDF that needs ``password`` to open (readers without it see nothing)."""
    canvas = Canvas(str(path), pagesize=A4, encrypt=password)
    canvas.setFont(FONT, 12)
    canvas.drawString(MARGIN_X, A4[1] - 100, text)
    canvas.showPage()
    canvas.save()
    return path


def render_scanned_pages_pdf(
    pages: list[str], path: Path, *, scanned_after: tuple[int, ...], font_size: int = 10
) -> Path:
    """Write a text PDF (one page per text, as render_pdf sets it) with a scanned page (an
    image and no text layer) inserted after each 1-based text page of ``scanned_after``."""
    page_w, page_h = A4
    leading = font_size * 1.2
    canvas = Canvas(str(path), pagesize=A4, pageCompression=1)
    for n, page in enumerate(pages, start=1):
        text = canvas.beginText(MARGIN_X, page_h - MARGIN_TOP - BODY_GAP)
        text.setFont(FONT, font_size)
        text.setLeading(leading)
        for line in _layout([page], page_w - 2 * MARGIN_X, 10**6, font_size)[0]:
            text.textLine(line)
        canvas.drawText(text)
        canvas.showPage()
        if n in scanned_after:
            canvas.drawImage(ImageReader(_scan_image(n)), 40, 40, page_w - 80, page_h - 80)
            canvas.showPage()
    canvas.save()
    return path
