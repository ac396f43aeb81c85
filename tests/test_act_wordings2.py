"""More families of Swedish wording for the act of a decision: funding verbs, deferrals, an
end or a continuation, referrals, partial grants with the part left out, staffing given anew,
and decisions written as a sentence without a Beslut heading.

Each family is tested with several wordings (other organs, tenses, amounts) and with
negatives that must keep the act they had: a passive naming where money comes from, a fee
raised, a meeting of today, a narrated continuation, a task given ("ger … i uppdrag att").
"""

from __future__ import annotations

import pytest
from clause_texts import clauses_of
from test_verdict import item

from corpus.model import DECIDED, PROTOKOLL
from ingest.stance import classify
from ingest.verdict import requested_amounts, verdict


def act(clause: str) -> str | None:
    return classify(clause).act


# -- funding verbs: a grant when the clause names kronor ---------------------------------------


@pytest.mark.parametrize(
    ("clause", "kronor"),
    [
        ("Förbundsstyrelsen beslutar att finansiera Jobbcentrum med 1,1 mnkr under 2025.", 1.1e6),
        ("Styrelsen finansierar insatsen Steget med 400 000 kr för 2024.", 4e5),
        ("Att medfinansiera ESF-projektet Vidare med 250 000 kr per år.", 2.5e5),
        ("Styrelsen beslutade att delfinansiera förstudien med 80 tkr.", 8e4),
        ("Arbetsutskottet samfinansierar kartläggningen med 60 000 kronor.", 6e4),
        ("Förbundet bidrar med 40 procent av kostnaderna, dock högst 240 tkr.", 2.4e5),
        ("Styrelsen bidrar ekonomiskt med 150 tkr till konferensen.", 1.5e5),
        ("Styrelsen beslutar om fortsatt finansiering av teamet med 1,8 mnkr för 2026.", 1.8e6),
        ("Att besluta om förlängd finansiering av Navigatorcentrum med 500 tkr.", 5e5),
        ("Styrelsen tillskjuter 100 tkr till insatsen.", 1e5),
        ("Förbundsstyrelsen skjuter till 75 000 kr för hösten.", 7.5e4),
    ],
)
def test_funding_with_kronor_grants(clause: str, kronor: float) -> None:
    d = classify(clause)
    assert (d.act, d.amounts_kr) == ("granted", (kronor,))


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen beslutar att utöka insatsens budget med 85 000 kr.",
        "Förbundsstyrelsen höjer budgetramen för Unga i jobb med 120 tkr.",
        "Att öka anslaget till Hälsoslussen med 50 tkr för 2025.",
        "Styrelsen förstärker projektets ram med 200 000 kronor.",
        "Budgeten för Aktivitetshuset förstärks med 60 tkr för hösten.",
        "Ramen för insatsen utökas med 90 tkr.",
        "Anslaget till Jobbtorget höjs med 40 000 kr.",
    ],
)
def test_a_budget_raised_by_kronor_is_a_grant(clause: str) -> None:
    assert act(clause) == "granted"


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # no kronor: the board approves how a matter is funded
        ("Insatsen finansieras inom befintlig budget.", "approved"),
        (
            "Styrelsen beslutar att finansiera utbildningen inom ramen för verksamhetsplanen.",
            "approved",
        ),
        # the passive names where money comes from, in a budget of the board's own
        (
            "Budgeten för 2024 fastställs till 37,9 mnkr, varav 3,5 mnkr finansieras med eget "
            "kapital.",
            "approved",
        ),
        ("Insatsen finansieras med 300 tkr från Region Gävleborg.", "approved"),
        # a fee raised is no budget ("avgift" is not a budget word), "programmet" no frame
        ("Styrelsen beslutar att höja serviceavgiften till 2 kr per invånare.", None),
        ("Styrelsen utökar programmet med två workshops.", None),
        # a refusal to fund
        ("Styrelsen beslutar att inte finansiera insatsen.", "rejected"),
        (
            "Förbundsstyrelsen har inte möjlighet att medfinansiera projektet med 90 tkr.",
            "rejected",
        ),
    ],
)
def test_funding_negatives(clause: str, expected: str | None) -> None:
    assert act(clause) == expected


