"""BM25 index (build, search, filters, save/load) and highlighted snippets."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from corpus.errors import IndexStale
from corpus.model import item_key, make_item_id
from corpus.settings import Settings
from corpus.store import Store
from index.analyze import analyze_query
from index.lexical import Bm25Params, LexicalIndex
from index.snippet import snippet

ROOT = Path(__file__).resolve().parents[1]


def iid(name: str) -> str:
    return make_item_id("test-doc", name)


CORPUS = [
    (
        iid("avgift"),
        "Förslag till ökad serviceavgift",
        "Styrelsen beslutar att rösta för förslaget om utökad serviceavgift till NNS. "
        "Serviceavgiften blir 3,5 promille av medelstilldelningen.",
    ),
    (
        iid("dagordning"),
        "Dagordning",
        "Föreslagen dagordning fastställs.",
    ),
    (
        iid("budget"),
        "Budget 2024",
        "Förbundets budget för 2024 fastställs. Avgiften till Nationella nätverket ingår "
        "bland kostnaderna. Styrelsen godkänner budgeten och verksamhetsplanen.",
    ),
    (
        iid("justerare"),
        "Val av protokolljusterare",
        "Att utse Roger Ingvarsson att justera protokollet.",
    ),
    (
        iid("tillagg"),
        "Tilläggsäskande 2023 Samordningsteam Sala",
        "Samordningsteamet inkom med ett tilläggsäskande. Styrelsen beslutar att bevilja "
        "en extra tilldelning om 120 tkr.",
    ),
    (
        iid("lokal-titel"),
        "Lokalhyra",
        "Avtal om hyra av kontor för kansliet tecknas för tre år.",
    ),
    (
        iid("lokal-text"),
        "Avtal om kontor",
        "Lokalhyra för kansliet diskuterades och ett avtal tecknas för tre år.",
    ),
    (
        iid("enkat"),
        "Enkät om arbetsvillkor",
        "NNS har genomfört en enkätundersökning av förbundschefers arbetsvillkor.",
    ),
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(CORPUS)


def ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.item_id for h in hits]


# -- ranking on a small corpus --------------------------------------------------------------
def test_compound_part_finds_items_in_hand_checked_order(index: LexicalIndex) -> None:
    hits = index.search("avgift", 10)
    # "avgift" item: serviceavgift in the title (x3) and twice in the body; budget item:
    # "Avgiften" once in a longer body; nothing else mentions a fee.
    assert ids(hits) == [iid("avgift"), iid("budget")]
    assert hits[0].score > hits[1].score > 0
    assert all(h.retriever == "lexical" for h in hits)


def test_title_counts_more_than_body(index: LexicalIndex) -> None:
    hits = index.search("lokalhyra", 10)
    assert ids(hits)[:2] == [iid("lokal-titel"), iid("lokal-text")]


def test_definite_forms_and_parts_match(index: LexicalIndex) -> None:
    assert ids(index.search("förbundet", 3))[0] == iid("budget")
    assert ids(index.search("äskande", 3)) == [iid("tillagg")]
    # the word itself counts more than the same word as part of "medelstilldelningen"
    assert ids(index.search("tilldelning", 3))[:2] == [iid("tillagg"), iid("avgift")]
    chef = index.search("förbundschef", 3)  # the part "förbund" also finds "Förbundets"
    assert ids(chef) == [iid("enkat"), iid("budget")] and chef[0].score > 2 * chef[1].score


def test_english_query_through_glossary(index: LexicalIndex) -> None:
    assert ids(index.search("approval of the agenda", 3))[0] == iid("dagordning")
    assert ids(index.search("who was chosen to check the minutes", 3))[0] == iid("justerare")
    fee = index.search("fee", 3)
    assert fee[0].item_id == iid("avgift")
    assert "serviceavgift" in fee[0].matched or "avgift" in fee[0].matched


def test_matched_lists_the_query_words_that_matched(index: LexicalIndex) -> None:
    hit = index.search("budget avgift okändaordet", 1)[0]
    assert hit.item_id == iid("budget")
    assert set(hit.matched) == {"budget", "avgift"}


def test_query_of_stems_as_other_modules_send_it(index: LexicalIndex) -> None:
    terms = " ".join(analyze_query("arbetsvillkoren för förbundschefer"))
    assert ids(index.search(terms, 2))[0] == iid("enkat")


def test_nothing_matches(index: LexicalIndex) -> None:
    assert index.search("xyzzy plugh", 5) == []
    assert index.search("och att det", 5) == []
    assert index.search("avgift", 0) == []


def test_bm25_score_by_hand() -> None:
    # Numbers are indexed as they stand, so term frequencies and lengths are plain to see.
    docs = [(iid("a"), "", "111 222 222"), (iid("b"), "", "111 333"), (iid("c"), "", "333")]
    p = Bm25Params(k1=1.2, b=0.75, title_weight=3)
    idx = LexicalIndex.build(docs, params=p)
    n, avgdl = 3, (3 + 2 + 1) / 3

    def bm25(tf: int, df: int, dl: int) -> float:
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return idf * tf / (tf + p.k1 * (1 - p.b + p.b * dl / avgdl))

    hits = {h.item_id: h.score for h in idx.search("222 111", 5)}
    assert hits[iid("a")] == pytest.approx(bm25(2, 1, 3) + bm25(1, 2, 3), rel=1e-5)
    assert hits[iid("b")] == pytest.approx(bm25(1, 2, 2), rel=1e-5)
    assert iid("c") not in hits


@pytest.mark.parametrize("part_tf", [0.25, 0.5, 1.0])
def test_a_compound_part_counts_as_part_tf_of_an_occurrence(part_tf: float) -> None:
    # "serviceavgift" is indexed as itself and as its parts "service" and "avgift" (both
    # seen standalone), each part adding part_tf to its tf and to the item's length.
    docs = [
        (iid("a"), "", "avgift avgift"),
        (iid("b"), "", "serviceavgift"),
        (iid("c"), "", "service"),
    ]
    p = Bm25Params(part_tf=part_tf)
    idx = LexicalIndex.build(docs, params=p)
    dl = [
        1 + 2 * part_tf if i == iid("b") else 2.0 if i == iid("a") else 1.0
        for i in idx.rows.item_ids
    ]
    assert idx.rows.dl.tolist() == dl
    avgdl = sum(dl) / 3
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))

    def bm25(tf: float, length: float) -> float:
        return idf * tf / (tf + p.k1 * (1 - p.b + p.b * length / avgdl))

    items, scores = idx.postings("avgift")
    got = dict(zip(items, scores.tolist(), strict=True))
    assert got[iid("a")] == pytest.approx(bm25(2, 2), rel=1e-5)
    assert got[iid("b")] == pytest.approx(bm25(part_tf, 1 + 2 * part_tf), rel=1e-5)


def test_a_saved_index_is_scored_with_the_codes_k1_and_b_and_stale_if_built_otherwise(
    tmp_path: Path,
) -> None:
    texts = [
        (iid(f"p{i}"), f"Punkt {i} avgift", "serviceavgift och budget " * (1 + i % 4))
        for i in range(12)
    ]
    code = Bm25Params()
    # k1 and b score the saved term frequencies at query time: another k1 or b saved with
    # the index gives way to the code's, and the index answers as one built with them.
    LexicalIndex.build(texts, params=Bm25Params(k1=2.0, b=0.3)).save(tmp_path / "kb")
    loaded = LexicalIndex.load(tmp_path / "kb")
    assert loaded.params == code
    fresh = LexicalIndex.build(texts)
    for query in ("avgift", "serviceavgift budget", "punkt 3"):
        assert loaded.search(query, 12) == fresh.search(query, 12)
    # A title weight or part tf makes the term frequencies: such an index is stale (the
    # next ingest or reindex rebuilds it), unless those are the parameters asked for.
    for other in (
        Bm25Params(title_weight=code.title_weight + 1),
        Bm25Params(part_tf=code.part_tf * 2),
    ):
        folder = tmp_path / f"tw{other.title_weight}-part{other.part_tf}"
        LexicalIndex.build(texts, params=other).save(folder)
        with pytest.raises(IndexStale, match="title word .* compound part .* finsam reindex"):
            LexicalIndex.load(folder)
        assert LexicalIndex.load(folder, other).params == other
        # Its saved tokens seed a build when the title weight is the same (they do not
        # depend on how parts count): the build equals one from scratch.
        saved = LexicalIndex.saved_tokens(folder)
        if other.title_weight != code.title_weight:
            assert saved is None
        else:
            assert saved is not None
            assert_same_index(LexicalIndex.build([], base=saved), fresh)
    # An index saved before part_tf was recorded was built with parts at 0.5.
    meta_path = tmp_path / "kb" / "analyzer.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    del meta["part_tf"]
    meta_path.write_text(json.dumps(meta), "utf-8")
    assert LexicalIndex.load(tmp_path / "kb", replace(code, part_tf=0.5)).params.part_tf == 0.5
    if code.part_tf != 0.5:
        with pytest.raises(IndexStale):
            LexicalIndex.load(tmp_path / "kb")


# -- filters --------------------------------------------------------------------------------
def test_filter_inside_search_keeps_k_results() -> None:
    docs = [
        (iid(f"f{i}"), f"Punkt {i}", "Avgift " * (1 + i % 5) + "och annat " * (i % 7))
        for i in range(60)
    ]
    idx = LexicalIndex.build(docs)
    everything = idx.search("avgift", 60)
    assert len(everything) == 60
    # allow the 12 items that rank LAST: an over-fetch-and-drop would find none of them
    allowed_ids = [h.item_id for h in everything[-12:]]
    allowed = np.array(sorted(item_key(i) for i in allowed_ids), dtype=np.int64)
    hits = idx.search("avgift", 5, allowed)
    assert len(hits) == 5
    assert set(ids(hits)) <= set(allowed_ids)
    assert ids(hits) == [h.item_id for h in everything if h.item_id in set(ids(hits))]
    assert len(idx.search("avgift", 50, allowed)) == 12


def test_filter_edge_cases(index: LexicalIndex) -> None:
    none = np.array([], dtype=np.int64)
    assert index.search("avgift", 5, none) == []
    unknown = np.array([item_key(iid("not-indexed"))], dtype=np.int64)
    assert index.search("avgift", 5, unknown) == []
    only_budget = np.array([item_key(iid("budget"))], dtype=np.int64)
    assert ids(index.search("avgift", 5, only_budget)) == [iid("budget")]


# -- persistence ----------------------------------------------------------------------------
def test_save_load_same_results(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "lex")
    loaded = LexicalIndex.load(tmp_path / "lex")
    assert loaded.item_ids == index.item_ids and len(loaded) == len(index)
    allowed = np.array(sorted(item_key(i) for i, _, _ in CORPUS[:4]), dtype=np.int64)
    for q in ("avgift", "fee", "lokalhyra", "förbundschef", "beslut styrelsen 2024"):
        assert loaded.search(q, 5) == index.search(q, 5)
        assert loaded.search(q, 5, allowed) == index.search(q, 5, allowed)
    assert not list((tmp_path / "lex").glob("*.tmp"))


def test_missing_damaged_or_outdated_index_is_stale(index: LexicalIndex, tmp_path: Path) -> None:
    with pytest.raises(IndexStale):
        LexicalIndex.load(tmp_path / "nothing-here")
    folder = tmp_path / "lex"
    index.save(folder)
    meta = json.loads((folder / "analyzer.json").read_text("utf-8"))
    meta["analyzer_version"] = -1
    (folder / "analyzer.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IndexStale, match="analyzer version"):
        LexicalIndex.load(folder)
    index.save(folder)
    (folder / "item_ids.txt").write_text("abc", "utf-8")
    with pytest.raises(IndexStale):
        LexicalIndex.load(folder)


def test_empty_corpus_and_repeated_ids(tmp_path: Path) -> None:
    empty = LexicalIndex.build([])
    assert len(empty) == 0 and empty.search("avgift", 5) == []
    empty.save(tmp_path / "e")
    assert len(LexicalIndex.load(tmp_path / "e")) == 0
    with pytest.raises(ValueError, match="twice"):
        LexicalIndex.build([(iid("x"), "a", "b"), (iid("x"), "c", "d")])


def test_progress_is_reported() -> None:
    seen: list[int] = []
    LexicalIndex.build(CORPUS, progress=seen.append)
    assert seen and seen[-1] == len(CORPUS)


def test_sample_protocol_end_to_end() -> None:
    text = (ROOT / "corpus" / "samples" / "000_52e1473b84c5cf25.txt").read_text("utf-8")
    parts = text.split("NVSam §")
    docs = [(iid(f"s{i}"), p.strip().split("\n")[0], p) for i, p in enumerate(parts)]
    by_id = {d[0]: d[2] for d in docs}
    idx = LexicalIndex.build(docs)
    top = idx.search("avgift", 1)[0]
    assert "serviceavgift" in by_id[top.item_id].lower()
    top = idx.search("tilläggsäskande Sala", 1)[0]
    assert by_id[top.item_id].lstrip().startswith("56")


# -- snippets -------------------------------------------------------------------------------
def test_snippet_marks_compound_parts() -> None:
    text = CORPUS[0][2]
    out = snippet(text, ["avgift"])
    assert "**serviceavgift**" in out and "**Serviceavgiften**" in out
    assert "**tilläggsäskande**" in snippet(CORPUS[4][2], ["äskande"])
    assert "**parkeringsavgiften**" in snippet("Den nya parkeringsavgiften höjs.", ["avgift"])


def test_snippet_with_query_terms_and_english() -> None:
    out = snippet(CORPUS[1][2], analyze_query("approval of the agenda"))
    assert "**dagordning**" in out and "**fastställs**" in out
    out = snippet(CORPUS[7][2], analyze_query("förbundschef"))
    assert "**förbundschefers**" in out


def test_snippet_window_goes_to_the_matches() -> None:
    filler = "Ärendet behandlades utan anmärkning. " * 40
    text = filler + "Styrelsen beslutar om ny serviceavgift för nästa år. " + filler
    out = snippet(text, ["serviceavgift"], width=120)
    assert "**serviceavgift**" in out
    assert out.startswith("…") and out.endswith("…")
    assert len(out.replace("**", "")) <= 120 + 2
    assert "  " not in out and "\n" not in out


def test_snippet_without_match_and_with_export_rules() -> None:
    text = "Inledning av mötet.\n______\n" + "Text " * 100
    out = snippet(text, ["xyzzy"], width=60)
    assert out.startswith("Inledning av mötet.") and "_" not in out and out.endswith("…")
    assert len(out) <= 61
    short = snippet("Kort text om budget.", ["budget"])
    assert short == "Kort text om **budget**."


def assert_same_index(a: LexicalIndex, b: LexicalIndex) -> None:
    """Same items in the same order, same lexicon, same postings and scores for every term."""
    assert a.item_ids == b.item_ids
    assert a.lexicon.surfaces == b.lexicon.surfaces and a.lexicon.stems == b.lexicon.stems
    assert set(a._vocab) == set(b._vocab)
    for term in a._vocab:
        items_a, scores_a = a.postings(term)
        items_b, scores_b = b.postings(term)
        assert items_a == items_b, term
        assert np.array_equal(scores_a, scores_b), term


Text = tuple[str, str, str]  # (item_id, title, text)


def sample_split(
    settings: Settings,
) -> tuple[list[Text], list[Text], set[str], list[Text]]:
    """The sample corpus's item texts, split at random (seed 11) into a corpus `before`, the
    items of it that go, and the items added after it, in shuffled order (the order new items
    are read in does not matter)."""
    with Store.open(settings.db, readonly=True) as store:
        texts = list(store.item_texts())
    rng = random.Random(11)
    before = [t for t in texts if rng.random() < 0.6]
    gone = {t[0] for t in before if rng.random() < 0.25}
    added = [t for t in texts if t not in before]
    assert gone and added
    rng.shuffle(added)
    return texts, before, gone, added


def test_a_build_from_saved_tokens_equals_a_build_from_scratch(
    sample_settings: Settings, tmp_path: Path
) -> None:
    texts, before, gone, added = sample_split(sample_settings)
    LexicalIndex.build(before).save(tmp_path / "v1")
    saved = LexicalIndex.saved_tokens(tmp_path / "v1")
    assert saved is not None and saved.item_ids == [t[0] for t in before]
    updated = LexicalIndex.build(added, base=saved.without(gone))
    scratch = LexicalIndex.build([t for t in texts if t[0] not in gone])
    assert_same_index(updated, scratch)
    for query in ("serviceavgift", "budget 2024", "tilläggsäskande Sala", "protokolljusterare"):
        assert updated.search(query, 10) == scratch.search(query, 10)
    # Saved again and loaded, the updated index answers the same.
    updated.save(tmp_path / "v2")
    assert_same_index(LexicalIndex.load(tmp_path / "v2"), scratch)
    # Other parameters or a damaged file: no tokens to build on.
    assert LexicalIndex.saved_tokens(tmp_path / "v2", Bm25Params(title_weight=2)) is None
    (tmp_path / "v2" / "tokens.offsets.npy").write_bytes(b"not numpy")
    assert LexicalIndex.saved_tokens(tmp_path / "v2") is None
