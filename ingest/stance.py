"""Typed decision records from Swedish decision clauses.

``classify(clause)`` finds the act and, where the wording is a position, the stance of a
clause ("Att bevilja …" -> granted; "… rösta för NNS förslag …" -> delegated, for) with one
spaCy Matcher over ``spacy.blank("sv")`` tokens. The phrases, acts and stances live in
``ingest.stance_rules`` and the words weighed beside them (negations, gaps, partial grants,
conditions …) in ``ingest.stance_words``; this module only compiles the table, picks the
deciding phrase of a clause and cuts out its object. The item-level verdict is ``ingest.verdict``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from corpus.model import PER_CAPITA, Amount, Decision
from ingest.stance_grants import grant_act, own_acts
from ingest.stance_rules import RULES, Rule
from ingest.stance_words import (
    ACTS_BESIDE_AGREEMENT,
    BACKGROUND_MARKERS,
    BUT_WORDS,
    CONDITION_WORDS,
    DELEGATING_VERBS,
    GAP_STOPS,
    INTENT_WORDS,
    NEGATION_GOVERNORS,
    NEGATION_REACH,
    NEGATION_WORDS_AHEAD,
    NEGATIONS,
    NO_OBJECT_VERBS,
    NOTING_VERBS,
    NOTING_WORDS,
    OBJECT_LEAD_WORDS,
    POSITION_STANCES,
    REPORTING_VERBS,
    REQUEST_NOUNS,
)
from ingest.vocab import ORGAN_SUBJECTS

__all__ = ["classify", "classify_item"]

_RATE_UNITS = ("promille", "procent", PER_CAPITA)  # shown as written, beside the kronor
_OBJECT_BREAKS = ("och", "samt", ",")  # before "att" or another act, these end an object
_LEADING_NOISE = ("att", "-", "–", "—", "•", "*", "·")
_OPTIONAL_NEGATION: dict[str, Any] = {"LOWER": {"IN": list(NEGATIONS)}, "OP": "?"}
_ORGANS = frozenset(o.lower() for o in ORGAN_SUBJECTS)
# A noted report ends at these ("Styrelsen noterar att … och beslutar att bevilja …").
_REPORT_STOPS = frozenset({"och", "samt", "men", ";", ",", "."})
# "noterar", "noteras", "antecknar", and NOTING_WORDS ("konstaterar", "informeras" …)
_NOTING = "|".join(
    [
        NOTING_WORDS,
        *(r.phrase.split()[0] for r in RULES if r.verb in NOTING_VERBS and " " not in r.phrase),
    ]
)
# Words a negation ahead of the act does not reach across ("…, men beviljar …").
_NEGATION_STOPS = frozenset(w for w in GAP_STOPS if w != "att") | {"men", "utan", "däremot"}


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A token pattern of one rule and which of its pattern positions mark the object."""

    pattern: list[dict[str, Any]]
    object_positions: frozenset[int]


@dataclass(frozen=True, slots=True)
class _Hit:
    rule: Rule
    start: int
    end: int
    object_tokens: tuple[int, ...]  # token indices of "=" slots
    negated: bool
    background: bool = False  # reported, not decided: "som tidigare beviljats"
    conditional: bool = False  # in the condition of the act: "under förutsättning att … beviljar"

    @property
    def stance(self) -> str | None:
        return self.rule.not_stance if self.negated else self.rule.stance

    @property
    def act(self) -> str | None:
        return self.rule.not_act if self.negated else self.rule.act

    @property
    def decides(self) -> bool:
        return self.act is not None or self.stance is not None

    @property
    def delegating(self) -> bool:
        return self.rule.verb in DELEGATING_VERBS


def _compile(rule: Rule) -> _Compiled:
    """Turn a phrase of the table into a Matcher pattern (see the stance_rules docstring)."""
    pattern: list[dict[str, Any]] = []
    marked: set[int] = set()
    for slot in rule.phrase.split():
        if pattern:
            pattern.append(dict(_OPTIONAL_NEGATION))
        optional = slot.startswith("?")
        slot = slot.lstrip("?")
        if slot.startswith("="):
            marked.add(len(pattern))
            slot = slot[1:]
        if slot.startswith("*"):
            pattern.append({"LOWER": {"NOT_IN": list(GAP_STOPS)}, "OP": f"{{0,{int(slot[1:])}}}"})
            continue
        token: dict[str, Any] = {"LOWER": {"REGEX": f"^(?:{slot})$"}}
        if optional:
            token["OP"] = "?"
        pattern.append(token)
    pattern.append(dict(_OPTIONAL_NEGATION))
    return _Compiled(pattern, frozenset(marked))


