"""Page furniture: page numbers, signature footers and running headers found by repetition.

Works on the raw lines of all pages at once (``RawLine``, mutated in place by ``mark``):

- page-number lines ("Sida 3 (9)", "Sida 2 av 4", "1 (xx)", "- 3 -"), signature footers
  ("Utdragsbestyrkande", "Justerandes sign") and notes that an item goes on from the page
  before ("§ 47 (forts.)") are furniture wherever they stand;
- running headers/footers of a multi-page file: lines in the top or bottom zone of most pages
  with the same text once page numbers are blanked out;
- repeated header blocks anywhere (single-page text exports, or headers that landed in the
  middle of a page): runs of short lines that all occur elsewhere too, anchored by a date, a
  page number or a document word ("Sammanträdesprotokoll", "… Samordningsförbund").

The first occurrence of a running header keeps its text (minus the page number): it is the
document's letterhead and names the förbund and date. A running footer's first occurrence
stands after the first page's text, inside an item: it is removed too, and kept as evidence
of the förbund (``RawLine.running``). Every later occurrence is removed and
marks a page break for single-page exports (``RawLine.brk``), with the printed page number
when the block held one.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.lines import (
    ARENDE_LABEL,
    BLOCK_LABEL,
    LIST_ITEM,
    NUMBERED,
    PARAGRAF_AFTER,
    PARAGRAF_LABEL,
    PUNKT_LABEL,
    continues,
)
from ingest.vocab import DECISION_HEADING, MONTH

_DECISION_HEAD = re.compile(rf"^{DECISION_HEADING}\s*:?$", re.I)

TEXT, BLANK, HARD, FURN = 0, 1, 2, 3

_PN = r"(?:\d{1,4}|x+)"
PAGE_LINE = re.compile(
    r"^(?:(?:sida|sid\.?|s\.|page)\s*(?P<a>\d{1,4})(?:\s*(?:\(\s*" + _PN + r"\s*\)|(?:av|of|/)\s*"
    r"\d{1,4}))?|(?P<b>\d{1,4})\s*\(\s*" + _PN + r"\s*\)|(?P<c>\d{1,4})\s*(?:av|of)\s*\d{1,4}"
    r"|[-–]\s*(?P<d>\d{1,4})\s*[-–]|sida|sid\.?|page)$",
    re.I,
)
TRAILING_PAGE = re.compile(
    r"\s+(?:(?:sida|sid\.?)\s*(?P<a>\d{1,4})(?:\s*(?:\(\s*" + _PN + r"\s*\)|(?:av|/)\s*\d{1,4}))?"
    r"|(?P<b>\d{1,4})\s*\(\s*" + _PN + r"\s*\)|[-–]\s*(?P<c>\d{1,4})\s*[-–])$",
    re.I,
)
LEADING_PAGE = re.compile(
    r"^(?:sida|sid\.?)\s*(?P<a>\d{1,4})(?:\s*(?:\(\s*" + _PN + r"\s*\)|(?:av|/)\s*\d{1,4}))?\s+",
    re.I,
)
BARE_NUMBER = re.compile(r"^\d{1,3}$")
FOOTER = re.compile(
    r"^(?:(?:utdragsbestyrkande|(?:justerandes|justerares|ordförandes|sekreterarens|sekreterares"
    r"|ordf\.?|just\.?)\s*sign(?:atur|\.)?(?:er)?|signatur(?:er)?|justerare\s*:?\s*_+|sign\.?)"
    r"[\s:_./|]*)+$",
    re.I,
)
# A page's note that an item goes on from the page before, or on the next one: "§ 47 (forts.)",
# "Forts. § 47", "Ärende 5, forts.", "forts. nästa sida"
_FORTS = r"(?:forts(?:\.|ättning)?|fortsättning)"
CONTINUED = re.compile(
    rf"^(?:\(?{_FORTS}\)?[\s.:,–-]*(?:(?:§\s?\d{{1,4}}|(?:ärende|punkt|pkt\.?)\s+\d{{1,3}})\b)?"
    rf"|(?:§\s?\d{{1,4}}|\d{{1,4}}\s?§|(?:ärende|punkt|pkt\.?)\s+\d{{1,3}})[\s,.:–-]*\(?{_FORTS}\)?"
    rf"|\(?{_FORTS}\.? (?:på |från )?(?:nästa|föregående) sida\)?)[\s.:]*$",
    re.I,
)
_KEY_NOISE = re.compile(
    r"\bsida\b\s*(?:\d{1,4}(?:\s*(?:\(\s*" + _PN + r"\s*\)|(?:av|/)\s*\d{1,4}))?)?"
    r"|(?<![\w-])\d{1,4}\s*\(\s*" + _PN + r"\s*\)|(?<![\w.,:-])\d{1,3}(?![\w.,:-])",
    re.I,
)
ANCHOR = re.compile(
    r"\d{4}-\d\d-\d\d|protokoll|sammanträde|kallelse|föredragningslista|anteckningar|datum|sida"
    rf"|förbund|dnr|diarie|\d{{1,2}} {MONTH}",
    re.I,
)
HEADER_ANCHOR = re.compile(
    rf"\d{{4}}-\d\d-\d\d|\d{{1,2}} {MONTH} \d{{4}}",
    re.I,
)
HEADER_WORD = re.compile(
    r"protokoll|sammanträde|kallelse|föredragningslista|anteckningar|datum|sida", re.I
)
LONE_ANCHOR = re.compile(
    r"^(?:\d{4}-\d\d-\d\d|\S+ .*förbund\w*|.*förbund\w* \S+|.*protokoll\w*)$", re.I
)
# A line that opens a protocol's sign-off: signatures, the posting notice (anslag/bevis), a web
# page's download link. What follows it up to the next document is furniture, never an item.
# The place and "the day above" before the signatures: "Sundsvall dag som ovan".
_DAY_ABOVE = r"(?:[A-ZÅÄÖ][\wåäö-]+\s+)?(?:dag|datum|dagen) som ovan"
# Signing by e-signature: "Protokollet justeras digitalt.", "Detta dokument har signerats
# elektroniskt", and the verification page the signing service appends ("Verifikat" alone).
_E_SIGNED = (
    r"(?:Protokollet|Dokumentet|Detta (?:protokoll|dokument))\s+(?:justeras|har justerats"
    r"|är justerat|justerades|signeras|har signerats|är signerat|signerades|undertecknas"
    r"|har undertecknats|är undertecknat)\s+(?:digitalt|elektroniskt)"
    r"|(?:Justering|Signering)(?:en)?\s+(?:sker|görs)\s+(?:digitalt|elektroniskt)"
    r"|Verifikat\s*$"
)
SIGNOFF = re.compile(
    r"^(?:Vid protokollet|Vid anteckningarna|Justeras|Justerat|Justering|Underskrift(?:er)?"
    r"|Signaturer|ANSLAG(?:\s*/\s*BEVIS)?|BEVIS|Anslagsbevis|Protokollet (?:är )?justerat"
    r"|Protokollet justerades|Ladda ner|Ordförande|Sekreterare|Justerare|Justerande"
    rf"|{_DAY_ABOVE}|{_E_SIGNED})\b",
    re.I,
)
# A web page's note of when it was published or last changed, under the protocol it shows
# ("Sidan uppdaterades: 2025-05-23", "Senast uppdaterad 3 april 2025", "Senast redigerad av X
# 2025-10-14"): the page's content ends there, and what follows (related pages, contact boxes)
# is the site's.
PAGE_UPDATED = re.compile(
    r"^(?:Sidan\s+(?:senast\s+)?(?:uppdaterades|uppdaterad|ändrades|ändrad|granskades|granskad)"
    r"|Senast\s+(?:uppdaterad|ändrad|granskad|redigerad|sparad))\b\s*:?\s*"
    # a wiki page says who ("Senast redigerad av Reza Tehrani 2025-10-14")
    r"(?:av\s+(?:[A-ZÅÄÖ][\w-]+\s+){1,3})?(?:den\s+)?"
    rf"(?:\d{{4}}-\d\d-\d\d|\d{{1,2}}\s+{MONTH}\s+\d{{4}})",
    re.I,
)
# A blog post's meta line under the protocol it shows (WordPress and its kin: "Publicerat i
# Protokoll", "Kategorier: Protokoll, Styrelsen", "Detta inlägg publicerades i …", "Arkiverat
# under: …", "Etiketter: …", "Lämna en kommentar"): the post's content ends there too.
ENTRY_META = re.compile(
    r"^(?:(?:Publicerat|Publicerad|Postat|Postad|Upplagt|Upplagd|Arkiverat|Arkiverad|Sparat"
    r"|Sparad)\s+(?:i|under)\b(?!.*[.!?]\s+\S).{0,80}$"
    r"|(?:Kategori|Kategorier|Etiketter|Taggar|Taggad med|Märkt med|Ämnen)\s*:.{0,120}$"
    r"|Detta inlägg (?:publicerades|postades|skrevs)\b"
    r"|Lämna en kommentar\b)",
    re.I,
)
# The place and date of signing on a line of their own ("Malung 2024-09-26", "Umeå den 5 mars
# 2025"): a sign-off when signatures follow it.
PLACE_DATE = re.compile(
    rf"^[A-ZÅÄÖ][\wåäö-]+(?:\s[A-ZÅÄÖ][\wåäö-]+)?,?\s+(?:den\s+)?"
    rf"(?:\d{{4}}-\d\d-\d\d|\d{{1,2}}\s+{MONTH}\s+\d{{4}})\s*$",
    re.I,
)
_ROLES = r"(?:\s+(?:Sekreterare|Ordförande|Justerare|Justerande|Paragrafer))*"
SIGNOFF_STRICT = re.compile(  # also inside the last item's text
    rf"^(?:Underskrift(?:er)?|ANSLAG(?:\s*/\s*BEVIS)?|Anslagsbevis){_ROLES}\s*:?$"
    r"|^(?:Vid protokollet|Vid anteckningarna|Justeras)\b"
    rf"|^(?:{_DAY_ABOVE}|{_E_SIGNED})\b",
    re.I,
)
ZONE = 3  # lines at the top and bottom of a page that may be running header/footer


class RawLine:
    """A raw line of one page while cleaning; ``kind`` is TEXT, BLANK, HARD or FURN."""

    __slots__ = ("text", "kind", "empty", "page_no", "brk", "ends_page", "running")

    def __init__(self, text: str, kind: int, empty: bool = False) -> None:
        self.text = text
        self.kind = kind
        self.empty = empty  # a strictly empty line in the source (page-break evidence)
        self.page_no: int | None = None  # printed page number carried by this furniture
        self.brk = False  # a page starts at this line (single-page exports)
        self.ends_page = False  # a page ends after this line (signature footer)
        self.running = False  # the first of a running footer: furniture, kept as evidence


def page_number(text: str) -> tuple[bool, int | None]:
    """Whether a whole line is a page number, and the number when it states one."""
    m = PAGE_LINE.match(text)
    if not m:
        return False, None
    num = next((g for g in m.group("a", "b", "c", "d") if g), None)
    return True, int(num) if num else None


def strip_page_number(text: str) -> tuple[str, int | None]:
    """Text without a leading or trailing page number ("2023-11-02 1 (9)" -> "2023-11-02")."""
    for pattern in (TRAILING_PAGE, LEADING_PAGE):
        m = pattern.search(text)
        if m:
            groups = m.groupdict()
            num = groups.get("a") or groups.get("b") or groups.get("c")
            return (text[: m.start()] + text[m.end() :]).strip(), int(num) if num else None
    return text, None


def header_key(text: str) -> str:
    """The text of a line with page numbers blanked out, for comparing running headers."""
    return " ".join(_KEY_NOISE.sub(" ", text.casefold()).split())


def _headerish(text: str) -> bool:
    if len(text) > 90 or text[-1] in ".,;" or text.lower().startswith("att "):
        return False
    n = text.count(" ") + 1
    if n > 10:
        return False
    return not (
        LIST_ITEM.match(text)
        or PARAGRAF_LABEL.match(text)
        or PARAGRAF_AFTER.match(text)
        or _DECISION_HEAD.match(text)
        or ARENDE_LABEL.match(text)
        or PUNKT_LABEL.match(text)
        or NUMBERED.match(text)
    )


def mark(pages: list[list[RawLine]]) -> list[str]:
    """Mark furniture in place; returns the learned header phrases (for in-line removal)."""
    for lines in pages:
        for ln in lines:
            if ln.kind != TEXT:
                continue
            is_pn, num = page_number(ln.text)
            if is_pn:
                ln.kind, ln.page_no = FURN, num
            elif FOOTER.match(ln.text):
                ln.kind, ln.ends_page = FURN, True
            elif CONTINUED.match(ln.text):
                ln.kind = FURN
            else:
                stripped, num = strip_page_number(ln.text)
                if num is not None and stripped:
                    ln.text, ln.page_no = stripped, num
                    if FOOTER.match(stripped):  # "Justerandes sign   Sida 2 av 4" on one row
                        ln.kind, ln.ends_page = FURN, True
    if len(pages) >= 2:
        _mark_zones(pages)
    flat = [ln for lines in pages for ln in lines]
    return _mark_blocks(flat)


def _mark_zones(pages: list[list[RawLine]]) -> None:
    """Running headers/footers of a multi-page file: the same line at the top (or bottom) of
    most pages, once page numbers are blanked out.

    Only header-like lines count (not item labels, list items, "Att …" clauses or sentences),
    and a line without a date, page number or document word must be on nearly every page:
    an item title or "Beslut" that happens to open two pages is not a running header.
    """
    tops: list[list[RawLine]] = []
    bottoms: list[list[RawLine]] = []
    for lines in pages:
        text_lines = [ln for ln in lines if ln.kind in (TEXT, FURN)]
        for edge in (text_lines[:1], text_lines[-1:]):  # a bare page number at the page edge
            for ln in edge:
                if ln.kind == TEXT and BARE_NUMBER.match(ln.text):
                    ln.kind, ln.page_no = FURN, int(ln.text)
        tops.append([ln for ln in text_lines[:ZONE] if _zone_line(ln)])
        bottoms.append([ln for ln in text_lines[-ZONE:] if _zone_line(ln) and ln not in tops[-1]])
    n = len(pages)
    for zones in (tops, bottoms):
        pages_with: Counter[str] = Counter()
        anchored: set[str] = set()
        for zone in zones:
            keys = set()
            for ln in zone:
                key = header_key(ln.text)
                keys.add(key)
                if ln.page_no is not None or _anchored(ln) or LONE_ANCHOR.match(ln.text):
                    anchored.add(key)
            pages_with.update(keys)
        running = {
            k
            for k, c in pages_with.items()
            if k and c >= (_need_anchored(n) if k in anchored else _need_plain(n))
        }
        seen: set[str] = set()
        for zone in zones:
            for ln in zone:
                key = header_key(ln.text)
                if key not in running:
                    continue
                if key in seen or FOOTER.match(ln.text):
                    ln.kind = FURN
                    continue
                seen.add(key)
                ln.text = strip_page_number(ln.text)[0] or ln.text
                if zones is bottoms:  # the first page's footer stands after its text, not atop
                    ln.kind, ln.running = FURN, True


def _zone_line(ln: RawLine) -> bool:
    return ln.kind == TEXT and _headerish(ln.text) and not BLOCK_LABEL.match(ln.text)


def _need_anchored(n: int) -> int:
    return n if n <= 2 else max(2, (n + 1) // 2)


def _need_plain(n: int) -> int:
    return n if n <= 3 else max(3, (4 * n + 4) // 5)


def _mark_blocks(flat: list[RawLine]) -> list[str]:
    """Repeated header blocks anywhere in the text; returns their phrases (in line order)."""
    keys: list[str | None] = [None] * len(flat)
    for i, ln in enumerate(flat):
        if ln.kind == TEXT and _headerish(ln.text):
            keys[i] = header_key(ln.text) or None
    counts = Counter(k for k in keys if k)
    # A line that continues the line before it is a wrapped tail, not a lone header line;
    # only lines repeated three times or more can be lone headers, so only they are checked.
    wrapped = [False] * len(flat)
    prev: str | None = None
    for i, ln in enumerate(flat):
        if ln.kind == TEXT:
            key = keys[i]
            if key and counts[key] >= 3 and prev is not None:
                wrapped[i] = continues(prev, ln.text)
            prev = ln.text
        elif ln.kind == HARD:
            prev = None
    alone = Counter(k for k, w in zip(keys, wrapped, strict=True) if k and not w)
    seen: set[str] = set()
    phrases: list[str] = []
    i, n = 0, len(flat)
    while i < n:
        run: list[int] = []
        j = i
        while j < n:
            ln, key = flat[j], keys[j]
            if ln.kind == BLANK or (ln.kind == FURN and ln.page_no is None and not ln.ends_page):
                j += 1
                continue
            if (
                (key and counts[key] >= 2)
                or (ln.kind == FURN)
                or (run and ln.kind == TEXT and BARE_NUMBER.match(ln.text))
            ):
                run.append(j)
                j += 1
                continue
            break
        if not run:
            i = j + 1
            continue
        lone = len(run) == 1 and not wrapped[run[0]]
        if _accept(flat, keys, counts, run) or (
            lone and _alone(flat[run[0]].text, alone[keys[run[0]] or ""])
        ):
            phrases += _apply(flat, keys, run, seen)
        i = run[-1] + 1
    return phrases


def _accept(
    flat: list[RawLine], keys: list[str | None], counts: Counter[str], run: list[int]
) -> bool:
    reps = [j for j in run if counts[keys[j] or ""] >= 2]
    pns = [j for j in run if j not in reps]
    if not reps:
        return False
    if len(reps) >= 2:
        return any(_anchored(flat[j]) for j in run)
    text = flat[reps[0]].text
    if pns and any(flat[j].page_no is not None or BARE_NUMBER.match(flat[j].text) for j in pns):
        return bool(ANCHOR.search(text))
    return False


def _anchored(ln: RawLine) -> bool:
    """A line that marks a page header: a date, a page number, or a short document word line."""
    if ln.page_no is not None or HEADER_ANCHOR.search(ln.text):
        return True
    return ln.text.count(" ") < 3 and bool(HEADER_WORD.search(ln.text))


def _alone(text: str, count: int) -> bool:
    """A lone repeated line that is furniture: a förbund name or date seen three times or more."""
    return count >= 3 and len(text.split()) <= 6 and bool(LONE_ANCHOR.match(text))


def _apply(
    flat: list[RawLine], keys: list[str | None], run: list[int], seen: set[str]
) -> list[str]:
    first = flat[run[0]]
    numbers = [n for n in (flat[j].page_no for j in run) if n is not None]
    numbers += [
        int(flat[j].text) for j in run if flat[j].kind == TEXT and BARE_NUMBER.match(flat[j].text)
    ]
    removed = False
    for j in run:
        ln, key = flat[j], keys[j]
        if ln.kind == TEXT and key and key not in seen:
            seen.add(key)
            continue
        if ln.kind == TEXT:
            ln.kind = FURN
            removed = True
    if removed:
        first.brk = True
        if numbers:
            first.page_no = max(numbers)
    texts = [flat[j].text for j in run if keys[j]]
    if len(texts) >= 2 and sum(len(t.split()) for t in texts) >= 3:
        return [" ".join(texts)]
    return []


_PHRASE_GAP = r"(?:\s+(?:sida\s*)?\d{1,4}(?:\s*\(\s*" + _PN + r"\s*\))?)?\s+"


def phrase_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    """A pattern that finds learned header blocks flattened inside a longer line."""
    alts = []
    for phrase in dict.fromkeys(phrases):
        parts = [re.escape(p) for p in phrase.split()]
        alts.append(
            _PHRASE_GAP.join(parts) + r"(?:\s+(?:sida\s*)?\d{1,4}(?:\s*\(\s*" + _PN + r"\s*\))?)?"
        )
    if not alts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.I)
