"""Re-ranking by what the query asks (index.fuse.rerank) and query understanding
(index.query.understand, index.lang): hand-checked cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.model import Hit
from index.analyze import default_analyzer, stem
from index.compounds import builtin_lexicon
from index.fuse import Boosts, Candidate, Intent, after_protocols, rerank, title_share
from index.lang import EN, SV, detect
from index.query import title_years, understand
from index.search import is_furniture
from index.tuning import Tuning

DATA = Path(__file__).parent / "data"
BOOSTS = Boosts(procedural=0.5, month=1.5, year=1.2, act=2.0, notice=0.8)


def hits(*ids: str) -> list[Hit]:
    """Hits scored 1.0, 0.9, 0.8 … in the given order."""
    return [Hit(i, 1.0 - n / 10, "hybrid") for n, i in enumerate(ids)]


def order(out: list[Hit]) -> list[str]:
    return [h.item_id for h in out]


def test_furniture_never_ranks() -> None:
    facts = {"sign": Candidate(furniture=True), "b": Candidate()}
    assert order(rerank(hits("sign", "b", "c"), Intent(), facts, (), BOOSTS)) == ["b", "c"]


def test_procedural_items_demoted_unless_asked() -> None:
    got = rerank(hits("justerare", "b"), Intent(), {}, {"justerare"}, BOOSTS)
    assert order(got) == ["b", "justerare"]
    asked = rerank(hits("justerare", "b"), Intent(procedural=True), {}, {"justerare"}, BOOSTS)
    assert order(asked) == ["justerare", "b"]


def test_items_whose_act_is_asked_for_rank_higher() -> None:
    facts = {
        "granted": Candidate(doc_kind="protokoll", act="granted"),
        "rejected": Candidate(doc_kind="protokoll", act="rejected"),
        "against": Candidate(doc_kind="protokoll", act="rejected", stances=frozenset({"against"})),
    }
    ranked = hits("granted", "against", "rejected")
    wants_rejected = Intent(acts=frozenset({"rejected"}), asks_decision=True)
    assert order(rerank(ranked, wants_rejected, facts, (), BOOSTS)) == [
        "against",
        "rejected",
        "granted",
    ]
    wants_against = Intent(stances=frozenset({"against"}), asks_decision=True)
    assert order(rerank(ranked, wants_against, facts, (), BOOSTS))[0] == "against"
    # A query that asks for no act leaves the order alone.
    assert order(rerank(ranked, Intent(), facts, (), BOOSTS)) == order(ranked)


def test_decision_queries_prefer_the_protocol_to_the_notice_of_its_meeting() -> None:
    facts = {
        "notice": Candidate(doc_kind="kallelse", forbund="F", meeting_date="2023-10-19"),
        "other": Candidate(doc_kind="protokoll", forbund="G", meeting_date="2023-05-02"),
        "protocol": Candidate(doc_kind="protokoll", forbund="F", meeting_date="2023-10-19"),
    }
    # Scores so close that the notice factor alone does not reorder them.
    ranked = [Hit("notice", 1.0, "hybrid"), Hit("other", 0.5, "hybrid")]
    ranked.append(Hit("protocol", 0.45, "hybrid"))
    got = rerank(ranked, Intent(asks_decision=True), facts, (), BOOSTS)
    assert order(got) == ["other", "protocol", "notice"]
    assert [h.score for h in got] == sorted((h.score for h in got), reverse=True)
    # Not asked about a decision: the notice keeps its place.
    assert order(rerank(ranked, Intent(), facts, (), BOOSTS)) == ["notice", "other", "protocol"]


def test_a_notice_of_another_meeting_is_not_moved() -> None:
    facts = {
        "notice": Candidate(doc_kind="kallelse", forbund="F", meeting_date="2023-10-19"),
        "protocol": Candidate(doc_kind="protokoll", forbund="F", meeting_date="2023-11-30"),
    }
    assert order(after_protocols(hits("notice", "protocol"), facts)) == ["notice", "protocol"]


def test_period_boost_month_over_year() -> None:
    facts = {
        "in": Candidate(meeting_date="2023-11-02"),
        "out": Candidate(meeting_date="2022-11-02"),
    }
    month = Intent(period=("2023-11-01", "2023-11-30"))
    assert order(rerank(hits("out", "in"), month, facts, (), BOOSTS)) == ["in", "out"]
    year = Intent(period=("2023-01-01", "2023-12-31"), one_year=True)
    close = [Hit("out", 1.0, "hybrid"), Hit("in", 0.7, "hybrid")]
    assert order(rerank(close, year, facts, (), BOOSTS)) == ["out", "in"]  # 0.84 < 1.0


@pytest.mark.parametrize(
    ("title", "years"),
    [
        ("NNS förslag om höjd serviceavgift 2022", {2022}),
        ("Budget 2024 och verksamhetsplan 2024–2026", {2024, 2025, 2026}),
        ("Budget 2022 och verksamhetsplan 2022 - 2024", {2022, 2023, 2024}),
        ("Delårsrapport per 2021-08-31", {2021}),
        ("Delårsrapport januari–augusti 2023", {2023}),
        ("Verksamhetsår 2019/2020", {2019, 2020}),
        ("Prövning av fråga om ansvarsfrihet 2020 för styrelser", {2020}),
        ("NNS förslag om långsiktig finansiering", set()),
        ("Tilläggsäskande – Samordningsteam Sala", set()),
        ("§ 12 Ärende 1203", set()),  # not a year
        ("Avtal 1990–2030", {1990, 2030}),  # too long a range: its ends
    ],
)
def test_title_years(title: str, years: set[int]) -> None:
    assert title_years(title) == years


def test_titles_naming_only_other_years_than_the_query_rank_lower() -> None:
    """ "höja serviceavgiften … från 2022": the proposals for 2023 and 2021 fall behind the
    one for 2022 and behind a title that names no year; a query naming no period, or the
    neutral factor, leaves the order alone."""
    titles = {
        "fee-2023": "NNS förslag om höjd serviceavgift 2023",
        "fee-2021": "NNS förslag om höjd serviceavgift 2021",
        "plan-2021-2023": "Budget 2021 och verksamhetsplan 2021–2023",
        "fee-2022": "NNS förslag om höjd serviceavgift 2022",
        "financing": "NNS förslag om långsiktig finansiering",
    }
    facts = {i: Candidate(years=title_years(t)) for i, t in titles.items()}
    ranked = hits(*titles)
    boosts = Boosts(other_year=0.5)
    intent = understand("höja serviceavgiften med en promille från 2022")
    got = order(rerank(ranked, intent, facts, (), boosts))
    assert got[:3] == ["plan-2021-2023", "fee-2022", "financing"]
    assert set(got[3:]) == {"fee-2023", "fee-2021"}
    assert order(rerank(ranked, understand("höja serviceavgiften"), facts, (), boosts)) == (
        order(ranked)
    )
    assert order(rerank(ranked, intent, facts, (), Boosts())) == order(ranked)


def title_facts(titles: dict[str, str]) -> dict[str, Candidate]:
    analyze = default_analyzer().analyze
    return {i: Candidate(title_terms=frozenset(analyze(t))) for i, t in titles.items()}


def test_titles_holding_the_query_words_rank_higher() -> None:
    """ "förlängd finansiering": the item titled with both words (one through its family)
    passes the two that hold one or none; the boost grows with the share of words held."""
    titles = {
        "result": "Resultaträkning 2022",
        "funding": "Förslag till långsiktig finansiering",
        "extension": "Förlängning av finansiering för insatsen",
    }
    facts = title_facts(titles)
    words = (frozenset({"förläng", "förlängning"}), frozenset({"finansiering", "finansier"}))
    assert title_share(words, facts["extension"].title_terms) == 1.0
    assert title_share(words, facts["funding"].title_terms) == 0.5
    assert title_share(words, facts["result"].title_terms) == 0.0
    ranked = hits("result", "funding", "extension")  # scores 1.0, 0.9, 0.8
    got = rerank(ranked, Intent(words=words), facts, (), Boosts(title=0.5))
    assert order(got) == ["extension", "funding", "result"]  # 1.2, 1.125, 1.0
    assert [round(h.score, 3) for h in got] == [1.2, 1.125, 1.0]
    # no boost, or a query without words: the order stays
    assert order(rerank(ranked, Intent(words=words), facts, (), Boosts())) == order(ranked)
    assert order(rerank(ranked, Intent(), facts, (), Boosts(title=0.5))) == order(ranked)


def test_a_title_holds_a_word_through_a_compound_part() -> None:
    """The title's compound parts count: "Sammanträdesplan 2023" holds "sammanträde"."""
    facts = title_facts({"plan": "Sammanträdesplan 2023"})
    assert title_share((frozenset({"sammanträd"}),), facts["plan"].title_terms) == 1.0


