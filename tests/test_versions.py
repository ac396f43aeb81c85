"""Index versions: an update publishes a whole new version; searchers opened at any moment
load one whole version; while an ingest updates the index they answer from the last one."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
from writers import writer_running

from corpus.errors import IndexStale
from corpus.lock import write_lock, writer_active
from corpus.model import IngestReport
from corpus.settings import Settings
from corpus.store import Store
from index import build, versions
from index.build import ingest_and_index, sync_index
from index.embed import HashEncoder
from index.manifest import load_manifest
from index.search import Searcher

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
PROTOCOLS = sorted((ROOT / "tests" / "data" / "protocols").glob("*.txt"))


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "c" / "finsam.db", model="hash", cache_dir=tmp_path / "cache")


def add(settings: Settings, folder: Path, *sources: Path, index: bool = True) -> IngestReport:
    """Copy files into `folder` and ingest the folder: store, and index unless index=False
    (the state of a running ingest between its commits and its index update)."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in sources:
        shutil.copy(src, folder / src.name)
    report, _ = ingest_and_index([folder], settings, index=index, isolate=False)
    assert not report.failures, report.failures
    return report


def version_names(settings: Settings) -> list[str]:
    return [p.name for p in versions.versions(settings.index_dir)]


def test_each_update_publishes_a_new_version_and_removes_the_old(
    settings: Settings, tmp_path: Path
) -> None:
    add(settings, tmp_path / "in", *SAMPLES[:3])
    assert version_names(settings) == ["v000001"]
    assert versions.current(settings.index_dir) == settings.index_dir / "v000001"
    with Store.open(settings.db) as store:
        first = store.fingerprint()
        # Nothing changed: no new version, nothing rewritten.
        mtime = (settings.index_dir / "v000001" / "manifest.json").stat().st_mtime_ns
        assert "redan aktuellt" in sync_index(store, settings)
    assert version_names(settings) == ["v000001"]
    assert (settings.index_dir / "v000001" / "manifest.json").stat().st_mtime_ns == mtime

    add(settings, tmp_path / "in", SAMPLES[3])
    assert version_names(settings) == ["v000002"]
    manifest = load_manifest(settings.index_dir / "v000002")
    with Store.open(settings.db) as store:
        assert manifest is not None and manifest.complete
        assert manifest.corpus_fingerprint == store.fingerprint() != first
        assert manifest.count == len(store.item_ids())