def test_co_financing_below_the_application_is_a_partial_grant() -> None:
    """The funding verb grants, and the request rule makes it partial with its own amount."""
    body = "Strömsunds kommun söker 260 000 kronor."
    clause = "Styrelsen beslutar att medfinansiera insatsen med 180 000 kronor av ansökta 260 000 kronor."
    v = verdict(item("Ansökan Ung Kraft", (clause,), body=body), PROTOKOLL)
    assert (v.act, v.amounts_kr) == ("partly_granted", (180000.0,))


# -- deferral ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Beslut i ärendet fattas vid styrelsens möte i februari.",
        "Beslut fattas vid decembermötet.",
        "Beslutet i frågan tas vid arbetsutskottets sammanträde i maj.",
        "Styrelsen avvaktar med beslut tills utvärderingen redovisats.",
        "Förbundsstyrelsen avvaktade med ställningstagandet.",
        "Beslutet avvaktas till dess att regionen yttrat sig.",
        "Styrelsen beslutar att hantera ansökan i samband med budgetarbetet för 2026.",
        "Frågan om lokaler behandlas i samband med verksamhetsplanen.",
        "Att pröva tilläggsäskandet i samband med delårsbokslutet.",
    ],
)
def test_a_decision_put_off_is_tabled(clause: str) -> None:
    assert act(clause) == "tabled"


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Beslut fattas vid dagens möte.", None),
        ("Beslutet fattades vid styrelsens möte i maj.", None),  # narrated
        ("Styrelsen godkänner rapporten och hanterar budgeten vid nästa möte.", "approved"),
    ],
)
def test_deferral_negatives(clause: str, expected: str | None) -> None:
    assert act(clause) == expected


# -- an end or a continuation decided ------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Förbundets finansiering av Jobbtorget upphör från och med 2026.",
        "Insatsen Vägledning upphör vid årsskiftet.",
        "Avtalet med Studieförbundet upphörde den 30 juni.",
        "Insatsen Hälsa och arbete får fortsätta under 2026 inom befintlig budget.",
        "Projektet ska fortsätta till och med juni 2025.",
        "Styrelsen beslutar att fortsätta samarbetet med Arbetsförmedlingen.",
        "Styrelsen beslutar att insatsen inte får fortsätta efter 2025.",
    ],
)
def test_an_end_or_a_continuation_is_approved(clause: str) -> None:
    assert act(clause) == "approved"


@pytest.mark.parametrize(
    "clause",
    ["Diskussionen fortsätter.", "Arbetet med handlingsplanen fortsätter under hösten."],
)
def test_a_narrated_continuation_decides_nothing(clause: str) -> None:
    assert act(clause) is None


# -- referral back, dismissal --------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Ärendet återförvisas till beredningsgruppen.",
        "Styrelsen återförvisar ärendet till arbetsutskottet.",
        "Att återförvisa frågan till förbundschefen för komplettering.",
    ],
)
def test_referred_back_in_other_words(clause: str) -> None:
    assert act(clause) == "referred_back"


def test_a_referral_back_on_someone_elses_proposal_puts_the_position_off() -> None:
    nns = ("Nationella Nätverket för Samordningsförbund",)
    clause = "Ärendet återremitteras till förbundschefen för komplettering."
    v = verdict(item("NNS förslag om höjd serviceavgift", (clause,), organisations=nns), PROTOKOLL)
    assert (v.act, v.stance) == ("referred_back", "tabled")


@pytest.mark.parametrize(
    "clause",
    [
        "Ansökan om medel avvisas då den inkommit för sent.",
        "Styrelsen avvisar begäran om extra medel.",
        "Förbundsstyrelsen avvisade ansökan eftersom den saknade budget.",
    ],
)
def test_a_dismissed_request_is_rejected(clause: str) -> None:
    assert act(clause) == "rejected"


def test_an_avvisande_position_stays_a_position() -> None:
    d = classify("Styrelsen ställer sig avvisande till förslaget.")
    assert (d.act, d.stance) == ("rejected", "against")


# -- a grant that leaves a part out in its own clause --------------------------------------


