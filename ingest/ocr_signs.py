"""Write "§" back where OCR misread the sign of a run of § headings.

Tesseract reads the "§" of a heading as "8", "$", "£", "S", "&", "g", "3", "5", "9" or "6" (or two
of them: "$£34"), glued to the number or apart from it, or drops it: "§ 57 Godkännande" comes
back as "857 Godkännande", "12 § Årsredovisning" as "128 Årsredovisning", "SFNS § 34" as "SFNS
8 34", a label in a cell of its own as "$ 62". One line alone cannot tell "857" (§ 57) from 857 or "98" (9 §) from "§ 8";
a run of headings can: their numbers go up by one (§ 56, § 57, § 58 …, a line missed by OCR
at most), so the reading of each line that continues the run is the right one.

A line is repaired only inside a run of at least three lines, numbered in sequence in the same
style (sign before or after the number), at least half of which show a sign (read right or
misread): a numbered agenda or running text starting with numbers is left alone. A document
may hold several runs (a table of contents, then the items): each is repaired. A number with a
full stop ("60.") is a heading numbered so, never a misread sign glued to a number ("6" + 0).
A label prefix OCR read in two pieces, capitals first ("NV Sam 8 48"), is one word again
("NVSam § 48"). The number of a numbered point ("11.") misread as letters ("SER") is
repaired from its neighbours in the same way (`point_repairs`). Pure: lines in, repairs out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from corpus.model import Block

# What OCR makes of a "§": letters and symbols that never start a § number, and digits that do
# (a misread sign glued to the number looks like one more digit).
SIGN_SYMBOLS = "§$£Ss&g"
SIGN_DIGITS = "83596"
SIGNS = SIGN_SYMBOLS + SIGN_DIGITS
MIN_RUN = 3
MAX_STEP = 2  # a run may skip one number (a heading OCR did not read)
PRE, POST = "pre", "post"  # the sign before ("§ 57") or after ("12 §") the number

# A label prefix: an abbreviation of the förbund or organ with two capitals ("SFNS", "NVSam").
_PREFIX = re.compile(r"^[A-ZÅÄÖ][\w-]*[A-ZÅÄÖ][\w-]*$")
_CAPITALS = re.compile(r"^[A-ZÅÄÖ]{1,4}$")  # the first piece of a prefix read apart
_DIGITS = re.compile(r"^\d{1,3}$")
_TRAIL = "-.:,"  # a mark OCR glues to a label's number
# A sign alone: one or two misread characters ("8", "$", "38"), perhaps with a mark.
_SIGN = re.compile(rf"^[{SIGNS}]{{1,2}}[.,:]?$")
_GLUED_PRE = [  # "857" is "8" + 57 or, read with two characters for the sign, "85" + 7
    re.compile(rf"^[{SIGNS}]{{{n}}}[.,:]?(?P<num>\d{{1,3}})[{_TRAIL}]?$") for n in (1, 2)
]
_DOTTED = re.compile(r"^\d{1,4}\.$")  # "60.": a heading numbered with a full stop
_GLUED_POST = re.compile(rf"^(?P<num>\d{{1,3}})[{SIGNS}][{_TRAIL}]?$")
# Stray marks OCR puts between a label and its title (table borders, specks).
_NOISE = re.compile(r"^[\s:;|.,'\"<>«»=_~—–-]+")
# Letters whose capital has the same shape: OCR often gets their case wrong at a title's start.
_CASE_SHAPES = "cosuvwxzåäö"


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a line's start as a § label."""

    number: int
    style: str | None  # PRE, POST, or None: a bare number (sign dropped)
    shown: bool  # a sign (or a misread one) is on the line
    label: str  # the text of the line that makes the label (prefix, sign, number)
    rest: str  # the text after it
    prefix: str = ""  # "SFNS" of "SFNS 8 34"

    def written(self, style: str) -> str:
        """The label as it should read, in the run's style."""
        sign = f"§ {self.number}" if style == PRE else f"{self.number} §"
        return f"{self.prefix} {sign}" if self.prefix else sign


@dataclass(frozen=True, slots=True)
class Repair:
    """Line ``line`` of page ``page`` (0-based) starts with ``old``, to be read as ``new``."""

    page: int
    line: int
    old: str
    new: str
    text: str  # the repaired line ("": the line is ``new``, a title whose case was repaired)


def readings(line: str) -> list[Reading]:
    """The § labels the start of ``line`` can stand for (none when it starts otherwise)."""
    tokens = line.split()
    out = _readings(tokens, [])
    for n in (1, 2):  # a prefix OCR read in two pieces ("NV Sam 8 48") is one word
        if len(tokens) > n and _PREFIX.match("".join(tokens[:n])):
            if n == 2 and not _CAPITALS.match(tokens[0]):
                continue
            out += [r for r in _readings(tokens[n:], tokens[:n]) if r.style == PRE]
    return [r for r in out if _title_ok(r.rest)]


