"""What an item decided: its act and stance, from its clause records (``ingest.stance``).

Pure functions over an Item's records and text. The rules a reader needs:

* A proposal is never a decision. A notice (kallelse) decides nothing: its points are *on the
  agenda*, with the proposal's act and stance kept apart (``proposed_act``/``proposed_stance``).
  In a protocol, an item with only a "Förslag till beslut" is *proposed*, not decided.
* "Styrelsen beslutar i enlighet med förslaget" adopts the item's proposal: the decision is
  what the proposal says.
* A grant of less than was applied for, or a grant beside "avslå ansökan i övrigt", is a
  partial grant. What was applied for is an amount the item puts after a request word
  ("tilläggsäskande om 147 424 kr", "av sökta 1,2 mnkr").
* The stance is the board's position on someone else's proposal: an explicit position
  ("röstar nej", "ställer sig bakom", "ges fria händer"), else, when the item's title or
  decision names someone else's proposal or another organisation's fee ("serviceavgift till
  NNS"), the position its act implies ("avslår" -> against, "Informationen noteras" -> noted
  only, "bordläggs" -> tabled, "Ordföranden får besluta i frågan" -> free mandate).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from corpus.model import (
    DECIDED,
    KALLELSE,
    ON_AGENDA,
    PROPOSED,
    Decision,
    Item,
    Verdict,
)
from ingest.act_vocab import GRANTING_VERBS, PREFIXES
from ingest.stance_words import (
    ACT_PRECEDENCE,
    ADOPTS_PROPOSAL,
    CHARGE_WINDOW,
    CHARGE_WORD,
    EXTERNAL_REQUEST,
    INTERNAL_PROPOSERS,
    NO_PROPOSAL,
    PROPOSAL_WORD,
    REQUEST_BEFORE_AMOUNT,
    STANCE_OF_ACT,
    STANCE_PRECEDENCE,
)

_GRANTS = ("granted", "partly_granted")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    return (
        re.compile(EXTERNAL_REQUEST, re.I),
        re.compile(PROPOSAL_WORD, re.I),
        re.compile(INTERNAL_PROPOSERS, re.I),
        re.compile(REQUEST_BEFORE_AMOUNT, re.I),
    )


@cache
def _giving() -> re.Pattern[str]:
    """A verb that gives money (ingest.act_vocab.GRANTING_VERBS), any form."""
    words = "|".join(
        f"(?:{PREFIXES[v]})?(?:{v.any})" if v in PREFIXES else v.any for v in GRANTING_VERBS
    )
    return re.compile(rf"\b(?:{words})\b", re.I)


# "med" and up to two words right before an amount ("med 300 tkr", "med högst 300 tkr")
_GIVEN_WITH = re.compile(r"\bmed(?:\s+\S+){0,2}\s*$", re.I)


def _asked(before: str) -> bool:
    """Whether the words before an amount ask for it: a request word shortly before it with no
    verb that gives money between them ("ansöker om 340 000 kr", "av sökta 800 tkr"; not
    "bifaller ansökan till en del och beviljar 500 tkr"). An amount a grant gives "med" is
    given, whatever stands before ("beviljar ansökan om 500 tkr med 300 tkr")."""
    *_, request = _patterns()
    if _GIVEN_WITH.search(before) and _giving().search(before):
        return False
    at = 0
    while m := request.search(before, at):
        if not _giving().search(before, m.start()):
            return True
        at = m.start() + 1
    return False


def names_external_proposal(texts: Iterable[str], other_parties: bool = False) -> bool:
    """Whether a title or clause names someone else's proposal: an application, a request, a
    remiss; or, when the item names another organisation, a proposal that is not the board's
    own preparation ("förbundschefens förslag", "förslag till beslut")."""
    request, proposal, internal, _ = _patterns()
    for text in texts:
        cleaned = internal.sub(" ", text)
        if request.search(cleaned) or (other_parties and proposal.search(cleaned)):
            return True
    return False


def names_anothers_charge(texts: Iterable[str], forbund: str | None = None) -> bool:
    """Whether a title or clause names another organisation's fee: a fee word with the name
    of an organisation other than the förbund itself right beside it ("serviceavgift till
    NNS", "NNS medlemsavgift", "NNS-avgiften"). A fee the förbund itself sets names no one
    else."""
    from ingest.facts import find_organisations

    before, after = CHARGE_WINDOW
    for text in texts:
        words = text.split()
        for i, word in enumerate(words):
            if not re.search(CHARGE_WORD, word, re.I):
                continue
            own = re.sub(r"-(?=\w*avgift)", " ", word, flags=re.I)  # "NNS-avgiften"
            window = " ".join([*words[max(0, i - before) : i], own, *words[i + 1 : i + after + 1]])
            if any(org != forbund for org in find_organisations(window)):
                return True
    return False


def _sentence_before(text: str, at: int, reach: int = 60) -> str:
    """Up to ``reach`` characters before ``at``, within the sentence ``at`` stands in."""
    return re.split(r"[.;!?]\s", text[max(0, at - reach) : at])[-1]


def requested_amounts(text: str) -> tuple[float, ...]:
    """Amounts in kronor that the text puts right after a request word."""
    from ingest.facts import find_amounts

    out: list[float] = []
    flat = re.sub(r"\s+", " ", text)
    for amount in find_amounts(flat):
        if amount.unit != "kr":
            continue
        # any place the amount is written may follow the request ("söker 480 000 kr …
        # beviljar 300 000 kr i stället för sökta 480 000 kr")
        places = [m.start() for m in re.finditer(re.escape(amount.text), flat)]
        if any(_asked(_sentence_before(flat, at)) for at in places):
            out.append(amount.value)
    return tuple(dict.fromkeys(out))


def _first(values: Iterable[str | None], order: Sequence[str]) -> str | None:
    present = {v for v in values if v}
    return next((v for v in order if v in present), None)


def item_act(records: Sequence[Decision], requested: Sequence[float] = ()) -> str | None:
    """The act of an item's decided records: a grant beside a rejection, or below what was
    applied for, is a partial grant."""
    acts = [r.act for r in records]
    if "granted" in acts and "rejected" not in acts and requested:
        granted = [a for r in records if r.act == "granted" for a in r.amounts_kr]
        given = [a for a in granted if a not in requested]  # "800 tkr av sökta 1,2 mnkr"
        if given and max(requested) > max(given):
            return "partly_granted"
    return decided_act(acts)


def decided_act(acts: Sequence[str | None]) -> str | None:
    """The act of an item's decided records from their acts alone (`item_act` when nothing
    is known of the amount applied for): a grant beside a rejection is a partial grant."""
    if "granted" in acts and "rejected" in acts:  # "att bevilja 200 000 kr, att avslå …"
        return "partly_granted"
    return _first(acts, ACT_PRECEDENCE)


def item_stance(records: Sequence[Decision], act: str | None, external: bool) -> str | None:
    """The position of the decided records on someone else's proposal."""
    explicit = _first((r.stance for r in records), STANCE_PRECEDENCE)
    if explicit:
        return explicit
    if external and act:
        return STANCE_OF_ACT.get(act)
    return None


