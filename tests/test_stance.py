"""Decision records from Swedish decision clauses: the samples and constructed wording."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.model import ACT_SV, ACTS, STANCE_SV, STANCES
from ingest.stance import classify, classify_item
from ingest.stance_rules import RULES, VERBS
from ingest.stance_words import ACT_PRECEDENCE, STANCE_OF_ACT, STANCE_PRECEDENCE

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"


@cache
def _sample_text(prefix: str) -> str:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


def sample_clause(prefix: str, clause: str) -> str:
    """A clause as it stands in a sample file (so the test runs on real text)."""
    assert clause in _sample_text(prefix), f"{clause!r} is not in sample {prefix}"
    return clause


# -- the samples ----------------------------------------------------------------------------

SAMPLE_CASES = [
    # (sample, clause, from_proposal, act, stance)
    ("000", "Att utse Roger Ingvarsson till protokolljusterare", False, "appointed", None),
    ("000", "Föreslagen dagordning fastställs.", False, "approved", None),
    ("001", "Att välja Lena Eldståhl att justera protokollet", False, "appointed", None),
    ("001", "Att godkänna utsänd dagordning", False, "approved", None),
    (
        "001",
        "Att föregående två protokoll godkänns och läggs till handlingarna",
        False,
        "approved",
        None,
    ),
    (
        "001",
        "Att förbundschefen får i uppdrag att tillsätta personalresursen så snart som möjligt",
        False,
        "assigned",
        None,
    ),
    (
        "001",
        "Att uppdra åt förbundschefen att fullfölja avtalsarbetet för stödfunktioner",
        False,
        "assigned",
        None,
    ),
    ("001", "Att godkänna informationen", False, "noted", None),
    ("002", "Dagordning fastställs med ovanstående tillägg", False, "approved", None),
    ("002", "Att godkänna rapporten och lägga den till handlingarna", False, "approved", None),
    ("002", "Att rapporten godkänns", False, "approved", None),
    (
        "002",
        "Att godkänna ordförandebeslut om anställning av 2 utvecklingsledare",
        False,
        "approved",
        None,
    ),
    (
        "002",
        "Att återföra frågan om tilläggsäskandet till styrgruppen för Samordningsteam Sala",
        False,
        "referred_back",
        None,
    ),
    ("003", "Inget beslutsförslag läggs.", True, None, None),
    ("003", "Regionstyrelsen tar på sig uppdraget att vara sammankallande", True, "approved", None),
    (
        "003",
        "Styrelsen beslutar att avsluta NAFS som samverkansstruktur i Umeåregionen.",
        True,
        "approved",
        None,
    ),
]


@pytest.mark.parametrize(("sample", "clause", "from_proposal", "act", "stance"), SAMPLE_CASES)
def test_sample_clauses(
    sample: str, clause: str, from_proposal: bool, act: str, stance: str | None
) -> None:
    record = classify(sample_clause(sample, clause), from_proposal=from_proposal)
    assert (record.act, record.stance) == (act, stance)
    assert record.from_proposal is from_proposal


def test_sample_grant_to_sala() -> None:
    clause = sample_clause(
        "000", "Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 120 tkr"
    )
    record = classify(clause)
    assert (record.verb, record.act, record.stance) == ("bevilja", "granted", None)
    assert record.amounts_kr == (120000.0,)
    assert record.object == "Samordningsteam Sala en extra tilldelning 2023 med 120 tkr"
    assert record.rates == ()


def test_sample_vote_on_nns_fee() -> None:
    clause = sample_clause(
        "000",
        "Att uppdra åt ordförande att vid NNS medlemsmöte den 24 november rösta för NNS förslag "
        "om utökad serviceavgift till 3,5 promille av Samordningsförbundens medelstilldelning.",
    )
    record = classify(clause)
    assert (record.verb, record.act, record.stance) == ("rösta_för", "delegated", "for")
    assert [(r.value, r.unit) for r in record.rates] == [(3.5, "promille")]
    assert record.amounts_kr == ()
    assert "Nationella Nätverket för Samordningsförbund" in record.organisations
    assert record.object is not None
    assert record.object.startswith("NNS förslag om utökad serviceavgift till 3,5 promille")


def test_sample_passive_objects() -> None:
    assert classify("Föreslagen dagordning fastställs.").object == "Föreslagen dagordning"
    protocol = sample_clause("002", "Att föregående protokoll godkänns och läggs till handlingarna")
    assert classify(protocol).object == "föregående protokoll"
    assert classify(sample_clause("002", "Att rapporten godkänns")).object == "rapporten"


def test_sample_clauses_without_an_act() -> None:
    follow_up = sample_clause(
        "002",
        "Att så snart ett förtydligat underlag inkommit från Samordningsteam Sala ska ett extra "
        "digitalt styrelsemöte genomföras för beslut",
    )
    record = classify(follow_up)
    assert (record.act, record.stance, record.object) == (None, None, None)


def test_sample_notice_without_proposal_decides_nothing() -> None:
    record = classify(sample_clause("003", "Inget beslutsförslag läggs."), from_proposal=True)
    assert (record.verb, record.act, record.stance) == ("inget_beslut", None, None)


# -- constructed clauses in other wording ---------------------------------------------

CONSTRUCTED = [
    # (clause, act, stance)
    ("Att rösta för NNS förslag om höjd serviceavgift till 3,5 promille", "approved", "for"),
    ("Förbundets ombud röstar ja till förslaget om ny serviceavgift", "approved", "for"),
    (
        "Styrelsen ger ordföranden i uppdrag att rösta för förslaget vid NNS årsmöte",
        "delegated",
        "for",
    ),
    ("Ombudet instrueras att rösta ja till NNS förslag", "delegated", "for"),
    ("Att rösta emot en höjning av serviceavgiften till NNS", "rejected", "against"),
    ("Att förbundet vid medlemsmötet röstar nej till höjd serviceavgift", "rejected", "against"),
    ("Ombudet ges i uppdrag att rösta nej till NNS förslag om höjd avgift", "delegated", "against"),
    (
        "Styrelsen beslutar att yrka avslag på NNS förslag om höjd serviceavgift",
        "rejected",
        "against",
    ),
    ("Att inte rösta för NNS förslag om serviceavgift", "rejected", "against"),
    ("Att inte ställa sig bakom förslaget", "rejected", "against"),
    ("Styrelsen ställer sig inte bakom NNS förslag om höjd serviceavgift", "rejected", "against"),
    ("Styrelsen avstyrker förslaget om höjd serviceavgift", "rejected", "against"),
    ("Att förbundets ombud ska avstå från att rösta i frågan om serviceavgift", None, "abstain"),
    (
        "Styrelsen uppdrar åt ordföranden att lägga ned förbundets röst i frågan",
        "delegated",
        "abstain",
    ),
    ("Styrelsen beslutar att inte ta ställning till NNS förslag", None, "abstain"),
    ("Förbundet avstår från att ta ställning till den föreslagna avgiften", None, "abstain"),
    ("Att ställa sig bakom NNS förslag om höjd serviceavgift", "approved", "for"),
    ("Styrelsen tillstyrker förslaget om ändrad serviceavgift", "approved", "for"),
    ("Styrelsen beviljar 250 000 kronor till projektet Steget vidare", "granted", None),
    ("Styrelsen anslår 1,2 mkr för 2024 till Samordningsteam Fagersta", "granted", None),
    ("Att tilldela insatsen Hälsoväxlingen 80 tkr för 2024", "granted", None),
    ("Ansökan från Arbetsförmedlingen om 300 tkr avslås.", "rejected", None),
    ("Att avslå ansökan om medel till Unga in", "rejected", None),
    ("Att inte bevilja ansökan", "rejected", None),
    ("Ansökan om förlängning beviljas inte", "rejected", None),
    ("Att ej godkänna budgetförslaget", "rejected", None),
    ("Styrelsen beslutar att bifalla ansökan om 80 000 kr", "granted", None),
    ("Styrelsen beslutar enligt förslaget", "approved", None),
    ("Att anta verksamhetsplan och budget för 2024", "approved", None),
    ("Ärendet bordläggs till nästa möte", "tabled", None),
    ("Att bordlägga frågan om ny organisation", "tabled", None),
    ("Frågan tas upp vid nästa styrelsemöte", "tabled", None),
    ("Styrelsen beslutar att skjuta upp beslutet om medlemsavgift", "tabled", None),
    ("Att återremittera ärendet till beredningsgruppen", "referred_back", None),
    ("Ärendet återremitteras till förbundschefen för komplettering", "referred_back", None),
    (
        "Att delegera till förbundschefen att besluta om bidrag upp till 50 000 kr",
        "delegated",
        None,
    ),
    ("Att uppdra åt förbundschefen att teckna avtal med Region Västmanland", "assigned", None),
    ("Att informationen noteras", "noted", None),
    ("Att lägga rapporten till handlingarna", "noted", None),
    ("Styrelsen tackar för informationen och lägger den till handlingarna", "noted", None),
    ("Informationen godkänns", "noted", None),
    ("Att välja Anna Andersson till ordförande för 2024", "appointed", None),
    ("Till ombud vid NNS årsmöte utses Karin Berg", "appointed", None),
    ("Inget förslag till beslut läggs", None, None),
    ("Ombudet ges fria händer vid NNS medlemsmöte", "delegated", "free_mandate"),
    ("Att ge ombudet fritt mandat i frågan om serviceavgift", "delegated", "free_mandate"),
    ("Ombudet får agera utifrån diskussionen vid årsmötet", "delegated", "free_mandate"),
    ("Förbundets representant röstar efter eget omdöme", "delegated", "free_mandate"),
    ("Att ombudet ges mandat att rösta för förslaget", "delegated", "for"),
    ("Styrelsen bemyndigar ordföranden att teckna avtalet", "delegated", None),
    ("Styrelsen beslutar i enlighet med förslaget", "approved", None),
    ("Styrelsen beslutar att förlänga insatsen med 300 tkr för 2025", "granted", None),
    ("Styrelsen beslutar att förlänga avtalet med Region Halland", "approved", None),
    ("Ärendet bordläggs", "tabled", None),
]


@pytest.mark.parametrize(("clause", "act", "stance"), CONSTRUCTED)
def test_constructed_clauses(clause: str, act: str, stance: str | None) -> None:
    record = classify(clause)
    assert (record.act, record.stance) == (act, stance)


@pytest.mark.parametrize(
    ("clause", "kronor"),
    [
        ("Styrelsen beviljar 250 000 kronor till projektet Steget vidare", (250000.0,)),
        ("Styrelsen anslår 1,2 mkr för 2024 till Samordningsteam Fagersta", (1200000.0,)),
        ("Att tilldela insatsen Hälsoväxlingen 80 tkr för 2024", (80000.0,)),
        ("Ansökan från Arbetsförmedlingen om 300 tkr avslås.", (300000.0,)),
    ],
)
def test_grant_amounts(clause: str, kronor: tuple[float, ...]) -> None:
    assert classify(clause).amounts_kr == kronor


@pytest.mark.parametrize(
    ("clause", "obj"),
    [
        (
            "Styrelsen beviljar 250 000 kronor till projektet Steget vidare",
            "250 000 kronor till projektet Steget vidare",
        ),
        (
            "Ansökan från Arbetsförmedlingen om 300 tkr avslås.",
            "Ansökan från Arbetsförmedlingen om 300 tkr",
        ),
        (
            "Ombudet ges i uppdrag att rösta nej till NNS förslag om höjd avgift",
            "NNS förslag om höjd avgift",
        ),
        ("Att lägga rapporten till handlingarna", "rapporten"),
        ("Att godkänna rapporten och lägga den till handlingarna", "rapporten"),
        (
            "Att bevilja 50 tkr till Steget, samt att uppdra åt kansliet att betala ut",
            "50 tkr till Steget",
        ),
        ("Styrelsen beslutar att ansökan från Sala kommun beviljas", "ansökan från Sala kommun"),
        ("Ärendet bordläggs", "Ärendet"),
    ],
)
def test_objects(clause: str, obj: str) -> None:
    assert classify(clause).object == obj


def test_a_rate_in_percent_and_the_nns_name() -> None:
    record = classify("Att rösta emot en höjning av serviceavgiften till NNS med 25 procent")
    assert record.stance == "against"
    assert [(r.value, r.unit) for r in record.rates] == [(25.0, "procent")]
    assert "Nationella Nätverket för Samordningsförbund" in record.organisations


def test_a_vote_against_bakgrund_is_still_a_vote_for() -> None:
    # "mot" after the proposal is no vote against it
    assert classify("Att rösta för förslaget mot bakgrund av förbundets ekonomi").stance == "for"


def test_a_delegated_task_is_no_stance_but_a_delegated_vote_is() -> None:
    task = classify("Att uppdra åt förbundschefen att avsluta avtalet med Region X")
    assert (task.act, task.stance) == ("assigned", None)
    grant = classify("Att bevilja 50 tkr och uppdra åt kansliet att betala ut")
    assert (grant.act, grant.stance) == ("granted", None)
    vote = classify("Att uppdra åt ordföranden att rösta nej till förslaget")
    assert (vote.act, vote.stance) == ("delegated", "against")


def test_clause_is_whitespace_normalised_and_flag_kept() -> None:
    record = classify("  Att  bevilja\n Steget\t40 tkr  ", from_proposal=True)
    assert record.clause == "Att bevilja Steget 40 tkr"
    assert record.from_proposal is True


def test_classify_item_marks_proposals() -> None:
    records = classify_item(("Att bevilja 40 tkr",), ("Att rösta för förslaget",))
    assert [(r.act, r.stance, r.from_proposal) for r in records] == [
        ("granted", None, False),
        ("approved", "for", True),
    ]


# -- the rule table ------------------------------------------------------------------------


def test_rule_table_is_consistent() -> None:
    acts, stances = set(ACTS) | {None}, set(STANCES) | {None}
    for rule in RULES:
        assert rule.act in acts and rule.not_act in acts, rule
        assert rule.stance in stances and rule.not_stance in stances, rule
        assert rule.verb in VERBS
    assert set(ACT_SV) == set(ACTS) and set(STANCE_SV) == set(STANCES)
    assert sorted(ACT_PRECEDENCE) == sorted(ACTS)
    assert sorted(STANCE_PRECEDENCE) == sorted(STANCES)
    assert set(STANCE_OF_ACT) <= set(ACTS) and set(STANCE_OF_ACT.values()) <= set(STANCES)


def test_import_builds_nothing() -> None:
    code = "import sys, ingest.stance; print('spacy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.text(
            alphabet=st.sampled_from(list("att bevilja inte rösta för ej 120 tkr,.;-§\n")),
            max_size=80,
        ),
    )
)
def test_any_text_gives_a_valid_record(text: str) -> None:
    record = classify(text)
    assert record.stance in set(STANCES) | {None}
    assert record.act is None or record.act in ACTS
    assert record.verb is None or record.verb in VERBS
    if record.object is not None:
        assert record.object in record.clause
