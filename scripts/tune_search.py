"""Reproduce the search's tuned constants (index.tuning.Tuning) from the tuning half only.

    python scripts/tune_search.py --db DB [QUERIES.json] [--split tune|report|all]

QUERIES defaults to tests/data/search_eval/queries.json, DB to the evaluation corpus that
`scripts/eval_search.py build` makes. Every grid point is scored by index.evaluate.Evaluator
(the searcher `finsam eval` runs, with the point's Tuning; query vectors are computed once),
on the queries of --split (default: tune); a query file that holds held-out probe queries
(split "probe", tests/data/search_eval/probe-queries.json) is refused. Ten stages:

L. lexical side, all queries: how much a title word counts (as this many body words) and a
   compound part (as this much of an occurrence), which make the term frequencies, then
   BM25's k1 and b, which score them: index.lexical.Bm25Params, for which each point
   rebuilds the corpus's lexical index in memory;
0. lexical side, all queries: the weight of a query word's family terms (family_weight,
   index/families.py), then of its synonym group's (synonym_weight, index/data/synonyms.json),
   then of its Swedish thesaurus synonyms (thesaurus_weight, index/data/thesaurus_sv.json);
1. fusion, all queries: how much the lexical weight shrinks with the share of the query's
   words the best lexical hits hold (coverage_power);
2. fusion, per method (index.tuning.FUSIONS): for RRF, k0 and the lexical:dense weight
   ratio on the Swedish queries, then the English queries' ratio (with that k0); for a convex
   combination of scores normalised by min-max, theoretical min-max or z-score, the lexical
   weight alpha on the Swedish queries, then on the English ones — a language's weights move
   only the queries detected as that language, so each is chosen on its own. Then the method,
   on all queries: the best convex one replaces RRF only if it beats it by more than
   FUSION_MARGIN in nDCG@10 (and as below). Then the run of the concepts a query explains
   in other words (index/glosses.py): its weight and the share of the query's words a
   concept's explanation must hold (gloss_weight, gloss_share), then the cosine and margin
   by which a concept's explanation is the nearest to the query's vector (concept_cosine,
   concept_margin; 1: never);
3. re-ranking, all queries: procedural demotion, act boost and notice factor, then the boost
   of items decided by the procedure a query asks for (a vote, a reservation …; with the run
   of its words, index.search);
4. re-ranking, all queries: the boost of items of meetings in a year the query names, and
   the factor of items whose title names only other years (other_year_factor);
5. re-ranking, all queries: the boost of items whose title holds the query's words, by the
   share of them it holds (title_boost, index.fuse.boost_titles).

The objective is mean nDCG@10, then Recall@20; ties keep the earliest grid value. A stage
keeps the values it starts from (the code's, when they are points of its grid) unless the best
point beats them: a gain in mean nDCG@10 of more than SIGNIFICANCE (2) standard errors of the
queries' paired differences (``beats``). On 44 queries most differences between neighbouring
grid points are noise, and a stage that followed them would wander from run to run (and a
build parameter would make every index stale). Prints each stage's
table and the chosen values as Bm25Params(...) and Tuning(...) lines beside the code's;
index.lexical.Bm25Params and index.tuning.Tuning must hold what this prints
(tests/test_tune_search.py checks the grid search on a small grid and that the code's values
are points of this grid).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.lexical import Bm25Params  # noqa: E402
from index.tuning import FUSIONS, Tuning  # noqa: E402

QUERIES = ROOT / "tests" / "data" / "search_eval" / "queries.json"
BM25_GRID: dict[str, tuple[float, ...]] = {
    "k1": (1.2, 0.6, 0.9, 1.5, 2.0),
    "b": (0.75, 0.3, 0.5, 0.9),
    "title_weight": (3, 1, 2, 5),
    "part_tf": (0.5, 0.25, 1.0),  # multiples of 1/4: lengths stay exact (index/postings.py)
}
BM25_STAGES = (  # what makes the term frequencies first, then how BM25 scores them
    ("lexical side, title words and compound parts, all queries", ("title_weight", "part_tf")),
    ("lexical side, BM25 k1 and b, all queries", ("k1", "b")),
)
GRID: dict[str, tuple[float, ...]] = {
    "family_weight": (0.0, 0.3, 0.5, 1.0),
    "synonym_weight": (0.0, 0.3, 0.5, 1.0),
    "thesaurus_weight": (0.0, 0.1, 0.2, 0.3, 0.5, 1.0),
    "coverage_power": (0.0, 0.5, 1.0, 2.0),
    "rrf_k0": (40.0, 20.0, 60.0, 10.0),
    "lexical_weight": (3.0, 1.0, 1.5, 2.0, 4.0),  # RRF, per unit of dense weight (Swedish)
    "lexical_weight_en": (3.0, 1.0, 1.5, 2.0, 4.0),  # … English queries
    # Convex fusion: the lexical run's weight, the dense run's 1 - alpha (tmm squeezes the
    # dense cosines near 1 between their bound -1 and the run's best: it needs small alphas).
    "alpha": (0.5, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95),
    "alpha_en": (0.5, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95),
    "procedural_factor": (0.5, 0.3, 0.7, 1.0),
    "act_boost": (1.0, 1.25, 1.5, 2.0, 3.0),
    "procedure_boost": (1.0, 3.0, 10.0, 30.0),
    "notice_factor": (1.0, 0.9, 0.8, 0.6),
    "year_boost": (1.0, 1.1, 1.2, 1.5),
    "other_year_factor": (1.0, 0.8, 0.5, 0.3),
    "title_boost": (0.0, 0.25, 0.5, 1.0, 2.0),
    "gloss_weight": (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0),
    "gloss_share": (0.5, 0.25, 0.34, 0.67, 0.75),
    "concept_cosine": (0.86, 0.84, 0.88, 0.9),
    "concept_margin": (1.0, 0.01, 0.02, 0.03, 0.05),
}
FUSION_STAGE = ("fusion", None, ("fusion",))  # search_fusion: the method, then its weights
STAGES = (
    ("lexical side, word families, all queries", None, ("family_weight",)),
    ("lexical side, synonym groups, all queries", None, ("synonym_weight",)),
    ("lexical side, Swedish thesaurus, all queries", None, ("thesaurus_weight",)),
    ("fusion, lexical coverage, all queries", None, ("coverage_power",)),
    FUSION_STAGE,
    (
        "fusion, concepts explained in other words, all queries",
        None,
        ("gloss_weight", "gloss_share"),
    ),
    (
        "fusion, concepts nearest the query's vector, all queries",
        None,
        ("concept_cosine", "concept_margin"),
    ),
    (
        "re-ranking, all queries",
        None,
        ("procedural_factor", "act_boost", "notice_factor"),
    ),
    ("re-ranking, a procedure asked for, all queries", None, ("procedure_boost",)),
    ("re-ranking, a named year, all queries", None, ("year_boost", "other_year_factor")),
    ("re-ranking, the query's words in the title, all queries", None, ("title_boost",)),
)

FUSION_MARGIN = 0.003  # nDCG@10 a convex fusion must gain over RRF to replace it …
SIGNIFICANCE = 2.0  # … and more than this many standard errors of the gain (``beats``)
FUSION_STAGES = {  # per method: its (title, language, parameters) stages
    "rrf": (
        ("Swedish queries", "sv", ("rrf_k0", "lexical_weight")),
        ("English queries", "en", ("lexical_weight_en",)),
    ),
    "convex": (("Swedish queries", "sv", ("alpha",)), ("English queries", "en", ("alpha_en",))),
}


class Scorer(Protocol):
    """What the grid search needs: scores of a query set under a tuning."""

    queries: list[Any]

    def run(self, modes: Sequence[str], tuning: Any = None) -> list[Any]: ...


Use = Callable[[Bm25Params], None]  # makes the scorers search an index built with these


def gain(challenger: Any, incumbent: Any) -> tuple[float, float]:
    """The challenger's mean nDCG@10 gain over the incumbent and the standard error of that
    mean, from the queries' paired differences (0 without per-query scores)."""
    diffs = [c[1] - i[1] for c, i in zip(challenger.per_query, incumbent.per_query, strict=True)]
    if len(diffs) < 2:
        return challenger.ndcg10 - incumbent.ndcg10, 0.0
    mean = sum(diffs) / len(diffs)
    var = sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1)
    return challenger.ndcg10 - incumbent.ndcg10, (var / len(diffs)) ** 0.5


