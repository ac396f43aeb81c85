"""Gazetteer of förbund: data, mentions, canonical names and which förbund owns a document."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from corpus.model import CELL, Block, Document, Page
from ingest.clean import clean
from ingest.gazetteer import (
    DATA_FILE,
    all_forbund,
    canonical_forbund,
    find_forbund_mentions,
    load_gazetteer,
    parse_gazetteer,
    resolve_forbund,
    wrapped_forbund,
)
from ingest.segment import segment

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
NV = "Norra Västmanlands Samordningsförbund"
VASTMANLAND = "Samordningsförbundet Västmanland"
UMEA = "Samordningsförbundet Umeåregionen"
NNS = "Nationella Nätverket för Samordningsförbund"


def sample(prefix: str) -> str:
    return next(SAMPLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def names(text: str) -> list[str]:
    return [name for name, _, _ in find_forbund_mentions(text)]


# --- data ------------------------------------------------------------------------------------


def national_table() -> list[tuple[str, str]]:
    """(county, short name) rows of Försäkringskassan's table of 2020 in sample 003."""
    text = sample("003")
    table = text[text.index("Samordningsförbund år 2020") :]
    counties = sorted({e.county for e in load_gazetteer().entries if e.county}, key=len)
    rows = []
    for line in table.splitlines():
        m = re.match(r"\s*(.+?) x Ja ", line)
        if not m:
            continue
        row = m.group(1).strip()
        county = next(c for c in reversed(counties) if row.lower().startswith(c.lower()))
        rows.append((county, row[len(county) :].strip()))
    return rows


def test_every_forbund_of_the_national_table_is_in_the_gazetteer_with_its_county() -> None:
    rows = national_table()
    assert len(rows) == 78
    resolved = set()
    for county, short in rows:
        name = canonical_forbund(short)
        assert name is not None, short
        assert load_gazetteer().by_name[name].county == county, short
        resolved.add(name)
    assert len(resolved) == 78  # no two rows collapse into one förbund


def test_data_file_loads_without_alias_collisions(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ingest.gazetteer"):
        gaz = parse_gazetteer(json.loads(DATA_FILE.read_text(encoding="utf-8")))
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    for e in gaz.entries:
        for other in (e.successor,):
            assert other is None or other in gaz.by_name
    assert gaz.by_name[NV].successor == VASTMANLAND
    assert gaz.by_name["Samordningsförbundet Södra Norrbotten"].since == "2020-01-01"
    assert gaz.by_name[NNS].kind == "nätverk"


def test_all_forbund_lists_förbund_only_sorted_and_unique() -> None:
    names_ = all_forbund()
    assert len(names_) == len(set(names_)) >= 82  # 78 of 2020, Västmanland, 3 predecessors
    assert NNS not in names_
    assert names_ == sorted(names_, key=str.lower)
    assert {NV, VASTMANLAND, UMEA, "Sjuhärads Samordningsförbund"} <= set(names_)


def test_load_gazetteer_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


# --- canonical names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("NVSam", NV),
        ("nvsam", NV),
        ("  SF   umeåregionen ", UMEA),
        ("Umeåregionen", UMEA),
        ("Samordningsförbundet Norra Västmanland", NV),
        ("Norra Västmanlands Samordningsförbunds", NV),
        ("samordningsförbundet västmanland", VASTMANLAND),
        ("Göteborg", "Samordningsförbundet Göteborg"),
        ("Finsam Göteborg", "Samordningsförbundet Göteborg"),
        ("NNS", NNS),
        ("Nationella nätverket för samordningsförbund", NNS),
        ("NNV-Skåne", "Samordningsförbundet NNV Skåne"),
        ("Samordningsförbundet i Sörmland", "Samordningsförbundet RAR i Sörmland"),
        ("Härnösand/Timrå", "Samordningsförbundet Härnösand-Timrå"),
        ("Älv och Kust", "Samordningsförbundet Älv & Kust"),
        ("Sjuhärad", "Sjuhärads Samordningsförbund"),
    ],
)
def test_canonical_forbund_accepts_aliases(alias: str, canonical: str) -> None:
    assert canonical_forbund(alias) == canonical


