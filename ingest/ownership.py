"""Which förbund a document belongs to, decided from the evidence in its text.

Every mention of a förbund (strong, or a bare core name as weak evidence) is classified by
where and how it occurs and weighted: the "Organ" line and the title in the document head
weigh most, then self-references ("för SF X innebära"), abbreviations in § labels
("NVSam § 54"), signatures ("Ordförande Samordningsförbundet X"), running headers and plain
mentions. Mentions in a list or table of many förbund, in the third person ("Styrelserna
för X och Y har beslutat"), of a participant's organisation, or in attachments after the
document's own items weigh little. Each kind's sum is capped, so frequency alone cannot win.
The best förbund above a threshold is returned with a short Swedish account of the evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ingest.gazetteer import BARE, FORBUND, Gazetteer, Mention
from ingest.lines import NUMBERED, is_label
from ingest.vocab import MONTH, WEEKDAY

HEAD_CHARS = 1500  # the document head: letterhead, title, "Organ" line
MIN_SCORE = 2.0  # below this the evidence is too thin to name a förbund
TIE = 0.85  # a runner-up with this share of the best score makes the owner undecidable

# kind: (base weight, cap of the summed contributions per förbund)
_WEIGHTS = {
    "organ": (10.0, 20.0),
    "title": (7.0, 16.0),
    "label": (3.0, 9.0),
    "selfref": (5.0, 10.0),
    "signature": (3.0, 6.0),
    "header": (1.5, 4.5),
    "body": (1.0, 5.0),
    "participant": (0.7, 1.4),
    "loose": (0.5, 1.5),
    "third": (0.3, 0.9),
}
_STRUCTURAL = frozenset({"organ", "title", "label", "signature", "header"})  # all NNS can get

_ORGAN = re.compile(r"^\W*(organ|nämnd|förbund|myndighet|avsändare)\b", re.I)
_MEETING = re.compile(
    r"protokoll|kallelse|sammanträde|möte|styrelse|arbetsutskott|medlemssamråd|anteckningar"
    r"|föredragningslista|dagordning",
    re.I,
)
_MEETING_LINKS = frozenset(
    ("för", "i", "vid", "med", "hos", "och", "den", "kl", "fört", "förda", "från", "hållet")
)
# The meeting's day right after the name: "X onsdagen den 12 februari 2025", "X, 2025-03-04".
_DATE_AFTER = re.compile(
    rf"^\W*(?:{WEEKDAY}\b|den \d{{1,2}} |\d{{1,2}} {MONTH} \d{{4}}|(?:19|20)\d\d-\d\d-\d\d)", re.I
)
_ROLE = re.compile(
    r"\b(ordförande|förbundschef|kassör|sekreterare|verksamhetsledare|för styrelsen)\W*$", re.I
)
_SELF_AFTER = re.compile(r"^\W*(skulle\s+)?(innebär|betyd|medför)", re.I)
_SELF_CUE = re.compile(r"\b(vårt|vår|våra|vi|oss)\b", re.I)
_THIRD = re.compile(r"\b(styrelserna|förbunden)\s+(för|i|vid)?\s*$", re.I)
_PERSON_COMMA = re.compile(r"[A-ZÅÄÖ][\w-]+(\s+[A-ZÅÄÖ][\w-]+)+\s*,\s*$")
_LOCATION = re.compile(
    r"^[ \t]*(?:\w+[ \t]+)?(§)[ \t]*(\d{1,3})\b|^[ \t]*(\d{1,2})\.[ \t]+[A-ZÅÄÖ]"
    r"|^[ \t]*(Ärende|Punkt)[ \t]+(\d{1,3})\b|^[ \t]*(\d{1,3})[ \t]?§(?!§)",
    re.M,
)
_UNKNOWN = re.compile(
    r"^\W*(Samordningsförbundet(?: i)? (?:[A-ZÅÄÖ][\w-]+(?: |$)){1,3}(?:län\b)?"
    r"|(?:[A-ZÅÄÖ][\w-]+ ){1,3}[Ss]amordningsförbund)\W*$",
    re.M,
)
_COUNTY_END = re.compile(r"\b([A-ZÅÄÖ]\w+) län$")  # "… Norra Kalmar län": a county
_LIST_GAP = re.compile(r"\s*(,|och|samt)\s*", re.I)
_NOT_NAME = re.compile(  # words of headings and tables, not of a förbund's name
    r"\b(styrelse\w*|protokoll\w*|kallelse|sammanträde\w*|möte\w*|organ|län|länets|landets"
    r"|sveriges|alla|samtliga|nya|nytt|vårt|våra|varje|berörda|övriga|andra|bilaga|sida|datum"
    r"|om|till|från|för|med|en|ett|det|de|lokala|regionala|nationella|beslut|information"
    r"|rapport|ekonomi|verksamhet\w*)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Clue:
    canonical: str
    kind: str
    weight: float
    surface: str
    where: str  # "i punkt 7", "i en bilaga", ""


def _line_of(text: str, start: int, end: int) -> tuple[str, str]:
    """(text before the span on its line, text after it on its line)."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return text[a:start], text[end : b if b >= 0 else len(text)]


