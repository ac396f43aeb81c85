"""Facts per item: amounts, dates and organisations, hand-checked on samples and constructions."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.model import PER_CAPITA, Amount
from ingest.facts import find_amounts, find_dates, find_organisations
from ingest.gazetteer import find_forbund_mentions
from ingest.orgs import pipeline

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
NV = "Norra Västmanlands Samordningsförbund"
NNS = "Nationella Nätverket för Samordningsförbund"


def sample(prefix: str) -> str:
    return next(SAMPLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    a = text.index(start)
    return text[a : text.index(end, a + len(start))]


def kronor(text: str) -> list[float]:
    return [a.value for a in find_amounts(text) if a.unit == "kr"]


# --- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ett tilläggsäskande om 147 424 kr för 2023", 147_424),
        ("147 424 kronor", 147_424),
        ("beviljar 120 tkr i tilläggsäskande", 120_000),
        ("begära 9 519 tkr i statlig tilldelning", 9_519_000),
        ("en indikation kunde vara ca 9 miljoner, dvs", 9_000_000),
        ("9 miljoner kr", 9_000_000),
        ("1,5 mkr", 1_500_000),
        ("2 mnkr", 2_000_000),
        ("motsvarande totalt 600 000 kro-nor", None),  # broken word: no unit
        ("totalt 600 000 kronor.", 600_000),
        ("motsvarar en promille 10 000kr.", 10_000),
        ("länskonferens om våld med 7 500 kr.", 7_500),
        ("en avgift om cirka 32 000 kr/år", 32_000),
        ("5 000:- per deltagare", 5_000),
        ("Intäkter 12\u00a0635 tkr", 12_635_000),
        ("ett överskott om 310\n000 kr.", 310_000),  # a wrapped line broke the number
        ("beviljar 1\n250 000 kronor", 1_250_000),
        ("beslutade 2024-05-22\n100 tkr", 100_000),  # a date's day is no thousands group
    ],
)
def test_kronor_are_normalised(text: str, value: float | None) -> None:
    assert kronor(text) == ([] if value is None else [value])


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("en höjning med 50 öre", 0.5, "kr"),
        ("höjs med 75 öre per invånare", 0.75, PER_CAPITA),
        ("1:75 kr per kommuninvånare", 1.75, PER_CAPITA),
        ("en avgift om 2:50 kronor", 2.5, "kr"),
        ("2,50 kr per invånare", 2.5, PER_CAPITA),
        ("3 kr/inv. från 2026", 3.0, PER_CAPITA),
        ("1,60 kr/invånare", 1.6, PER_CAPITA),
        ("2 kronor per invånare i upptagningsområdet", 2.0, PER_CAPITA),
        ("3 200 kr per person", 3200.0, "kr"),  # per participant is a price, not per resident
        ("2 kr i inventarier", 2.0, "kr"),
        ("12 000 kr för 2024", 12000.0, "kr"),
    ],
)
def test_ore_colon_decimals_and_fees_per_resident(text: str, value: float, unit: str) -> None:
    assert [(a.value, a.unit) for a in find_amounts(text)] == [(value, unit)]


def test_a_fee_per_resident_keeps_its_words_and_its_pair() -> None:
    (fee,) = find_amounts("en avgift om 2,50 kr per invånare från 2025")
    assert fee.text == "2,50 kr per invånare"
    old, new = find_amounts("höjs från 1,50 kr till 2,50 kr per invånare")
    assert (old.value, old.unit, new.value, new.unit) == (1.5, PER_CAPITA, 2.5, PER_CAPITA)
    total, fee = find_amounts("12 000 kr och 2 kr per invånare")
    assert (total.unit, fee.unit) == ("kr", PER_CAPITA)
    total, fee = find_amounts("totalt 12 000 kr till NNS, 2 kr per invånare")
    assert (total.unit, fee.unit) == ("kr", PER_CAPITA)
    assert find_amounts("mötet börjar kl 10:30") == ()


def test_negative_amounts_in_accounts_but_not_dashes_or_bullets() -> None:
    text = (
        "Administrativa kostnader: -572 tkr\nDirekta insatskostnader: - 3 141 tkr , varav\n"
        "budgeterat för ett resultat om -474 \n\ntkr. Utfallet blev -173 tkr.\n"
        "- 120 tkr till Samordningsteam Sala\nKostnad – 50 tkr"
    )
    assert kronor(text) == [-572_000, -3_141_000, -474_000, -173_000, 120_000, 50_000]


def test_ranges_give_both_ends() -> None:
    assert kronor("tidigare tilläggsäskanden från andra insatser (20 tkr-62 tkr).") == [
        20_000,
        62_000,
    ]
    assert kronor("mellan 20-62 tkr") == [20_000, 62_000]
    assert kronor("mellan 7 och 15 miljoner kronor") == [7_000_000, 15_000_000]
    assert kronor("budgeten för 2024 och 500 tkr") == [500_000]  # a year is no range end


def test_promille_and_percent() -> None:
    amounts = find_amounts("höjning till 3,5 promille, 1 promille, en promille, 25 %, 60% och 2‰")
    assert [(a.value, a.unit) for a in amounts] == [
        (3.5, "promille"),
        (1.0, "promille"),
        (1.0, "promille"),
        (25.0, "procent"),
        (60.0, "procent"),
        (2.0, "promille"),
    ]
    assert amounts[0] == Amount(3.5, "promille", "3,5 promille")


def test_number_words_with_promille_percent_and_millions() -> None:
    amounts = find_amounts("en höjning med en promille, tio procent och tre miljoner kronor")
    assert [(a.value, a.unit, a.text) for a in amounts] == [
        (1.0, "promille", "en promille"),
        (10.0, "procent", "tio procent"),
        (3_000_000, "kr", "tre miljoner kronor"),
    ]
    assert find_amounts("tre miljoner invånare och en del andra") == ()


@pytest.mark.parametrize(
    "text",
    [
        "Sammanträdesdatum 2023-11-02 1 (9)",
        "Paragrafer 54-58, § 57 och §§ 45-46",
        "Av de 46 deltagare som avslutat insatsen under årets första 8 månader",
        "Digitalt via Teams, kl 08:30-09:30",
        "Ring 070-123 45 67 eller 0920-45 67 89",
        "Perioden 2007 - 2011 bedrevs detta som projekt",
        "10 miljoner invånare",
        "krav på 3 kring arbetet",
    ],
)
def test_numbers_without_currency_are_not_amounts(text: str) -> None:
    assert find_amounts(text) == ()


def test_amounts_of_sample_items() -> None:
    text = sample("000")
    s56 = between(text, "NVSam § 56", "NVSam § 57")
    assert {147_424, 120_000} <= set(kronor(s56))
    assert 20_000 in kronor(s56) and 62_000 in kronor(s56)
    s57 = between(text, "NVSam § 57", "NVSam § 58")
    assert kronor(s57) == [66_600, 38_000]
    assert [a.value for a in find_amounts(s57) if a.unit == "promille"] == [2, 3.5, 3.5]
    s47 = between(sample("002"), "NVSam § 47", "NVSam § 48")
    assert kronor(s47) == [4_394_000, -572_000, -3_141_000, -2_543_000, -598_000]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sammanträdesdatum 2023-11-02", ("2023-11-02",)),
        ("medlemsmöte 2 december 2021", ("2021-12-02",)),
        ("2021-12-02 klockan 09.00-12.00 hålls årsmöte", ("2021-12-02",)),
        ("beslut 28/9 2023 och 15.6.2023", ("2023-09-28", "2023-06-15")),
        ("2:a december 2021 och 1 jan. 2022", ("2021-12-02", "2022-01-01")),
        ("Styrelseprotokoll-NVSam-2023-05-25", ("2023-05-25",)),
        ("2023-09-25 och åter 2023-09-25", ("2023-09-25",)),
        ("2023-02-30, 2023-13-01 och 31 april 2023", ()),
        ("den 24 november", ()),
        ("omkring 2/3 av förbunden", ()),
        ("mötet 3/10-24 och 4/11-2024", ("2024-10-03", "2024-11-04")),
        ("3/10-2 och § 14/2024 och dnr 2024/15", ()),
        ("kl 9.10 och 8.45-11.15", ()),
        ("maj-sept 2023, januari – augusti 2023, 2019–2022", ()),
        # a short date with its year may end a clause; a fraction with a decimal is no date
        ("Tid: måndagen den 3/3 2025, kl. 9.00", ("2025-03-03",)),
        ("Datum: 3.3.2025, Plats: kansliet", ("2025-03-03",)),
        ("andelen 3/4,5 procent", ()),
    ],
)
def test_find_dates(text: str, expected: tuple[str, ...]) -> None:
    assert find_dates(text) == expected


def test_dates_without_year_need_a_default_year() -> None:
    text = "vid NNS medlemsmöte den 24 november; styrgruppsmöten 4/5;18/5;8/6; och 2/3 av dem"
    assert find_dates(text, default_year=2023) == (
        "2023-11-24",
        "2023-05-04",
        "2023-05-18",
        "2023-06-08",
    )
    assert find_dates("den 29 februari", default_year=2023) == ()
    assert find_dates("den 29 februari", default_year=2024) == ("2024-02-29",)


# --- organisations ---------------------------------------------------------------------------


def test_organisations_of_a_participant_list() -> None:
    text = sample("000")
    head = text[: text.index("Övriga deltagande")]
    assert find_organisations(head) == (
        NV,
        "Sala kommun",
        "Norbergs kommun",
        "Försäkringskassan",
        "Hallstahammars kommun",
        "Skinnskattebergs kommun",
        "Surahammars kommun",
        "Fagersta kommun",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NNS:s styrelse och Nationella Nätverket  \nför Samordningsförbund", (NNS,)),
        ("Försäk-\nringskassan och Af samt FK:s handläggare", ("Försäkringskassan", "Arbetsförmedlingen")),
        ("Region Västmanlands andel, Regionstyrelsen", ("Region Västmanland", "Regionstyrelsen")),
        ("Varje kommun, Dals-Eds kommun och Upplands Väsby kommun", ("Dals-Eds kommun", "Upplands Väsby kommun")),
        ("Stöd och styrning, Fagersta Kommun", ("Fagersta kommun",)),
        ("Länsstyrelsen i Västmanlands län bjuder in", ("Länsstyrelsen i Västmanlands län",)),
        ("Länsstyrelsen bjuder in till länskonferens", ("Länsstyrelsen",)),
        ("KPMG:s revisor; Sveriges kommuner och regioner - SKR", ("KPMG", "SKR")),
        ("logotyp för Norra Västmanlands Samordningsförbunds", (NV,)),
        ("för SF Umeåregionen innebära", ("Samordningsförbundet Umeåregionen",)),
        ("NVSam § 54", (NV,)),
        ("Revisorerna för NNV Skåne", ("Samordningsförbundet NNV Skåne",)),
        ("Vi vill värna om samverkan i Västerås Stadshus", ()),
        ("Samordningsförbundet Kävlinge–Lomma", ("Samordningsförbundet Kävlinge-Lomma",)),
        (
            "För Samordningsförbunden Härnösand/Timrå, Ånge och Örnsköldsvik menar revisorerna",
            (
                "Samordningsförbundet Härnösand-Timrå",
                "Samordningsförbundet Ånge",
                "Samordningsförbundet Örnsköldsvik",
            ),
        ),
        ("Att bevilja Samordningsteam Sala en extra tilldelning", ()),
    ],
)  # fmt: skip
def test_find_organisations(text: str, expected: tuple[str, ...]) -> None:
    assert find_organisations(text) == expected


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_organisations_include_every_forbund_the_gazetteer_finds(prefix: str) -> None:
    text = sample(prefix)
    orgs = find_organisations(text)
    assert {name for name, _, _ in find_forbund_mentions(text)} <= set(orgs)
    assert len(orgs) == len(set(orgs))
    assert "Försäkringskassan" in orgs


def test_pipeline_is_a_blank_swedish_model_with_rulers_built_once() -> None:
    nlp = pipeline()
    assert nlp is pipeline()
    assert nlp.lang == "sv"
    assert {"org_names", "org_rules"} <= set(nlp.pipe_names)
    assert all(nlp.get_pipe(name).__class__.__name__ == "EntityRuler" for name in nlp.pipe_names)
