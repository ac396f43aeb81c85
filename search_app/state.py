"""Heavy objects of the app, loaded once per process with st.cache_resource.

The corpus connection is keyed on the database file, the searcher on the index version it
loaded (its folder and the corpus fingerprint its manifest records), so a new index is picked
up by the next page run without a restart.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from corpus.settings import Settings
from corpus.store import Store
from index import versions
from index.embed import Encoder, QueryEncoder, encoder_name, load_encoder, load_query_encoder
from index.search import Searcher

log = logging.getLogger(__name__)

_warm_lock = threading.Lock()
_warm_started: set[tuple[str, str]] = set()


def settings() -> Settings:
    """The app's settings, from the environment the launcher sets (FINSAM_DB, FINSAM_MODEL …)."""
    return Settings.from_env()


def _db_identity(db: Path) -> tuple[str, int]:
    """The database file by path and inode: a replaced file is a new corpus."""
    try:
        return str(db.resolve()), db.stat().st_ino
    except OSError:
        return str(db.resolve()), 0


def _close(store: Store) -> None:
    try:
        store.close()
    except Exception:  # closing a connection another thread still uses must not crash the app
        log.debug("closing a cached store failed", exc_info=True)


@st.cache_resource(show_spinner=False, max_entries=4, on_release=_close)
def _store(db: str, inode: int) -> Store:
    return Store.open(db, readonly=True)


@st.cache_resource(show_spinner="Laddar språkmodellen …", max_entries=2)
def _encoder(model: str, cache_dir: str) -> Encoder:
    return load_encoder(model, Path(cache_dir))


@st.cache_resource(show_spinner="Laddar språkmodellen …", max_entries=2)
def _query_encoder(model: str, cache_dir: str) -> QueryEncoder:
    return load_query_encoder(model, Path(cache_dir))


@st.cache_resource(show_spinner="Laddar sökindexet …", max_entries=2)
def _searcher(
    db: str, inode: int, model: str, cache_dir: str, version: tuple[str, str]
) -> Searcher:
    s = Settings.from_env(db=db, model=model, cache_dir=cache_dir)
    return Searcher(_store(db, inode), s, encoder=_query_encoder(model, cache_dir))


def store(s: Settings | None = None) -> Store:
    """The corpus, opened read-only (CorpusError if there is none)."""
    s = s or settings()
    return _store(*_db_identity(s.db))


def encoder(s: Settings | None = None) -> Encoder:
    """The encoder of passages (and queries), for adding documents: for the bundled model it
    loads sentence-transformers, which takes seconds; searching never needs it."""
    s = s or settings()
    return _encoder(s.model, str(s.cache_dir))


def searcher(s: Settings | None = None) -> Searcher:
    """The searcher of the current index version. While an ingest updates the index it is the
    last complete version (Searcher.behind_corpus() says so); IndexStale if the index does not
    match the corpus and nothing is updating it."""
    s = s or settings()
    db, inode = _db_identity(s.db)
    folder, manifest, _ = versions.open_version(
        s.index_dir,
        fingerprint=_store(db, inode).fingerprint,
        model=encoder_name(s.model),
        db=s.db,
        lock=s.lock_path,
    )
    version = (folder.name, manifest.corpus_fingerprint)
    return _searcher(db, inode, s.model, str(s.cache_dir), version)


def forget() -> None:
    """Drop the cached corpus connection and searcher (after an ingest); keep the model."""
    _searcher.clear()
    _store.clear()


def warm_up(s: Settings | None = None) -> None:
    """Load the query encoder in the background, once per process, so that a first search is
    fast. The page never waits for this thread except where it needs the same object: the
    encoder imports only numpy and ctypes (index/query_encoder.py), so this thread holds no
    import lock of a module the page imports for a long time. (Loading the searcher here too
    made a later draft reader fail its imports under the 500 MB cap in
    test_app_inputs.py::test_prejudikat_refuses_a_bomb…: not understood yet, so not done.)"""
    s = s or settings()
    key = (s.model, str(s.cache_dir))
    with _warm_lock:
        if key in _warm_started:
            return
        _warm_started.add(key)

    def load() -> None:
        try:
            _query_encoder(*key)
        except Exception:  # the page that needs the model shows the error
            log.warning("warming up the model %s failed", key[0], exc_info=True)

    threading.Thread(target=load, name="finsam-warm-up", daemon=True).start()
