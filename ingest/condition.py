"""The conditions a board attaches to its decision, as the clause writes them: "beviljar
500 tkr under förutsättning att Region Gävleborg beviljar motsvarande belopp" → "under
förutsättning att Region Gävleborg beviljar motsvarande belopp"; "Medlen för 2025 förutsätter
att styrelsen fastställer budget för 2025" → that sentence.

The words are ingest.stance_words.CONDITION_WORDS (the act rules keep a condition's acts and
kronor out of the board's act; this module gives the reader the condition's words, which the
act alone does not say). "utan villkor" / "utan förbehåll" state that there is none. Pure
functions of the text.
"""

from __future__ import annotations

import re

from ingest.stance_words import CONDITION_WORDS
from ingest.vocab import ORGAN_SUBJECT

# The preposition a condition noun stands with ("under förutsättning att", "på villkor att",
# "med förbehåll för"): the phrase shown starts at it.
_PREPOSITIONS = ("under", "på", "med")
# The condition words that are verbs: the whole sentence is the condition ("Medlen för 2025
# förutsätter att …", "Beslutet är villkorat av att …").
_SENTENCE_WORDS = frozenset(("förutsätter", "villkorat", "villkorad"))


def _trigger() -> re.Pattern[str]:
    parts: list[str] = []
    for word, followers in CONDITION_WORDS.items():
        after = rf"\s+(?:{'|'.join(followers)})\b" if followers else ""
        parts.append(rf"(?P<w_{len(parts)}>{word}){after}")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})", re.I)


_TRIGGER = _trigger()
# Where a condition ends: a semicolon, a full stop or comma before a space or the end (not the
# ones inside "2,4 mnkr" or "t.ex."), a new line; a condition that opens its sentence also
# where the main clause's verb comes with the organ after it ("Under förutsättning att
# regionen bidrar beviljar styrelsen 200 tkr"; after the main clause, "… att regionen beviljar
# förbundet motsvarande medel" goes on).
_END = re.compile(r";|[.,:](?=\s|$)|\n")
_END_FRONTED = re.compile(rf"{_END.pattern}|\s+\w+\s+{ORGAN_SUBJECT}\b", re.I)
_SENTENCE_START = re.compile(r"(?:^|[.;:!?]\s+|\n)(?=[^.;:!?\n]*$)")


def conditions(clause: str) -> tuple[str, ...]:
    """The conditions a decision clause states, each as its words, in text order; one ends
    where the next begins."""
    starts = [s for s in (_start(clause, m) for m in _TRIGGER.finditer(clause)) if s is not None]
    out: list[str] = []
    for n, (start, after) in enumerate(starts):
        before = clause[:start].rstrip()
        fronted = not before or before[-1] in ".;:!?"  # the condition opens its sentence
        end = (_END_FRONTED if fronted else _END).search(clause, after)
        following = [s for s, _ in starts[n + 1 : n + 2]]
        stop = min([end.start() if end else len(clause), *following])
        text = " ".join(clause[start:stop].split())
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _start(clause: str, m: re.Match[str]) -> tuple[int, int] | None:
    """Where the condition a condition word opens starts (and where the word ends); None
    where it states there is none ("utan villkor")."""
    word = next(v for v in m.groupdict().values() if v).lower()
    before = clause[: m.start()].rstrip()
    previous = before.rsplit(None, 1)[-1].lower() if before else ""
    if previous == "utan":
        return None
    if previous in _PREPOSITIONS:
        return len(before) - len(previous), m.end()
    if word in _SENTENCE_WORDS:
        sentence = _SENTENCE_START.search(before) if before else None
        return (sentence.end() if sentence else 0), m.end()
    return m.start(), m.end()
