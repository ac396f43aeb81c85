"""A topic compared over all members: one row per förbund of the national list active in the
period, each with exactly one status (corpus.model.COMPARE_STATUSES):

* decided        a protocol of the period decides on the topic (verdict with act or stance),
                 as the topic asks when it asks for an act or a stance ("röstade emot");
* decided_otherwise  it decides on the topic, but none of its decisions is what is asked;
* on_agenda      the topic is on a notice's agenda or proposed, no decision in the corpus;
* not_found      the corpus holds documents of the förbund from the period, none on the topic;
* no_documents   the corpus holds nothing of the förbund from the period.

The period is the filter's dates, else the span of years of the topic's rows (whatever was
decided in them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from corpus.model import (
    COMPARE_DECIDED,
    COMPARE_DECIDED_OTHERWISE,
    COMPARE_NO_DOCUMENTS,
    COMPARE_NOT_FOUND,
    COMPARE_ON_AGENDA,
    COMPARE_STATUSES,
    DECIDED,
    CompareRow,
    DecisionRow,
    Filters,
)
from index.decisions import TopicRule, answers, decisions_on_topic
from index.members import active_in
from index.members import members as all_members
from index.search import Searcher
from index.topic import parse_topic

UNKNOWN = "okänt förbund"


def period_of(filters: Filters | None, rows: Sequence[DecisionRow]) -> tuple[str, str, str]:
    """(first ISO date, last ISO date, label) of the period a comparison covers."""
    if filters and (filters.date_from or filters.date_to):
        lo, hi = filters.date_from or "0000-01-01", filters.date_to or "9999-12-31"
        return lo, hi, f"{filters.date_from or '…'}–{filters.date_to or '…'}"
    years = sorted({r.context.meeting_date[:4] for r in rows if r.context.meeting_date})
    if not years:
        return "0000-01-01", "9999-12-31", "alla år"
    label = years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
    return f"{years[0]}-01-01", f"{years[-1]}-12-31", label


def compare(
    searcher: Searcher, topic: str, filters: Filters | None = None, rule: TopicRule | None = None
) -> list[CompareRow]:
    """One row per member active in the period, plus any other förbund with documents or rows
    in it (its documents show it was active; documents of no known förbund only with rows)."""
    asked = parse_topic(topic)
    rows = decisions_on_topic(searcher, topic, filters, rule, answering=False)
    lo, hi, label = period_of(filters, rows)
    by_forbund: dict[str, list[DecisionRow]] = defaultdict(list)
    for r in rows:
        by_forbund[r.context.forbund or UNKNOWN].append(r)
    meetings: dict[str, list[str]] = defaultdict(list)
    for forbund, date, _kind, _source, _doc in searcher.store.coverage():
        if date is not None and lo <= date <= hi:
            meetings[forbund or UNKNOWN].append(date)
    names = [m.name for m in active_in(lo, hi)]
    listed = set(names)
    members = {m.name for m in all_members()}
    # A förbund with documents or rows in the period belongs to it, whatever the list says
    # (an interim board meets before the förbund formally starts).
    extra = sorted(n for n in set(by_forbund) | set(meetings) if n not in listed and n != UNKNOWN)
    if UNKNOWN in by_forbund:
        extra.append(UNKNOWN)
    if filters and filters.forbund:
        names = [n for n in names if n in filters.forbund]
        extra = [n for n in extra if n in filters.forbund]
    out = []
    for name in names + extra:
        found = by_forbund.get(name, [])
        decided = tuple(r for r in found if r.status == DECIDED)
        answering = tuple(r for r in decided if answers(asked, r))
        agenda = tuple(r for r in found if r.status != DECIDED)
        dates = tuple(sorted(meetings.get(name, ())))
        if answering:
            status, shown = COMPARE_DECIDED, answering
        elif decided:
            status, shown = COMPARE_DECIDED_OTHERWISE, decided
        elif agenda:
            status, shown = COMPARE_ON_AGENDA, agenda
        elif dates:
            status, shown = COMPARE_NOT_FOUND, ()
        else:
            status, shown = COMPARE_NO_DOCUMENTS, ()
        out.append(
            CompareRow(name, status, shown, len(dates), dates, label, member=name in members)
        )
    return out


def status_counts(rows: Sequence[CompareRow]) -> dict[str, int]:
    """How many förbund have each status (every status present, zero or more)."""
    counts = dict.fromkeys(COMPARE_STATUSES, 0)
    for r in rows:
        counts[r.status] += 1
    return counts