def _kind(text: str, m: Mention, in_head: bool, after_third: bool) -> str:
    before, after = _line_of(text, m.start, m.end)
    rest = (before + " " + after).strip()
    if _ORGAN.match(before) and len(re.sub(r"\W", "", after)) <= 12:
        return "organ"
    if m.abbreviation and re.match(r"\s*§", after):
        return "label"
    if m.plural or after_third or _THIRD.search(before):
        return "third"
    if _ROLE.search(text[max(0, m.start - 60) : m.start]):
        return "signature"
    if m.strength == BARE:
        return "loose"
    if _PERSON_COMMA.search(before):
        return "participant"
    if (
        len(re.sub(r"[\W\d]", "", rest)) <= 12
        and len(re.findall(r"\w+", rest)) <= 4
        and not _item_title(before + text[m.start : m.end] + after)  # "§ 36 NNS avgift"
    ):
        # the name alone on its line, perhaps with a date or "Sida 2 (5)"; not a table row
        return "title" if in_head else "header"
    lead, words_after = before.strip(), re.findall(r"[^\W\d]+", after)
    if in_head and "." not in lead and _meeting_words(lead):
        if len(words_after) <= 3:
            return "title"  # "Möte interimsstyrelsen för X", "Protokoll styrelsemöte X 2023-06-15"
        if _DATE_AFTER.match(after):
            # a sentence that opens the protocol by naming its meeting ("Protokoll fört vid
            # sammanträde med styrelsen för X onsdagen den 12 februari 2025 …")
            return "title"
    sentence_after = re.findall(r"[^\W\d]+", re.split(r"\.\s", after, maxsplit=1)[0])
    if (
        in_head
        and not lead
        and len(sentence_after) <= 4
        and _MEETING.match(after.lstrip(" –-:,·|"))
    ):
        return "title"  # "X – protokoll", "X, styrelsen. Sammanträdesdatum: …"
    sent_a = max(text.rfind(".", 0, m.start), text.rfind("\n\n", 0, m.start)) + 1
    sentence = text[sent_a : text.find(".", m.end) % (len(text) + 1)]
    if _SELF_AFTER.match(after) or _SELF_CUE.search(sentence):
        return "selfref"
    return "body"


def _item_title(line: str) -> bool:
    """Whether a line is an item's label and title ("§ 36 NNS avgift", "3. NNS avgift")."""
    line = line.strip()
    return is_label(line) or NUMBERED.match(line) is not None


def _meeting_words(lead: str) -> bool:
    """Whether the words before a name on its line name a meeting and nothing else
    ("Protokoll styrelsemöte", "Möte interimsstyrelsen för"), not a sentence that starts with
    the board ("Styrelsen tillstyrker NNS förslag")."""
    words = re.findall(r"[^\W\d]+", lead)
    return (
        bool(words)
        and _MEETING.match(lead) is not None
        and all(_MEETING.search(w) or w.lower() in _MEETING_LINKS for w in words)
    )


def _item_labels(text: str) -> tuple[list[tuple[int, str]], int]:
    """The document's own run of item labels ("§ 54" … "§ 58", "1." … "15.") and where its
    main text ends; later restarts ("1. Bakgrund" in an attachment) are not part of it."""
    run: list[tuple[int, int, str]] = []
    for m in _LOCATION.finditer(text):
        n = int(m.group(2) or m.group(3) or m.group(5) or m.group(6))
        label = f"§ {n}" if m.group(1) or m.group(6) else f"punkt {n}"
        if run and not (n in (run[-1][1], run[-1][1] + 1) or n == run[0][1] < run[-1][1]):
            if len(run) >= 3:
                break
            run = []  # a stray number before the real run
        run.append((m.start(), n, label))
    if len(run) < 2:
        return [(p, label) for p, _, label in run], len(text)
    gap = (run[-1][0] - run[0][0]) / (len(run) - 1)
    return [(p, label) for p, _, label in run], int(run[-1][0] + max(1000, 1.5 * gap))


