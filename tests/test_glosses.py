"""index.glosses: a query that explains a concept in everyday words searches the protocols'
term for it, as a third run of a hybrid search (index/data/glosses.json)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from corpus.store import Store
from index.analyze import default_analyzer
from index.glosses import (
    MIN_HITS,
    Concept,
    ConceptVectors,
    concepts,
    query_keys,
    recognise,
    word_keys,
)
from index.search import Searcher
from index.tuning import Tuning


def terms_of(query: str, min_share: float = 0.5, common=lambda t: False, known=lambda t: True):  # type: ignore[no-untyped-def]
    a = default_analyzer()
    found = recognise(query_keys(query, a, common), a, min_share, known)
    return {q.term for q in found.terms}, found.share


def test_english_forms_meet_their_base_and_swedish_words_their_stem() -> None:
    assert word_keys("approved") & word_keys("approve")
    assert word_keys("invoices") & word_keys("invoice")
    assert word_keys("fakturor") & word_keys("faktura")
    assert not word_keys("fakturor") & word_keys("utgifter")


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("who may approve invoices and bills", "attestordning"),
        ("vem godkänner räkningar och utbetalningar", "attestordning"),
        ("how records and documents are kept, filed and disposed of", "arkiv"),
        ("board member with a conflict of interest who may not take part", "jäv"),
        ("pengar kvar från tidigare år som förbundet sparat", "kapital"),
        ("unga som stänger in sig hemma och inte lämnar hemmet", "hikikomori"),
        ("the association's visual identity and brand", "logotyp"),
        ("expert assistant who helps the auditors examine the accounts", "revision"),
    ],
)
def test_a_query_in_everyday_words_recognises_the_concept(query: str, term: str) -> None:
    terms, share = terms_of(query)
    assert any(t.startswith(term[:6]) for t in terms), terms
    assert share >= 0.5


def test_one_explained_word_is_not_enough_nor_a_small_share() -> None:
    assert terms_of("invoices")[0] == set()  # one content word < MIN_HITS
    assert MIN_HITS == 2
    # Two words of the attest explanation among six content words: a share of 1/3.
    query = "invoices approve quarterly garden party music lighting"
    assert terms_of(query, min_share=0.5)[0] == set()
    assert "attestordning" in terms_of(query, min_share=0.25)[0]


def test_a_query_that_names_the_concept_does_not_widen_to_it() -> None:
    """ "andel deltagare som gick vidare till arbete eller studier" asks for an outcome, and
    names the concept "studier" itself: its other terms (komvux, folkhögskola) are not added.
    Explained in other words, the concept is still recognised."""
    assert not any(
        t.startswith("komvux")
        for t in terms_of(
            "andel deltagare som gick vidare till arbete eller studier", min_share=0.3
        )[0]
    )
    terms, _ = terms_of("gå i skola och plugga vidare för att få fullständiga betyg")
    assert any(t.startswith("studi") for t in terms), terms


def test_common_words_and_stopwords_do_not_count() -> None:
    # "approve" counts only while the corpus does not hold it in most items.
    a = default_analyzer()
    common_approve = lambda t: t in {w for w in word_keys("approve")} | {"godkänn"}  # noqa: E731
    assert terms_of("approve invoices")[0]
    assert terms_of("approve invoices", common=common_approve)[0] == set()
    assert query_keys("who may and the of", a, lambda t: False) == []


def test_only_whole_terms_the_index_holds_and_no_english_translation_of_them() -> None:
    terms, _ = terms_of("who may approve invoices and bills", known=lambda t: t != "attest")
    assert "attest" not in terms and "attestordning" in terms
    # The IPS concept's term "supported employment" is searched as written, not through the
    # English glossary ("supported" would become "tillstyrka", "stödja").
    terms, _ = terms_of("supported employment in ordinary jobs for people with mental illness")
    assert "ips" in terms
    assert not {"tillstyrk", "stödj", "bakom"} & terms
    # Compound parts of a term are not searched ("attest" + "ordning" of "attestordning").
    parts = Concept(("attestordning",), frozenset(word_keys("invoice") | word_keys("approve")))
    a = default_analyzer()
    got = recognise(
        query_keys("approve invoices", a, lambda t: False), a, 0.5, lambda t: True, [parts]
    )
    assert {q.term for q in got.terms} == {"attestordning"}


def test_every_concept_has_terms_and_both_explanations() -> None:
    raw = json.loads(resources.files("index").joinpath("data/glosses.json").read_text("utf-8"))
    for c in raw["concepts"]:
        assert c["terms"] and c["sv"].strip() and c["en"].strip(), c
    assert len(concepts()) == len(raw["concepts"])


@pytest.fixture(scope="module")
def searcher(sample_settings):  # type: ignore[no-untyped-def]
    store = Store.open(sample_settings.db, readonly=True)
    yield Searcher(store, sample_settings)
    store.close()


def rank(s: Searcher, query: str, title: str, tuning: Tuning) -> int:
    """The title's place in the first 10 hybrid results (10 if not among them)."""
    s.tuning = tuning
    try:
        hits = s.search(query, 10)
    finally:
        s.tuning = Tuning()
    titles = [c.item.title for c in s.store.item_contexts([h.item_id for h in hits])]
    return titles.index(title) if title in titles else 10


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("unga som stänger in sig hemma och inte lämnar hemmet", "Hikikomori"),
        ("the association's visual identity and brand", "Samordningsförbundets logotyp"),
    ],
)
def test_the_concept_run_brings_the_item_among_the_first(searcher, query: str, title: str) -> None:  # type: ignore[no-untyped-def]
    # The query shares no word with the item's title; the lexical run misses the item and
    # the test encoder's dense run is noise, so only the concept run finds it.
    assert searcher.recognise(query).terms
    assert rank(searcher, query, title, Tuning()) <= 1
    assert rank(searcher, query, title, replace(Tuning(), gloss_weight=0.0)) >= 5


