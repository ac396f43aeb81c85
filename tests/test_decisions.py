"""`finsam decisions` / compare on the samples, the constructed protocols and the layout set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.model import (
    COMPARE_DECIDED,
    COMPARE_DECIDED_OTHERWISE,
    COMPARE_NO_DOCUMENTS,
    COMPARE_NOT_FOUND,
    COMPARE_ON_AGENDA,
    DECIDED,
    KALLELSE,
    Filters,
)
from corpus.settings import Settings
from corpus.store import Store
from index.compare import compare, status_counts
from index.decisions import decisions_on_topic, timeline
from index.members import active_in, by_name
from index.report import compare_summary, decision_record
from index.search import Searcher
from index.topics_eval import load_topics, score_topic

DATA = Path(__file__).parent / "data"
TOPICS = DATA / "topics.json"
SAMPLES = DATA.parent.parent / "corpus" / "samples"


@pytest.fixture(scope="module")
def searcher(sample_settings):
    store = Store.open(sample_settings.db, readonly=True)
    yield Searcher(store, sample_settings)
    store.close()


@pytest.fixture(scope="module")
def layout_searcher(sample_settings, tmp_path_factory):
    """The sample corpus plus the decision protocols (tests/data/decisions, variants written
    for the topic set) and the layout documents (tests/data/layouts)."""
    from index.build import ingest_and_index

    tmp = tmp_path_factory.mktemp("layouts")
    settings = Settings(db=tmp / "finsam.db", model="hash", cache_dir=tmp / "cache")
    report, _ = ingest_and_index(
        [SAMPLES, DATA / "protocols", DATA / "decisions", DATA / "layouts"], settings
    )
    assert not report.failures, report.failures
    store = Store.open(settings.db, readonly=True)
    yield Searcher(store, settings)
    store.close()


@pytest.mark.parametrize("case", load_topics(TOPICS), ids=lambda c: c.tid)
def test_topics_complete_and_precise(layout_searcher, case) -> None:
    score = score_topic(layout_searcher, case)
    assert score.precision == score.recall == 1.0, score.errors
    assert not set(score.found) & case.excluded


def test_english_topic_gives_the_same_records(searcher) -> None:
    sv = decisions_on_topic(searcher, "NNS serviceavgift")
    en = decisions_on_topic(searcher, "all NNS fee decisions")
    assert [r.context.item.item_id for r in sv] == [r.context.item.item_id for r in en]


def test_sala_request_partly_granted_once_and_referred_back_once(searcher) -> None:
    rows = decisions_on_topic(searcher, "tilläggsäskande Samordningsteam Sala")
    by_date = {r.context.meeting_date: r for r in rows if "Sala" in r.context.item.title}
    assert by_date["2023-11-02"].act == "partly_granted"  # 120 tkr of the 147 424 kr asked
    assert by_date["2023-11-02"].amounts_kr == (120000.0,)
    assert by_date["2023-09-26"].act == "referred_back"


def test_a_notice_is_on_the_agenda_never_a_decision(searcher) -> None:
    rows = decisions_on_topic(searcher, "NNS serviceavgift")
    notice = [r for r in rows if r.context.doc_kind == KALLELSE]
    assert notice and all(
        r.status != DECIDED and r.act is None and r.stance is None for r in notice
    )
    assert not [
        r
        for r in decisions_on_topic(searcher, "NNS serviceavgift", decided_only=True)
        if r.context.doc_kind == KALLELSE
    ]


def test_requested_act_filters_on_the_typed_record(searcher) -> None:
    rejected = decisions_on_topic(searcher, "avslagna tilläggsäskanden")
    assert rejected and all(r.act == "rejected" for r in rejected)
    granted = decisions_on_topic(searcher, "beviljade tilläggsäskanden")
    assert granted and all(r.act in ("granted", "partly_granted") for r in granted)
    assert not {r.context.item.item_id for r in rejected} & {
        r.context.item.item_id for r in granted
    }


def test_compare_covers_every_member_of_the_period(searcher) -> None:
    rows = compare(searcher, "NNS serviceavgift")
    assert len(rows) >= 70
    by = {r.forbund: r for r in rows}
    nv = by["Norra Västmanlands Samordningsförbund"]
    assert (nv.status, nv.primary.stance) == (COMPARE_DECIDED, "for")
    assert nv.primary.context.source.startswith("000_")
    umea = by["Samordningsförbundet Umeåregionen"]
    assert umea.status == COMPARE_ON_AGENDA
    assert umea.primary.context.doc_kind == KALLELSE and umea.primary.stance is None
    assert by["Samordningsförbundet Södra Lappland"].status == COMPARE_NOT_FOUND
    assert by["Samordningsförbundet Östra Södertörn"].status == COMPARE_NO_DOCUMENTS
    for r in rows:
        if r.status == COMPARE_DECIDED:
            assert r.primary.stance and r.primary.context.doc_kind != KALLELSE
    counts = status_counts(rows)
    assert sum(counts.values()) == len(rows)
    # the period is 2021-2023: Västerås (merged into Västmanland 2024) is in it; Västmanland
    # starts in 2024 by the list, but the corpus holds its interim board's 2023 protocol
    assert by["Samordningsförbundet Västerås"].status == COMPARE_NO_DOCUMENTS
    assert by["Samordningsförbundet Västmanland"].status == COMPARE_NOT_FOUND


def test_compare_in_another_period(searcher) -> None:
    rows23 = {
        r.forbund: r
        for r in compare(
            searcher, "NNS serviceavgift", Filters(date_from="2023-01-01", date_to="2023-12-31")
        )
    }
    assert rows23["Sjuhärads Samordningsförbund"].status == COMPARE_NO_DOCUMENTS
    assert rows23["Samordningsförbundet Umeåregionen"].status == COMPARE_NO_DOCUMENTS
    assert rows23["Samordningsförbundet Gävleborg"].primary.stance == "against"
    rows24 = compare(searcher, "NNS serviceavgift", Filters(date_from="2024-01-01"))
    assert "Samordningsförbundet Västerås" not in {r.forbund for r in rows24}  # merged


def test_compare_of_a_question_for_one_stance_tells_other_decisions_apart(searcher) -> None:
    """ "Which boards voted against": a board that decided for is no board where the topic was
    not found, and the period is that of every decision on the topic, not of the answers."""
    everything = {r.forbund: r for r in compare(searcher, "NNS serviceavgift")}
    against = {
        r.forbund: r for r in compare(searcher, "vilka förbund röstade emot NNS serviceavgift")
    }
    assert {n: r.primary.stance for n, r in against.items() if r.status == COMPARE_DECIDED} == {
        n: r.primary.stance
        for n, r in everything.items()
        if r.status == COMPARE_DECIDED and r.primary.stance == "against"
    }
    others = [n for n, r in everything.items() if r.status == COMPARE_DECIDED]
    assert others and all(
        against[n].status in (COMPARE_DECIDED, COMPARE_DECIDED_OTHERWISE) for n in others
    )
    nv = against["Norra Västmanlands Samordningsförbund"]  # decided for
    assert nv.status == COMPARE_DECIDED_OTHERWISE and nv.primary.stance == "for"
    assert {r.period for r in against.values()} == {r.period for r in everything.values()}
    counts = status_counts(list(against.values()))
    assert counts[COMPARE_DECIDED_OTHERWISE] >= 1 and sum(counts.values()) == len(against)


def test_a_row_shows_the_kronor_its_item_states_beside_its_decision(searcher) -> None:
    """The fee is often in the background ("NNS föreslår … 66 600 kr") of a decision that only
    supports the proposal: the row shows it, as written, apart from the decision's amounts."""
    rows = decisions_on_topic(searcher, "NNS serviceavgift")
    for row in rows:
        it = row.context.item
        text = " ".join([it.title, it.body, *it.decisions])
        assert all(" ".join(a.split()) in " ".join(text.split()) for a in row.amounts_in_item)
        assert not {a.value for a in it.amounts if a.text in row.amounts_in_item} & set(
            row.amounts_kr
        )
    nv = next(r for r in rows if r.context.forbund == "Norra Västmanlands Samordningsförbund")
    assert not nv.amounts_kr and nv.amounts_in_item
    record = decision_record(nv)
    assert record["amounts_in_item"] == list(nv.amounts_in_item)


