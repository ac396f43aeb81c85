"""Families of Swedish wording for a decision's act, stance and clause, third round: referrals
("sänds tillbaka", "återgår till beredning"), deferrals ("får vänta till", "tas upp på nytt"),
positions ("ansluter sig till", "instämmer i", a negated modal), decisions written without a
Beslut heading by another subject ("Förbundet", "Samordningsförbundet") or in the passive
("… avslås"), a decision handed over ("överlåter till"), and an intention that is no decision
yet ("är beredd att bevilja …").

Each family is tested with wordings of its own (tenses, subjects, objects) and with negatives
that must keep the act they had, or none.
"""

from __future__ import annotations

import pytest
from clause_texts import clauses_of
from test_verdict import NNS, item

from corpus.model import PROTOKOLL, ItemContext
from index.decisions import about
from index.topic import parse_topic
from ingest.stance import classify
from ingest.verdict import verdict


def act(clause: str) -> str | None:
    return classify(clause).act


# -- referral back in other words ---------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Ansökan sänds tillbaka till sökanden för komplettering.",
        "Ärendet skickas tillbaka till arbetsutskottet för vidare beredning.",
        "Styrelsen beslutar att skicka tillbaka ärendet till kansliet.",
        "Förbundsstyrelsen skickar ärendet tillbaka till förbundschefen.",
        "Att sända tillbaka ansökan till Region Gävleborg för komplettering.",
        "Frågan remitteras åter till beredningsgruppen.",
        "Ärendet återgår till beredningsgruppen.",
        "Ansökan om medel till Steget återgår till kansliet för beredning.",
        "Frågan går tillbaka till arbetsutskottet.",
        "Ärendet gick åter till förbundschefen för ett nytt förslag.",
    ],
)
def test_a_matter_sent_back_is_referred_back(clause: str) -> None:
    assert act(clause) == "referred_back"


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Personalen återgår till ordinarie tjänstgöring efter sommaren.", None),
        ("Beslutet skickas till Region Gävleborg.", None),
        ("Protokollet sänds till medlemmarna.", None),
        ("Deltagaren går tillbaka till studier.", None),
    ],
)
def test_referral_negatives(clause: str, expected: str | None) -> None:
    assert act(clause) == expected


# -- a decision put off --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Ansökan får vänta till dess att budgetramen för 2025 är fastställd.",
        "Frågan om finansiering av Jobbhuset får vänta till hösten.",
        "Ärendet fick vänta till nästa sammanträde.",
        "Styrelsen väntar med beslut till mötet i mars.",
        "Förbundsstyrelsen väntar med ställningstagandet tills utvärderingen är klar.",
        "Frågan tas upp på nytt när länsstyrelsens besked har kommit.",
        "Styrelsen tar upp ärendet på nytt i september.",
        "Ärendet tas upp igen vid nästa sammanträde.",
        "Beslut om insatsen skjuts upp till mötet i april.",
    ],
)
def test_a_matter_that_waits_is_tabled(clause: str) -> None:
    assert act(clause) == "tabled"


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Deltagarna får vänta på besked från Försäkringskassan.", None),
        ("Styrelsen noterar att kommunen får vänta på statsbidraget.", "noted"),
        (
            "Styrelsen beviljar 200 tkr; utbetalningen får vänta till dess att avtal tecknats.",
            "granted",
        ),
    ],
)
def test_deferral_negatives(clause: str, expected: str | None) -> None:
    assert act(clause) == expected


# -- without a Beslut heading: the sentences of these families are clauses -------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Styrelsen skjuter upp beslutet till mötet i juni.",
        "Förbundsstyrelsen sköt upp frågan till hösten.",
        "Styrelsen skickar tillbaka ärendet till arbetsutskottet.",
        "Styrelsen skickar ärendet tillbaka till kansliet.",
        "Ärendet går tillbaka till kansliet för ytterligare underlag.",
        "Ansökan sänds tillbaka till sökanden.",
        "Ärendet återgår till beredningsgruppen.",
        "Beslut om insatsen skjuts upp till mötet i april.",
        "Frågan tas upp igen vid nästa sammanträde.",
        "Frågan får vänta till nästa möte.",
        "Styrelsen tar upp frågan igen när underlaget är klart.",
        "Styrelsen väntar med beslut till hösten.",
    ],
)
def test_a_referral_or_deferral_sentence_without_heading_is_a_clause(sentence: str) -> None:
    assert clauses_of("Bakgrund till ärendet.", sentence) == [sentence]