@functools.cache
def _matcher() -> tuple[Any, Any, tuple[_Compiled, ...]]:
    """The tokenizer and Matcher, built once on first use."""
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("sv")
    matcher = Matcher(nlp.vocab, validate=True)
    compiled = tuple(_compile(rule) for rule in RULES)
    for index, rule_pattern in enumerate(compiled):
        matcher.add(str(index), [rule_pattern.pattern])
    return nlp, matcher, compiled


def _hits(doc: Any) -> list[_Hit]:
    """Matched phrases of a clause, longest first among overlaps, in text order."""
    nlp, matcher, compiled = _matcher()
    raw = []
    for match_id, start, end, alignment in matcher(doc, with_alignments=True):
        index = int(nlp.vocab.strings[match_id])
        raw.append((index, start, end, alignment))
    raw.sort(key=lambda m: (-(m[2] - m[1]), m[1], m[0]))
    spans = _conditions(doc)
    taken: list[_Hit] = []
    meant: list[tuple[int, int]] = []  # an intended act and the rest of its clause
    used: set[int] = set()
    for index, start, end, alignment in raw:
        if used.intersection(range(start, end)):
            continue
        used.update(range(start, end))
        marked = compiled[index].object_positions
        object_tokens = tuple(start + i for i, pos in enumerate(alignment) if pos in marked)
        before = doc[start - 1].lower_ if start > 0 else ""
        after = doc[end].lower_ if end < len(doc) else ""
        negated = (
            before in NEGATIONS
            or any(t.lower_ in NEGATIONS for t in doc[start:end])
            or _negated_ahead(doc, start)
        )
        background = before in BACKGROUND_MARKERS or after in BACKGROUND_MARKERS
        background = background or _reported(doc, start) or _requested(doc, start)
        intended = start > 1 and before == "att" and doc[start - 2].lower_ in INTENT_WORDS
        if intended:
            meant.append((start, _clause_end(doc, end)))
        conditional = any(a <= start < b for a, b in spans)
        hit = _Hit(
            RULES[index], start, end, object_tokens, negated, background or intended, conditional
        )
        taken.append(hit)
    # what the meant act waits for is meant too: "avser att anslå 100 tkr när budgeten är
    # fastställd" takes no approval of the budget
    taken = [
        replace(h, background=True) if any(a < h.start < b for a, b in meant) else h for h in taken
    ]
    return sorted(taken, key=lambda h: h.start)


def _clause_end(doc: Any, start: int) -> int:
    """The token where the clause running at ``start`` ends: a full stop, a semicolon, "men"."""
    return next((i for i in range(start, len(doc)) if doc[i].lower_ in (".", ";", "men")), len(doc))


def _conditions(doc: Any) -> list[tuple[int, int]]:
    """Token spans of the conditions an act is taken on (CONDITION_WORDS): from the condition
    word to a boundary, or to the main clause's verb where the organ follows it."""
    spans = []
    n = len(doc)
    for i, token in enumerate(doc):
        word = token.lower_
        if word not in CONDITION_WORDS:
            continue
        followers = CONDITION_WORDS[word]
        if followers is not None and (i + 1 >= n or doc[i + 1].lower_ not in followers):
            continue
        end = i + 1
        while (
            end < n
            and doc[end].lower_ not in (",", ";", ".")
            and not (end + 1 < n and doc[end + 1].lower_ in _ORGANS)
        ):
            end += 1
        spans.append((i, end))
    return spans


def _reported(doc: Any, start: int) -> bool:
    """Whether the act stands in what the board notes it is told ("noterar att Region X har
    beviljat …", "konstaterar att kommunen anställt …"): after a noting word and "att", with
    no boundary between."""
    for i in range(start - 1, 0, -1):
        word = doc[i].lower_
        if word in _REPORT_STOPS or doc[i].is_punct:
            return False
        told = doc[i - 2].lower_ if i > 1 and doc[i - 1].lower_ == "om" else doc[i - 1].lower_
        if word == "att" and re.fullmatch(_NOTING, told):  # "noterar att", "informerar om att"
            return True
    return False


def _requested(doc: Any, start: int) -> bool:
    """Whether the act is what a request asks for ("ansökan om utökade medel", "begäran om att
    få förlänga insatsen"): right after a request word and "om" ("om att", "om att få")."""
    i = start - 1
    while i > 0 and doc[i].lower_ in ("att", "få"):
        i -= 1
    return (
        i > 0
        and doc[i].lower_ == "om"
        and re.fullmatch(REQUEST_NOUNS, doc[i - 1].lower_) is not None
    )


