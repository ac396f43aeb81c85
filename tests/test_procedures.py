"""How a board reached a decision (ingest.procedure: a vote, a reservation, a note to the
minutes, a conflict of interest), how a query asks for one (index.topic, index.query) and how
search finds and ranks the items that record it (index.search, index.fuse.rerank). The
wordings are our own, several per family, with the wordings that record none."""

from __future__ import annotations

import pytest
from corpora import text_corpus

from corpus.model import PROCEDURES, Hit
from index.fuse import Boosts, Candidate, Intent, rerank
from index.query import understand
from index.search import Searcher
from index.topic import parse_topic
from ingest.procedure import WORDS, procedures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a vote: counted, called for, or the chair putting one motion against another
        (
            "Omröstning begärs och verkställs. Med 5 röster mot 3 beslutar styrelsen att avslå.",
            {"vote"},
        ),
        ("Votering genomförs. Ja-röster: Anna Ek, Per Holm. Nej-röster: Lisa Berg.", {"vote"}),
        ("Voteringen utfaller 4–4; ordförandens utslagsröst avgör.", {"vote"}),
        (
            "Ordföranden ställer proposition på förbundschefens förslag mot Leila Hamdans yrkande"
            " och finner att styrelsen beslutar enligt förslaget.",
            {"vote"},
        ),
        (
            "Ordföranden ställer arbetsutskottets förslag mot Karins yrkande och finner förslaget bifallet.",
            {"vote"},
        ),
        ("Propositionsordning\nOrdföranden frågar om styrelsen bifaller förslaget.", {"vote"}),
        (
            "Den som vill bifalla förslaget röstar ja, den som vill bifalla yrkandet röstar nej.",
            {"vote"},
        ),
        # a reservation, a note, a conflict of interest
        ("Leila Hamdan (S) reserverar sig mot beslutet.", {"reservation"}),
        (
            "Reservation\nKristdemokraternas ledamot reserverade sig till förmån för eget yrkande.",
            {"reservation"},
        ),
        (
            "Per Holm (V) antecknar till protokollet att han anser att avgiften är för hög.",
            {"note"},
        ),
        (
            "Protokollsanteckning\nSusanne Berg antecknar att myndigheten deltar inom sitt uppdrag.",
            {"note"},
        ),
        ("Anna Berg anmäler jäv och deltar inte i handläggningen av ärendet.", {"conflict"}),
        ("Mats Ek (C) är jävig och lämnar rummet.", {"conflict"}),
        # several in one item
        (
            "Yrkanden\nOla yrkar avslag.\nPropositionsordning\nOrdföranden ställer förslaget mot"
            " Olas yrkande.\nReservation\nOla reserverar sig.",
            {"vote", "reservation"},
        ),
        # none: the board's own position, a denial, money set aside, an uncontested proposition
        ("Styrelsen röstar nej till NNS förslag om höjd avgift.", set()),
        ("Beslutet fattades utan omröstning.", set()),
        ("Inga reservationer anmäldes.", set()),
        ("Ingen ledamot reserverade sig mot beslutet.", set()),
        ("Ingen anmälde jäv.", set()),
        ("Reservation: ingen", set()),
        ("Styrelsen beslutar att avsätta 200 tkr till en reserv för oförutsedda kostnader.", set()),
        (
            "Förbundet har en reserv om 1,2 mnkr; det egna kapitalet överstiger rekommendationen.",
            set(),
        ),
        (
            "Ordföranden ställer frågan om ärendet kan avgöras i dag och finner att så är fallet.",
            set(),
        ),
        ("Styrelsen beslutar att godkänna delårsrapporten.", set()),
    ],
)
def test_procedures_read_from_an_items_text(text: str, expected: set[str]) -> None:
    assert procedures(text) == expected