# -- a position joined: "ansluter sig till", "instämmer i"; a refusal with a modal -------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Styrelsen ansluter sig till NNS förslag om en höjd serviceavgift.", ("approved", "for")),
        (
            "Förbundsstyrelsen anslöt sig till det av NNS styrelse framlagda förslaget.",
            ("approved", "for"),
        ),
        ("Att ansluta sig till remissens förslag till ny avgiftsmodell.", ("approved", "for")),
        ("Styrelsen instämmer i NNS förslag.", ("approved", "for")),
        ("Styrelsen instämde i arbetsutskottets bedömning.", ("approved", "for")),
        ("Styrelsen ansluter sig inte till förslaget om höjd avgift.", ("rejected", "against")),
        (
            "Styrelsen kan inte tillstyrka NNS förslag till ny avgiftsmodell.",
            ("rejected", "against"),
        ),
    ],
)
def test_a_position_joined_is_for_it(clause: str, expected: tuple[str, str]) -> None:
    d = classify(clause)
    assert (d.act, d.stance) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Styrelsen godtar NNS förslag om höjd serviceavgift.", ("approved", "for")),
        ("Styrelsen godtar inte den föreslagna höjningen.", ("rejected", "against")),
        ("Förbundsstyrelsen förordar NNS förslag om ny avgiftsmodell.", ("approved", "for")),
        ("Styrelsen sluter upp bakom NNS förslag.", ("approved", "for")),
        ("Styrelsen är positiv till en höjning av serviceavgiften.", ("approved", "for")),
        ("Styrelsen är inte positiv till förslaget.", ("rejected", "against")),
        ("Styrelsen är negativ till förslaget om höjd serviceavgift.", ("rejected", "against")),
    ],
)
def test_a_position_accepted_recommended_or_stated(clause: str, expected: tuple[str, str]) -> None:
    d = classify(clause)
    assert (d.act, d.stance) == expected


@pytest.mark.parametrize(
    "clause",
    [
        "Anna Berg (S) instämmer i reservationen.",
        "Förbundet ansluter sig till Nationella nätverket för samordningsförbund.",
        "Kommunen har anslutit sig till överenskommelsen.",
    ],
)
def test_joining_no_proposal_is_no_position(clause: str) -> None:
    d = classify(clause)
    assert (d.act, d.stance) == (None, None)


@pytest.mark.parametrize(
    "sentence",
    [
        "Styrelsen ansluter sig till NNS förslag om höjd serviceavgift.",
        "Styrelsen instämmer i NNS förslag.",
        "Styrelsen kan inte tillstyrka ansökan om förlängning.",
        "Förbundsstyrelsen kunde inte bevilja ansökan.",
        "Styrelsen vill inte medverka i projektet.",
        "Styrelsen ser sig inte kunna bevilja tilläggsansökan.",
        "Styrelsen avstår från att ta ställning till förslaget.",
        "Styrelsen godtar NNS förslag.",
        "Förbundsstyrelsen förordar förslaget om höjd serviceavgift.",
    ],
)
def test_a_position_sentence_without_heading_is_a_clause(sentence: str) -> None:
    assert clauses_of("Bakgrund till ärendet.", sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "Styrelsen kan inte närvara vid mötet i maj.",
        "Ledamoten Anna Berg instämmer i reservationen.",
        "Deltagarna får vänta på besked från Försäkringskassan.",
    ],
)
def test_other_sentences_of_the_board_are_no_clause(sentence: str) -> None:
    assert clauses_of(sentence) == []


