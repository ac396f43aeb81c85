"""Edit (Levenshtein) distance of two short strings, bounded: how many letters differ, when
that is few. Used where text read with noise is matched to what it should say (the
segmentation evaluation's "same text", a förbund name OCR misread)."""

from __future__ import annotations


def edits_within(a: str, b: str, limit: int) -> int | None:
    """The Levenshtein distance of a and b if it is at most ``limit``, else None. Only the band
    of cells within ``limit`` of the diagonal is computed, and it stops as soon as a row of it
    exceeds the limit (a cell off the band is at least limit + 1 away)."""
    if abs(len(a) - len(b)) > limit:
        return None
    if limit == 0:
        return 0 if a == b else None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [limit + 1] * len(b)
        lo, hi = max(1, i - limit), min(len(b), i + limit)
        for j in range(lo, hi + 1):
            cost = 0 if ca == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        if min(cur[max(0, lo - 1) : hi + 1]) > limit:
            return None
        prev = cur
    return prev[len(b)] if prev[len(b)] <= limit else None
