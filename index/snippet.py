"""Highlighted snippets: the window of an item's text where the query's terms are densest.

A surface token matches when its analysed terms (its stem and the stems of its compound
parts) meet the query terms, so "avgift" marks "serviceavgiften". Matches are marked
**like this** (Markdown bold); runs of "*" or "_" in the text (export rules) become a space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from index.analyze import Analyzer, default_analyzer, stem, tokenize, words

_MARKUP = re.compile(r"[*_]{2,}")
_SPACE = re.compile(r"\s+")
ELLIPSIS = "…"
Mark = tuple[int, int, frozenset[str]]


def _query_set(terms: Iterable[str]) -> tuple[frozenset[str], list[str]]:
    """Terms to look for (each given word as it stands and its stem; no compound parts)."""
    base = default_analyzer()
    out: set[str] = set()
    given: list[str] = []
    for t in terms:
        for w in words(t):
            given.append(w)
            out.add(w)
            whole = base.expand(w)
            if whole:
                out.add(whole[0][0])
            elif w.isalpha():
                out.add(stem(w))
    return frozenset(out), given


def _window(marks: list[tuple[int, int, frozenset[str]]], width: int) -> tuple[int, int]:
    """Start and end offsets of the width-char window with the most distinct matched terms.

    A window starts a little before a match and holds the matches that end inside it. Marks
    are in text order, so both edges only move forward: one pass, linear in the matches (an
    item with thousands of matches must not cost a search minutes)."""
    best = (-1, -1, 0)
    best_span = (0, width)
    counts: dict[str, int] = {}
    end = 0  # marks[i:end] are inside the current window
    for i, (start, _, _) in enumerate(marks):
        lead = min(width // 4, start)
        lo = start - lead
        hi = lo + width
        while end < len(marks) and marks[end][1] <= hi:
            for term in marks[end][2]:
                counts[term] = counts.get(term, 0) + 1
            end += 1
        score = (len(counts), max(0, end - i), -i)
        if score > best:
            best, best_span = score, (lo, hi)
        if i < end:  # mark i leaves the window before the next one starts
            for term in marks[i][2]:
                counts[term] -= 1
                if not counts[term]:
                    del counts[term]
        else:
            end = i + 1
    return best_span


def _cut(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Move the window edges outwards/inwards to whitespace so no word is cut."""
    lo, hi = max(0, lo), min(len(text), hi)
    if lo > 0 and not text[lo - 1].isspace():
        nxt = re.search(r"\s", text[lo:hi])
        lo = lo + nxt.end() if nxt else lo
    if hi < len(text) and not text[hi].isspace():
        prev = max(text.rfind(" ", lo, hi), text.rfind("\n", lo, hi))
        hi = prev if prev > lo else hi
    return lo, hi


def _clean(fragment: str) -> str:
    """Export rules out, whitespace runs to one space (not stripped: it separates words)."""
    return _SPACE.sub(" ", _MARKUP.sub(" ", fragment))


@lru_cache(maxsize=32)
def _analyzer(given: tuple[str, ...]) -> Analyzer:
    """The built-in lexicon plus the query's own words (so that "avgift" is a part of
    "serviceavgiften"), kept for the next snippets of the same query: a search shows ten."""
    return Analyzer(default_analyzer().lexicon.extended(dict.fromkeys(given, 1), stem))


def _marks(text: str, query: frozenset[str], given: tuple[str, ...]) -> list[Mark]:
    """(start, end, matched terms) of the words of `text` whose terms meet `query`.

    Every term of a word is a piece of it (a stem only cuts endings off; a compound's parts,
    linking letters and hyphen pieces are substrings: tests/test_snippet_cost.py checks it on
    the samples), so a word holding no query term as a substring cannot match and is not
    analysed: most words of an item are not, and splitting them was most of a search's time."""
    if not query:
        return []
    analyzer = _analyzer(given)
    marks: list[Mark] = []
    for surface, start, end in tokenize(text):
        word = surface.lower()
        if not any(q in word for q in query):
            continue
        found = frozenset(analyzer.word_terms(word)) & query
        if found:
            marks.append((start, end, found))
    return marks


def snippet(text: str, terms: Iterable[str], width: int = 240) -> str:
    """A window of about `width` characters of `text` with the matching words in **bold**.

    `terms` are query words or index terms (e.g. `analyze_query(query)` or `Hit.matched`).
    Without a match the start of the text is returned.
    """
    text = unicodedata.normalize("NFC", text)
    query, given = _query_set(terms)
    marks = _marks(text, query, tuple(given))
    if not marks:
        lo, hi = _cut(text, 0, width)
        body = _clean(text[lo:hi]).strip()
        return body + (ELLIPSIS if hi < len(text) and body else "")
    lo, hi = _cut(text, *_window(marks, width))
    pieces: list[str] = []
    pos = lo
    for start, end, _ in marks:
        if start < lo or end > hi:
            continue
        pieces.append(_clean(text[pos:start]))
        pieces.append(f"**{text[start:end]}**")
        pos = end
    pieces.append(_clean(text[pos:hi]))
    out = _SPACE.sub(" ", "".join(pieces)).strip()
    return (ELLIPSIS if lo > 0 else "") + out + (ELLIPSIS if hi < len(text) else "")
