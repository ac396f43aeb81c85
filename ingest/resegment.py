"""Re-segment stored documents with the current segmenter, without their files.

Documents whose stored segmenter version is older than ``SEGMENTER_VERSION`` are made again from
what the store keeps: the extracted pages (ingest.document.document_of) or, for documents stored
before the store kept them, the cleaned text (document_of_text). Item ids are hashes of
(document id, label), so an item whose label is unchanged keeps its id and its place in the
index. Each document is replaced in its own transaction; one that cannot be redone is kept as it
was and reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from corpus.errors import CorpusError, InternalError
from corpus.lock import write_lock
from corpus.model import Failure, QualityWarning, ResegmentReport
from corpus.settings import Settings
from corpus.store import Store
from ingest.document import document_of, document_of_text
from ingest.segment import SEGMENTER_VERSION

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (documents done, documents total, current file)


def resegment(
    store: Store, progress: Progress | None = None, *, version: int = SEGMENTER_VERSION
) -> ResegmentReport:
    """Re-segment every document of a segmenter older than ``version`` (see module doc)."""
    todo = store.outdated_documents(version)
    documents = before = after = kept = from_text = 0
    failures: list[Failure] = []
    warned: list[tuple[str, tuple[QualityWarning, ...]]] = []
    for done, doc_id in enumerate(todo, start=1):
        old = store.get_document(doc_id)
        if old is None:  # removed meanwhile
            continue
        extraction = store.extraction(doc_id)
        try:
            if extraction is not None:
                new = document_of(extraction, doc_id=doc_id, source=old.source, path=old.path)
            else:
                new = document_of_text(old)
                from_text += 1
        except CorpusError as e:
            failures.append(Failure(old.path, getattr(e, "reason", str(e)), "unreadable"))
        except Exception as e:  # segmenting is our own code on text: a bug, reported
            log.exception("re-segmenting %s failed", old.path)
            reason = InternalError(old.path, f"{type(e).__name__}: {e}").reason
            failures.append(Failure(old.path, reason, "internal"))
        else:
            store.store_resegmented(new)
            documents += 1
            before += len(old.items)
            after += len(new.items)
            kept += len({it.item_id for it in old.items} & {it.item_id for it in new.items})
            if new.warnings:
                warned.append((old.path, new.warnings))
        if progress:
            progress(done, len(todo), old.source)
    return ResegmentReport(
        documents, before, after, kept, from_text, tuple(failures), tuple(warned)
    )


def resegment_and_index(
    settings: Settings,
    *,
    progress: Progress | None = None,
    index_progress: Progress | None = None,
    index: bool = True,
) -> tuple[ResegmentReport, str | None]:
    """Re-segment the corpus, then bring the index up to date (unless index=False), as one
    writer (like an ingest)."""
    from index.build import sync_index

    with write_lock(settings.lock_path), Store.open(settings.db) as store:
        report = resegment(store, progress)
        summary = None
        if index:
            summary = sync_index(store, settings, index_progress)
    return report, summary