def _clues(text: str, gaz: Gazetteer) -> list[_Clue]:
    mentions = gaz.mentions(text, loose=True)
    labels, main_end = _item_labels(text)
    starts = [m.start for m in mentions]
    clues: list[_Clue] = []
    prev: tuple[int, str] = (-10, "")  # end and kind of the previous mention
    for m in mentions:
        entry = gaz.by_name[m.canonical]
        in_head = m.start < HEAD_CHARS
        chained = prev[1] == "third" and _LIST_GAP.fullmatch(text[prev[0] : m.start]) is not None
        kind = _kind(text, m, in_head, chained)
        prev = (m.end, kind)
        if entry.kind != FORBUND and kind not in _STRUCTURAL:
            continue  # NNS is discussed in most protocols; only its own letterhead counts
        weight = _WEIGHTS[kind][0]
        if in_head and kind in ("body", "selfref", "signature"):
            weight *= 1.5
        weight *= _listed(len(_forbund_near(mentions, starts, m.start, gaz) - {m.canonical}))
        where = ""
        if m.start >= main_end:
            where = "i en bilaga"
            weight *= 0.6 if kind != "organ" else 1.0
        else:
            before = [label for pos, label in labels if pos <= m.start]
            where = f"i {before[-1]}" if before else ""
        surface = m.surface
        if kind == "signature":
            role = _ROLE.search(text[max(0, m.start - 60) : m.start])
            surface = f"{role.group(1) if role else ''} {surface}".strip()
        clues.append(_Clue(m.canonical, kind, weight, surface, where))
    unknown = _unknown_in_head(text, gaz)
    if unknown:  # a förbund the gazetteer lacks, alone on a line of the letterhead
        name, at = unknown
        weight = _WEIGHTS["title"][0] * _listed(len(_forbund_near(mentions, starts, at, gaz)))
        clues.append(_Clue(name, "title", weight, name, ""))
    return clues


def _forbund_near(mentions: list[Mention], starts: list[int], at: int, gaz: Gazetteer) -> set[str]:
    """The förbund mentioned within 300 characters of a position (mentions in text order,
    ``starts`` their starts)."""
    near = mentions[bisect_left(starts, at - 300) : bisect_right(starts, at + 300)]
    return {o.canonical for o in near if gaz.by_name[o.canonical].kind == FORBUND}


def _listed(others: int) -> float:
    """The factor of a mention's weight with this many other förbund named near it: a list or
    table of many förbund weighs little."""
    return 1 / (1 + others) if others >= 2 else 0.7 if others else 1.0


def _unknown_in_head(text: str, gaz: Gazetteer) -> tuple[str, int] | None:
    """The name of a förbund missing from the gazetteer, written alone on a line of the
    document head ("Samordningsförbundet Norra Kalmar län"), as written, and where; None if
    none."""
    found = _UNKNOWN.search(text[:HEAD_CHARS])
    if not found:
        return None
    name = re.sub(r"\s+", " ", found.group(1)).strip()
    if _NOT_NAME.search(_COUNTY_END.sub(r"\1", name)) or gaz.mentions(name, loose=False):
        return None
    return name, found.start(1)


def _describe(kind: str, clues: list[_Clue]) -> str:
    first = clues[0]
    s = re.sub(r"\s+", " ", first.surface)
    n = len(clues)
    if kind == "organ":
        return f'raden "Organ" nämner "{s}"'
    if kind == "title":
        return f'rubriken nämner "{s}"'
    if kind == "header":
        return f'sidhuvudet upprepar "{s}"'
    if kind == "label":
        return f'paragraferna märks "{s}" ({n} st)'
    if kind == "signature":
        return "bilagans underskrift" if first.where == "i en bilaga" else f'"{s}"'
    if kind == "participant":
        return f'deltagarlistan nämner "{s}"'
    if kind == "third":
        return f'"{s}" omnämns i tredje person'
    if kind == "body" and n > 2:
        return f'"{s}" nämns {n} gånger i texten'
    return f'"{s}" {first.where or "i texten"}'


def resolve(text: str, gaz: Gazetteer) -> tuple[str, str] | None:
    """(canonical name, evidence) of the förbund the text belongs to; None when the evidence
    is thin or two förbund have about the same (a joint document). A förbund missing from
    the gazetteer but named alone in the letterhead is returned as written."""
    by: dict[str, dict[str, list[_Clue]]] = {}
    for c in _clues(text, gaz):
        by.setdefault(c.canonical, {}).setdefault(c.kind, []).append(c)
    scores: dict[str, float] = {}
    parts: dict[str, list[tuple[float, str]]] = {}
    for name, kinds in by.items():
        for kind, clues in kinds.items():
            got = min(sum(c.weight for c in clues), _WEIGHTS[kind][1])
            scores[name] = scores.get(name, 0.0) + got
            parts.setdefault(name, []).append((got, _describe(kind, clues)))
    ranked = sorted(scores, key=lambda k: -scores[k])
    if ranked and scores[ranked[0]] >= MIN_SCORE:
        best = ranked[0]
        if len(ranked) > 1 and scores[ranked[1]] >= TIE * scores[best]:
            return None  # "Gemensamt styrelsemöte för Samordningsförbundet X och Y"
        top = sorted(parts[best], key=lambda p: -p[0])[:3]
        evidence = "; ".join(d for _, d in top)
        if best not in gaz.by_name:
            evidence += ", som inte finns i förteckningen över förbund"
        return best, evidence
    return None
