"""Small corpora of protocols written in a test, ingested and indexed with the hash test
encoder, for tests that search or list decisions over them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from corpus.settings import Settings
from corpus.store import Store
from index.build import ingest_and_index
from index.search import Searcher


@contextmanager
def text_corpus(folder: Path, texts: Mapping[str, str]) -> Iterator[Searcher]:
    """A searcher over the texts (file name -> text), ingested into ``folder``; every file
    must ingest."""
    docs = folder / "docs"
    docs.mkdir()
    for name, text in texts.items():
        (docs / name).write_text(text, "utf-8")
    settings = Settings(db=folder / "f.db", model="hash", cache_dir=folder / "cache")
    report, _ = ingest_and_index([docs], settings)
    assert not report.failures, report.failures
    store = Store.open(settings.db, readonly=True)
    try:
        yield Searcher(store, settings)
    finally:
        store.close()
