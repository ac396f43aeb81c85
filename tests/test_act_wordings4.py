"""Families of decision wording, fourth round: a matter given back to whoever prepared it
("återlämnas till kansliet"), a grant beside the amount applied for ("beviljar 500 tkr av sökta
800 tkr"), the board telling a matter's history without a heading ("Styrelsen beviljade 2022
…"), and a clause that takes no act showing no kronor ("är beredd att bevilja 300 tkr").

Each family is tested with wordings of its own and with negatives that keep the reading they had.
"""

from __future__ import annotations

import pytest
from clause_texts import clauses_of
from test_verdict import item

from corpus.model import PROTOKOLL
from ingest.clauses import decisions
from ingest.lines import Line
from ingest.stance import classify
from ingest.verdict import requested_amounts, verdict

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
    assert clauses_of("Förbundschefen föredrar ärendet.", clause) == [clause]


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
    assert clauses_of(clause) == []


def test_a_request_to_give_something_back_keeps_its_grant() -> None:
    assert classify("Ansökan om att få lämna tillbaka lokalen beviljas.").act == "granted"


# -- the amount granted beside the amount applied for ----------------------------------------------


@pytest.mark.parametrize(
    ("clause", "granted"),
    [
        ("Styrelsen bifaller ansökan till en del och beviljar 500 tkr av sökta 800 tkr.", 500_000),
        (
            "Styrelsen bifaller tilläggsäskandet delvis och beviljar 90 tkr av begärda 150 tkr.",
            90_000,
        ),
        ("Begäran om tillägg bifalls delvis; styrelsen beviljar 75 tkr av äskade 120 tkr.", 75_000),
        ("Ansökan bifalls till hälften och styrelsen tilldelar 200 tkr av sökta 400 tkr.", 200_000),
        ("Styrelsen beviljar ansökan om 500 tkr med 300 tkr.", 300_000),
        ("Ansökan om 800 tkr beviljas med 600 tkr.", 600_000),
    ],
)
def test_a_partial_grant_shows_the_granted_amount_only(clause: str, granted: float) -> None:
    v = verdict(item("Ansökan", (clause,)), PROTOKOLL)
    assert v.act == "partly_granted"
    assert v.amounts_kr == (granted,)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("Region Gotland ansöker om 800 tkr för 2024.", (800_000,)),
        ("ett tilläggsäskande om 147 424 kr", (147_424,)),
        ("Styrelsen bifaller ansökan om 300 tkr.", (300_000,)),  # the grant names the sum asked
        ("Ansökan om förlängning beviljas med 200 tkr.", ()),
        ("Ansökan bifalls och styrelsen anvisar 120 tkr ur eget kapital.", ()),
        ("Kommunen ansöker om utökade medel med 100 tkr.", (100_000,)),  # no grant: asked
        ("Styrelsen beviljar ansökan om 500 tkr med 300 tkr.", (500_000,)),
    ],
)
def test_an_amount_after_a_giving_verb_is_not_asked_for(text: str, asked: tuple) -> None:
    assert requested_amounts(text) == asked


# -- the board telling a matter's history without a heading ---------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Styrelsen beviljade 2022 Ung Kraft 600 tkr för tre år.",
        "Styrelsen beviljade under 2021 totalt 1,2 mnkr till insatser för unga.",
        "Styrelsen anslog i fjol 200 tkr till Sommarlovsjobb.",
        "Styrelsen beslutade vid föregående sammanträde att avslå ansökan från kommunen.",
        "Styrelsen beslutade i december 2023 att avsätta medel till insatsen.",
        "Arbetsutskottet avslog redan 2020 en liknande ansökan.",
        "Styrelsen beviljade tidigare 300 tkr till Jobbstart.",
        "Förbundsstyrelsen beslutade den 14 mars 2023 att förlänga insatsen.",
    ],
)
def test_the_boards_history_is_no_clause(sentence: str) -> None:
    assert clauses_of(sentence, "Förbundschefen redovisar läget.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Styrelsen beslutade att bevilja Norsjö kommun 80 tkr för 2023.",
        "Styrelsen beviljade Skellefteå kommun 120 tkr för perioden 2023–2024.",
        "Styrelsen beslutade att ta upp frågan igen i december.",
        "Styrelsen beviljade 2024–2025 300 tkr till Jobbspåret.",
        "Styrelsen beviljar 2025 300 tkr till Jobbspåret.",  # the present decides
        "Styrelsen beslutade att bevilja 300 tkr till och med 2026.",
        "Styrelsen beslutade redan nu att bevilja 50 tkr till sommarinsatsen.",
    ],
)
def test_a_decision_in_the_past_tense_stays_a_clause(sentence: str) -> None:
    assert clauses_of("Bakgrund till ärendet.", sentence) == [sentence]


