"""Facts in the text of an item: amounts (kronor, promille, procent), dates, organisations.

All functions are pure and work on any text. Kronor need a currency word or unit ("kr",
"tkr", "mkr", "miljoner" …): bare numbers (years, § numbers, counts, times) are never amounts.
"""

from __future__ import annotations

import datetime as dt
import re

from corpus.model import PER_CAPITA, Amount
from ingest.vocab import MONTH_NUMBER

# thousands separators: space, no-break/thin space, full stop, and a line break where a wrapped
# line broke the number ("ett överskott om 310⏎000 kr")
_SEP = r"(?:[ \u00a0\u202f\u2009.]|[ \t]*\n[ \t]*)"
_NUM = rf"(?:\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)(?:,\d+|:\d\d(?!\d))?"  # "1:75 kr" is 1,75
_KR = r"(?:\s+(?:kronor|kr)\b)?"
# unit (lower case, spaces collapsed) -> (multiplier, Amount.unit); longest alternatives first
_UNITS = (
    (rf"miljarder{_KR}|miljard{_KR}|mdkr|mdr\s+kr", 1e9, "kr"),
    (rf"miljoner{_KR}|miljon{_KR}|mnkr|mkr|msek|mn\s+kr|milj\.?\s*kr", 1e6, "kr"),
    (r"tusen\s+kronor|tusen\s+kr|tkr|tsek|ksek", 1e3, "kr"),
    (r"kronor|krona|kr|sek|:-", 1.0, "kr"),
    (r"öre", 0.01, "kr"),
    (r"promille|‰", 1.0, "promille"),
    (r"procent|%", 1.0, "procent"),
)
_UNIT = "|".join(f"(?P<u{i}>{pattern})" for i, (pattern, _, _) in enumerate(_UNITS))
_AMOUNT = re.compile(
    rf"(?=[-−\d])(?<![\w.,:/§])(?<!\d[-–])(?<!§\s)"
    rf"(?:(?P<lo>{_NUM})(?:[-–—]|[ \t]+(?:till|och)[ \t]+))?"
    rf"(?P<sign>[-−][ \t]?)?(?P<num>{_NUM})\s{{0,4}}(?:{_UNIT})(?![\wåäöÅÄÖ])",
    re.I,
)
_WORD_NUMBERS = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6,
                 "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "halv": 0.5}  # fmt: skip
_WORD_UNIT = re.compile(r"(promille|procent|miljon(?:er)?|miljard(?:er)?)(?![\wåäö])")  # lower
_WORD_BEFORE = re.compile(r"(?<![\wåäö])(en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|halv)\s+$")
# "10 miljoner invånare" is a count, not money
_NOT_MONEY = re.compile(
    r"\s*(invånare|människor|personer|individer|deltagare|kvinnor|män|barn|unga|timmar|år\b"
    r"|besök|ärenden|euro|dollar|ton|liter|km)",
    re.I,
)
_UNIT_HINTS = ("kr", "%", "promille", "procent", "milj", "sek", ":-", "‰", "mdr", "öre")
_WORD_HINTS = ("promille", "procent", "miljon", "miljard")
_UNIT_WORDS = frozenset({"kr", "kronor", "tkr", "mkr", "mnkr", "sek", "%", "procent", "promille"})


# A fee per resident ("2,50 kr per invånare", "2 kr/inv.", "50 öre per kommuninvånare") has its
# own unit (corpus.model.PER_CAPITA), so that 2,5 kr a resident is not read as 2,5 kr in all.
_PER_CAPITA = re.compile(r"[ \t]*(?:per|/)[ \t]*(?:kommun)?inv(?:ånare|\.|(?![\wåäö]))", re.I)


def _number(raw: str) -> float:
    return float(re.sub(_SEP, "", raw).replace(",", ".").replace(":", "."))


