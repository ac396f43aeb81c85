"""The conditions a board attaches to a decision (ingest.condition): read from the clause as
written, shown beside the act in every decision list (`finsam decisions`/`compare`, JSON,
CSV, the app) and carried by `finsam export`. The wordings are our own, several per family,
with the ones that state none."""

from __future__ import annotations

import pytest
from corpora import text_corpus

from index.search import Searcher
from ingest.condition import conditions


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # a condition noun with its preposition: the phrase from the preposition
        (
            "Styrelsen beviljar 500 tkr under förutsättning att Region Gävleborg beviljar "
            "motsvarande belopp.",
            ["under förutsättning att Region Gävleborg beviljar motsvarande belopp"],
        ),
        (
            "att godkänna avtalet på villkor att insatsen redovisar resultat halvårsvis, "
            "samt att uppdra åt förbundschefen att följa upp",
            ["på villkor att insatsen redovisar resultat halvårsvis"],
        ),
        (
            "Styrelsen beviljar 2,4 mnkr med förbehåll för att budgeten för 2025 fastställs.",
            ["med förbehåll för att budgeten för 2025 fastställs"],
        ),
        (
            "Förbundsstyrelsen ställer sig bakom NNS förslag under förutsättning att alla tre "
            "förbund i länet säger ja",
            ["under förutsättning att alla tre förbund i länet säger ja"],
        ),
        # a conjunction: the phrase from it
        (
            "att bevilja 300 tkr förutsatt att kommunen bidrar med lika mycket; att uppdra åt "
            "förbundschefen att följa upp insatsen",
            ["förutsatt att kommunen bidrar med lika mycket"],
        ),
        (
            "Arbetsutskottet beviljar 80 000 kronor ifall medfinansieringen från regionen uteblir.",
            ["ifall medfinansieringen från regionen uteblir"],
        ),
        # a verb: the sentence is the condition
        (
            "Styrelsen beviljar 2 400 000 kronor per år för 2024 och 2025. Medlen för 2025 "
            "förutsätter att styrelsen fastställer budget för 2025.",
            ["Medlen för 2025 förutsätter att styrelsen fastställer budget för 2025"],
        ),
        (
            "Beslutet är villkorat av att alla tre förbund säger ja till förslaget.",
            ["Beslutet är villkorat av att alla tre förbund säger ja till förslaget"],
        ),
        # a condition written first ends where the board's own clause begins
        (
            "Under förutsättning att regionen bidrar beviljar styrelsen 200 tkr.",
            ["Under förutsättning att regionen bidrar"],
        ),
        (
            "Styrelsen beviljar 100 tkr. Under förutsättning att regionen bidrar beviljar "
            "styrelsen 200 tkr.",
            ["Under förutsättning att regionen bidrar"],
        ),
        # after the main clause the condition runs to its end, an organ in it or not
        (
            "Styrelsen beviljar 300 tkr under förutsättning att regionen beviljar förbundet "
            "motsvarande medel.",
            ["under förutsättning att regionen beviljar förbundet motsvarande medel"],
        ),
        # two conditions
        (
            "Styrelsen beviljar 150 tkr under förutsättning att lokalen hyrs gemensamt och "
            "100 tkr på villkor att en extern utvärdering görs.",
            [
                "under förutsättning att lokalen hyrs gemensamt och 100 tkr",
                "på villkor att en extern utvärdering görs",
            ],
        ),
        # none: no condition word, a condition denied, the noun in another sense
        ("Styrelsen beviljar ansökan om 300 000 kronor.", []),
        ("Styrelsen beviljar medlen utan villkor.", []),
        ("Styrelsen godkänner avtalet utan förbehåll.", []),
        ("Förutsättningarna för insatsen bedöms som goda och ansökan beviljas.", []),
        ("Styrelsen fastställer villkoren för insatsen enligt bilaga.", []),
    ],
)
def test_conditions_of_a_clause(clause: str, expected: list[str]) -> None:
    assert list(conditions(clause)) == expected


