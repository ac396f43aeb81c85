"""The language of a query: Swedish or English, by a rule on the corpus's own vocabulary.

Queries are short ("tabled", "budget 2024", "avslagna tilläggsäskanden"), and the only two
languages that matter are the corpus's (Swedish) and English. Each word votes:

- Swedish: it has å, ä or ö; it is a Swedish stopword; or the corpus itself uses it (the
  lexical index's lexicon of words seen standalone) and it is no English glossary key;
- English: it is an English stopword; or it is a key of the EN→SV glossary
  (``index/data/glossary.json``, plural forms too) that the corpus does not use as a word;
  or the corpus does not use it and it ends as English words do and Swedish ones seldom
  ("-tion", "-ment", "-ity", "-ed": "tabled", "procurement").

Words neither side knows (names, numbers, "IPS") do not vote. More English votes than
Swedish ones make the query English; a tie, or no votes at all, is Swedish: the corpus's
language, where an English word that is also Swedish ("budget", "plan") searches the same.
Why a rule and not a library: see README, *Query understanding*; `scripts/bench_langid.py`
measures both on labelled queries.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from index.analyze import english_variants

SV, EN = "sv", "en"
LANGS = (SV, EN)
_SWEDISH_LETTERS = frozenset("åäö")
# Endings of English words that Swedish words of the domain seldom have (a Swedish word with
# one, "information", is in the corpus and votes Swedish first).
_ENGLISH_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ship", "ance", "ence", "ed", "ly")


@cache
def _english_words() -> frozenset[str]:
    """Single English words of the glossary (the first word of a phrase too); not a key that
    lists itself among its Swedish words ("ips", "budget"): both languages write it alike."""
    from index.analyze import load_glossary

    out: set[str] = set()
    for key, swedish in load_glossary().items():
        if key not in swedish:
            out.update(key.split())
    return frozenset(out)


def _english_ending(word: str) -> bool:
    return len(word) >= 5 and word.isalpha() and word.endswith(_ENGLISH_ENDINGS)


def votes(query: str, corpus_words: Collection[str] = ()) -> tuple[int, int]:
    """(Swedish votes, English votes) of a query's words (see the module docstring)."""
    from index.analyze import STOPWORDS_EN, STOPWORDS_SV, words

    english = _english_words()
    sv = en = 0
    for w in words(query):
        if not any(c.isalpha() for c in w):
            continue
        if _SWEDISH_LETTERS.intersection(w) or w in STOPWORDS_SV:
            if w not in STOPWORDS_EN:  # "i", "a": both languages' stopword lists
                sv += 1
            continue
        if w in STOPWORDS_EN:
            en += 1
            continue
        glossary_key = any(v in english for v in english_variants(w))
        if w in corpus_words and not glossary_key:
            sv += 1
        elif w not in corpus_words and (glossary_key or _english_ending(w)):
            en += 1
    return sv, en


def detect(query: str, corpus_words: Collection[str] = ()) -> str:
    """ "sv" or "en" for a query; corpus_words: lower-case words the corpus uses."""
    sv, en = votes(query, corpus_words)
    return EN if en > sv else SV
