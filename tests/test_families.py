"""Word families (index/families.py): a verb, its participle and its action noun find each
other through the index's own vocabulary, at the family weight; nothing else does."""

from __future__ import annotations

import pytest

from corpus.model import make_item_id
from index.analyze import stem
from index.families import MIN_ROOT, Families, root_keys
from index.lexical import LexicalIndex


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("förlängd", "förlängning"),  # participle / action noun
        ("fastställd", "fastställande"),
        ("justera", "justering"),
        ("reservera", "reservation"),  # -era verb / -ation noun
        ("attestera", "attest"),
        ("anställd", "anställning"),
        ("uppdrar", "uppdrag"),  # a strong verb's noun: "Styrelsen uppdrar åt …" / "uppdrag"
        ("uppdra", "uppdraget"),
    ],
)
def test_derivations_share_a_root(a: str, b: str) -> None:
    assert set(root_keys(stem(a))) & set(root_keys(stem(b)))
    assert stem(b) in Families.of([stem(a), stem(b), stem("budget")]).relatives(stem(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("bord", "bordlägga"),  # a short root is no family
        ("budget", "budgetram"),  # compounds are the compound splitter's business
        ("beslut", "besluta"),  # one stem already: nothing to add
        ("fastställa", "fastställande"),
        ("avgift", "avslag"),
        ("bidrar", "bidrag"),  # a root under MIN_ROOT letters
        ("drar", "drag"),
    ],
)
def test_other_words_are_no_family(a: str, b: str) -> None:
    assert stem(b) not in Families.of([stem(a), stem(b)]).relatives(stem(a))


def test_roots_are_long_enough() -> None:
    assert all(len(k) >= MIN_ROOT for k in Families.of(["justering", "juster"]).by_key)
    assert root_keys("2023") == ("2023",)  # numbers stay whole


ITEMS = [
    ("forlangning", "Förlängning av insatsen Hälsokoordinator", "Insatsen fortsätter ett år till."),
    ("budget", "Budget 2024", "Budgeten fastställs."),
    ("nystart", "Ny insats Nystart", "Styrelsen beviljar medel till insatsen."),
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build((make_item_id("fam", n), t, b) for n, t, b in ITEMS)


def test_a_query_word_finds_its_family_at_the_family_weight(index: LexicalIndex) -> None:
    target = make_item_id("fam", "forlangning")
    assert not index.search("förlängd", 3)  # the participle alone is no index term
    hits = index.search("förlängd", 3, family_weight=0.3)
    assert [h.item_id for h in hits] == [target]
    assert hits[0].matched == ("förlängd",)  # credited to the word the user typed
    weights = {q.term: q.weight for q in index.query_terms("förlängd", 0.3)}
    assert weights == {stem("förlängning"): 0.3}
    # a word the query holds keeps its own weight beside a relative's
    both = {q.term: q.weight for q in index.query_terms("förlängd förlängning", 0.3)}
    assert both == {stem("förlängning"): 1.0}


def test_without_the_family_weight_nothing_changes(index: LexicalIndex) -> None:
    for q in ("förlängning", "budget 2024", "insats"):
        assert index.query_terms(q) == index.query_terms(q, 0.0)
        assert [h.item_id for h in index.search(q, 3)] == [
            h.item_id for h in index.search(q, 3, family_weight=0.0)
        ]


def test_synonym_groups_are_corpus_title_words_and_stem_apart() -> None:
    from index.families import synonym_groups, synonym_stems

    groups = synonym_groups()
    assert 3 <= len(groups) <= 40  # a table of standing-item wordings, not a thesaurus
    seen: set[str] = set()
    for group in groups:
        assert len(group) >= 2 and all(w == w.lower() and " " not in w for w in group)
        assert not seen & set(group)  # a word is in one group
        seen |= set(group)
    stems = synonym_stems(stem)
    assert stem("möte") in stems[stem("sammanträde")]
    assert stem("sammanträde") not in stems[stem("sammanträde")]


def test_a_synonym_is_searched_at_the_synonym_weight() -> None:
    items = [
        ("info", "Förbundschefen informerar", "Kansliet har flyttat."),
        ("budget", "Budget 2024", "Budgeten fastställs."),
    ]
    index = LexicalIndex.build((make_item_id("syn", n), t, b) for n, t, b in items)
    assert not index.search("rapport", 2)
    hits = index.search("rapport", 2, synonym_weight=0.5)
    assert [h.item_id for h in hits] == [make_item_id("syn", "info")]
    assert hits[0].matched == ("rapport",)
    weights = {q.term: q.weight for q in index.query_terms("rapport", 0.0, 0.5)}
    assert weights == {stem("informerar"): 0.5}  # "rapport" itself is no index term here
    assert not index.query_terms("rapport", 0.3, 0.0)  # families alone do not bring it