@pytest.mark.parametrize(
    ("clause", "kronor"),
    [
        (
            "Styrelsen beslutar att bevilja lönekostnaderna, 480 tkr, men inte de sökta "
            "resekostnaderna om 40 tkr.",
            (480000.0,),
        ),
        ("Styrelsen beviljar 300 tkr men avslår ansökan om lokalhyra om 50 tkr.", (300000.0,)),
        ("Att bevilja ansökan om 200 tkr utom kostnaderna för resor, 20 tkr.", (200000.0,)),
        ("Styrelsen beviljar 150 tkr med undantag för lokalkostnaden om 30 tkr.", (150000.0,)),
        ("Styrelsen beviljar 100 tkr för 2025, dock inte de sökta 100 tkr för 2026.", (100000.0,)),
    ],
)
def test_a_grant_leaving_a_part_out_is_partial_with_the_granted_amount(clause, kronor) -> None:
    d = classify(clause)
    assert (d.act, d.amounts_kr) == ("partly_granted", kronor)


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen beviljar 300 tkr men noterar att ansökan inte är komplett.",
        "Styrelsen beviljar 300 tkr; förbundschefen avslår inte fler ansökningar i år.",
    ],
)
def test_a_grant_with_a_remark_stays_a_full_grant(clause: str) -> None:
    assert act(clause) == "granted"


def test_the_amount_applied_for_is_found_in_any_place_it_is_written() -> None:
    body = "Piteå kommun söker 480 000 kr för insatsen."
    clause = "Styrelsen beviljar 300 000 kr i stället för sökta 480 000 kr."
    assert requested_amounts(f"{body}\n{clause}") == (480000.0,)
    v = verdict(item("Ansökan Steg mot arbete", (clause,), body=body), PROTOKOLL)
    assert (v.status, v.act, v.amounts_kr) == (DECIDED, "partly_granted", (300000.0,))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hammarö kommun söker 600 tkr.", (600000.0,)),
        ("Kommunen sökte 90 000 kr för 2024.", (90000.0,)),
        # a request word in the sentence before is no request for this amount
        ("Vi söker en processledare. Kostnaden beräknas till 400 tkr.", ()),
        ("Kommunen söker medel. Styrelsen beviljar 300 000 kr.", ()),
    ],
)
def test_request_words(text: str, expected: tuple[float, ...]) -> None:
    assert requested_amounts(text) == expected


# -- staffing given anew, a position beside an act -----------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "Styrelsen ger Karin Ek fortsatt förordnande som förbundschef till 2027-12-31.",
            "appointed",
        ),
        ("Att ge Anna Lind fortsatt uppdrag som förbundschef.", "appointed"),
        ("Förbundschefen ges förnyat förordnande som förbundschef till 2026.", "appointed"),
        ("Styrelsen gav Omar Said ny anställning som processledare.", "appointed"),
        # a task, not employment
        ("Styrelsen ger förbundschefen i uppdrag att ta fram ett underlag.", "assigned"),
        ("Styrelsen ger presidiet fortsatt uppdrag att följa frågan.", None),
    ],
)
def test_employment_given_anew(clause: str, expected: str | None) -> None:
    assert act(clause) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "Styrelsen avstår från att ta ställning till förslaget och ger ombudet fria händer.",
            ("delegated", "abstain"),
        ),
        (
            "Styrelsen avstår från att ta ställning och lägger informationen till handlingarna.",
            ("noted", "abstain"),
        ),
        ("Styrelsen avstår från att rösta.", (None, "abstain")),
    ],
)
def test_a_position_beside_an_act_takes_the_act(clause: str, expected) -> None:
    d = classify(clause)
    assert (d.act, d.stance) == expected


# -- decisions written as a sentence, without a Beslut heading -----------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Styrelsen delegerar till förbundschefen att besluta om ansökningar upp till 50 tkr.",
        "Förbundsstyrelsen bemyndigar ordföranden att teckna avtalet.",
        "Styrelsen återremitterar ärendet till arbetsutskottet.",
        "Styrelsen bordlägger frågan.",
        "Förbundsstyrelsen finansierar insatsen med 200 tkr.",
        "Styrelsen medfinansierar projektet med 90 tkr.",
        "Arbetsutskottet utökar ramen med 40 tkr.",
        "Styrelsen avstyrker förslaget.",
        "Styrelsen noterar informationen.",
        "Karl Nord anställs som tillförordnad förbundschef under tiden 1 maj–31 oktober 2022.",
        "Tjänsten som processledare tillsätts med Amir Karimi.",
        "Budgeten för Aktivitetshuset förstärks med 60 tkr för hösten 2024.",
    ],
)
def test_a_decision_sentence_without_heading_is_a_clause(sentence: str) -> None:
    assert clauses_of("Bakgrund till ärendet.", sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "Förbundschefen informerar om att insatsen utökas med två platser i höst och mer.",
        "Mötet avslutas.",
        "Kommunen finansierar lokalerna sedan 2019 och har gjort det länge, med gott resultat.",
    ],
)
def test_narrative_sentences_are_no_clause(sentence: str) -> None:
    assert clauses_of(sentence) == []


