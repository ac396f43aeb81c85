"""Hand-checked cases for fusion and the evaluation metrics."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from corpus.model import Hit, Item, ItemContext, Judgement
from index.evaluate import gains, matches, ndcg
from index.fuse import demote, rrf


def h(i: str, s: float, r: str) -> Hit:
    return Hit(i, s, r)


def test_rrf_by_hand() -> None:
    lex = [h("a", 9, "lexical"), h("b", 5, "lexical")]
    den = [h("b", 0.9, "dense"), h("c", 0.8, "dense")]
    out = rrf([lex, den], k0=60)
    scores = {x.item_id: x.score for x in out}
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert scores["a"] == pytest.approx(1 / 61)
    assert scores["c"] == pytest.approx(1 / 62)
    assert [x.item_id for x in out] == ["b", "a", "c"]
    assert all(x.retriever == "hybrid" for x in out)


def test_rrf_weights() -> None:
    lex = [h("a", 9, "lexical")]
    den = [h("c", 0.8, "dense")]
    out = rrf([lex, den], k0=60, weights=[1.0, 2.0])
    assert [x.item_id for x in out] == ["c", "a"]


def test_demote_moves_procedural_items_down() -> None:
    hits = [h("p", 1.0, "hybrid"), h("s", 0.8, "hybrid")]
    assert [x.item_id for x in demote(hits, {"p"}, factor=0.5)] == ["s", "p"]


def ctx(source: str, number: int | None, title: str, attachment: str | None = None) -> ItemContext:
    item = Item("id" + title, f"§ {number}" if number else title, number, "x", title, "")
    item = Item(item.item_id, item.label, number, "x", title, "", attachment=attachment)
    return ItemContext(item, "d", source, "protokoll", None, None, None)


def test_matching_rules() -> None:
    assert matches(ctx("a.txt", 47, "Delårsrapport"), Judgement("a.txt", "§ 47", 3))
    assert not matches(ctx("b.txt", 47, "Delårsrapport"), Judgement("a.txt", "§ 47", 3))
    assert matches(ctx("a.txt", 7, "NNS"), Judgement("a.txt", "punkt 7", 3))
    sec = ctx("a.txt", None, "Revision 2022")
    assert matches(sec, Judgement("a.txt", "sektion:Revision 2022", 3))
    inside = ctx("a.txt", None, "Ekonomi", attachment="Tertialrapport maj – augusti 2021")
    assert matches(inside, Judgement("a.txt", "sektion:Tertialrapport", 1))
    # "rubrik:" names one section by its whole label: not a section whose heading holds it,
    # not the attachment's other sections, and a second "Resultat" only as "Resultat (2)"
    assert matches(inside, Judgement("a.txt", "rubrik:ekonomi", 3))
    assert not matches(inside, Judgement("a.txt", "rubrik:Ekonomi 2021", 3))
    assert not matches(inside, Judgement("a.txt", "rubrik:Tertialrapport maj – augusti 2021", 3))
    other = ctx("a.txt", None, "Ekonomisk rapport")
    assert not matches(other, Judgement("a.txt", "rubrik:Ekonomi", 3))
    first, second = ctx("a.txt", None, "Resultat"), ctx("a.txt", None, "Resultat")
    second = replace(second, item=replace(second.item, label="Resultat (2)"))
    assert matches(first, Judgement("a.txt", "rubrik:Resultat", 2))
    assert not matches(second, Judgement("a.txt", "rubrik:Resultat", 2))
    assert matches(second, Judgement("a.txt", "rubrik:Resultat  (2)", 2))
    assert not matches(ctx("a.txt", 2, "Resultat"), Judgement("b.txt", "rubrik:Resultat", 2))


def test_gains_credit_each_judgement_once() -> None:
    rel = [Judgement("a.txt", "sektion:Tertial", 2)]
    ranked = [ctx("a.txt", None, "Tertial 1"), ctx("a.txt", None, "Tertial 2")]
    assert gains(ranked, rel) == [2, 0]


def test_ndcg_by_hand() -> None:
    assert ndcg([3, 0], [3], 10) == pytest.approx(1.0)
    # relevant item at rank 2: (2^3-1)/log2(3) over (2^3-1)/log2(2)
    assert ndcg([0, 3], [3], 10) == pytest.approx(1 / math.log2(3))
    assert ndcg([0] * 10 + [3], [3], 10) == 0.0