def _readings(tokens: Sequence[str], head: Sequence[str]) -> list[Reading]:
    prefix = "".join(head)

    def make(number: str, style: str | None, used: int) -> Reading:
        label = " ".join([*head, *tokens[:used]])
        rest = " ".join(tokens[used:])
        return Reading(int(number), style, style is not None, label, rest, prefix)

    if not tokens:
        return []
    first, second = tokens[0], tokens[1] if len(tokens) > 1 else ""
    out: list[Reading] = []
    if _SIGN.match(first) and _DIGITS.match(second.rstrip(_TRAIL)):
        out.append(make(second.rstrip(_TRAIL), PRE, 2))  # "8 60", "$ 62", "38 17"
    if _DIGITS.match(first) and _SIGN.match(second):
        out.append(make(first, POST, 2))  # "12 8"
    # "60." is a numbered heading, not "6" (a misread sign) glued to 0 or "63" read as 6 §.
    dotted = bool(_DOTTED.match(first))
    for glued in [] if dotted else _GLUED_PRE:
        if m := glued.match(first):
            out.append(make(m["num"], PRE, 1))  # "857", "$62", "§57", "8.22", "s28-"
    if not dotted and (m := _GLUED_POST.match(first)):
        out.append(make(m["num"], POST, 1))  # "128", "12§"
    if _DIGITS.match(first) and not prefix:
        out.append(make(first, None, 1))  # the sign dropped
    return out


_NOT_TITLES = ("att", "och", "om", "som", "samt", "av", "till", "vid", "under", "ska", "se")


def _title_ok(rest: str) -> bool:
    """What follows a label: nothing (the title is on the next line), a title or "Dnr"."""
    rest = _NOISE.sub("", rest)
    if not rest:
        return True
    if rest.split()[0].lower() in _NOT_TITLES:
        return False
    return rest[0].isupper() or rest[0] in _CASE_SHAPES


Score = tuple[int, int]  # (lines, lines showing a sign)
# A run as a linked list: (page, line, reading, style of the run, previous link).
Link = tuple[int, int, Reading, "str | None", Any]


def _best_run(
    pages: Sequence[Sequence[str]], used: set[tuple[int, int]]
) -> tuple[list[tuple[int, int, Reading]], str | None, int]:
    """The longest run of lines not in ``used`` (ties: the one showing most signs): its lines,
    its style and how many of them show a sign."""
    ends: dict[tuple[str | None, int], tuple[Score, Link]] = {}  # best run ending there
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if (p, i) in used:
                continue
            found: dict[tuple[str | None, int], tuple[Score, Link]] = {}
            for r in readings(line.strip()):
                for style in [r.style] if r.style else [PRE, POST, None]:
                    before: tuple[Score, Link] | None = None
                    for step in range(1, MAX_STEP + 1):
                        for key in ((style, r.number - step), (None, r.number - step)):
                            got = ends.get(key)
                            if got is not None and (before is None or got[0] > before[0]):
                                before = got
                    length, shown = before[0] if before else (0, 0)
                    score = (length + 1, shown + r.shown)
                    key = (style, r.number)
                    if key not in found or score > found[key][0]:
                        found[key] = (score, (p, i, r, style, before[1] if before else None))
            for key, value in found.items():
                if key not in ends or value[0] > ends[key][0]:
                    ends[key] = value
    if not ends:
        return [], None, 0
    score, link = max(ends.values(), key=lambda v: v[0])
    style = link[3]
    run: list[tuple[int, int, Reading]] = []
    while link is not None:
        p, i, r, _style, link = link
        run.append((p, i, r))
    run.reverse()
    return run, style, score[1]


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:] if text and text[0] in _CASE_SHAPES else text


def find_repairs(pages: Sequence[Sequence[str]]) -> list[Repair]:
    """The repairs of the § headings among ``pages`` (each a list of text lines)."""
    used: set[tuple[int, int]] = set()
    out: list[Repair] = []
    while True:
        run, style, shown = _best_run(pages, used)
        if len(run) < MIN_RUN:
            return out
        used.update((p, i) for p, i, _r in run)
        if style is None or shown * 2 < len(run):
            continue  # a numbered list, not § headings
        for p, i, r in run:
            new = r.written(style)
            out.append(Repair(p, i, r.label, new, _joined(new, r.rest)))
            title = None if _NOISE.sub("", r.rest) else _next_line(pages, p, i)
            if title is not None and _capitalised(title[2]) != title[2]:
                out.append(Repair(title[0], title[1], title[2], _capitalised(title[2]), ""))


def _next_line(pages: Sequence[Sequence[str]], p: int, i: int) -> tuple[int, int, str] | None:
    """The next non-blank line after line ``i`` of page ``p`` (a label's title), if near."""
    for j in range(i + 1, min(i + 3, len(pages[p]))):
        if pages[p][j].strip():
            return p, j, pages[p][j].strip()
    return None


def _joined(label: str, rest: str) -> str:
    rest = _capitalised(_NOISE.sub("", rest))
    return f"{label} {rest}" if rest else label


def relabel(text: str, fix: Repair) -> str | None:
    """``text`` (a line or a table cell) with the label ``fix`` repaired, or None when it does
    not start with that label."""
    if not fix.text:
        return fix.new if text == fix.old else None
    if text != fix.old and not text.startswith(f"{fix.old} "):
        return None
    return _joined(fix.new, text[len(fix.old) :])


