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
from ingest.formats.pdf_columns import label_columns
from ingest.formats.pdf_rows import Line
from ingest.formats.pdf_table import Columns, _header, _unglue
from ingest.ocr import OcrWord, page_lines, text_of
from ingest.segment import segment
from ingest.tables import part_row


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


# --- session 15: the families of the sixth zoo's held-out set ----------------------------------
# A part's heading in its own cell of a table row beside its text ("Beslut | Styrelsen beslutar"):
# in a scan (finsam's OCR reads the row as one line), a wrapped heading cell in a PDF, a Word
# row and an HTML row.


def _ocr_words(rows: list[tuple[int, list[tuple[int, str]]]]) -> list[OcrWord]:
    """Words of Tesseract lines: each row (y in pixels, [(x, text), …]) one line; a word's width
    is 22 px per character, its height 40 px (a 300 dpi scan of 11 pt text)."""
    out = []
    for k, (y, pieces) in enumerate(rows):
        for x, text in pieces:
            for word in text.split():
                out.append(OcrWord(x, y, 22 * len(word), 40, 90, word, (k, 1, 1)))
                x += 22 * len(word) + 14
    return out


def _decision_rows(
    label: str, y: int, clauses: list[str]
) -> list[tuple[int, list[tuple[int, str]]]]:
    head, *rest = label.split("\n")
    first = "Styrelsen beslutar" if len(clauses) > 1 else clauses[0]
    rows = [(y, [(150, head), (700, first)])]
    lines = clauses if len(clauses) > 1 else []
    for k, text in enumerate([*rest, *([""] * max(0, len(lines) - len(rest)))]):
        pieces = [(150, text)] if text else []
        if k < len(lines):
            pieces.append((700, lines[k]))
        rows.append((y + 60 * (k + 1), pieces))
    return [r for r in rows if r[1]]


@pytest.mark.parametrize("label", ["Beslut", "Styrelsens beslut", "Styrelsens\nbeslut"])
@pytest.mark.parametrize("speck", ["", "I", "i"])
def test_a_scanned_table_row_with_the_decision_beside_its_heading(label: str, speck: str) -> None:
    """OCR reads a bordered row 'Beslut | text' as one line: it is split at the column gap as a
    born-digital PDF's line is, so the heading stands on a line of its own; the rest of the
    table's rule read as a letter at the row's end is no text."""
    rows: list[tuple[int, list[tuple[int, str]]]] = [
        (100, [(150, "Samordningsförbundet Sunnerbo")]),
        (160, [(150, "Protokoll styrelsen 2024-03-14")]),
    ]
    y = 300
    for n, (title, text, clauses) in enumerate(ITEMS, start=12):
        rows += [(y, [(150, f"§ {n} {title}")]), (y + 100, [(150, text)])]
        block = _decision_rows(label, y + 200, clauses)
        if speck:
            block[0][1].append((2300, speck))
        rows += block
        y = block[-1][0] + 150
    text, blocks = text_of(_ocr_words(rows), 72 / 300, 842.0)
    d = segment(clean([Page(1, text, blocks)]), doc_id="d", source="s.pdf")
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()


def test_a_word_space_or_two_is_no_column_gap() -> None:
    words = _ocr_words([(100, [(150, "§ 12"), (265, "Budget 2025")])])
    assert [ln.text for ln in page_lines(words, 72 / 300, 842.0)] == ["§ 12 Budget 2025"]


@pytest.mark.parametrize(("raw", "text"), [('"Beslut', "Beslut"), ('"Beslut"', '"Beslut"')])
def test_a_rules_corner_glued_to_a_cells_first_word(raw: str, text: str) -> None:
    words = _ocr_words([(100, [(150, raw), (700, "Dagordningen godkänns.")])])
    assert [ln.text for ln in page_lines(words, 72 / 300, 842.0)] == [
        text,
        "Dagordningen godkänns.",
    ]


def _pdf_line(x0: float, top: float, text: str, size: float = 11.0) -> Line:
    return Line(x0, top - size, x0 + 5.5 * len(text), top, text, size=size)


@pytest.mark.parametrize(
    ("head", "tail"), [("Styrelsens", "beslut"), ("Arbetsutskottets", "beslut")]
)
def test_a_part_heading_wrapped_in_its_margin_cell(head: str, tail: str) -> None:
    """'Styrelsens' ⏎ 'beslut' in a narrow label cell beside the decision: one heading."""
    lines = [
        _pdf_line(72, 700, "Till justerare föreslogs Maja Lindqvist."),
        _pdf_line(72, 680, head),
        _pdf_line(190, 680, "Maja Lindqvist utses att justera protokollet."),
        _pdf_line(72, 667, tail),
        _pdf_line(72, 640, "§ 13 Budget 2025"),
    ]
    assert label_columns(lines) == [
        "Till justerare föreslogs Maja Lindqvist.",
        f"{head} {tail}",
        "Maja Lindqvist utses att justera protokollet.",
        "§ 13 Budget 2025",
    ]


