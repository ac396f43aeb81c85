"""Decision intelligence: every decision on a topic (not a top-k), and its timeline.

A topic is subject + what is asked (``index.topic``): "avslagna tilläggsäskanden" asks for
decisions about supplementary requests whose act is a rejection. Candidates come from lexical
search at full depth (the topic's concept phrases, so synonyms count) plus dense search at
depth; each candidate is kept or dropped by rules a user can read:

1. it is about the subject: it names every concept of the topic (two thirds of them from
   three on), or half of them while being a close dense match (``TopicRule.dense_min``);
2. what is asked holds on its typed verdict (``ingest.verdict``): the requested act or stance.

Rows carry the item's verdict; a notice's point or an undecided proposal is a row with status
``proposed`` / ``on_agenda``, never a decision (``decided_only`` drops them).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from corpus.model import (
    DECIDED,
    PER_CAPITA,
    PROCEDURES,
    DecisionRow,
    Filters,
    Hit,
    Item,
    ItemContext,
    Verdict,
    item_key,
)
from index.search import Searcher
from index.topic import (
    Stems,
    Topic,
    all_phrases,
    coverage,
    named_otherwise,
    parse_topic,
    word_stems,
)
from ingest.vocab import STAFF_TITLES

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]{3,}")
_REFERENCE = re.compile(r"\b(?:dnr|diarienummer|diarienr|ärendenr|ref)\b", re.I)


@dataclass(frozen=True)
class TopicRule:
    """Relevance gate, calibrated on tests/data/topics.json (see README)."""

    lexical_depth: int = 5000
    dense_depth: int = 200
    many_concepts: int = 3  # from this many concepts on, two thirds of them are enough
    many_coverage: float = 2 / 3
    partial_coverage: float = 0.5  # share enough when the dense similarity is also high
    # Cosine of topic and best passage for the partial rule, chosen with
    # `finsam eval-decisions tests/data/topics.json --sweep` on 24 topics (bundled e5 model):
    # mean precision 0.879 at 0.80, 0.939 at 0.85, 0.956 at 0.86, 0.984 from 0.88 up, recall
    # the same at every value; 0.88 is the lowest that lets in no item off the topic.
    dense_min: float = 0.88


def item_verdict(ctx: ItemContext) -> Verdict:
    from ingest.verdict import verdict

    return verdict(ctx.item, ctx.doc_kind, ctx.forbund)


def decision_row(ctx: ItemContext, score: float, evidence: Sequence[str] = ()) -> DecisionRow:
    """An item as a decision row: its verdict, clauses and amounts."""
    it = ctx.item
    v = item_verdict(ctx)
    decided = v.status == DECIDED
    clauses = it.decisions if (decided and it.decisions) else (it.proposals or it.decisions)
    rates = tuple(r.text for d in it.records for r in d.rates)
    in_item = (
        a.text
        for a in it.amounts
        if (a.unit == "kr" and a.value not in v.amounts_kr)
        or (a.unit == PER_CAPITA and a.text not in rates)
    )
    return DecisionRow(
        context=ctx,
        stance=v.stance,
        clauses=clauses,
        amounts_kr=v.amounts_kr,
        rates=tuple(dict.fromkeys(rates)),
        score=score,
        evidence=tuple(evidence),
        act=v.act,
        status=v.status,
        proposed_act=v.proposed_act,
        proposed_stance=v.proposed_stance,
        amounts_in_item=tuple(dict.fromkeys(in_item)),
        procedures=item_procedures(it),
        conditions=clause_conditions(clauses),
    )


def item_procedures(item: Item) -> tuple[str, ...]:
    """How the item's decision was reached (corpus.model.PROCEDURES, in that order), as its
    text records it (ingest.procedure)."""
    from ingest.procedure import procedures

    found = procedures("\n".join([item.body, *item.decisions]))
    return tuple(p for p in PROCEDURES if p in found)


def clause_conditions(clauses: Sequence[str]) -> tuple[str, ...]:
    """The conditions decision clauses attach to the decision (ingest.condition), once each."""
    from ingest.condition import conditions

    return tuple(dict.fromkeys(c for clause in clauses for c in conditions(clause)))


def _item_terms(ctx: ItemContext) -> tuple[list[Stems], list[Stems], list[Stems]]:
    """(title, head, body) of an item as per-word terms; the head is the title and the clauses,
    and the body's first line where the title is only a reference number ("Dnr 2022/45")."""
    it = ctx.item
    title = word_stems(it.title)
    lead = it.body.strip().split("\n", 1)[0] if _only_reference(it.title) else ""
    head = title + word_stems(" . ".join([lead, *it.decisions, *it.proposals]))
    body = word_stems(" . ".join([it.body, it.attachment or "", *it.handlingar]))
    return title, head, body


def _only_reference(title: str) -> bool:
    """A title without words: a case number ("Dnr 2022/45", "2023/41")."""
    return not _WORD.search(_REFERENCE.sub(" ", title))