# -- a condition the act is taken on -------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "Styrelsen beviljar 500 tkr under förutsättning att Region Gävleborg beviljar "
            "motsvarande belopp.",
            ("granted", (500000.0,)),
        ),
        (
            "Ansökan beviljas på villkor att insatsen redovisar resultat, 320 tkr.",
            ("granted", (320000.0,)),
        ),
        # the condition's grant does not make the approval a grant, nor its rejection partial
        ("Styrelsen godkänner avtalet på villkor att ansökan beviljas.", ("approved", ())),
        (
            "Styrelsen beviljar 300 tkr under förutsättning att ansökan till ESF avslås.",
            ("granted", (300000.0,)),
        ),
        # a condition put first; its kronor are not the grant's
        (
            "Under förutsättning att regionen bidrar med 100 tkr beviljar styrelsen 200 tkr.",
            ("granted", (200000.0,)),
        ),
        ("Styrelsen godkänner avtalet förutsatt att juristen granskat det.", ("approved", ())),
        # "villkor" as a thing approved is no condition
        ("Styrelsen godkänner de villkor som regionen ställt.", ("approved", ())),
        ("Styrelsen godkänner villkoren för bidraget om 40 tkr.", ("approved", (40000.0,))),
    ],
)
def test_a_conditional_act_is_the_act_without_its_condition(clause: str, expected) -> None:
    d = classify(clause)
    assert (d.act, d.amounts_kr) == expected


def test_a_conditional_position_is_the_position() -> None:
    d = classify("Styrelsen ställer sig bakom förslaget förutsatt att avgiften inte höjs.")
    assert (d.act, d.stance) == ("approved", "for")


# -- meeting a request ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Styrelsen tillmötesgår begäran om 50 tkr.", "granted"),
        ("Tilläggsäskandet tillmötesgås.", "granted"),
        ("Styrelsen går kommunen till mötes och beviljar 80 tkr.", "granted"),
        ("Styrelsen tillmötesgår önskemålet om ny mötestid.", "approved"),
        ("Styrelsen beslutar att inte tillmötesgå tilläggsäskandet.", "rejected"),
        ("Begäran tillmötesgås inte.", "rejected"),
        ("Förbundsstyrelsen kan inte gå ansökan till mötes.", "rejected"),
    ],
)
def test_meeting_a_request(clause: str, expected: str) -> None:
    assert act(clause) == expected


# -- more of the same families: a share of the cost, half a grant, put to rest, thanks -------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Förbundet går in med 300 tkr som medfinansiering av ESF-ansökan.", "granted"),
        ("Styrelsen beslutar att stå för halva kostnaden, dock högst 150 tkr.", "granted"),
        ("Förbundet täcker kostnaderna för lokalen med 45 tkr.", "granted"),
        ("Styrelsen står för kostnaden.", "approved"),  # no kronor
        ("Förbundschefen står för kontakten med regionen.", None),
        ("Ansökan beviljas till hälften, 200 tkr.", "partly_granted"),
        ("Styrelsen beviljar halva beloppet, 150 tkr.", "partly_granted"),
        ("Styrelsen beviljar halva det sökta beloppet.", "partly_granted"),
        ("Styrelsen tar upp frågan igen i mars.", "tabled"),
        ("Ärendet vilar till nästa år.", "tabled"),
        ("Frågan får vila till hösten.", "tabled"),
        ("Styrelsen tackar för redovisningen.", "noted"),
        ("Styrelsen tackade för rapporten från Försäkringskassan.", "noted"),
        ("Styrelsen godkänner redovisningen.", "approved"),  # an approval, not thanks
        ("Styrelsen säger upp avtalet med Region Uppsala.", "approved"),
        ("Hyresavtalet sägs upp från 2026.", "approved"),
        (
            "Styrelsen godkänner förslaget om anställning av Maja Lind som processledare.",
            "appointed",
        ),
        ("Styrelsen godkänner förslaget om budget för 2026.", "approved"),
    ],
)
def test_more_wordings_of_the_families(clause: str, expected: str | None) -> None:
    assert act(clause) == expected
