"""The parts of an item's text: Handlingar, Beslut clauses, Förslag till beslut, Kopia till.

All functions take the item's body lines (cleaned paragraphs) and are pure. Decision clauses
come one per "Att …" clause (bulleted, numbered or bare), or as a one-sentence decision
("Dagordning fastställs", "Styrelsen beviljar 450 000 kronor …"); "Beslut: Att …" on one line
counts too, but a Beslut heading on its own line wins over such inline quotes in the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from ingest.act_vocab import (
    AGAIN,
    ANTA,
    AVSLÅ,
    AVSTYRKA,
    BACK,
    BESLUTA,
    BEVILJA,
    BIFALLA,
    BORDLÄGGA,
    DECIDING_PHRASES,
    DECIDING_VERBS,
    DELEGERA,
    ELECTION_VERBS,
    FASTSTÄLLA,
    GIVING_VERBS,
    GODKÄNNA,
    GÅ,
    MATTERS,
    NOTERA,
    PASSIVE_DECIDING_VERBS,
    PAST_TIME,
    PAST_TIME_BREAKS,
    PAST_TIME_REACH,
    PREFIXES,
    REFUSABLE,
    RETURNING_VERBS,
    SENDING_VERBS,
    SKJUTA,
    TA,
    TELLING_VERBS,
    TILLSTYRKA,
    UPPDRA,
    UTSE,
    VÄLJA,
    WAIT_MODALS,
    WAITING_MATTERS,
    ÅTERGÅ,
    ÅTERREMITTERA,
    Verb,
)
from ingest.lines import BLOCK_LABEL, Line, is_list_item, strip_bullet
from ingest.vocab import (
    CLAUSES_FOLLOW,
    DECISION_HEADING,
    FORBUND_SUBJECT,
    GROUP_HEADING,
    ORGAN_GENITIVE,
    ORGAN_SUBJECT,
)

DECISION_HEAD = re.compile(rf"^{DECISION_HEADING}\s*:?\s*$", re.I)
DECISION_INLINE = re.compile(
    rf"^(?:Beslut|Beslutet|{ORGAN_GENITIVE} beslut|Decisions?)\s*:\s*(?P<rest>\S.*)$", re.I
)
PROPOSAL_HEAD = re.compile(
    r"^(?:Förslag till beslut|Beslutsförslag|Förslag|Förslag till styrelsen|(?:Förvaltningens"
    r"|Förbundschefens|Ordförandens|Arbetsutskottets|Presidiets|Kansliets|Verksamhetsledarens"
    r"|Beredningens) förslag(?: till beslut)?)\s*:?\s*$",
    re.I,
)
PROPOSAL_INLINE = re.compile(r"^(?:Förslag till beslut|Beslutsförslag)\s*:\s*(?P<rest>\S.*)$", re.I)
PROPOSAL_LINE = re.compile(r"^\S+(?: \S+){0,3} föreslås (?:besluta |fatta beslut om )?att\b", re.I)
COPY = re.compile(
    r"^(?:Kopia(?: till)?|Expedieras(?: till)?|Protokollsutdrag(?: skickas)?(?: till)?"
    r"|Utdrag till|Beslutet (?:skickas|expedieras) till|Delges)\s*:?\s*(?P<rest>.*)$",
    re.I,
)
HANDLING = re.compile(
    r"^(?:Handling(?:ar)?|Underlag|Beslutsunderlag|Bilagor)\b(?P<note>[^:]{0,80}?)\s*:\s*(?P<rest>.*)$"
    r"|^(?:Handling(?:ar)?|Beslutsunderlag|Underlag)\s*$",
    re.I,
)
INTRO = re.compile(
    r":$|\bföreslås (?:anta|besluta|fatta)\b.*\b(?:nedan|följande)\b"
    rf"|\b(?:{BESLUTA.finite}|föreslår|föreslås)(?: besluta)?(?: att)?\s*$"
    r"|\b(?:decides|decided|resolves|resolved)(?: to| that)?\s*$",  # English minutes (NNS)
    re.I,
)
# The sign-off of a protocol or of one item ("Justerandes signatur", "Paragrafen förklaras
# omedelbart justerad") and the parts that follow a decision (a reservation, a motion …): they
# end a decision's clauses.
_SIGN_OFF = (
    r"Justerandes|Vid protokollet|Justeras|Paragrafen (?:förklaras )?omedelbart"
    r"|Ordföranden? (?:tackar|förklarar|avslutar)"
)
SIGN_OFF = re.compile(rf"^(?:{_SIGN_OFF})", re.I)
# How the decision was taken, said after it ("Beslutet är enhälligt.", "Beslutet fattades
# enhälligt"): the procedure, not a clause.
_UNANIMOUS = r"Beslutet (?:är|var|blev|fattades|togs)(?: \w+)? (?:enhälligt|enigt)\b"
STOP = re.compile(
    rf"^(?:{_SIGN_OFF}|{_UNANIMOUS}|Reservation|Protokollsanteckning|Yrkanden?\b|Jäv\b"
    r"|Ajournering)",
    re.I,
)
# A decision heading that introduces the clauses below it ("Styrelsen beslutar att",
# "Styrelsen beslutar följande:").
INTRO_HEAD = re.compile(rf"\b(?:{BESLUTA.finite}){CLAUSES_FOLLOW}?\s*:?\s*$", re.I)
SUBPOINT = re.compile(r"^[A-ZÅÄÖ][.)/]\s*\S")
GROUP = re.compile(rf"^(?:[A-ZÅÄÖ][.)]\s+)?{GROUP_HEADING}\s*:?$", re.I)
ATT = re.compile(r"^att\b", re.I)
_GOES_ON = ("–", "—", ",")  # a clause's line ending so goes on on the next line


def _alt(*words: str) -> str:
    """One regex group of alternatives."""
    return "(?:" + "|".join(w for w in words if w) + ")"


def _finite(verb: Verb) -> str:
    """The finite forms of a verb, with the first parts it may take ("medfinansierar")."""
    prefix = PREFIXES.get(verb)
    return f"(?:{prefix})?{_alt(verb.finite)}" if prefix else _alt(verb.finite)


# A second sentence under a one-sentence decision that decides too ("Dagordningen fastställs.
# Till justerare utses Eva Berg.")
DECISION_SENTENCE = re.compile(
    r"\b"
    + _alt(
        *(
            v.forms("passive")
            for v in (FASTSTÄLLA, GODKÄNNA, ANTA, BEVILJA, AVSLÅ, BORDLÄGGA, ÅTERREMITTERA,
                      NOTERA, UPPDRA, UTSE, VÄLJA, DELEGERA, TILLSTYRKA, AVSTYRKA, BIFALLA)
        ),
        *(v.present for v in (UPPDRA, BEVILJA, FASTSTÄLLA, GODKÄNNA, ANTA, AVSLÅ, UTSE, VÄLJA)),
        BESLUTA.finite,
        *(v.passive_past for v in ELECTION_VERBS),
        "läggs till handlingarna",
    )
    + r"\b",
    re.I,
)  # fmt: skip
# A decision written as a sentence of the minutes, no heading before it: the organ deciding
# ("Styrelsen beslutade att …", "Styrelsen godkänner …", "Styrelsen ställer sig bakom …",
# ingest.act_vocab.DECIDING_VERBS) or the impersonal form ("Beslutades att …", "Det beslutades
# att …", "Beslöts att …").
_SENT = _alt(*(v.finite for v in SENDING_VERBS))
# a matter given back: "Styrelsen återlämnar ärendet …", "Ansökan lämnas tillbaka till sökanden"
_MATTER = _alt(MATTERS)
_RETURN = _alt(*(v.finite for v in RETURNING_VERBS))
_RETURNED = _alt(*(v.passive for v in RETURNING_VERBS))
_GIVE = _alt(*(v.finite for v in GIVING_VERBS))
_GIVEN = _alt(*(v.passive for v in GIVING_VERBS))
ORGAN_DECIDES = re.compile(
    rf"^{ORGAN_SUBJECT}\s+"
    + _alt(
        *(_finite(v) for v in DECIDING_VERBS),
        *(f"{_alt(v.finite)} {tail}".rstrip() for v, tail in DECIDING_PHRASES),
        rf"{_SENT}(?: \w+)? {_alt(BACK)}",  # "skickar ärendet tillbaka"
        rf"{_RETURN} {_MATTER}",  # "återlämnar ärendet"
        rf"{_GIVE} (?:{_alt(BACK)} {_MATTER}|{_MATTER} {_alt(BACK)})",  # "lämnar ärendet tillbaka"
        rf"{_alt(TA.finite)} upp \w+ {_alt(*AGAIN)}",  # "tar upp frågan igen"
        rf"(?:kan|kunde|vill|ville) (?:inte|ej) {_alt(REFUSABLE)}",  # "kan inte tillstyrka"
        "ser sig inte kunna",
    )
    + r"\b"
    + rf"|^(?:Det\s+)?{_alt(*(BESLUTA.passive_past.split('|')))}\s+att\b",
    re.I,
)
# The organ telling the history of a matter without a heading: a past tense and a time before
# the meeting ("Styrelsen beviljade 2022 Ung Kraft 600 tkr", ingest.act_vocab.PAST_TIME).
_PAST = _alt(
    *(v.past for v in DECIDING_VERBS),
    *(v.past for v, _ in DECIDING_PHRASES),
    *(v.past for v in (*SENDING_VERBS, *RETURNING_VERBS, *GIVING_VERBS, TA)),
)
ORGAN_NARRATES = re.compile(
    rf"^{ORGAN_SUBJECT}\s+{_PAST}"
    rf"(?:\s+(?!(?:{PAST_TIME_BREAKS})\b)\S+){{0,{PAST_TIME_REACH}}}?\s+{_alt(*PAST_TIME)}\b",
    re.I,
)
# The förbund as subject decides in the present tense ("Förbundet beviljar …", "kan inte …"); a
# past tense ("Förbundet beviljade 2022 300 tkr till …") tells its history.
FORBUND_NARRATES = re.compile(rf"^{FORBUND_SUBJECT}\s+(?!\w*r\b|kan\b)\w+", re.I)
# A decision in the passive ("Ansökan avslås", "Till ordförande valdes X", "Ärendet återgår
# till beredningsgruppen", "Frågan får vänta till mars")
PASSIVE_DECISION = re.compile(
    r"\b"
    + _alt(
        *(v.passive for v in PASSIVE_DECIDING_VERBS),
        *(v.passive_past for v in ELECTION_VERBS),
        "läggs till handlingarna",
        f"{_alt(SKJUTA.passive)} upp",
        f"{_alt(*(v.passive for v in SENDING_VERBS))} {_alt(BACK)}",
        f"{_alt(ÅTERGÅ.present)} till",
        rf"{_MATTER}(?: \S+){{0,5}} (?:{_RETURNED}|{_GIVEN} {_alt(BACK)})",  # "återlämnas"
        f"{_alt(GÅ.present)} tillbaka till",
        f"{_alt(TA.passive)} upp {_alt(*AGAIN)}",
        f"{_alt(WAITING_MATTERS)} {_alt(WAIT_MODALS)} vänta",
    )
    + r"\b",
    re.I,
)
_SPLIT_LIST = re.compile(r"\s*;\s*|\s*,\s*|\s+och\s+|\s+samt\s+")


class Parts(NamedTuple):
    handlingar: tuple[str, ...]
    decisions: tuple[str, ...]
    proposals: tuple[str, ...]
    copy_to: tuple[str, ...]


def is_block_start(text: str) -> bool:
    """A line that opens a new part of an item (and so ends a list of clauses)."""
    return bool(
        DECISION_HEAD.match(text)
        or DECISION_INLINE.match(text)
        or PROPOSAL_HEAD.match(text)
        or PROPOSAL_INLINE.match(text)
        or COPY.match(text)
        or HANDLING.match(text)
        or BLOCK_LABEL.match(text)
        or STOP.match(text)
        or GROUP.match(text)
    )


def collect(
    lines: Sequence[Line],
    start: int,
    first: list[str] | None = None,
    *,
    intro: bool = False,
    heading: bool = False,
) -> tuple[list[str], int]:
    """Clauses from ``lines[start:]``; returns them and the index after the last one used.

    Under a decision ``heading`` every sentence up to the next part of the item is a clause
    ("Ansökan avslås." / "Styrgruppen uppmanas att …"); elsewhere a second sentence must
    read as a decision.
    """
    clauses = list(first or [])
    single = bool(clauses) and not ATT.match(clauses[0])
    bullets = False
    j = start
    for j in range(start, len(lines)):
        t = lines[j].text
        if is_block_start(t) or (SUBPOINT.match(t) and not ATT.match(strip_bullet(t))):
            return clauses, j
        s = strip_bullet(t) if is_list_item(t) else t
        if ATT.match(s):
            clauses.append(s)
            continue
        if clauses and t[0].islower():
            clauses[-1] = f"{clauses[-1]} {t}"
            continue
        if clauses and clauses[-1].endswith(_GOES_ON) and not is_list_item(t):
            # a clause wrapped after a dash or comma ("för perioden 2025-10-01–" ⏎ "2028-09-30")
            clauses[-1] = f"{clauses[-1]}{'' if clauses[-1][-1] in '–—' else ' '}{t}"
            continue
        if not clauses and INTRO.search(t):
            intro = True
            continue
        if clauses and clauses[-1].endswith(":") and is_list_item(t):
            clauses[-1] = f"{clauses[-1]} {s}"
            continue
        if not clauses:
            clauses.append(s)
            single, bullets = not intro, is_list_item(t)
            continue
        if intro or (bullets and is_list_item(t)) or (single and DECISION_SENTENCE.search(t)):
            clauses.append(s)
            continue
        if heading and single and _sentence(t) and not _NOT_DECISION.search(t):
            clauses.append(s)
            continue
        return clauses, j
    return clauses, len(lines)


def decisions(lines: Sequence[Line], *, fallback: bool) -> list[str]:
    """Decision clauses: heading blocks ("Beslut" alone), else inline ("Beslut: Att …")."""
    heading: list[str] = []
    inline: list[str] = []
    for i, ln in enumerate(lines):
        t = ln.text
        if DECISION_HEAD.match(t):
            intro = bool(INTRO_HEAD.search(t))
            heading += collect(lines, i + 1, intro=intro, heading=True)[0]
        else:
            m = DECISION_INLINE.match(t)
            if m:
                rest = m["rest"]
                if INTRO.search(rest):
                    inline += collect(lines, i + 1, intro=True)[0]
                else:
                    inline += collect(lines, i + 1, [strip_bullet(rest) or rest])[0]
    if heading or inline or not fallback:
        return heading or inline
    return [
        ln.text
        for ln in lines
        if len(ln.text) <= 250
        and (ORGAN_DECIDES.match(ln.text) or _one_sentence(ln.text))
        and not FORBUND_NARRATES.match(ln.text)
        and not ORGAN_NARRATES.match(ln.text)
        and not is_block_start(ln.text)
    ]


# A member's own act after the decision, not part of it: a note, a reservation, a motion.
_NOT_DECISION = re.compile(
    r"\b(?:anmäler|reserverar|yrkar|antecknar|instämmer|deltar inte|lämnar sammanträdet"
    r"|protokollsanteckning|reservation)\b",
    re.I,
)


# What someone tells the board, not its decision: "Förbundschefen informerar om att insatsen
# utökas med två platser" (a passive of a deciding verb inside a report).
_TOLD = re.compile(rf"\b{_alt(*(v.finite for v in TELLING_VERBS))}\b", re.I)


def _sentence(text: str) -> bool:
    """One whole sentence of a decision: capitalised, ends with a full stop, not long."""
    t = text.rstrip()
    one = t.endswith(".") or ". " not in t  # a sentence, with or without its full stop
    return len(t) <= 300 and t[:1].isupper() and one


def _one_sentence(text: str) -> bool:
    body = text.rstrip(".")
    passive = bool(PASSIVE_DECISION.search(text)) and not _TOLD.search(text)
    return "." not in body and passive and len(text) <= 160


def proposals(lines: Sequence[Line], *, agenda: bool) -> list[str]:
    """Proposal clauses: "Förslag till beslut" blocks; in agendas also "X föreslås att …"."""
    out: list[str] = []
    covered = -1
    for i, ln in enumerate(lines):
        if i < covered:
            continue
        t = ln.text
        if PROPOSAL_HEAD.match(t):
            found, covered = collect(lines, i + 1)
            out += found
            continue
        m = PROPOSAL_INLINE.match(t)
        if m:
            found, covered = collect(lines, i + 1, [m["rest"]])
            out += found
            continue
        if agenda and PROPOSAL_LINE.match(t):
            if INTRO.search(t):
                found, covered = collect(lines, i + 1, intro=True)
                out += found
            else:
                out.append(t)
        elif agenda and t.endswith(("föreslår att:", "föreslår:", "föreslås besluta:")):
            found, covered = collect(lines, i + 1, intro=True)
            out += found
    return out


def handlingar(lines: Sequence[Line]) -> list[str]:
    """Documents listed under "Handling(ar):" (bulleted, one per line, or ";"-separated)."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        m = HANDLING.match(ln.text)
        if not m:
            continue
        rest = (m.group("rest") or "").strip() if m.lastindex else ""
        if rest:
            out += [p.strip(" .") for p in re.split(r"\s*;\s*", rest) if p.strip(" .")]
        out += _listed(lines, i + 1)
    return out


