"""Fusion of ranked runs and re-ranking rules: pure functions on lists of Hits."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from corpus.model import KALLELSE, PROTOKOLL, Hit

# Score normalisations of `convex` (Bruch, Gai, Ingber, "An Analysis of Fusion Functions for
# Hybrid Retrieval", ACM TOIS 2023): min-max over the run; "theoretical" min-max, from the
# scoring function's lower bound (BM25 0, cosine -1) to the run's best; z-score.
NORMALISATIONS = ("minmax", "tmm", "zscore")


def rrf(
    runs: Sequence[Sequence[Hit]], *, k0: float = 60.0, weights: Sequence[float] | None = None
) -> list[Hit]:
    """Reciprocal rank fusion: score = sum over runs of weight / (k0 + rank), rank from 1."""
    weights = weights or [1.0] * len(runs)
    scores: dict[str, float] = {}
    for run, w in zip(runs, weights, strict=True):
        for rank, hit in enumerate(run, start=1):
            scores[hit.item_id] = scores.get(hit.item_id, 0.0) + w / (k0 + rank)
    return _fused(runs, scores)


def convex(
    runs: Sequence[Sequence[Hit]],
    weights: Sequence[float],
    *,
    normalise: str = "minmax",
    bounds: Sequence[float] | None = None,
    depth: int | None = None,
) -> list[Hit]:
    """Convex combination of normalised scores: score = sum over runs of weight * the item's
    score in the run, normalised per run (``normalised``). Unlike `rrf` it keeps how sure each
    run is: an item far ahead in one run stays ahead of one that two runs rank lukewarmly.

    An item a run did not return is scored as the run's floor: the lowest score it returned
    when it returned `depth` hits (the item scores at most that, and nothing lower is known,
    so it is not punished for the run's cut-off), or, when it returned fewer (it ran out: BM25
    returns every item holding a query word), the run's lower bound (``bounds``; the run's
    lowest score without bounds). bounds: per run, the lower bound of its scoring function
    (tmm needs them). Ties by item id."""
    if normalise not in NORMALISATIONS:
        raise ValueError(f"normalise must be one of {NORMALISATIONS}, got {normalise!r}")
    per_run = []
    for n, run in enumerate(runs):
        bound = bounds[n] if bounds is not None else None
        complete = depth is not None and len(run) < depth
        per_run.append(normalised(run, normalise, bound, complete))
    everyone = dict.fromkeys(h.item_id for run in runs for h in run)
    scores = {
        i: sum(w * norm.get(i, floor) for w, (norm, floor) in zip(weights, per_run, strict=True))
        for i in everyone
    }
    return _fused(runs, scores)


def normalised(
    run: Sequence[Hit], how: str, bound: float | None = None, complete: bool = False
) -> tuple[dict[str, float], float]:
    """A run's scores normalised (``NORMALISATIONS``), and the normalised floor that an item the
    run did not return gets (`convex`). Every value is >= 0: re-ranking multiplies scores.

    - minmax: (s - min) / (max - min), the floor 0; a run whose scores are all equal gives
      its items 1;
    - tmm: (s - bound) / (max - bound), the floor that of the run's lowest score, or 0 when
      the run is complete (it returned every item scoring above its bound);
    - zscore: (s - min) / standard deviation, the floor 0: the z-score shifted by the run's
      lowest z, which moves every item of the fusion alike (z-scores are negative below the
      mean, and re-ranking multiplies scores); equal scores give 1."""
    if not run:
        return {}, 0.0
    values = [h.score for h in run]
    hi, lo = max(values), min(values)
    if how == "tmm":
        if bound is None:
            raise ValueError("tmm needs the lower bound of the run's scoring function")
        span = hi - bound
        norm = {h.item_id: (h.score - bound) / span if span > 0 else 1.0 for h in run}
        floor = 0.0 if complete or span <= 0 else (lo - bound) / span
        return norm, floor
    if how == "zscore":
        mean = sum(values) / len(values)
        spread = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    else:
        spread = hi - lo
    return {h.item_id: (h.score - lo) / spread if spread > 0 else 1.0 for h in run}, 0.0


def _fused(runs: Sequence[Sequence[Hit]], scores: Mapping[str, float]) -> list[Hit]:
    """Hybrid hits with the given scores, best first (ties by item id), each with its score in
    every run (``parts``), the terms its first lexical hit matched and its best dense passage."""
    parts: dict[str, list[tuple[str, float]]] = {}
    matched: dict[str, tuple[str, ...]] = {}
    passage: dict[str, int] = {}
    for run in runs:
        for hit in run:
            parts.setdefault(hit.item_id, []).append((hit.retriever, hit.score))
            if hit.matched and hit.item_id not in matched:
                matched[hit.item_id] = hit.matched
            if hit.retriever == "dense":
                passage[hit.item_id] = hit.passage
    fused = [
        Hit(
            item_id=i,
            score=s,
            retriever="hybrid",
            matched=matched.get(i, ()),
            passage=passage.get(i, 0),
            parts=tuple(parts[i]),
        )
        for i, s in scores.items()
    ]
    fused.sort(key=lambda h: (-h.score, h.item_id))
    return fused


def demote(hits: Sequence[Hit], demoted: Collection[str], *, factor: float) -> list[Hit]:
    """Multiply the scores of the given items by factor (< 1 demotes, > 1 boosts); re-sort."""
    return rescaled(hits, lambda h: factor if h.item_id in demoted else 1.0)


def rescaled(hits: Sequence[Hit], factor_of: Callable[[Hit], float]) -> list[Hit]:
    """Each hit's score multiplied by factor_of(hit) (1: left as it is); re-sorted, ties by
    item id."""
    out = []
    for h in hits:
        factor = factor_of(h)
        out.append(h if factor == 1.0 else replace(h, score=h.score * factor))
    out.sort(key=lambda h: (-h.score, h.item_id))
    return out


@dataclass(frozen=True)
class Candidate:
    """What re-ranking needs to know of a candidate item (from the store)."""

    meeting_date: str | None = None
    doc_kind: str = ""
    forbund: str | None = None
    act: str | None = None  # the item's decided act (ingest.verdict.item_act), None if none
    stances: frozenset[str] = frozenset()  # stances of its decided records
    # how it was decided (ingest.procedure; read only when the query asks for a procedure)
    procedures: frozenset[str] = frozenset()
    furniture: bool = False  # a signature block, posting notice, page furniture …
    years: frozenset[int] = frozenset()  # the years its title names (index.query.title_years)
    title_terms: frozenset[str] = frozenset()  # the index terms of its title (and their parts)


@dataclass(frozen=True)
class Intent:
    """What re-ranking needs to know of a query (index.query.understand)."""

    lang: str = "sv"
    acts: frozenset[str] = frozenset()  # acts the query asks for ("avslagna" -> rejected)
    stances: frozenset[str] = frozenset()
    procedures: frozenset[str] = frozenset()  # how it was decided ("omröstning" -> vote)
    asks_decision: bool = False  # about what was decided (an act, "beslut", "decided")
    procedural: bool = False  # about meeting formalities (justerare, dagordning …)
    period: tuple[str, str] | None = None  # inclusive ISO dates the query names
    one_year: bool = False  # the period is a whole year
    # Per word of the query (period words aside) the index terms it searches: its own and
    # its family's, synonyms' and translations' (Searcher.understand).
    words: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Boosts:
    """The factors of `rerank` (index.tuning.Tuning holds the tuned values)."""

    procedural: float = 0.5
    month: float = 1.5
    year: float = 1.2
    act: float = 1.0
    procedure: float = 1.0
    notice: float = 1.0
    other_year: float = 1.0
    title: float = 0.0  # items whose title holds every query word: score times 1 + title


def rerank(
    hits: Sequence[Hit],
    intent: Intent,
    facts: Mapping[str, Candidate],
    procedural: Collection[str],
    boosts: Boosts,
) -> list[Hit]:
    """Re-rank fused hits by what the query asks (pure):

    - furniture (``Candidate.furniture``) never ranks: it is dropped;
    - procedural items are demoted unless the query is about formalities;
    - items of meetings in the period the query names are boosted (a month more than a year),
      and items whose title names only other years than the period's are demoted
      ("höjd serviceavgift 2023" when the query asks about 2022);
    - when the query asks for an act or stance, items whose decided act or stance is one of
      them are boosted; when it asks for a procedure (a vote, a reservation …), items decided
      by it are boosted (``Boosts.procedure``);
    - items whose title holds words of the query are boosted by the share of its words the
      title holds (``title_share``): what an item is about is its title;
    - when it asks about a decision, items of notices are demoted, and a notice never ranks
      above the protocol of the same meeting (same förbund and date) when both are found.

    Items without facts are left as they are (only candidates near the top are looked up)."""
    out = [h for h in hits if not (h.item_id in facts and facts[h.item_id].furniture)]
    if not intent.procedural:
        out = demote(out, procedural, factor=boosts.procedural)
    if intent.period is not None:
        lo, hi = intent.period
        inside = {
            i for i, f in facts.items() if f.meeting_date is not None and lo <= f.meeting_date <= hi
        }
        out = demote(out, inside, factor=boosts.year if intent.one_year else boosts.month)
        asked = set(range(int(lo[:4]), int(hi[:4]) + 1))
        elsewhere = {i for i, f in facts.items() if f.years and not f.years & asked}
        out = demote(out, elsewhere, factor=boosts.other_year)
    if intent.acts or intent.stances:
        matching = {
            i
            for i, f in facts.items()
            if (f.act is not None and f.act in intent.acts) or (f.stances & intent.stances)
        }
        out = demote(out, matching, factor=boosts.act)
    if intent.procedures:
        matching = {i for i, f in facts.items() if f.procedures & intent.procedures}
        out = demote(out, matching, factor=boosts.procedure)
    if boosts.title and intent.words:
        out = boost_titles(out, intent.words, facts, boosts.title)
    if intent.asks_decision:
        notices = {i for i, f in facts.items() if f.doc_kind == KALLELSE}
        out = after_protocols(demote(out, notices, factor=boosts.notice), facts)
    return out


def title_share(words: Sequence[frozenset[str]], title_terms: Collection[str]) -> float:
    """The share of the query's words (each the set of terms it searches) the title holds."""
    if not words:
        return 0.0
    return sum(1 for w in words if not w.isdisjoint(title_terms)) / len(words)