@pytest.mark.parametrize("name", ["", "   ", "Samordningsförbundet", "Försäkringskassan", "Xyz"])
def test_canonical_forbund_rejects_unknown_names(name: str) -> None:
    assert canonical_forbund(name) is None


# --- mentions --------------------------------------------------------------------------------


def test_mentions_spans_cover_the_surface_with_genitive() -> None:
    text = "Tills vidare används Norra Västmanlands Samordningsförbunds logotyp och NNS:s mall."
    found = find_forbund_mentions(text)
    assert [(n, text[a:b]) for n, a, b in found] == [
        (NV, "Norra Västmanlands Samordningsförbunds"),
        (NNS, "NNS:s"),
    ]


def test_mentions_across_line_breaks_and_hyphenated_words() -> None:
    text = (
        "Ann Rilegård, Norra Västmanlands \nSamordningsförbund och Samordnings-\nförbundet Halland"
    )
    assert names(text) == [NV, "Samordningsförbundet Halland"]


def test_plural_lists_name_each_forbund() -> None:
    text = "För Samordningsförbunden Härnösand/Timrå, Ånge och Örnsköldsvik menar revisorerna"
    assert names(text) == [
        "Samordningsförbundet Härnösand-Timrå",
        "Samordningsförbundet Ånge",
        "Samordningsförbundet Örnsköldsvik",
    ]


def test_longest_form_wins() -> None:
    text = "Samordningsförbundet Västra Mälardalen, Samordningsförbundet Väst och SF Västerås."
    assert names(text) == [
        "Samordningsförbundet Västra Mälardalen",
        "Samordningsförbundet Väst",
        "Samordningsförbundet Västerås",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Möte i Västerås Stadshus, KS-salen",  # a town, not a förbund
        "Fyrpartsamverkan i Umeåregionen har fått nya förutsättningar",  # a region (weak only)
        "Vi vill värna om samverkan",  # "värna" is a verb; the abbreviation is "VärNa"
        "De tre Samordningsförbunden i Västmanland har kommit överens",  # the three, not the new
        "kontakt med fyrpartssamverkan i Skellefteå/Norsjö-området",
        "Samordningsförbundet kan stödja parternas insatser",
    ],
)
def test_no_mention_where_no_forbund_is_named(text: str) -> None:
    assert names(text) == []


def test_abbreviations_are_case_sensitive() -> None:
    assert names("Samverkan med VärNa och SOFINT") == [
        "Samordningsförbundet VärNa",
        "Samordningsförbundet SOFINT",
    ]
    assert names("sofint och värna") == []


def test_loose_mentions_are_weak_and_only_on_request() -> None:
    gaz = load_gazetteer()
    text = "Fyrpartsamverkan i Umeåregionen och SF Umeåregionen"
    loose = gaz.mentions(text, loose=True)
    assert [(m.canonical, m.strength) for m in loose] == [(UMEA, "bare"), (UMEA, "strong")]
    assert [m.strength for m in gaz.mentions(text)] == ["strong"]


# --- which förbund owns a document -----------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("000", NV), ("001", VASTMANLAND), ("002", NV), ("003", UMEA), ("004", NV)],
)
def test_resolve_forbund_on_the_samples(prefix: str, expected: str) -> None:
    result = resolve_forbund(sample(prefix))
    assert result is not None
    assert result[0] == expected
    assert result[1] and len(result[1]) < 300


def test_resolve_gives_readable_evidence() -> None:
    _, head_evidence = resolve_forbund(sample("000")) or ("", "")
    assert 'rubriken nämner "Norra Västmanlands Samordningsförbund"' in head_evidence
    assert '"NVSam"' in head_evidence
    _, implicit = resolve_forbund(sample("003")) or ("", "")
    assert '"SF Umeåregionen" i punkt 7' in implicit
    assert "punkt 9" in implicit
    assert "bilagans underskrift" in implicit


