"""Precedents: the search's tuned fusion, most similar first, one row per decision."""

from __future__ import annotations

import shutil

import pytest

from corpus.model import DECIDED
from corpus.settings import Settings
from corpus.store import Store
from index import precedents as precedents_module
from index.precedents import precedents
from index.search import Searcher

DRAFT = (
    "Tjänsteskrivelse: Nationella nätverket för samordningsförbund (NNS) föreslår att "
    "serviceavgiften höjs till 3,5 promille av medelstilldelningen. Styrelsen ska ta "
    "ställning till förslaget inför medlemsmötet och ge ombudet instruktioner."
)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, samples_dir):
    """The samples plus a second copy of sample 000 (one byte more: another document with
    the same decisions), so a decision exists twice in the corpus."""
    from index.build import ingest_and_index

    tmp = tmp_path_factory.mktemp("prec")
    folder = tmp / "in"
    shutil.copytree(samples_dir, folder)
    original = next(folder.glob("000_*.txt"))
    (folder / "kopia_av_000.txt").write_bytes(original.read_bytes() + b"\n")
    settings = Settings(db=tmp / "f.db", model="hash", cache_dir=tmp / "cache")
    ingest_and_index([folder], settings)
    store = Store.open(settings.db, readonly=True)
    yield Searcher(store, settings)
    store.close()


def test_sorted_by_the_similarity_shown_one_row_per_decision(searcher) -> None:
    found = precedents(searcher, DRAFT, k=8)
    assert found
    sims = [p.similarity for p in found]
    assert sims == sorted(sims, reverse=True)
    keys = [
        (p.row.context.forbund, p.row.context.meeting_date, p.row.context.item.label) for p in found
    ]
    assert len(keys) == len(set(keys)), keys  # the copy of 000 adds no second row
    assert all(p.row.status == DECIDED for p in found)
    assert len({p.row.context.item.item_id for p in found}) == len(found)


def test_uses_the_search_tuning(searcher, monkeypatch) -> None:
    seen = {}
    real = precedents_module.rrf

    def spy(runs, **kwargs):
        seen.update(kwargs)
        return real(runs, **kwargs)

    monkeypatch.setattr(precedents_module, "rrf", spy)
    precedents(searcher, DRAFT, k=3)
    tuning = searcher.tuning
    assert seen == {"k0": tuning.rrf_k0, "weights": [tuning.lexical_weight, tuning.dense_weight]}


def test_empty_draft_and_k(searcher) -> None:
    assert precedents(searcher, "   ") == []
    assert precedents(searcher, DRAFT, k=0) == []