# -- the förbund as the deciding subject, and passives, without a Beslut heading ---------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Förbundet beviljar Ljusdals kommun 180 tkr för insatsen Nystart.", "granted"),
        ("Samordningsförbundet avslår ansökan från Bollnäs kommun.", "rejected"),
        ("Samordningsförbundet ställer sig bakom NNS förslag om höjd serviceavgift.", "approved"),
        ("Förbundet delfinansierar insatsen med 700 000 kronor.", "granted"),
        ("Förbundet utser Karin Lund till förbundschef.", "appointed"),
        ("Ansökan om utökade medel för Jobbhuset avslås.", "rejected"),
        ("Ansökan från Hudiksvalls kommun om 310 tkr för Steget beviljas.", "granted"),
        ("Förslaget om höjd serviceavgift tillstyrks.", "approved"),
        ("Tilläggsansökan avstyrks.", "rejected"),
        ("Förordnandet som förbundschef för Lisa Öberg förlängs med två år.", "appointed"),
        ("Insatsen Jobbspåret förlängs till och med 2025-06-30.", "approved"),
    ],
)
def test_a_decision_sentence_of_the_förbund_or_a_passive_is_a_clause(
    sentence: str, expected: str
) -> None:
    assert clauses_of("Bakgrund till ärendet.", sentence) == [sentence]
    assert act(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Samordningsförbundet Hälsingland",
        "Förbundet har sedan 2019 finansierat insatsen och gjort det med gott resultat, enligt rapporten.",
        "Förbundschefen informerar om att ansökan avslås av regionen.",
        "Förbundet beviljade 2022 300 tkr till Jobbvägen. Förbundschefen redogör för resultatet.",
        "Samordningsförbundet avslog ansökan från kommunen 2021.",
        "Förbundschefen meddelar att hyresavtalet förlängs automatiskt.",
    ],
)
def test_narration_of_the_förbund_is_no_clause(sentence: str) -> None:
    assert clauses_of(sentence) == []


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Ansökan om utökade medel för Jobbhuset avslås.", "rejected"),
        ("Styrelsen avslår begäran om att få förlänga insatsen.", "rejected"),
        ("Styrelsen avslår Region Gävleborgs tilläggsäskande om utökad budget.", "rejected"),
        ("Styrelsen beviljar ansökan om att förlänga insatsen med 200 tkr.", "granted"),
        ("Styrelsen beslutar att utöka medlen med 50 tkr.", "granted"),
    ],
)
def test_what_a_request_asks_for_is_not_the_boards_act(clause: str, expected: str) -> None:
    assert act(clause) == expected


# -- a decision handed over: "överlåter till … att", "… överlåts till presidiet" ----------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen överlåter till förbundschefen att fatta beslut om mindre ansökningar.",
        "Styrelsen överlåter åt presidiet att besluta i brådskande ärenden under sommaren.",
        "Förbundsstyrelsen överlät till arbetsutskottet att fördela aktivitetsmedlen.",
        "Styrelsen överlåter beslutet om fördelningen till arbetsutskottet.",
        "Beslutet om slutlig budget för 2025 överlåts till presidiet.",
        "Frågan överlåts till arbetsutskottet.",
    ],
)
def test_a_decision_handed_over_is_delegated(clause: str) -> None:
    assert act(clause) == "delegated"


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen överlåter inventarierna till kommunen.",
        "Projektägarskapet överlåts till Region Gävleborg.",
    ],
)
def test_handing_over_no_decision_is_no_delegation(clause: str) -> None:
    assert act(clause) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Styrelsen överlåter till presidiet att besluta om fördelningen.",
        "Beslutet om slutlig budget överlåts till presidiet.",
    ],
)
def test_a_decision_handed_over_without_heading_is_a_clause(sentence: str) -> None:
    assert clauses_of("Bakgrund till ärendet.", sentence) == [sentence]


