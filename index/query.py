"""Query-side helpers shared by the CLI and the app: filters from user input, result views."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date
from functools import cache
from typing import Any

from corpus.errors import CorpusError
from corpus.model import Filters, Result
from index.fuse import Intent
from index.report import item_fields
from ingest.vocab import MONTHS as SWEDISH_MONTHS
from ingest.vocab import MONTHS_EN as ENGLISH_MONTHS

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# The month names a query may use to name a period: Swedish and English (ingest.vocab) and
# their three-letter forms ("okt", "oct").
MONTHS = {
    **SWEDISH_MONTHS,
    **ENGLISH_MONTHS,
    **{m[:3]: i for m, i in (*SWEDISH_MONTHS.items(), *ENGLISH_MONTHS.items())},
}
_YEAR = re.compile(r"(?:19|20)\d{2}")
_PERIOD = re.compile(r"(?:\b([a-zåäö]+)\s+)?\b((?:19|20)\d{2})\b(?:-(\d{2})\b)?", re.IGNORECASE)


def _date(value: str | None, *, end: bool) -> str | None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD; a short form means the start (or end) of it."""
    if not value:
        return None
    value = value.strip()
    if not _DATE.match(value):
        raise CorpusError(f"not a date: {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    parts = [int(p) for p in value.split("-")]
    try:
        if len(parts) == 1:
            d = date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
        elif len(parts) == 2:
            d = date(parts[0], parts[1], 1)  # refuses month 0 or 13 for both ends
            if end:
                nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
                d = date.fromordinal(nxt.toordinal() - 1)
        else:
            d = date(*parts)
    except ValueError as e:
        raise CorpusError(f"not a date: {value!r} ({e})") from e
    return d.isoformat()


def names_period(word: str) -> bool:
    """Whether a query word names a period: a month or a year ("november", "2023")."""
    return word.lower() in MONTHS or bool(_YEAR.fullmatch(word))


_TITLE_YEARS = re.compile(r"\b((?:19|20)\d{2})(?:\s*[-–—/]\s*((?:19|20)\d{2}))?\b")


def title_years(title: str) -> frozenset[int]:
    """The years an item's title names ("Budget 2024", "Verksamhetsplan 2024–2026" names
    2024, 2025 and 2026); empty for a title that names none."""
    years: set[int] = set()
    for m in _TITLE_YEARS.finditer(title):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        years.update(range(first, last + 1) if 0 <= last - first <= 10 else (first, last))
    return frozenset(years)


def query_period(text: str) -> tuple[str, str] | None:
    """The period a query names ("november 2023", "2023-11", "2021"), as inclusive ISO dates."""
    m = _PERIOD.search(text)
    if not m:
        return None
    year = int(m.group(2))
    month = int(m.group(3)) if m.group(3) else MONTHS.get((m.group(1) or "").lower())
    if month and 1 <= month <= 12:
        start = f"{year}-{month:02d}"
        return _date(start, end=False) or start, _date(start, end=True) or start
    return f"{year}-01-01", f"{year}-12-31"


@cache
def decision_words() -> frozenset[str]:
    """Stems of the words that ask about a decision without naming an act (concepts.json
    "decision_words": "beslut", "beslutade", "decision", "decided" …)."""
    import json
    from importlib import resources

    from index.topic import phrase_stems

    raw = json.loads(resources.files("index").joinpath("data/concepts.json").read_text("utf-8"))
    return frozenset(s for w in raw["decision_words"].split() for s in phrase_stems(w))


def understand(query: str, corpus_words: Collection[str] = (), procedural: bool = False) -> Intent:
    """What a query asks, for re-ranking: its language (index.lang), the acts and stances
    it asks of a decision (the request words of index/data/concepts.json, which
    `finsam decisions` reads too: "avslagna", "beviljade", "tabled", "voted against"),
    whether it is about a decision at all (those, or a decision word: "beslut", "decided"),
    and the period it names. procedural: the caller's finding that it asks about meeting
    formalities."""
    from index.lang import detect
    from index.topic import parse_topic, word_stems

    topic = parse_topic(query)
    stems = {terms[0] for terms in word_stems(query) if terms}
    period = query_period(query)
    one_year = period is not None and period[0][5:] == "01-01" and period[1][5:] == "12-31"
    return Intent(
        lang=detect(query, corpus_words),
        acts=topic.acts,
        stances=topic.stances,
        procedures=topic.procedures,
        asks_decision=topic.asks or bool(stems & decision_words()),
        procedural=procedural,
        period=period,
        one_year=one_year and period is not None and period[0][:4] == period[1][:4],
    )


def make_filters(
    forbund: tuple[str, ...] | list[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    kinds: tuple[str, ...] | list[str] = (),
    decisions_only: bool = False,
) -> Filters:
    """Filters from what a user typed: förbund names or aliases, partial dates."""
    from ingest.gazetteer import canonical_forbund

    names = []
    for name in forbund:
        canon = canonical_forbund(name)
        if canon is None:
            raise CorpusError(f"unknown förbund: {name!r}")
        names.append(canon)
    start, end = _date(date_from, end=False), _date(date_to, end=True)
    if start and end and start > end:
        raise CorpusError(f"the period ends before it starts: from {start} to {end}")
    return Filters(
        forbund=tuple(names),
        date_from=start,
        date_to=end,
        kinds=tuple(kinds),
        decisions_only=decisions_only,
    )


def result_json(r: Result) -> dict[str, Any]:
    it = r.context.item
    return {
        "rank": r.rank,
        "score": round(r.hit.score, 6),
        **item_fields(r.context),
        "decisions": list(it.decisions),
        "proposals": list(it.proposals),
        "snippet": r.snippet,
        "matched": list(r.hit.matched),
        "pages": list(it.pages),
        "item_id": it.item_id,
    }


def concepts_text(names: tuple[str, ...], mark: Callable[[str], str] = str) -> str:
    """The sentence that names the concepts a search took in (index.glosses), each through
    `mark` (the app sets them in italics)."""
    which = "begreppet" if len(names) == 1 else "begreppen"
    listed = ", ".join(mark(n) for n in names)
    return f"Sökningen omfattar även {which} {listed}, som frågan beskriver med andra ord."


def no_words_text(filtered: bool) -> str:
    """The notice for a search none of whose hits holds a word of the query: what is shown
    is only near in meaning (the dense run), which the user must know."""
    return (
        "Ingen punkt innehåller orden i sökfrågan"
        + (" (med de valda filtren)" if filtered else "")
        + ". Nedan visas de punkter som ligger närmast i betydelse."
    )


def result_text(r: Result) -> str:
    c, it = r.context, r.context.item
    pages = ",".join(str(p) for p in it.pages)
    head = f"{r.rank}. {c.forbund or 'okänt förbund'} {c.meeting_date or 'odaterat'} " + (
        f"{it.label} {it.title}" if it.label != it.title else it.title
    )
    lines = [head, f"   {c.source} ({c.doc_kind}) sida {pages or '?'}  [{r.hit.score:.4f}]"]
    if r.snippet:
        lines.append("   " + r.snippet.replace("\n", " "))
    for d in it.decisions:
        lines.append(f"   Beslut: {d}")
    for p in it.proposals:
        lines.append(f"   Förslag: {p}")
    return "\n".join(lines)
