"""The one list of supported file formats: key, Swedish name, suffixes, reader.

``ingest.extract`` dispatches on it, ``ingest.pipeline`` finds files by its suffixes and the
app's upload fields take their types from it. A reader takes a path and a page limit and
returns pages numbered from 1 (text in reading order plus layout hints where the format has
them); it raises ``CorpusError`` subclasses for bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus.model import Extraction, Page

# A reader that stops at the page limit itself returns an Extraction, with the pages the file
# has and the pages it could not read (scans); extract.read() cuts the others' pages.
Reader = Callable[[Path, int], list[Page] | Extraction]


@dataclass(frozen=True, slots=True)
class Format:
    key: str  # what ingest.extract.detect_format answers
    name_sv: str  # shown to users: "PDF", "Word-fil (DOCX)"
    suffixes: tuple[str, ...]  # lower case, with the dot; the first is the usual one
    reader: Reader


def _pdf(path: Path, max_pages: int) -> Extraction:
    from ingest.formats.pdf import extract_pdf

    return extract_pdf(path, max_pages=max_pages)


def _docx(path: Path, max_pages: int) -> list[Page]:
    from ingest.formats.docx import extract_docx

    return extract_docx(path)


def _html(path: Path, max_pages: int) -> list[Page]:
    from ingest.formats.html import extract_html

    return extract_html(path)


def _text(path: Path, max_pages: int) -> list[Page]:
    from ingest.formats.text import extract_text_file

    return [Page(n, t) for n, t in enumerate(extract_text_file(path), start=1)]


FORMATS: tuple[Format, ...] = (
    Format("pdf", "PDF", (".pdf",), _pdf),
    Format("docx", "Word-fil (DOCX)", (".docx",), _docx),
    Format("html", "HTML-sida", (".html", ".htm", ".xhtml"), _html),
    Format("txt", "textfil", (".txt", ".md"), _text),
)
BY_KEY = {f.key: f for f in FORMATS}
SUPPORTED = tuple(f.key for f in FORMATS)
SUPPORTED_SUFFIXES = frozenset(s for f in FORMATS for s in f.suffixes)
UPLOAD_TYPES = tuple(s.lstrip(".") for f in FORMATS for s in f.suffixes)
