"""Extraction of real generated files of every format: pages, line breaks, Swedish letters."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from pdfgen import paginate, render_pdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from corpus.model import Page
from ingest.extract import detect_format, extract, read
from ingest.formats.pdf import Line, order_lines
from ingest.formats.text import decode_text, split_pages
from ingest.formats.wordml import format_number

SWEDISH = "Årsmöte i Växjö: överenskommelse om ökad ersättning – 5 000 kr för året"


def lines_of(page: Page) -> list[str]:
    return [line.strip() for line in page.text.split("\n")]


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_round_trip_keeps_pages_lines_and_swedish(tmp_path: Path) -> None:
    pages = [
        f"§ {n} Ärende {n}\n\nStyrelsen beslutar att godkänna förslaget.\nÅsa Öberg, Älvkarleby"
        for n in range(1, 4)
    ]
    path = render_pdf(pages, tmp_path / "protokoll.pdf", header="Samordningsförbundet Östra")
    result = extract(path)
    assert [p.number for p in result] == [1, 2, 3]
    for n, page in enumerate(result, start=1):
        lines = [ln for ln in lines_of(page) if ln]
        assert lines[0] == f"Samordningsförbundet Östra Sida {n} (3)"
        assert lines[1:] == [
            f"§ {n} Ärende {n}",
            "Styrelsen beslutar att godkänna förslaget.",
            "Åsa Öberg, Älvkarleby",
        ]
        # the blank line under the heading survives as an empty line
        body = page.text.split("\n")
        heading = body.index(f"§ {n} Ärende {n}")
        assert body[heading + 1] == ""


def test_pdf_footer_page_numbers_and_punctuation(tmp_path: Path) -> None:
    text = f"{SWEDISH}\n“Citat” och €-belopp"
    path = render_pdf(
        [text, text],
        tmp_path / "p.pdf",
        footer="Justerare: Åke",
        page_numbers="{n} ({total})",
        page_number_position="bottom",
    )
    result = extract(path)
    assert len(result) == 2
    for n, page in enumerate(result, start=1):
        lines = [ln for ln in lines_of(page) if ln]
        assert lines[:2] == [SWEDISH, "“Citat” och €-belopp"]
        assert lines[-1] == f"Justerare: Åke {n} (2)"


def test_pdf_long_lines_are_wrapped_and_overflow_adds_pages(tmp_path: Path) -> None:
    words = [f"ord{i}" for i in range(800)]
    text = "\n".join(" ".join(words[i : i + 40]) for i in range(0, 800, 40))
    pages = paginate(text, lines_per_page=45)
    assert len(pages) == 1  # 20 source lines
    result = extract(render_pdf(pages, tmp_path / "long.pdf", page_numbers=None))
    assert len(result) == 2  # wrapped to about 70 lines: more than one sheet holds
    assert max(len(line) for p in result for line in p.text.split("\n")) < 120
    assert " ".join(p.text for p in result).split() == words  # none lost, in order


def test_pdf_stops_after_max_pages_and_reports_the_pages_cut(tmp_path: Path) -> None:
    path = render_pdf([f"Sida nummer {n}" for n in range(1, 8)], tmp_path / "many.pdf")
    result = read(path, max_pages=3)
    assert [p.number for p in result.pages] == [1, 2, 3]
    assert "Sida nummer 3" in result.pages[2].text
    assert (result.fmt, result.pages_in_file, result.pages_cut) == ("pdf", 7, 4)
    assert extract(path, max_pages=3) == list(result.pages)
    whole = read(path, max_pages=7)
    assert (len(whole.pages), whole.pages_cut) == (7, 0)


def test_text_pages_past_the_limit_are_reported_as_cut(tmp_path: Path) -> None:
    path = tmp_path / "fem.txt"
    path.write_text("\f".join(f"Sida {n}" for n in range(1, 6)), encoding="utf-8")
    result = read(path, max_pages=2)
    assert [p.text for p in result.pages] == ["Sida 1", "Sida 2"]
    assert (result.fmt, result.pages_in_file, result.pages_cut) == ("txt", 5, 3)


def _draw(path: Path, strings: list[tuple[float, float, str]], size: int = 10) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", size)
    for x, y, text in strings:
        canvas.drawString(x, y, text)
    canvas.showPage()
    canvas.save()
    return path


def test_pdf_label_and_value_on_one_baseline_become_one_line(tmp_path: Path) -> None:
    rows = [
        ("Beslutande", "Elisabet Pettersson, Sala kommun"),
        ("", "Karin Hurtig, Norbergs kommun"),
        ("Plats och tid", "Digitalt via Teams, kl 08:30-09:30"),
    ]
    strings = []
    for i, (label, value) in enumerate(rows):
        y = 700 - 14 * i
        if label:
            strings.append((60, y, label))
        strings.append((250, y, value))
    result = extract(_draw(tmp_path / "form.pdf", strings))
    assert lines_of(result[0]) == [
        "Beslutande Elisabet Pettersson, Sala kommun",
        "Karin Hurtig, Norbergs kommun",
        "Plats och tid Digitalt via Teams, kl 08:30-09:30",
    ]


def test_pdf_two_columns_of_prose_are_read_column_by_column(tmp_path: Path) -> None:
    strings = [(60, 780, "Nyhetsbrev från förbundet, full bredd över båda spalterna här")]
    for i in range(10):
        y = 740 - 14 * i
        strings.append((60, y, f"vänster spalt rad {i} med löptext"))
        strings.append((320, y, f"höger spalt rad {i} med löptext"))
    result = extract(_draw(tmp_path / "cols.pdf", strings))
    lines = [ln for ln in lines_of(result[0]) if ln]
    assert lines[0].startswith("Nyhetsbrev")
    assert lines[1:11] == [f"vänster spalt rad {i} med löptext" for i in range(10)]
    assert lines[11:] == [f"höger spalt rad {i} med löptext" for i in range(10)]


@pytest.mark.parametrize("head_rows", [1, 3])
def test_pdf_two_columns_under_a_head_with_short_left_lines(tmp_path: Path, head_rows: int) -> None:
    """A newspaper page: a title and "Label: value" rows set across the page, some of them short
    (a wrapped title, a name alone on its line) so they lie on the left of the gutter, then
    two columns of prose: the head is read first, row by row, then each column."""
    head = [
        "Protokoll styrelsen – Samordningsförbundet",
        "Västerdalarna",
        "Datum: 2024-09-19 kl. 13.00–15.30   Plats: Malung, kommunhuset",
        "Ordförande: Gunnel Eriksson   Sekreterare: Anders Wiklund   Justerare:",
        "Sofia Nilsson",
    ][: 2 + head_rows]
    strings = [(60, 790 - 14 * i, text) for i, text in enumerate(head)]
    top = 790 - 14 * len(head) - 20
    for i in range(10):
        strings.append((60, top - 14 * i, f"vänster spalt rad {i} med löptext"))
        strings.append((320, top - 14 * i, f"höger spalt rad {i} med löptext"))
    result = extract(_draw(tmp_path / "cols.pdf", strings))
    lines = [ln for ln in lines_of(result[0]) if ln]
    assert lines[: len(head)] == head
    assert lines[len(head) : len(head) + 10] == [
        f"vänster spalt rad {i} med löptext" for i in range(10)
    ]
    assert lines[len(head) + 10 :] == [f"höger spalt rad {i} med löptext" for i in range(10)]


def test_pdf_sideways_margin_text_is_read_as_whole_lines(tmp_path: Path) -> None:
    canvas = Canvas(str(tmp_path / "rot.pdf"), pagesize=A4)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, 700, "Brödtext på sidan")
    for x, y, angle, text in (
        (30, 300, 90, "Dnr 2024/15 Utdragsbestyrkande"),
        (570, 600, -90, "Medurs"),
    ):
        canvas.saveState()
        canvas.translate(x, y)
        canvas.rotate(angle)
        canvas.drawString(0, 0, text)
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    result = extract(tmp_path / "rot.pdf")
    assert result[0].text == "Brödtext på sidan\n\nDnr 2024/15 Utdragsbestyrkande\nMedurs"


def test_order_lines_rows_gaps_and_label_columns() -> None:
    lines = [
        Line(300, 690, 500, 700, "värde ett"),
        Line(50, 690, 120, 700, "Etikett"),
        Line(300, 676, 500, 686, "värde två"),
        Line(50, 640, 400, 650, "efter ett tomrum"),
    ]
    assert order_lines(lines) == "Etikett värde ett\nvärde två\n\nefter ett tomrum"
    # many labels beside long values: still rows, not columns
    many = []
    for i in range(12):
        many.append(Line(50, 700 - 14 * i, 110, 710 - 14 * i, f"L{i}"))
        many.append(Line(300, 700 - 14 * i, 540, 710 - 14 * i, f"värde {i} med en lång text"))
    assert order_lines(many).split("\n") == [f"L{i} värde {i} med en lång text" for i in range(12)]
    assert order_lines([]) == ""


# --- DOCX -----------------------------------------------------------------------------------


def test_docx_paragraphs_tables_pages_and_numbering(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "SIDHUVUD SOM UPPREPAS"
    doc.sections[0].footer.paragraphs[0].text = "SIDFOT SOM UPPREPAS"
    doc.add_paragraph("Protokoll för styrelsen i Åre")
    doc.add_paragraph("Mötets öppnande", style="List Number")
    doc.add_paragraph("Val av justerare", style="List Number")
    table = doc.add_table(rows=2, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"rad{r} kol{c} åäö"
    doc.add_paragraph("Efter tabellen")
    doc.add_page_break()
    para = doc.add_paragraph("Andra sidan börjar")
    para.add_run().add_break(WD_BREAK.PAGE)
    para.add_run("tredje sidan")
    path = tmp_path / "styrelse protokoll.docx"
    doc.save(str(path))

    result = extract(path)
    assert [p.number for p in result] == [1, 2, 3]
    assert result[0].text.split("\n") == [
        "Protokoll för styrelsen i Åre",
        "1.\tMötets öppnande",
        "2.\tVal av justerare",
        "rad0 kol0 åäö | rad0 kol1 åäö | rad0 kol2 åäö",
        "rad1 kol0 åäö | rad1 kol1 åäö | rad1 kol2 åäö",
        "Efter tabellen",
    ]
    assert result[1].text.strip() == "Andra sidan börjar"
    assert result[2].text.strip() == "tredje sidan"
    assert "UPPREPAS" not in "".join(p.text for p in result)


def test_docx_without_breaks_is_one_page_and_keeps_line_breaks(tmp_path: Path) -> None:
    doc = docx.Document()
    para = doc.add_paragraph("Rad ett")
    para.add_run().add_break()  # a soft line break inside the paragraph
    para.add_run("rad två")
    doc.add_paragraph("")
    doc.add_paragraph("Nytt stycke")
    path = tmp_path / "enkel.docx"
    doc.save(str(path))
    result = extract(path)
    assert result == [Page(1, "Rad ett\nrad två\n\nNytt stycke")]


def test_docx_rendered_page_breaks_give_word_pages(tmp_path: Path) -> None:
    doc = docx.Document()
    for n in range(1, 4):
        para = doc.add_paragraph()
        run = para.add_run()
        if n > 1:
            run._r.append(OxmlElement("w:lastRenderedPageBreak"))
        para.add_run(f"Stycke på sida {n}")
    path = tmp_path / "rendered.docx"
    doc.save(str(path))
    result = extract(path)
    assert [p.text for p in result] == [f"Stycke på sida {n}" for n in (1, 2, 3)]


def test_docx_main_part_found_through_relationships(tmp_path: Path) -> None:
    source = tmp_path / "src.docx"
    doc = docx.Document()
    doc.add_paragraph("Innehåll i en annan del")
    doc.save(str(source))
    moved = tmp_path / "moved.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(moved, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            name = info.filename
            if name == "word/document.xml":
                name = "word/main.xml"
            elif name == "word/_rels/document.xml.rels":
                name = "word/_rels/main.xml.rels"
            elif name in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"document.xml", b"main.xml")
            dst.writestr(name, data)
    assert detect_format(moved, moved.read_bytes()[:8192]) == "zip"
    assert extract(moved)[0].text == "Innehåll i en annan del"


# --- TXT ------------------------------------------------------------------------------------


def test_text_encodings_decode_swedish(tmp_path: Path) -> None:
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"):
        text = f"{SWEDISH}\nÄrende 2"
        if encoding == "latin-1":
            text = text.replace("–", "-")  # no dash in latin-1
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        assert extract(path) == [Page(1, text)], encoding


def test_decode_text_prefers_the_encoding_with_nordic_letters() -> None:
    text = "Förbundets årsmöte på Öland, ärende 4"
    for encoding in ("cp1252", "mac_roman", "cp850"):
        assert decode_text(text.encode(encoding)) == text, encoding
    assert decode_text("ä".encode(), declared="no-such-codec") == "ä"


def test_text_mixed_line_endings_and_form_feeds(tmp_path: Path) -> None:
    path = tmp_path / "blandat.txt"
    path.write_bytes(b"ett\r\ntv\xc3\xa5\rtre\nfyra\f\r\nsida tv\xc3\xa5\f")
    result = extract(path)
    assert result == [Page(1, "ett\ntvå\ntre\nfyra"), Page(2, "\nsida två")]
    assert split_pages("utan sidbrytning") == ["utan sidbrytning"]


def test_text_file_name_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    path = tmp_path / "Protokoll styrelsen 2023-11-02 Väst å.md"
    path.write_text("# Rubrik\n\nText", encoding="utf-8")
    assert extract(path) == [Page(1, "# Rubrik\n\nText")]


def test_text_is_nfc_normalised(tmp_path: Path) -> None:
    path = tmp_path / "nfd.txt"
    path.write_text("A\u030arsmo\u0308te", encoding="utf-8")  # decomposed Å and ö
    assert extract(path)[0].text == "Årsmöte"


# --- HTML -----------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head><title>Titel</title><style>p { color: red }</style>
<script>var dold = "skript";</script></head>
<body><h1>Protokoll   styrelsen</h1>
<p>Datum: 2024-03-01<br>Plats: <b>Västerås</b></p>
<div>Rad ett</div><div>Rad två</div>
<table><tr><th>Namn</th><th>Organisation</th></tr>
<tr><td><p>Åsa</p><p>Öberg</p></td><td>Försäkringskassan</td></tr></table>
<ul><li>första</li><li>andra</li></ul>
<p style="display:none">osynlig</p>
<div style="page-break-before: always">Bilaga 1</div>
</body></html>"""


