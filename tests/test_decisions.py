"""`finsam decisions` / compare on the samples plus constructed protocols in new layouts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.model import Filters
from corpus.store import Store
from index.decisions import compare, decisions_on_topic, timeline, topic_concepts
from index.search import Searcher
from index.topics_eval import load_topics, score_topic

TOPICS = Path(__file__).parent / "data" / "topics.json"


@pytest.fixture(scope="module")
def searcher(sample_settings):
    store = Store.open(sample_settings.db, readonly=True)
    yield Searcher(store, sample_settings)
    store.close()


@pytest.mark.parametrize("case", load_topics(TOPICS), ids=lambda c: c.tid)
def test_topics_complete_and_precise(searcher, case) -> None:
    score = score_topic(searcher, case)
    assert score.recall == 1.0, f"missed: {set(case.expected) - set(score.found)}"
    assert not set(score.found) & case.excluded, (
        f"wrongly listed: {set(score.found) & case.excluded}"
    )
    assert not score.stance_errors


def test_english_topic_gives_the_same_records(searcher) -> None:
    sv = decisions_on_topic(searcher, "NNS serviceavgift")
    en = decisions_on_topic(searcher, "all NNS fee decisions")
    assert [r.context.item.item_id for r in sv] == [r.context.item.item_id for r in en]


def test_sala_request_approved_once_and_returned_once(searcher) -> None:
    rows = decisions_on_topic(searcher, "tilläggsäskande Samordningsteam Sala")
    by_date = {r.context.meeting_date: r for r in rows if "Sala" in r.context.item.title}
    assert by_date["2023-11-02"].stance == "approved"
    assert by_date["2023-11-02"].amounts_kr == (120000.0,)
    assert by_date["2023-09-26"].stance == "returned"


def test_noise_words_are_not_concepts() -> None:
    assert len(topic_concepts("alla beslut om serviceavgift")) == 1


def test_compare_reports_coverage_gaps(searcher) -> None:
    rows = {r.forbund: r for r in compare(searcher, "NNS serviceavgift")}
    assert rows["Samordningsförbundet Gävleborg"].rows[0].stance == "against"
    assert rows["Samordningsförbundet Centrala Östergötland"].rows[0].stance == "abstain"
    assert rows["Sjuhärads Samordningsförbund"].rows[0].stance == "for"
    lappland = rows["Samordningsförbundet Södra Lappland"]
    assert not lappland.rows and lappland.coverage.startswith("inget beslut hittat")
    # Restricted to 2023, Sjuhärad (2021 only) has no protocols: a different answer.
    rows23 = {
        r.forbund: r
        for r in compare(
            searcher, "NNS serviceavgift", Filters(date_from="2023-01-01", date_to="2023-12-31")
        )
    }
    assert rows23["Sjuhärads Samordningsförbund"].coverage.startswith("inga protokoll")
    assert rows23["Samordningsförbundet Umeåregionen"].coverage.startswith("inga protokoll")


def test_timeline_counts_per_year(searcher) -> None:
    rows = decisions_on_topic(searcher, "NNS serviceavgift")
    years = {(y, f): n for y, f, n in timeline(rows)}
    assert years[("2021", "Sjuhärads Samordningsförbund")] == 1
    assert sum(n for (y, _), n in years.items() if y == "2023") == 3


def test_cli_decisions_json(sample_settings) -> None:
    from click.testing import CliRunner

    from search_app.cli import cli

    env = {"FINSAM_DB": str(sample_settings.db), "FINSAM_MODEL": "hash"}
    result = CliRunner().invoke(cli, ["decisions", "NNS serviceavgift", "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rec = next(d for d in data["decisions"] if d["number"] == 57)
    assert {
        "source",
        "forbund",
        "meeting_date",
        "label",
        "number",
        "title",
        "decisions",
        "stance",
        "amounts_kr",
        "pages",
    } <= set(rec)
    assert rec["stance"] == "for" and rec["meeting_date"] == "2023-11-02"