def beats(challenger: Any, incumbent: Any, margin: float = 0.0) -> bool:
    """Whether the challenger's gain in nDCG@10 is more than `margin` and more than twice its
    standard error over the queries (``gain``): a gain this query set can tell from noise."""
    g, se = gain(challenger, incumbent)
    return g > max(margin, SIGNIFICANCE * se)


def best_point(
    names: Sequence[str],
    grid: Mapping[str, tuple[float, ...]],
    score: Callable[[dict[str, float]], Any],
    title: str,
    n_queries: int,
    incumbent: dict[str, float] | None = None,
) -> dict[str, float]:
    """Score every combination of the named parameters (score: point -> EvalScore); print
    the table; return the best point (nDCG@10, then Recall@20; ties keep the earliest). With
    an `incumbent` point (one of the grid's), the best replaces it only if it ``beats`` it."""
    print(f"\n== {title}: {n_queries} queries")
    print("  ".join(f"{n:>17}" for n in names) + f"  {'nDCG@10':>8} {'R@20':>6}")
    best: tuple[tuple[float, float], dict[str, float], Any] | None = None
    scored: list[tuple[dict[str, float], Any]] = []
    for values in itertools.product(*(grid[n] for n in names)):
        point = dict(zip(names, values, strict=True))
        s = score(point)
        scored.append((point, s))
        print("  ".join(f"{v:>17g}" for v in values) + f"  {s.ndcg10:>8.4f} {s.recall20:>6.3f}")
        if best is None or (s.ndcg10, s.recall20) > best[0]:
            best = ((s.ndcg10, s.recall20), point, s)
    assert best is not None
    chosen = best[1]
    if incumbent is not None and chosen != incumbent:
        held = next(s for p, s in scored if p == incumbent)
        g, se = gain(best[2], held)
        if not beats(best[2], held):
            print(f"best: {_point(chosen)}, {g:+.4f} ({SIGNIFICANCE:g} SE {SIGNIFICANCE * se:.4f})")
            chosen = incumbent
    print("chosen: " + _point(chosen))
    return chosen