GOTEBORG = """PROTOKOLL
Styrelsemöte Samordningsförbundet Göteborg
Datum: 2022-03-14, kl 13.00-15.00
Närvarande: Anna Svensson, Göteborgs Stad; Per Ek, Försäkringskassan; Lisa Ho, Region Skåne

§ 1 Mötets öppnande
Ordföranden öppnar mötet.

§ 2 Erfarenhetsutbyte
Förbundschefen rapporterar från nätverksträffen med Samordningsförbundet Älv & Kust,
Samordningsförbundet Insjöriket och Samordningsförbundet Väst. Nästa träff hålls hos
Samordningsförbundet Insjöriket i maj.
Beslut
Att lägga informationen till handlingarna.

§ 3 Avslutning
"""

SORMLAND = """KALLELSE
Styrelsemöte 2023-02-10 kl 9-12, Eskilstuna

Samordningsförbundet RAR i Sörmland

1. Val av justerare
2. Nationell samverkan
Förbundschefen har deltagit i ett möte tillsammans med
- Samordningsförbundet Centrala Östergötland
- Samordningsförbundet Östra Östergötland
- Samordningsförbundet i Västra Östergötland
om gemensam utbildning. Förslaget skulle för RAR innebära en kostnad om 40 tkr.
3. Övriga frågor
"""

IMPLICIT_HALLAND = """Föredragningslista styrelsen 2024-04-12

1. Mötets öppnande
2. Budget 2025
Förslaget skulle för Samordningsförbundet Halland innebära en höjning med 20 tkr.
3. Regional samverkan
Styrelserna för Samordningsförbundet Skåne Nordost och Samordningsförbundet Helsingborg har
beslutat att ställa sig bakom förslaget.
4. Mötets avslutande
"""

NNS_PROTOCOL = """Protokoll styrelsemöte
Nationella Nätverket för Samordningsförbund (NNS)
Datum 2022-05-28

§ 6 Uppdrag om serviceavgift
Styrelsen konfirmerade uppdraget. Samordningsförbundet Göteborg sköter det operativa arbetet
och Samordningsförbundet Centrala Östergötland sekreterarskapet.
"""

RUNNING_HEADERS = "\n\n".join(
    f"Samordningsförbundet Sydnärke    Sida {n} (3)\n\nText om arbetsmarknadsinsatser och "
    f"samverkan med Försäkringskassan på sida {n}."
    for n in range(1, 4)
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOTEBORG, "Samordningsförbundet Göteborg"),
        (SORMLAND, "Samordningsförbundet RAR i Sörmland"),
        (IMPLICIT_HALLAND, "Samordningsförbundet Halland"),
        (NNS_PROTOCOL, NNS),
        (RUNNING_HEADERS, "Samordningsförbundet Sydnärke"),
    ],
)
def test_resolve_forbund_on_other_layouts(text: str, expected: str) -> None:
    result = resolve_forbund(text)
    assert result is not None and result[0] == expected, result


def test_a_participant_from_another_forbund_does_not_win() -> None:
    text = (
        "Protokoll\nSamordningsförbundet Södra Dalarna\n\nNärvarande\n"
        "Eva Ek, Samordningsförbundet Falun\nOla Berg, Samordningsförbundet Falun\n\n"
        "§ 1 Information från Samordningsförbundet Falun om deras insatser.\n"
    )
    assert (resolve_forbund(text) or ("",))[0] == "Samordningsförbundet Södra Dalarna"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Protokoll från årsmötet i Föreningen Arbete. Försäkringskassan och Region Skåne deltog.",
        "Samordningsförbundet kan stödja insatser. NNS medlemsmöte hålls den 24 november och NNS "
        "styrelse föreslår en höjd serviceavgift för NNS medlemmar.",
        "Fyrpartsamverkan i Umeåregionen har fått nya förutsättningar.",
    ],
)
def test_resolve_forbund_without_evidence_is_none(text: str) -> None:
    assert resolve_forbund(text) is None


def test_a_national_table_alone_names_no_forbund() -> None:
    text = sample("003")
    table = text[text.index("Samordningsförbund år 2020") :]
    assert resolve_forbund(table) is None


