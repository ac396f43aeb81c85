"""OCR words made to look like a born-digital page's text: noise marks dropped, skew undone.

A scanner adds what a PDF from Word never has: specks and table borders read as "i", "|",
";" or ":", and a sheet fed a little askew, so that the cells of one table row no longer share
a baseline and fall apart into two rows in the wrong order. These pure functions clean the
words Tesseract read (ingest.ocr.OcrWord) before they are grouped into lines:

- ``denoised`` drops flat specks read as letters, marks without a letter or digit that
  Tesseract is unsure of, writes a list bullet read as "«" back as "•" and a dash read as
  two ("—-") as one "–";
- ``form_words`` writes back the diacritics OCR got wrong in a protocol's form words
  ("Pläts:" is "Plats:", "Narvarande" "Närvarande"): the meeting header is found by them;
- ``deskewed`` measures the slant of the text lines from the word boxes and turns the boxes
  level, so rows of table cells line up again.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.ocr import OcrWord

# A letter or digit at most this share of the page's typical word height is a speck.
FLAT = 0.4
# A word of capitals kept however unsure: at least this share of the typical height, its gap to
# the next word less than this share of its own height (a space is about 0.37 of a capital).
TALL = 0.8
PIECE_GAP = 0.5
# A mark without letters or digits (not a dash) read with less confidence than this is noise.
MARK_CONFIDENCE = 60.0
# A word of one or two characters read with less confidence than this is noise.
SHORT_CONFIDENCE = 20.0
# Marks that mean something however unsure their reading: dashes, § and its misreadings.
MARKS = {"-", "–", "—", "§", "§§", "$", "&", "%", "•", "?", "!", "(", ")"}
NEVER_TEXT = {"|", "||", "[", "]"}  # table borders
BULLETS = {"«", "»", "+", "*", "•"}  # what OCR makes of "•" at the start of a line
MAX_SKEW = math.radians(5.0)
# Marks glued to a word's ends that no protocol word carries: table borders, specks.
_GLUED = re.compile(r"^[<>|=~«»]+[:;.,]*(?=\w)|(?<=\w)[|<>=~«»]+$")
# A dash between words that OCR read as two dash characters ("—-", "-—", "--"): one en dash.
_DOUBLE_DASH = re.compile(r"^[-–—]{2}$")
# A line at the top or bottom of a page (this many lines in) may be a running header/footer.
EDGE_LINES = 4


def _digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def denoised(words: Sequence[OcrWord]) -> list[OcrWord]:
    """The words without specks and unsure marks; "•" written back at line starts."""
    heights = [w.height for w in words if _alnum(w.text)]
    typical = statistics.median(heights) if heights else 0.0
    first: dict[tuple[int, int, int], OcrWord] = {}
    for w in words:
        if w.line not in first or w.left < first[w.line].left:
            first[w.line] = w
    kept = _prefix_pieces(words, typical)
    out = []
    for w in words:
        text = _GLUED.sub("", w.text) or w.text
        if text != w.text:
            w = replace(w, text=text)
        short = len(text) <= 2 and w.conf < SHORT_CONFIDENCE and not _digit(text)
        if text in NEVER_TEXT or short and id(w) not in kept:
            continue
        if _DOUBLE_DASH.match(text):  # an en dash read as two dashes ("—-")
            out.append(replace(w, text="–"))
            continue
        if first[w.line] is w and text in BULLETS:
            out.append(replace(w, text="•"))
            continue
        if _alnum(text):
            if w.height < FLAT * typical:
                continue
        elif text not in MARKS and w.conf < MARK_CONFIDENCE:
            continue
        out.append(w)
    return out


def _prefix_pieces(words: Sequence[OcrWord], typical: float) -> set[int]:
    """Ids of the short words of capitals as tall as the page's words and glued to the next
    word of their line (no farther than a space): an abbreviation, or the first piece of a word
    Tesseract split, such as the label prefix "NVSam" read "NV Sam" with little confidence.
    A speck is neither that tall nor read as capitals beside a word."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    out = set()
    for group in lines.values():
        group = sorted(group, key=lambda w: w.left)
        for a, b in zip(group, group[1:], strict=False):
            if (
                a.text.isalpha()
                and a.text.isupper()
                and a.height >= TALL * typical
                and b.left - (a.left + a.width) < PIECE_GAP * a.height
                and b.text[:1].isalpha()
            ):
                out.add(id(a))
    return out


