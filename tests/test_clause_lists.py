"""Decision clauses listed under an introducing line and wrapped over lines: "Styrelsen beslutar
följande:" (or "enligt följande") with bullets or numbers that do not open with "att", a
statement of how the decision was taken after it ("Beslutet är enhälligt."), and a clause
whose line ends at a dash or comma (found by the seventh zoo: pz03, hz01)."""

from __future__ import annotations

import pytest
from clause_texts import clauses_of

GRANTS = [
    "Insatsen Vägen vidare förlängs till och med den 31 december 2026",
    "Förbundet finansierar insatsen med högst 1 450 000 kr för 2026",
]


@pytest.mark.parametrize(
    "intro",
    [
        "Styrelsen beslutar följande:",
        "Styrelsen beslutar enligt följande:",
        "Arbetsutskottet beslutade följande:",
        "Förbundsstyrelsen beslutar följande",
    ],
)
@pytest.mark.parametrize("mark", ["• ", "- ", "1. "])
@pytest.mark.parametrize("heading", [False, True])
def test_clauses_listed_under_an_introducing_line(intro: str, mark: str, heading: bool) -> None:
    numbered = [f"{k}. " if mark == "1. " else mark for k in (1, 2)]
    lines = ["Insatsen riktar sig till personer med långvarigt försörjningsstöd."]
    lines += (["Beslut"] if heading else []) + [intro]
    lines += [m + g for m, g in zip(numbered, GRANTS, strict=True)]
    lines += ["Beslutet är enhälligt."]
    assert clauses_of(*lines) == GRANTS


@pytest.mark.parametrize(
    "after",
    [
        "Beslutet är enhälligt.",
        "Beslutet var enhälligt.",
        "Beslutet fattades enhälligt.",
        "Beslutet togs enigt.",
    ],
)
def test_how_the_decision_was_taken_is_no_clause(after: str) -> None:
    assert clauses_of("Beslut", "Rapporten godkänns.", after) == ["Rapporten godkänns."]
    lines = (
        "Beslut",
        "Styrelsen beslutar",
        "att godkänna rapporten",
        "att lägga den till handlingarna",
        after,
    )
    assert clauses_of(*lines) == ["att godkänna rapporten", "att lägga den till handlingarna"]


def test_a_statement_of_the_vote_that_decides_stays_a_clause() -> None:
    # a sentence that is itself the decision, however it names the unanimity
    assert clauses_of("Beslut", "Styrelsen beslutar enhälligt att godkänna rapporten.") == [
        "Styrelsen beslutar enhälligt att godkänna rapporten."
    ]


@pytest.mark.parametrize(
    ("first", "second", "joined", "then"),
    [
        (
            "Styrelsen godkänner det nya hyresavtalet för perioden 2025-10-01–",
            "2028-09-30.",
            "Styrelsen godkänner det nya hyresavtalet för perioden 2025-10-01–2028-09-30.",
            "Ordföranden får i uppdrag att underteckna avtalet.",
        ),
        (
            "att bevilja 300 tkr till Steget, Lyftet,",
            "Vägen och Bron",
            "att bevilja 300 tkr till Steget, Lyftet, Vägen och Bron",
            "att avslå ansökan i övrigt",
        ),
    ],
)
def test_a_clause_wrapped_after_a_dash_or_comma_goes_on(
    first: str, second: str, joined: str, then: str
) -> None:
    assert clauses_of("Beslut", first, second, then) == [joined, then]


def test_a_list_item_after_a_comma_is_a_clause_of_its_own() -> None:
    lines = ("Beslut", "Styrelsen beslutar", "• att godkänna rapporten,", "• att avsluta insatsen")
    assert clauses_of(*lines) == ["att godkänna rapporten,", "att avsluta insatsen"]
