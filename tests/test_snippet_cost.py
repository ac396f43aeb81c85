"""A snippet's cost grows linearly with the matches in an item (issue 16: r_snippet_quadratic:
77 s per search on one 1.6 MB item). Work is counted, not timed."""

from __future__ import annotations

import random

from index import snippet as sn


class CountingMark(tuple):  # type: ignore[type-arg]
    """A (start, end, terms) mark that counts how often its fields are read."""

    reads = 0

    def __getitem__(self, i):  # type: ignore[no-untyped-def,override]
        CountingMark.reads += 1
        return super().__getitem__(i)


def _marks(n: int) -> list[tuple[int, int, frozenset[str]]]:
    """n matches of one term, 30 characters apart (like "Rad i: avgift i kr …")."""
    return [CountingMark((30 * i, 30 * i + 6, frozenset({"avgift"}))) for i in range(n)]


def _reads(n: int) -> int:
    CountingMark.reads = 0
    sn._window(_marks(n), 240)
    return CountingMark.reads


def test_window_search_is_linear_in_the_matches() -> None:
    small, large = _reads(500), _reads(4000)
    # 8 times the matches: about 8 times the work (quadratic would be 64 times).
    assert large / small < 12, (small, large)


def _old_window(marks: list[tuple[int, int, frozenset[str]]], width: int) -> tuple[int, int]:
    """The window rule stated plainly (quadratic): the reference for the fast one."""
    best, best_span = (-1, -1, 0), (0, width)
    for i, (start, _, _) in enumerate(marks):
        lo = start - min(width // 4, start)
        hi = lo + width
        inside = [m for m in marks[i:] if m[1] <= hi]
        distinct = len(frozenset().union(*(m[2] for m in inside)))
        score = (distinct, len(inside), -i)
        if score > best:
            best, best_span = score, (lo, hi)
    return best_span


def test_window_is_the_one_with_most_distinct_terms() -> None:
    rng = random.Random(16)
    for _ in range(2000):
        pos, marks = 0, []
        for _ in range(rng.randint(0, 25)):
            pos += rng.randint(0, 40)
            length = rng.randint(1, 30)
            terms = frozenset(rng.sample("abcde", rng.randint(1, 2)))
            marks.append((pos, pos + length, terms))
            pos += length
        width = rng.choice([20, 60, 240])
        assert sn._window(marks, width) == _old_window(marks, width), (marks, width)


def test_snippet_of_a_long_item_marks_the_densest_window() -> None:
    body = " ".join(f"Rad {i}: avgift {i} kr enligt bilaga." for i in range(3000))
    text = body + " Beslut om serviceavgift och budget för 2024."
    out = sn.snippet(text, ["budget", "avgift"])
    assert "**budget**" in out and "**serviceavgift**" in out
    assert out.startswith("…") and len(out) < 400
