"""Families of Swedish wording for a board's position on someone else's proposal or fee.

Each family is tested with wordings of its own (other subjects, organs, amounts, tenses) and
with negatives that must not get the stance: a narrated proposal is not the board's act, "inga
invändningar" is no objection, a fee the förbund sets itself is no one else's.
"""

from __future__ import annotations

import pytest
from test_verdict import item as verdict_item

from corpus.model import DECIDED, PER_CAPITA, PROTOKOLL, Item
from ingest.stance import classify
from ingest.verdict import names_anothers_charge, verdict

NNS = "Nationella Nätverket för Samordningsförbund"
OWN = "Samordningsförbundet Centrala Östergötland"


def item(
    title: str,
    decisions: tuple[str, ...] = (),
    proposals: tuple[str, ...] = (),
    organisations: tuple[str, ...] = (NNS,),
) -> Item:
    """An item on NNS's matter unless told otherwise (test_verdict's builder)."""
    return verdict_item(title, decisions, proposals, organisations=organisations)


def act_and_stance(clause: str) -> tuple[str | None, str | None]:
    d = classify(clause)
    return d.act, d.stance


# -- support without the word "förslag" -----------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen biträder förslaget.",
        "Förbundsstyrelsen biträder NNS förslag om ny avgiftsmodell.",
        "Att biträda remissens förslag om medlemsavgift.",
        "Arbetsutskottet accepterar den nya serviceavgiften om 3 kr per invånare.",
        "Styrelsen accepterade höjningen.",
        "Styrelsen har inga invändningar mot förslaget.",
        "Förbundsstyrelsen hade ingen erinran mot den föreslagna avgiften.",
        "Styrelsen har inget att invända mot remissen.",
    ],
)
def test_a_position_for_without_the_word_proposal(clause: str) -> None:
    assert act_and_stance(clause) == ("approved", "for")


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen biträder inte förslaget.",
        "Förbundsstyrelsen accepterar inte den höjda avgiften.",
    ],
)
def test_a_negated_position_for_is_against(clause: str) -> None:
    assert act_and_stance(clause) == ("rejected", "against")


def test_an_objection_is_no_support() -> None:
    """Objections alone ("har invändningar") state no position; "inga invändningar" does."""
    assert act_and_stance("Styrelsen har invändningar mot förslaget.") == (None, None)


@pytest.mark.parametrize(
    "clause",
    [
        "NNS föreslår att förbunden godkänner den höjda serviceavgiften.",
        "Ordföranden föreslår att förbundet inte biträder förslaget.",
        "Region Skåne har föreslagit att förbunden accepterar den nya modellen.",
    ],
)
def test_a_narrated_proposal_is_no_act_of_the_board(clause: str) -> None:
    assert act_and_stance(clause) == (None, None)


def test_a_deciding_organ_that_proposes_decides() -> None:
    """The board's own proposal to another body is its decision ("Styrelsen föreslår
    förbundsstämman att …"); only someone else's narrated proposal decides nothing."""
    clause = "Förbundsstyrelsen föreslår förbundsstämman att fastställa årsredovisningen."
    assert classify(clause).act == "approved"
    clause = "Styrelsen beslutar att föreslå medlemmarna att godkänna förbundsordningen."
    assert classify(clause).act == "approved"
    assert classify("Förbundschefen föreslår att 80 tkr beviljas.", from_proposal=True).act == (
        "granted"
    )


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen beslutar att betala medlemsavgiften till NNS för 2025 med 9 500 kr.",
        "Förbundet betalar från 2026 medlemsavgift till NNS med 1,75 kr/inv.",
        "Arbetsutskottet godkänner höjd serviceavgift om 3 kr per invånare.",
        "Styrelsen godkänner höjd avgift till NNS om 2 kr per invånare under förutsättning "
        "att övriga förbund i regionen gör detsamma.",
        "Styrelsen accepterar den höjda medlemsavgiften.",
    ],
)
def test_an_approval_of_another_organisations_fee_is_for(clause: str) -> None:
    v = verdict(item("Serviceavgift NNS 2026", (clause,)), PROTOKOLL)
    assert (v.status, v.act, v.stance) == (DECIDED, "approved", "for")


