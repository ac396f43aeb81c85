"""Named errors of the library. Shells (CLI, app) present them; the library never prints."""

from __future__ import annotations


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
