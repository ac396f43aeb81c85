"""Cleaning: furniture out, paragraphs back, converter noise gone — on samples and new layouts."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from corpus.model import RUNNING, Page
from ingest.clean import clean, clean_text
from ingest.lines import continues, join

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"


def sample(prefix: str) -> str:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def lines_of(pages: list[Page]) -> list[str]:
    return [ln for p in pages for ln in p.text.split("\n")]


# --- hyphens and wrapped lines -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("inom Försäk-\nringskassan och", "inom Försäkringskassan och"),
        ("höja ser-\nviceavgiften med", "höja serviceavgiften med"),
        ("ett läns-\nSamordningsförbund bildas", "ett läns-Samordningsförbund bildas"),
        ("planen för 2024-\n2026 gäller", "planen för 2024-2026 gäller"),
        ("av ESF-\nprojektet Hälsa", "av ESF-projektet Hälsa"),
        ("både grund-\noch vidareutbildning", "både grund- och vidareutbildning"),
        ("perioden jan-\naug 2023", "perioden jan-aug 2023"),
        ("Försäk-\n\nringskassan (dubbelt radavstånd)", "Försäkringskassan (dubbelt radavstånd)"),
    ],
)
def test_hyphenated_line_breaks(raw: str, want: str) -> None:
    assert clean_text(raw) == want


def test_real_hyphens_inside_lines_stay() -> None:
    text = "Delårsrapport jan-aug 2023 och Britt-Marie Enholm-Gahnström, plan 2024-2026."
    assert clean_text(text) == text


def test_wrapped_lines_join_into_paragraphs_but_sentences_and_lists_do_not() -> None:
    raw = (
        "Styrelsen beslutade att återföra frågan till styrgruppen för\n"
        "Samordningsteam Sala för förtydligande av\n"
        "underskottet.\n"
        "Nästa stycke börjar här.\n"
        "- första punkten\n"
        "- andra punkten som fortsätter\n"
        "på nästa rad\n"
        "• tredje\n"
        "1. Mötets öppnande\n"
        "A. Förslag\n"
        "i. Protokoll"
    )
    assert clean_text(raw).split("\n") == [
        "Styrelsen beslutade att återföra frågan till styrgruppen för Samordningsteam Sala "
        "för förtydligande av underskottet.",
        "Nästa stycke börjar här.",
        "- första punkten",
        "- andra punkten som fortsätter på nästa rad",
        "• tredje",
        "1. Mötets öppnande",
        "A. Förslag",
        "i. Protokoll",
    ]


def test_double_spaced_export_is_joined() -> None:
    raw = "Vid medlemsdialoger har \n\nförväntningar beskrivits: \n\n \n\nIndividperspektiv \n"
    assert clean_text(raw).split("\n") == [
        "Vid medlemsdialoger har förväntningar beskrivits:",
        "Individperspektiv",
    ]


def test_att_clauses_after_a_decision_intro_stay_apart() -> None:
    raw = "Styrelsen beslutar\natt godkänna rapporten,\natt lägga den till handlingarna"
    assert clean_text(raw).split("\n") == [
        "Styrelsen beslutar",
        "att godkänna rapporten,",
        "att lägga den till handlingarna",
    ]


def test_wrapped_forbund_name_is_joined() -> None:
    assert continues("Ann Rilegård, Norra Västmanlands", "Samordningsförbund")
    assert continues("Lägesrapport om processen mot Samordningsförbund", "Västmanland")
    assert not continues("Norra Västmanlands Samordningsförbund", "Sammanträdesprotokoll")
    assert not continues("Samordningsförbundet Västmanland", "Regionstyrelsen", names=False)
    assert join("Försäk-", "ringskassan") == "Försäkringskassan"


# --- converter leftovers and characters --------------------------------------------------


def test_converter_leftovers_are_removed() -> None:
    raw = (
        "Beslutande\t<p>Elisabet Pettersson, Sala kommun</p>\n"
        "| Kostnad | Belopp |\n"
        "|--|--|\n"
        "--\t--------------------\n"
        "- *Styrelseprotokoll-2023-05-25*\n"
        "**Viktigt** beslut\n"
        "______\n"
        "Slut &amp; klart"
    )
    out = clean_text(raw)
    for leftover in ("<p>", "</p>", "|", "*", "--", "___", "\t", "&amp;"):
        assert leftover not in out
    assert out.split("\n") == [
        "Beslutande Elisabet Pettersson, Sala kommun",
        "Kostnad Belopp",
        "- Styrelseprotokoll-2023-05-25",
        "Viktigt beslut",
        "Slut & klart",
    ]


def test_private_use_bullets_become_bullets_and_text_is_nfc() -> None:
    raw = "\uf0b7 Fler individer ska få stöd\n\uf0fc Eget kapital\nA\u030arsredovisning"
    out = clean_text(raw)
    assert out == "• Fler individer ska få stöd\n• Eget kapital\nÅrsredovisning"
    assert unicodedata.is_normalized("NFC", out)


# --- furniture ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "furniture",
    ["Sida 3 (9)", "Sida 2 av 4", "1 (xx)", "12 (15)", "- 4 -", "Utdragsbestyrkande",
     "Justerandes sign", "Justerandes signatur", "Ordförandes sign Justerandes sign", "Sida"],
)  # fmt: skip
def test_page_furniture_lines_are_removed_anywhere(furniture: str) -> None:
    raw = f"Ett stycke som börjar här och\n{furniture}\nfortsätter på nästa sida."
    assert clean_text(raw) == "Ett stycke som börjar här och fortsätter på nästa sida."


def test_page_number_after_a_date_is_stripped() -> None:
    assert clean_text("Sammanträdesdatum\n2023-11-02 1 (9)") == "Sammanträdesdatum\n2023-11-02"


def test_running_header_of_a_multipage_file_is_removed_except_on_first_page() -> None:
    header = "Samordningsförbundet Kalmar län"
    pages = [
        Page(n, f"{header} Sida {n} (3)\nProtokoll 2024-02-01\n{body}\nJusterare: ____")
        for n, body in [
            (1, "§ 1 Mötets öppnande\nOrdföranden öppnade mötet."),
            (2, "§ 2 Budget\nStyrelsen diskuterade budgeten för"),
            (3, "nästa år.\n§ 3 Avslutning"),
        ]
    ]
    out = clean(pages)
    assert [p.number for p in out] == [1, 2, 3]
    assert out[0].text.split("\n")[:2] == [header, "Protokoll 2024-02-01"]
    assert out[1].text.split("\n") == ["§ 2 Budget", "Styrelsen diskuterade budgeten för"]
    assert out[2].text.split("\n") == ["nästa år.", "§ 3 Avslutning"]
    assert all("Justerare" not in p.text and "Sida" not in p.text for p in out)


@pytest.mark.parametrize(
    "footer",
    [
        "Samordningsförbundet Halland Sida {n} av 3",
        "Finsam Gotland · Protokoll styrelsen 2024-12-05 · Sida {n} av 3",
        "Protokoll 2024-12-05 – Samordningsförbundet Sydnärke – {n} (3)",
    ],
)
def test_a_running_footer_is_removed_from_the_first_page_too_and_kept_as_evidence(
    footer: str,
) -> None:
    bodies = [
        "Protokoll\nDatum: 2024-12-05\n4 Budget 2025\nBeslut\nStyrelsen beslutar\n"
        "att fastställa budgeten\natt överlämna budgeten till medlemmarna för kännedom",
        "5 Internkontrollplan 2025\nPlanen omfattar attest och uppföljning av insatser.\n"
        "Förbundschefen föredrog ärendet.\nBeslut\nPlanen fastställs.",
        "6 Övriga frågor\nInga övriga frågor anmäldes.\n7 Mötets avslutande\n"
        "Ordföranden avslutade mötet.",
    ]
    pages = [Page(n, f"{body}\n{footer.format(n=n)}") for n, body in enumerate(bodies, start=1)]
    out = clean(pages)
    assert all(footer[:24] not in p.text for p in out)
    assert out[0].text.split("\n")[-1] == "att överlämna budgeten till medlemmarna för kännedom"
    running = [b.text for b in out[0].blocks if b.kind == RUNNING]
    assert len(running) == 1 and running[0].startswith(footer.split(" ")[0])
    assert out[1].text.split("\n")[0] == "5 Internkontrollplan 2025"


@pytest.mark.parametrize(
    ("prev", "nxt", "joined"),
    [
        (
            "att överlämna budgeten till medlemmarna för kännedom",
            "5 Internkontrollplan 2025",
            False,
        ),
        ("Ordföranden tackade för visat intresse och avslutade", "8 Mötets avslutande", False),
        ("ett tilläggsäskande om totalt och med ett belopp om", "12 000 kr för 2025.", True),
        ("förbundet har nu totalt sett och i alla delar", "12 medlemmar.", True),
        ("- att bevilja ett tilläggsanslag om 300 000 kr av sökta 450", "000 kr", True),
        ("att bevilja insatsen Hälsosteget 1", "100 000 kr per år för 2025", True),
        ("Budgeten för 2025", "500 tkr avsätts till insatser.", False),
        ("Ärendet behandlades i § 12", "000 kr", False),
    ],
)
def test_a_line_numbered_like_a_heading_does_not_continue_the_one_before(
    prev: str, nxt: str, joined: bool
) -> None:
    assert continues(prev, nxt) is joined


def test_repeated_header_block_in_single_page_export_infers_pages() -> None:
    block = "Sammanträdesprotokoll\n\nGöteborgs Samordningsförbund\n\nSida\n\n2022-03-10\n\n{n}\n"
    text = (
        block.format(n="1 (3)")
        + "\nPlats och tid Göteborg\n\n§ 4 Val av justerare\nAnna Berg utses.\n\n\n"
        + block.format(n=2)
        + "\n§ 5 Budget\nBudgeten diskuterades och\n\n"
        + block.format(n=3)
        + "\nfastställdes av styrelsen.\n"
    )
    out = clean([Page(1, text)])
    assert [p.number for p in out] == [1, 2, 3]
    assert out[0].text.split("\n")[:3] == [
        "Sammanträdesprotokoll",
        "Göteborgs Samordningsförbund",
        "2022-03-10",
    ]
    assert out[1].text == "§ 5 Budget\nBudgeten diskuterades och"
    assert out[2].text == "fastställdes av styrelsen."


def test_signature_blocks_are_not_mistaken_for_running_headers() -> None:
    sig = "{name}\n\nOrdförande\n\nSamordningsförbundet\n\n{place}\n\n"
    text = "Text.\n\n" + "".join(
        sig.format(name=n, place=p)
        for n, p in [("Peter Vigren", "Umeåregionen"), ("Bertil Almgren", "Skellefteå-Norsjö"),
                     ("Karin Malmfjord", "Södra Lappland")]
    )  # fmt: skip
    out = lines_of(clean([Page(1, text)]))
    assert out.count("Ordförande") == 3
    assert "Samordningsförbundet Skellefteå-Norsjö" in out


def test_flattened_header_inside_a_line_is_removed() -> None:
    head = "SAMMANTRÄDESPROTOKOLL\n\nDatum 2023-06-15\n\nSamordningsförbundet Västmanland\n\n"
    text = (
        head + "Möte styrelsen\n\n"
        + head + "§ 2 Budget\n\n"
        + "Budgeten SAMMANTRÄDESPROTOKOLL Datum 2023-06-15 Samordningsförbundet Västmanland "
        "fastställdes.\n"
    )  # fmt: skip
    out = lines_of(clean([Page(1, text)]))
    assert "Budgeten fastställdes." in out
    assert out.count("SAMMANTRÄDESPROTOKOLL") == 1


# --- the samples -------------------------------------------------------------------------


def test_sample_002_pages_follow_printed_page_numbers() -> None:
    pages = clean([Page(1, sample("002"))])
    by_number = {p.number: p.text for p in pages}
    assert [n for n in (3, 4, 5, 6, 11, 15)] == [n for n in (3, 4, 5, 6, 11, 15) if n in by_number]
    assert by_number[3].startswith("NVSam § 42")
    assert by_number[11].startswith("Interimsstyrelsen poängterar")
    assert by_number[15].startswith("NVSam § 53")
    assert max(by_number) == 15
    for p in pages:
        assert "Utdragsbestyrkande" not in p.text
        assert "Sammanträdesdatum\nSida" not in p.text


def test_sample_001_repeated_header_blocks_are_removed() -> None:
    text = "\n".join(p.text for p in clean([Page(1, sample("001"))]))
    assert text.count("SAMMANTRÄDESPROTOKOLL") == 1
    assert text.count("Datum 2023-06-15") == 1
    assert "Samordningsteam även i KAK-området?\nSamordningsförbundets och medlemmarnas" in text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_samples_have_no_leftovers_and_are_pure(prefix: str) -> None:
    raw = sample(prefix)
    pages = [Page(1, raw)]
    out = clean(pages)
    assert pages == [Page(1, raw)]  # input untouched
    assert clean(pages) == out  # deterministic
    text = "\n".join(p.text for p in out)
    for leftover in ("<p>", "\t", "______", "\uf0b7", "  ", "\n\n", " \n"):
        assert leftover not in text
    assert unicodedata.is_normalized("NFC", text)
    numbers = [p.number for p in out]
    assert numbers == sorted(set(numbers)) and numbers[0] >= 1


def test_empty_input() -> None:
    assert clean([]) == []
    assert clean([Page(1, "")]) == [Page(1, "")]


def test_item_labels_and_block_words_at_page_tops_are_not_running_headers() -> None:
    head = "Samordningsförbundet Halland   Protokoll 2024-03-01   Sida {n} (4)"
    bodies = [
        "§ 1 Delårsrapport\nText om rapporten.",
        "Beslut\n§ 2 Delårsrapport\nMer text.",
        "Beslut\nAtt godkänna rapporten\nSlut på sidan.",
        "§ 4 Övrigt\nInget att rapportera.",
    ]
    out = clean([Page(n, f"{head.format(n=n)}\n{b}") for n, b in enumerate(bodies, start=1)])
    texts = [p.text.split("\n") for p in out]
    assert texts[0][0] == "Samordningsförbundet Halland Protokoll 2024-03-01"
    assert texts[1] == ["Beslut", "§ 2 Delårsrapport", "Mer text."]
    assert texts[2] == ["Beslut", "Att godkänna rapporten", "Slut på sidan."]