@pytest.mark.parametrize(
    ("clause", "act", "kronor"),
    [
        ("Styrelsen beslutar att betala ut 300 tkr till Jobbspår.", "granted", (300000.0,)),
        ("Att betala serviceavgiften med 12 000 kr.", "approved", (12000.0,)),
        ("Förbundsstyrelsen beslutar att inte betala ut medlen.", "rejected", ()),
    ],
)
def test_paying_out_money_is_a_grant_paying_a_fee_an_approval(clause, act, kronor) -> None:
    d = classify(clause)
    assert (d.act, d.stance, d.amounts_kr) == (act, None, kronor)


# -- against ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen beslutar att inte godkänna höjningen av avgiften till NNS.",
        "Förbundsstyrelsen godkänner inte höjd medlemsavgift till NNS.",
        "Arbetsutskottet beslutar att inte betala den höjda serviceavgiften.",
    ],
)
def test_a_negated_approval_of_another_organisations_fee_is_against(clause: str) -> None:
    v = verdict(item("Medlemsavgift till NNS 2025", (clause,)), PROTOKOLL)
    assert (v.act, v.stance) == ("rejected", "against")


@pytest.mark.parametrize(
    ("decision", "proposal", "act", "stance"),
    [
        (
            "Styrelsen beslutar i enlighet med arbetsutskottets förslag.",
            "Att styrelsen avstyrker förslaget om höjd medlemsavgift.",
            "rejected",
            "against",
        ),
        (
            "Förbundsstyrelsen beslutar enligt presidiets förslag.",
            "Att förbundsstyrelsen ställer sig bakom NNS förslag.",
            "approved",
            "for",
        ),
        (
            "Styrelsen beslutar i enlighet med AU:s förslag.",
            "Ärendet bordläggs.",
            "tabled",
            "tabled",
        ),
    ],
)
def test_adopting_an_organs_proposal_takes_its_position(decision, proposal, act, stance) -> None:
    v = verdict(item("NNS förslag om höjd avgift", (decision,), (proposal,)), PROTOKOLL)
    assert (v.status, v.act, v.stance) == (DECIDED, act, stance)


def test_a_double_negative_is_no_objection() -> None:
    v = verdict(
        item("Remiss om medlemsavgift – NNS", ("Styrelsen har inga invändningar mot remissen.",)),
        PROTOKOLL,
    )
    assert v.stance == "for"
    assert act_and_stance("Styrelsen motsätter sig inte förslaget.") == ("approved", "for")


# -- abstain ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen lämnar inget yttrande över remissen.",
        "Förbundsstyrelsen lämnar inga synpunkter på förslaget.",
        "Styrelsen lämnar inte något yttrande.",
        "Arbetsutskottet avstår från att yttra sig över remissen om avgiftsmodell.",
        "Styrelsen avstod från att lämna synpunkter.",
        "Styrelsen yttrar sig inte i frågan.",
    ],
)
def test_declining_to_answer_is_abstaining(clause: str) -> None:
    assert classify(clause).stance == "abstain"


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen lämnar ett yttrande enligt bilaga.",
        "Styrelsen yttrar sig över remissen i enlighet med förbundschefens utkast.",
    ],
)
def test_an_answer_is_no_abstention(clause: str) -> None:
    assert classify(clause).stance != "abstain"


# -- postponed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Beslut om serviceavgiften till NNS skjuts upp till styrelsens möte i september.",
        "Frågan om medlemsavgift skjuts upp.",
        "Ärendet uppskjuts till kommande sammanträde.",
        "Frågan flyttas till nästa möte.",
        "Ärendet flyttas fram till ett senare styrelsemöte.",
        "Frågan anstår till nästa sammanträde.",
        "Beslutet får anstå.",
        "Styrelsen senarelägger beslutet.",
    ],
)
def test_postponed_is_tabled(clause: str) -> None:
    assert classify(clause).act == "tabled"
    v = verdict(item("NNS serviceavgift 2026", (clause,)), PROTOKOLL)
    assert (v.act, v.stance) == ("tabled", "tabled")


