"""File -> list[Page]: sniff the format, extract page texts, raise named errors for bad input.

The text is NFC-normalised and keeps its line breaks; nothing else is cleaned here
(ingest.clean joins lines and removes running headers). Every failure is a CorpusError
naming the file and a reason a user understands; library exceptions never escape.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from corpus.errors import (
    CorpusError,
    EmptyDocument,
    FileTooLarge,
    InternalError,
    NeedsOCR,
    UnreadableFile,
    internal_error_site,
)
from corpus.model import Extraction, Page
from ingest.formats.registry import BY_KEY, FORMATS, SUPPORTED
from ingest.formats.text import bom_encoding

log = logging.getLogger(__name__)

__all__ = ["SUPPORTED", "detect_format", "extract"]
# What detect_format may answer besides SUPPORTED; extract() refuses these with a reason.
UNSUPPORTED = {
    "doc": "äldre Word-format (.doc) eller lösenordsskyddad Word-fil stöds inte "
    "– spara som .docx eller PDF",
    "odt": "OpenDocument-text (.odt) stöds inte – spara som .docx eller PDF",
    "rtf": "RTF stöds inte – spara som .docx eller PDF",
    "zip": "ett zip-arkiv, inte ett dokument",
    "binary": "filen ser ut att vara binär, inte text eller ett dokument som stöds",
}
KIND_NAMES = {f.key: f.name_sv for f in FORMATS}
KIND_NAMES.update(doc="äldre Word-fil (.doc)", odt="ODT-fil", rtf="RTF-fil", zip="zip-arkiv")
KIND_NAMES.update(binary="binär fil")
HEAD_BYTES = 8192
HTML_SUFFIXES = BY_KEY["html"].suffixes
HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.I | re.S
)
HTML_TAG = re.compile(rb"<(html|head|body)\b[^>]*>", re.I)
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _zip_kind(path: Path, head: bytes) -> str:
    if b"word/document.xml" in head:
        return "docx"
    if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
        return "odt"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return "binary"
    return "docx" if "word/document.xml" in names else "zip"


def _text_head(head: bytes) -> bytes | None:
    """ASCII-compatible view of the first bytes of a text file, or None when binary."""
    encoding = bom_encoding(head)
    if encoding and encoding != "utf-8-sig":
        return head.decode(encoding, errors="ignore").encode("utf-8", errors="ignore")
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and (odd.count(0) > 0.4 * len(odd) or even.count(0) > 0.4 * len(even)):
        return head.replace(b"\x00", b"")  # UTF-16 without BOM: text, NULs between letters
    if head and len(CONTROL_BYTES.findall(head)) > 0.05 * len(head):
        return None
    return head.removeprefix(b"\xef\xbb\xbf")


def detect_format(path: Path, head: bytes) -> str:
    """The format of a file from its first bytes (magic first), then its suffix.

    Answers one of SUPPORTED ("pdf", "docx", "html", "txt") or a key of UNSUPPORTED
    ("doc", "odt", "rtf", "zip", "binary"). The suffix is only trusted for text: random
    bytes named .pdf or .docx are "binary", never "pdf" or "docx". A zip's member list is
    read from ``path`` when ``head`` does not show whether it is a Word document.
    """
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path, head)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    text = _text_head(head)
    if text is None:
        return "binary"
    suffix = path.suffix.lower()
    if HTML_START.match(text) or suffix in HTML_SUFFIXES and HTML_TAG.search(text):
        return "html"
    if suffix in HTML_SUFFIXES and text.lstrip().startswith(b"<"):
        return "html"
    return "txt"


def _claimed(path: Path, fmt: str) -> None:
    """Refuse a file whose suffix claims PDF/DOCX while its bytes are something else."""
    suffix = path.suffix.lower()
    claims = {".pdf": "pdf", ".docx": "docx"}.get(suffix)
    if claims is None or claims == fmt or fmt in ("pdf", "docx"):
        return
    if claims == "docx" and fmt == "zip":
        return  # let the DOCX reader say what is missing
    what = KIND_NAMES.get(fmt, fmt)
    name = "en PDF-fil" if claims == "pdf" else "en Word-fil (DOCX)"
    raise UnreadableFile(str(path), f"inte {name} trots filändelsen {suffix} (filen är en {what})")


def _size(path: Path, max_bytes: int) -> int:
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise UnreadableFile(str(path), "filen finns inte") from exc
    except OSError as exc:
        raise UnreadableFile(str(path), f"filen kan inte läsas ({exc.strerror})") from exc
    if not path.is_file():
        raise UnreadableFile(str(path), "inte en vanlig fil")
    if info.st_size > max_bytes:
        raise FileTooLarge(
            str(path),
            f"filen är för stor ({info.st_size / 2**20:.1f} MB, gränsen är "
            f"{max_bytes / 2**20:.1f} MB)",
        )
    return info.st_size


def _read(path: Path, fmt: str, max_pages: int) -> Extraction:
    if fmt == "zip" and path.suffix.lower() in BY_KEY["docx"].suffixes:
        fmt = "docx"  # let the DOCX reader say what is missing (see _claimed)
    if fmt not in BY_KEY:
        raise UnreadableFile(str(path), UNSUPPORTED.get(fmt, f"formatet {fmt} stöds inte"))
    got = BY_KEY[fmt].reader(path, max_pages)
    if isinstance(got, Extraction):  # the reader stopped at the limit itself and says so
        return replace(got, fmt=fmt)
    if len(got) > max_pages:
        log.info("%s: more than %d pages; the rest is skipped", path, max_pages)
    return Extraction(tuple(got[:max_pages]), fmt, pages_in_file=len(got))


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """How extract() reads pages without a usable text layer (see corpus.settings.Settings.ocr)."""

    mode: str = "auto"  # auto | always | never
    page_timeout_s: float = 120.0
    jobs: int = 0  # Tesseract processes at a time; 0: one per core
    on_page: Callable[[], None] | None = None  # called after each page read by OCR


def _scanned(path: Path, max_pages: int) -> list[Page]:
    """Empty pages for a PDF whose pages are all images (to be read by OCR)."""
    from ingest.ocr import page_count

    return [Page(n, "") for n in range(1, min(page_count(path), max_pages) + 1)]


def _with_ocr(path: Path, pages: list[Page], ocr: OcrOptions) -> list[Page]:
    """The pages, those without a usable text layer (every page: mode always) read by OCR."""
    from ingest.ocr import apply_ocr, needs_ocr

    wanted = [p.number for p in pages if ocr.mode == "always" or needs_ocr(p.text)]
    if not wanted:
        return pages
    on_page = ocr.on_page
    progress = (lambda _n: on_page()) if on_page is not None else None  # noqa: E731
    out, readings = apply_ocr(
        path, pages, wanted, jobs=ocr.jobs, timeout_s=ocr.page_timeout_s, progress=progress
    )
    if not any(p.text.strip() for p in out):
        errors = sorted({r.error for r in readings if r.error})
        why = f" ({'; '.join(errors)})" if errors else ""
        raise NeedsOCR(str(path), f"skannad PDF: OCR fann ingen text på sidorna{why}")
    return out


def _normalised(page: Page, number: int) -> Page:
    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text.replace("\x00", ""))

    blocks = tuple(replace(b, text=nfc(b.text)) for b in page.blocks)
    return Page(number, nfc(page.text), blocks, ocr_confidence=page.ocr_confidence)


def extract(
    path: Path,
    *,
    max_bytes: int = 250 * 2**20,
    max_pages: int = 2000,
    ocr: OcrOptions | None = None,
) -> list[Page]:
    """The pages of a file (see read())."""
    return list(read(path, max_bytes=max_bytes, max_pages=max_pages, ocr=ocr).pages)


def read(
    path: Path,
    *,
    max_bytes: int = 250 * 2**20,
    max_pages: int = 2000,
    ocr: OcrOptions | None = None,
) -> Extraction:
    """Pages of a PDF, DOCX, HTML or text file: 1-based numbers, NFC text, line breaks kept,
    with what could not be read (pages past ``max_pages``, scanned pages not read) as facts.

    With ``ocr`` (mode auto or always), the pages of a PDF without a usable text layer are
    read by OCR (ingest/ocr.py) and carry their confidence; without it nothing is run.

    Raises FileTooLarge (checked before reading), EmptyDocument (no text at all),
    NeedsOCR (a PDF without text layer, OCR off or unavailable), UnreadableFile (broken,
    encrypted, wrong format, zip bomb …) and InternalError (a bug of ours, not a damaged
    file); every error names the file and the reason.
    """
    path = Path(path)
    size = _size(path, max_bytes)
    if size == 0:
        raise EmptyDocument(str(path), "filen är tom (0 byte)")
    fmt = ""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
        fmt = detect_format(path, head)
        _claimed(path, fmt)
        try:
            extraction = _read(path, fmt, max_pages)
        except NeedsOCR:
            if fmt != "pdf" or ocr is None or ocr.mode == "never":
                raise
            scanned = _scanned(path, max_pages)
            extraction = Extraction(tuple(scanned), fmt, pages_in_file=len(scanned))
        if fmt == "pdf" and ocr is not None and ocr.mode != "never":
            read_pages = tuple(_with_ocr(path, list(extraction.pages), ocr))
            unread = tuple(n for n in extraction.image_pages if not read_pages[n - 1].text.strip())
            extraction = replace(extraction, pages=read_pages, image_pages=unread)
    except CorpusError:
        raise
    except OSError as exc:
        raise UnreadableFile(str(path), f"filen kan inte läsas ({exc.strerror or exc})") from exc
    except MemoryError:  # the memory cap stopped it: the caller says so; not a damaged file
        raise
    except Exception as exc:
        site = internal_error_site(exc)
        if site is not None:
            log.error("%s: internal error while reading", path, exc_info=True)
            raise InternalError(str(path), f"{type(exc).__name__} i {site}") from exc
        log.warning("%s: extraction failed", path, exc_info=True)
        what = {"pdf": "PDF-filen", "docx": "Word-filen", "html": "HTML-filen"}.get(fmt, "filen")
        raise UnreadableFile(
            str(path), f"{what} är skadad och kan inte läsas ({type(exc).__name__})"
        ) from exc
    pages = tuple(_normalised(p, n) for n, p in enumerate(extraction.pages, start=1))
    if not any(p.text.strip() for p in pages):
        raise EmptyDocument(str(path))
    log.debug("%s: %s, %d pages", path, fmt, len(pages))
    return replace(extraction, pages=pages)