def _listed(lines: Sequence[Line], start: int) -> list[str]:
    out: list[str] = []
    bulleted: bool | None = None
    j = start
    while j < len(lines):
        t = lines[j].text
        if is_block_start(t):
            break
        item = is_list_item(t)
        if bulleted is None:
            bulleted = item
        if bulleted and not item:
            nxt = lines[j + 1].text if j + 1 < len(lines) else ""
            if (
                out
                and len(t.split()) <= 4
                and not t.endswith(".")
                and (is_list_item(nxt) or not nxt)
            ):
                out[-1] = f"{out[-1]} {t}"  # a wrapped tail of the previous entry
                j += 1
                continue
            break
        if not bulleted and (t.endswith((".", ":")) or len(t) > 140 or len(out) >= 12):
            break
        out.append(strip_bullet(t) if item else t)
        j += 1
    return out


def copy_to(lines: Sequence[Line]) -> list[str]:
    """Receivers listed after "Kopia till" / "Expedieras till"."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        m = COPY.match(ln.text)
        if not m:
            continue
        rest = m["rest"].strip(" .:")
        if rest:
            out += [p.strip(" .") for p in _SPLIT_LIST.split(rest) if p.strip(" .")]
        else:
            j = i + 1
            while j < len(lines) and is_list_item(lines[j].text):
                out.append(strip_bullet(lines[j].text).strip(" ."))
                j += 1
    return out


def parts(lines: Sequence[Line], *, agenda: bool, protocol: bool) -> Parts:
    proposed = proposals(lines, agenda=agenda)
    decided = decisions(lines, fallback=protocol)
    if decided and not any(
        DECISION_HEAD.match(ln.text) or DECISION_INLINE.match(ln.text) for ln in lines
    ):
        decided = [c for c in decided if c not in proposed]  # a fallback never re-reads proposals
    return Parts(
        handlingar=tuple(handlingar(lines)),
        decisions=tuple(decided),
        proposals=tuple(proposed),
        copy_to=tuple(copy_to(lines)),
    )
