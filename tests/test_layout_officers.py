"""Officers, sign-off furniture, notes headers and organs across layout families (variants
written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.model import HEADING, SEKTION, Block, Document, Page
from ingest.clean import clean
from ingest.extract import extract
from ingest.segment import segment

HEAD = "Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde 2022-03-08\n"
ITEMS = (
    "§ 1 Val av justerare\nBeslut\nAnna Ek väljs att justera protokollet.\n"
    "§ 2 Budget 2022\nBeslut\nBudgeten fastställs.\n"
    "§ 3 Mötets avslutande\nOrdföranden avslutar mötet.\n"
)


def seg(text: str, blocks: tuple[Block, ...] = ()) -> Document:
    return segment(clean([Page(1, text, blocks)]), doc_id="d", source="s.txt")


SIGNOFFS = {
    "label_dots_name": (
        "Underskrifter Sekreterare\n.............................\nJörgen Alm\nOrdförande\n"
        "________________________\nHanna Gustavsson\nJusterande\n…………………………\nAnna Ek\n"
    ),
    "label_dots_value": (
        "Underskrifter Sekreterare Paragrafer\n……………………………… 1–3\nJörgen Alm\nOrdförande\n"
        "………………………………\nHanna Gustavsson\n"
    ),
    "vid_protokollet": (
        "Vid protokollet\nJörgen Alm, sekreterare\nJusteras\n"
        "Hanna Gustavsson, ordförande Anna Ek, justerare\n"
    ),
    "names_over_roles": "Underskrifter\nJörgen Alm Hanna Gustavsson Anna Ek\nSekreterare Ordförande Justerare\n",
    "place_day_above": (
        "Sundsvall dag som ovan\n\nJörgen Alm Hanna Gustavsson Anna Ek\n"
        "Sekreterare Ordförande Justerare\n"
    ),
    "day_above": "Datum som ovan\n\nJörgen Alm Hanna Gustavsson Anna Ek\nSekreterare Ordförande Justerare\n",
    "role_lines": "Ordförande: Hanna Gustavsson\nSekreterare: Jörgen Alm\nJusterare: Anna Ek\n",
    "role_lines_in_capitals": "ORDFÖRANDE: Hanna Gustavsson\nSEKRETERARE: Jörgen Alm\nJUSTERARE: Anna Ek\n",
    "abbreviated_colon": "Ordf: Hanna Gustavsson\nSekr: Jörgen Alm\nJust: Anna Ek\n",
    "abbreviated_dot": "Ordf. Hanna Gustavsson\nSekr. Jörgen Alm\nJust. Anna Ek\n",
    "rule_between_label_and_name": (
        "Ordförande ____________ Hanna Gustavsson\nSekreterare ____________ Jörgen Alm\n"
        "Justerare ……………… Anna Ek\n"
    ),
}
ANSLAG = (
    "ANSLAG/BEVIS\nProtokollet är justerat. Justeringen har tillkännagivits genom anslag.\n"
    "Anslaget sätts upp 2022-03-16\n"
)


@pytest.mark.parametrize("family", sorted(SIGNOFFS))
@pytest.mark.parametrize("anslag", [False, True])
def test_signature_blocks_give_officers_and_no_items(family: str, anslag: bool) -> None:
    d = seg(HEAD + ITEMS + "\n" + SIGNOFFS[family] + (ANSLAG if anslag else ""))
    assert [it.label for it in d.items] == ["§ 1", "§ 2", "§ 3"]
    assert d.meeting.chair == "Hanna Gustavsson"
    assert d.meeting.secretary == "Jörgen Alm"
    assert "Anna Ek" in d.meeting.adjusters
    last = d.items[-1].body
    assert "Underskrift" not in last and "ANSLAG" not in last and "Vid protokollet" not in last


@pytest.mark.parametrize(
    "present",
    [
        "Närvarande: Hanna Gustavsson (ordf.), Lisa Berg, Anna Ek\nSekreterare: Jörgen Alm",
        "Beslutande: Lisa Berg; Hanna Gustavsson (ordf); Anna Ek\nJörgen Alm (sekr.)",
        "Ordförande: Hanna Gustavsson\nFörbundschef Jörgen Alm (sekreterare)",
        "Ordförande: Hanna Gustavsson\nÖvriga: Verksamhetsledare Jörgen Alm, sekreterare",
        "Ordförande: Hanna Gustavsson\nJörgen Alm, förbundschef, förde protokollet.",
        "Närvarande: Hanna Gustavsson (ordf.), Lisa Berg och Jörgen Alm som för protokollet",
    ],
)
def test_officers_marked_in_the_attendance_list(present: str) -> None:
    d = seg(HEAD + present + "\n" + ITEMS)
    assert (d.meeting.chair, d.meeting.secretary) == ("Hanna Gustavsson", "Jörgen Alm")


def test_a_word_that_only_looks_like_an_abbreviated_label_names_no_officer() -> None:
    d = seg(HEAD + ITEMS + "Just nu Lisa Berg arbetar med uppföljningen.\n")
    assert "Lisa Berg" not in d.meeting.adjusters


def test_signature_rows_from_table_cells_pair_names_with_roles() -> None:
    names = ("Eva Lind", "Malin Öhrn Berg", "Kerstin Wahlberg")  # a three-word name: cells decide
    roles = ("Sekreterare", "Ordförande", "Justerare")
    cells = tuple(Block("cell", t, row=1, col=c) for c, t in enumerate(names)) + tuple(
        Block("cell", t, row=2, col=c) for c, t in enumerate(roles)
    )
    text = HEAD + ITEMS + "Underskrifter\n" + " ".join(names) + "\n" + " ".join(roles) + "\n"
    d = seg(text, cells)
    assert (d.meeting.chair, d.meeting.secretary) == ("Malin Öhrn Berg", "Eva Lind")


def test_a_web_page_download_link_and_justering_note_are_not_items() -> None:
    text = (
        HEAD
        + ITEMS
        + "Justering\nProtokollet justerades digitalt den 15 mars 2022.\nLadda ner protokollet som pdf (212 kB)\n"
    )
    d = seg(text)
    assert [it.label for it in d.items] == ["§ 1", "§ 2", "§ 3"]


@pytest.mark.parametrize("subtitle", ["Medlemssamråd 2023", "Dialogmöte med medlemmarna"])
@pytest.mark.parametrize("people", ["Närvarande", "Deltagare"])
def test_notes_header_takes_subtitle_fields_and_those_present(subtitle: str, people: str) -> None:
    text = (
        f"Samordningsförbundet Östra Skaraborg\nMinnesanteckningar\n{subtitle}\n"
        "Datum: 27 april 2023, kl. 13.00–15.30\nPlats: Stadshuset i Skövde\n"
        f"{people}\n• Ulf Bergkvist, ordförande, Samordningsförbundet Östra Skaraborg\n"
        "• Camilla Frisk, förbundschef\n• Anna Ström, Skövde kommun\n"
        "Årsredovisning 2022\nFörbundschefen presenterade årsredovisningen.\n"
        "Budget 2024\nMedlemmarna ombads räkna med oförändrade bidrag.\n"
        "Vid anteckningarna\nCamilla Frisk\n"
    )
    d = seg(text)
    assert [it.title for it in d.items if it.kind == SEKTION] == [
        "Årsredovisning 2022",
        "Budget 2024",
    ]
    assert d.meeting.date == "2023-04-27"
    assert d.meeting.secretary == "Camilla Frisk"
    assert d.meeting.chair == "Ulf Bergkvist"
    assert all(p.name != "Östra Skaraborg" for p in d.meeting.participants)


def test_a_heading_the_file_marks_counts_even_with_a_colon() -> None:
    head = "Samordningsförbundet Östra Skaraborg\nMinnesanteckningar\nDatum: 27 april 2023\n"
    body = "Årsredovisning 2022\nText om året.\nInsatser i fokus: Kompassen\nText om insatsen.\n"
    plain = seg(head + body)
    marked = seg(head + body, (Block(HEADING, "Insatser i fokus: Kompassen", bold=True),))
    assert "Insatser i fokus: Kompassen" not in [it.title for it in plain.items]
    assert [it.title for it in marked.items] == [
        "Årsredovisning 2022",
        "Insatser i fokus: Kompassen",
    ]


@pytest.mark.parametrize(
    ("text", "organ"),
    [
        ("Samordningsförbundet Sunnerbo\nProtokoll 2022-03-08\n", None),
        ("Samordningsförbundet Sunnerbo\nProtokoll 2022-03-08\nArbetsutskottet\n", "arbetsutskott"),
        (
            "Samordningsförbundet Sunnerbo\nProtokoll från styrelsens sammanträde 2022-03-08\n",
            "styrelse",
        ),
    ],
)
def test_the_organ_is_what_the_text_states_or_null(text: str, organ: str | None) -> None:
    body = "§ 1 Budget\nBeslut\nBudgeten fastställs.\n§ 2 Övrigt\nInga övriga frågor.\n"
    assert seg(text + body).meeting.organ == organ


def test_the_organ_deciding_in_the_text_names_it() -> None:
    body = "§ 1 Budget\nBeslut\nFörbundsstyrelsen fastställer budgeten.\n§ 2 Övrigt\nInga.\n"
    assert (
        seg("Samordningsförbundet Sunnerbo\nProtokoll 2022-03-08\n" + body).meeting.organ
        == "styrelse"
    )


def _wrapped_title_pdf(path: Path, bold_title: bool) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    c.setFont("Helvetica", 10)
    for line in ("Samordningsförbundet Västra Skaraborg", "Protokoll arbetsutskottet 2022-09-06"):
        c.drawString(72, y, line)
        y -= 14
    for n, (a, b) in enumerate(
        (("Ansökan om utökad budget 2022 –", "Kraftsamling Lidköping"), ("Budget", None)), 1
    ):
        y -= 14
        font = "Helvetica-Bold" if bold_title else "Helvetica"
        c.setFont(font, 11)
        c.drawString(72, y, f"Ärende {n} {a}")
        if b:
            y -= 14
            c.drawString(72, y, b)
        c.setFont("Helvetica", 10)
        y -= 20
        c.drawString(72, y, "Styrgruppen ansöker om medel för insatsen.")
        y -= 14
        c.drawString(72, y, "Beslut: Ärendet återremitteras.")
        y -= 14
    c.save()
    return path


def test_a_title_wrapped_onto_a_second_heading_line_is_joined(tmp_path: Path) -> None:
    bold = segment(
        clean(extract(_wrapped_title_pdf(tmp_path / "b.pdf", True))), doc_id="d", source="b.pdf"
    )
    assert bold.items[0].title == "Ansökan om utökad budget 2022 – Kraftsamling Lidköping"
    assert bold.items[0].decisions == ("Ärendet återremitteras.",)


@pytest.mark.parametrize(
    "row",
    [
        "Malin Sjödin, förbundschef, sekreterare",
        "Malin Sjödin förbundschef, sekreterare",
        "Malin Sjödin (förbundssekreterare)",
    ],
)
def test_the_secretary_from_a_role_column_without_a_signature_block(row: str) -> None:
    head = (
        "Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde 2022-03-08\n"
        "Beslutande Hanna Gustavsson (S), Ljungby kommun, ordförande\nAnna Ek (M), Region Kronoberg\n"
        f"Övriga närvarande {row}\nJusterare Anna Ek\n"
    )
    d = seg(head + ITEMS)
    assert (d.meeting.chair, d.meeting.secretary) == ("Hanna Gustavsson", "Malin Sjödin")


def test_officers_from_a_role_column_table_stop_at_the_name_cell() -> None:
    rows = (
        ("Ordförande", "Linnea Ekstrand", "Arboga kommun"),
        ("Sekreterare", "Örjan Wahlberg", "Förbundet"),
    )
    cells = tuple(
        Block("cell", text, row=r, col=c)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    )
    text = HEAD + "\n".join(" ".join(row) for row in rows) + "\n" + ITEMS
    d = seg(text, cells)
    assert (d.meeting.chair, d.meeting.secretary) == ("Linnea Ekstrand", "Örjan Wahlberg")


# Officers written several to a line ("Ordförande: Ann Ek Sekreterare: Bo Alm Justerare: …"),
# in a Namn | Funktion table row, or in a signature cell ("Sekreterare ____ Jonas" / "Pettersson").
CREWS = (
    ("Hanna Gustavsson", "Jörgen Alm", "Anna Ek"),
    ("Gunnel Eriksson", "Anna-Karin Fridh", "Per-Olof Lind"),
    ("Karin Öhrn", "Mats Åberg", "Sofia Nilsson"),
)
LABELS = {
    "full": ("Ordförande", "Sekreterare", "Justerare"),
    "capitals": ("ORDFÖRANDE", "SEKRETERARE", "JUSTERARE"),
    "abbreviated": ("Ordf.", "Sekr.", "Just."),
    "abbreviated_colon": ("Ordf:", "Sekr:", "Just:"),
    "meeting_words": ("Mötesordförande", "Protokollförare", "Justerande"),
}
ORDERS = ((0, 1, 2), (1, 0, 2), (2, 0, 1), (0, 2, 1), (1, 2, 0))


def _pairs(labels: tuple[str, ...], names: tuple[str, ...], order: tuple[int, ...], sep: str,
           colon: str) -> list[str]:  # fmt: skip
    return [f"{labels[k]}{'' if labels[k].endswith((':', '.')) else colon} {names[k]}"
            for k in order]  # fmt: skip


@pytest.mark.parametrize("crew", CREWS)
@pytest.mark.parametrize("spelling", sorted(LABELS))
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize(("sep", "colon"), [("   ", ":"), ("\t", ":"), (" ", ""), ("\t", "")])
def test_several_officers_on_one_line(
    crew: tuple[str, ...], spelling: str, order: tuple[int, ...], sep: str, colon: str
) -> None:
    line = sep.join(_pairs(LABELS[spelling], crew, order, sep, colon))
    d = seg(HEAD + line + "\n" + ITEMS)
    assert (d.meeting.chair, d.meeting.secretary) == crew[:2]
    assert crew[2] in d.meeting.adjusters


@pytest.mark.parametrize("crew", CREWS)
@pytest.mark.parametrize("order", ORDERS)
def test_two_officers_on_a_line_and_the_third_on_the_next(
    crew: tuple[str, ...], order: tuple[int, ...]
) -> None:
    first, second, third = _pairs(LABELS["full"], crew, order, "  ", ":")
    d = seg(HEAD + f"{first}  {second}\n{third}\n" + ITEMS)
    assert (d.meeting.chair, d.meeting.secretary) == crew[:2]
    assert crew[2] in d.meeting.adjusters


@pytest.mark.parametrize("crew", CREWS)
@pytest.mark.parametrize("order", ORDERS)
def test_the_last_label_of_a_line_with_its_name_on_the_next_line(
    crew: tuple[str, ...], order: tuple[int, ...]
) -> None:
    """A line wrapped after its last label ("… Justerare:" ⏎ "Sofia Nilsson")."""
    pairs = _pairs(LABELS["full"], crew, order, " ", ":")
    last_label, last_name = pairs[-1].split(": ")
    d = seg(HEAD + " ".join([*pairs[:-1], last_label + ":"]) + f"\n{last_name}\n" + ITEMS)
    assert (d.meeting.chair, d.meeting.secretary) == crew[:2]
    assert crew[2] in d.meeting.adjusters


@pytest.mark.parametrize(
    "line",
    [
        "Ordförande: Hanna Gustavsson   Sekreterare:   Justerare: Anna Ek",
        "Justerare: Anna Ek Ordförande: Hanna Gustavsson Sekreterare:",
        "Ordförande: Hanna Gustavsson Sekreterare: Jörgen",
        "Ordförande: Hanna Gustavsson Sekreterare: vakant",
    ],
)
def test_a_role_without_a_name_stays_unnamed(line: str) -> None:
    d = seg(HEAD + line + "\n" + ITEMS)
    assert d.meeting.chair == "Hanna Gustavsson"
    assert d.meeting.secretary is None


@pytest.mark.parametrize(
    "prose",
    [
        "Ordförande för mötet utsågs inte och Sekreterare saknades.",
        "Frågan om vem som blir ordförande och sekreterare avgörs i mars.",
        "Mötet saknade ordförande. Sekreterare och justerare utses vid nästa möte.",
    ],
)
def test_a_line_of_prose_naming_the_roles_names_no_officer(prose: str) -> None:
    d = seg(HEAD + prose + "\n" + ITEMS)
    assert (d.meeting.chair, d.meeting.secretary) == (None, None)


def test_role_words_in_a_row_over_names_are_no_line_of_label_pairs() -> None:
    text = HEAD + ITEMS + "Underskrifter\nSekreterare Ordförande Justerare\n"
    text += "Jörgen Alm Hanna Gustavsson Anna Ek\n"
    d = seg(text)
    assert (d.meeting.chair, d.meeting.secretary) == ("Hanna Gustavsson", "Jörgen Alm")
    assert list(d.meeting.adjusters) == ["Anna Ek"]


FUNCTIONS = (
    "Förbundschef, sekreterare",
    "Sekreterare, förbundschef",
    "Verksamhetsledare, sekreterare",
    "Förbundschef (sekreterare)",
    "Processledare; mötessekreterare",
)


def _table(rows: tuple[tuple[str, ...], ...], first_row: int = 0) -> tuple[Block, ...]:
    return tuple(
        Block("cell", text, row=first_row + r, col=c)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    )


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("secretary", ["Anna-Karin Fridh", "Jörgen Alm", "Malin Öhrn Berg"])
def test_the_secretary_from_a_function_column_is_the_name_cell(
    function: str, secretary: str
) -> None:
    rows = (
        ("Namn", "Roll"),
        ("Hanna Gustavsson", "Ordförande"),
        ("Lisa Berg", "Vice ordförande"),
        ("Anna Ek", "Ledamot"),
        ("Namn", "Funktion"),
        (secretary, function),
        ("Bo Nyström", "Verksamhetsutvecklare, § 13–14"),
    )
    lines = [" ".join(r) for r in rows]
    text = HEAD + "Närvarande\n" + "\n".join(lines[:4]) + "\nÖvriga närvarande\n"
    text += "\n".join(lines[4:]) + "\nJusterare: Anna Ek\n" + ITEMS
    d = seg(text, _table(rows))
    assert (d.meeting.chair, d.meeting.secretary) == ("Hanna Gustavsson", secretary)


@pytest.mark.parametrize("title", ["Förbundschef", "Verksamhetsledare", "Processledare"])
def test_a_title_after_the_name_in_a_flattened_row_is_not_part_of_it(title: str) -> None:
    """The same row as text without its cells: the title before the role is no surname."""
    text = HEAD + f"Övriga närvarande\nAnna-Karin Fridh {title}, sekreterare\n" + ITEMS
    assert seg(text).meeting.secretary == "Anna-Karin Fridh"


def test_a_row_with_a_vice_chair_or_an_organisation_names_no_chair() -> None:
    rows = (
        ("Lisa Berg", "Göteborgs Stad", "vice ordförande"),
        ("Anna Ek (S)", "Göteborgs Stad", "ledamot"),
    )
    text = HEAD + "Beslutande\n" + "\n".join(" ".join(r) for r in rows) + "\n" + ITEMS
    assert seg(text, _table(rows)).meeting.chair is None


SIGNATURE_CELLS = {
    "wrapped_in_the_name": (
        "Underskrifter Sekreterare ________________ Jörgen\nAlm Paragrafer 1–3\n"
        "Ordförande ________________ Hanna\nGustavsson\nJusterande ________________ Anna\nEk\n"
    ),
    "wrapped_with_dots": (
        "Underskrifter Ordförande …………………… Hanna\nGustavsson\n"
        "Sekreterare …………………… Jörgen\nAlm\nJusterare …………………… Anna\nEk\n"
    ),
    "unwrapped_with_a_column_after": (
        "Underskrifter Sekreterare ________ Jörgen Alm Paragrafer 1–3\n"
        "Ordförande ________ Hanna Gustavsson\nJusterande ________ Anna Ek\n"
    ),
    "in_capitals": (
        "UNDERSKRIFTER SEKRETERARE ________ Jörgen\nAlm\nORDFÖRANDE ________ Hanna\n"
        "Gustavsson\nJUSTERANDE ________ Anna\nEk\n"
    ),
}


@pytest.mark.parametrize("family", sorted(SIGNATURE_CELLS))
@pytest.mark.parametrize("where", ["header", "end"])
def test_a_name_signed_for_in_a_narrow_cell(family: str, where: str) -> None:
    block = SIGNATURE_CELLS[family]
    d = seg(HEAD + block + ITEMS if where == "header" else HEAD + ITEMS + block)
    assert (d.meeting.chair, d.meeting.secretary) == ("Hanna Gustavsson", "Jörgen Alm")
    assert "Anna Ek" in d.meeting.adjusters


@pytest.mark.parametrize(
    "block",
    [
        "Underskrifter Sekreterare ________________\nOrdförande ________________ Hanna\nGustavsson\n",
        "Underskrifter Sekreterare ________________ Paragrafer 1–3\n"
        "Ordförande ________________ Hanna\nGustavsson\n",
    ],
)
def test_a_signature_cell_without_a_name_names_nobody(block: str) -> None:
    d = seg(HEAD + block + ITEMS)
    assert (d.meeting.chair, d.meeting.secretary) == ("Hanna Gustavsson", None)


@pytest.mark.parametrize(
    "signed", ["Justeras: {chair}, {adjuster}", "Justeras: {adjuster}, {chair}"]
)
def test_the_chair_signing_under_justeras_beside_the_adjuster_is_none(signed: str) -> None:
    head = HEAD + "Ordförande: Karin Nordin\nSekreterare: Leif Berglind\n"
    tail = signed.format(chair="Karin Nordin", adjuster="Maja Olander")
    d = seg(head + ITEMS + "\n" + tail + "\n")
    assert d.meeting.chair == "Karin Nordin"
    assert d.meeting.adjusters == ("Maja Olander",)