# -- an act the board only means or is ready to take ------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen är beredd att bevilja 300 tkr under förutsättning att en reviderad ansökan inkommer.",
        "Styrelsen har för avsikt att avsluta insatsen vid årsskiftet.",
        "Förbundsstyrelsen avser att anställa en processledare under hösten.",
        "Styrelsen planerar att avslå liknande ansökningar framöver.",
    ],
)
def test_an_intended_act_is_not_taken(clause: str) -> None:
    assert act(clause) is None


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "Styrelsen beslutar att bevilja 300 tkr under förutsättning att regionen medverkar.",
            "granted",
        ),
        ("Under förutsättning att kommunen medfinansierar beviljar styrelsen 150 tkr.", "granted"),
        ("Styrelsen avslår ansökan, som avser att finansiera en coach.", "rejected"),
    ],
)
def test_an_act_taken_on_a_condition_stays_taken(clause: str, expected: str) -> None:
    assert act(clause) == expected


# -- an appointment to a staff post is an employment for a topic ------------------------------------


def _context(title: str, clause: str) -> ItemContext:
    return ItemContext(item(title, (clause,)), "d", "d.txt", PROTOKOLL, None, None, None)


@pytest.mark.parametrize(
    ("topic", "title", "clause"),
    [
        (
            "anställning av förbundschef",
            "Förbundschef",
            "Styrelsen utser Eva Holm till förbundschef.",
        ),
        (
            "anställning av förbundschef",
            "Ledning",
            "Styrelsen utser Karin Lund till ny förbundschef.",
        ),
        (
            "rekrytering av processledare",
            "Nya steg",
            "Styrelsen utser Nina Ros till processledare.",
        ),
        (
            "anställning av förbundschef",
            "Ledning",
            "Styrelsen förordnar Johan Berg som tf förbundschef.",
        ),
    ],
)
def test_an_appointment_to_a_staff_post_is_about_an_employment(
    topic: str, title: str, clause: str
) -> None:
    share, _, _ = about(parse_topic(topic), _context(title, clause))
    assert share == 1.0


@pytest.mark.parametrize(
    ("title", "clause"),
    [
        ("Val av justerare", "Till justerare utses Anna Berg."),
        ("Ekonomigrupp", "Styrelsen utser Karl Ek till ordförande i ekonomigruppen."),
        ("Förbundschefens rapport", "Styrelsen noterar förbundschefens rapport."),
    ],
)
def test_other_appointments_are_no_employment(title: str, clause: str) -> None:
    share, names, _ = about(parse_topic("anställningar"), _context(title, clause))
    assert share == 0.0 and names == []


# -- a fee or frame changed "från X till Y": the new level is the decided one -------------------------


@pytest.mark.parametrize(
    ("clause", "kronor", "rates"),
    [
        (
            "Styrelsen godkänner att avgiften till NNS höjs från 12 000 kr till 15 000 kr.",
            (15e3,),
            (),
        ),
        (
            "Styrelsen godkänner NNS förslag om höjd avgift från 14 tkr till 18 tkr per år.",
            (18e3,),
            (),
        ),
        ("Styrelsen godkänner en höjd avgift från 2 kr till 2,50 kr per invånare.", (), (2.5,)),
        ("Styrelsen tillstyrker att avgiften höjs med 25 öre/invånare.", (), (0.25,)),
        ("Styrelsen beviljar 200 tkr för perioden från 2024-01-01 till 2024-12-31.", (2e5,), ()),
        ("Styrelsen beviljar 200 tkr och 50 tkr till Steget.", (2e5, 5e4), ()),
    ],
)
def test_the_level_a_change_starts_from_is_not_decided(
    clause: str, kronor: tuple[float, ...], rates: tuple[float, ...]
) -> None:
    d = classify(clause)
    assert d.amounts_kr == kronor
    assert tuple(r.value for r in d.rates) == rates


