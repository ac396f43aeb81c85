"""An incremental update of the lexical index equals a build from scratch: the same lexicon,
the same postings and BM25 scores for every term, the same rankings.

Corpora: the real sample items (fixture) and generated items whose words are built from
parts, so that adding and removing items makes parts known and unknown, changes the counts
that decide between splits, and so re-splits words of items that did not change.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_lexical import iid, sample_split

from corpus.settings import Settings
from index import lexical_update
from index.compounds import wordlist
from index.lexical import BASE_FILES, Bm25Params, LexicalIndex
from index.lexical_update import update

PARTS = wordlist(
    "service avgift avgifter samordning förbund styrelse möte protokoll park parkering "
    "ering kontor hyra lokal insats insatser team sam ordning arbete marknad plan verksam "
    "het budget rapport uppföljning enkät under sökning fri tid rehab ilitering stöd "
    "projekt medel till delning äskande tillägg individ deltagare kommun region nät verk"
)
PLAIN = wordlist("och att beslutar godkänner fastställs enligt förslag om för av den med")


def generated_items(n: int, seed: int, tag: str) -> list[tuple[str, str, str]]:
    """Items of words joined from 1-3 parts (with binding s sometimes): compounds, their
    parts standalone and plain words, in shifting proportions per seed."""
    rng = random.Random(seed)
    standalone = rng.uniform(0.05, 0.4)

    def word() -> str:
        if rng.random() < 0.3:
            return rng.choice(PLAIN)
        k = 1 if rng.random() < standalone else rng.choice((2, 2, 3))
        parts = [rng.choice(PARTS) for _ in range(k)]
        return "".join(
            p + ("s" if i < k - 1 and rng.random() < 0.3 else "") for i, p in enumerate(parts)
        )

    out = []
    for i in range(n):
        title = " ".join(word() for _ in range(rng.randint(1, 4))).capitalize()
        body = " ".join(word() for _ in range(rng.randint(3, 40)))
        out.append((iid(f"{tag}-{i}"), title, body))
    return out


def postings(index: LexicalIndex) -> dict[str, tuple[list[str], list[float]]]:
    """term -> (item ids, scores) of its non-empty column."""
    out = {}
    for term in index._vocab:
        items, scores = index.postings(term)
        if items:
            out[term] = (list(items), scores.tolist())
    return out


def assert_equal_to_scratch(updated: LexicalIndex, texts: list[tuple[str, str, str]]) -> None:
    scratch = LexicalIndex.build(texts)
    assert updated.item_ids == scratch.item_ids
    assert updated.lexicon.surfaces == scratch.lexicon.surfaces
    assert dict(updated.lexicon.stems) == dict(scratch.lexicon.stems)
    assert set(updated._vocab) == set(scratch._vocab)
    assert postings(updated) == postings(scratch)  # scores compared exactly, as floats
    words = sorted({w for _, title, body in texts for w in (title + " " + body).lower().split()})
    rng = random.Random(len(texts))
    queries = [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(60)]
    for q in [*queries, *PARTS]:
        assert updated.search(q, 20) == scratch.search(q, 20), q


@pytest.mark.parametrize("compact_share", [0.0, 0.25, 1e9], ids=["always", "default", "never"])
def test_updates_equal_builds_from_scratch_on_generated_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compact_share: float
) -> None:
    """Always compacted (one base segment), compacted when the delta outgrows a quarter of
    the base, or never (every update in the delta segment, dead rows piling up)."""
    monkeypatch.setattr(lexical_update, "COMPACT_SHARE", compact_share)
    params = Bm25Params()
    live = generated_items(300, seed=1, tag="a")
    LexicalIndex.build(live).save(tmp_path / "v0")
    rng = random.Random(2)
    for step in range(1, 6):
        gone = {t[0] for t in live if rng.random() < 0.08}
        added = generated_items(rng.randint(1, 40), seed=10 + step, tag=f"s{step}")
        updated = update(tmp_path / f"v{step - 1}", added, gone, params)
        assert updated is not None
        live = [t for t in live if t[0] not in gone] + added
        assert_equal_to_scratch(updated, live)
        updated.save(tmp_path / f"v{step}")
        # saved and loaded, it answers the same
        again = LexicalIndex.load(tmp_path / f"v{step}")
        assert postings(again) == postings(updated)


def test_an_update_resplits_words_of_items_that_did_not_change(tmp_path: Path) -> None:
    """ "parkeringsavgiften" splits by the parts the corpus knows: when an item adds
    "parkering" standalone, the older item is posted again with the new split."""
    old = [(iid("old"), "Avgifter", "parkeringsavgiften höjs enligt förslag")]
    LexicalIndex.build(old).save(tmp_path / "v0")
    added = [(iid("new"), "Parkering", "parkering och avgift")]
    updated = update(tmp_path / "v0", added, set(), Bm25Params())
    assert updated is not None
    assert_equal_to_scratch(updated, old + added)
    hits = updated.search("parkering", 5)
    assert [h.item_id for h in hits] == [iid("new"), iid("old")]


def test_updates_equal_builds_from_scratch_on_the_samples(
    sample_settings: Settings, tmp_path: Path
) -> None:
    texts, before, gone, added = sample_split(sample_settings)
    LexicalIndex.build(before).save(tmp_path / "v1")
    updated = update(tmp_path / "v1", added, gone, Bm25Params())
    assert updated is not None
    assert_equal_to_scratch(updated, [t for t in texts if t[0] not in gone])


def test_no_update_without_what_it_needs(tmp_path: Path) -> None:
    items = generated_items(20, seed=3, tag="x")
    LexicalIndex.build(items).save(tmp_path / "v0")
    assert update(tmp_path / "v0", [], set(), Bm25Params(title_weight=2)) is None
    (tmp_path / "v0" / "tokens.counts.npy").unlink()
    assert update(tmp_path / "v0", [], set(), Bm25Params()) is None
    assert update(tmp_path / "missing", [], set(), Bm25Params()) is None


def test_an_update_links_the_base_segment_and_rewrites_only_the_rest(tmp_path: Path) -> None:
    items = generated_items(200, seed=4, tag="b")
    LexicalIndex.build(items).save(tmp_path / "v0")
    added = generated_items(3, seed=5, tag="c")
    updated = update(tmp_path / "v0", added, {items[0][0]}, Bm25Params())
    assert updated is not None and len(updated.delta) and updated.base_folder == tmp_path / "v0"
    updated.save(tmp_path / "v1")
    for name in BASE_FILES:  # the same file, not a copy
        assert (tmp_path / "v1" / name).stat().st_ino == (tmp_path / "v0" / name).stat().st_ino
    again = LexicalIndex.load(tmp_path / "v1")
    assert postings(again) == postings(updated)
    assert_equal_to_scratch(again, items[1:] + added)


def test_an_update_refuses_an_item_it_already_has(tmp_path: Path) -> None:
    items = generated_items(10, seed=6, tag="d")
    LexicalIndex.build(items).save(tmp_path / "v0")
    with pytest.raises(ValueError, match="twice"):
        update(tmp_path / "v0", items[:1], set(), Bm25Params())
    # replaced: gone and added in one update
    updated = update(
        tmp_path / "v0", [(items[0][0], "Ny rubrik", "parkering")], {items[0][0]}, Bm25Params()
    )
    assert updated is not None
    assert_equal_to_scratch(updated, [(items[0][0], "Ny rubrik", "parkering"), *items[1:]])