def _folded(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def form_words(words: Sequence[OcrWord]) -> list[OcrWord]:
    """The words with the form words of a protocol ("Plats", "Närvarande", "Justerare" …:
    ingest.people.NOT_NAME) spelt right where OCR read one of their letters with a wrong or
    missing diacritic; a trailing colon stays."""
    from ingest.people import NOT_NAME

    known = {_folded(w): w for w in NOT_NAME}
    out = []
    for w in words:
        stem = w.text.rstrip(":")
        right = known.get(_folded(stem)) if stem[:1].isupper() else None
        if right is not None and right != stem:
            w = replace(w, text=right + w.text[len(stem) :])
        out.append(w)
    return out


def skew(words: Sequence[OcrWord]) -> float:
    """The slant of the page's text lines (radians; positive: lines fall to the right),
    the median of the slopes of Tesseract's lines of at least three words."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        if _alnum(w.text):
            lines.setdefault(w.line, []).append(w)
    slopes = []
    for group in lines.values():
        if len(group) < 3:
            continue
        group = sorted(group, key=lambda w: w.left)
        # Theil–Sen: the median slope between word pairs, against descenders and accents.
        pairs = [
            ((b.top + b.height / 2) - (a.top + a.height / 2)) / dx
            for k, a in enumerate(group)
            for b in group[k + 1 :]
            if (dx := (b.left + b.width / 2) - (a.left + a.width / 2)) > 2 * a.height
        ]
        if pairs:
            slopes.append(statistics.median(pairs))
    if len(slopes) < 3:
        return 0.0
    angle = math.atan(statistics.median(slopes))
    return angle if abs(angle) <= MAX_SKEW else 0.0


def deskewed(words: Sequence[OcrWord]) -> list[OcrWord]:
    """The words with their boxes turned level (see ``skew``); boxes keep their size."""
    angle = skew(words)
    if not angle:
        return list(words)
    cos, sin = math.cos(angle), math.sin(angle)
    out = []
    for w in words:
        cx, cy = w.left + w.width / 2, w.top + w.height / 2
        x, y = cx * cos + cy * sin, cy * cos - cx * sin
        out.append(replace(w, left=round(x - w.width / 2), top=round(y - w.height / 2)))
    return out


# Separators OCR glues to the words of a running line ("PROTOKOLL..." for "PROTOKOLL ·"); a
# comma or a single full stop is the line's own punctuation ("Huddinge, Botkyrka och Salem").
_SEPARATORS = re.compile(r"^[·|•]+|(?:[·|•]+|\.{2,})$")


def _running_words(line: str) -> list[str]:
    return [_SEPARATORS.sub("", w) for w in line.split() if _alnum(w)]


def _running_key(line: str) -> str:
    return " ".join(re.sub(r"\d+", "#", w) for w in _running_words(line.casefold()))


def steady_running_lines(texts: Sequence[str]) -> list[str]:
    """Page texts whose running headers and footers read alike on every page.

    A running line ("SAMMANTRÄDESPROTOKOLL · Sammanträdesdatum 2022-11-24 · Sida 2 (4)") is
    the same on every page, but OCR reads its separators ("·", "|") as "-", ":" or nothing,
    differently from page to page, and the pages then no longer share it. A line near the top
    or bottom of at least half the pages (two at least) with the same words, numbers aside,
    loses its separators: marks standing alone between its words or glued to their ends.
    """
    pages = [t.split("\n") for t in texts]
    seen: Counter[str] = Counter()
    for lines in pages:
        filled = [ln for ln in lines if ln.strip()]
        edges = filled[:EDGE_LINES] + filled[-EDGE_LINES:]
        seen.update({k for k in map(_running_key, edges) if " " in k})
    need = max(2, (len(pages) + 1) // 2)
    running = {k for k, n in seen.items() if n >= need}
    if not running:
        return list(texts)
    out = []
    for lines in pages:
        fixed = [
            " ".join(_running_words(ln)) if _running_key(ln) in running else ln for ln in lines
        ]
        out.append("\n".join(fixed))
    return out