def _year_like(raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100


def _negative(text: str, m: re.Match[str]) -> bool:
    """A minus sign in accounts ("-572 tkr", "kostnader: - 3 141 tkr"), not a dash or bullet."""
    sign = m.group("sign")
    if not sign or m.group("lo"):
        return False
    before = text[: m.start("sign")].rstrip(" \t")
    prev = before[-1:] or "\n"
    if sign.strip() == sign:  # attached: "-474 tkr", but "20 tkr-62 tkr" is a range
        last = before.split()[-1].lower() if before.split() else ""
        return prev.isspace() or prev == "\n" or not (last[-1:].isdigit() or last in _UNIT_WORDS)
    return prev in ":(="  # "kostnader: - 3 141 tkr"; "\n- 120 tkr" is a bullet


def find_amounts(text: str) -> tuple[Amount, ...]:
    """Amounts in text: kronor (value in kr), kronor per resident (``PER_CAPITA``), promille
    and procent, in text order.

    "147 424 kr", "120 tkr", "- 3 141 tkr" (accounts), "ca 9 miljoner", "1,5 mkr", "3,5 promille",
    "25 %", "50 öre", "1:75 kr"; "2,50 kr per invånare" and "2 kr/inv." are per resident (the
    text keeps "per invånare"); a range "20 tkr-62 tkr" or "20-62 tkr" gives both ends.
    """
    found: list[tuple[int, Amount]] = []
    lower = text.lower()
    if not any(unit in lower for unit in _UNIT_HINTS):
        return ()
    for m in _AMOUNT.finditer(text):
        i = next(i for i in range(len(_UNITS)) if m.group(f"u{i}") is not None)
        _, mult, unit = _UNITS[i]
        unit_text = m.group(f"u{i}").lower()
        if unit_text.startswith(("miljon", "miljard")) and _NOT_MONEY.match(text, m.end()):
            continue
        start = m.start("sign") if m.group("sign") and _negative(text, m) else m.start("num")
        value = _number(m.group("num")) * mult
        if start != m.start("num"):
            value = -value
        end = m.end()
        if unit == "kr" and (per := _PER_CAPITA.match(text, end)):
            unit, end = PER_CAPITA, per.end()
        lo = m.group("lo")
        if lo and not _year_like(lo):
            found.append((m.start(), Amount(_number(lo) * mult, unit, text[m.start() : end])))
            start = m.start()
        elif lo:
            start = m.start("num")
        found.append((start, Amount(value, unit, text[start:end].strip())))
    for m in _WORD_UNIT.finditer(lower) if any(w in lower for w in _WORD_HINTS) else ():
        word = _WORD_BEFORE.search(lower, max(0, m.start() - 12), m.start())
        u = m.group(1)
        if word is None or (u.startswith("milj") and _NOT_MONEY.match(text, m.end())):
            continue  # "9 miljoner" is found above; "tre miljoner invånare" is no money
        base = _WORD_NUMBERS[word.group(1)]
        end = m.end()
        if u.startswith("miljon") and (kr := re.match(r"\s+(kronor|kr)\b", lower[end:])):
            end += kr.end()
        value = base * (1e6 if u.startswith("miljon") else 1e9 if u.startswith("miljard") else 1)
        unit = u if u in ("promille", "procent") else "kr"
        found.append((word.start(), Amount(float(value), unit, text[word.start() : end])))
    found.sort(key=lambda p: p[0])
    return _per_capita_pairs(text, found)


_PAIRED = re.compile(r"\s*(?:till|eller|[-–—])\s*", re.I)


def _per_capita_pairs(text: str, found: list[tuple[int, Amount]]) -> tuple[Amount, ...]:
    """Amounts in order; an amount in kronor of the same order paired with the per-resident
    amount right after it ("från 1,50 kr till 2,50 kr per invånare", "1 kr eller 2 kr per
    invånare") is per resident too; "12 000 kr och 2 kr per invånare" are two things."""
    out = [a for _, a in found]
    for i in range(len(out) - 2, -1, -1):
        (start, a), b = found[i], out[i + 1]
        end = start + len(a.text)
        between = text[end : found[i + 1][0]]
        alike = 0 < a.value <= 10 * b.value and b.value <= 10 * a.value
        if a.unit == "kr" and b.unit == PER_CAPITA and alike and _PAIRED.fullmatch(between):
            out[i] = Amount(a.value, PER_CAPITA, a.text)
    return tuple(out)


# --- dates ------------------------------------------------------------------------------------

_MONTH = "|".join(sorted(MONTH_NUMBER, key=len, reverse=True))
_WEEKDAY = r"måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|mån|tis|ons|tors|fre|lör|sön"
_DATE = re.compile(
    r"(?=\d)(?:(?<![\d\w])(?P<iy>\d{4})(?P<isep>[-./])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})"
    r"(?![\d])"
    rf"|(?<![\d\w])(?P<td>\d{{1,2}})(?::a|:e)?\s+(?P<tm>{_MONTH})\.?(?:\s+(?P<ty>\d{{4}}))?"
    r"(?![\wåäö])"
    r"|(?<![\d\w/.,-])(?P<sd>\d{1,2})[/.](?P<sm>\d{1,2})"
    # with its year a date may end a clause ("den 3/3 2025, kl. 9.00"); without, "3/4,5" is
    # no date
    r"(?:(?:(?:\s+|[-.])(?P<sy>\d{4})|-(?P<sy2>\d{2}))(?![\d/]|\.\d)|(?![\d/,]|\.\d)))",
    re.I,
)
_BEFORE_SHORT = re.compile(
    rf"(?:\bden|\b(?:{_WEEKDAY})(?:en)?|[;,]|fr\s?o\s?m|t\s?o\s?m)\s*$", re.I
)


def _iso(year: int, month: int, day: int) -> str | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def dated(text: str, *, default_year: int | None = None) -> list[tuple[int, str]]:
    """(offset, ISO date) of every date written in text, in order: "2023-11-02",
    "2 december 2021", "28/9 2023", "15.6.2023", "3/10-2024", "3/10-24" (20xx); a date
    without a year ("den 24 november", "den 4/5") only with default_year, a short one only
    where a date is listed ("den 4/5", "4/5;"): "2/3 av förbunden" is a fraction. Impossible
    dates are skipped. The one reader of dates in text: the meeting's date is read by it too
    (ingest.meeting)."""
    out: list[tuple[int, str]] = []
    if not any(ch.isdigit() for ch in text):
        return out
    for m in _DATE.finditer(text):
        if m.group("iy"):
            iso = _iso(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        elif m.group("tm"):
            year = int(m.group("ty")) if m.group("ty") else default_year
            month = MONTH_NUMBER[m.group("tm").lower()]
            iso = _iso(year, month, int(m.group("td"))) if year else None
        else:
            if m.group("sy"):
                short_year = int(m.group("sy"))
            elif m.group("sy2"):
                short_year = 2000 + int(m.group("sy2"))
            else:
                after = text[m.end() : m.end() + 1]
                listed = after == ";" or _BEFORE_SHORT.search(
                    text[max(0, m.start() - 12) : m.start()]
                )
                if default_year is None or not listed:
                    continue  # "2/3 av förbunden" is a fraction, not a date
                short_year = default_year
            iso = _iso(short_year, int(m.group("sm")), int(m.group("sd")))
        if iso:
            out.append((m.start(), iso))
    return out


def find_dates(text: str, *, default_year: int | None = None) -> tuple[str, ...]:
    """ISO dates mentioned in text (see ``dated``), in order, each once."""
    return tuple(dict.fromkeys(d for _, d in dated(text, default_year=default_year)))


def find_organisations(text: str) -> tuple[str, ...]:
    """Canonical names of the organisations named in text (förbund, NNS, Försäkringskassan,
    Arbetsförmedlingen, regions, kommuner, Länsstyrelsen, KPMG, SKR …), each once, in order."""
    from ingest.orgs import organisations

    return organisations(text)