def test_html_visible_text_blocks_tables_and_page_break(tmp_path: Path) -> None:
    path = tmp_path / "protokoll.html"
    path.write_text(HTML, encoding="utf-8")
    result = extract(path)
    assert [p.number for p in result] == [1, 2]
    assert [ln for ln in result[0].text.split("\n") if ln] == [
        "Protokoll styrelsen",
        "Datum: 2024-03-01",
        "Plats: Västerås",
        "Rad ett",
        "Rad två",
        "Namn | Organisation",
        "Åsa",  # a cell's paragraphs stay lines (tests/test_html_layouts.py)
        "Öberg",
        "Försäkringskassan",
        "första",
        "andra",
    ]
    assert result[1].text == "Bilaga 1"
    joined = " ".join(p.text for p in result)
    for hidden in ("skript", "color", "Titel", "osynlig"):
        assert hidden not in joined


def test_html_declared_charset_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "gammal.htm"
    html = '<html><head><meta charset="windows-1252"></head><body><p>Växjö – år</p></body></html>'
    path.write_bytes(html.encode("cp1252"))
    assert extract(path) == [Page(1, "Växjö – år")]


# --- format detection -----------------------------------------------------------------------


def test_detect_format_by_magic_then_suffix(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("x")
    word = tmp_path / "named.pdf"
    doc.save(str(word))
    assert detect_format(word, word.read_bytes()[:8192]) == "docx"
    pdf = render_pdf(["x"], tmp_path / "named.txt")
    assert detect_format(pdf, pdf.read_bytes()[:8192]) == "pdf"
    cases = {
        ("a.txt", b"<!DOCTYPE html><html><body>x</body></html>"): "html",
        ("a.htm", b"<p>bara ett stycke</p>"): "html",
        ("a.md", b"# Rubrik\n\nText med <b>"): "txt",
        ("a.unknown", "Vanlig text på svenska".encode("cp1252")): "txt",
        ("a.txt", "<html>".encode("utf-16")): "html",
        ("a.pdf", bytes(range(256)) * 4): "binary",
        ("a.docx", bytes(range(256)) * 4): "binary",
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)): "doc",
        ("a.rtf", b"{\\rtf1\\ansi hej}"): "rtf",
    }
    for (name, head), expected in cases.items():
        assert detect_format(tmp_path / name, head) == expected, name
    plain_zip = tmp_path / "arkiv.docx"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "inte word")
    assert detect_format(plain_zip, plain_zip.read_bytes()[:8192]) == "zip"


def test_sniffed_format_wins_over_a_wrong_suffix(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Word-innehåll")
    path = tmp_path / "egentligen_word.pdf"
    doc.save(str(path))
    assert extract(path) == [Page(1, "Word-innehåll")]


def test_word_list_counters_are_written_as_word_draws_them() -> None:
    assert [format_number(n, "lowerLetter") for n in (1, 26, 28)] == ["a", "z", "bb"]
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(14, "lowerRoman") == "xiv"
    assert format_number(7, "decimalZero") == "07"
    assert format_number(7, "ordinalText") == "7"