def test_the_concept_run_is_only_a_hybrid_search_s(searcher) -> None:  # type: ignore[no-untyped-def]
    query = "unga som stänger in sig hemma och inte lämnar hemmet"
    lexical = searcher.search(query, 20, mode="lexical")
    off = replace(Tuning(), gloss_weight=0.0)
    searcher.tuning = off
    try:
        assert [h.item_id for h in searcher.search(query, 20, mode="lexical")] == [
            h.item_id for h in lexical
        ]
    finally:
        searcher.tuning = Tuning()
    hybrid = searcher.search(query, 5)
    assert any(r == "concept" for r, _ in hybrid[0].parts)


class Recorder:
    """A query encoder that gives each text a fixed vector and counts the texts it embeds."""

    name = "recorder"
    dim = 4

    def __init__(self) -> None:
        self.seen = 0

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.seen += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, hash_index(t) % self.dim] = 1.0
        return out


def hash_index(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16)


def test_the_explanations_vectors_are_computed_once_and_kept_in_the_cache(tmp_path) -> None:  # type: ignore[no-untyped-def]
    enc = Recorder()
    first = ConceptVectors.of(enc, tmp_path)
    assert enc.seen == 2 * len(concepts())
    again = ConceptVectors.of(enc, tmp_path)
    assert enc.seen == 2 * len(concepts())  # read from the cache, not embedded again
    assert np.array_equal(first._vectors, again._vectors)
    # A cache file that cannot be read is replaced, not trusted.
    (kept,) = tmp_path.glob("concepts-*.npy")
    kept.write_bytes(b"not numpy")
    ConceptVectors.of(enc, tmp_path)
    assert enc.seen == 4 * len(concepts())
    assert np.load(kept).shape == (2 * len(concepts()), enc.dim)


def unit(v: list[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def test_the_nearest_concept_needs_its_cosine_and_a_margin_over_the_next() -> None:
    n = len(concepts())
    vectors = np.zeros((2 * n, 3), dtype=np.float32)
    vectors[:, 2] = 1.0  # every explanation far from the query …
    vectors[2 * 5 + 1] = unit([1.0, 0.0, 0.0])  # … but concept 5's English one
    vectors[2 * 9] = unit([0.9, 0.1, 0.0])  # and concept 9's Swedish one, a little further
    cv = ConceptVectors(vectors)
    q = unit([1.0, 0.0, 0.0])
    second = float(unit([0.9, 0.1, 0.0]) @ q)
    assert cv.nearest(q, 0.9, 0.0) is concepts()[5]
    assert cv.nearest(q, 0.9, (1.0 - second) / 2) is concepts()[5]
    assert cv.nearest(q, 0.9, (1.0 - second) * 2) is None  # the next one is too close
    assert cv.nearest(q, 1.01, 0.0) is None  # not near enough


def test_a_nearest_concept_is_recognised_without_its_words() -> None:
    a = default_analyzer()
    target = next(c for c in concepts() if "hikikomori" in c.terms)
    keys = query_keys("something else entirely", a, lambda t: False)
    got = recognise(keys, a, 0.5, lambda t: True, nearest=target)
    assert "hikikomori" in {q.term for q in got.terms}
    assert got.share == 1.0
    assert recognise(keys, a, 0.5, lambda t: True).terms == ()


def test_the_searcher_recognises_a_concept_by_the_query_s_vector(searcher) -> None:  # type: ignore[no-untyped-def]
    # Words alone cannot recognise anything (a share above 1); the vector can, when on.
    target = next(c for c in concepts() if "logotyp" in c.terms)
    query = target.texts[1]  # its English explanation: the same vector, cosine 1
    vector = searcher.encoder.encode_queries([query])[0]
    words_off = replace(Tuning(), gloss_share=1.01)
    searcher.tuning = replace(words_off, concept_cosine=0.99, concept_margin=0.0)
    try:
        assert "logotyp" in {q.term for q in searcher.recognise(query, vector).terms}
        assert searcher.recognise(query).terms == ()  # no vector, no nearest concept
        searcher.tuning = replace(words_off, concept_margin=1.0)  # off
        assert searcher.recognise(query, vector).terms == ()
    finally:
        searcher.tuning = Tuning()


def test_the_app_says_which_concept_the_search_took_in(sample_settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    import search_app

    monkeypatch.setenv("FINSAM_DB", str(sample_settings.db))
    monkeypatch.setenv("FINSAM_MODEL", "hash")
    monkeypatch.setenv("FINSAM_CACHE", str(sample_settings.cache_dir))

    def captions(query: str) -> list[str]:
        at = AppTest.from_file(
            str(Path(search_app.__file__).with_name("app.py")), default_timeout=120
        )
        at.query_params["q"] = query
        at.run()
        assert not at.exception, at.exception
        return [c.value for c in at.main.caption]

    said = [c for c in captions("the association's visual identity and brand") if "begrepp" in c]
    assert said == [
        "Sökningen omfattar även begreppet *logotyp*, som frågan beskriver med andra ord."
    ]
    assert not [c for c in captions("serviceavgift") if "begrepp" in c]