def _point(point: Mapping[str, float]) -> str:
    return ", ".join(f"{n}={v:g}" for n, v in point.items())


def search_grid(
    scorer: Scorer,
    base: Tuning,
    names: Sequence[str],
    grid: dict[str, tuple[float, ...]],
    title: str,
) -> Tuning:
    """The best Tuning of the grid of the named parameters (the others as in `base`)."""

    def score(point: dict[str, float]) -> Any:
        return scorer.run(["hybrid"], tuning=replace(base, **point))[0]

    held = incumbent(base, names, grid)
    return replace(base, **best_point(names, grid, score, title, len(scorer.queries), held))


def incumbent(
    base: Any, names: Sequence[str], grid: Mapping[str, tuple[float, ...]]
) -> dict[str, float] | None:
    """The point a stage starts from (the values in `base`), if it is one of the grid's."""
    point = {n: getattr(base, n) for n in names}
    return point if all(v in grid[n] for n, v in point.items()) else None


def search_fusion(
    scorers: Mapping[str | None, Scorer],
    base: Tuning,
    grid: dict[str, tuple[float, ...]],
    margin: float = FUSION_MARGIN,
) -> Tuning:
    """For each fusion method (FUSIONS), its weights per language (FUSION_STAGES, each on the
    queries of its language); then the method on all queries: the best convex one replaces
    RRF only if its nDCG@10 is more than `margin` higher. Prints every table and the
    methods' summary."""
    tried: list[tuple[Tuning, Any]] = []
    for method in FUSIONS:
        t = replace(base, fusion=method)
        for title, lang, names in FUSION_STAGES["rrf" if method == "rrf" else "convex"]:
            if scorers[lang].queries:
                t = search_grid(scorers[lang], t, names, grid, f"fusion {method}, {title}")
        tried.append((t, scorers[None].run(["hybrid"], tuning=t)[0]))
    print(f"\n== fusion, the method, all queries: {len(scorers[None].queries)} queries")
    names = ("rrf_k0", "lexical_weight", "lexical_weight_en", "alpha", "alpha_en")
    print(
        f"{'fusion':>7}  " + "  ".join(f"{n:>17}" for n in names) + f"  {'nDCG@10':>8} {'R@20':>6}"
    )
    for t, s in tried:
        values = "  ".join(f"{getattr(t, n):>17g}" for n in names)
        print(f"{t.fusion:>7}  {values}  {s.ndcg10:>8.4f} {s.recall20:>6.3f}")
    (rrf_t, rrf_s), (best_t, best_s) = tried[0], tried[1]
    for t, s in tried[2:]:  # the best convex fusion (ties keep the earliest)
        if (s.ndcg10, s.recall20) > (best_s.ndcg10, best_s.recall20):
            best_t, best_s = t, s
    chosen = best_t if beats(best_s, rrf_s, margin) else rrf_t
    g, se = gain(best_s, rrf_s)
    print(
        f"chosen: fusion={chosen.fusion} (the best convex fusion, {best_t.fusion}, gains "
        f"{g:+.4f}; it must gain more than {margin:g} and {SIGNIFICANCE:g} SE, "
        f"{SIGNIFICANCE * se:.4f})"
    )
    return chosen