def repair_paragraph_signs(texts: Sequence[str]) -> list[str]:
    """Page texts with the § headings of their runs repaired (see the module doc)."""
    pages = [t.split("\n") for t in texts]
    for fix in find_repairs(pages):
        pages[fix.page][fix.line] = fix.text or fix.new
    return ["\n".join(lines) for lines in pages]


# A numbered point ("11. Återkoppling …") and a line whose first token may be its number
# misread as letters ("SER Återkoppling …", "Il. Återkoppling …"), each before a title.
_POINT = re.compile(r"^(?P<num>\d{1,2})\.\s+(?=[A-ZÅÄÖ])")
_MISREAD_POINT = re.compile(r"^(?P<token>[^\s\w]?[\w.,:;|!]{2,4})\s+(?=[A-ZÅÄÖ])")
_WORD = re.compile(r"[A-ZÅÄÖa-zåäö][a-zåäö]+")  # "Att", "Om": a word (but "Il", "ll": "11")


def point_repairs(pages: Sequence[Sequence[str]]) -> list[Repair]:
    """The numbers of numbered points that OCR misread as letters ("11." read as "SER").

    A run of points ("9.", "10.", "12." …) with one number missing between two neighbours
    ("10." and "12."): when exactly one line between them starts with a token about as wide as
    the missing label ("11.", one character more or less) that is not a word, before a title,
    that token is the label. The run must hold at least ``MIN_RUN`` points.
    """
    points = [
        (p, i, int(m["num"]))
        for p, lines in enumerate(pages)
        for i, line in enumerate(lines)
        if (m := _POINT.match(line.strip()))
    ]
    out: list[Repair] = []
    for k, ((p0, i0, n0), (p1, i1, n1)) in enumerate(zip(points, points[1:], strict=False)):
        if n1 != n0 + 2 or not _in_run(points, k):
            continue
        label = f"{n0 + 1}."
        found = [
            (p, i, m["token"], line.strip())
            for p, i, line in _between(pages, (p0, i0), (p1, i1))
            if (m := _MISREAD_POINT.match(line.strip())) and _misread_label(m["token"], label)
        ]
        if len(found) == 1:
            p, i, token, line = found[0]
            out.append(Repair(p, i, token, label, _joined(label, line[len(token) :])))
    return out


def _in_run(points: Sequence[tuple[int, int, int]], k: int) -> bool:
    """Points k and k+1 (two apart) belong to a run of at least MIN_RUN points in sequence."""
    lo, hi = k, k + 1
    while lo > 0 and points[lo - 1][2] == points[lo][2] - 1:
        lo -= 1
    while hi + 1 < len(points) and points[hi + 1][2] == points[hi][2] + 1:
        hi += 1
    return hi - lo + 1 >= MIN_RUN


def _between(
    pages: Sequence[Sequence[str]], start: tuple[int, int], end: tuple[int, int]
) -> list[tuple[int, int, str]]:
    """The lines after ``start`` and before ``end`` (page, line), in reading order."""
    return [
        (p, i, line)
        for p in range(start[0], end[0] + 1)
        for i, line in enumerate(pages[p])
        if start < (p, i) < end
    ]


def _misread_label(token: str, label: str) -> bool:
    """A token as wide as ``label`` (one character more or less) that is not a word."""
    bare = token.rstrip(".,:;")
    word = _WORD.fullmatch(bare) is not None and not set(bare[1:]) <= set("il")
    return abs(len(token) - len(label)) <= 1 and not word


_SPACES = re.compile(r"(?<=\S)  +(?=\S)")  # words an OCR text layer sets apart by two spaces


def repair_text_layer(
    texts: list[str], blocks: list[tuple[Block, ...]], layered: set[int]
) -> tuple[list[str], list[tuple[Block, ...]]]:
    """Page texts and hints with the § labels and point numbers OCR misread repaired on the
    pages that are scans under an OCR text layer ("8 6 Godkännande" → "§ 6 Godkännande",
    as ``ingest.ocr`` repairs its own readings); the words of such a layer, set apart by two
    spaces, are set apart by one."""
    texts = [_SPACES.sub(" ", t) if k in layered else t for k, t in enumerate(texts)]
    lines = [t.split("\n") for t in texts]
    fixes = [f for f in [*find_repairs(lines), *point_repairs(lines)] if f.page in layered]
    for fix in fixes:
        lines[fix.page][fix.line] = fix.text or fix.new
    out_blocks = []
    for k, hints in enumerate(blocks):
        mine = [f for f in fixes if f.page == k]
        out_blocks.append(
            tuple(
                replace(b, text=new)
                if mine and (new := _relabelled(_SPACES.sub(" ", b.text).strip(), mine))
                else b
                for b in hints
            )
        )
    return ["\n".join(page) for page in lines], out_blocks


def _relabelled(text: str, fixes: list[Repair]) -> str | None:
    return next((t for f in fixes if (t := relabel(text, f))), None)