@pytest.mark.parametrize(
    ("title", "furniture"),
    [
        ("Justeras", True),
        ("ANSLAG/BEVIS", True),
        ("Underskrifter", True),
        ("Vid protokollet", True),
        ("Utdragsbestyrkande", True),
        ("Justerandes sign", True),
        ("Sida 3 (9)", True),
        ("Ordförande Sekreterare", True),
        ("Justering av protokollet", False),
        ("Val av justerare", False),
        ("Ordförande för 2024", False),
        ("Budget 2024", False),
        ("Tilläggsäskande – Samordningsteam Sala", False),
    ],
)
def test_furniture_titles(title: str, furniture: bool) -> None:
    assert is_furniture(title) is furniture


def test_language_of_labelled_queries() -> None:
    """The rule with the built-in lexicon (a corpus adds its own words) on short queries."""
    words = builtin_lexicon(stem).surfaces
    labelled = json.loads((DATA / "lang-queries.json").read_text("utf-8"))["queries"]
    wrong = [q for q, lang in labelled if detect(q, words) != lang]
    assert not wrong


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("årsmöte", SV),  # Swedish letters
        ("the", EN),
        ("Karlstad", SV),  # a name votes for neither: the corpus's language
        ("", SV),
        ("budget", SV),  # a glossary key the corpus uses as a word
    ],
)
def test_language_rule(query: str, lang: str) -> None:
    assert detect(query, {"budget"}) == lang


