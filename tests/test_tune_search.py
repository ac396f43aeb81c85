"""scripts/tune_search.py: its grid search picks what scores best, stage by stage, and the
searcher's constants are points of its grid (the script's printed choice on the evaluation
corpus is what index.search.Tuning holds: README, *Fusion and ranking*)."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pytest

from corpus.model import EvalScore, Hit
from index.analyze import default_analyzer
from index.search import Tuning, lexical_coverage

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tune():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tune_search", ROOT / "scripts/tune_search.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["tune_search"] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Bowl:
    """A scorer whose nDCG peaks at given parameter values (and whose recall breaks ties)."""

    best: dict[str, float]
    queries: list[Any]
    recall_likes: str = ""
    runs: int = 0

    def run(self, modes: Any, tuning: Any = None) -> list[EvalScore]:
        self.runs += 1
        miss = sum(abs(getattr(tuning, n) - v) for n, v in self.best.items())
        recall = getattr(tuning, self.recall_likes) if self.recall_likes else 0.0
        return [EvalScore("hybrid", 1.0 / (1.0 + miss), recall, 0.0)]


def test_grid_search_picks_the_best_and_prints_its_table(tune, capsys) -> None:  # type: ignore[no-untyped-def]
    scorer = Bowl({"rrf_k0": 60.0, "lexical_weight": 1.5}, ["q"])
    grid = {"rrf_k0": (40.0, 60.0), "lexical_weight": (3.0, 1.5, 2.0)}
    best = tune.search_grid(scorer, Tuning(), ["rrf_k0", "lexical_weight"], grid, "Swedish")
    assert (best.rrf_k0, best.lexical_weight) == (60.0, 1.5)
    assert scorer.runs == 6
    out = capsys.readouterr().out
    assert "chosen: rrf_k0=60, lexical_weight=1.5" in out
    assert len([ln for ln in out.splitlines() if ln.strip()[:1].isdigit()]) == 6


def test_ties_keep_the_first_grid_value_unless_recall_differs(tune, capsys) -> None:  # type: ignore[no-untyped-def]
    flat = Bowl({}, ["q"])
    assert (
        tune.search_grid(flat, Tuning(), ["act_boost"], {"act_boost": (1.0, 2.0)}, "t").act_boost
        == 1.0
    )
    by_recall = Bowl({}, ["q"], recall_likes="act_boost")
    assert (
        tune.search_grid(
            by_recall, Tuning(), ["act_boost"], {"act_boost": (1.0, 2.0)}, "t"
        ).act_boost
        == 2.0
    )


def test_stages_run_in_order_on_their_languages(tune, capsys) -> None:  # type: ignore[no-untyped-def]
    best = {"rrf_k0": 20.0, "lexical_weight": 2.0, "lexical_weight_en": 1.0, "act_boost": 3.0}
    scorers = {None: Bowl(best, ["a", "b"]), "sv": Bowl(best, ["a"]), "en": Bowl(best, [])}
    got = tune.tune(scorers, tune.GRID)
    assert (got.rrf_k0, got.lexical_weight, got.act_boost) == (20.0, 2.0, 3.0)
    assert got.lexical_weight_en == Tuning().lexical_weight_en  # no English queries: untouched
    assert scorers["en"].runs == 0


def test_the_code_constants_are_points_of_the_grid(tune) -> None:  # type: ignore[no-untyped-def]
    code = Tuning()
    for name, values in tune.GRID.items():
        assert getattr(code, name) in values, name
    assert {f.name for f in fields(Tuning)} >= set(tune.GRID)
    assert {n for _, _, names in tune.STAGES for n in names} == set(tune.GRID)


@pytest.mark.parametrize(
    ("query", "matched", "share"),
    [
        ("referred back", ("återremiss",), 1.0),  # a glossary phrase is covered as a whole
        ("rejected requests", ("avslag",), 0.5),
        ("ansvarig för personuppgiftsskydd", ("ansvarig",), 0.5),
        ("budget", ("budget",), 1.0),
        ("budget", (), 0.0),
        ("och för", (), 1.0),  # stopwords only
        ("budget november 2023", ("budget",), 1.0),  # the period is the boost's business
    ],
)
def test_lexical_coverage(query: str, matched: tuple[str, ...], share: float) -> None:
    hits = [Hit("x", 1.0, "lexical", matched)]
    assert lexical_coverage(default_analyzer(), query, hits) == share
