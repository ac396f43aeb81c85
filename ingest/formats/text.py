"""Plain text (.txt, .md): decode bytes, normalise line ends, split pages at form feeds."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from corpus.errors import UnreadableFile

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte encodings Swedish text is found in, most likely first (wins ties).
LEGACY = ("cp1252", "mac_roman", "cp850")
NORDIC = frozenset("åäöÅÄÖéÉüÜøØæÆ")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.05


def bom_encoding(data: bytes) -> str | None:
    """The encoding announced by a byte order mark at the start of ``data``, if any."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when every other byte is NUL (Latin text in UTF-16), else None."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _legacy_score(text: str) -> int:
    """How Swedish the non-ASCII characters of a decoding look: Nordic letters +1, symbols -1."""
    score = 0
    for ch in text:
        if ord(ch) < 128:
            continue
        if ch in NORDIC:
            score += 1
        elif not ch.isalpha():
            score -= 1
    return score


def _decode_legacy(data: bytes) -> str:
    best_text, best_score = "", None
    for encoding in LEGACY:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _legacy_score(text)
        if best_score is None or score > best_score:
            best_text, best_score = text, score
    return best_text if best_score is not None else data.decode("latin-1")


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode bytes of a text file: BOM, then ``declared`` encoding, UTF-8, UTF-16, cp1252 …

    Without a BOM or a valid declaration, strict UTF-8 is tried, then UTF-16 without BOM,
    then the single-byte encoding among cp1252, Mac Roman and cp850 that makes the most
    Nordic letters (cp1252 on ties), and latin-1 as the last resort (never fails).
    """
    encoding = bom_encoding(data)
    if encoding:
        return data.decode(encoding, errors="replace")
    if declared:
        try:
            return data.decode(codecs.lookup(declared).name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _utf16_without_bom(data)
    if encoding:
        return data.decode(encoding, errors="replace")
    return _decode_legacy(data)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_binary(text: str) -> bool:
    """True when control characters (other than tab, newlines, form feed) are common."""
    if not text:
        return False
    return len(CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text)


def split_pages(text: str) -> list[str]:
    """Pages of a text: split at form feeds; one page when there is none.

    A form feed that ends the text (as many exporters write one after the last page)
    does not open an empty last page.
    """
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return pages


def extract_text_file(path: Path) -> list[str]:
    """Pages of a plain text file (decoded, LF line ends, split at form feeds)."""
    text = normalise_newlines(decode_text(path.read_bytes()))
    if looks_binary(text):
        raise UnreadableFile(str(path), "filen ser ut att vara binär, inte text")
    return split_pages(text)