PROTOCOL = """Protokoll
Samordningsförbundet {forbund}
Styrelsen
Datum: {date}

§ 1 Tilläggsäskande – Steget vidare
Insatsen söker 400 000 kronor för hösten.
Beslut
Styrelsen beviljar 400 000 kronor under förutsättning att Region {forbund} beviljar motsvarande belopp.

§ 2 Ny insats – Vägen in
Ansökan avser 200 000 kronor.
Beslut
Styrelsen beviljar 200 000 kronor.
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Two protocols, each with a grant on a condition and a grant without one."""
    texts = {
        f"protokoll_{n}.txt": PROTOCOL.format(forbund=forbund, date=date)
        for n, (forbund, date) in enumerate([("Norrköping", "2023-03-02"), ("Borås", "2024-05-16")])
    }
    with text_corpus(tmp_path_factory.mktemp("conditions"), texts) as searcher:
        yield searcher


def test_a_decision_row_shows_its_condition(searcher: Searcher) -> None:
    """`finsam decisions` (table, JSON) shows the condition beside the act ("Villkor"); the
    grant without one shows none, and the act stays granted."""
    from corpus.export import HEADERS_SV
    from index.decisions import decisions_on_topic
    from index.report import DECISION_COLUMNS, decision_record, decision_table
    from search_app.tables import decisions_text

    rows = decisions_on_topic(searcher, "tilläggsäskande")
    assert sorted(r.conditions for r in rows) == [
        ("under förutsättning att Region Borås beviljar motsvarande belopp",),
        ("under förutsättning att Region Norrköping beviljar motsvarande belopp",),
    ]
    assert {r.act for r in rows} == {"granted"} and {r.amounts_kr for r in rows} == {(400000.0,)}
    assert decision_record(rows[0])["conditions"] == list(rows[0].conditions)
    table = decision_table(rows)
    assert "conditions" in DECISION_COLUMNS and HEADERS_SV["conditions"] == "Villkor"
    assert "Villkor: under förutsättning att Region" in decisions_text(table)
    plain = [r for r in decisions_on_topic(searcher, "beviljade") if r.context.item.number == 2]
    assert len(plain) == 2 and all(r.conditions == () for r in plain)


def test_a_decision_card_shows_amount_and_condition(searcher: Searcher) -> None:
    """The app's decision and precedent cards: the facts a row states, escaped, one line."""
    from index.decisions import decisions_on_topic
    from search_app.ui import decision_facts_html

    rows = decisions_on_topic(searcher, "beviljade")
    conditional = next(r for r in rows if r.context.item.number == 1)
    shown = decision_facts_html(conditional)
    assert "<b>Belopp:</b> 400 000 kr" in shown
    assert "<b>Villkor:</b> under förutsättning att Region" in shown
    plain = next(r for r in rows if r.context.item.number == 2)
    assert "Villkor" not in decision_facts_html(plain)
    assert "<b>Belopp:</b> 200 000 kr" in decision_facts_html(plain)


def test_a_comparison_shows_each_boards_condition(searcher: Searcher) -> None:
    from index.compare import compare
    from index.report import compare_record, compare_table
    from search_app.tables import compare_text

    rows = compare(searcher, "tilläggsäskande")
    decided = [compare_record(r) for r in rows if r.primary]
    assert sorted(c for r in decided for c in r["conditions"]) == [
        "under förutsättning att Region Borås beviljar motsvarande belopp",
        "under förutsättning att Region Norrköping beviljar motsvarande belopp",
    ]
    assert "Villkor: under förutsättning att Region Borås" in compare_text(compare_table(rows))


def test_the_items_export_carries_the_conditions(searcher: Searcher) -> None:
    import json

    from click.testing import CliRunner

    from search_app.cli import cli

    env = {"FINSAM_DB": str(searcher.settings.db), "FINSAM_MODEL": "hash"}
    out = CliRunner().invoke(cli, ["export", "--format", "jsonl"], env=env).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    got = sorted((r["forbund"], r["number"], tuple(r["conditions"])) for r in rows)
    assert [(n, len(c)) for _, n, c in got] == [(1, 1), (2, 0), (1, 1), (2, 0)]
    assert all(c[0].startswith("under förutsättning att Region") for _, n, c in got if n == 1)
