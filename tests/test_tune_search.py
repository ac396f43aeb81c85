"""scripts/tune_search.py: its grid search picks what scores best on prepared runs, and the
searcher's constants are points of its grid (the script's printed choice on the evaluation
corpus is what index.search.Tuning holds; README, *Fusion and ranking*)."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from corpus.model import EvalQuery, Hit, Item, ItemContext, Judgement
from index.fuse import Candidate, Intent
from index.search import Tuning

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tune():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tune_search", ROOT / "scripts/tune_search.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["tune_search"] = module
    spec.loader.exec_module(module)
    return module


def ctx(i: str, kind: str = "protokoll") -> ItemContext:
    item = Item(item_id=i, label=f"§ {i}", number=int(i), kind="paragraf", title=i, body="")
    return ItemContext(item, "d", "doc.pdf", kind, "F", "2023-01-01", None)


def prepared(tune, lang: str, relevant: str, lexical: list[str], dense: list[str]):  # type: ignore[no-untyped-def]
    q = EvalQuery(f"q{relevant}{lang}", "x", (Judgement("doc.pdf", f"§ {relevant}", 3),))
    ids = dict.fromkeys([*lexical, *dense])
    return tune.Prepared(
        q,
        Intent(lang=lang),
        [Hit(i, 10.0 - n, "lexical") for n, i in enumerate(lexical)],
        [Hit(i, 1.0 - n / 10, "dense") for n, i in enumerate(dense)],
        {i: Candidate(doc_kind="protokoll") for i in ids},
        {i: ctx(i) for i in ids},
    )


def test_grid_search_picks_the_best_and_prints_its_table(tune, capsys) -> None:  # type: ignore[no-untyped-def]
    # English queries whose answer only dense retrieval ranks first: less lexical weight wins.
    runs = [
        prepared(tune, "en", "2", lexical=["1", "3", "4", "2"], dense=["2", "1"]),
        prepared(tune, "en", "5", lexical=["6", "7", "5"], dense=["5", "6"]),
    ]
    grid = {"lexical_weight_en": (3.0, 0.5)}
    best = tune.search_grid(runs, Tuning(), ["lexical_weight_en"], grid, set(), "English")
    assert best.lexical_weight_en == 0.5
    out = capsys.readouterr().out
    assert "lexical_weight_en" in out and "chosen: lexical_weight_en=0.5" in out
    assert len([ln for ln in out.splitlines() if ln.strip().startswith(("3 ", "0.5 "))]) == 2


def test_ties_keep_the_first_grid_value(tune, capsys) -> None:  # type: ignore[no-untyped-def]
    runs = [prepared(tune, "sv", "1", lexical=["1", "2"], dense=["1", "2"])]
    best = tune.search_grid(runs, Tuning(), ["act_boost"], {"act_boost": (1.0, 2.0)}, set(), "t")
    assert best.act_boost == 1.0


def test_the_code_constants_are_points_of_the_grid(tune) -> None:  # type: ignore[no-untyped-def]
    code = Tuning()
    for name, values in tune.GRID.items():
        assert getattr(code, name) in values, name
    assert {f.name for f in fields(Tuning)} >= set(tune.GRID)


def test_halves_split_every_query_once(tune) -> None:  # type: ignore[no-untyped-def]
    ids = [f"q{i}" for i in range(200)]
    halves = [tune.half_of(i) for i in ids]
    assert set(halves) == {"tuning", "reporting"}
    assert 60 < halves.count("tuning") < 140
    assert halves == [tune.half_of(i) for i in ids]