def _negated_ahead(doc: Any, start: int) -> bool:
    """A negation a few words before the act governs it ("finner inte skäl att bevilja",
    "ser ingen anledning att bifalla"), when the act stands right after "att" or a modal
    (NEGATION_GOVERNORS) and no boundary stands between."""
    if start == 0 or doc[start - 1].lower_ not in NEGATION_GOVERNORS:
        return False
    for i in range(start - 1, max(-1, start - 1 - NEGATION_REACH), -1):
        word = doc[i].lower_
        if word in NEGATION_WORDS_AHEAD:
            return True
        if word in _NEGATION_STOPS or doc[i].is_punct:
            return False
    return False


def _unreported(doc: Any, hits: list[_Hit]) -> list[_Hit]:
    """The hits a clause decides by: none after "X föreslår att" when X is not a deciding
    organ ("NNS föreslår att förbunden godkänner …" reports NNS's proposal). The board's own
    proposal ("Styrelsen föreslår …", "beslutar att föreslå medlemmarna att …") decides."""
    for hit in hits:
        if hit.rule.verb not in REPORTING_VERBS:
            continue
        before = doc[hit.start - 1].lower_ if hit.start > 0 else ""
        after = doc[hit.start + 1].lower_ if hit.start + 1 < len(doc) else ""
        if before in _ORGANS or after in _ORGANS or before == "att":
            continue
        return [h for h in hits if h.start <= hit.start]
    return hits


def _deciding(hits: Sequence[_Hit]) -> _Hit | None:
    """The phrase that decides the clause: a position first, then an act, information last.

    After a delegating verb ("uppdra åt … att"), only a position counts: the task
    "att rösta för" is the board's stance, the task "att teckna avtal" is none.
    """
    delegated_from = next((h.start for h in hits if h.delegating), None)
    candidates = [
        h
        for h in hits
        if h.decides
        and not h.background
        and not h.delegating
        and (delegated_from is None or h.start < delegated_from or h.stance in POSITION_STANCES)
    ]
    candidates = [h for h in candidates if not h.conditional] or candidates
    positions = [h for h in candidates if h.stance in POSITION_STANCES]
    decisive = [h for h in candidates if h.act not in (None, "noted")]
    for pool in (positions, decisive, candidates):
        if pool:
            return pool[0]
    return None


def _acted_on(
    doc: Any, hits: Sequence[_Hit], position: _Hit, delegating: _Hit | None
) -> _Hit | None:
    """The board's own act beside its agreement, one that is no approval (a rejection, a
    referral back, a tabling): "ställer sig bakom arbetsutskottets förslag och avslår ansökan";
    not an exception to it ("ställer sig bakom förslaget men avslår den extra avgiften")."""

    def excepted(h: _Hit) -> bool:
        between = doc[min(position.end, h.end) : max(position.start, h.start)]
        return any(t.lower_ in BUT_WORDS for t in between)

    return next(
        (
            h
            for h in own_acts(hits, delegating)
            if h is not position
            and h.act in ACTS_BESIDE_AGREEMENT
            and h.stance is None
            and not excepted(h)
        ),
        None,
    )


def _content_start(doc: Any, start: int, end: int) -> int:
    """First token in doc[start:end] after bullets and a leading "att"."""
    while start < end and (doc[start].lower_ in _LEADING_NOISE or doc[start].is_punct):
        start += 1
    return start


def _object_end(doc: Any, start: int, other_starts: set[int]) -> int:
    """Where an object that begins at ``start`` ends: at the next clause or act."""
    n = len(doc)
    for i in range(start, n):
        word = doc[i].lower_
        if i > start and i in other_starts:
            return i
        if word == ";":
            return i
        if (
            word in _OBJECT_BREAKS
            and i + 1 < n
            and (doc[i + 1].lower_ in ("att", "samt", "och") or i + 1 in other_starts)
        ):
            return i
    return n


def _span_text(doc: Any, start: int, end: int) -> str | None:
    """Text of doc[start:end] without leading "att"/prepositions and trailing punctuation."""
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in NEGATIONS):
        end -= 1
    start = _content_start(doc, start, end)
    while start < end and doc[start].lower_ in OBJECT_LEAD_WORDS:
        start += 1
    return doc[start:end].text if end > start else None