def test_members_active_by_period() -> None:
    in_2020 = active_in("2020-01-01", "2020-12-31")
    assert len(in_2020) == 78  # the 2020 table of sample 003
    names_2024 = {m.name for m in active_in("2024-01-01", "2024-12-31")}
    assert "Samordningsförbundet Västmanland" in names_2024
    assert "Norra Västmanlands Samordningsförbund" not in names_2024
    vm = by_name()["Samordningsförbundet Västmanland"]
    assert "Norra Västmanlands Samordningsförbund" in vm.predecessors


def test_timeline_counts_decisions_per_year(searcher) -> None:
    rows = decisions_on_topic(searcher, "NNS serviceavgift")
    years = {(y, f): n for y, f, n in timeline(rows)}
    assert years[("2021", "Sjuhärads Samordningsförbund")] == 1
    assert ("2021", "Samordningsförbundet Umeåregionen") not in years  # a notice


def test_cli_decisions_and_compare_json(sample_settings) -> None:
    from click.testing import CliRunner

    from search_app.cli import cli

    env = {"FINSAM_DB": str(sample_settings.db), "FINSAM_MODEL": "hash"}
    result = CliRunner().invoke(cli, ["decisions", "NNS serviceavgift", "--json"], env=env)
    assert result.exit_code == 0, result.output
    rec = next(d for d in json.loads(result.stdout)["decisions"] if d["number"] == 57)
    assert (rec["status"], rec["act"], rec["stance"]) == ("decided", "delegated", "for")
    result = CliRunner().invoke(cli, ["compare", "NNS serviceavgift", "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    fields = {"forbund", "status", "stance", "act", "meeting_date", "label", "amounts_kr"}
    fields |= {"clause", "source", "doc_kind", "pages"}
    assert all(fields <= set(r) for r in data["rows"])
    assert sum(data["counts"].values()) == len(data["rows"]) >= 70
    text = CliRunner().invoke(cli, ["compare", "NNS serviceavgift"], env=env)
    assert text.exit_code == 0
    assert text.stdout.splitlines()[0] == compare_summary(data["counts"])


def test_cli_eval_decisions(sample_settings, tmp_path) -> None:
    from click.testing import CliRunner

    from search_app.cli import cli

    topics = {
        "topics": [
            {
                "id": "fee",
                "topic": "NNS serviceavgift",
                "expected": [["gavleborg_2023-11-10.txt", "Ärende 3", "against"]],
            }
        ]
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(topics), encoding="utf-8")
    env = {"FINSAM_DB": str(sample_settings.db), "FINSAM_MODEL": "hash"}
    result = CliRunner().invoke(cli, ["eval-decisions", str(path)], env=env)
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("fee "))
    # recall 1, precision below 1: the corpus holds more fee decisions than this file lists
    assert line.split()[1:3] != ["1.00", "1.00"] and line.split()[2] == "1.00"