# -- agreeing with a body's view and acting on it: the act is the board's own ------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "Styrelsen instämmer i arbetsutskottets bedömning och avslår ansökan.",
            ("rejected", None),
        ),
        (
            "Styrelsen ställer sig bakom arbetsutskottets förslag och avslår ansökan.",
            ("rejected", None),
        ),
        (
            "Styrelsen avslår ansökan och ställer sig bakom arbetsutskottets bedömning.",
            ("rejected", None),
        ),
        (
            "Styrelsen ställer sig bakom beredningens förslag och återremitterar ärendet.",
            ("referred_back", None),
        ),
        ("Styrelsen ställer sig bakom förslaget och beviljar 200 tkr.", ("granted", "for")),
        (
            "Styrelsen ställer sig bakom NNS förslag men avslår den extra avgiften.",
            ("approved", "for"),
        ),
        ("Styrelsen tillstyrker NNS förslag.", ("approved", "for")),
    ],
)
def test_an_act_beside_an_agreement_decides(clause: str, expected: tuple[str, str | None]) -> None:
    d = classify(clause)
    assert (d.act, d.stance) == expected


@pytest.mark.parametrize(
    "clause",
    [
        "Styrelsen överlåter till förbundschefen att besluta om ansökningar under 50 000 kr.",
        "Styrelsen delegerar till förbundschefen att besluta om mindre ansökningar upp till 50 tkr.",
        "Ordföranden får besluta om utbetalningar på högst 20 tkr.",
    ],
)
def test_a_delegations_limit_is_no_decided_amount(clause: str) -> None:
    d = classify(clause)
    assert (d.act, d.amounts_kr) == ("delegated", ())


# -- a standing delegation takes no position on a proposal --------------------------------------------


@pytest.mark.parametrize(
    ("title", "clause", "orgs", "stance"),
    [
        (
            "Delegation till förbundschefen",
            "Styrelsen delegerar till förbundschefen att besluta om mindre ansökningar upp till 50 tkr.",
            (),
            None,
        ),
        (
            "Delegationsordning",
            "Styrelsen överlåter till förbundschefen att besluta om ansökningar under 50 000 kr.",
            ("Region Gävleborg",),
            None,
        ),
        ("NNS serviceavgift", "Ordföranden får besluta i frågan.", NNS, "free_mandate"),
        ("Remiss från NNS", "Ordföranden får besluta i frågan om remissen.", NNS, "free_mandate"),
        ("Serviceavgift", "Ordföranden får besluta om NNS serviceavgift.", NNS, "free_mandate"),
    ],
)
def test_a_standing_delegation_is_no_free_mandate(
    title: str, clause: str, orgs: tuple[str, ...], stance: str | None
) -> None:
    v = verdict(item(title, (clause,), organisations=orgs), PROTOKOLL)
    assert (v.act, v.stance) == ("delegated", stance)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # session 14's held-out set of act wordings named these after it was measured (it is no
        # blind measure of them now); the wordings are our own variants of each family
        ("Ärendet vilandeförklaras i avvaktan på regionens besked.", ("tabled", None)),
        ("Styrelsen vilandeförklarar frågan till hösten.", ("tabled", None)),
        ("Ansökan flyttas till novembermötet.", ("tabled", None)),
        ("Frågan flyttades över till styrelsemötet i maj.", ("tabled", None)),
        ("Styrelsen ger sitt stöd till NNS förslag om höjd avgift.", ("approved", "for")),
        ("Förbundet ger inte sitt stöd till förslaget.", ("rejected", "against")),
        ("Styrelsen lämnar förslaget utan erinran.", ("approved", "for")),
        ("Styrelsen lämnade NNS förslag utan invändningar.", ("approved", "for")),
        ("Styrelsen beslutar att inte gå vidare med ansökan.", ("rejected", None)),
        ("Arbetsutskottet går inte vidare med äskandet.", ("rejected", None)),
        ("Förbundschefen ges fullmakt att teckna avtalet.", ("delegated", None)),
        (
            "Styrelsen ger ordföranden fullmakt att underteckna överenskommelsen.",
            ("delegated", None),
        ),
        # going on with a matter decides nothing by itself; a report noted stays noted
        ("Styrelsen beslutar att gå vidare med ansökan.", (None, None)),
        ("Styrelsen lägger rapporten till handlingarna utan erinran.", ("noted", None)),
    ],
)
def test_dormant_support_no_objection_no_further_and_power_of_attorney(
    clause: str, expected: tuple[str | None, str | None]
) -> None:
    d = classify(clause)
    assert (d.act, d.stance) == expected
