"""A snippet's cost grows linearly with the matches in an item (issue 16: r_snippet_quadratic:
77 s per search on one 1.6 MB item), and only the words that can match are analysed (issue 13).
Work is counted or compared, not timed."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

from index import snippet as sn
from index.analyze import Analyzer, default_analyzer, stem, tokenize

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"


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


def _sample_words() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))
    return sorted({s.lower() for s, _, _ in tokenize(unicodedata.normalize("NFC", text))})


def test_every_term_of_a_word_is_a_piece_of_it() -> None:
    """What lets a snippet skip the words that hold no query term as a substring: stems only
    cut endings off, compound parts and hyphen pieces are substrings (every word of the
    samples, with the built-in lexicon and one extended by query words, as snippets use)."""
    words = _sample_words()
    assert len(words) > 2000
    extended = sn._analyzer(("avgift", "samordning", "förbund", "insats"))
    for analyzer in (default_analyzer(), extended):
        outside = {w: t for w in words for t in analyzer.word_terms(w) if t not in w}
        assert outside == {}


def test_marks_are_those_of_analysing_every_word() -> None:
    """The marks with the substring shortcut equal the marks of analysing every word, for
    queries of sample words and pieces of them (compound parts, stems), on every sample."""
    rng = random.Random(13)
    words = [w for w in _sample_words() if w.isalpha() and len(w) >= 4]
    texts = [
        unicodedata.normalize("NFC", p.read_text(encoding="utf-8"))
        for p in sorted(SAMPLES.glob("*.txt"))
    ]
    for _ in range(40):
        picked = rng.sample(words, rng.randint(1, 3))
        pieces = [w[rng.randint(0, len(w) // 2) :] for w in rng.sample(words, 2)]  # "avgiften"
        query, given = sn._query_set(picked + pieces)
        full = Analyzer(default_analyzer().lexicon.extended(dict.fromkeys(given, 1), stem))
        for text in texts:
            reference = []
            for surface, start, end in tokenize(text):
                found = frozenset(full.word_terms(surface.lower())) & query
                if found:
                    reference.append((start, end, found))
            assert sn._marks(text, query, tuple(given)) == reference, (picked, pieces)