def test_a_margin_column_of_a_non_heading_is_left_alone() -> None:
    lines = [
        _pdf_line(72, 680, "Anna"),
        _pdf_line(170, 680, "Berg utses."),
        _pdf_line(72, 667, "Ek"),
    ]
    assert label_columns(lines) == ["Anna Berg utses.", "Ek"]


def _part_rows_html(head: str) -> str:
    parts = [HEAD.replace("\n", "<br>")]
    for n, (title, text, clauses) in enumerate(ITEMS, start=5):
        lines = ["Styrelsen beslutar", *clauses] if len(clauses) > 1 else clauses
        parts.append(f"<h2>§ {n} {title}</h2><p>{text}</p>")
        parts.append(
            f"<table><tr><{head}>Beslut</{head}><td>{'<br>'.join(lines)}</td></tr></table>"
        )
    return "\n".join(parts)


@pytest.mark.parametrize("head", ["th", "td"])
def test_an_html_row_with_the_decision_beside_its_heading(head: str) -> None:
    d = html_doc(_part_rows_html(head))
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()


def test_a_docx_row_with_the_decision_beside_its_heading(tmp_path: Path) -> None:
    from docx import Document as Docx

    doc = Docx()
    doc.add_paragraph("Samordningsförbundet Sunnerbo")
    doc.add_paragraph("Protokoll styrelsen 2024-03-14")
    for n, (title, text, clauses) in enumerate(ITEMS, start=5):
        doc.add_paragraph(f"§ {n} {title}")
        doc.add_paragraph(text)
        table = doc.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "Styrelsens beslut"
        cell = table.cell(0, 1)
        lines = ["Styrelsen beslutar", *clauses] if len(clauses) > 1 else clauses
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    path = tmp_path / "p.docx"
    doc.save(path)
    d = segment(clean(extract(path)), doc_id="d", source="p.docx")
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()


@pytest.mark.parametrize("html", [False, True])
def test_an_item_table_with_its_label_cell_merged_down_its_rows(tmp_path: Path, html: bool) -> None:
    # zoo7's held-out hz03 (found after it was measured): an item per table, "§ 5" in a cell
    # merged down beside the title, Dnr, text and "Beslut | text" rows; the rows under the
    # first begin with the merged cell's empty rest, and the decision was read as text.
    from docx import Document as Docx

    doc = Docx()
    doc.add_paragraph("Samordningsförbundet Sunnerbo")
    doc.add_paragraph("Protokoll styrelsen 2024-03-14")
    rows_html = []
    for n, (title, text, clauses) in enumerate(ITEMS, start=5):
        lines = ["Styrelsen beslutar", *clauses] if len(clauses) > 1 else clauses
        table = doc.add_table(rows=4, cols=3)
        table.cell(0, 0).merge(table.cell(3, 0)).text = f"§ {n}"
        table.cell(0, 1).merge(table.cell(0, 2)).text = title
        table.cell(1, 1).text, table.cell(1, 2).text = "Dnr", f"2024/{n}"
        table.cell(2, 1).merge(table.cell(2, 2)).text = text
        table.cell(3, 1).text = "Beslut"
        cell = table.cell(3, 2)
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        rows_html.append(
            f'<table><tr><td rowspan="4">§ {n}</td><td colspan="2">{title}</td></tr>'
            f"<tr><td>Dnr</td><td>2024/{n}</td></tr><tr><td colspan=2>{text}</td></tr>"
            f"<tr><td>Beslut</td><td>{'<br>'.join(lines)}</td></tr></table>"
        )
    if html:
        d = html_doc(HEAD.replace("\n", "<br>") + "".join(rows_html))
    else:
        path = tmp_path / "p.docx"
        doc.save(path)
        d = segment(clean(extract(path)), doc_id="d", source="p.docx")
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()


@pytest.mark.parametrize(
    ("cells", "lines"),
    [
        ([["Beslut"], ["Dagordningen godkänns."]], ["Beslut", "Dagordningen godkänns."]),
        ([[""], ["Beslut"], ["Dagordningen godkänns."]], ["Beslut", "Dagordningen godkänns."]),
        ([[], [" "], ["Beslut"], ["Rapporten noteras."]], ["Beslut", "Rapporten noteras."]),
        ([[""], ["Beslut"]], None),
        ([["Beslut"], ["Ansvarig"]], None),  # a row of column names
        ([["Plats"], ["Kansliet, Växjö"]], None),
    ],
)
def test_a_part_row(cells: list[list[str]], lines: list[str] | None) -> None:
    assert part_row(cells) == lines


# The förbund and the date only in a wrapped opening sentence, roles after commas in a list.


