"""Search quality on graded query files: nDCG@10, Recall@20 and MRR per mode, per query,
per language and per query type.

A query file is the dev-queries format (``{"queries": [{"id", "q", "relevant": [[source,
label, grade]]}]}``); a query may also carry ``lang`` (sv | en), ``type`` (keyword, paraphrase,
question, one-word, act-status, …) and ``split`` (tune | report), as in
``tests/data/search_eval/queries.json``. ``assign_splits`` is the rule that wrote the stored
split: within each (lang, type) stratum, queries in order of a hash of their id alternate
between the halves, so the split is deterministic and balanced and does not depend on results;
queries of origin ``tune-extra`` (more paraphrases for the tuning, written afterwards) are
always in the tuning half, and queries of origin ``blind`` (written later by someone who had
seen neither the search's query-side code and data nor the other queries) always in the
reporting half, both outside the strata.
Split ``probe`` marks held-out queries (``tests/data/search_eval/probe-queries.json``): loaded
with ``split="probe"`` or ``"all"``, never put into a half by ``assign_splits``, refused by the
tuning script.

Tuning calls ``Evaluator.run`` many times on one loaded index: the query vectors and the item
contexts are computed once (``open_searcher`` gives a searcher whose query encoder remembers
its vectors), each run only ranks and scores.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from corpus.errors import CorpusError
from corpus.model import EvalQuery, EvalScore, ItemContext, Judgement, QueryScore

SPLITS = ("tune", "report")
PROBE = "probe"  # held-out queries: scored, never tuned on
TUNE_EXTRA = "tune-extra"  # origin of queries written for the tuning half: always tune
BLIND = "blind"  # origin of queries written blind for the reporting half: always report
FIXED_HALF = {TUNE_EXTRA: "tune", BLIND: "report"}  # origins written for one half alone
MODES = ("lexical", "dense", "hybrid")
DEPTH = 20  # ranks scored: nDCG@10 and Recall@20


def load_queries(path: Path, split: str | None = None) -> list[EvalQuery]:
    """The queries of a file; with `split` ("tune" | "report" | "probe") only those."""
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
        queries = [
            EvalQuery(
                q["id"],
                q["q"],
                tuple(Judgement(s, lab, int(g)) for s, lab, g in q["relevant"]),
                lang=q.get("lang", ""),
                kind=q.get("type", ""),
                split=q.get("split", ""),
                origin=q.get("origin", ""),
            )
            for q in raw["queries"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise CorpusError(f"{path}: not a query file in the dev-queries format ({e})") from e
    if split is None or split == "all":
        return queries
    if split not in (*SPLITS, PROBE):
        raise CorpusError(
            f"split must be one of {', '.join((*SPLITS, PROBE))} or all, got {split!r}"
        )
    if not any(q.split for q in queries):
        raise CorpusError(f"{path}: its queries are not split into {' and '.join(SPLITS)}")
    chosen = [q for q in queries if q.split == split]
    if not chosen:
        raise CorpusError(f"{path}: no query has split {split!r}")
    return chosen


def _order_key(qid: str) -> str:
    return hashlib.sha256(qid.encode()).hexdigest()


def assign_splits(queries: Iterable[EvalQuery]) -> dict[str, str]:
    """Query id -> "tune" | "report": stratified by (lang, kind), alternating in hash order of
    the ids within each stratum; the halves of odd strata alternate too, so the two halves
    differ in size by at most one. Probe queries (split "probe") are held out: not assigned.
    Queries of origin "tune-extra" (written for the tuning half alone) are "tune", those of
    origin "blind" (written for the reporting half alone) "report"; both are left out of the
    strata, so adding them moves no other query between the halves."""
    strata: dict[tuple[str, str], list[str]] = defaultdict(list)
    out: dict[str, str] = {}
    for q in queries:
        if q.split == PROBE:
            continue
        if q.origin in FIXED_HALF:
            out[q.qid] = FIXED_HALF[q.origin]
            continue
        strata[(q.lang, q.kind)].append(q.qid)
    odd = 0
    for key in sorted(strata):
        ids = sorted(strata[key], key=_order_key)
        first = odd % 2  # which half gets the extra query of an odd stratum
        for i, qid in enumerate(ids):
            out[qid] = SPLITS[(i + first) % 2]
        odd += len(ids) % 2
    return out


def _number(label: str) -> int | None:
    m = re.search(r"\d+", label)
    return int(m.group()) if m else None


def _heading(text: str) -> str:
    return " ".join(text.split()).casefold()


def matches(ctx: ItemContext, j: Judgement) -> bool:
    """Same source file and same item number; for "sektion:<kw>" a section whose heading
    (or the heading of its attachment) holds the keyword; for "rubrik:<label>" the section of
    that label (its heading, with " (2)" after a second section of the same heading), case and
    spacing aside."""
    if ctx.source != j.source:
        return False
    if j.label.startswith("rubrik:"):
        return _heading(ctx.item.label) == _heading(j.label.split(":", 1)[1])
    if j.label.startswith("sektion:"):
        kw = j.label.split(":", 1)[1].strip().casefold()
        heads = (ctx.item.title, ctx.item.attachment or "")
        return any(kw in h.casefold() for h in heads)
    return ctx.item.number is not None and ctx.item.number == _number(j.label)


def gains(ranked: Sequence[ItemContext], relevant: Sequence[Judgement]) -> list[int]:
    """Grade of each ranked item; each judgement is credited once, at its first match."""
    used: set[int] = set()
    out = []
    for ctx in ranked:
        grade = 0
        for i, j in enumerate(relevant):
            if i not in used and matches(ctx, j):
                used.add(i)
                grade = j.grade
                break
        out.append(grade)
    return out


def ndcg(gained: Sequence[int], ideal: Sequence[int], k: int) -> float:
    def dcg(gs: Sequence[int]) -> float:
        return sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(gs[:k]))

    best = dcg(sorted(ideal, reverse=True))
    return dcg(gained) / best if best else 0.0


def query_score(q: EvalQuery, ranked: Sequence[ItemContext]) -> QueryScore:
    g = gains(ranked, q.relevant)
    n10 = ndcg(g, [j.grade for j in q.relevant], 10)
    r20 = sum(1 for x in g[:DEPTH] if x) / len(q.relevant) if q.relevant else 0.0
    first = next((r for r, x in enumerate(g, 1) if x), None)
    rr = 1.0 / first if first else 0.0
    return QueryScore(q.qid, q.lang, q.kind, q.split, n10, r20, rr, origin=q.origin)


def score_run(
    mode: str, queries: Sequence[EvalQuery], ranked: Sequence[Sequence[ItemContext]]
) -> EvalScore:
    per = [query_score(q, run) for q, run in zip(queries, ranked, strict=True)]
    n = len(per) or 1
    return EvalScore(
        mode=mode,
        ndcg10=sum(p.ndcg10 for p in per) / n,
        recall20=sum(p.recall20 for p in per) / n,
        mrr=sum(p.rr for p in per) / n,
        per_query=tuple((p.qid, p.ndcg10, p.recall20) for p in per),
        queries=tuple(per),
    )


@dataclass(frozen=True, slots=True)
class GroupScore:
    """Mean scores of the queries of one group (a language, a query type) in one mode."""

    group: str
    n: int
    ndcg10: float
    recall20: float
    mrr: float
    worst: float  # the lowest nDCG@10 of the group


def by_group(score: EvalScore, key: str) -> list[GroupScore]:
    """Means per value of `key` ("lang", "kind", "split" or "origin"), groups in name order."""
    groups: dict[str, list[QueryScore]] = defaultdict(list)
    for p in score.queries:
        groups[getattr(p, key) or "?"].append(p)
    return [
        GroupScore(
            name,
            len(ps),
            sum(p.ndcg10 for p in ps) / len(ps),
            sum(p.recall20 for p in ps) / len(ps),
            sum(p.rr for p in ps) / len(ps),
            min(p.ndcg10 for p in ps),
        )
        for name, ps in sorted(groups.items())
    ]


class MemoQueryEncoder:
    """A query encoder that embeds each distinct query text once (for repeated runs)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name: str = inner.name
        self.dim: int = inner.dim
        self._seen: dict[str, np.ndarray] = {}

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if todo:
            for t, v in zip(todo, self.inner.encode_queries(todo), strict=True):
                self._seen[t] = v
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._seen[t] for t in texts]).astype(np.float32)


