"""Layout families of the sixth zoo (tests/data/zoo6), each rule proven on variants written
here (never a file): points labelled with the abbreviation "Pkt N." and roles in brackets
without a dot ("(ordf)", "(sekr)"); a PDF page in two columns of running text with a table of
signatures set across it under the columns; a table of items that runs over pages with its
header row repeated and a footer under it; a municipal web page whose content ends at its
"last changed" note before the site's boxes, with the förbund in a head sentence ("X,
styrelsen. Sammanträdesdatum: …") and roles in brackets after a title ("(förbundschef,
sekr.)"); a justering page first, the paragraphs signed for beside the secretary's rule; a
title wrapped in its column; a table label glued to its title; officer fields after another
field of a line; the § signs OCR misread in a scan's text layer; a case reference on the
title's line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_layouts5 import HEAD, ITEMS, TITLES, decisions, expected_decisions, seg

from corpus.model import PUNKT, Document, Page
from ingest.clean import clean
from ingest.extract import extract
from ingest.formats.html import html_layout
from ingest.formats.pdf import layout_blocks, read_pages
from ingest.formats.pdf_rows import Line
from ingest.formats.pdf_table import Columns, _header, _unglue
from ingest.segment import segment


def html_doc(html: str) -> Document:
    return segment(clean(html_layout(html)), doc_id="d", source="p.html")


def body(label: str, first: int = 1) -> str:
    parts = []
    for k, (title, text, clauses) in enumerate(ITEMS):
        parts.append(label.format(n=first + k) + " " + title)
        parts.append(text)
        if len(clauses) == 1:
            parts.append(f"Beslut: {clauses[0]}")
        else:
            parts.append("Beslut: Styrelsen beslutar")
            parts.extend(f"- {c}" for c in clauses)
        parts.append("")
    return "\n".join(parts)


# --- "Pkt N." ------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Pkt {n}.", "Pkt. {n}", "PKT {n}", "pkt {n}:", "Pkt {n} –"])
@pytest.mark.parametrize("first", [1, 7])
def test_points_labelled_with_the_abbreviation_pkt(label: str, first: int) -> None:
    d = seg(HEAD + "Närvarande: Nils Ek (ordf), Eva Berg (sekr), Ali Öz\n\n" + body(label, first))
    assert [(it.number, it.kind, it.title) for it in d.items] == [
        (first + k, PUNKT, t) for k, t in enumerate(TITLES)
    ]
    assert decisions(d) == expected_decisions()
    assert (d.meeting.chair, d.meeting.secretary) == ("Nils Ek", "Eva Berg")


def test_pkt_inside_a_sentence_opens_no_point() -> None:
    text = (
        HEAD + body("Pkt {n}.") + "\nSe pkt 2 ovan.\nEnligt pkt 3 i dagordningen noterades detta.\n"
    )
    assert [it.title for it in seg(text).items] == TITLES


# --- a page in two columns of running text -------------------------------------------------


def _wrap(text: str, chars: int) -> list[str]:
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= chars:
            out[-1] += " " + word
        else:
            out.append(word)
    return out


def _two_column_pages(
    paragraphs: list[str], chars: int, gutter: float, per_column: int, signatures: bool
) -> list[list[Line]]:
    """Lines as a word processor sets a newspaper section: the paragraphs flowed down the left
    column, then the right one, page after page, the last page's columns balanced; a running
    header across every page; a table of signatures across the page under the columns."""
    cw, lh, x0, top = 5.0, 14.0, 60.0, 700.0
    width = chars * cw
    bold = ("§", "Beslut")  # titles and part headings are set in bold
    lines = [(ln, p.startswith(bold)) for p in paragraphs for ln in [*_wrap(p, chars), ""]]
    pages: list[list[Line]] = []
    for start in range(0, len(lines), 2 * per_column):
        chunk = lines[start : start + 2 * per_column]
        per = min(per_column, (len(chunk) + 1) // 2)  # Word balances a section's last columns
        page = [Line(x0, 760, x0 + 60 * cw, 770, "Samordningsförbundet Sunnerbo | Protokoll")]
        for slot, (text, strong) in enumerate(chunk):
            col, row = divmod(slot, per)
            if text:
                left = x0 + col * (width + gutter)
                y = top - row * lh
                page.append(Line(left, y, left + len(text) * cw, y + 10, text, 10.0, strong))
        pages.append(page)
    if signatures:  # under the lowest line: rules, names, roles, cells crossing the gutter
        page = pages[-1]
        y = min(ln.y0 for ln in page) - 30
        for k, (a, b) in enumerate(
            (("_" * 20, "_" * 20), ("Nils Ekstrand", "Maja Lindqvist"), ("Ordförande", "Justerare"))
        ):
            page.append(Line(x0, y - k * lh, x0 + 100, y - k * lh + 10, a))
            page.append(Line(x0 + 160, y - k * lh, x0 + 270, y - k * lh + 10, b))
    return pages


FILLER = (
    "Ledamöterna diskuterade ärendet och ställde frågor om hur resultaten ska följas upp och "
    "redovisas för styrelsen under året."
)


def _column_paragraphs() -> list[str]:
    paras = []
    for k, (title, text, clauses) in enumerate(LONG_ITEMS):
        paras += [f"§{k + 14} {title}", f"{text} {FILLER} {FILLER}", "Beslut"]
        paras += ["Styrelsen beslutar", *clauses] if len(clauses) > 1 else clauses
    return paras


LONG_ITEMS = (
    *ITEMS,
    (
        "Tilläggsäskande – Steg till arbete",
        "Projektägaren har ansökt om ytterligare 450 000 kr för att behålla en "
        "arbetsspecialist under hösten.",
        ["att bevilja 300 000 kr", "att avslå ansökan i övrigt"],
    ),
    ("Information från medlemmarna", "Kommunen informerade om läget.", ["Informationen noteras."]),
)


@pytest.mark.parametrize("chars", [30, 38, 44])
@pytest.mark.parametrize("gutter", [20.0, 36.0])
@pytest.mark.parametrize("per_column", [14, 23])
@pytest.mark.parametrize("signatures", [True, False])
def test_two_columns_of_running_text_over_pages(
    chars: int, gutter: float, per_column: int, signatures: bool
) -> None:
    """30 characters a line: the bold titles wrap in their column, beside a line of the other
    column; the layout hints still mark each title line a heading of its own."""
    pages = _two_column_pages(_column_paragraphs(), chars, gutter, per_column, signatures)
    texts, gutters = read_pages(pages)
    hints = [layout_blocks(lines, g) for lines, g in zip(pages, gutters, strict=True)]
    d = segment(
        clean([Page(k + 1, t, b) for k, (t, b) in enumerate(zip(texts, hints, strict=True))]),
        doc_id="d",
        source="t.pdf",
    )
    assert [(it.number, it.title) for it in d.items] == [
        (k + 14, t) for k, (t, _, _) in enumerate(LONG_ITEMS)
    ]
    assert [[c.rstrip(".") for c in it.decisions] for it in d.items] == [
        [c.rstrip(".") for c in cl] for _, _, cl in LONG_ITEMS
    ]


def test_a_sentence_beside_a_part_heading_is_no_table_header() -> None:
    """'Dagordningen godkänns. | Beslut' on one baseline: the ends of two columns, not the
    header row of a table of items."""
    row = [Line(60, 500, 170, 510, "Dagordningen godkänns."), Line(300, 500, 330, 510, "Beslut")]
    assert _header(row) is None
    named = [Line(60, 500, 90, 510, "Ärende"), Line(300, 500, 330, 510, "Beslut")]
    assert _header(named) is not None


# --- a table of items over pages: the header row repeated, a footer under it ---------------


def _table_pdf(
    path: Path, columns: tuple[str, ...], repeat: bool, footer: str, label: str = "{n}."
) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    plain = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12.5)
    strong = ParagraphStyle("b", parent=plain, fontName="Helvetica-Bold")
    rows: list[list[object]] = [[Paragraph(c, strong) for c in columns]]
    for k in range(12):
        title, body, clauses = LONG_ITEMS[k % len(LONG_ITEMS)]
        cells: list[object] = [Paragraph(label.format(n=k + 1), plain)]
        cells.append([Paragraph(f"{title} {k + 1}", strong), Paragraph(f"{body} {FILLER}", plain)])
        lines = ["Styrelsen beslutar", *clauses] if len(clauses) > 1 else clauses
        cells.append([Paragraph(c, plain) for c in lines])
        cells += [Paragraph("Förbundschef", plain)] * (len(columns) - 3)
        rows.append(cells)
    widths = [40.0, 330.0, 250.0, 100.0][: len(columns)]
    table = Table(rows, colWidths=widths, repeatRows=1 if repeat else 0)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )

    def page_footer(canvas: object, doc: object) -> None:
        if footer:
            canvas.setFont("Helvetica", 9)  # type: ignore[attr-defined]
            page = canvas.getPageNumber()  # type: ignore[attr-defined]
            canvas.drawString(380, 30, footer.format(n=page))  # type: ignore[attr-defined]

    story = [
        Paragraph("Samordningsförbundet Sunnerbo", strong),
        Paragraph("Protokoll styrelsen 2024-03-14", plain),
        table,
    ]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(
        story,  # type: ignore[arg-type]
        onFirstPage=page_footer,
        onLaterPages=page_footer,
    )
    return path


@pytest.mark.parametrize(
    "columns", [("Nr", "Ärende", "Beslut"), ("Nr", "Ärende", "Beslut", "Ansvarig")]
)
@pytest.mark.parametrize("repeat", [True, False])
@pytest.mark.parametrize("footer", ["Sida {n} av 3", "{n}", ""])
@pytest.mark.parametrize("label", ["{n}.", "§ {n}"])
def test_a_table_of_items_over_pages(
    tmp_path: Path, columns: tuple[str, ...], repeat: bool, footer: str, label: str
) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", columns, repeat, footer, label)
    pages = extract(pdf)
    assert len(pages) > 1
    d = segment(clean(pages), doc_id="d", source="t.pdf")
    assert [(it.number, it.title) for it in d.items] == [
        (k + 1, f"{LONG_ITEMS[k % len(LONG_ITEMS)][0]} {k + 1}") for k in range(12)
    ]
    assert [[c.rstrip(".") for c in it.decisions] for it in d.items] == [
        [c.rstrip(".") for c in LONG_ITEMS[k % len(LONG_ITEMS)][2]] for k in range(12)
    ]


# --- a municipal web page: the page's content ends at its "last changed" note ----------------


def _cms_page(note: str, side: str) -> str:
    items = "".join(
        f"<h2>Punkt {k + 1}: {t}</h2><p>{b}</p>"
        + (
            f"<p><strong>Beslut:</strong> {c[0]}</p>"
            if len(c) == 1
            else "<p><strong>Beslut:</strong></p><p>Styrelsen beslutar</p><ul>"
            + "".join(f"<li>{x}</li>" for x in c)
            + "</ul>"
        )
        for k, (t, b, c) in enumerate(ITEMS)
    )
    return (
        '<!doctype html><html lang="sv"><body><div class="row"><div class="col-8">'
        "<h1>Protokoll från styrelsemöte 14 mars 2024</h1>"
        "<p>Samordningsförbundet Sunnerbo, styrelsen. Sammanträdesdatum: 2024-03-14. Plats: "
        "Ljungby, Stadshuset.</p><p><strong>Närvarande:</strong> Nils Ek (ordf.), Eva Lund "
        "(v. ordf.), Ali Öz</p><p><strong>Övriga:</strong> Karin Berg (förbundschef, sekr.)</p>"
        f"{items}<p>Protokollet justerat 2024-03-21 av Nils Ek och Ali Öz.</p><p>{note}</p>"
        f'</div><div class="col-4">{side}</div></div></body></html>'
    )


SIDES = (
    "<h2>Relaterade sidor</h2><ul><li><a href='/a'>Protokoll 8 februari 2024</a></li></ul>"
    "<h2>Kontakt</h2><p>Karin Berg, förbundschef<br>0372-78 90 00</p>",
    "<h3>Mer om samordningsförbundet</h3><p>Förbundet finansierar insatser.</p>"
    "<h3>Hitta hit</h3><p>Stadshuset, Olofsgatan 9</p>",
)


@pytest.mark.parametrize(
    "note",
    [
        "Sidan uppdaterades: 2024-03-22",
        "Senast uppdaterad 22 mars 2024",
        "Sidan senast ändrad 2024-03-22",
        "Senast granskad: 2024-03-22",
    ],
)
@pytest.mark.parametrize("side", SIDES)
def test_the_site_after_a_web_pages_last_changed_note_holds_no_items(note: str, side: str) -> None:
    d = html_doc(_cms_page(note, side))
    assert [(it.number, it.kind, it.title) for it in d.items] == [
        (k + 1, PUNKT, t) for k, t in enumerate(TITLES)
    ]
    assert decisions(d) == expected_decisions()
    assert d.meeting.forbund == "Samordningsförbundet Sunnerbo"
    assert (d.meeting.chair, d.meeting.secretary) == ("Nils Ek", "Karin Berg")


def test_a_last_changed_note_before_the_items_cuts_nothing() -> None:
    page = _cms_page("", SIDES[0]).replace("<h1>", "<p>Senast uppdaterad 22 mars 2024</p><h1>", 1)
    page = page.replace('<div class="col-4">', '<div class="col-4"><h2>Punkt 4: Nytt</h2>', 1)
    titles = [it.title for it in html_doc(page).items]
    assert titles[: len(TITLES)] == TITLES and titles[len(TITLES)].startswith("Nytt")


@pytest.mark.parametrize(
    ("line", "chair", "secretary"),
    [
        (
            "Nils Ek (ordf), Eva Lund (v. ordf.), Karin Berg (förbundschef, sekr.)",
            "Nils Ek",
            "Karin Berg",
        ),
        ("Nils Ek (ordf.), Karin Berg (sekr)", "Nils Ek", "Karin Berg"),
        (
            "Eva Lund (v. ordf.), Nils Ek (ordf), Karin Berg (ekonom, sekr.)",
            "Nils Ek",
            "Karin Berg",
        ),
    ],
)
def test_abbreviated_roles_in_brackets(line: str, chair: str, secretary: str) -> None:
    d = seg(HEAD + f"Närvarande: {line}\n\n" + body("Punkt {n}."))
    assert (d.meeting.chair, d.meeting.secretary) == (chair, secretary)


@pytest.mark.parametrize(
    ("text", "label"),
    [("§ 12 Ny insats – Hälsosteget", "§ 12"), ("12. Ny insats – Hälsosteget", "12.")],
)
def test_a_label_glued_to_the_title_in_the_next_column(text: str, label: str) -> None:
    """'§ 12' in a narrow label column and the title in the next, read as one line across the
    label column's edge (the gap between the cells narrower than the extractor's)."""
    columns = Columns((90.0, 132.0, 360.0), ("§", "Ärende", "Beslut"))
    row = [Line(90, 500, 250, 510, text, 10, True), Line(360, 500, 450, 510, "Beslut")]
    first, title, beside = _unglue(row, columns)
    assert (first.text, title.text, beside.text) == (label, "Ny insats – Hälsosteget", "Beslut")
    assert (columns.of(first), columns.of(title)) == (0, 1)
    across = [Line(90, 500, 420, 510, text + " Styrelsen beslutar")]
    assert _unglue(across, columns) == across  # across two edges: not split by guess
    prose = [Line(90, 500, 250, 510, "Styrelsen beslutade att godkänna")]
    assert _unglue(prose, columns) == prose


@pytest.mark.parametrize(
    "line",
    [
        "Datum: 2024-03-14. Ordförande: Nils Ek. Sekreterare: Karin Berg.",
        "Plats: Ljungby, Stadshuset; Ordförande: Nils Ek; Sekreterare: Karin Berg",
        "Tid: kl. 13.00–15.00. Ordförande: Nils Ek. Sekreterare: Karin Berg. Justerare: Ali Öz.",
    ],
)
def test_officer_fields_after_another_field_of_the_line(line: str) -> None:
    d = seg(f"Samordningsförbundet Sunnerbo\nProtokoll styrelsen\n{line}\n\n" + body("§ {n}"))
    assert (d.meeting.chair, d.meeting.secretary) == ("Nils Ek", "Karin Berg")


def test_a_role_in_a_sentence_after_a_field_is_no_officer() -> None:
    line = "Datum: 2024-03-14. Ordförande Nils Ek hälsade välkommen."
    d = seg(f"Samordningsförbundet Sunnerbo\nProtokoll styrelsen\n{line}\n\n" + body("§ {n}"))
    assert d.meeting.secretary is None


@pytest.mark.parametrize("beside", ["§§ 15–21", "15–21", "§ 15-21"])
def test_a_signature_line_with_the_paragraphs_beside_it(beside: str) -> None:
    """A justering page first: 'Sekreterare | Paragrafer' cells, the rule with '§§ 15–21'
    beside it, the name under the rule."""
    head = (
        "Samordningsförbundet Sunnerbo\nPROTOKOLL\nStyrelsen 2024-03-14\nJustering\n"
        f"Sekreterare Paragrafer\n…………………………………… {beside}\nKarin Berg\n"
        "Ordförande\n……………………………………\nNils Ek\nJusterande\n……………………………………\nAli Öz\n\n"
    )
    d = seg(head + body("§ {n}", 15))
    assert (d.meeting.chair, d.meeting.secretary) == ("Nils Ek", "Karin Berg")


# --- a scan under an OCR text layer: the § labels OCR misread -------------------------------


def _ocr_layer_pdf(path: Path, labels: list[str], image: bool) -> Path:
    """A page image (a scan) with invisible text over it, as an OCR step writes it: words set
    apart by two spaces, the § of each heading misread as OCR does."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    scan = path.with_suffix(".png")
    Image.new("L", (827, 1169), 235).save(scan)
    c = canvas.Canvas(str(path), pagesize=A4)
    if image:
        c.drawImage(str(scan), 0, 0, *A4)
    lines = ["Samordningsförbundet  Sunnerbo", "PROTOKOLL", "Styrelsen  2024-03-14", ""]
    for label, (title, text, clauses) in zip(labels, ITEMS, strict=True):
        lines += [f"{label}  {'  '.join(title.split())}", "  ".join(text.split()), "Beslut"]
        lines += (["Styrelsen  beslutar", *clauses] if len(clauses) > 1 else clauses) + [""]
    t = c.beginText(70, 780)
    t.setTextRenderMode(3)  # invisible, as OCR text over a scan
    t.setFont("Helvetica", 11)
    for line in lines:
        t.textLine("  ".join(line.split(" ")) if line.startswith("att") else line)
    c.drawText(t)
    c.save()
    return path


