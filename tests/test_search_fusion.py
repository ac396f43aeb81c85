"""index.tuning.Tuning's fusion setting reaches the searcher: with a convex fusion (and the
re-ranking factors neutral) a hybrid search ranks as index.fuse.convex ranks the searcher's
own lexical and dense runs; RRF stays the default unless the tuning chose otherwise."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corpus.store import Store
from index.fuse import convex, rrf
from index.search import Searcher
from index.tuning import FUSIONS, SCORE_BOUNDS, Tuning

# Re-ranking that changes no score (furniture is still dropped), and no third run of a
# concept's terms (index.glosses) beside the two the test fuses.
NEUTRAL = Tuning(
    gloss_weight=0.0,
    coverage_power=0.0,
    procedural_factor=1.0,
    month_boost=1.0,
    year_boost=1.0,
    act_boost=1.0,
    notice_factor=1.0,
    other_year_factor=1.0,
    title_boost=0.0,
)
QUERIES = ("delårsrapport", "placerade medel och avkastning", "approval of the agenda")


@pytest.fixture(scope="module")
def searcher(sample_settings):  # type: ignore[no-untyped-def]
    store = Store.open(sample_settings.db, readonly=True)
    yield Searcher(store, sample_settings)
    store.close()


def runs(s: Searcher, query: str) -> tuple[list, list, str]:  # type: ignore[type-arg]
    intent, terms = s.read_query(query)
    depth = s.tuning.depth
    lexical = s.lexical.search_terms(terms, depth, None)
    dense = s.dense.search(s.encoder.encode_queries([query])[0], depth, None)
    return lexical, dense, intent.lang


def kept(s: Searcher, hits: list) -> list[tuple[str, float]]:  # type: ignore[type-arg]
    facts = s.candidates([h.item_id for h in hits])
    return [(h.item_id, h.score) for h in hits if not facts[h.item_id].furniture]


@pytest.mark.parametrize("fusion", [f for f in FUSIONS if f != "rrf"])
@pytest.mark.parametrize("query", QUERIES)
def test_a_convex_searcher_ranks_as_the_fusion_function(searcher, fusion, query) -> None:  # type: ignore[no-untyped-def]
    tuning = replace(NEUTRAL, fusion=fusion, alpha=0.3, alpha_en=0.7)
    s = replace_tuning(searcher, tuning)
    lexical, dense, lang = runs(s, query)
    alpha = tuning.alpha_en if lang == "en" else tuning.alpha
    want = convex(
        [lexical, dense], [alpha, 1 - alpha], normalise=fusion, bounds=SCORE_BOUNDS, depth=100
    )
    got = s.search(query, 10)
    assert [(h.item_id, pytest.approx(h.score)) for h in got] == kept(s, want)[:10]
    assert got != s.search(query, 10, mode="lexical")  # the dense run took part


def test_the_default_is_rank_fusion(searcher) -> None:  # type: ignore[no-untyped-def]
    s = replace_tuning(searcher, NEUTRAL)
    assert Tuning().fusion in FUSIONS
    query = QUERIES[0]
    lexical, dense, lang = runs(s, query)
    want = rrf([lexical, dense], k0=NEUTRAL.rrf_k0, weights=list(NEUTRAL.weights(lang)))
    got = s.search(query, 10)
    assert [(h.item_id, pytest.approx(h.score)) for h in got] == kept(s, want)[:10]


def test_an_unknown_fusion_is_refused(searcher) -> None:  # type: ignore[no-untyped-def]
    s = replace_tuning(searcher, replace(NEUTRAL, fusion="borda"))
    with pytest.raises(ValueError, match="fusion"):
        s.search(QUERIES[0], 10)


def replace_tuning(s: Searcher, tuning: Tuning) -> Searcher:
    s.tuning = tuning
    return s