@pytest.mark.parametrize(
    "clause",
    [
        "Mötet flyttas till den 12 maj.",
        "Styrelsen beviljar anstånd med återbetalningen till den 30 juni.",
        # a project or a start put off is no matter put off
        "Styrelsen beslutar att projektstarten skjuts upp till hösten.",
        "Införandet senareläggs till 2026.",
        "Ärendet sköts av förbundschefen.",
    ],
)
def test_a_moved_meeting_a_respite_or_a_later_start_is_not_tabled(clause: str) -> None:
    assert classify(clause).act != "tabled"


def test_tabling_the_boards_own_matter_states_no_stance() -> None:
    v = verdict(item("Verksamhetsplan 2026", ("Ärendet skjuts upp.",), organisations=()), PROTOKOLL)
    assert (v.act, v.stance) == ("tabled", None)


# -- free mandate -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Ordföranden får besluta i frågan om serviceavgift på NNS årsmöte.",
        "Förbundschefen får själv avgöra frågan om avgiften till NNS.",
        "Ombudet ges rätt att besluta om förbundets hållning till NNS avgift.",
        "Förbundets representant ges mandat att ta ställning på plats.",
    ],
)
def test_a_mandate_without_a_position_is_free(clause: str) -> None:
    v = verdict(item("NNS årsmöte – medlemsavgift", (clause,)), PROTOKOLL)
    assert (v.act, v.stance) == ("delegated", "free_mandate")


def test_a_mandate_with_a_position_keeps_it() -> None:
    clause = "Ombudet ges mandat att rösta för NNS förslag om höjd avgift."
    v = verdict(item("NNS årsmöte – medlemsavgift", (clause,)), PROTOKOLL)
    assert (v.act, v.stance) == ("delegated", "for")


def test_a_delegation_of_the_boards_own_matter_states_no_stance() -> None:
    clause = "Förbundschefen får besluta om attestordningen."
    v = verdict(item("Delegationsordning", (clause,), organisations=()), PROTOKOLL)
    assert (v.act, v.stance) == ("delegated", None)


# -- noted --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen lägger informationen om NNS medlemsavgift till handlingarna.",
        "Förbundsstyrelsen lägger rapporten kring den höjda serviceavgiften till handlingarna.",
        "Informationen angående avgiften till NNS läggs till handlingarna.",
    ],
)
def test_information_about_a_fee_laid_on_file_is_noted(clause: str) -> None:
    assert classify(clause).act == "noted"
    v = verdict(item("NNS medlemsavgift 2026", (clause,)), PROTOKOLL)
    assert (v.act, v.stance) == ("noted", "noted")


# -- whose fee ----------------------------------------------------------------------------------


def test_another_organisations_fee() -> None:
    assert names_anothers_charge(["Serviceavgift till NNS 2025"])
    assert names_anothers_charge(["NNS medlemsavgift"])
    assert names_anothers_charge(["Höjd NNS-avgift 2026"])
    assert names_anothers_charge(["Medlemsavgift Nationella nätverket för samordningsförbund"])
    # the förbund's own fee, or a fee with no one beside it, names no one else
    assert not names_anothers_charge(["Deltagaravgift för förbundets konferens"])
    assert not names_anothers_charge(
        ["Samordningsförbundet Centrala Östergötlands avgift för utbildningen"], OWN
    )
    # an organisation named far from the fee word is not the fee's owner
    far = "NNS anordnar en konferens i Umeå i maj och förbundet betalar deltagaravgiften."
    assert not names_anothers_charge([far])


def test_the_boards_own_fee_gets_no_stance() -> None:
    it = item(
        "Deltagaravgift för förbundets konferens",
        ("Styrelsen fastställer deltagaravgiften till 500 kr per person.",),
        organisations=("Försäkringskassan",),
    )
    v = verdict(it, PROTOKOLL)
    assert (v.act, v.stance) == ("approved", None)


# -- amounts per resident in the records ------------------------------------------------------


def test_a_fee_per_resident_is_a_rate_not_kronor() -> None:
    d = classify("Styrelsen godkänner höjd serviceavgift om 2,50 kr per invånare.")
    assert d.amounts_kr == ()
    assert [(a.value, a.unit, a.text) for a in d.rates] == [
        (2.5, PER_CAPITA, "2,50 kr per invånare")
    ]
    total = classify("Styrelsen beslutar att betala serviceavgiften med 12 000 kr.")
    assert (total.amounts_kr, total.rates) == ((12000.0,), ())