def test_an_unknown_forbund_in_the_letterhead_is_reported_as_written() -> None:
    text = "Samordningsförbundet Nordanskog\nProtokoll styrelsemöte 2025-01-20\n\n§ 1 Öppnande\n"
    result = resolve_forbund(text)
    assert result is not None
    assert result[0] == "Samordningsförbundet Nordanskog"
    assert "inte" in result[1]


def test_attachments_of_sample_003_on_their_own() -> None:
    text = sample("003")
    fk_report = text[text.index("Avser punkt xx vid föredragning") : text.index("Bilaga 1")]
    assert resolve_forbund(fk_report) is None  # Försäkringskassan writes about many förbund
    joint = text[text.index("Regionstyrelsen \n") : text.index("Avser punkt xx")]
    assert resolve_forbund(joint) is None  # signed by three förbund alike
    nns_letter = text[text.index("Förslag till långsiktig finansiering av NNS verksamhet \n") :]
    nns_letter = nns_letter[: nns_letter.index("Regionstyrelsen \n")]
    assert (resolve_forbund(nns_letter) or ("",))[0] == NNS  # signed by NNS's kassör


def test_paragraph_labels_alone_identify_the_forbund() -> None:
    text = "Utdrag ur protokoll\n\nNVSam § 48\n\nTilläggsäskande\n\nBeslut\nAtt bevilja 120 tkr.\n"
    assert resolve_forbund(text) == (NV, 'paragraferna märks "NVSam" (1 st)')


def test_a_joint_document_of_two_forbund_is_undecided() -> None:
    text = (
        "Gemensamt styrelsemöte\nSamordningsförbundet Borlänge\nSamordningsförbundet Falun\n\n"
        "§ 1 Samverkan mellan Samordningsförbundet Borlänge och Samordningsförbundet Falun\n"
    )
    assert resolve_forbund(text) is None


@pytest.mark.parametrize(
    "header",
    [
        "Samordningsförbundet i Kalmar länPROTOKOLL 1 av 2",
        "Samordningsförbundet i Kalmar länKALLELSE",
        "Samordningsförbundet i Kalmar län PROTOKOLL 1 av 2",
    ],
)
def test_a_header_word_in_capitals_glued_to_the_name(header: str) -> None:
    """Word's tab between a running header's name and its PROTOKOLL, lost by the PDF's text:
    the name is still the name."""
    found = resolve_forbund(f"{header}\nProtokoll styrelsen 2024-03-05")
    assert found is not None and found[0] == "Samordningsförbundet i Kalmar län"


def test_a_name_written_with_capitals_inside_is_one_word() -> None:
    found = resolve_forbund("NVSam\nProtokoll styrelsen 2024-03-05")
    assert found is not None and found[0] == "Norra Västmanlands Samordningsförbund"


# --- a letterhead cell whose name wraps ------------------------------------------------------

WRAPS = [
    (name, " ".join(name.split()[:k]), " ".join(name.split()[k:]))
    for name in all_forbund()
    for k in range(1, len(name.split()))
]


@pytest.mark.parametrize(("name", "head", "tail"), WRAPS)
def test_a_name_wrapped_at_any_word_is_found_across_the_lines(
    name: str, head: str, tail: str
) -> None:
    assert wrapped_forbund(head, [tail]) == (name, name)


@pytest.mark.parametrize("cut", [6, 12, 15, 19])
@pytest.mark.parametrize(
    "name",
    [
        "Samordningsförbundet Västerdalarna",
        "Samordningsförbundet Norra Skaraborg",
        "Samordningsförbundet Skåne Nordost",
    ],
)
def test_a_word_broken_without_a_hyphen_in_a_narrow_cell_is_joined(cut: int, name: str) -> None:
    first, rest = name.split(" ", 1)
    assert wrapped_forbund(first[:cut], [first[cut:], rest]) == (name, name)


@pytest.mark.parametrize(
    "lines",
    [
        ["Samordningsförbundet", "Södra", "Lappland"],
        ["Samordningsförbundet Södra", "Lappland", "Protokoll"],
    ],
)
def test_a_name_wrapped_over_three_lines(lines: list[str]) -> None:
    found = wrapped_forbund(lines[0], lines[1:])
    assert found is not None and found[0] == "Samordningsförbundet Södra Lappland"