def search_bm25(
    scorer: Scorer,
    use: Use,
    base: Bm25Params,
    names: Sequence[str],
    grid: dict[str, tuple[float, ...]],
    title: str,
) -> Bm25Params:
    """The best BM25 parameters of the grid of the named ones (the others as in `base`),
    each point scored on an index built with it, with the code's Tuning."""

    def score(point: dict[str, float]) -> Any:
        use(replace(base, **point))
        return scorer.run(["hybrid"], tuning=Tuning())[0]

    held = incumbent(base, names, grid)
    return replace(base, **best_point(names, grid, score, title, len(scorer.queries), held))


def tune(
    scorers: dict[str | None, Scorer],
    grid: dict[str, tuple[float, ...]],
    use: Use | None = None,
    bm25_grid: dict[str, tuple[float, ...]] = BM25_GRID,
) -> tuple[Bm25Params, Tuning]:
    """The stages in order, each from the values the previous ones chose. scorers: one per
    detected language ("sv", "en") and None for all queries, all over one searcher; `use`
    gives that searcher an index built with other BM25 parameters (None: no BM25 stages)."""
    p = Bm25Params()
    if use is not None and scorers[None].queries:
        for title, names in BM25_STAGES:
            p = search_bm25(scorers[None], use, p, names, bm25_grid, title)
        use(p)
    t = Tuning()
    for title, lang, names in STAGES:
        if names == FUSION_STAGE[2]:
            t = search_fusion(scorers, t, grid)
        elif scorers[lang].queries:
            t = search_grid(scorers[lang], t, names, grid, title)
    return p, t


def values_line(obj: Any) -> str:
    """`Name(field=value, …)` of a dataclass instance."""
    body = ", ".join(f"{f.name}={getattr(obj, f.name)!r}" for f in fields(obj))
    return f"{type(obj).__name__}({body})"


def main() -> None:
    from corpus.settings import Settings
    from corpus.store import Store
    from index.evaluate import PROBE, Evaluator, by_group, load_queries, open_searcher
    from index.lexical import LexicalIndex

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("queries", nargs="?", type=Path, default=QUERIES)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--split", choices=("tune", "report", "all"), default="tune")
    args = ap.parse_args()
    if any(q.split == PROBE for q in load_queries(args.queries)):
        raise SystemExit(f"{args.queries}: holds held-out probe queries; tuning never reads them")
    queries = load_queries(args.queries, args.split)
    settings = Settings.from_env(db=args.db)
    with Store.open(settings.db, readonly=True) as store:
        searcher = open_searcher(store, settings)
        detected = {q.qid: searcher.understand(q.text).lang for q in queries}
        wrong = [q.qid for q in queries if q.lang and q.lang != detected[q.qid]]
        print(
            f"{len(queries)} queries ({args.split}); detected sv "
            f"{sum(v == 'sv' for v in detected.values())}, en "
            f"{sum(v == 'en' for v in detected.values())}; detected against the labels: "
            + (", ".join(wrong) if wrong else "all right")
        )
        scorers: dict[str | None, Scorer] = {
            None: Evaluator(searcher, queries),
            **{
                lang: Evaluator(searcher, [q for q in queries if detected[q.qid] == lang])
                for lang in ("sv", "en")
            },
        }
        texts = list(store.item_texts())

        def use(params: Bm25Params) -> None:
            searcher.use_lexical(LexicalIndex.build(texts, params=params))

        best_p, best_t = tune(scorers, GRID, use)
        print("\nchosen:  " + values_line(best_p))
        print("in code: " + values_line(Bm25Params()))
        print("chosen:  " + values_line(best_t))
        print("in code: " + values_line(Tuning()))
        every = scorers[None]
        for name, p, t in (("code", Bm25Params(), Tuning()), ("chosen", best_p, best_t)):
            use(p)
            s = every.run(["hybrid"], tuning=t)[0]
            langs = "  ".join(f"{g.group} {g.ndcg10:.3f}" for g in by_group(s, "lang"))
            print(f"{name:>7}: nDCG@10 {s.ndcg10:.4f}  Recall@20 {s.recall20:.3f}  ({langs})")


if __name__ == "__main__":
    main()