def test_history_under_a_beslut_heading_is_the_decision_as_written() -> None:
    # the fallback is for items without a heading; a heading's clauses are read as they stand
    assert decisions(
        [Line("Beslut", 1, 1), Line("Styrelsen beviljade 2022 300 tkr.", 1, 1)], fallback=True
    ) == ["Styrelsen beviljade 2022 300 tkr."]


# -- a clause that takes no act shows no kronor ----------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen är beredd att bevilja 300 tkr under förutsättning att regionen medverkar.",
        "Styrelsen avser att anslå 100 tkr till sommarinsatsen när budgeten är fastställd.",
        "Styrelsen planerar att avsätta 1 mnkr till insatsen under 2026.",
    ],
)
def test_a_clause_without_an_act_shows_no_amount(clause: str) -> None:
    v = verdict(item("Extra medel", (clause,)), PROTOKOLL)
    assert v.act is None
    assert v.amounts_kr == ()


@pytest.mark.parametrize(
    ("clause", "act", "amount"),
    [
        (
            "Styrelsen beviljar 300 tkr under förutsättning att regionen medverkar.",
            "granted",
            300_000,
        ),
        ("Styrelsen avsätter 500 tkr för projektet Vidare.", "granted", 500_000),
    ],
)
def test_a_clause_with_an_act_keeps_its_amount(clause: str, act: str, amount: float) -> None:
    v = verdict(item("Ansökan", (clause,)), PROTOKOLL)
    assert (v.act, v.amounts_kr) == (act, (amount,))


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
    assert clauses_of("NNS föreslår att avgiften höjs.", clause) == [clause]


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


# -- choosing, referring on, preparing again, coming back, told --------------------------------------


@pytest.mark.parametrize(
    ("clause", "act", "stance"),
    [
        ("Styrelsen väljer att avstå från att ta ställning till NNS förslag.", None, "abstain"),
        ("Styrelsen väljer att inte bevilja ansökan.", "rejected", None),
        ("Frågan hänskjuts till förbundsstämman.", "delegated", None),
        ("Styrelsen hänsköt frågan till medlemssamrådet.", "delegated", None),
        ("Ärendet bereds vidare av kansliet.", "referred_back", None),
        ("Ansökan bereds på nytt till nästa möte.", "referred_back", None),
        ("Ärendet återkommer till styrelsen i mars.", "tabled", None),
        ("Styrelsen beslutar att skjuta på beslutet till februari.", "tabled", None),
        ("Frågan skjuts på framtiden.", "tabled", None),
    ],
)
def test_choosing_referring_on_preparing_again_and_coming_back(
    clause: str, act: str | None, stance: str | None
) -> None:
    d = classify(clause)
    assert (d.act, d.stance) == (act, stance)


@pytest.mark.parametrize(
    ("clause", "act"),
    [
        ("Till ordförande väljs Eva Berg.", "appointed"),
        ("Styrelsen väljer Eva Berg till ordförande.", "appointed"),
        ("Eva Wik väljs att justera protokollet.", "appointed"),
        ("Mats Lund valdes att justera dagens protokoll.", "appointed"),
        ("Insatsen bereds vidare i samverkan med kommunen.", None),  # an effort, no matter
        ("Styrelsen skjuter på starten av projektet.", None),
        ("Förbundschefen informerar om att regionen har beviljat 200 tkr.", None),
        ("Förbundschefen meddelar att kommunen har avslagit ansökan.", None),
        ("Styrelsen beslutar att ansökan beviljas.", "granted"),
    ],
)
def test_elections_efforts_and_what_the_board_is_told_keep_their_reading(
    clause: str, act: str | None
) -> None:
    assert classify(clause).act == act


def test_a_matter_referred_on_without_heading_is_a_clause() -> None:
    clause = "Frågan hänskjuts till förbundsstämman."
    assert clauses_of("Bakgrund till ärendet.", clause) == [clause]
