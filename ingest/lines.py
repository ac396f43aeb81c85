"""Shared line helpers of cleaning and segmentation: list markers, labels, names, dates.

Everything here is pure and cheap: compiled patterns and small predicates over one line.
``Line`` is segmentation's internal unit (a cleaned paragraph with the pages it came from);
it never leaves ``ingest``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.vocab import DECISION_HEADING, MONTH_ABBR, MONTHS

__all__ = ["MONTHS", "MONTH_ABBR"]

# Words after which a wrapped line surely continues ("… Nationella Nätverket för\nSamordn…").
# fmt: off
FUNCTION_WORDS = frozenset((
    "för", "och", "av", "om", "i", "till", "med", "på", "att", "som", "samt", "eller", "från",
    "vid", "inom", "under", "mellan", "mot", "hos", "genom", "efter", "utan", "den", "det",
    "de", "en", "ett", "sin", "sitt", "sina", "dess", "vars", "än", "per", "inför", "enligt",
    "kring", "åt", "ur", "hur", "vilket", "vilken", "vilka", "både", "antingen",
))
# fmt: on

LIST_ITEM = re.compile(
    r"^(?:[-–—•*]\s*(?=\S)|\(?\d{1,2}[.)]\s+(?=\S)|\(?[a-zA-ZåäöÅÄÖ][.)]\s+(?=\S)"
    r"|\(?(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]\s+(?=\S)|[A-ZÅÄÖ]/\s*(?=\S))"
)
BULLET = re.compile(
    r"^(?:[-–—•*]\s*|\(?\d{1,2}[.)]\s+|\(?[a-zA-Z][.)]\s+|\(?(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]\s+)"
)

# An item label at the start of a line: "§ 57", "NVSam § 54", "Ärende 3", "Punkt 7", "7. Titel".
PARAGRAF_LABEL = re.compile(
    r"^(?:(?P<prefix>[A-ZÅÄÖ][\wÅÄÖåäö-]{1,15}|Protokoll|Paragraf)\s+)?§\s?(?P<num>\d{1,4})"
    r"(?P<suffix>/\d{2,4}|:\d{1,3})?(?![\d§])(?:\s*[.:)–-]\s*|\s+|$)(?P<rest>.*)$"
)
# "12 §" (number before the sign), as some minute systems write it.
PARAGRAF_AFTER = re.compile(r"^(?P<num>\d{1,4})\s?§(?![\d§])(?:\s*[.:)–-]\s*|\s+|$)(?P<rest>.*)$")
# "Ärende 14/2025": a number running over the year, the year written after it
_YEAR = r"(?:/(?:19|20)\d\d)?"
PARAGRAF_WORD = re.compile(r"^(?:Paragraf|PARAGRAF)\s+(?P<num>\d{1,4})\b[.:]?\s*(?P<rest>.*)$")
ARENDE_LABEL = re.compile(
    rf"^(?:Ärende|ÄRENDE)\s+(?:nr\.?\s*)?(?P<num>\d{{1,3}}){_YEAR}\b[.:)]?\s*[–-]?\s*(?P<rest>.*)$"
)
# "Punkt 7", and its abbreviation "Pkt 7." / "Pkt. 7" (as minutes typed in a hurry write it)
PUNKT_WORD = r"(?:[Pp]unkt|PUNKT|[Pp]kt\.?|PKT\.?)"
PUNKT_LABEL = re.compile(
    rf"^(?:{PUNKT_WORD}|Item|ITEM)\s+(?P<num>\d{{1,3}}){_YEAR}\b[.:)]?\s*[–-]?\s*(?P<rest>.*)$"
)
NUMBERED = re.compile(r"^(?P<num>\d{1,2})\s?[.)]\s*(?P<rest>[A-ZÅÄÖÉ”\"].*)$")
BARE_NUMBERED = re.compile(r"^(?P<num>\d{1,2})\s+(?P<rest>[A-ZÅÄÖ][a-zåäöé].*)$")
# "IV. Föregående protokoll", "Punkt IV. …", "§ IV …": a roman numeral up to 39 (I, V, X)
_R = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
ROMAN_LABEL = re.compile(
    rf"^(?:(?:{PUNKT_WORD}|Ärende|ÄRENDE|§)\s*(?P<r1>{_R})[.):]?\s+|(?P<r2>{_R})[.)]\s+)"
    r"(?P<rest>[A-ZÅÄÖ].*)$"
)
# "Val av justerare  § 52", "Budget 2025  Ks § 118", "BUDGET 2025 (§ 14)": the label set at
# the right margin, or after the title in brackets (an organ's short name may go before it)
TRAILING_LABEL = re.compile(
    r"^(?P<rest>[A-ZÅÄÖ][^.§:;()]{1,80}?)\s+\(?(?:[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,4}\s+)?"
    r"§\s?(?P<num>\d{1,4})\)?$"
)
_ROMAN = {"I": 1, "V": 5, "X": 10}


def roman(numeral: str) -> int:
    """The value of a roman numeral of I, V and X ("IV" -> 4), 0 for an empty one."""
    total = 0
    for k, ch in enumerate(numeral):
        value = _ROMAN[ch]
        after = _ROMAN[numeral[k + 1]] if k + 1 < len(numeral) else 0
        total += -value if value < after else value
    return total


# A case reference written beside or under an item label ("§ 82 ⇥ Dnr 2023/14"): never a title.
REFERENCE = re.compile(
    r"^(?:Dnr|Dnr\.|Diarienr\.?|Diarienummer|Diarie-?nr|Ärendenr\.?|Ärendenummer|Beteckning"
    r"|Vår beteckning|Ert dnr|Vårt dnr)\b\s*:?\s*(?:[A-ZÅÄÖ]{1,8}\s+)?\S*\d",
    re.I,
)
BLOCK_LABEL = re.compile(
    rf"^(?:{DECISION_HEADING}|Beslutsförslag|Förslag till beslut|Handling(?:ar)?"
    r"|Kopia(?: till)?|Expedieras|Bakgrund|Ärendebeskrivning|Ärendet|Yrkanden?|Reservation"
    r"|Protokollsanteckning|Sammanfattning(?: av ärendet)?|Beskrivning av ärendet)\b\s*"
    r"(?:\([^)]*\))?\s*:?$",
    re.I,
)
DECISION_INTRO = re.compile(
    r"\b(?:beslutar|beslöt|beslutade|beslutas|föreslås besluta|föreslår|föreslås)\s*(?:att)?\s*:?$",
    re.I,
)

# The letters of names written in Sweden: Swedish, and the Latin letters of names from
# elsewhere ("Dragan Petrović", "Ayşe Yılmaz", "José Núñez", "Zoran Đorđević").
_UPPER = "A-ZÅÄÖÉÈÜØÆÁÍÓÚÑÇČĆŠŽĐŁŞĞİÂÊÎÔÛËÏÝŐŰÃÕŘŤĎŇĚŮ"
_LOWER = "a-zåäöéèüøæßáíóúñçčćšžđłşğıâêîôûëïýőűãõřťďňěů"
NAME_TOKEN = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)?"
NAME = re.compile(rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}}")
NAME_TOKEN_RE = re.compile(rf"^{NAME_TOKEN}$")

ISO_DATE = re.compile(r"(?<![\d-])(20\d\d|19\d\d)-(\d{1,2})-(\d{1,2})(?![\d-])")
TIME_RANGE = re.compile(
    r"(?:\bkl(?:ockan)?\.?\s*|\btid:?\s*|^)(\d{1,2})[.:](\d{2})"
    r"(?:\s*(?:-|–|—|till)\s*(\d{1,2})[.:](\d{2}))?",
    re.I,
)
WORD = re.compile(r"\w+", re.U)


@dataclass(frozen=True, slots=True)
class Line:
    """One cleaned paragraph (or list item, heading) with the page(s) it lies on."""

    text: str
    page: int
    last_page: int


def is_list_item(text: str) -> bool:
    return bool(LIST_ITEM.match(text))


def strip_bullet(text: str) -> str:
    """The text of a list item without its marker ("- Att …" -> "Att …")."""
    return BULLET.sub("", text, count=1).strip()


def ends_sentence(text: str) -> bool:
    t = text.rstrip(" \"'”’»)]")
    return bool(t) and t[-1] in ".!?:;"


def last_word(text: str) -> str:
    parts = text.rsplit(None, 1)
    return parts[-1] if parts else ""


def words(text: str) -> list[str]:
    return WORD.findall(text)


def norm_space(text: str) -> str:
    return " ".join(text.split())


def is_name(text: str) -> bool:
    """A person's name: two to four capitalised words ("Britt-Marie Enholm Gahnström")."""
    return bool(NAME.fullmatch(text.strip()))


