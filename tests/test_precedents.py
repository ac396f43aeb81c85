"""Precedents: the search's tuned fusion in its own order, one row per decision and meeting."""

from __future__ import annotations

import shutil
from collections import Counter

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


def test_in_the_fused_order_one_row_per_decision_and_per_meeting(searcher) -> None:
    found = precedents(searcher, DRAFT, k=8)
    assert found
    fused = [p.row.score for p in found]  # the row's score is the fused score
    assert fused == sorted(fused, reverse=True)
    keys = [
        (p.row.context.forbund, p.row.context.meeting_date, p.row.context.item.label) for p in found
    ]
    assert len(keys) == len(set(keys)), keys  # the copy of 000 adds no second row
    assert all(p.row.status == DECIDED for p in found)
    assert len({p.row.context.item.item_id for p in found}) == len(found)
    docs = [p.row.context.doc_id for p in found]
    assert len(docs) == len(set(docs))  # one item per meeting by default
    two = precedents(searcher, DRAFT, k=8, per_meeting=2)
    per_doc = Counter(p.row.context.doc_id for p in two)
    assert max(per_doc.values()) == 2 and len(two) >= len(found)


@pytest.mark.parametrize("order", sorted(precedents_module.ORDERS))
def test_every_order_lists_the_same_kind_of_rows(searcher, order) -> None:
    found = precedents(searcher, DRAFT, k=5, order=order, query_words=None, per_meeting=2)
    assert found and all(p.row.status == DECIDED for p in found)
    assert len({p.row.context.item.item_id for p in found}) == len(found)
    if order == "cosine":
        sims = [p.similarity for p in found]
        assert sims == sorted(sims, reverse=True)


def test_the_acts_a_draft_proposes() -> None:
    grant = "Bakgrund: styrelsen avslog ansökan förra året. Förslag till beslut: Styrelsen "
    assert precedents_module.proposed_acts(grant + "beviljar tilläggsäskandet.") == {"granted"}
    reject = "Förslag till beslut: att avslå ansökan, att lägga rapporten till handlingarna."
    assert precedents_module.proposed_acts(reject) == {"rejected", "noted"}
    assert precedents_module.proposed_acts("Ingen åtgärd.") == set()


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