def open_searcher(store: Any, settings: Any, encoder: Any = None) -> Any:
    """A Searcher over the corpus's index whose query vectors are remembered across runs."""
    from index.embed import load_query_encoder
    from index.search import Searcher

    inner = encoder or load_query_encoder(settings.model, settings.cache_dir)
    return Searcher(store, settings, encoder=MemoQueryEncoder(inner))


class Evaluator:
    """Scores one query set on one loaded searcher, as often as a tuning loop asks.

    ``run(modes, tuning=...)`` sets ``searcher.tuning`` for the run (and restores it), ranks
    every query at depth 20 and scores it; item contexts are looked up once per item."""

    def __init__(self, searcher: Any, queries: Sequence[EvalQuery]) -> None:
        self.searcher = searcher
        self.queries = list(queries)
        self._contexts: dict[str, ItemContext] = {}

    def _contexts_of(self, ids: list[str]) -> list[ItemContext]:
        missing = [i for i in ids if i not in self._contexts]
        if missing:
            for c in self.searcher.store.item_contexts(missing):
                self._contexts[c.item.item_id] = c
        return [self._contexts[i] for i in ids if i in self._contexts]

    def rankings(self, mode: str) -> list[list[ItemContext]]:
        out = []
        for q in self.queries:
            hits = self.searcher.search(q.text, DEPTH, None, mode)
            out.append(self._contexts_of([h.item_id for h in hits]))
        return out

    def run(self, modes: Sequence[str] = MODES, tuning: Any = None) -> list[EvalScore]:
        before = self.searcher.tuning
        if tuning is not None:
            self.searcher.tuning = tuning
        try:
            return [score_run(m, self.queries, self.rankings(m)) for m in modes]
        finally:
            self.searcher.tuning = before


def evaluate(
    searcher: object, queries: Sequence[EvalQuery], modes: Sequence[str]
) -> list[EvalScore]:
    """Run every query in every mode (k=20) and score the rankings."""
    return Evaluator(searcher, queries).run(modes)


def only(queries: Sequence[EvalQuery], split: str) -> list[EvalQuery]:
    """The queries of one half ("all": every query)."""
    return list(queries) if split == "all" else [q for q in queries if q.split == split]


def with_splits(queries: Sequence[EvalQuery]) -> list[EvalQuery]:
    """The queries with the split `assign_splits` gives them."""
    split = assign_splits(queries)
    return [replace(q, split=split[q.qid]) for q in queries]
