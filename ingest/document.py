"""Extraction -> Document: clean, segment and assess the pages a reader got from a file. Pure.

The one way a document is made, shared by ingesting a file (ingest.pipeline) and re-segmenting
what the store keeps (ingest.resegment), so both give the same document from the same pages.
"""

from __future__ import annotations

from dataclasses import replace

from corpus.errors import EmptyDocument
from corpus.model import Document, Extraction, Page
from ingest.bounds import bound_items
from ingest.clean import clean
from ingest.quality import assess, cut_warnings
from ingest.segment import segment

EMPTY_AFTER_CLEANING = "filen innehåller ingen löptext (bara sidhuvuden, sidnummer eller tecken)"


def document_of(extraction: Extraction, *, doc_id: str, source: str, path: str) -> Document:
    """The segmented document of an extraction, with its warnings and the extraction kept.
    Raises EmptyDocument when cleaning leaves no text (only page furniture and stray marks)."""
    cleaned = clean(list(extraction.pages))
    if not any(p.text.strip() for p in cleaned):
        raise EmptyDocument(path, EMPTY_AFTER_CLEANING)
    doc, cuts = bound_items(
        segment(cleaned, doc_id=doc_id, source=source, path=path, fmt=extraction.fmt)
    )
    warnings = assess(doc, extraction) + cut_warnings(cuts)
    return replace(doc, warnings=warnings, extraction=extraction)


def document_of_text(stored: Document) -> Document:
    """A stored document segmented again from its cleaned text, for documents stored before
    the store kept extractions. The text joins the cleaned pages with an empty line, and a
    cleaned page has no empty lines, so the pages come back; page numbers are those of the
    stored items where the count of pages does not match."""
    parts = [p for p in stored.text.split("\n\n") if p.strip()]
    numbers = range(1, len(parts) + 1) if len(parts) == stored.n_pages else _numbers(stored, parts)
    pages = [Page(n, t) for n, t in zip(numbers, parts, strict=True)]
    doc, cuts = bound_items(
        segment(pages, doc_id=stored.doc_id, source=stored.source, path=stored.path, fmt=stored.fmt)
    )
    return replace(doc, warnings=assess(doc) + cut_warnings(cuts))


def _numbers(stored: Document, parts: list[str]) -> list[int]:
    """Page numbers for the text parts of a stored document whose empty pages were left out:
    the first page of the first stored item that starts in each part, else the next number."""
    out: list[int] = []
    for part in parts:
        found = next(
            (it.pages[0] for it in stored.items if it.pages and it.body[:80] in part), None
        )
        prev = out[-1] if out else 0
        out.append(found if found is not None and found > prev else prev + 1)
    return out
