"""The bounded edit distance (ingest/edits.py) against the textbook full computation."""

from __future__ import annotations

import random

import pytest

from ingest.edits import edits_within


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@pytest.mark.parametrize("seed", range(5))
def test_the_distance_within_the_limit_is_exact_and_beyond_it_none(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        a = "".join(rng.choice("aäbns ") for _ in range(rng.randint(0, 14)))
        b = list(a)
        for _ in range(rng.randint(0, 5)):  # a few misread, dropped or added letters
            at = rng.randint(0, len(b))
            op = rng.choice("sdi")
            if op == "i" or not b[at:]:
                b.insert(at, rng.choice("aäbns "))
            elif op == "d":
                del b[at]
            else:
                b[at] = rng.choice("aäbns ")
        word = "".join(b)
        full = levenshtein(a, word)
        for limit in range(5):
            assert edits_within(a, word, limit) == (full if full <= limit else None), (a, word)


def test_a_misread_name() -> None:
    assert edits_within("norra västmenlände", "norra västmanlands", 3) == 3
    assert edits_within("norra västmenlände", "norra västmanlands", 2) is None
