"""Keep the index folder in step with the corpus: embed only what changed, resumably.

The index folder holds plainly named files: dense.faiss (+ its id maps), lexical/ (BM25),
embedded.json (item id -> passage fingerprint) and manifest.json, each replaced atomically.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

from corpus.lock import write_lock
from corpus.model import IngestReport
from corpus.settings import Settings
from corpus.store import Store
from index.embed import Encoder, load_encoder
from index.manifest import Manifest, load_manifest, save_manifest, write_atomic

log = logging.getLogger(__name__)

EMBEDDED = "embedded.json"
LEXICAL_DIR = "lexical"
CHECKPOINT_S = 60.0
# Names of the temporary files of write_atomic, dense_io and the lexical index.
TEMPORARY = re.compile(r"\.tmp(-\d+)?$")
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
        return dict(json.loads((folder / EMBEDDED).read_text("utf-8")))
    except (OSError, ValueError):
        return {}


def _checkpoint(folder: Path, dense: object, embedded: dict[str, str], manifest: Manifest) -> None:
    dense.save(folder)  # type: ignore[attr-defined]
    write_atomic(folder / EMBEDDED, json.dumps(embedded).encode())
    save_manifest(folder, manifest)


def sync_index(
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
    *,
    encoder: Encoder | None = None,
) -> str:
    """Bring the lexical and dense indexes up to date with the corpus. Returns a summary.
    Holds the corpus write lock (re-entrant: an ingest that holds it may call this)."""
    with write_lock(settings.lock_path):
        return _sync_index(store, settings, progress, encoder)


def _sync_index(
    store: Store, settings: Settings, progress: Progress | None, encoder: Encoder | None
) -> str:
    from index.dense import DenseIndex
    from index.lexical import LexicalIndex
    from index.passages import fingerprint, passages

    folder = settings.index_dir
    folder.mkdir(parents=True, exist_ok=True)
    remove_leftovers(folder)
    encoder = encoder or load_encoder(settings.model, settings.cache_dir)
    old = load_manifest(folder)
    dense = None
    embedded: dict[str, str] = {}
    if old is not None and old.model == encoder.name and old.dim == encoder.dim:
        try:
            dense = DenseIndex.load(folder)
            embedded = _load_embedded(folder)
        except Exception as e:  # a damaged index is rebuilt, never trusted
            log.warning("dense index in %s could not be loaded (%s); rebuilding", folder, e)
            dense, embedded = None, {}
    if dense is None:
        dense = DenseIndex.new(encoder.dim, exact_limit=settings.exact_search_limit)
        embedded = {}

    # What changed: items whose passage texts differ from what was embedded.
    todo: list[tuple[str, str, list[str]]] = []
    current: set[str] = set()
    for ctx in store.iter_item_contexts():
        texts = passages(
            ctx.item, window_words=settings.window_words, overlap=settings.window_overlap
        )
        fp = fingerprint(texts)
        current.add(ctx.item.item_id)
        if embedded.get(ctx.item.item_id) != fp:
            todo.append((ctx.item.item_id, fp, texts))
    # Gone: what the index holds that the corpus no longer has. The dense index's own ids count
    # too: a run killed after saving it but before embedded.json left items only it knows.
    gone = sorted((set(embedded) | set(dense.item_ids())) - current)
    if gone:
        dense.remove(gone)
        for i in gone:
            embedded.pop(i, None)

    fingerprint_now = store.fingerprint()

    def manifest(complete: bool) -> Manifest:
        return Manifest(
            model=encoder.name,
            dim=encoder.dim,
            count=len(dense),
            n_vectors=dense.n_vectors,
            corpus_fingerprint=fingerprint_now,
            dense_kind=getattr(dense, "kind", "flat"),
            complete=complete,
        )

    total = len(todo)
    last = time.monotonic()
    batch_items = max(1, settings.embed_batch)
    for start in range(0, total, batch_items):
        chunk = todo[start : start + batch_items]
        flat = [t for _, _, texts in chunk for t in texts]
        vecs = encoder.encode_passages(flat)
        row = 0
        batch = []
        for item_id, _fp, texts in chunk:
            batch.append((item_id, vecs[row : row + len(texts)]))
            row += len(texts)
        dense.add_many(batch)
        for item_id, fp, _ in chunk:
            embedded[item_id] = fp
        if progress:
            progress(min(start + len(chunk), total), total, "inbäddning")
        if time.monotonic() - last > CHECKPOINT_S:
            _checkpoint(folder, dense, embedded, manifest(complete=False))
            last = time.monotonic()

    lexical = LexicalIndex.build(store.item_texts())
    lexical.save(folder / LEXICAL_DIR)
    _checkpoint(folder, dense, embedded, manifest(complete=True))
    summary = (
        f"Index: {len(dense)} punkter, {dense.n_vectors} passager ({encoder.name}); "
        f"{total} nya/ändrade inbäddade, {len(gone)} borttagna."
    )
    log.info(summary)
    return summary


def ingest_and_index(
    paths: list[Path],
    settings: Settings,
    *,
    files_progress: Progress | None = None,
    index_progress: Progress | None = None,
    encoder: Encoder | None = None,
    index: bool = True,
    isolate: bool = True,
) -> tuple[IngestReport, str | None]:
    """Ingest files into the corpus, then bring the index up to date (unless index=False).
    One writer at a time per corpus."""
    from ingest.pipeline import ingest_paths

    with write_lock(settings.lock_path), Store.open(settings.db) as store:
        report = ingest_paths(paths, store, settings, files_progress, isolate=isolate)
        summary = None
        if index:
            summary = sync_index(store, settings, index_progress, encoder=encoder)
    return report, summary
