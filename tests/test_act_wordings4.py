"""Families of decision wording, fourth round: a matter given back to whoever prepared it
("återlämnas till kansliet"), a grant beside the amount applied for ("beviljar 500 tkr av sökta
800 tkr"), the board telling a matter's history without a heading ("Styrelsen beviljade 2022
…"), and a clause that takes no act showing no kronor ("är beredd att bevilja 300 tkr").

Each family is tested with wordings of its own and with negatives that keep the reading they had.
"""

from __future__ import annotations

import pytest

from ingest.clauses import decisions
from ingest.lines import Line
from ingest.stance import classify


def _clauses(*texts: str) -> list[str]:
    return decisions([Line(t, 1, 1) for t in texts], fallback=True)


# -- a matter given back ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Ärendet återlämnas till kansliet för komplettering av budget och målgruppsbeskrivning.",
        "Ansökan återlämnas till sökanden för komplettering av tidplan.",
        "Styrelsen återlämnar ärendet till förbundschefen för fortsatt beredning.",
        "Ansökan lämnas tillbaka till sökanden.",
        "Ärendet lämnas åter till arbetsutskottet.",
        "Styrelsen lämnar tillbaka ansökan till kansliet för vidare beredning.",
        "Styrelsen beslutar att lämna förslaget tillbaka till beredningsgruppen.",
        "Frågan om ny lokal återlämnades till presidiet.",
    ],
)
def test_a_matter_given_back_is_referred_back(clause: str) -> None:
    assert classify(clause).act == "referred_back"


@pytest.mark.parametrize(
    "clause",
    [
        "Ärendet återlämnas till kansliet för komplettering.",
        "Styrelsen lämnar ansökan tillbaka till sökanden.",
        "Styrelsen återlämnar ärendet till förbundschefen.",
    ],
)
def test_a_matter_given_back_without_heading_is_a_clause(clause: str) -> None:
    assert _clauses("Förbundschefen föredrar ärendet.", clause) == [clause]


@pytest.mark.parametrize(
    "clause",
    [
        "Nycklarna återlämnas till kansliet.",
        "Styrelsen lämnar tillbaka lokalen vid årsskiftet.",
        "Deltagaren lämnar tillbaka datorn.",
    ],
)
def test_a_thing_given_back_is_no_referral(clause: str) -> None:
    assert classify(clause).act is None
    assert _clauses(clause) == []


def test_a_request_to_give_something_back_keeps_its_grant() -> None:
    assert classify("Ansökan om att få lämna tillbaka lokalen beviljas.").act == "granted"


# -- declining or accepting, and a remiss answered with a view -------------------------------------


@pytest.mark.parametrize(
    ("clause", "act", "stance"),
    [
        ("Styrelsen tackar nej till NNS förslag om höjd medlemsavgift.", "rejected", "against"),
        ("Förbundet tackade nej till erbjudandet om en gemensam tjänst.", "rejected", "against"),
        ("Styrelsen tackar ja till NNS förslag om ny avgiftsmodell.", "approved", "for"),
        ("Styrelsen avböjer erbjudandet om delat kansli.", "rejected", None),
        (
            "Arbetsutskottet lämnar ett positivt yttrande över NNS förslag om serviceavgift.",
            "approved",
            "for",
        ),
        ("Styrelsen avger ett avstyrkande remissvar till NNS.", "rejected", "against"),
        ("Styrelsen yttrar sig positivt om förslaget.", "approved", "for"),
        ("Styrelsen yttrar sig negativt om förslaget till ny avgift.", "rejected", "against"),
    ],
)
def test_declining_accepting_and_a_view_on_a_remiss(
    clause: str, act: str, stance: str | None
) -> None:
    d = classify(clause)
    assert (d.act, d.stance) == (act, stance)


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen tackar för informationen.",
        "Styrelsen lämnar ett yttrande enligt bilaga.",
        "Styrelsen lämnar inget yttrande.",
    ],
)
def test_thanks_and_an_answer_without_a_view_take_no_position(clause: str) -> None:
    assert classify(clause).stance in (None, "abstain")
    assert classify(clause).act in (None, "noted")


def test_declining_without_heading_is_a_clause() -> None:
    clause = "Styrelsen tackar nej till NNS förslag om höjd medlemsavgift."
    assert _clauses("NNS föreslår att avgiften höjs.", clause) == [clause]


# -- a matter put off to a later meeting without "upp" ---------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Arbetsutskottet skjuter beslutet om tilläggsäskandet till styrelsens möte i mars.",
        "Frågan skjuts till nästa sammanträde.",
        "Styrelsen sköt ärendet till decembermötet.",
        "Beslutet om avgiften sköts till kommande möte.",
    ],
)
def test_a_matter_put_off_to_a_meeting_is_tabled(clause: str) -> None:
    assert classify(clause).act == "tabled"


@pytest.mark.parametrize(
    ("clause", "act"),
    [
        ("Styrelsen skjuter till 200 tkr till insatsen.", "granted"),
        ("Styrelsen beslutar att skjuta upp beslutet.", "tabled"),
    ],
)
def test_other_skjuta_keep_their_act(clause: str, act: str) -> None:
    assert classify(clause).act == act