@pytest.mark.parametrize(
    ("head", "tails"),
    [
        ("Samordningsförbundet Västerås", ["Styrelsen"]),  # whole on its first line
        ("Protokoll styrelsen", ["Samordningsförbundet Falun"]),  # all on the next line
        ("Samordningsförbundet Norra", ["Atlantis"]),  # no such förbund
        ("Samordningsförbundet", []),
        ("", ["Samordningsförbundet Falun"]),
        ("Nationella Nätverket för", ["Samordningsförbund"]),  # NNS is no förbund
    ],
)
def test_no_wrapped_name_where_the_lines_do_not_join_into_one(head: str, tails: list[str]) -> None:
    assert wrapped_forbund(head, tails) is None


HEADER_WRAPS = [
    ("Samordningsförbundet Norra Skaraborg", "Samordningsförbundet Norra", "Skaraborg"),
    ("Samordningsförbundet Norra Skaraborg", "Samordningsförbundet", "Norra Skaraborg"),
    ("Samordningsförbundet Södra Lappland", "Samordningsförbundet Södra", "Lappland"),
    ("Samordningsförbundet Skåne Nordost", "Samordningsförbundet Skåne", "Nordost"),
    ("Samordningsförbundet i Kalmar län", "Samordningsförbundet i", "Kalmar län"),
    ("Samordningsförbundet i Kalmar län", "Samordningsförbundet i Kalmar", "län"),
    ("Samordningsförbundet Västerdalarna", "Samordningsförb", "undet Västerdalarna"),
]
BODY = (
    "Protokoll\nDatum: 2025-01-23\n§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n"
    "§ 2 Budget\nBeslut\nBudgeten fastställs.\n"
)


def _letterhead(head: str, tail: str, other: tuple[str, ...], cells: bool) -> Document:
    """A PDF page as the reader gives it: a header table's first line of cells as one line,
    the wrapped cell's rest on the next (layout hints: the cells of the row)."""
    row = (head, *other)
    blocks = tuple(Block(CELL, c, row=0, col=k) for k, c in enumerate(row)) if cells else ()
    text = "  ".join(row) + f"\n{tail}\n" + BODY
    return segment(clean([Page(1, text, blocks)]), doc_id="d", source="s.pdf")


@pytest.mark.parametrize(("name", "head", "tail"), HEADER_WRAPS)
@pytest.mark.parametrize(
    "other",
    [("Protokoll styrelsen 2025-01-23", "1 av 3"), ("PROTOKOLL",), ("Sida 1 (4)",)],
)
def test_the_forbund_of_a_header_cell_whose_name_wraps(
    name: str, head: str, tail: str, other: tuple[str, ...]
) -> None:
    assert _letterhead(head, tail, other, cells=True).meeting.forbund == name


@pytest.mark.parametrize(("name", "head", "tail"), [w for w in HEADER_WRAPS if w[2][0].isupper()])
def test_the_wrapped_header_name_without_cells_is_cut_at_the_header_word(
    name: str, head: str, tail: str
) -> None:
    d = _letterhead(head, tail, ("Protokoll styrelsen 2025-01-23",), cells=False)
    assert d.meeting.forbund == name


def test_a_header_cell_whose_next_line_is_another_row_takes_the_cell_under_it() -> None:
    rows = (("Samordningsförbundet", "SAMMANTRÄDESPROTOKOLL", "Sida 1 (6)"), ("Sundsvall", "KOLL"))
    blocks = tuple(
        Block(CELL, c, row=r, col=k) for r, row in enumerate(rows) for k, c in enumerate(row)
    )
    text = "\n".join(" ".join(row) for row in rows) + "\n" + BODY
    d = segment(clean([Page(1, text, blocks)]), doc_id="d", source="s.pdf")
    assert d.meeting.forbund == "Samordningsförbundet Sundsvall"
    assert (
        d.meeting.forbund_evidence == 'rubriken nämner "Samordningsförbundet Sundsvall" (radbruten)'
    )