def _object(doc: Any, hit: _Hit, hits: Sequence[_Hit]) -> str | None:
    """The noun phrase the act is about, as written in the clause.

    A word marked in the rule is the object ("godkänna informationen", "lägga rapporten
    till handlingarna"); a passive or inverted verb takes what stands before it
    ("Föreslagen dagordning fastställs"); otherwise the object follows the verb, up to the
    next clause ("…, samt att …") or act.
    """
    if hit.rule.verb in NO_OBJECT_VERBS:
        return None
    other_starts = {h.start for h in hits if h is not hit}
    marked = hit.object_tokens
    if marked and marked[0] > hit.start:
        last_word = hit.end - 1
        while last_word > marked[-1] and doc[last_word].lower_ in NEGATIONS:
            last_word -= 1
        runs_on = marked[-1] == last_word
        end = _object_end(doc, hit.end, other_starts) if runs_on else marked[-1] + 1
        return _span_text(doc, marked[0], end)
    # "Styrelsen beslutar att ansökan beviljas": the subject follows the last "att".
    clause_start = max((i + 1 for i in range(hit.start) if doc[i].lower_ == "att"), default=0)
    before = _content_start(doc, clause_start, hit.start)
    passive = bool(marked) or doc[hit.start].lower_.endswith("s")
    if passive and before < hit.start and not hit.delegating:
        text = _span_text(doc, before, hit.start)
        if text:
            return text
    if marked:
        return _span_text(doc, marked[0], marked[-1] + 1)
    return _span_text(doc, hit.end, _object_end(doc, hit.end, other_starts))


def _new_levels(text: str, amounts: Sequence[Amount]) -> tuple[Amount, ...]:
    """The amounts without the level a change starts from: "höjs från 12 000 kr till 15 000 kr",
    "från 1,80 kr till 2,30 kr per invånare" decide the second."""
    return tuple(
        a
        for a, b in zip(amounts, (*amounts[1:], None), strict=False)
        if b is None
        or not re.search(rf"\bfrån\s+{re.escape(a.text)}\s+till\s+{re.escape(b.text)}", text, re.I)
    )


def _facts(text: str) -> tuple[tuple[Amount, ...], tuple[str, ...]]:
    from ingest.facts import find_amounts, find_organisations

    return find_amounts(text), find_organisations(text)


def classify(clause: str, *, from_proposal: bool = False) -> Decision:
    """A typed decision record of one clause ("Att bevilja X 120 tkr" -> granted, 120000 kr)."""
    text = re.sub(r"\s+", " ", clause).strip()
    nlp, _, _ = _matcher()
    doc = nlp.make_doc(text)
    hits = _hits(doc)
    if not from_proposal:  # a proposal's "X föreslår att …" is what it proposes
        hits = _unreported(doc, hits)
    deciding = _deciding(hits)
    delegating = next((h for h in hits if h.delegating), None)
    told = [h for h in hits if not h.background]
    act_hit: _Hit | None = deciding or delegating or (told[0] if told else None)
    act = act_hit.act if act_hit else None
    if deciding is not None and delegating is not None and delegating.start < deciding.start:
        # "uppdra åt ordföranden att rösta för …": a mandate with a position
        act_hit = delegating
        act = "delegated" if deciding.stance in POSITION_STANCES else delegating.act
    if act is None and deciding is not None:
        # a position without an act beside an act ("avstår från att ta ställning … och ger
        # ombudet fria händer"): the clause's act is that act
        act = next((h.act for h in own_acts(hits, delegating) if h.act and h.decides), None)
    focus = deciding or act_hit
    stance = deciding.stance if deciding else None
    acted = None
    if deciding is not None and act == "approved" and stance == "for":
        acted = _acted_on(doc, hits, deciding, delegating)
    if acted is not None:
        # agreeing with a body's view and acting on it ("instämmer i arbetsutskottets bedömning
        # och avslår ansökan"): the act is the board's own, and the position is the act's
        focus, act, stance = acted, acted.act, None
    amounts, organisations = _facts(text) if text else ((), ())
    amounts = _new_levels(text, amounts)
    kronor = tuple(a.value for a in amounts if a.unit == "kr")
    spans = _conditions(doc)
    if spans and kronor:  # the kronor of the act, not of its condition, where it names any
        outside = " ".join(
            t.text for i, t in enumerate(doc) if not any(a <= i < b for a, b in spans)
        )
        kronor = tuple(a.value for a in _facts(outside)[0] if a.unit == "kr") or kronor
    act, kronor = grant_act(
        doc,
        act,
        focus,
        hits,
        kronor,
        delegating,
        lambda: _object(doc, focus, hits) if focus else None,
    )
    if act == "delegated":
        kronor = ()  # a limit on the delegate's decisions ("besluta om ansökningar upp till 50 tkr")
    return Decision(
        clause=text,
        act=act,
        stance=stance,
        object=_object(doc, focus, hits) if focus else None,
        amounts_kr=kronor,
        rates=tuple(a for a in amounts if a.unit in _RATE_UNITS),
        organisations=tuple(organisations),
        from_proposal=from_proposal,
        verb=focus.rule.verb if focus else None,
    )


def classify_item(decisions: Iterable[str], proposals: Iterable[str] = ()) -> tuple[Decision, ...]:
    """Records of an item: its decision clauses, then its proposals (``from_proposal``)."""
    records = [classify(c) for c in decisions if c.strip()]
    records += [classify(p, from_proposal=True) for p in proposals if p.strip()]
    return tuple(records)
