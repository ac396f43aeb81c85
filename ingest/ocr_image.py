"""A page image made ready for Tesseract: table rules taken out.

Protocols put their meeting facts and participants in ruled tables. On a scan the rules run a
little askew through the letters, and Tesseract's layout analysis then takes a row, or a whole
column, for a picture: the names and roles in it are never read. The ink of a rule is a long
straight run (a text stroke is short), so every horizontal or vertical run of dark pixels
longer than ``RULE_MM`` millimetres, with the grey edge around it, is painted white before the
page is read. A slant of a degree or two still counts as straight: a run may step one pixel
sideways. Pure: an image in, an image out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Darker than this (0 black – 255 white) is ink.
INK = 140
# A straight dark run at least this long is a rule, not a letter (an em dash at 12 pt is 4 mm,
# a capital's bar in a 30 pt title 5 mm).
RULE_MM = 8.5


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