@pytest.mark.parametrize(
    ("query", "acts", "stances", "decision", "lang"),
    [
        ("avslagna tilläggsäskanden", {"rejected"}, set(), True, SV),
        ("rejected requests", {"rejected"}, set(), True, EN),
        ("beviljade medel", {"granted", "partly_granted"}, set(), True, SV),
        ("tabled", {"tabled"}, set(), True, EN),
        ("which boards voted against the fee", set(), {"against"}, True, EN),
        ("beslut om delårsrapport", set(), set(), True, SV),
        ("delårsrapport", set(), set(), False, SV),
    ],
)
def test_understand(
    query: str, acts: set[str], stances: set[str], decision: bool, lang: str
) -> None:
    intent = understand(query, builtin_lexicon(stem).surfaces)
    assert (set(intent.acts), set(intent.stances), intent.asks_decision, intent.lang) == (
        acts,
        stances,
        decision,
        lang,
    )


def test_understand_names_the_period() -> None:
    assert understand("budget 2024").period == ("2024-01-01", "2024-12-31")
    assert understand("budget 2024").one_year
    month = understand("protokoll november 2023")
    assert month.period == ("2023-11-01", "2023-11-30") and not month.one_year


def test_tuning_weights_per_language() -> None:
    t = Tuning(lexical_weight=3.0, dense_weight=1.0, lexical_weight_en=1.5, dense_weight_en=1.0)
    assert t.weights(SV) == (3.0, 1.0)
    assert t.weights(EN) == (1.5, 1.0)


def test_searcher_gives_each_query_word_the_terms_it_searches(sample_settings) -> None:  # type: ignore[no-untyped-def]
    """Intent.words on a real index: one set per word the index holds, holding its own stem
    and its synonym group's ("möten" → "sammanträd"); no set for a stopword or a year."""
    from corpus.store import Store
    from index.search import Searcher

    with Store.open(sample_settings.db, readonly=True) as store:
        searcher = Searcher(store, sample_settings)
        vocab = searcher.lexical._vocab
        words = searcher.understand("kommande möten för 2023").words
        assert any({"möt", "sammanträd"} <= w for w in words)
        assert all(w and w <= vocab.keys() for w in words)
        assert not any("2023" in w or "för" in w for w in words)
        assert len(words) == 2  # "kommande", "möten"