@pytest.mark.parametrize(
    "opening",
    [
        "Protokoll fört vid sammanträde med styrelsen för Samordningsförbundet\n"
        "Gotland onsdagen den 12 februari 2025 kl. 13.00–15.30 i Visby.",
        "Protokoll fört vid styrelsemöte i Samordningsförbundet Gotland\n"
        "onsdagen den 12 februari 2025 kl. 13.00–15.30 i Visby.",
        "Protokoll fört vid sammanträde med styrelsen för Samordningsförbundet Gotland,\n"
        "onsdagen den 12 februari 2025, Visby.",
        "Protokoll från sammanträde med styrelsen för Samordningsförbundet Gotland onsdagen den 12"
        "\nfebruari 2025 i Visby.",
    ],
)
def test_the_forbund_and_date_in_a_wrapped_opening_sentence(opening: str) -> None:
    text = (
        "PROTOKOLL\n\n" + opening + "\n\nNärvarande: Eva Klint, ordf., Per Lindvall, vice ordf.\n\n"
    )
    d = seg(text + body("{n}."))
    assert (d.meeting.forbund, d.meeting.date) == ("Samordningsförbundet Gotland", "2025-02-12")
    assert d.meeting.chair == "Eva Klint"


def test_a_date_in_a_sentence_after_a_wrapped_notice_line_is_not_the_meetings() -> None:
    text = (
        "Samordningsförbundet Sunnerbo\nProtokoll styrelsen\nDatum: 2024-03-14\n"
        "Protokollet justeras av ordföranden och anslås på förbundets anslagstavla\n"
        "måndagen den 25 mars 2024 i Ljungby.\n\n"
    )
    assert seg(text + body("§ {n}")).meeting.date == "2024-03-14"


@pytest.mark.parametrize(
    ("line", "chair", "secretary"),
    [
        ("Eva Klint, ordf., Per Lindvall, vice ordf., Jonas Hägg", "Eva Klint", None),
        ("Per Lindvall, vice ordf., Eva Klint, ordf.", "Eva Klint", None),
        ("Eva Klint, ordf. Karl Bonde, förbundschef, sekr.", "Eva Klint", "Karl Bonde"),
        ("Jonas Hägg, Eva Klint, ordf.; Karl Bonde, sekr.", "Eva Klint", "Karl Bonde"),
    ],
)
def test_abbreviated_roles_after_a_comma(line: str, chair: str, secretary: str | None) -> None:
    d = seg(HEAD + f"Närvarande: {line}\n\n" + body("§ {n}"))
    assert (d.meeting.chair, d.meeting.secretary) == (chair, secretary)


# A blog post's meta line after the protocol.


@pytest.mark.parametrize(
    "meta",
    [
        '<footer class="entry-footer">Publicerat i <a href="/k">Protokoll</a></footer>',
        '<footer>Kategorier: <a href="/k">Protokoll</a>, <a href="/s">Styrelsen</a></footer>',
        '<div class="post-meta">Postat i <a href="/k">Protokoll</a> | Publicerad 2025-05-22</div>',
        "<footer>Detta inlägg publicerades i Protokoll. Bokmärk permalänken.</footer>",
        "<p>Arkiverat under: Protokoll</p><h3>Lämna en kommentar</h3>",
    ],
)
def test_a_blog_posts_meta_line_after_the_protocol(meta: str) -> None:
    d = html_doc(_part_rows_html("th") + "<p>Vid protokollet: Eva Berg</p>" + meta)
    assert [it.title for it in d.items] == TITLES


def test_a_sentence_that_names_where_something_was_published_is_kept() -> None:
    text = body("§ {n}") + "Publicerat i Smålandsposten den 3 mars. Styrelsen noterade artikeln.\n"
    assert [it.title for it in seg(HEAD + text).items] == TITLES


# An attachment after the last item on a page of its own, where no sign-off ends the items.


@pytest.mark.parametrize(
    "heading",
    [
        "Bilaga 1 till protokoll 2025-05-21, § 34",
        "Bilaga A – Riktlinjer för insatser",
        "Bilaga 2",
        "BILAGA 3 till § 14",
    ],
)
def test_an_attachment_page_after_the_last_item(heading: str) -> None:
    attachment = f"{heading}\nInternkontrollplan 2025\n1. Bakgrund\nStyrelsen ska se till att kontrollen är god.\n"
    pages = [Page(1, HEAD + body("§ {n}")), Page(2, attachment)]
    d = segment(clean(pages), doc_id="d", source="s.pdf")
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()


def test_a_line_naming_an_attachment_inside_the_last_item_is_its_text() -> None:
    text = HEAD + body("§ {n}") + "Bilaga 2 – Tjänsteskrivelse\n"
    d = seg(text)
    assert d.items[-1].body.endswith("Bilaga 2 – Tjänsteskrivelse")


def test_the_closing_points_text_on_the_next_page() -> None:
    """'Mötets avslutande' the last line of its page, its text on the next: no attachment."""
    first = HEAD + body("{n}.") + "4. Mötets avslutande\n"
    second = "Ordföranden tackade deltagarna och avslutade sammanträdet.\n\nVid protokollet\n\nEva Berg\n"
    d = segment(clean([Page(1, first), Page(2, second)]), doc_id="d", source="s.pdf")
    assert [it.title for it in d.items] == [*TITLES, "Mötets avslutande"]
    assert d.items[-1].body.startswith("Ordföranden tackade")