def test_every_procedure_has_its_words() -> None:
    assert set(WORDS) == set(PROCEDURES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Vilka beslut avgjordes genom omröstning?", {"vote"}),
        ("voteringar i styrelsen", {"vote"}),
        ("Which board held a roll-call vote?", {"vote"}),
        ("decisions where a member entered a reservation", {"reservation"}),
        ("ledamot reserverade sig mot beslutet", {"reservation"}),
        ("protokollsanteckningar om NNS-avgiften", {"note"}),
        ("conflict of interest declared by a member", {"conflict"}),
        ("jäv vid beslut om ny insats", {"conflict"}),
        # a motion against the proposal is decided by a vote; a hyphen reads as a space in the
        # vocabulary as in the query
        ("beslut där det fanns motförslag", {"vote"}),
        ("counter-motions the board turned down", {"vote"}),
        ("utfall av ja-röster och nej-röster", {"vote"}),
        # a stance is no procedure: "voted against" is the board's position
        ("boards that voted against the NNS fee", set()),
        ("röstade nej till höjd serviceavgift", set()),
        ("beviljade tilläggsäskanden", set()),
    ],
)
def test_queries_ask_for_procedures(query: str, expected: set[str]) -> None:
    assert parse_topic(query).procedures == expected
    intent = understand(query)
    assert intent.procedures == expected
    if expected:
        assert intent.asks_decision


def test_a_procedure_is_asked_of_the_decision_not_named_as_its_subject() -> None:
    topic = parse_topic("tilläggsäskanden med reservation")
    assert topic.procedures == {"reservation"} and topic.asks
    assert "reservation" not in " ".join(c.name for c in topic.concepts)
    assert not parse_topic("omröstning").concepts


def test_items_decided_by_the_asked_procedure_rank_higher() -> None:
    facts = {
        "plain": Candidate(doc_kind="protokoll", act="approved"),
        "vote": Candidate(doc_kind="protokoll", procedures=frozenset({"vote"})),
        "note": Candidate(doc_kind="protokoll", procedures=frozenset({"note"})),
    }
    ranked = [Hit(i, 1.0 - n / 10, "hybrid") for n, i in enumerate(["plain", "note", "vote"])]
    boosts = Boosts(procedure=2.0)
    got = rerank(ranked, Intent(procedures=frozenset({"vote"})), facts, (), boosts)
    assert [h.item_id for h in got] == ["vote", "plain", "note"]
    # A query that asks for none leaves the order alone.
    same = rerank(ranked, Intent(), facts, (), boosts)
    assert [h.item_id for h in same] == ["plain", "note", "vote"]


DELEGATION = """§ {n} Anmälan av delegationsbeslut
Ordföranden har fattat ett beslut på delegation om attesträtt. Beslutet gäller till årets slut.
Beslut
Anmälan av beslutet läggs till handlingarna.
"""

PROTOCOL = """PROTOKOLL
Samordningsförbundet {forbund}
Styrelsen
Sammanträdesdatum: {date}

§ 1 Tilläggsäskande – Steget vidare
Styrgruppen ansöker om 300 000 kr för att behålla en arbetskonsulent.
Yrkanden
Eva Lind yrkar bifall till ansökan.
Propositionsordning
Ordföranden ställer förbundschefens förslag mot Eva Linds yrkande och finner att förslaget vinner bifall.
Beslut
Ansökan avslås.
Reservation
Eva Lind reserverar sig mot beslutet.

§ 2 Budget för nästa år
Förbundschefen redogör för budgeten.
Beslut
Budgeten fastställs.

{delegations}
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Two protocols: in each, one item decided between competing motions (the word
    "omröstning" nowhere) with a reservation, one plain decision and three notices of
    delegated decisions full of the word "beslut"."""
    delegations = "\n".join(DELEGATION.format(n=k) for k in (3, 4, 5))
    texts = {
        f"protokoll_{n}.txt": PROTOCOL.format(forbund=forbund, date=date, delegations=delegations)
        for n, (forbund, date) in enumerate([("Norrköping", "2023-03-02"), ("Borås", "2024-05-16")])
    }
    with text_corpus(tmp_path_factory.mktemp("procedures"), texts) as searcher:
        yield searcher


def titles(searcher: Searcher, query: str, k: int) -> list[str]:
    hits = searcher.search(query, k)
    return [c.item.title for c in searcher.store.item_contexts([h.item_id for h in hits])]


