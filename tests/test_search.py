"""Search on the sample corpus with the real bundled model (offline): modes, filters,
quality targets, re-ingest, reload and stale-index detection."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from corpus.errors import IndexStale
from corpus.model import Filters
from corpus.settings import DEFAULT_MODEL, Settings
from corpus.store import Store
from index.build import ingest_and_index, sync_index
from index.evaluate import evaluate, load_queries
from index.search import ENCODE_POOL, Searcher

ROOT = Path(__file__).resolve().parents[1]
DEV_QUERIES = ROOT.parent / "shared" / "eval" / "dev-queries.json"
LOCAL_QUERIES = ROOT / "tests" / "data" / "dev-queries.json"


@pytest.fixture(scope="module")
def real(tmp_path_factory, e5, cache_dir, samples_dir):
    settings = Settings(
        db=tmp_path_factory.mktemp("real") / "f.db", model=DEFAULT_MODEL, cache_dir=cache_dir
    )
    report, _ = ingest_and_index([samples_dir], settings, encoder=e5)
    assert not report.failures
    store = Store.open(settings.db, readonly=True)
    yield Searcher(store, settings, encoder=e5)
    store.close()


def top(searcher: Searcher, query: str, mode: str, k: int = 5) -> list[tuple[str, int | None]]:
    ctxs = searcher.store.item_contexts([h.item_id for h in searcher.search(query, k, None, mode)])
    return [(c.source[:3], c.item.number) for c in ctxs]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("beslut om delårsrapport", ("002", 47)),
        ("placerade medel och avkastning", ("002", 46)),
        ("sommarhälsning till förbundsmedlemmarna", ("001", 24)),
        ("serviceavgift NNS", ("000", 57)),
    ],
)
@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_modes_find_the_expected_item(real: Searcher, query, expected, mode) -> None:
    k = 1 if mode == "hybrid" else 3
    assert expected in top(real, query, mode, k)


def test_english_query_finds_the_agenda_items(real: Searcher) -> None:
    found = top(real, "approval of the agenda", "hybrid", 5)
    assert {("000", 55), ("001", 17), ("002", 43)} <= set(found)


def test_candidates_carry_the_years_their_titles_name(real: Searcher) -> None:
    hits = real.search("medelstilldelning och indikativ budget", 20, None, "lexical")
    facts = real.candidates([h.item_id for h in hits])
    titles = {c.item.item_id: c.item.title for c in real.store.item_contexts(list(facts))}
    assert any(f.years == {2024} for f in facts.values())  # "Medelstilldelning 2024 och …"
    for item_id, f in facts.items():  # every year within what the title writes (ranges)
        written = [int(w) for w in re.findall(r"\b(?:19|20)\d\d\b", titles[item_id])]
        assert all(min(written) <= y <= max(written) for y in f.years)
        assert bool(f.years) == bool(written)


def test_candidates_hold_the_act_and_stances_of_the_decided_records(real: Searcher) -> None:
    """Re-ranking reads only the acts and stances of the records (corpus.store.rerank_rows):
    for every item of the samples they give what ingest.verdict.item_act gives over the
    full records, and the title's index terms are the analyzer's."""
    from corpus.model import KALLELSE
    from ingest.verdict import item_act

    ctxs = list(real.store.iter_item_contexts())
    facts = real.candidates([c.item.item_id for c in ctxs])
    assert len(facts) == len(ctxs)
    acts = set()
    for ctx in ctxs:
        decided = [r for r in ctx.item.records if not r.from_proposal]
        if ctx.doc_kind == KALLELSE:
            decided = []
        got = facts[ctx.item.item_id]
        assert got.act == item_act(decided)
        assert got.stances == frozenset(r.stance for r in decided if r.stance)
        assert got.title_terms == frozenset(real.lexical.analyzer.analyze(ctx.item.title))
        acts.add(got.act)
    assert len(acts - {None}) >= 3  # the samples decide several kinds of things


def test_a_dropped_searcher_is_freed_at_once(real: Searcher) -> None:
    """No reference cycle keeps a searcher (and the indexes it maps) alive once dropped, after
    searches that filled its caches: an app that reloads after an ingest, or a read-only
    mount, must not wait for a garbage collection to let go of the old index files."""
    import gc
    import weakref

    searcher = Searcher(real.store, real.settings, encoder=real.encoder)
    for mode in ("hybrid", "lexical", "dense"):
        assert searcher.search("beslut om delårsrapport", 5, None, mode)
    freed = weakref.ref(searcher)
    gc.disable()
    try:
        del searcher
        assert freed() is None
    finally:
        gc.enable()


def test_a_searcher_takes_another_lexical_index(real: Searcher) -> None:
    """use_lexical (scripts/tune_search.py's BM25 points): searches and the titles' terms
    come from the new index and its analyzer, not from what the searcher remembered."""
    from index.lexical import Bm25Params, LexicalIndex

    class Marked:
        """The new index's analyzer, marking the terms it gives a title."""

        def __init__(self, inner: object) -> None:
            self.inner = inner

        def analyze(self, text: str) -> list[str]:
            return [*self.inner.analyze(text), "§ny"]  # type: ignore[attr-defined]

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

    searcher = Searcher(real.store, real.settings, encoder=real.encoder)
    texts = list(real.store.item_texts())
    ids = [item_id for item_id, _, _ in texts]
    assert not any("§ny" in c.title_terms for c in searcher.candidates(ids).values())
    other = LexicalIndex.build(texts[::2], params=Bm25Params(title_weight=1))  # half the items
    other.analyzer = Marked(other.analyzer)  # type: ignore[assignment]
    searcher.use_lexical(other)
    assert searcher.lexical is other
    assert all("§ny" in c.title_terms for c in searcher.candidates(ids).values())
    hits = searcher.search("beslut om delårsrapport", 10, None, "lexical")
    assert hits and {h.item_id for h in hits} <= set(ids[::2])


def test_procedural_items_rank_below_substantive_ones(real: Searcher) -> None:
    hits = real.search("styrelsens beslut 2023", 10, None, "hybrid")
    flags = [c.item.procedural for c in real.store.item_contexts([h.item_id for h in hits])]
    assert flags[:5].count(True) == 0 or flags.index(True) > flags.index(False)
    adj = top(real, "val av protokolljusterare", "hybrid", 3)
    assert any(n in (54, 16, 42) for _, n in adj)


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_filters_apply_inside_every_mode(real: Searcher, mode) -> None:
    f = Filters(forbund=("Samordningsförbundet Västmanland",))
    ctxs = real.store.item_contexts([h.item_id for h in real.search("budget", 10, f, mode)])
    assert ctxs and {c.forbund for c in ctxs} == {"Samordningsförbundet Västmanland"}
    f = Filters(date_from="2021-01-01", date_to="2021-12-31")
    ctxs = real.store.item_contexts([h.item_id for h in real.search("avgift", 10, f, mode)])
    assert ctxs and {c.meeting_date for c in ctxs} == {"2021-10-28"}
    f = Filters(kinds=("minnesanteckningar",))
    ctxs = real.store.item_contexts([h.item_id for h in real.search("revision", 5, f, mode)])
    assert ctxs and {c.doc_kind for c in ctxs} == {"minnesanteckningar"}
    f = Filters(decisions_only=True)
    ctxs = real.store.item_contexts([h.item_id for h in real.search("rapport", 10, f, mode)])
    assert ctxs and all(c.item.decisions or c.item.proposals for c in ctxs)


def test_quality_targets_on_the_dev_queries(real: Searcher) -> None:
    path = DEV_QUERIES if DEV_QUERIES.exists() else LOCAL_QUERIES
    scores = {s.mode: s for s in evaluate(real, load_queries(path), ["lexical", "dense", "hybrid"])}
    hybrid = scores["hybrid"]
    assert hybrid.ndcg10 >= 0.85 and hybrid.recall20 >= 0.95
    assert hybrid.ndcg10 >= scores["dense"].ndcg10


def test_reload_gives_the_same_results(real: Searcher) -> None:
    again = Searcher(real.store, real.settings, encoder=real.encoder)
    for q in ("indikativ budget 2024", "avtal om ekonomitjänster", "NNS"):
        a = [(h.item_id, round(h.score, 6)) for h in real.search(q, 10)]
        b = [(h.item_id, round(h.score, 6)) for h in again.search(q, 10)]
        assert a == b


@pytest.mark.parametrize("filters", [None, Filters(date_from="2023-01-01")])
def test_the_query_embedded_beside_the_lexical_side_changes_no_result(
    real: Searcher, filters
) -> None:
    """A hybrid search embeds its query in a worker thread while the lexical side runs: the
    same hits, scores and parts as one after the other, filtered or not."""
    queries = ("indikativ budget 2024", "avtal om ekonomitjänster", "approval of the agenda")
    encode = real.encoder.encode_queries
    threads: list[str] = []

    def recorded(texts: list[str]) -> np.ndarray:
        threads.append(threading.current_thread().name)
        return encode(texts)

    before = real.overlap
    try:
        real.encoder.encode_queries = recorded  # type: ignore[method-assign]
        real.overlap = True
        got = {q: real.search(q, 10, filters) for q in queries}
        assert all(got.values())  # the filter leaves items to find (2023's protocols)
        assert threads and all(t.startswith(ENCODE_POOL) for t in threads)
        threads.clear()
        real.overlap = False
        assert {q: real.search(q, 10, filters) for q in queries} == got
        assert threads == [threading.current_thread().name] * len(queries)
    finally:
        real.overlap = before
        del real.encoder.encode_queries


def test_reingest_updates_the_index_and_stale_index_is_detected(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    sample = ROOT / "tests" / "data" / "protocols" / "gavleborg_2023-11-10.txt"
    target = src / "gavleborg.txt"
    shutil.copy(sample, target)
    settings = Settings(db=tmp_path / "db" / "f.db", model="hash", cache_dir=tmp_path / "c")
    ingest_and_index([src], settings)
    with Store.open(settings.db, readonly=True) as store:
        searcher = Searcher(store, settings)
        assert top(searcher, "Nya vägar", "lexical", 1) == [("gav", 4)]
        assert searcher.search("Vindelälven", 5, None, "lexical") == []
    text = sample.read_text("utf-8").replace("Projekt Nya vägar", "Projekt Vindelälven")
    target.write_text(text.replace("projektet Nya vägar", "projektet Vindelälven"), "utf-8")
    ingest_and_index([src], settings, index=False)
    with (
        Store.open(settings.db, readonly=True) as store,
        pytest.raises(IndexStale, match="finsam reindex"),
    ):
        Searcher(store, settings)
    with Store.open(settings.db) as store:
        sync_index(store, settings)
    with Store.open(settings.db, readonly=True) as store:
        searcher = Searcher(store, settings)
        assert top(searcher, "Vindelälven", "lexical", 1) == [("gav", 4)]
        assert len(searcher.dense) == store.stats().items == len(searcher.lexical)
        with pytest.raises(IndexStale, match="--model"):
            Searcher(store, Settings(db=settings.db, model="hash-32"))
