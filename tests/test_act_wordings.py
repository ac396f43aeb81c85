"""Families of Swedish wording for the act of a decision on an application or on staffing.

Each family is tested with wordings of its own (other organs, amounts, tenses) beyond the ones
it was found by, and with negatives that must not get the act: a narrated application
("Projektet ansöker om …") is no grant, "beviljades tidigare" is background, a notice's
proposal is never decided.
"""

from __future__ import annotations

import pytest
from test_verdict import item

from corpus.model import DECIDED, KALLELSE, PROPOSED, PROTOKOLL
from ingest.stance import classify
from ingest.verdict import verdict


def act(clause: str) -> str | None:
    return classify(clause).act


# -- a negation that governs the act from a few words before it -----------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen finner inte skäl att bevilja ansökan om förlängning.",
        "Förbundsstyrelsen ser ingen anledning att bevilja tilläggsäskandet om 80 tkr.",
        "Arbetsutskottet fann inte skäl att bifalla begäran.",
        "Styrelsen anser inte att ansökan ska beviljas.",
        "Styrelsen kan inte heller bevilja ansökan från Region Kronoberg.",
        "Förbundsstyrelsen har inte möjlighet att bevilja utökad budget för 2025.",
    ],
)
def test_a_negation_ahead_of_the_grant_rejects(clause: str) -> None:
    assert act(clause) == "rejected"


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # the negation belongs to another clause of the sentence
        ("Då inga invändningar framkommit beviljar styrelsen ansökan om 90 tkr.", "granted"),
        ("Styrelsen noterar att ingen ersättare kunnat närvara, och beviljar ansökan.", "granted"),
        ("Arbetsutskottet beviljar inte bara ansökan utan även tilläggsäskandet.", "rejected"),
    ],
)
def test_a_negation_of_another_clause_does_not_reject(clause: str, expected: str) -> None:
    # the last case is the adjacent negation the table has always read (kept as it was)
    assert act(clause) == expected


# -- rejections without a rejecting verb, and the passive of bifalla --------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Begäran lämnas utan bifall.", "rejected"),
        ("Tilläggsäskandet lämnades utan bifall.", "rejected"),
        ("Förbundsstyrelsen beslutar att ansökan lämnas därmed utan bifall.", "rejected"),
        ("Ansökan vinner inte bifall.", "rejected"),
        ("Ansökan om medel från Region Örebro län bifalls.", "granted"),
        ("Tilläggsäskandet från Försäkringskassan bifalls inte.", "rejected"),
        ("Ansökningen bifölls inte av arbetsutskottet.", "rejected"),
        (
            "Styrelsen beslutar att bifalla Försäkringskassans tilläggsäskande med 85 tkr.",
            "granted",
        ),
        ("Förbundsstyrelsen biföll Arbetsförmedlingens ansökan.", "granted"),
    ],
)
def test_bifall_wordings(clause: str, expected: str) -> None:
    assert act(clause) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Arbetsutskottets förslag bifalls.", "approved"),
        ("Styrelsen bifaller yrkandet.", "approved"),
        ("Ordföranden finner att styrelsen bifaller arbetsutskottets förslag.", "approved"),
        ("Yrkandet från Omar Aziz bifalls.", "approved"),
        ("Styrelsen beslutar att bifalla ansökan utan villkor.", "granted"),
    ],
)
def test_bifall_negatives(clause: str, expected: str) -> None:
    assert act(clause) == expected


# -- the matter struck from the meeting, or its decision put to a later one ------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Ärendet utgår.", "tabled"),
        ("Punkten utgick från dagordningen.", "tabled"),
        ("Frågan om tilläggsäskandet från Arbetsförmedlingen utgår.", "tabled"),
        ("Ärendet stryks från dagens sammanträde.", "tabled"),
        ("Beslut fattas vid nästa möte.", "tabled"),
        ("Beslut i ärendet fattas på nästa ordinarie sammanträde.", "tabled"),
        ("Frågan återkommer på kommande styrelsemöte.", "tabled"),
        # the subject is no matter of the meeting: a payment, an effort
        ("Ersättningen utgår med 500 kr per sammanträde.", None),
        ("Insatsen utgår ur budgeten för 2026.", None),
    ],
)
def test_a_matter_struck_or_put_to_a_later_meeting_is_tabled(
    clause: str, expected: str | None
) -> None:
    assert act(clause) == expected


