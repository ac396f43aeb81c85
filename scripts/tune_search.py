"""Reproduce the search's tuned constants (index.search.Tuning) from the tuning half only.

    python scripts/tune_search.py --db DB QUERIES.json [QUERIES.json ...] [--half tuning]

Each query is retrieved once (lexical and dense runs at the tuning depth, its intent, the
re-ranking facts of every candidate); every grid point then fuses and re-ranks those runs
with the same pure functions the searcher uses (index.fuse.rrf and rerank), so a point's
score is what `finsam eval` would print with those constants. Two stages:

1. fusion: RRF k0 and the lexical:dense weight ratio for Swedish and for English queries
   (each language's weights only move that language's queries, so each is chosen on its own);
2. re-ranking: procedural demotion, act boost and notice factor, with the fusion of stage 1.

The objective is mean nDCG@10, then Recall@20; ties keep the earliest grid value (grids
start at the neutral value, 1.0 for factors). The tuning half is every query whose id hashes
even (sha1; `--half reporting` scores the other half with the chosen values; `--half all`).
Prints each stage's table and the chosen values as a Tuning(...) line; the code's defaults
must equal it (tests/test_tune_search.py checks on a small fixed grid).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from corpus.model import EvalQuery, Hit, ItemContext  # noqa: E402
from index.evaluate import gains, load_queries, ndcg  # noqa: E402
from index.fuse import Candidate, Intent, rerank, rrf  # noqa: E402
from index.search import Searcher, Tuning  # noqa: E402

GRID = {
    "rrf_k0": (40.0, 20.0, 60.0),
    "lexical_weight": (3.0, 1.0, 1.5, 2.0, 4.0),  # per unit of dense weight (Swedish)
    "lexical_weight_en": (3.0, 1.0, 1.5, 2.0, 4.0),  # … English queries
    "procedural_factor": (0.5, 0.3, 0.7, 1.0),
    "act_boost": (1.0, 1.25, 1.5, 2.0, 3.0),
    "notice_factor": (1.0, 0.9, 0.8, 0.6),
}


@dataclass
class Prepared:
    """One query, retrieved once."""

    query: EvalQuery
    intent: Intent
    lexical: list[Hit]
    dense: list[Hit]
    facts: dict[str, Candidate]
    contexts: dict[str, ItemContext]


def half_of(qid: str) -> str:
    return "tuning" if hashlib.sha1(qid.encode()).digest()[0] % 2 == 0 else "reporting"


def prepare(searcher: Searcher, queries: Iterable[EvalQuery], depth: int) -> list[Prepared]:
    out = []
    for q in queries:
        intent = searcher.understand(q.text)
        lexical = searcher.lexical.search(q.text, depth)
        qvec = searcher.encoder.encode_queries([q.text])[0]
        dense = searcher.dense.search(qvec, depth)
        ids = list(dict.fromkeys(h.item_id for h in [*lexical, *dense]))
        contexts = {c.item.item_id: c for c in searcher.store.item_contexts(ids)}
        out.append(Prepared(q, intent, lexical, dense, searcher.candidates(ids), contexts))
    return out


def ranking(p: Prepared, t: Tuning, procedural: set[str]) -> list[str]:
    wl, wd = t.weights(p.intent.lang)
    fused = rrf([p.lexical, p.dense], k0=t.rrf_k0, weights=[wl, wd])
    ranked = rerank(fused, p.intent, p.facts, procedural, t.boosts)
    return [h.item_id for h in ranked[:20]]


def score(prepared: Sequence[Prepared], t: Tuning, procedural: set[str]) -> tuple[float, float]:
    """Mean nDCG@10 and Recall@20 of the queries under tuning t."""
    if not prepared:
        return 0.0, 0.0
    n10 = r20 = 0.0
    for p in prepared:
        ctxs = [p.contexts[i] for i in ranking(p, t, procedural) if i in p.contexts]
        g = gains(ctxs, p.query.relevant)
        n10 += ndcg(g, [j.grade for j in p.query.relevant], 10)
        r20 += sum(1 for x in g[:20] if x) / len(p.query.relevant)
    return n10 / len(prepared), r20 / len(prepared)


def search_grid(
    prepared: Sequence[Prepared],
    base: Tuning,
    names: Sequence[str],
    grid: dict[str, Sequence[float]],
    procedural: set[str],
    title: str,
) -> Tuning:
    """Try every combination of the named parameters; print the table; return the best."""
    print(f"\n== {title}: {len(prepared)} queries")
    print("  ".join(f"{n:>17}" for n in names) + f"  {'nDCG@10':>8} {'R@20':>6}")
    best: tuple[tuple[float, float], Tuning] | None = None
    for values in itertools.product(*(grid[n] for n in names)):
        t = replace(base, **dict(zip(names, values, strict=True)))
        s = score(prepared, t, procedural)
        print("  ".join(f"{v:>17g}" for v in values) + f"  {s[0]:>8.4f} {s[1]:>6.3f}")
        if best is None or s > best[0]:
            best = (s, t)
    assert best is not None
    print("chosen: " + ", ".join(f"{n}={getattr(best[1], n):g}" for n in names))
    return best[1]


def tune(
    prepared: Sequence[Prepared], procedural: set[str], grid: dict[str, Sequence[float]]
) -> Tuning:
    base = Tuning()
    sv = [p for p in prepared if p.intent.lang != "en"]
    en = [p for p in prepared if p.intent.lang == "en"]
    t = search_grid(sv, base, ["rrf_k0", "lexical_weight"], grid, procedural, "fusion, Swedish")
    e = search_grid(
        en, t, ["lexical_weight_en"], grid, procedural, f"fusion, English (k0={t.rrf_k0:g})"
    )
    names = ["procedural_factor", "act_boost", "notice_factor"]
    return search_grid(prepared, e, names, grid, procedural, "re-ranking, all languages")


def tuning_line(t: Tuning) -> str:
    return "Tuning(" + ", ".join(f"{f.name}={getattr(t, f.name)!r}" for f in fields(t)) + ")"


def main() -> None:
    from corpus.settings import Settings
    from corpus.store import Store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("queries", nargs="+", type=Path)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--half", choices=("tuning", "reporting", "all"), default="tuning")
    args = ap.parse_args()
    queries = [q for path in args.queries for q in load_queries(path)]
    chosen = [q for q in queries if args.half == "all" or half_of(q.qid) == args.half]
    settings = Settings.from_env(db=args.db)
    with Store.open(settings.db, readonly=True) as store:
        searcher = Searcher(store, settings)
        prepared = prepare(searcher, chosen, Tuning().depth)
        procedural = searcher.procedural_ids
        langs = {lang: sum(1 for p in prepared if p.intent.lang == lang) for lang in ("sv", "en")}
        print(f"{len(prepared)} queries of the {args.half} half ({langs})")
        best = tune(prepared, procedural, GRID)
        print("\nchosen: " + tuning_line(best))
        print("in code: " + tuning_line(Tuning()))
        for name, t in (("code", Tuning()), ("chosen", best)):
            n10, r20 = score(prepared, t, procedural)
            print(f"{name:>7}: nDCG@10 {n10:.4f}  Recall@20 {r20:.3f}")


if __name__ == "__main__":
    main()