def _adopted(decided: list[Decision], proposed: list[Decision]) -> list[Decision]:
    """Decided records with "i enlighet med förslaget" replaced by what the proposal says."""
    if not any(r.verb == ADOPTS_PROPOSAL for r in decided):
        return decided
    taken = [p for p in proposed if p.act or p.stance]
    if not taken:
        return decided
    out = [r for r in decided if r.verb != ADOPTS_PROPOSAL]
    return out + [
        Decision(
            clause=p.clause,
            act=p.act,
            stance=p.stance,
            object=p.object,
            amounts_kr=p.amounts_kr,
            rates=p.rates,
            organisations=p.organisations,
            from_proposal=False,
            verb=p.verb,
        )
        for p in taken
    ]


def _handed_over(record: Decision) -> str:
    """A clause without the task it delegates, if it delegates one."""
    if record.act == "delegated" and record.object:
        return record.clause.replace(record.object, " ")
    return record.clause


def records_of(item: Item) -> list[Decision]:
    """The item's clause records, classified afresh from its clauses by the current rule table
    (remembered per clause): stored records of an older corpus carry older codes and no verb."""
    from ingest.items import classify

    return [classify(c, False) for c in item.decisions if c.strip()] + [
        classify(p, True) for p in item.proposals if p.strip()
    ]


def verdict(item: Item, doc_kind: str, forbund: str | None = None) -> Verdict:
    """The item-level verdict (see the module docstring); forbund: the document's own."""
    records = records_of(item)
    proposed = [r for r in records if r.from_proposal]
    decided = [r for r in records if not r.from_proposal]
    if doc_kind == KALLELSE:  # a notice proposes; whatever it says is not yet decided
        proposed, decided = proposed + decided, []
    decided = _adopted(decided, proposed)
    others = any(org != forbund for org in item.organisations)
    named = [item.title, *(r.clause for r in decided), *(r.clause for r in proposed)]
    # the task a delegation hands over names what the delegate decides later ("delegerar till
    # förbundschefen att besluta om mindre ansökningar"), no proposal before the board
    asked = [item.title, *(_handed_over(r) for r in decided), *(r.clause for r in proposed)]
    external = names_external_proposal(asked, others) or (
        others and names_anothers_charge(named, forbund)
    )
    text = "\n".join([item.body, *item.decisions, *item.proposals])
    requested = requested_amounts(text)
    proposed_act = item_act(proposed, requested)
    proposed_stance = item_stance(proposed, proposed_act, external)
    act = item_act(decided, requested)
    stance = item_stance(decided, act, external)
    decides = any(r.verb != NO_PROPOSAL for r in decided)  # a protocol's clause, act or not
    if act or stance or decides:
        # the kronor of the acts taken; a clause that takes none shows none ("är beredd att
        # bevilja 300 tkr" decides nothing yet)
        amounts = tuple(
            a for r in decided if r.act and r.act in (act, *_GRANTS) for a in r.amounts_kr
        )
        if act == "partly_granted" and any(a not in requested for a in amounts):
            amounts = tuple(a for a in amounts if a not in requested)  # "200 tkr av sökta 350"
        return Verdict(
            DECIDED,
            act,
            stance,
            tuple(dict.fromkeys(amounts)),
            requested,
            proposed_act,
            proposed_stance,
        )
    status = PROPOSED if (proposed_act or proposed_stance) else ON_AGENDA
    amounts = tuple(dict.fromkeys(a for r in proposed for a in r.amounts_kr))
    return Verdict(status, None, None, amounts, requested, proposed_act, proposed_stance)