def take_name(text: str) -> str | None:
    """The person's name at the start of text ("Ann Rilegård DocuSigned by: …" -> "Ann Rilegård")."""
    tokens: list[str] = []
    for tok in text.strip().lstrip(":–-—. ").split():
        bare = tok.rstrip(",.;:")
        if not NAME_TOKEN_RE.match(bare) or len(tokens) == 4:
            break
        if tokens and bare == tokens[0]:  # "Ann Rilegård Ann Rilegård": the name repeated
            break
        tokens.append(bare)
        if bare != tok:
            break
    return " ".join(tokens) if len(tokens) >= 2 else None


_ABBREV_END = re.compile(
    r"(?:\b\w\.(?:\w\.)+|\b(?:ca|kl|nr|resp|jfr|dvs|inkl|exkl|milj|tkr|mkr|bl|st|tel|fr|ev)\.)$",
    re.I,
)
_HYPHEN_END = re.compile(r"(\w+)-$")
_KEEP_HYPHEN_NEXT = frozenset({"och", "eller", "samt", "respektive", "resp", "till", "som", "men"})
# A förbund or region name wrapped over two lines ("… Samordningsförbundet" / "Umeåregionen").
_NAME_TAIL = re.compile(
    r"(?:[Ss]amordningsförbund(?:et)?|förbundet|Region|Regionen|Norra|Södra|Västra|Östra"
    r"|Centrala|Mellersta|Nordvästra|Sydöstra|Nationella|Nätverket)$"
)
_NAME_HEAD = re.compile(r"^[Ss]amordningsförbund\w*(?: \S+)?$")
_NOT_NAME_PART = re.compile(
    r"protokoll|datum|kallelse|sammanträde|anteckningar|dagordning|föredragningslista|^sida|styrelse"
    r"|^(?:underskrift|beslut|ersättare|justera|plats|tid\b|organ|paragraf|närvar|frånvar|innehåll"
    r"|bakgrund|handling|ärende|övriga|sekreterare|ordförande|kopia|bilaga)",
    re.I,
)