def boost_titles(
    hits: Sequence[Hit],
    words: Sequence[frozenset[str]],
    facts: Mapping[str, Candidate],
    boost: float,
) -> list[Hit]:
    """Multiply each item's score by 1 + boost * the share of the query's words its title
    holds; re-sort."""

    def factor(h: Hit) -> float:
        f = facts.get(h.item_id)
        return 1 + boost * title_share(words, f.title_terms) if f is not None else 1.0

    return rescaled(hits, factor)


def after_protocols(hits: Sequence[Hit], facts: Mapping[str, Candidate]) -> list[Hit]:
    """Move each notice item below the best protocol item of the same meeting ranked after it
    (the notice proposes what the protocol decides)."""
    out = list(hits)
    best: dict[tuple[str | None, str], int] = {}
    for n, h in enumerate(out):
        f = facts.get(h.item_id)
        if (
            f
            and f.doc_kind == PROTOKOLL
            and f.meeting_date
            and (f.forbund, f.meeting_date) not in best
        ):
            best[(f.forbund, f.meeting_date)] = n
    moves: list[tuple[Hit, Hit]] = []
    for n, h in enumerate(out):
        f = facts.get(h.item_id)
        if f and f.doc_kind == KALLELSE and f.meeting_date:
            at = best.get((f.forbund, f.meeting_date))
            if at is not None and at > n:
                moves.append((h, out[at]))
    for notice, protocol in moves:
        out.remove(notice)
        out.insert(out.index(protocol) + 1, replace(notice, score=protocol.score))
    return out
