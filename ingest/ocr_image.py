"""A page image made ready for Tesseract (table rules taken out), and what only its pixels
tell about the words Tesseract read (a solid bullet read as letters).

Protocols put their meeting facts and participants in ruled tables. On a scan the rules run a
little askew through the letters, and Tesseract's layout analysis then takes a row, or a whole
column, for a picture: the names and roles in it are never read. The ink of a rule is a long
straight run (a text stroke is short), so every horizontal or vertical run of dark pixels
longer than ``RULE_MM`` millimetres, with the grey edge around it, is painted white before the
page is read. A slant of a degree or two still counts as straight: a run may step one pixel
sideways. Pure: an image in, an image out.

A list bullet drawn as a solid square or disc ("■", "●", Wingdings' "n" in a document from
Word) has no letter shape, and Tesseract reads it as "H", "IH", "EH", "I" or "BH": the list
item then starts with a capitalised word and looks like a heading. The ink of such a word is
one solid blob: ``solid_bullets`` writes "•" for the first word of a line whose ink is about
square and at least ``SOLID_FILL`` of it dark (a capital H fills about a third of its box).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ingest.ocr import OcrWord

# Darker than this (0 black – 255 white) is ink.
INK = 140
# A straight dark run at least this long is a rule, not a letter (an em dash at 12 pt is 4 mm,
# a capital's bar in a 30 pt title 5 mm).
RULE_MM = 8.5
# A word box at least this share inked is a solid mark, not letters.
SOLID_FILL = 0.7
# A bullet's ink: width over height within these bounds, at most this many characters read.
SQUARE = (0.75, 1.33)
BULLET_CHARS = 2
# A bullet is at least this share of the page's typical word height tall (a speck is a few
# pixels, a full stop a tenth of it).
BULLET_SIZE = 0.35


def _runs(ink: np.ndarray, length: int) -> np.ndarray:
    """The pixels of ``ink`` inside a run of at least ``length`` along each row."""
    rows, n = ink.shape
    if n < length:
        return np.zeros_like(ink)
    counts = np.zeros((rows, n + 1), np.int32)
    np.cumsum(ink, axis=1, out=counts[:, 1:])
    full = (counts[:, length:] - counts[:, :-length]) == length  # run of ``length`` from here
    starts = np.zeros((rows, n + 1), np.int32)
    np.cumsum(full, axis=1, out=starts[:, 1 : full.shape[1] + 1])
    starts[:, full.shape[1] + 1 :] = starts[:, full.shape[1] : full.shape[1] + 1]
    # A pixel is covered when a full run starts at most ``length - 1`` pixels before it.
    covered = starts[:, 1:].copy()
    covered[:, length:] -= starts[:, 1 : n + 1 - length]
    return (covered > 0) & ink


def _thick(mask: np.ndarray, axis: int) -> np.ndarray:
    """``mask`` grown one pixel each way along ``axis``."""
    out = mask.copy()
    if axis == 0:
        out[1:] |= mask[:-1]
        out[:-1] |= mask[1:]
    else:
        out[:, 1:] |= mask[:, :-1]
        out[:, :-1] |= mask[:, 1:]
    return out


def rules_mask(pixels: np.ndarray, dpi: float) -> np.ndarray:
    """Where the table rules of a grey page (``pixels``, 0–255) are."""
    length = max(8, round(RULE_MM / 25.4 * dpi))
    ink = pixels < INK
    across = _runs(_thick(ink, 0), length)  # a slanted rule steps between neighbouring rows
    down = _runs(np.ascontiguousarray(_thick(ink, 1).T), length).T
    return _thick(_thick(across | down, 0), 1)


def without_rules(image: Any, dpi: float) -> Any:
    """The page image (PIL, grey) with its table rules painted white."""
    from PIL import Image

    pixels = np.asarray(image.convert("L"))
    mask = rules_mask(pixels, dpi)
    if not mask.any():
        return image
    out = pixels.copy()
    out[mask] = 255
    return Image.fromarray(out)


def _solid(ink: np.ndarray, w: OcrWord, least: float) -> bool:
    """Whether the ink in the box of ``w`` is one about square blob, inked at least
    ``SOLID_FILL`` (the blob's extent: rows and columns holding a quarter of the most ink, so
    the blank margin of Tesseract's box and a speck beside it do not count)."""
    box = ink[max(0, w.top) : w.top + w.height, max(0, w.left) : w.left + w.width]
    if not box.any():
        return False
    rows, cols = box.sum(axis=1), box.sum(axis=0)
    ys = np.flatnonzero(rows >= rows.max() / 4)
    xs = np.flatnonzero(cols >= cols.max() / 4)
    blob = box[ys[0] : ys[-1] + 1, xs[0] : xs[-1] + 1]
    height, width = blob.shape
    if height < least:  # a speck, or a full stop
        return False
    return SQUARE[0] <= width / height <= SQUARE[1] and float(blob.mean()) >= SOLID_FILL


def solid_bullets(words: Sequence[OcrWord], image: Any) -> list[OcrWord]:
    """The words (boxes in ``image`` pixels) with a solid square or disc that starts a line
    read as "•" (see the module doc)."""
    first: dict[tuple[int, int, int], OcrWord] = {}
    for w in words:
        if w.line not in first or w.left < first[w.line].left:
            first[w.line] = w
    suspects = [w for w in first.values() if len(w.text) <= BULLET_CHARS and w.text != "•"]
    if not suspects:
        return list(words)
    heights = [w.height for w in words if any(ch.isalnum() for ch in w.text)]
    least = BULLET_SIZE * float(np.median(heights)) if heights else 0.0
    ink = np.asarray(image.convert("L")) < INK
    solid = {id(w) for w in suspects if _solid(ink, w, least)}
    return [replace(w, text="•") if id(w) in solid else w for w in words]
