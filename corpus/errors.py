"""Named errors of the library. Shells (CLI, app) present them; the library never prints."""

from __future__ import annotations

import traceback
from pathlib import Path

# Exceptions that, raised in finsam's own code, mean a bug there rather than a damaged file.
BUG_TYPES = (AttributeError, TypeError, NameError, AssertionError, ImportError, NotImplementedError)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class CorpusError(Exception):
    """Base of every error the library raises on purpose."""


class UnreadableFile(CorpusError):
    """A file that cannot be read: broken, encrypted, wrong format, bomb, too large."""

    kind = "unreadable"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NeedsOCR(UnreadableFile):
    """A PDF with pages but no text layer (a scan)."""

    kind = "needs_ocr"

    def __init__(
        self, path: str, reason: str = "inga textlager (skannad PDF) – kräver OCR"
    ) -> None:
        super().__init__(path, reason)


class EmptyDocument(UnreadableFile):
    kind = "empty"

    def __init__(self, path: str, reason: str = "filen innehåller ingen text") -> None:
        super().__init__(path, reason)


class FileTooLarge(UnreadableFile):
    kind = "too_large"


class InternalError(UnreadableFile):
    """A bug in finsam met while reading a file: the file is probably fine."""

    kind = "internal"

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            path, f"internt fel i finsam ({detail}) – troligen inte fel på filen; rapportera det"
        )


def internal_error_site(exc: BaseException) -> str | None:
    """Where in finsam's own code an exception that means a bug there (BUG_TYPES) was raised,
    as "ingest/formats/pdf.py:123"; None when it is another kind, or was raised inside a
    library (a library failing on a damaged file)."""
    if not isinstance(exc, BUG_TYPES):
        return None
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return None
    where = Path(frames[-1].filename).resolve()
    if not where.is_relative_to(PROJECT_ROOT) or "site-packages" in where.parts:
        return None
    return f"{where.relative_to(PROJECT_ROOT)}:{frames[-1].lineno}"


class IndexStale(CorpusError):
    """The index on disk does not match the corpus (or the chosen model)."""

    def __init__(self, reason: str, fix: str = "finsam reindex") -> None:
        super().__init__(f"the search index is out of date: {reason}. Rebuild it with: {fix}")
        self.reason = reason
        self.fix = fix


class IndexDamaged(IndexStale):
    """Files of the index are damaged (a checksum or the shape of a file does not match)."""

    def __init__(self, reason: str, fix: str = "finsam doctor --repair") -> None:
        CorpusError.__init__(self, f"the search index is damaged: {reason}. Repair it with: {fix}")
        self.reason = reason
        self.fix = fix


class CorpusDamaged(CorpusError):
    """The corpus database, or a record stored in it, is damaged or lost."""

    def __init__(self, reason: str, fix: str = "Repair it with: finsam doctor --repair") -> None:
        super().__init__(f"the corpus is damaged: {reason}. {fix}")
        self.reason = reason
        self.fix = fix


class ModelUnavailable(CorpusError):
    """The embedding model cannot be loaded (not installed, no network for a hub name)."""


class CorpusLocked(CorpusError):
    """Another process holds the write lock of this corpus."""