# An appointment to a staff post is an employment in whatever words it is written ("Styrelsen
# utser Eva Holm till förbundschef", "Till ny processledare väljs …"): its clause is taken to
# name one, so a topic on the employment finds it.
_EMPLOYMENT_WORD = "anställning"
_STAFF_POST = re.compile(
    r"\b(?:" + "|".join(t.lower() for t in STAFF_TITLES if not t.endswith("en")) + r")(?:en|n)?\b",
    re.I,
)


def _appoints_staff(item: Item) -> bool:
    """Whether a record of the item appoints someone to a staff post (ingest.vocab.STAFF_TITLES)."""
    return any(r.act == "appointed" and _STAFF_POST.search(r.clause) for r in item.records)


def about(topic: Topic, ctx: ItemContext) -> tuple[float, list[str], bool]:
    """Share of the topic's concepts the item is about, their names, and whether it names
    something else in the place of a concept it lacks (``topic.named_otherwise``)."""
    if not topic.concepts:
        return 1.0, [], False
    title, head, body = _item_terms(ctx)
    if _appoints_staff(ctx.item):
        head = head + word_stems(_EMPLOYMENT_WORD)
    has_amount = any(r.amounts_kr for r in ctx.item.records)
    share, names = coverage(topic, head, body, title, has_amount)
    return share, names, named_otherwise(topic, head + body)


def answers(topic: Topic, row: DecisionRow) -> bool:
    """Whether a row is what the topic asks for (any row, if it asks nothing)."""
    if not topic.asks:
        return True
    if row.status != DECIDED:
        return False
    if topic.acts and row.act not in topic.acts:
        return False
    if topic.procedures and not topic.procedures.intersection(row.procedures):
        return False
    return not (topic.stances and row.stance not in topic.stances)


def _sort_key(row: DecisionRow) -> tuple[str, str, int]:
    c = row.context
    return (c.forbund or "\uffff", c.meeting_date or "9999", c.item.number or 0)


def _required(topic: Topic, rule: TopicRule) -> float:
    if len(topic.concepts) >= rule.many_concepts:
        return rule.many_coverage
    return 1.0


def decisions_on_topic(
    searcher: Searcher,
    topic: str,
    filters: Filters | None = None,
    rule: TopicRule | None = None,
    *,
    decided_only: bool = False,
    answering: bool = True,
) -> list[DecisionRow]:
    """Every decision (and, unless decided_only, agenda point or proposal) on the topic,
    sorted by förbund and date; with ``answering`` off, also the decisions whose act or stance
    is not the one the topic asks for."""
    rule = rule or TopicRule()
    parsed = parse_topic(topic)
    if not parsed.concepts and not parsed.asks:
        return []
    filters = replace(filters or Filters(), decisions_only=True)
    allowed = searcher.store.allowed_keys(filters)
    if len(allowed) == 0:
        return []
    candidates: dict[str, Hit] = {}
    similarity: dict[str, float] = {}
    if parsed.concepts:
        expanded = " ".join(all_phrases(parsed.concepts))
        candidates |= {
            h.item_id: h for h in searcher.lexical.search(expanded, rule.lexical_depth, allowed)
        }
        qvec = searcher.encoder.encode_queries([topic])[0]
        dense = searcher.dense.search(qvec, rule.dense_depth, allowed)
        similarity = {h.item_id: h.score for h in dense}
        candidates |= {h.item_id: h for h in dense}
    else:  # only an act, stance or procedure is asked ("alla avslag", "omröstningar"): every
        # decided item is a candidate
        keys = set(allowed.tolist())
        candidates = {
            i: Hit(i, 0.0, "all") for i in searcher.store.item_ids() if item_key(i) in keys
        }
    required = _required(parsed, rule)
    rows: list[DecisionRow] = []
    for ctx in searcher.store.item_contexts(list(candidates)):
        if ctx.item.procedural:
            continue
        share, evidence, otherwise = about(parsed, ctx)
        sim = similarity.get(ctx.item.item_id, 0.0)
        # the partial rule: half the concepts and a close dense match, unless the item names
        # something else in the place of a concept it lacks
        close = share >= rule.partial_coverage and sim >= rule.dense_min and not otherwise
        if not (share >= required - 1e-9 or close):
            continue
        row = decision_row(ctx, share + sim, evidence)
        if (answering and not answers(parsed, row)) or (decided_only and row.status != DECIDED):
            continue
        rows.append(row)
    rows.sort(key=_sort_key)
    log.info("topic %r: %d candidates, %d rows", topic, len(candidates), len(rows))
    return rows


def _year(date: str | None) -> str:
    return date[:4] if date else "okänt år"


def timeline(rows: Sequence[DecisionRow]) -> list[tuple[str, str, int]]:
    """(year, förbund, number of decisions) for a topic's decided rows."""
    counts = Counter(
        (_year(r.context.meeting_date), r.context.forbund or "okänt förbund")
        for r in rows
        if r.status == DECIDED
    )
    return sorted((y, f, n) for (y, f), n in counts.items())


def precision_recall(found: set[Any], expected: set[Any]) -> tuple[float, float]:
    tp = len(found & expected)
    precision = tp / len(found) if found else (1.0 if not expected else 0.0)
    recall = tp / len(expected) if expected else 1.0
    return precision, recall
