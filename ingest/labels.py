"""Where items start: "§ 57", "12 §", "NVSam § 54", "Ärende 3", "Punkt 7", "7. Titel", "IV. Titel"
at a line start, or a "§ 52" set at the right margin after the title ("Titel  § 52").

A label is only an item start when it belongs to the document's numbering: candidates of one
kind are chained by increasing numbers (small gaps allowed), the longest chain wins, and a
table of contents (a run of labels whose numbers and titles come back later) is skipped. So
"§ 7 Medlemsavgifter" quoted in an attached letter, "18 § lagen", "(§47)" or "§§ 45-46" never
start an item, and a numbered list inside an item does not break the agenda.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from corpus.model import ARENDE, PARAGRAF, PUNKT
from ingest.clauses import is_block_start
from ingest.lines import (
    ARENDE_LABEL,
    BARE_NUMBERED,
    BLOCK_LABEL,
    FUNCTION_WORDS,
    NUMBERED,
    PARAGRAF_AFTER,
    PARAGRAF_LABEL,
    PARAGRAF_WORD,
    PUNKT_LABEL,
    REFERENCE,
    ROMAN_LABEL,
    TRAILING_LABEL,
    Line,
    ends_sentence,
    is_list_item,
    last_word,
    roman,
)

_PREFIX_OK = re.compile(r"^(?:[A-ZÅÄÖ][\w-]*[A-ZÅÄÖ][\w-]*|Protokoll\w*|Paragraf|Utdrag)$")
_TOC_HEAD = re.compile(
    r"^(?:innehållsförteckning|innehåll|ärendelista|ärendeförteckning|paragrafer|ärenden)\b", re.I
)
MAX_GAP = 3  # largest jump between consecutive numbers of one chain
LOOKBACK = 80  # candidates looked back at when chaining (keeps the work linear)


@dataclass(frozen=True, slots=True)
class Start:
    """An item start: the line index, the label as written and the inline title."""

    index: int
    label: str
    number: int
    kind: str
    title: str
    above: bool = False  # the title is the line at ``index``, the label the line after it


@dataclass(frozen=True, slots=True)
class _Cand:
    index: int
    number: int
    kind: str
    rest: str
    family: str
    written: str = ""  # the label as written when it is not "§ N" / "punkt N"


def _candidate(i: int, text: str) -> _Cand | None:
    if "§" in text[:24]:
        m = PARAGRAF_LABEL.match(text)
        if m and (not m["prefix"] or _PREFIX_OK.match(m["prefix"])) and _title_ok(m["rest"]):
            written = f"§ {m['num']}{m['suffix']}" if m["suffix"] else ""
            return _Cand(i, int(m["num"]), PARAGRAF, m["rest"].strip(), PARAGRAF, written)
        m = PARAGRAF_AFTER.match(text)
        if m and _title_ok(m["rest"]):  # "12 § Årsredovisning"
            return _Cand(i, int(m["num"]), PARAGRAF, m["rest"].strip(), PARAGRAF)
        return _roman(i, text) or _trailing(i, text)
    first = text[:1]
    if first in "IVXPpÄ" and (c := _roman(i, text)):
        return c
    if first == "P":
        m = PARAGRAF_WORD.match(text)
        if m and _title_ok(m["rest"]):
            written = " ".join(text[: m.end("num")].split())
            return _Cand(i, int(m["num"]), PARAGRAF, m["rest"].strip(), PARAGRAF, written)
    if first in "PpI":
        m = PUNKT_LABEL.match(text)
        if m and _title_ok(m["rest"]):
            return _Cand(i, int(m["num"]), PUNKT, m["rest"].strip(), PUNKT)
    if first == "Ä":
        m = ARENDE_LABEL.match(text)
        if m and _title_ok(m["rest"]):
            written = " ".join(text[: m.end("num")].split())
            return _Cand(i, int(m["num"]), ARENDE, m["rest"].strip(), ARENDE, written)
    if first.isdigit():
        m = NUMBERED.match(text)
        if (
            m
            and (len(text) <= 160 or _titled_point(m["rest"]))
            and not m["rest"].lower().startswith("att ")
        ):
            return _Cand(i, int(m["num"]), PUNKT, m["rest"].strip(), "numbered")
        m = BARE_NUMBERED.match(text)
        if m and len(text) <= 100 and not m["rest"].lower().startswith("att "):
            return _Cand(i, int(m["num"]), PUNKT, m["rest"].strip(), "bare")
    return _trailing(i, text) if "§" in text[-12:] else None


def _roman(i: int, text: str) -> _Cand | None:
    """ "IV. Föregående protokoll", "Punkt IV. …", "§ IV …": an item numbered in roman."""
    m = ROMAN_LABEL.match(text)
    if m is None or len(text) > 100 or m["rest"].lower().startswith("att "):
        return None
    kind = PARAGRAF if text.startswith("§") else PUNKT
    return _Cand(i, roman(m["r1"] or m["r2"]), kind, m["rest"].strip(), "roman")


def _trailing(i: int, text: str) -> _Cand | None:
    """ "Val av justerare  § 52": the label set at the right margin after the title (a
    sentence that ends by citing a paragraph, "… enligt § 52", is no title)."""
    m = TRAILING_LABEL.match(text)
    if m is None or last_word(m["rest"]).lower() in FUNCTION_WORDS:
        return None
    return _Cand(i, int(m["num"]), PARAGRAF, m["rest"].strip(), "trailing")


def _titled_point(rest: str) -> bool:
    """A long numbered paragraph that opens with a short title sentence ("Ekonomisk
    uppföljning januari–juni 2024. Ekonomen presenterade …"): prose minutes' point, whose
    first paragraph runs on however long it is."""
    title, dot, _ = rest.partition(". ")
    return bool(dot) and 2 <= len(title) <= 80 and title[-1:].isalnum() and ":" not in title


def _title_ok(rest: str) -> bool:
    rest = rest.strip()
    if not rest:
        return True
    first = rest[0]
    return not (first.islower() or first in "§,;)" or rest.lower().startswith(("att ", "och ")))


def candidates(lines: list[Line]) -> list[_Cand]:
    out = []
    for i, ln in enumerate(lines):
        c = _candidate(i, ln.text)
        if c is not None:
            out.append(c)
    return out


def _effective_title(lines: list[Line], c: _Cand) -> str:
    if c.rest:
        return c.rest
    nxt = lines[c.index + 1].text if c.index + 1 < len(lines) else ""
    return "" if BLOCK_LABEL.match(nxt) or is_list_item(nxt) else nxt


def _similar(a: str, b: str) -> bool:
    a, b = a.casefold()[:40], b.casefold()[:40]
    if not a or not b:
        return False
    if a.split()[0] == b.split()[0]:
        return True
    return SequenceMatcher(None, a, b).ratio() >= 0.6


def _toc(lines: list[Line], cands: list[_Cand]) -> tuple[set[int], dict[int, str]]:
    """Candidates that form a table of contents, and the TOC title of each number."""
    toc: set[int] = set()
    titles: dict[int, str] = {}
    later: dict[tuple[str, int], list[_Cand]] = {}
    for c in cands:
        later.setdefault((c.family, c.number), []).append(c)
    k = 0
    while k < len(cands):
        run = [cands[k]]
        while k + len(run) < len(cands):
            nxt = cands[k + len(run)]
            if not (
                nxt.index == run[-1].index + 1
                and nxt.family == run[0].family
                and nxt.number > run[-1].number
                and nxt.rest
            ):
                break
            run.append(nxt)
        if len(run) >= 2:
            head = lines[run[0].index - 1].text if run[0].index > 0 else ""
            hits = 0
            for c in run:
                again = [d for d in later[(c.family, c.number)] if d.index > run[-1].index]
                if again and (
                    _TOC_HEAD.match(head) or _similar(c.rest, _effective_title(lines, again[0]))
                ):
                    hits += 1
            if hits * 2 >= len(run):
                for c in run:
                    toc.add(c.index)
                    titles.setdefault(c.number, c.rest)
        k += len(run)
    return toc, titles


def _chain(cands: list[_Cand]) -> list[_Cand]:
    """The longest chain of increasing numbers (gaps of at most MAX_GAP), earliest on ties."""
    if not cands:
        return []
    n = len(cands)
    score = [1.0] * n
    back = [-1] * n
    for i in range(n):
        ci = cands[i]
        for j in range(max(0, i - LOOKBACK), i):
            cj = cands[j]
            gap = ci.number - cj.number
            if 1 <= gap <= MAX_GAP:
                s = score[j] + 1.0 - 0.25 * (gap - 1)
                if s > score[i]:
                    score[i], back[i] = s, j
    best = max(range(n), key=lambda i: (score[i], -i))
    chain = []
    while best != -1:
        chain.append(cands[best])
        best = back[best]
    return chain[::-1]


def find_starts(
    lines: list[Line], *, protocol: bool = False, agenda: bool = False
) -> tuple[list[Start], dict[int, str]]:
    """Item starts of a document and the table-of-contents titles by number."""
    cands = candidates(lines)
    toc, toc_titles = _toc(lines, cands)
    body = [c for c in cands if c.index not in toc]
    chains = {}
    for family in (PARAGRAF, ARENDE, PUNKT, "numbered", "roman", "trailing", "bare"):
        chains[family] = _chain([c for c in body if c.family == family])
    # the longest chain wins; "§" beats "Ärende" beats "Punkt" beats "7." beats "IV." beats
    # "Titel  § 52" on ties
    ranked = [
        (len(chains[PARAGRAF]), 5, PARAGRAF),
        (len(chains[ARENDE]), 4, ARENDE),
        (len(chains[PUNKT]), 3, PUNKT),
        (len(chains["numbered"]), 2, "numbered"),
        (len(chains["roman"]), 1, "roman"),
        (len(chains["trailing"]), 0, "trailing"),
    ]
    minimum = {
        PARAGRAF: 2,
        ARENDE: 2,
        PUNKT: 2,
        "numbered": 2 if agenda else 3,
        "roman": 3,  # "I. Berg", "V. Ström": initials never run far
        "trailing": 3,
    }
    chosen: list[_Cand] = []
    for length, _, family in sorted(ranked, reverse=True):
        if length >= minimum[family]:
            chosen = chains[family]
            break
    if not chosen and protocol and chains[PARAGRAF]:
        chosen = chains[PARAGRAF]  # a protocol of a single paragraph
    # "1 Mötets öppnande" (a number and a tab, Word's outline numbering): only a long run of
    # consecutive numbers, in an agenda or a protocol with no other labels
    bare = chains["bare"]
    if (
        not chosen
        and (agenda or protocol)
        and len(bare) >= 4
        and bare[-1].number - bare[0].number == len(bare) - 1
    ):
        chosen = bare
    starts = [Start(c.index, _label(c), c.number, c.kind, c.rest) for c in chosen]
    return _titles_above(lines, starts), toc_titles


def _titles_above(lines: list[Line], starts: list[Start]) -> list[Start]:
    """A minute system that sets each item's title above its label rows (the title, then
    "Paragraf | § 12", "Diarienummer | 2025/21", then "Sammanfattning av ärendet"): where most
    labels stand alone with no title under them, the heading above each is its title."""
    fits = {k for k in range(len(starts)) if _title_above(lines, starts, k)}
    if not fits or len(fits) * 2 < len(starts):
        return starts
    return [
        replace(st, index=st.index - 1, title=lines[st.index - 1].text, above=True)
        if k in fits
        else st
        for k, st in enumerate(starts)
    ]


def _title_above(lines: list[Line], starts: list[Start], k: int) -> bool:
    st = starts[k]
    floor = starts[k - 1].index + 1 if k else 0
    if st.title or st.index - 1 < floor:
        return False
    j = st.index + 1
    while j < len(lines) and REFERENCE.match(lines[j].text):
        j += 1
    return (
        j < len(lines) and is_block_start(lines[j].text) and _heading_like(lines[st.index - 1].text)
    )


def _heading_like(text: str) -> bool:
    """A line that can be an item's title: short, capitalised, no sentence, no part heading."""
    return (
        2 <= len(text) <= 120
        and text[0].isupper()
        and not ends_sentence(text)
        and not is_block_start(text)
        and not is_list_item(text)
        and not REFERENCE.match(text)
        and _candidate(0, text) is None
    )


def _label(c: _Cand) -> str:
    if c.written:
        return c.written
    if c.kind == PARAGRAF:
        return f"§ {c.number}"
    if c.kind == ARENDE:
        return f"Ärende {c.number}"
    return f"punkt {c.number}"
