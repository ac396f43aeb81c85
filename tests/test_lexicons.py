"""The Swedish thesaurus of query expansion: scripts/build_lexicons.py derives it from a MyThes
thesaurus by general rules, and the lexical index expands a query's Swedish words with it at
the thesaurus weight, only to index terms, never an English query's own words, and not at all
at weight 0."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.model import make_item_id
from index.analyze import STOPWORDS_SV, load_glossary, stem
from index.families import thesaurus
from index.lexical import LexicalIndex

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build():  # type: ignore[no-untyped-def]
    path = ROOT / "scripts/build_lexicons.py"
    spec = importlib.util.spec_from_file_location("build_lexicons", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_lexicons"] = module
    spec.loader.exec_module(module)
    return module


# -- the converter on generated samples ---------------------------------------------------------
MYTHES = """ISO-8859-1
möte|2
(subst)|sammanträde|träff|rendezvous
(subst)|sammankomst|stora möten
sammanträde|1
(subst)|möte|sammankomst
sammankomst|1
(subst)|möte
träff|1
(subst)|slag
TV|1
(subst)|television
och|1
(konj)|samt
"""


def test_thesaurus_keeps_mutual_single_word_pairs(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dat = tmp_path / "th.dat"
    dat.write_bytes(MYTHES.encode("latin-1"))
    got = build.thesaurus(build.read_mythes(build.read_dat(dat)))
    # "möte" lists "träff" but "träff" does not list "möte", nor "sammankomst" "sammanträde";
    # "rendezvous" is one-way; "stora möten" is a phrase, "TV" an acronym, "och" a stopword
    assert got == {
        "möte": ["sammanträde", "sammankomst"],
        "sammanträde": ["möte"],
        "sammankomst": ["möte"],
    }


def test_thesaurus_caps_the_synonyms_of_a_word(build) -> None:  # type: ignore[no-untyped-def]
    many = [f"ord{chr(97 + i)}" for i in range(build.MAX_SYNONYMS + 3)]
    entries = [("huvudord", many)] + [(w, ["huvudord"]) for w in many]
    got = build.thesaurus(entries)
    assert got["huvudord"] == many[: build.MAX_SYNONYMS]


def test_the_converter_writes_the_attributed_file(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dat = tmp_path / "th.dat"
    dat.write_bytes(MYTHES.encode("latin-1"))
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/build_lexicons.py"), "--mythes", str(dat)]
        + ["--out", str(out)],
        check=True,
        capture_output=True,
    )
    th = json.loads((out / build.THESAURUS).read_text("utf-8"))
    assert th["entries"]["möte"] == ["sammanträde", "sammankomst"]  # decoded as latin-1
    assert "Viggo Kann" in th["copyright"] and "Modified" in th["copyright"]


# -- the committed files ------------------------------------------------------------------------
def test_the_committed_thesaurus_follows_the_general_rules(build) -> None:  # type: ignore[no-untyped-def]
    th = thesaurus()
    assert len(th) > 10000  # the whole resource, not a hand-picked list
    listed = {w: set(s) for w, s in th.items()}
    for word, synonyms in th.items():
        assert build.plain_word(word) == word and word not in STOPWORDS_SV
        assert 1 <= len(synonyms) <= build.MAX_SYNONYMS
        assert all(build.plain_word(s) == s for s in synonyms)
        # the lookup by stem (index.families.thesaurus_stems) reads only the headwords that
        # start with the stem: it must be a prefix of its word
        assert word.startswith(stem(word))
        # mutual: the other word lists this one, or its list was full
        assert all(word in listed[s] or len(th[s]) == build.MAX_SYNONYMS for s in synonyms)


def test_nothing_is_read_at_import() -> None:
    code = (
        "import index.families, index.lexical, index.search, index.analyze\n"
        "assert index.families.thesaurus.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# -- expansion at search time ---------------------------------------------------------------
ITEMS = [
    ("rakningar", "Räkningar från konsulten", "Ordföranden attesterar räkningen."),
    ("sammantrade", "Sammanträdesplan 2024", "Styrelsen fastställer fem sammanträden."),
    ("budget", "Budget 2024", "Budgeten fastställs."),
    ("faktura", "Faktura för lokalhyra", "Fakturan betalas av kansliet."),
    ("sammankomst", "Sammankomst med medlemmarna", "Medlemmarna bjuds in i maj."),
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build((make_item_id("lex", n), t, b) for n, t, b in ITEMS)


def _ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.item_id for h in hits]


def test_a_thesaurus_synonym_finds_the_item_that_uses_the_other_word(index: LexicalIndex) -> None:
    assert "faktura" in thesaurus() and "räkning" in thesaurus()["faktura"]
    target = make_item_id("lex", "rakningar")
    assert target not in _ids(index.search("fakturor", 4))
    hits = index.search("fakturor", 4, thesaurus_weight=0.3)
    assert _ids(hits)[0] == make_item_id("lex", "faktura")  # its own word first
    assert target in _ids(hits)
    weights = {q.term: q.weight for q in index.query_terms("fakturor", thesaurus_weight=0.3)}
    assert weights[stem("räkning")] == pytest.approx(0.3)
    assert weights[stem("faktura")] == 1.0


def test_an_english_query_word_gets_no_swedish_synonyms(index: LexicalIndex) -> None:
    # in an English query a word the glossary does not translate is English, not Swedish …
    sv = {q.term for q in index.query_terms("fakturor", thesaurus_weight=0.5, lang="sv")}
    en = {q.term for q in index.query_terms("fakturor", thesaurus_weight=0.5, lang="en")}
    assert stem("räkning") in sv and stem("räkning") not in en
    # … while its glossary translations are Swedish and bring theirs ("meeting" ->
    # "sammanträde", whose synonym "sammankomst" the glossary does not give)
    assert "sammankomst" in thesaurus()["sammanträde"]
    assert "sammankomst" not in load_glossary()["meeting"]
    en = {q.term: q.weight for q in index.query_terms("meetings", thesaurus_weight=0.5, lang="en")}
    assert en[stem("sammankomst")] == pytest.approx(0.5)


@pytest.mark.parametrize(
    "query",
    ["fakturor", "meetings", "meeting schedule", "sammanträde 2024", "budget", "kostnader"],
)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_weights_of_zero_give_exactly_the_old_ranking(
    index: LexicalIndex, query: str, lang: str
) -> None:
    old_terms = index.query_terms(query, 0.3, 0.3)
    assert index.query_terms(query, 0.3, 0.3, 0.0, lang) == old_terms
    old = index.search(query, 4, family_weight=0.3, synonym_weight=0.3)
    new = index.search(
        query, 4, family_weight=0.3, synonym_weight=0.3, thesaurus_weight=0, lang=lang
    )
    assert [(h.item_id, h.score, h.matched) for h in new] == [
        (h.item_id, h.score, h.matched) for h in old
    ]
