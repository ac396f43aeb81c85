"""Fusion of ranked runs and re-ranking rules: pure functions on lists of Hits."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from corpus.model import KALLELSE, PROTOKOLL, Hit


def rrf(
    runs: Sequence[Sequence[Hit]], *, k0: float = 60.0, weights: Sequence[float] | None = None
) -> list[Hit]:
    """Reciprocal rank fusion: score = sum over runs of weight / (k0 + rank), rank from 1."""
    weights = weights or [1.0] * len(runs)
    scores: dict[str, float] = {}
    parts: dict[str, list[tuple[str, float]]] = {}
    matched: dict[str, tuple[str, ...]] = {}
    passage: dict[str, int] = {}
    for run, w in zip(runs, weights, strict=True):
        for rank, hit in enumerate(run, start=1):
            scores[hit.item_id] = scores.get(hit.item_id, 0.0) + w / (k0 + rank)
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


def weighted_sum(runs: Sequence[Sequence[Hit]], weights: Sequence[float]) -> list[Hit]:
    """Sum of per-run scores min-max normalised to [0, 1] within each run."""
    scores: dict[str, float] = {}
    parts: dict[str, list[tuple[str, float]]] = {}
    matched: dict[str, tuple[str, ...]] = {}
    for run, w in zip(runs, weights, strict=True):
        if not run:
            continue
        hi = max(h.score for h in run)
        lo = min(h.score for h in run)
        span = (hi - lo) or 1.0
        for hit in run:
            scores[hit.item_id] = scores.get(hit.item_id, 0.0) + w * (hit.score - lo) / span
            parts.setdefault(hit.item_id, []).append((hit.retriever, hit.score))
            if hit.matched and hit.item_id not in matched:
                matched[hit.item_id] = hit.matched
    fused = [Hit(i, s, "hybrid", matched.get(i, ()), 0, tuple(parts[i])) for i, s in scores.items()]
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
    furniture: bool = False  # a signature block, posting notice, page furniture …
    years: frozenset[int] = frozenset()  # the years its title names (index.query.title_years)
    title_terms: frozenset[str] = frozenset()  # the index terms of its title (and their parts)


@dataclass(frozen=True)
class Intent:
    """What re-ranking needs to know of a query (index.query.understand)."""

    lang: str = "sv"
    acts: frozenset[str] = frozenset()  # acts the query asks for ("avslagna" -> rejected)
    stances: frozenset[str] = frozenset()
    asks_decision: bool = False  # about what was decided (an act, "beslut", "decided")
    procedural: bool = False  # about meeting formalities (justerare, dagordning …)
    period: tuple[str, str] | None = None  # inclusive ISO dates the query names
    one_year: bool = False  # the period is a whole year
    # Per word of the query (period words aside) the index terms it searches: its own and
    # its family's, synonyms' and translations' (Searcher.understand).
    words: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Boosts:
    """The factors of `rerank` (index.search.Tuning holds the tuned values)."""

    procedural: float = 0.5
    month: float = 1.5
    year: float = 1.2
    act: float = 1.0
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
      them are boosted;
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