_NUMBER_END = re.compile(r"(?<![\d.,:/§-])(?<!§ )\d{1,3}$")
_THOUSANDS_ON = re.compile(
    r"^\d{3}(?:[ \u00a0]\d{3})*(?:,\d+)?(?:\s*(?:kr|kronor|tkr)\b|[ .,;)]|$)"
)


def continues(prev: str, nxt: str, *, names: bool = True) -> bool:
    """Whether line ``nxt`` continues the paragraph ending with line ``prev`` (a wrapped line).

    ``names`` allows re-joining a förbund name wrapped after "Samordningsförbundet"; off at a
    page break, where a short capitalised line is more likely a new document's letterhead.
    """
    if not prev or not nxt:
        return False
    first = nxt[0]
    if is_list_item(nxt) or is_label(nxt):
        return False
    tail = prev[-40:]
    last = tail[-1]
    if last == "-" and len(tail) > 1 and tail[-2].isalnum():
        return True  # "Försäk-" / "ringskassan", "läns-" / "Samordningsförbund"
    if tail.endswith((" -", " –", " —")):
        return first.islower()  # "årliga NAFS –" / "seminarier"
    if ends_sentence(tail):
        return first.islower() and bool(_ABBREV_END.search(tail))
    if len(prev) < 40 and BLOCK_LABEL.match(prev):
        return False
    if (
        first in "aA"
        and nxt[:4].lower() == "att "
        and (DECISION_INTRO.search(tail) or prev[:4].lower() == "att ")
    ):
        return False
    if first.islower():
        return True
    if last_word(tail).lower() in FUNCTION_WORDS:
        return True
    if (
        names
        and first.isupper()
        and nxt.count(" ") <= 1
        and "," not in nxt
        and (_NAME_TAIL.search(tail) or (_NAME_HEAD.match(nxt) and _genitive(last_word(tail))))
        and not _NOT_NAME_PART.search(nxt)
    ):
        return True
    if BARE_NUMBERED.match(nxt):
        return False  # "5 Internkontrollplan 2025": a numbered heading, not "… om⏎12 000 kr"
    if _NUMBER_END.search(tail) and _THOUSANDS_ON.match(nxt):
        return True  # a number broken by the wrap: "… av sökta 450⏎000 kr"
    if first.isdigit() or first == "(":
        return prev.count(" ") >= 5 and (last.islower() or last == ",")
    return False


def _genitive(word: str) -> bool:
    """A capitalised genitive ("Västmanlands", "Göteborgs") that precedes "Samordningsförbund"."""
    return len(word) > 3 and word[0].isupper() and word.endswith("s")


def join(prev: str, nxt: str) -> str:
    """``prev`` and its continuation ``nxt`` as one line, re-joining hyphenated words."""
    m = _HYPHEN_END.search(prev[-40:]) if prev.endswith("-") else None
    if m and not prev.endswith(" -"):
        fragment = m.group(1)
        head = nxt.split(None, 1)[0] if nxt.split() else ""
        keep = (
            not nxt[0].islower()
            or fragment.isdigit()
            or fragment.isupper()
            or fragment.lower() in MONTH_ABBR
        )
        if head.lower().strip(",.") in _KEEP_HYPHEN_NEXT:
            return f"{prev} {nxt}"
        return prev + nxt if keep else prev[:-1] + nxt
    if prev.endswith(("–", "—")) and not prev[:-1].endswith(" ") and nxt[:1].isalnum():
        return prev + nxt  # a range or a compound broken at its dash ("januari–⏎juni")
    if nxt[:1] in ",;" and not prev.endswith((",", ";")):
        return prev + nxt  # a line broken before its comma ("verksamhetsutvecklare⏎, § 34")
    return f"{prev} {nxt}"


def is_label(text: str) -> bool:
    """Whether ``text`` opens with an item label ("§ 12", "12 §", "Ärende 3", "Punkt 7")."""
    return bool(
        PARAGRAF_LABEL.match(text)
        or PARAGRAF_AFTER.match(text)
        or ARENDE_LABEL.match(text)
        or PUNKT_LABEL.match(text)
    )


def merge_word_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans clipped to the text, widened to whole words, overlapping ones merged, sorted."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        a, b = max(0, a), min(len(text), b)
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        while b < len(text) and not text[b].isspace():
            b += 1
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]
