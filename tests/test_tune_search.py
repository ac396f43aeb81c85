"""scripts/tune_search.py: its grid search picks what scores best, stage by stage (the BM25
parameters first, each point on an index built with it), and the searcher's constants and the
lexical index's BM25 parameters are points of its grid (the script's printed choice on the
evaluation corpus is what index.tuning.Tuning and index.lexical.Bm25Params hold: README,
*Fusion and ranking*)."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pytest

from corpus.model import EvalScore, Hit
from index.analyze import default_analyzer
from index.lexical import Bm25Params
from index.search import lexical_coverage
from index.tuning import FUSIONS, Tuning

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
    got = tune.tune(scorers, tune.GRID)[1]
    assert (got.rrf_k0, got.lexical_weight, got.act_boost) == (20.0, 2.0, 3.0)
    assert got.lexical_weight_en == Tuning().lexical_weight_en  # no English queries: untouched
    assert scorers["en"].runs == 0


def test_the_code_constants_are_points_of_the_grid(tune) -> None:  # type: ignore[no-untyped-def]
    code = Tuning()
    for name, values in tune.GRID.items():
        assert getattr(code, name) in values, name
    assert code.fusion in FUSIONS
    assert {f.name for f in fields(Tuning)} >= set(tune.GRID) | {"fusion"}
    staged = {n for _, _, names in tune.STAGES for n in names}
    staged |= {n for stages in tune.FUSION_STAGES.values() for _, _, names in stages for n in names}
    assert staged == set(tune.GRID) | {"fusion"}


@dataclass
class FusionBowl:
    """A scorer whose nDCG is a base per fusion method, less the distance of the method's
    weights from given best values (alpha for convex fusions, the RRF weight for RRF)."""

    base: dict[str, float]
    best: dict[str, float]
    queries: list[Any]
    seen: list[str] = field(default_factory=list)

    def run(self, modes: Any, tuning: Any = None) -> list[EvalScore]:
        self.seen.append(tuning.fusion)
        names = ("lexical_weight", "lexical_weight_en")
        if tuning.fusion != "rrf":
            names = ("alpha", "alpha_en")
        miss = sum(abs(getattr(tuning, n) - self.best[n]) for n in names if n in self.best)
        return [EvalScore("hybrid", self.base[tuning.fusion] - miss, 0.0, 0.0)]


@pytest.mark.parametrize(("gain", "chosen"), [(0.002, "rrf"), (0.004, "tmm")])
def test_fusion_stage_weighs_each_method_per_language_then_needs_a_margin_over_rrf(
    tune, capsys, gain, chosen
) -> None:  # type: ignore[no-untyped-def]
    base = {"rrf": 0.8, "minmax": 0.79, "tmm": 0.8 + gain, "zscore": 0.8 + gain}
    best = {"alpha": 0.3, "alpha_en": 0.7, "lexical_weight": 2.0, "lexical_weight_en": 1.0}
    scorers = {
        None: FusionBowl(base, best, ["a", "b"]),
        "sv": FusionBowl(base, {"alpha": 0.3, "lexical_weight": 2.0}, ["a"]),
        "en": FusionBowl(base, {"alpha_en": 0.7, "lexical_weight_en": 1.0}, ["b"]),
    }
    got = tune.search_fusion(scorers, Tuning(), tune.GRID)
    assert got.fusion == chosen  # tmm before zscore: ties keep the earliest
    if chosen == "rrf":
        assert (got.lexical_weight, got.lexical_weight_en) == (2.0, 1.0)
        assert (got.alpha, got.alpha_en) == (Tuning().alpha, Tuning().alpha_en)
    else:
        assert (got.alpha, got.alpha_en) == (0.3, 0.7)
    # Each language's weights on its own queries; the methods compared on all queries.
    assert set(scorers["sv"].seen) == set(scorers["en"].seen) == set(FUSIONS)
    assert scorers[None].seen == list(FUSIONS)
    out = capsys.readouterr().out
    assert "== fusion tmm, Swedish queries" in out
    assert f"chosen: fusion={chosen}" in out
    summary = out[out.index("== fusion, the method") :]
    assert len([ln for ln in summary.splitlines() if ln.split()[:1] in ([f] for f in FUSIONS)]) == 4


def test_the_fusion_stage_comes_after_coverage_then_the_concepts_then_re_ranking(tune) -> None:  # type: ignore[no-untyped-def]
    titles = [title for title, _, _ in tune.STAGES]
    at = titles.index(tune.FUSION_STAGE[0])
    assert titles[at - 1] == "fusion, lexical coverage, all queries"
    assert tune.STAGES[at + 1][2] == ("gloss_weight", "gloss_share")
    assert tune.STAGES[at + 2][2] == ("concept_cosine", "concept_margin")
    assert titles[at + 3].startswith("re-ranking")


def per_query(ndcgs: list[float]) -> EvalScore:
    return EvalScore(
        "hybrid",
        sum(ndcgs) / len(ndcgs),
        0.0,
        0.0,
        per_query=tuple((f"q{i}", v, 0.0) for i, v in enumerate(ndcgs)),
    )


def test_a_gain_counts_only_beyond_twice_its_standard_error(tune) -> None:  # type: ignore[no-untyped-def]
    held = per_query([0.5] * 10)
    steady = per_query([0.55] * 10)  # +0.05 on every query: no doubt
    one_lucky = per_query([1.0] + [0.5] * 9)  # +0.05 on average, all from one query
    g, se = tune.gain(steady, held)
    assert g == pytest.approx(0.05) and se == pytest.approx(0.0)
    assert tune.beats(steady, held)
    g, se = tune.gain(one_lucky, held)
    assert g == pytest.approx(0.05) and se == pytest.approx(0.05)
    assert not tune.beats(one_lucky, held)
    assert not tune.beats(steady, held, margin=0.06)


@dataclass
class Scripted:
    """A scorer that returns a given per-query score for each act_boost value."""

    by_value: dict[float, EvalScore]
    queries: list[Any]

    def run(self, modes: Any, tuning: Any = None) -> list[EvalScore]:
        return [self.by_value[tuning.act_boost]]


def test_a_stage_keeps_the_value_it_starts_from_unless_another_beats_it(tune, capsys) -> None:  # type: ignore[no-untyped-def]
    held = per_query([0.5] * 10)
    start = Tuning().act_boost
    grid = {"act_boost": (1.0, start)}
    lucky = Scripted({1.0: per_query([1.0] + [0.5] * 9), start: held}, ["q"] * 10)
    assert tune.search_grid(lucky, Tuning(), ["act_boost"], grid, "t").act_boost == start
    assert "best: act_boost=1, +0.0500" in capsys.readouterr().out
    steady = Scripted({1.0: per_query([0.55] * 10), start: held}, ["q"] * 10)
    assert tune.search_grid(steady, Tuning(), ["act_boost"], grid, "t").act_boost == 1.0
    # A start outside the grid is no incumbent: the best point wins.
    outside = Scripted({1.0: per_query([1.0] + [0.5] * 9), 9.0: held}, ["q"] * 10)
    other = {"act_boost": (1.0, 9.0)}
    assert tune.search_grid(outside, Tuning(), ["act_boost"], other, "t").act_boost == 1.0


@dataclass
class Bm25Bowl:
    """A scorer over a searcher whose index was last built with `params` (by `use`), whose
    nDCG peaks at given BM25 parameter values."""

    best: dict[str, float]
    queries: list[Any]
    params: Bm25Params = field(default_factory=Bm25Params)
    built: list[Bm25Params] = field(default_factory=list)

    def use(self, params: Bm25Params) -> None:
        self.params = params
        self.built.append(params)

    def run(self, modes: Any, tuning: Any = None) -> list[EvalScore]:
        miss = sum(abs(getattr(self.params, n) - v) for n, v in self.best.items())
        return [EvalScore("hybrid", 1.0 / (1.0 + miss), 0.0, 0.0)]


def test_bm25_grid_search_builds_each_point_and_picks_the_best(tune, capsys) -> None:  # type: ignore[no-untyped-def]
    bowl = Bm25Bowl({"k1": 1.5, "b": 0.5}, ["q"])
    grid = {"k1": (1.2, 1.5, 2.0), "b": (0.75, 0.5)}
    best = tune.search_bm25(bowl, bowl.use, Bm25Params(), ["k1", "b"], grid, "BM25")
    assert (best.k1, best.b) == (1.5, 0.5)
    assert (best.title_weight, best.part_tf) == (Bm25Params().title_weight, Bm25Params().part_tf)
    assert [(p.k1, p.b) for p in bowl.built] == [
        (k, b) for k in (1.2, 1.5, 2.0) for b in (0.75, 0.5)
    ]
    out = capsys.readouterr().out
    assert "chosen: k1=1.5, b=0.5" in out
    assert len([ln for ln in out.splitlines() if ln.strip()[:1].isdigit()]) == 6


def test_the_bm25_stages_come_first_and_the_searcher_keeps_their_choice(tune, capsys) -> None:  # type: ignore[no-untyped-def]
    best = {"k1": 0.9, "b": 0.3, "title_weight": 2, "part_tf": 1.0}
    bowl = Bm25Bowl(best, ["a"])
    scorers = {None: bowl, "sv": bowl, "en": bowl}
    params, _ = tune.tune(scorers, tune.GRID, bowl.use)
    assert params == Bm25Params(**best)
    assert bowl.params == params  # the Tuning stages ran on the chosen index
    out = capsys.readouterr().out
    assert out.index("title words") < out.index("k1 and b") < out.index("word families")
    # Without a way to build indexes there are no BM25 stages.
    assert tune.tune(scorers, tune.GRID)[0] == Bm25Params()


def test_the_code_bm25_parameters_are_points_of_the_grid(tune) -> None:  # type: ignore[no-untyped-def]
    code = Bm25Params()
    for name, values in tune.BM25_GRID.items():
        assert getattr(code, name) in values, name
    assert {f.name for f in fields(Bm25Params)} == set(tune.BM25_GRID)
    assert {n for _, names in tune.BM25_STAGES for n in names} == set(tune.BM25_GRID)
    # Lengths stay sums of exact binary fractions (index/postings.py: length_norm).
    assert all((4 * v).is_integer() for v in tune.BM25_GRID["part_tf"])


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
