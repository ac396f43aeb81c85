"""index.fuse.convex by hand: each normalisation, items a run did not return (the run's
floor), ties by item id, and weights 0 and 1 reducing to one run's order."""

from __future__ import annotations

import pytest

from corpus.model import Hit
from index.fuse import NORMALISATIONS, convex, normalised, rrf

LEX = [Hit("a", 8.0, "lexical", ("avslag",)), Hit("b", 4.0, "lexical"), Hit("c", 2.0, "lexical")]
DEN = [Hit("b", 0.9, "dense", passage=2), Hit("d", 0.8, "dense", passage=1), Hit("a", 0.5, "dense")]


def scores(hits: list[Hit]) -> dict[str, float]:
    return {h.item_id: h.score for h in hits}


def test_minmax_by_hand() -> None:
    out = convex([LEX, DEN], [0.5, 0.5], normalise="minmax")
    # lexical: a 1, b 1/3, c 0, d (missing) 0; dense: b 1, d 0.75, a 0, c (missing) 0.
    assert scores(out) == pytest.approx({"a": 0.5, "b": 2 / 3, "c": 0.0, "d": 0.375})
    assert [h.item_id for h in out] == ["b", "a", "d", "c"]


def test_theoretical_minmax_scores_from_the_bound_and_misses_at_the_runs_lowest() -> None:
    # Full runs (depth 3): an item a run lacks scores as its lowest returned score.
    out = convex([LEX, DEN], [0.5, 0.5], normalise="tmm", bounds=[0.0, -1.0], depth=3)
    lex = {"a": 1.0, "b": 0.5, "c": 0.25, "d": 0.25}
    den = {"b": 1.0, "d": 1.8 / 1.9, "a": 1.5 / 1.9, "c": 1.5 / 1.9}
    assert scores(out) == pytest.approx({i: 0.5 * lex[i] + 0.5 * den[i] for i in lex})
    # A run shorter than depth is complete: what it lacks scores its bound (normalised 0).
    out = convex([LEX, DEN], [0.5, 0.5], normalise="tmm", bounds=[0.0, -1.0], depth=10)
    assert scores(out)["d"] == pytest.approx(0.5 * 0.0 + 0.5 * 1.8 / 1.9)
    assert scores(out)["c"] == pytest.approx(0.5 * 0.25 + 0.5 * 0.0)
    with pytest.raises(ValueError, match="lower bound"):
        convex([LEX, DEN], [0.5, 0.5], normalise="tmm")


def test_zscore_is_shifted_so_the_floor_is_zero() -> None:
    norm, floor = normalised(LEX, "zscore")
    mean = 14 / 3
    sd = ((8 - mean) ** 2 / 3 + (4 - mean) ** 2 / 3 + (2 - mean) ** 2 / 3) ** 0.5
    assert norm == pytest.approx({"a": 6 / sd, "b": 2 / sd, "c": 0.0})
    assert floor == 0.0
    out = convex([LEX, DEN], [1.0, 1.0], normalise="zscore")
    assert all(h.score >= 0 for h in out)  # re-ranking multiplies scores


@pytest.mark.parametrize("how", NORMALISATIONS)
def test_a_run_of_equal_scores_gives_its_items_one(how: str) -> None:
    run = [Hit("x", 3.0, "lexical")]
    norm, floor = normalised(run, how, 0.0, complete=True)
    assert norm == {"x": 1.0}
    assert floor == 0.0
    assert normalised([], how, 0.0) == ({}, 0.0)


@pytest.mark.parametrize("how", NORMALISATIONS)
@pytest.mark.parametrize(("weights", "run"), [([1.0, 0.0], LEX), ([0.0, 1.0], DEN)])
def test_weights_one_and_zero_give_one_runs_order(how: str, weights, run) -> None:
    out = convex([LEX, DEN], weights, normalise=how, bounds=[0.0, -1.0], depth=3)
    order = [h.item_id for h in out]
    own = [h.item_id for h in run]
    assert [i for i in order if i in own] == own
    assert order[: len(own) - 1] == own[:-1]  # the others tie with its last item at most


def test_ties_go_by_item_id() -> None:
    lex = [Hit("z", 1.0, "lexical"), Hit("m", 0.0, "lexical")]
    den = [Hit("m", 1.0, "dense"), Hit("z", 0.0, "dense")]
    assert [h.item_id for h in convex([lex, den], [0.5, 0.5])] == ["m", "z"]
    assert [h.item_id for h in convex([den, lex], [0.5, 0.5])] == ["m", "z"]


def test_hits_keep_parts_matched_and_passage_as_rrf_does() -> None:
    fused = {h.item_id: h for h in convex([LEX, DEN], [0.5, 0.5])}
    ranked = {h.item_id: h for h in rrf([LEX, DEN])}
    for i, h in fused.items():
        assert (h.parts, h.matched, h.passage) == (
            ranked[i].parts,
            ranked[i].matched,
            ranked[i].passage,
        )
        assert h.retriever == "hybrid"
    assert fused["a"].parts == (("lexical", 8.0), ("dense", 0.5))
    assert fused["a"].matched == ("avslag",)
    assert fused["b"].passage == 2


def test_convex_keeps_a_confident_run_ahead_where_rrf_does_not() -> None:
    # The lexical run is sure of "x" (far ahead of "y"); the dense run ranks "y" first and
    # "x" third, but barely tells them apart.
    lex = [Hit("x", 10.0, "lexical"), Hit("y", 1.0, "lexical"), Hit("w", 0.9, "lexical")]
    den = [
        Hit("y", 0.82, "dense"),
        Hit("w", 0.815, "dense"),
        Hit("x", 0.81, "dense"),
        Hit("v", 0.70, "dense"),
    ]
    assert rrf([lex, den], k0=10)[0].item_id == "y"
    assert convex([lex, den], [0.5, 0.5])[0].item_id == "x"


def test_an_unknown_normalisation_is_refused() -> None:
    with pytest.raises(ValueError, match="normalise"):
        convex([LEX], [1.0], normalise="softmax")
