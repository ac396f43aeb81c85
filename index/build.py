"""Keep the index in step with the corpus: embed only what changed, resumably, and publish
each complete index as a new version (see index.versions), so searchers never see half of one.

A version folder holds plainly named files: dense.faiss (+ its id maps), lexical/ (BM25),
embedded.txt (item id -> passage fingerprint) and manifest.json.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.errors import IndexStale
from corpus.lock import write_lock
from corpus.model import IngestReport, ItemContext, item_key
from corpus.settings import Settings
from corpus.store import Store
from index import versions
from index.checksums import damaged_names, lexical_damaged, reusable_dense, update_skips
from index.embed import Encoder, load_encoder
from index.manifest import (
    EMBEDDED,
    EMBEDDED_JSON,
    Manifest,
    load_manifest,
    save_manifest,
    write_atomic,
    writing_index,
)
from index.versions import TEMPORARY

if TYPE_CHECKING:
    from index.dense import DenseIndex
    from index.lexical import LexicalIndex

log = logging.getLogger(__name__)

LEXICAL_DIR = "lexical"
CHECKPOINT_S = 60.0
PASSAGES_PER_ITEM = 8  # passages per item budgeted in one encode call (embed_batch items)
Progress = Callable[[int, int, str], None]


def remove_leftovers(folder: Path) -> list[str]:
    """Delete temporary files an interrupted save left behind (never read by a loader: they
    only ever become index files by an atomic rename). Call only while holding the lock."""
    removed = []
    for path in folder.rglob("*"):
        if path.is_file() and TEMPORARY.search(path.name):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    if removed:
        log.info("removed %d temporary files of an interrupted index save", len(removed))
    return removed


def _load_embedded(folder: Path) -> dict[str, str]:
    try:
        words = (folder / EMBEDDED).read_text("utf-8").split()
    except FileNotFoundError:
        return _load_embedded_json(folder)
    except (OSError, ValueError):
        return {}
    if len(words) % 2:
        return {}  # torn: the items are embedded again
    return dict(zip(words[::2], words[1::2], strict=True))


def _load_embedded_json(folder: Path) -> dict[str, str]:
    """The map as versions published before embedded.txt kept it."""
    try:
        return dict(json.loads((folder / EMBEDDED_JSON).read_text("utf-8")))
    except (OSError, ValueError):
        return {}


def _checkpoint(
    folder: Path, dense: DenseIndex, embedded: dict[str, str], manifest: Manifest
) -> None:
    dense.save(folder)
    text = "".join(f"{item_id}\t{fp}\n" for item_id, fp in embedded.items())
    write_atomic(folder / EMBEDDED, text.encode())
    (folder / EMBEDDED_JSON).unlink(missing_ok=True)  # of an older finsam's unfinished run
    save_manifest(folder, manifest)


def sync_index(
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
    *,
    encoder: Encoder | None = None,
    full: bool = False,
) -> str:
    """Bring the lexical and dense indexes up to date with the corpus. Returns a summary.
    Items are content-addressed, so only items the index lacks are read and embedded; with
    full=True (reindex, repair) every item's passages are compared with what was embedded.
    Holds the corpus write lock (re-entrant: an ingest that holds it may call this)."""
    with write_lock(settings.lock_path), writing_index(settings.index_dir, settings.db):
        try:
            return _sync_index(store, settings, progress, encoder, full)
        except IndexStale as e:
            if full:
                raise
            # An update that had to read what it otherwise links unread (the dense base, to
            # rebuild or rewrite it) and found it damaged: start again from what is sound.
            log.warning("the index could not be updated (%s); indexing everything again", e)
            return _sync_index(store, settings, progress, encoder, True)


def _base(
    index_dir: Path, encoder: Encoder, full: bool
) -> tuple[Path | None, Manifest | None, DenseIndex | None, dict[str, str]]:
    """Where to start from: an unfinished update's checkpoints, else the current version.
    Returns (folder, manifest, dense index, embedded map); all empty for a build from scratch.
    Unless `full`, the dense index's vectors are neither read nor checked here (see
    index.checksums.reusable_dense): an update links them unread."""
    from index.dense import DenseIndex

    for folder in (versions.unfinished(index_dir), versions.current(index_dir)):
        if folder is None:
            continue
        manifest = load_manifest(folder)
        if manifest is None or manifest.model != encoder.name or manifest.dim != encoder.dim:
            continue
        if folder == versions.current(index_dir) and not reusable_dense(folder, read_vectors=full):
            log.warning("the index version %s is damaged; its dense index is not reused", folder)
            continue
        try:
            dense = DenseIndex.load(folder, lazy=not full)
            return folder, manifest, dense, _load_embedded(folder)
        except Exception as e:  # a damaged index is rebuilt, never trusted
            log.warning("the dense index in %s could not be loaded (%s); not reused", folder, e)
    return None, None, None, {}


def _to_check(
    store: Store, ids: set[str], embedded: dict[str, str], everything: bool
) -> Iterator[ItemContext]:
    """The items whose passages must be compared with what was embedded: all of them, or
    only those the index lacks, in item-key order (read in chunks, so memory stays flat)."""
    if everything:
        yield from store.iter_item_contexts()
        return
    new = sorted(ids.difference(embedded), key=item_key)
    for start in range(0, len(new), 2000):
        yield from store.item_contexts(new[start : start + 2000])


def _up_to_date(
    folder: Path | None,
    manifest: Manifest | None,
    fingerprint_now: str,
    windows: str,
    n_todo: int,
    n_gone: int,
    full: bool,
) -> bool:
    """Whether the version in `folder` (with its manifest) already matches the corpus (then
    no new version is made)."""
    from index.lexical import LexicalIndex

    if folder is None or n_todo or n_gone:
        return False
    if (
        manifest is None
        or not manifest.complete
        or manifest.corpus_fingerprint != fingerprint_now
        or manifest.passages != windows
    ):
        return False
    try:
        LexicalIndex.load(folder / LEXICAL_DIR)
    except IndexStale:
        return False
    return not damaged_names(folder, skip=None if full else update_skips)


def _lexical(store: Store, base: Path | None, current: set[str], full: bool) -> LexicalIndex:
    """The lexical index of the corpus: the previous version updated with the new and gone
    items (index/lexical_update.py: the same index as a build from scratch, re-analysing only
    the words a change can affect), else from the previous version's tokens, else from
    scratch."""
    from index.lexical import Bm25Params, LexicalIndex
    from index.lexical_update import update_to

    if full or base is None or lexical_damaged(base):
        return LexicalIndex.build(store.item_texts())
    updated = update_to(base / LEXICAL_DIR, current, store.item_texts, Bm25Params())
    if updated is not None:
        return updated
    previous = LexicalIndex.saved_tokens(base / LEXICAL_DIR)
    if previous is None:
        return LexicalIndex.build(store.item_texts())
    known = set(previous.item_ids)
    new = sorted(current - known)
    log.info(
        "lexical index: %d items kept, %d new, %d gone (tokens kept, words analysed again)",
        len(known & current),
        len(new),
        len(known - current),
    )
    return LexicalIndex.build(store.item_texts(new), base=previous.without(known - current))


def _sync_index(
    store: Store,
    settings: Settings,
    progress: Progress | None,
    encoder: Encoder | None,
    full: bool,
) -> str:
    from index.dense import DenseIndex
    from index.passages import fingerprint, passage_settings, passages

    index_dir = settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(index_dir)
    versions.prune(index_dir)
    encoder = encoder or load_encoder(settings.model, settings.cache_dir)
    base, base_manifest, loaded, embedded = _base(index_dir, encoder, full)
    windows = passage_settings(settings.window_words, settings.window_overlap)
    everything = full or base_manifest is None or base_manifest.passages != windows
    dense = (
        loaded
        if loaded is not None
        else DenseIndex.new(encoder.dim, exact_limit=settings.exact_search_limit)
    )

    # What changed: items whose passage texts differ from what was embedded.
    current = store.item_id_set()
    todo: list[tuple[str, str, list[str]]] = []
    for ctx in _to_check(store, current, embedded, everything):
        texts = passages(
            ctx.item, window_words=settings.window_words, overlap=settings.window_overlap
        )
        fp = fingerprint(texts)
        if embedded.get(ctx.item.item_id) != fp:
            todo.append((ctx.item.item_id, fp, texts))
    # Gone: what the index holds that the corpus no longer has. The dense index's own ids count
    # too: a run killed after saving it but before embedded.txt left items only it knows.
    gone = sorted((set(embedded) | set(dense.item_ids())) - current)
    fingerprint_now = store.fingerprint()
    if base == versions.current(index_dir) and _up_to_date(
        base, base_manifest, fingerprint_now, windows, len(todo), len(gone), full
    ):
        summary = f"Index: redan aktuellt ({len(dense)} punkter, {encoder.name})."
        log.info(summary)
        return summary
    if gone:
        dense.remove(gone)
        for i in gone:
            embedded.pop(i, None)

    # The new version: the unfinished one resumed, or a new folder.
    unfinished = versions.unfinished(index_dir)
    if unfinished is not None and unfinished != base:
        versions.discard(unfinished)
        unfinished = None
    folder = unfinished or versions.next_folder(index_dir)

    def manifest(complete: bool) -> Manifest:
        return Manifest(
            model=encoder.name,
            dim=encoder.dim,
            count=len(dense),
            n_vectors=dense.n_vectors,
            corpus_fingerprint=fingerprint_now,
            dense_kind=getattr(dense, "kind", "flat"),
            complete=complete,
            passages=windows,
        )

    total = len(todo)
    last = time.monotonic()
    batch_items = max(1, settings.embed_batch)
    budget = batch_items * PASSAGES_PER_ITEM  # passages per encode call, so progress moves
    done = 0
    for chunk in _batches(todo, batch_items, budget):
        flat = [t for _, _, texts in chunk for t in texts]
        vecs = _encode(encoder, flat, budget)
        row = 0
        batch = []
        for item_id, _fp, texts in chunk:
            batch.append((item_id, vecs[row : row + len(texts)]))
            row += len(texts)
        dense.add_many(batch)
        for item_id, fp, _ in chunk:
            embedded[item_id] = fp
        done += len(chunk)
        if progress:
            progress(done, total, "inbäddning")
        if time.monotonic() - last > CHECKPOINT_S:
            _checkpoint(folder, dense, embedded, manifest(complete=False))
            last = time.monotonic()

    lexical = _lexical(store, base, current, full)
    lexical.save(folder / LEXICAL_DIR)
    _checkpoint(folder, dense, embedded, manifest(complete=True))
    versions.publish(index_dir, folder)
    summary = (
        f"Index: {len(dense)} punkter, {dense.n_vectors} passager ({encoder.name}); "
        f"{total} nya/ändrade inbäddade, {len(gone)} borttagna."
    )
    log.info(summary)
    return summary


def _batches(
    todo: list[tuple[str, str, list[str]]], max_items: int, max_passages: int
) -> Iterator[list[tuple[str, str, list[str]]]]:
    """Consecutive runs of at most `max_items` items and (unless one item alone has more)
    at most `max_passages` passages."""
    chunk: list[tuple[str, str, list[str]]] = []
    passages = 0
    for entry in todo:
        if chunk and (len(chunk) >= max_items or passages + len(entry[2]) > max_passages):
            yield chunk
            chunk, passages = [], 0
        chunk.append(entry)
        passages += len(entry[2])
    if chunk:
        yield chunk


def _encode(encoder: Encoder, texts: list[str], most: int) -> Any:
    """Vectors of `texts`, encoded `most` at a time (one item may have many passages)."""
    import numpy as np

    if len(texts) <= most:
        return encoder.encode_passages(texts)
    return np.concatenate(
        [encoder.encode_passages(texts[i : i + most]) for i in range(0, len(texts), most)]
    )


def ingest_and_index(
    paths: list[Path],
    settings: Settings,
    *,
    files_progress: Progress | None = None,
    index_progress: Progress | None = None,
    encoder: Encoder | None = None,
    index: bool = True,
    isolate: bool = True,
    follow_links: bool = False,
    on_page: Callable[[], None] | None = None,
) -> tuple[IngestReport, str | None]:
    """Ingest files into the corpus, then bring the index up to date (unless index=False).
    One writer at a time per corpus."""
    from ingest.pipeline import ingest_paths

    with write_lock(settings.lock_path), Store.open(settings.db) as store:
        report = ingest_paths(
            paths,
            store,
            settings,
            files_progress,
            isolate=isolate,
            follow_links=follow_links,
            on_page=on_page,
        )
        summary = None
        if index:
            summary = sync_index(store, settings, index_progress, encoder=encoder)
    return report, summary
