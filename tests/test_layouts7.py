"""Layout families of the seventh zoo (tests/data/zoo7), each rule proven on variants written
here (never a file): a watermark or stamp set aslant across a PDF page; a minute system's web
page whose labels and values, names and roles stand in sibling <span>s; a wiki's Markdown with
block quotes and task lists and an "edited by" line; a Word header on the first page only that
holds the meeting's date; an attendance list after the last item; an extract's attestation
under every page that names the secretary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from test_layouts5 import HEAD, ITEMS, TITLES, decisions, expected_decisions, seg

from corpus.model import Document, Page
from ingest.clean import clean
from ingest.extract import extract
from ingest.formats.html import html_layout
from ingest.lines import Line
from ingest.officers import officers
from ingest.segment import segment


def _protocol_lines(label: str = "§ {n}") -> list[str]:
    out = ["Samordningsförbundet Sunnerbo", "Protokoll styrelsen 2024-03-14", ""]
    for n, (title, text, clauses) in enumerate(ITEMS, start=1):
        out += [label.format(n=n) + " " + title, text, "Beslut"]
        out += ["Styrelsen beslutar", *clauses] if len(clauses) > 1 else clauses
        out.append("")
    return out


def _stamped_pdf(path: Path, stamp: str, angle: float, pages: int = 2) -> Path:
    """The protocol over ``pages`` pages, each with ``stamp`` drawn large at ``angle``."""
    lines = _protocol_lines()
    per = -(-len(lines) // pages)
    canvas = Canvas(str(path), pagesize=A4)
    for k in range(pages):
        text = canvas.beginText(70, 770)
        text.setFont("Helvetica", 10)
        text.setLeading(14)
        for line in lines[k * per : (k + 1) * per]:
            text.textLine(line)
        canvas.drawText(text)
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 60)
        canvas.setFillGray(0.7)
        canvas.translate(297, 420)
        canvas.rotate(angle)
        canvas.drawCentredString(0, 0, stamp)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return path


def _pdf_doc(path: Path) -> Document:
    return segment(clean(extract(path)), doc_id="d", source=path.name)


@pytest.mark.parametrize("angle", [45, 30, 55, -45])
@pytest.mark.parametrize("stamp", ["JUSTERAT 2025-02-20", "UTKAST", "KOPIA"])
def test_a_watermark_set_aslant_across_the_page(tmp_path: Path, angle: float, stamp: str) -> None:
    """A stamp drawn across the rows of a page is no row of its text (it was read as the head
    of one row that swallowed every line its slant crosses)."""
    d = _pdf_doc(_stamped_pdf(tmp_path / "p.pdf", stamp, angle))
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()
    assert d.meeting.date == "2024-03-14"
    assert not any(stamp in it.body or stamp in it.title for it in d.items)  # furniture


# --- sibling spans of a minute system's web page ----------------------------------------------


def _lines(html: str) -> list[str]:
    pages = html_layout(f"<!doctype html><html><body><main>{html}</main></body></html>")
    return [ln for p in pages for ln in p.text.split("\n") if ln]


@pytest.mark.parametrize(
    ("html", "line"),
    [
        (
            "<div><span>Mötesdatum</span><span>2025-06-11 13:00</span></div>",
            "Mötesdatum 2025-06-11 13:00",
        ),
        (
            "<div><span class=n>Anna Berg</span><span class=r>Ordförande</span></div>",
            "Anna Berg Ordförande",
        ),
        ("<div><label>Plats</label><strong>Rådhuset</strong></div>", "Plats Rådhuset"),
        ("<p><b>S</b>amordningsförbundet <b>H</b>alland</p>", "Samordningsförbundet Halland"),
        ("<p><span>Sam</span><span>ordning</span></p>", "Samordning"),
        (
            "<p><strong>Beslut</strong>: <span>Dagordningen</span> godkänns.</p>",
            "Beslut: Dagordningen godkänns.",
        ),
        ("<p><span>§</span><span>12</span></p>", "§12"),
    ],
)
def test_words_in_sibling_inline_elements_are_kept_apart(html: str, line: str) -> None:
    assert _lines(html) == [line]


def _portal(attendees: list[tuple[str, str]]) -> str:
    people = "".join(
        f"<div class=attendee><span class=name>{n}</span><span class=role>{r}</span></div>"
        for n, r in attendees
    )
    items = []
    for n, (title, text, clauses) in enumerate(ITEMS, start=1):
        lines = ["Styrelsen beslutar", *clauses] if len(clauses) > 1 else clauses
        items.append(
            f"<div class=item><div class=head><div class=num>§ {n}</div><div class=title>{title}</div>"
            f"</div><div class=body><p>{text}</p></div><div class=decision><div class=label>Beslut"
            "</div><div class=text>" + "".join(f"<p>{x}</p>" for x in lines) + "</div></div></div>"
        )
    return (
        "<div class=org>Samordningsförbundet Sunnerbo</div><div class=board>Styrelsen</div>"
        "<div class=date><span class=label>Mötesdatum</span><span class=value>2025-06-11 13:00</span>"
        f"</div><div class=people>{people}</div>" + "".join(items)
    )


@pytest.mark.parametrize(
    ("attendees", "chair", "secretary"),
    [
        (
            [("Anna Berg", "Ordförande"), ("Eva Ek", "Vice ordförande"), ("Bo Alm", "Sekreterare")],
            "Anna Berg",
            "Bo Alm",
        ),
        (
            [
                ("Eva Ek", "Vice ordförande"),
                ("Anna Berg", "Ordförande"),
                ("Bo Alm", "Förbundschef, sekreterare"),
            ],
            "Anna Berg",
            "Bo Alm",
        ),
        ([("Anna Berg", "Ledamot"), ("Bo Alm", "Förbundschef")], None, None),
    ],
)
def test_a_minute_systems_web_page_of_divs_and_spans(
    attendees: list[tuple[str, str]], chair: str | None, secretary: str | None
) -> None:
    d = segment(
        clean(html_layout(f"<!doctype html><html><body>{_portal(attendees)}</body></html>")),
        doc_id="d",
        source="p.html",
    )
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()
    assert d.meeting.date == "2025-06-11"
    assert (d.meeting.chair, d.meeting.secretary) == (chair, secretary)


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Anders Sjölund Ordförande", ("Anders Sjölund", None)),
        ("Malin Eriksson Sekreterare", (None, "Malin Eriksson")),
        ("Eva Westin Vice ordförande", (None, None)),
        ("Robert Näslund Ledamot, justerare", (None, None)),
        ("Ordföranden Anna Berg tackade", (None, None)),
    ],
)
def test_a_name_then_its_roles_on_a_line(line: str, found: tuple[str | None, str | None]) -> None:
    chair, secretary, _ = officers([Line(line, 1, 1)])
    assert (chair, secretary) == found


# --- a wiki's Markdown ------------------------------------------------------------------------


def test_block_quotes_and_task_lists_of_a_wiki_page() -> None:
    text = "# Styrelsemöte Samordningsförbundet Sunnerbo\n\n**Datum:** 2024-03-14  \n\n"
    for n, (title, body, clauses) in enumerate(ITEMS, start=1):
        text += f"### {n}. {title}\n\n{body}\n\n"
        if len(clauses) > 1:
            text += (
                "**Beslut:** Styrelsen beslutar\n\n"
                + "".join(f"- [x] {c}\n" for c in clauses)
                + "\n"
            )
        else:
            text += f"> **Beslut:** {clauses[0]}\n\n"
    text += "---\n\n*Senast redigerad av Reza Tehrani 2024-03-20*\n"
    d = seg(text)
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()
    assert d.meeting.date == "2024-03-14"


def test_a_quoted_line_of_an_email_keeps_its_text() -> None:
    d = seg(
        HEAD
        + "> Protokollet skickas till ledamöterna.\n\n§ 1 Val av justerare\nBeslut: Maja Lindqvist utses.\n"
    )
    assert "Protokollet skickas till ledamöterna." in d.text.replace("> ", "")
    assert [it.title for it in d.items] == ["Val av justerare"]


# --- Word: a header on the first page only; an attendance list after the items ---------------


def _docx(path: Path, *, first_header: str | None, attendance: bool) -> Path:
    from docx import Document as Docx

    doc = Docx()
    section = doc.sections[0]
    if first_header is not None:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = first_header
        section.header.paragraphs[0].text = "Protokoll"
    doc.add_paragraph("Ordförande: Anna Berg. Sekreterare: Bo Alm.")
    for n, (title, text, clauses) in enumerate(ITEMS, start=1):
        doc.add_heading(f"§{n}. {title}", level=3)
        doc.add_paragraph(text)
        doc.add_paragraph("Styrelsens beslut")
        for c in ["Styrelsen beslutar", *clauses] if len(clauses) > 1 else clauses:
            doc.add_paragraph(c)
    if attendance:
        doc.add_heading("Närvarolista", level=2)
        table = doc.add_table(rows=1, cols=3)
        for j, v in enumerate(("Namn", "Uppdrag", "Organisation")):
            table.cell(0, j).text = v
        for row in (("Anna Berg", "Ordförande", "Region"), ("Karin Lind", "Ledamot", "Kommunen")):
            cells = table.add_row().cells
            for j, v in enumerate(row):
                cells[j].text = v
    doc.save(path)
    return path


@pytest.mark.parametrize(
    "first_header",
    [
        "Samordningsförbundet Sunnerbo\nPROTOKOLL\nStyrelsen 2024-03-14",
        "Protokoll styrelsen 14 mars 2024",
    ],
)
def test_the_date_only_in_a_first_page_word_header(tmp_path: Path, first_header: str) -> None:
    d = _pdf_doc(_docx(tmp_path / "p.docx", first_header=first_header, attendance=False))
    assert d.meeting.date == "2024-03-14"
    assert [it.title for it in d.items] == TITLES


def test_the_body_date_wins_over_a_header_date(tmp_path: Path) -> None:
    path = _docx(tmp_path / "p.docx", first_header="Utskrift 2024-04-02", attendance=False)
    from docx import Document as Docx

    doc = Docx(str(path))
    doc.paragraphs[0].insert_paragraph_before("Protokoll från styrelsemöte 2024-03-14")
    doc.save(path)
    assert _pdf_doc(path).meeting.date == "2024-03-14"


@pytest.mark.parametrize("heading", ["Närvarolista", "Närvarande", "Deltagare"])
def test_an_attendance_list_after_the_last_item(tmp_path: Path, heading: str) -> None:
    path = _docx(tmp_path / "p.docx", first_header=None, attendance=True)
    if heading != "Närvarolista":
        from docx import Document as Docx

        doc = Docx(str(path))
        next(p for p in doc.paragraphs if p.text == "Närvarolista").runs[0].text = heading
        doc.save(path)
    d = _pdf_doc(path)
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()


# --- an extract's attestation under every page ------------------------------------------------


def test_the_secretary_in_an_attestation_under_every_page() -> None:
    footer = "Utdragsbestyrkande: Rätt utdraget intygar Mikael Forsgren, sekreterare"
    pages = []
    for n, (title, text, clauses) in enumerate(ITEMS, start=21):
        lines = [
            "Samordningsförbundet Sunnerbo PROTOKOLLSUTDRAG",
            "Styrelsen Sammanträdesdatum 2024-03-14",
        ]
        lines += [f"§ {n} {title}", text, "Styrelsens beslut", *clauses, "", footer]
        pages.append(Page(len(pages) + 1, "\n".join(lines)))
    d = segment(clean(pages), doc_id="d", source="s.pdf")
    assert [it.title for it in d.items] == TITLES
    assert d.meeting.secretary == "Mikael Forsgren"


# --- a § read as "£" by OCR -------------------------------------------------------------------


@pytest.mark.parametrize("misread", ["$£{n}", "£{n}", "£ {n}", "8£{n}"])
def test_a_paragraph_sign_misread_as_a_pound_sign(misread: str) -> None:
    from ingest.ocr_signs import repair_paragraph_signs

    titles = ["Val av justerare", "Budget 2025", "Sammanträdesplan 2025", "Rapporten"]
    lines = [f"§ {n} {t}" for n, t in enumerate(titles, start=31)]
    lines[2] = misread.format(n=33) + " " + titles[2]
    assert (
        repair_paragraph_signs(["\n".join(lines)])[0].split("\n")[2] == "§ 33 Sammanträdesplan 2025"
    )


# --- Word's line numbering in the margin --------------------------------------------------------


def _numbered_lines_pdf(path: Path, count_by: int, start: int) -> Path:
    """The protocol with every ``count_by``-th line numbered, right-aligned left of the text."""
    canvas = Canvas(str(path), pagesize=A4)
    y = 770.0
    for k, line in enumerate(_protocol_lines(), start=start):
        canvas.setFont("Helvetica", 10)
        if line:
            canvas.drawString(90, y, line)
        if line and k % count_by == 0:
            canvas.setFont("Helvetica", 8)
            canvas.drawRightString(76, y, str(k))
        y -= 14
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize(("count_by", "start"), [(1, 1), (1, 120), (5, 1), (2, 40)])
def test_words_line_numbering_in_the_margin(tmp_path: Path, count_by: int, start: int) -> None:
    d = _pdf_doc(_numbered_lines_pdf(tmp_path / "p.pdf", count_by, start))
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()


def test_a_column_of_numbers_in_the_text_is_kept() -> None:
    from ingest.formats.pdf import without_line_numbers
    from ingest.formats.pdf_rows import Line as PdfLine

    # an agenda table's number column at the text's left edge, a heading above it
    head = PdfLine(90, 720, 300, 730, "Föredragningslista")
    rows = [head, *(PdfLine(90, 700 - 14 * k, 96, 710 - 14 * k, str(k + 1)) for k in range(5))]
    titles = [PdfLine(120, 700 - 14 * k, 300, 710 - 14 * k, f"Punkt {k + 1}") for k in range(5)]
    assert without_line_numbers([*rows, *titles]) == [*rows, *titles]
    falling = [PdfLine(60, 700 - 14 * k, 76, 710 - 14 * k, str(9 - k)) for k in range(5)]
    assert without_line_numbers([*falling, *titles]) == [*falling, *titles]  # no line numbering


# --- note marks set superscript -----------------------------------------------------------------


def _noted_pdf(path: Path, mark: str) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    y = 770.0
    for k, line in enumerate(_protocol_lines()):
        canvas.setFont("Helvetica", 10)
        if line:
            canvas.drawString(90, y, line)
        if line.startswith(("§", "Beslut")):  # a mark raised and small right after the line
            width = canvas.stringWidth(line, "Helvetica", 10)
            canvas.setFont("Helvetica", 6)
            canvas.drawString(90 + width, y + 4, mark.format(k=k))
        y -= 14
    canvas.setFont("Helvetica", 6)
    canvas.drawString(90, 80, "1")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(95, 78, "Handlingarna skickades ut den 10 mars.")
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("mark", ["1", "{k}", "*"])
def test_note_marks_set_superscript_after_a_title_or_heading(tmp_path: Path, mark: str) -> None:
    d = _pdf_doc(_noted_pdf(tmp_path / "p.pdf", mark))
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()


@pytest.mark.parametrize(
    "stamp",
    [
        "Utskriven 2025-06-03 10:42",
        "Utskriftsdatum: 2025-06-03",
        "Printed 2025-06-03",
        "Genererad 2025-06-03 från mötessystemet",
        "Exporterad 3 juni 2025",
    ],
)
@pytest.mark.parametrize("where", ["letterhead", "line"])
def test_a_print_date_in_the_head_is_not_the_meeting_date(stamp: str, where: str) -> None:
    # zoo7's held-out hz01 (found after it was measured): a minute system prints the day the
    # protocol was printed or exported beside the letterhead; the meeting's day is in "Tid".
    head = (
        f"Samordningsförbundet Sunnerbo Protokoll {stamp}\n"
        if where == "letterhead"
        else f"Samordningsförbundet Sunnerbo\n{stamp}\nProtokoll från styrelsemöte\n"
    )
    lines = _protocol_lines()[2:]
    d = seg(head + "Tid tisdag 20 maj 2025, kl. 13.15–15.45\n\n" + "\n".join(lines))
    assert d.meeting.date == "2025-05-20"
    assert [it.title for it in d.items] == TITLES