# -- a partial grant said in words -----------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Förbundsstyrelsen beviljar delvis ansökan, 400 tkr.",
        "Ansökan bifalls delvis med 90 000 kr.",
        "Styrelsen bifaller delvis ansökningen och beviljar 1,1 mnkr för 2026.",
        "Arbetsutskottet beviljade ansökan med reducerat belopp, 0,5 mnkr.",
        "Styrelsen beviljar tilläggsäskandet i begränsad omfattning, 60 tkr.",
        "Styrelsen beslutar att bevilja ansökan med ett lägre belopp än det sökta.",
        "Ansökan beviljas till viss del.",
    ],
)
def test_partial_grant_in_words(clause: str) -> None:
    assert act(clause) == "partly_granted"


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen beviljar ansökan om 300 tkr men avslår ansökan om lokalhyra om 50 tkr.",
        "Arbetsutskottet avslår ansökan i övrigt men beviljar 100 tkr för kartläggningen.",
        "Förbundsstyrelsen beviljar inte ansökan om 50 tkr men beviljar 20 tkr för resor.",
    ],
)
def test_a_clause_granting_one_part_and_rejecting_another_is_a_partial_grant(clause: str) -> None:
    assert act(clause) == "partly_granted"


def test_a_rejection_inside_a_task_is_no_part_of_the_grant() -> None:
    clause = (
        "Styrelsen beviljar ansökan och uppdrar åt förbundschefen att avslå senare ansökningar."
    )
    assert act(clause) == "granted"


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen beviljar 300 tkr till insatsen, som delvis finansieras av Region Skåne.",
        "Styrelsen beviljar ansökan om 250 000 kr. Lägre belopp har diskuterats.",
    ],
)
def test_partial_words_outside_the_grant_are_a_full_grant(clause: str) -> None:
    assert act(clause) == "granted"


@pytest.mark.parametrize(
    ("clause", "granted"),
    [
        ("Styrelsen beviljar 120 tkr av sökta 200 tkr.", 120_000.0),
        ("Förbundsstyrelsen beviljar 1,1 mnkr av ansökta 1,6 mnkr för 2025.", 1_100_000.0),
        ("Arbetsutskottet beviljade 45 000 kronor av begärda 70 000 kronor.", 45_000.0),
    ],
)
def test_a_partial_grant_shows_the_amount_granted_not_the_one_applied_for(
    clause: str, granted: float
) -> None:
    v = verdict(item("Ansökan om medel", decisions=(clause,)), PROTOKOLL)
    assert (v.status, v.act, v.amounts_kr) == (DECIDED, "partly_granted", (granted,))


def test_a_rejection_keeps_the_amount_it_rejects() -> None:
    v = verdict(
        item("Tilläggsäskande", decisions=("Styrelsen avslår äskandet om 95 tkr.",)), PROTOKOLL
    )
    assert (v.act, v.amounts_kr) == ("rejected", (95_000.0,))


# -- approving or supporting an application, and money set aside ------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen godkänner ansökan från Arbetsförmedlingen.",
        "Tilläggsansökan godkänns.",
        "Arbetsutskottet godkände begäran om 40 tkr.",
        "Förbundsstyrelsen godkänner ansökan om förlängning av Jobbspåret till 2026-12-31.",
        "Styrelsen tillstyrker ansökan om 200 000 kr för 2025.",
        "Styrelsen ställer sig bakom ansökan och anvisar 150 tkr ur eget kapital.",
        "Styrelsen avsätter 500 tkr ur eget kapital för IPS.",
        "Förbundsstyrelsen beslutar att 1,2 mnkr avsätts till Jobbspåret 2026.",
        "Arbetsutskottet anvisar 75 000 kr till projektet Nya steg.",
        "Styrelsen reserverar 300 tkr för insatsen under 2026.",
        "Styrelsen ställer 0,4 mnkr till insatsens förfogande.",
        "Styrelsen ställde 80 000 kronor till förfogande för kartläggningen.",
    ],
)
def test_approving_an_application_or_setting_money_aside_grants(clause: str) -> None:
    assert act(clause) == "granted"


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen tillstyrker ansökan till ESF-rådet.",  # a recommendation, no money
        "Styrelsen godkänner verksamhetsplanen för 2025.",
        "Styrelsen godkänner ansökningsförfarandet för 2026.",
        "Styrelsen godkänner budgeten om 3,2 mnkr för 2026.",
        "Styrelsen ställer lokalen till förfogande för nätverksträffen.",
        "Förbundsstyrelsen avsätter tid för en workshop i maj.",
    ],
)
def test_approvals_that_give_no_money_stay_approvals(clause: str) -> None:
    assert act(clause) == "approved"