@pytest.mark.parametrize(
    "query",
    [
        "Vilka beslut avgjordes genom omröstning?",
        "decisions where a member entered a reservation",
        "beslut där någon reserverade sig",
    ],
)
def test_search_finds_the_items_decided_by_the_asked_procedure(
    searcher: Searcher, query: str
) -> None:
    assert titles(searcher, query, 2) == ["Tilläggsäskande – Steget vidare"] * 2


def test_without_the_procedure_run_and_boost_the_items_are_not_first(searcher: Searcher) -> None:
    """What the run of the procedure's words and its boost change (procedure_boost 1: off)."""
    from dataclasses import replace

    before = searcher.tuning
    searcher.tuning = replace(before, procedure_boost=1.0)
    try:
        got = titles(searcher, "Vilka beslut avgjordes genom omröstning?", 2)
    finally:
        searcher.tuning = before
    assert got != ["Tilläggsäskande – Steget vidare"] * 2


def test_a_decision_row_shows_how_the_decision_was_reached(searcher: Searcher) -> None:
    """`finsam decisions` / `compare`, the app and the exports show the procedures an item
    records ("Förfarande": omröstning; reservation), the others none."""
    from corpus.export import HEADERS_SV
    from index.decisions import decisions_on_topic
    from index.report import DECISION_COLUMNS, decision_record, decision_table
    from search_app.tables import decisions_text

    rows = decisions_on_topic(searcher, "tilläggsäskande")
    assert len(rows) == 2
    assert all(r.procedures == ("vote", "reservation") for r in rows)
    assert decision_record(rows[0])["procedures"] == ["vote", "reservation"]
    table = decision_table(rows)
    assert "procedures_sv" in DECISION_COLUMNS and HEADERS_SV["procedures_sv"] == "Förfarande"
    assert {r["procedures_sv"] for r in table} == {"omröstning; reservation"}
    assert "Förfarande: omröstning; reservation" in decisions_text(table)
    plain = [r for r in decisions_on_topic(searcher, "budget") if r.context.item.number == 2]
    assert len(plain) == 2 and all(r.procedures == () for r in plain)


@pytest.mark.parametrize(
    ("topic", "titles"),
    [
        # the vote items say "ställer … mot … yrkande", never "omröstning"
        ("omröstning", ["Tilläggsäskande – Steget vidare"] * 2),
        ("votes", ["Tilläggsäskande – Steget vidare"] * 2),
        ("tilläggsäskanden med reservation", ["Tilläggsäskande – Steget vidare"] * 2),
        # "budget" alone lists "Budget för nästa år" (above); no reservation was made there
        ("budget för nästa år med reservation", []),
        ("jäv", []),
    ],
)
def test_decisions_on_a_topic_that_asks_for_a_procedure(
    searcher: Searcher, topic: str, titles: list[str]
) -> None:
    from index.decisions import decisions_on_topic

    rows = decisions_on_topic(searcher, topic)
    assert [r.context.item.title for r in rows] == titles


def test_the_items_export_carries_the_procedures(searcher: Searcher) -> None:
    """`finsam export` (JSON Lines and CSV): a researcher filters the contested decisions."""
    import csv
    import io
    import json

    from click.testing import CliRunner

    from search_app.cli import cli

    env = {"FINSAM_DB": str(searcher.settings.db), "FINSAM_MODEL": "hash"}
    out = CliRunner().invoke(cli, ["export", "--format", "jsonl"], env=env).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    by_title = {(r["forbund"], r["title"]): r["procedures"] for r in rows}
    contested = [p for (_, t), p in by_title.items() if t.startswith("Tilläggsäskande")]
    assert contested == [["vote", "reservation"]] * 2
    assert all(p == [] for (_, t), p in by_title.items() if not t.startswith("Tilläggsäskande"))
    plain = ["export", "--format", "csv", "--csv-dialect", "plain"]
    table = list(csv.DictReader(io.StringIO(CliRunner().invoke(cli, plain, env=env).stdout)))
    assert "procedures" in table[0] and len(table) == len(rows)