@pytest.mark.parametrize(
    "labels", [["85", "8 6", "8 7"], ["$ 5", "§6", "S 7"], ["§ 5", "86", "$7"]]
)
def test_misread_labels_of_a_scan_under_an_ocr_text_layer(
    tmp_path: Path, labels: list[str]
) -> None:
    pdf = _ocr_layer_pdf(tmp_path / "t.pdf", labels, image=True)
    d = segment(clean(extract(pdf)), doc_id="d", source="t.pdf")
    assert [(it.number, it.title) for it in d.items] == [(5 + k, t) for k, t in enumerate(TITLES)]
    assert decisions(d) == expected_decisions()


def test_numbers_of_a_born_digital_page_are_not_read_as_misread_signs(tmp_path: Path) -> None:
    pdf = _ocr_layer_pdf(tmp_path / "t.pdf", ["85", "8 6", "8 7"], image=False)
    text = "\n".join(p.text for p in extract(pdf))
    assert "85  Val  av  justerare" in text and "§" not in text


# --- a case reference on the title's line ----------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        "§ {n} {t} (Dnr 2025/{n})",
        "§ {n} {t}, dnr 2025/{n}",
        "§ {n} {t} Dnr SF 2025/{n}",
        "§ {n} Dnr 2025/{n} {t}",
        "§ {n} (Dnr 2025/{n}) {t}",
        "§ {n}\tDnr SF 2025/{n}\t{t}",
        "Punkt {n}. {t} (Diarienr 2025/{n})",
    ],
)
def test_a_case_reference_on_the_titles_line(form: str) -> None:
    parts = []
    for k, (title, text, clauses) in enumerate(ITEMS):
        parts += [form.format(n=3 + k, t=title), text]
        if len(clauses) == 1:
            parts.append(f"Beslut: {clauses[0]}")
        else:
            parts += ["Beslut: Styrelsen beslutar", *(f"- {c}" for c in clauses)]
        parts.append("")
    d = seg(HEAD + "\n".join(parts))
    assert [it.title for it in d.items] == TITLES
    assert all("2025/" in it.body.split("\n")[0] for it in d.items)  # kept as the body's first line
    assert decisions(d) == expected_decisions()


@pytest.mark.parametrize(
    "title", ["Ansökan om medel 2025", "Yttrande över Dnr-rutinen", "Budget för 2025 och 2026"]
)
def test_a_title_ending_in_a_number_keeps_it(title: str) -> None:
    d = seg(HEAD + f"§ 3 {title}\nText om ärendet.\nBeslut: Ärendet noteras.\n")
    assert [it.title for it in d.items] == [title]
