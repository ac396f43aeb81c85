"""Which grant a clause makes: a whole grant, a partial one, an approval or an appointment.

``ingest.stance`` finds the deciding phrase of a clause; ``grant_act`` then settles what an
approving or granting phrase gives: money (a funding verb with kronor, an approved
application), an employment ("godkänner anställning av X"), or less than was applied for
("bifaller delvis", a grant beside a rejection, "…, men inte de sökta resekostnaderna"), and
which kronor are the grant's own (not those of the part left out). Phrases and word lists
live in ``ingest.stance_rules``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ingest.stance_words import (
    APPLICATION_OBJECT,
    APPROVING_VERBS,
    BUT_WORDS,
    EMPLOYMENT_OBJECT,
    EXCEPT_WORDS,
    FUNDING_VERBS,
    NEGATIONS,
    PARTLY,
    PARTLY_BEFORE,
    PARTLY_REACH,
    PARTLY_STOPS,
    SUPPORTING_VERBS,
)

if TYPE_CHECKING:
    from ingest.stance import _Hit

__all__ = ["grant_act", "own_acts"]


def _grants(hit: _Hit, kronor: bool) -> bool:
    """Whether an approving hit gives money: a funding verb with kronor in the clause."""
    return hit.act == "granted" or (
        hit.act == "approved" and kronor and hit.rule.verb in FUNDING_VERBS
    )


def _granting(
    focus: _Hit, hits: Sequence[_Hit], kronor: bool, delegating: _Hit | None, subject: str
) -> str:
    """The act of an approving clause that may grant or appoint (approving an employment,
    "godkänner anställning av X", appoints): approving an application ("godkänner
    ansökan om förlängning", "ansökan godkänns"), supporting one with money ("tillstyrker
    ansökan … 120 tkr"), money set aside ("avsätter 120 tkr"), or an approval beside a grant
    in the same clause ("tillstyrker ansökan och avsätter 120 tkr") is a grant."""
    if _grants(focus, kronor):
        return "granted"
    if focus.rule.verb in APPROVING_VERBS and re.match(EMPLOYMENT_OBJECT, subject, re.I):
        return "appointed"
    on_application = re.match(APPLICATION_OBJECT, subject, re.I) is not None
    if on_application and (
        focus.rule.verb in APPROVING_VERBS or (kronor and focus.rule.verb in SUPPORTING_VERBS)
    ):
        return "granted"
    if any(_grants(h, kronor) for h in own_acts(hits, delegating) if not h.negated):
        return "granted"
    return "approved"


def own_acts(hits: Sequence[_Hit], delegating: _Hit | None) -> list[_Hit]:
    """The acts the board itself takes in a clause: not reported ones, not the delegating
    verb, nothing of the task it delegates ("uppdrar åt … att bevilja")."""
    return [
        h
        for h in hits
        if not h.background
        and not h.conditional
        and not h.delegating
        and (delegating is None or h.start < delegating.start)
    ]


def _grants_and_rejects(hits: Sequence[_Hit], kronor: bool, delegating: _Hit | None) -> bool:
    """Whether the clause grants one part and rejects another, as a grant beside a rejection
    in two clauses does (``ingest.verdict.decided_act``)."""
    acts = {"granted" if _grants(h, kronor) else h.act for h in own_acts(hits, delegating)}
    return {"granted", "rejected"} <= acts


def _partly(doc: Any, focus: _Hit) -> bool:
    """Whether the grant's own words say it falls short of the application ("bifaller delvis",
    "med ett lägre belopp")."""

    def stops(i: int) -> bool:
        return doc[i].lower_ in PARTLY_STOPS or doc[i].text.endswith((".", ",", ";"))

    start, end = focus.start, focus.end
    while start > max(0, focus.start - PARTLY_BEFORE) and not stops(start - 1):
        start -= 1
    while end < min(len(doc), focus.end + PARTLY_REACH) and not stops(end):
        end += 1
    return re.search(PARTLY, doc[start:end].text, re.I) is not None


def _left_out(doc: Any, focus: _Hit, hits: Sequence[_Hit], delegating: _Hit | None) -> int | None:
    """Where the part a grant leaves out begins, after the grant in the same clause ("…, men
    inte de sökta resekostnaderna", "utom lokalhyran", "men avslår ansökan om …"), or None."""
    for i in range(focus.end, len(doc)):
        word = doc[i].lower_
        if word == ";":
            return None
        ahead = {t.lower_ for t in doc[i + 1 : i + 3]}
        if (word in BUT_WORDS and ahead & set(NEGATIONS)) or word in EXCEPT_WORDS:
            return i
    rejections = [
        h.start
        for h in own_acts(hits, delegating)
        if h.start >= focus.end and h.act == "rejected" and not _grants(h, True)
    ]
    return min(rejections, default=None)


def grant_act(
    doc: Any,
    act: str | None,
    focus: _Hit | None,
    hits: Sequence[_Hit],
    kronor: tuple[float, ...],
    delegating: _Hit | None,
    subject: Callable[[], str | None],
) -> tuple[str | None, tuple[float, ...]]:
    """The clause's act and kronor once its grant is settled: an approval that grants or
    appoints, a grant that falls short or leaves a part out (then the kronor before that
    part). ``subject`` gives the object of the focus phrase when it is needed."""
    if focus is None:
        return act, kronor
    if act == "approved":
        act = _granting(focus, hits, bool(kronor), delegating, subject() or "")
    if act == "granted" and _partly(doc, focus):
        act = "partly_granted"
    if act in ("granted", "rejected") and _grants_and_rejects(hits, bool(kronor), delegating):
        act = "partly_granted"  # "beviljar 300 tkr men avslår ansökan om lokalhyra"
    if act in ("granted", "partly_granted"):
        left_out = _left_out(doc, focus, hits, delegating)
        if left_out is not None:
            from ingest.facts import find_amounts

            act = "partly_granted"
            given = tuple(a.value for a in find_amounts(doc[:left_out].text) if a.unit == "kr")
            kronor = given or kronor  # what is granted, not the part left out
    return act, kronor