# -- staffing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Förbundsstyrelsen anställer Lena Ek som förbundschef från den 1 mars 2024.", "appointed"),
        ("Karin Berg anställs som processledare på 50 procent.", "appointed"),
        ("Styrelsen beslutade att tillsätta tjänsten som förbundschef med Omar Ali.", "appointed"),
        (
            "Arbetsutskottet förlänger processledarens visstidsanställning till 2026-06-30.",
            "appointed",
        ),
        ("Förbundschefens förordnande förlängs till 2027-12-31.", "appointed"),
        ("Styrelsen förordnar Per Lund som tillförordnad förbundschef.", "appointed"),
        ("Styrelsen beslutar att erbjuda Anna Ek anställning som förbundschef.", "appointed"),
        ("Arbetsutskottet godkänner anställning av Per Ek som processledare.", "appointed"),
        ("Styrelsen beslutar att rekrytera en ny förbundschef.", "approved"),
        ("Styrelsen uppdrar åt presidiet att rekrytera en processledare.", "assigned"),
        ("Förbundsstyrelsen uppdrar åt förbundschefen att anställa en utvärderare.", "assigned"),
        # an extension of an effort is a grant with money, not a staffing decision
        ("Styrelsen förlänger insatsen till 2025-12-31 med 400 tkr.", "granted"),
    ],
)
def test_staffing(clause: str, expected: str) -> None:
    assert act(clause) == expected


# -- negatives: background, narrated applications, proposals ----------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Styrelsen noterar att insatsen tidigare beviljats 600 tkr.", "noted"),
        (
            "Rapporten om Jobbhuset, som ursprungligen beviljades 2,1 mnkr, läggs till handlingarna.",
            "noted",
        ),
        ("Insatsen beviljades tidigare 600 tkr för 2023.", None),
        ("Styrelsen noterar att Region Skåne har beviljat 200 tkr till insatsen.", "noted"),
        ("Arbetsutskottet konstaterar att kommunen anställt två coacher.", None),
        ("Styrelsen noterar informationen och beslutar att bevilja 100 tkr.", "granted"),
        ("Projektet ansöker om 300 tkr för 2026.", None),
        ("Kommunen avser att ansöka om medel under hösten.", None),
    ],
)
def test_background_and_narrated_applications_are_no_grant(
    clause: str, expected: str | None
) -> None:
    assert act(clause) == expected


def test_an_item_narrating_an_earlier_grant_decides_only_what_its_clause_says() -> None:
    body = (
        "Insatsen Framsteg beviljades tidigare 600 tkr och har 28 deltagare. "
        "Projektet ansöker om ytterligare 50 tkr under 2026."
    )
    v = verdict(
        item("Lägesrapport Framsteg", ("Lägesrapporten läggs till handlingarna.",), body=body),
        PROTOKOLL,
    )
    assert (v.status, v.act, v.amounts_kr) == (DECIDED, "noted", ())


@pytest.mark.parametrize(
    "proposal",
    [
        "Styrelsen beviljar ansökan om 400 tkr.",
        "att avslå tilläggsäskandet om 60 000 kr.",
        "att anställa Sara Öberg som processledare från 2024-04-01.",
        "Förbundsstyrelsen bifaller delvis ansökan och beviljar 200 tkr.",
    ],
)
def test_a_notice_proposal_is_never_decided(proposal: str) -> None:
    it = item("Ansökan om medel", proposals=(proposal,))
    v = verdict(it, KALLELSE)
    assert v.status == PROPOSED and v.act is None and v.proposed_act is not None
    # written among a notice's decisions, it is still only proposed
    v = verdict(item("Ansökan om medel", decisions=(proposal,)), KALLELSE)
    assert v.status == PROPOSED and v.act is None