def test_a_searcher_during_an_update_answers_from_the_last_version(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    add(settings, folder, *SAMPLES)
    with Store.open(settings.db) as store:
        before = set(store.item_ids())
    # An ingest stores new and changed files but has not yet updated the index: the same
    # state as a running `finsam ingest` between its commits and the index switch.
    (folder / SAMPLES[0].name).write_text(PROTOCOLS[0].read_text("utf-8"), encoding="utf-8")
    report = add(settings, folder, PROTOCOLS[1], index=False)
    assert (report.documents_added, report.documents_replaced) == (1, 1)

    with Store.open(settings.db, readonly=True) as store:
        now = set(store.item_ids())
        replaced = before - now
        assert replaced and now - before
        # Nobody is updating the index: it is stale, and the searcher says how to fix it.
        assert not writer_active(settings.lock_path)
        with pytest.raises(IndexStale) as stale:
            Searcher(store, settings)
        assert "finsam reindex" in stale.value.fix

        with writer_running(settings):
            assert writer_active(settings.lock_path)
            searcher = Searcher(store, settings)
            assert searcher.behind and searcher.behind_corpus()
            assert searcher.version == "v000001"
            for mode in ("lexical", "dense", "hybrid"):
                # Items of the replaced document are in the old index but not in the corpus.
                hits = searcher.search("protokoll beslut förbundet", 50, mode=mode)
                assert hits and {h.item_id for h in hits} <= now, mode
                assert not {h.item_id for h in hits} & replaced

        # The update publishes the next version; a new searcher is fresh again.
        with Store.open(settings.db) as writable:
            sync_index(writable, settings)
        fresh = Searcher(store, settings)
        assert not fresh.behind and not fresh.behind_corpus()
        assert fresh.version == "v000002"
    assert version_names(settings) == ["v000002"]


def test_the_first_index_being_built_is_named_as_such(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    add(settings, folder, SAMPLES[0], index=False)
    with (
        write_lock(settings.lock_path),
        Store.open(settings.db, readonly=True) as store,
        pytest.raises(IndexStale) as e,
    ):
        Searcher(store, settings)
    assert "building the first search index" in str(e.value)


class CountingEncoder(HashEncoder):
    """The hash encoder, counting the passages it embeds; with `batches`, it fails after that
    many batches (an update killed mid-way)."""

    def __init__(self, batches: int | None = None) -> None:
        super().__init__()
        self.batches = batches
        self.passages = 0

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        if self.batches is not None:
            if self.batches == 0:
                raise KeyboardInterrupt
            self.batches -= 1
        self.passages += len(texts)
        return super().encode_passages(texts)


def passage_count(settings: Settings, store: Store) -> int:
    from index.passages import passages

    return sum(
        len(passages(c.item, window_words=settings.window_words, overlap=settings.window_overlap))
        for c in store.iter_item_contexts()
    )


def test_an_interrupted_update_is_resumed_and_the_current_version_kept(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(settings, tmp_path / "in", SAMPLES[0])
    with Store.open(settings.db) as store:
        indexed = passage_count(settings, store)
    monkeypatch.setattr(build, "CHECKPOINT_S", 0.0)  # checkpoint after every batch
    add(settings, tmp_path / "in", *SAMPLES[1:], *PROTOCOLS, index=False)
    with Store.open(settings.db) as store:
        needed = passage_count(settings, store) - indexed
        first = CountingEncoder(batches=2)
        with pytest.raises(KeyboardInterrupt):
            sync_index(store, settings, encoder=first)
        # What searchers open is still the whole first version; the update's folder waits.
        assert versions.current(settings.index_dir) == settings.index_dir / "v000001"
        assert versions.unfinished(settings.index_dir) == settings.index_dir / "v000002"
        partial = load_manifest(settings.index_dir / "v000002")
        assert partial is not None and not partial.complete
        assert 0 < first.passages < needed

        second = CountingEncoder()
        sync_index(store, settings, encoder=second)
        items = len(store.item_ids())
    assert version_names(settings) == ["v000002"]
    manifest = load_manifest(settings.index_dir / "v000002")
    assert manifest is not None and manifest.complete and manifest.count == items
    # Resumed: nothing embedded twice, neither the first version's nor the checkpointed items.
    assert first.passages + second.passages == needed


def test_a_version_removed_while_a_searcher_loads_it_is_replaced_by_the_new_one(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(settings, tmp_path / "in", *SAMPLES[:2])
    add(settings, tmp_path / "in", SAMPLES[2], index=False)
    from index.dense import DenseIndex

    real_load = DenseIndex.load.__func__  # type: ignore[attr-defined]
    publish_now = [True]

    def load(cls: type[DenseIndex], folder: Path, **kw: object) -> DenseIndex:
        if publish_now and folder.name == "v000001":
            publish_now.clear()  # an update finishes while this searcher loads v000001
            with Store.open(settings.db) as store:
                sync_index(store, settings)
        return real_load(cls, folder, **kw)  # type: ignore[no-any-return]

    monkeypatch.setattr(DenseIndex, "load", classmethod(load))
    with write_lock(settings.lock_path), Store.open(settings.db, readonly=True) as store:
        searcher = Searcher(store, settings)
    assert searcher.version == "v000002" and not searcher.behind
    assert not (settings.index_dir / "v000001").exists()
    with Store.open(settings.db, readonly=True) as store:
        assert len(searcher.dense) == len(store.item_ids())


def test_an_index_of_the_first_layout_is_read_and_then_replaced(
    settings: Settings, tmp_path: Path
) -> None:
    add(settings, tmp_path / "in", *SAMPLES[:2])
    index_dir = settings.index_dir
    for path in (index_dir / "v000001").iterdir():  # the layout before versions
        path.rename(index_dir / path.name)
    (index_dir / "v000001").rmdir()
    (index_dir / versions.CURRENT).unlink()
    (index_dir / "notes.txt").write_text("not ours", encoding="utf-8")
    assert versions.current(index_dir) == index_dir
    with Store.open(settings.db, readonly=True) as store:
        assert Searcher(store, settings).search("budget", 5)
    add(settings, tmp_path / "in", SAMPLES[2])
    assert sorted(p.name for p in index_dir.iterdir()) == ["CURRENT", "notes.txt", "v000001"]
    with Store.open(settings.db, readonly=True) as store:
        assert Searcher(store, settings).version == "v000001"


def embedded_items(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the items passages are made of from now on (those an update embeds)."""
    from index import passages as passages_module

    seen: list[str] = []
    real = passages_module.passages

    def counting(item, **kw):  # type: ignore[no-untyped-def]
        seen.append(item.item_id)
        return real(item, **kw)

    monkeypatch.setattr(passages_module, "passages", counting)
    return seen


def test_an_update_reads_only_new_items_unless_asked_for_all(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    add(settings, tmp_path / "in", *SAMPLES[:3])
    add(settings, tmp_path / "in", SAMPLES[3], index=False)
    with Store.open(settings.db) as store:
        new_doc = next(d for d in store.iter_documents() if d.source == SAMPLES[3].name)
        new_items = store.count_items(new_doc.doc_id)
        all_items = len(store.item_ids())
        seen = embedded_items(monkeypatch)
        sync_index(store, settings)
        assert len(seen) == new_items  # the items already embedded were not read
        seen.clear()
        assert "redan aktuellt" in sync_index(store, settings, full=True)
        assert len(seen) == all_items  # a full check reads every item, finds nothing to do

        # Other window settings: every item is read again, and those whose windows change
        # (the long ones) are embedded again.
        wider = dataclasses.replace(settings, window_words=settings.window_words + 50)
        encoder = CountingEncoder()
        seen.clear()
        sync_index(store, wider, encoder=encoder)
        assert len(seen) == all_items and encoder.passages > 0
    manifest = load_manifest(versions.current(settings.index_dir))  # type: ignore[arg-type]
    assert manifest is not None and f"{settings.window_words + 50} words" in manifest.passages


def test_a_version_published_while_the_searcher_looks_is_the_one_opened(
    settings: Settings, tmp_path: Path
) -> None:
    add(settings, tmp_path / "in", *SAMPLES[:2])
    add(settings, tmp_path / "in", SAMPLES[2], index=False)
    with Store.open(settings.db) as store:
        calls: list[str] = []

        def fingerprint() -> str:
            """The corpus fingerprint; the first time, an update finishes just before."""
            if not calls:
                sync_index(store, settings)
            calls.append(store.fingerprint())
            return calls[-1]

        folder, manifest, behind = versions.open_version(
            settings.index_dir,
            fingerprint=fingerprint,
            model=HashEncoder().name,
            db=settings.db,
            lock=settings.lock_path,
        )
    assert (folder.name, behind) == ("v000002", False)
    assert manifest.corpus_fingerprint == calls[-1] and len(calls) == 2


def test_doctor_says_when_an_update_is_running(settings: Settings, tmp_path: Path) -> None:
    from index.doctor import diagnose

    add(settings, tmp_path / "in", *SAMPLES[:2])
    add(settings, tmp_path / "in", SAMPLES[2], index=False)
    with writer_running(settings):
        report = diagnose(settings)
    assert not report.ok
    assert "Index: korpusen har ändrats sedan indexet byggdes" in report.lines
    assert any("pågår just nu" in line for line in report.lines)
    assert not any("pågår just nu" in line for line in diagnose(settings).lines)


def test_an_update_builds_the_lexical_index_from_the_saved_tokens(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_lexical import assert_same_index

    from index.lexical import LexicalIndex

    folder = tmp_path / "in"
    add(settings, folder, *SAMPLES[:4])
    # One document replaced, one added: items go and come.
    (folder / SAMPLES[0].name).write_text(PROTOCOLS[0].read_text("utf-8"), encoding="utf-8")
    add(settings, folder, PROTOCOLS[1], index=False)
    read: list[int] = []
    real = Store.item_texts

    def item_texts(self: Store, item_ids: list[str] | None = None):  # type: ignore[no-untyped-def]
        read.append(-1 if item_ids is None else len(item_ids))
        return real(self, item_ids)

    monkeypatch.setattr(Store, "item_texts", item_texts)
    with Store.open(settings.db) as store:
        new = {c.item.item_id for c in store.iter_item_contexts()} - set(
            LexicalIndex.load(settings.index_dir / "v000001" / "lexical").item_ids
        )
        sync_index(store, settings)
        assert read == [len(new)]  # only the new items' texts were read
        scratch = LexicalIndex.build(real(store))
    assert_same_index(LexicalIndex.load(settings.index_dir / "v000002" / "lexical"), scratch)


def test_a_version_of_an_older_finsam_updates_reading_only_new_items(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version published before embedded.txt (embedded.json) and dense segments (dense.json
    of format 1) is updated in place of a rebuild: only the new items are embedded."""
    import json

    from index.checksums import write_checksums
    from index.dense_io import META_FILE

    add(settings, tmp_path / "in", *SAMPLES[:3])
    folder = versions.current(settings.index_dir)
    assert folder is not None
    lines = (folder / "embedded.txt").read_text("utf-8").splitlines()
    embedded = dict(line.split("\t") for line in lines)
    (folder / "embedded.json").write_text(json.dumps(embedded), "utf-8")
    (folder / "embedded.txt").unlink()
    meta = json.loads((folder / META_FILE).read_text("utf-8"))
    assert meta.pop("segments") == [] and meta.pop("base_passages") == meta["passages"]
    (folder / META_FILE).write_text(json.dumps({**meta, "format": 1}), "utf-8")
    write_checksums(folder)
    seen = embedded_items(monkeypatch)
    add(settings, tmp_path / "in", SAMPLES[3])
    with Store.open(settings.db) as store:
        new_doc = next(d for d in store.iter_documents() if d.source == SAMPLES[3].name)
        assert len(seen) == store.count_items(new_doc.doc_id)
        now = versions.current(settings.index_dir)
        assert now is not None and now != folder
        assert not (now / "embedded.json").exists() and (now / "embedded.txt").exists()
        searcher = Searcher(store, settings)
        assert len(searcher.dense) == len(store.item_ids())


@pytest.mark.parametrize("title_too", [True, False], ids=["title-and-parts", "parts"])
def test_an_index_built_with_other_bm25_term_frequencies_is_rebuilt_by_the_next_sync(
    settings: Settings, tmp_path: Path, title_too: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """An index of an earlier release that counted title words or compound parts otherwise
    (index.lexical.Bm25Params: title_weight, part_tf) is stale: a searcher says how to
    rebuild it, and `finsam reindex` (sync_index) builds a version with the code's (from the
    saved tokens when only the parts counted otherwise, else from the items)."""
    from index.build import LEXICAL_DIR
    from index.checksums import write_checksums
    from index.lexical import Bm25Params, LexicalIndex

    add(settings, tmp_path / "in", *SAMPLES[:2])
    folder = versions.current(settings.index_dir)
    assert folder is not None
    code = Bm25Params()
    old = Bm25Params(title_weight=code.title_weight + title_too, part_tf=code.part_tf * 2)
    with Store.open(settings.db) as store:
        fresh = Searcher(store, settings).lexical.search("serviceavgift", 10)
        LexicalIndex.build(store.item_texts(), params=old).save(folder / LEXICAL_DIR)
        write_checksums(folder)
        with pytest.raises(IndexStale, match="compound part.*finsam reindex"):
            Searcher(store, settings)
        with caplog.at_level(logging.INFO, logger="index.build"):
            assert "redan aktuellt" not in sync_index(store, settings)
        assert ("tokens kept" in caplog.text) is not title_too
        assert version_names(settings) == ["v000002"]
        searcher = Searcher(store, settings)
        assert searcher.lexical.params == code
        assert searcher.lexical.search("serviceavgift", 10) == fresh