@pytest.mark.parametrize(
    "tail",
    [
        "Atlantis",  # no förbund of that name: none invented
        "Styrelsen har under året genomfört sex sammanträden och två utbildningsdagar.",
    ],
)
def test_a_header_cell_that_joins_into_no_forbund_names_none(tail: str) -> None:
    d = _letterhead("Samordningsförbundet Norra", tail, ("Protokoll 2025-01-23",), cells=True)
    assert d.meeting.forbund is None


def test_a_whole_name_in_the_header_cell_is_not_extended_by_the_next_line() -> None:
    d = _letterhead(
        "Samordningsförbundet Västerås", "Skövde", ("Protokoll 2025-01-23",), cells=True
    )
    assert d.meeting.forbund == "Samordningsförbundet Västerås"


def test_a_participants_forbund_wrapped_in_a_cell_is_not_the_letterheads() -> None:
    row = ("Övriga deltagare", "Lisa Berg, Samordningsförbundet Norra", "förbundschef")
    blocks = tuple(Block(CELL, c, row=1, col=k) for k, c in enumerate(row))
    text = "Samordningsförbundet Västerås\n" + " ".join(row) + "\nSkaraborg\n" + BODY
    d = segment(clean([Page(1, text, blocks)]), doc_id="d", source="s.pdf")
    assert d.meeting.forbund == "Samordningsförbundet Västerås"


UNKNOWN_WITH_NNS = """Protokoll
{head}
Styrelsens sammanträde 2025-03-12

§ 1 Val av justerare
Styrelsen utser Anna Berg att justera protokollet.

§ 2 NNS förslag om höjd serviceavgift
Nationella nätverket för samordningsförbund (NNS) föreslår att serviceavgiften höjs.
Beslut
Styrelsen tillstyrker NNS förslag.
"""


@pytest.mark.parametrize(
    "head",
    [
        "Samordningsförbundet Norra Kalmar län",  # a county name ends in "län"
        "Samordningsförbundet Sydöstra Småland",
        "Samordningsförbundet i Mellersta Norrland",
    ],
)
def test_an_unknown_forbund_in_the_letterhead_wins_over_nns_in_a_decision(head: str) -> None:
    """A förbund the gazetteer lacks, written alone in the letterhead, owns its protocol: the
    board's decision on NNS's proposal ("Styrelsen tillstyrker NNS förslag") is no heading of
    NNS's own."""
    result = resolve_forbund(UNKNOWN_WITH_NNS.format(head=head))
    assert result is not None and result[0] == head, result
    assert "inte finns i förteckningen" in result[1]


def test_a_decision_on_nns_proposal_is_no_nns_heading() -> None:
    """Without any förbund named, a decision sentence about NNS names no owner (it named NNS,
    as if the sentence were a heading like "Protokoll styrelsemöte NNS")."""
    text = UNKNOWN_WITH_NNS.format(head="Styrelsen")
    assert resolve_forbund(text) is None


def test_a_known_forbund_in_the_letterhead_stays_known_beside_nns() -> None:
    text = UNKNOWN_WITH_NNS.format(head="Samordningsförbundet Västra Mälardalen")
    result = resolve_forbund(text)
    assert result is not None and result[0] == "Samordningsförbundet Västra Mälardalen"
    assert "inte finns" not in result[1]


def test_an_item_title_naming_nns_is_no_letterhead() -> None:
    """ "§ 36 NNS avgift" is the title of an item about NNS, not NNS's own letterhead."""
    text = (
        "Samordningsförbundet Fjällbygden\nProtokoll styrelsemöte 2025-06-05\n\n"
        "§ 35 Val av justerare\nStyrelsen utser Ulf Kemi.\n\n§ 36 NNS avgift\n"
        "NNS föreslår en höjning av serviceavgiften.\n"
        "Samordningsförbundet ställer sig bakom NNS förslag om höjd serviceavgift.\n"
    )
    assert (resolve_forbund(text) or ("",))[0] == "Samordningsförbundet Fjällbygden"
