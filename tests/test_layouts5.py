"""Layout families of the fifth zoo (tests/data/zoo5), each rule proven on variants written
here (never a file): agenda points numbered only by an HTML <ol>, a <dt>/<dd> label and its
value, a title set above its label rows, a label with its year ("Ärende 14/2025"), an
e-signature verification page after the last item, an item's label and title in the narrow left
column of a PDF table, participant lists side by side in a PDF table, and the officer lines
under the title of a protocol without numbered items.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.model import ARENDE, HEADING, PUNKT, Block, Document, Page
from ingest.clean import clean
from ingest.extract import extract
from ingest.formats.html import html_layout
from ingest.segment import segment

ITEMS = (
    ("Val av justerare", "Till justerare föreslogs Maja Lindqvist.", ["Maja Lindqvist utses."]),
    (
        "Verksamhetsplan och budget 2025",
        "Arbetsutskottet har berett förslaget till budget om 4,1 mnkr.",
        ["att fastställa budgeten för 2025", "att anta verksamhetsplanen"],
    ),
    ("Förbundschefens rapport", "Förbundschefen informerade om läget.", ["Rapporten noteras."]),
)
TITLES = [t for t, _, _ in ITEMS]
HEAD = "Samordningsförbundet Sunnerbo\nProtokoll styrelsen\nDatum: 2024-03-14\n"


def seg(text: str, blocks: tuple[Block, ...] = ()) -> Document:
    return segment(clean([Page(1, text, blocks)]), doc_id="d", source="s.txt")


def decisions(d: Document) -> list[list[str]]:
    return [[c.rstrip(".") for c in it.decisions] for it in d.items]


def expected_decisions() -> list[list[str]]:
    return [[c.rstrip(".") for c in clauses] for _, _, clauses in ITEMS]


def html_doc(html: str) -> Document:
    pages = html_layout(f'<!doctype html><html lang="sv"><body><main>{html}</main></body></html>')
    return segment(clean(pages), doc_id="d", source="p.html")


def _li(title: str, body: str, clauses: list[str], tag: str, value: str = "") -> str:
    decision = (
        f"<p><strong>Beslut:</strong> {clauses[0]}</p>"
        if len(clauses) == 1
        else "<p><strong>Beslut</strong></p><ul>"
        + "".join(f"<li>{c}</li>" for c in clauses)
        + "</ul>"
    )
    return f"<li{value}>\n  <{tag}>{title}</{tag}><p>{body}</p>{decision}</li>"


HTML_HEAD = (
    "<h1>Protokoll från styrelsens sammanträde</h1><p>Samordningsförbundet Sunnerbo</p>"
    "<p>Datum: 2024-03-14</p>"
)


# --- agenda points numbered only by an <ol> ----------------------------------------------


@pytest.mark.parametrize(
    ("start", "tag", "values"),
    [(1, "h3", False), (5, "h2", False), (12, "h4", False), (3, "h3", True)],
)
def test_agenda_points_numbered_by_an_ordered_list(start: int, tag: str, values: bool) -> None:
    lis = "".join(
        _li(t, b, c, tag, f' value="{start + k}"' if values else "")
        for k, (t, b, c) in enumerate(ITEMS)
    )
    ol = f'<ol start="{start}">' if start != 1 and not values else "<ol>"
    d = html_doc(f"{HTML_HEAD}{ol}{lis}</ol>")
    assert [(it.number, it.kind, it.title) for it in d.items] == [
        (start + k, PUNKT, t) for k, t in enumerate(TITLES)
    ]
    assert decisions(d) == expected_decisions()


def test_a_list_of_clauses_or_a_list_with_an_unheaded_item_is_not_numbered() -> None:
    clauses = "<ol><li>att fastställa budgeten</li><li>att anta planen</li></ol>"
    assert "1. att" not in html_layout(f"<body>{clauses}</body>")[0].text
    mixed = "<ol><li><h3>Budget 2025</h3><p>x</p></li><li><p>Inget</p></li></ol>"
    text = html_layout(f"<body>{mixed}</body>")[0].text
    assert "1. Budget 2025" not in text and "Budget 2025" in text


def test_headings_that_carry_their_own_label_get_no_number() -> None:
    lis = "".join(
        f"<li><h3>§ {20 + k} {t}</h3><p>{b}</p></li>" for k, (t, b, _) in enumerate(ITEMS)
    )
    text = html_layout(f"<body><ol>{lis}</ol></body>")[0].text
    assert "§ 20 Val av justerare" in text and "1. §" not in text


# --- a <dt>/<dd> pair is one labelled line -------------------------------------------------


@pytest.mark.parametrize("term", ["Datum", "Datum:", "Sammanträdesdatum"])
def test_a_description_term_and_its_value_are_one_line(term: str) -> None:
    dl = (
        f"<dl><dt>{term}</dt>\n<dd>14 mars 2024</dd><dt>Ordförande</dt><dd>Nils Ekstrand</dd>"
        "<dt>Sekreterare</dt><dd>Carina Hedberg</dd></dl>"
    )
    lis = "".join(_li(t, b, c, "h3") for t, b, c in ITEMS)
    d = html_doc(f"<p>Samordningsförbundet Sunnerbo</p><h1>Protokoll</h1>{dl}<ol>{lis}</ol>")
    assert f"{term.rstrip(':')}: 14 mars 2024" in d.text
    assert d.meeting.date == "2024-03-14"
    assert d.meeting.chair == "Nils Ekstrand"
    assert d.meeting.secretary == "Carina Hedberg"


def test_a_description_of_blocks_stays_under_its_term() -> None:
    """<dt>§ N Title</dt><dd><p>…</p></dd>: an item as a definition, not a labelled value."""
    dl = "".join(
        f"<dt>§ {k + 1} {t}</dt><dd><p>{b}</p><p>Beslut: {c[0]}</p></dd>"
        for k, (t, b, c) in enumerate(ITEMS)
    )
    d = html_doc(f"{HTML_HEAD}<dl>{dl}</dl>")
    assert [it.title for it in d.items] == TITLES


# --- the title above its label rows --------------------------------------------------------


@pytest.mark.parametrize("label", ["Paragraf § {n}", "§ {n}", "Paragraf {n}", "Paragraf | § {n}"])
@pytest.mark.parametrize("dnr", ["Diarienummer SF 2025/{n}", "Dnr 2025/{n}", ""])
@pytest.mark.parametrize("part", ["Sammanfattning av ärendet", "Ärendebeskrivning", "Beslut"])
def test_a_title_set_above_its_label_rows(label: str, dnr: str, part: str) -> None:
    parts = [HEAD]
    for k, (title, body, clauses) in enumerate(ITEMS):
        n = 12 + k
        parts += [title, label.format(n=n)] + ([dnr.format(n=n)] if dnr else [])
        if part != "Beslut":
            parts += [part, body]
        parts += ["Beslut", *clauses]
    d = seg("\n".join(parts))
    assert [(it.number, it.title) for it in d.items] == [(12 + k, t) for k, t in enumerate(TITLES)]
    assert decisions(d) == expected_decisions()
    assert not any(label.format(n=12).split()[-1] in it.title for it in d.items)


@pytest.mark.parametrize("label", ["§ {n}", "§ {n}\tDnr 2025/{n}"])
def test_a_title_under_its_label_stays_the_title(label: str) -> None:
    """The ordinary layouts: a label with the title below it, a heading above it all."""
    parts = [HEAD, "Beslutsärenden"]
    for k, (title, body, clauses) in enumerate(ITEMS):
        parts += [label.format(n=12 + k), title, body, "Beslut", *clauses]
    d = seg("\n".join(parts))
    assert [(it.number, it.title) for it in d.items] == [(12 + k, t) for k, t in enumerate(TITLES)]


# --- a label with its year -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "kind"),
    [
        ("Ärende {n}/2025\n{title}", ARENDE),
        ("Ärende {n}/2025 {title}", ARENDE),
        ("ÄRENDE {n}/2024 – {title}", ARENDE),
        ("Punkt {n}/2025 {title}", PUNKT),
    ],
)
def test_a_label_numbered_over_the_year(form: str, kind: str) -> None:
    parts = [HEAD]
    for k, (title, body, clauses) in enumerate(ITEMS):
        parts += [form.format(n=14 + k, title=title), body, "Beslut", *clauses]
    d = seg("\n".join(parts))
    assert [(it.number, it.kind, it.title) for it in d.items] == [
        (14 + k, kind, t) for k, t in enumerate(TITLES)
    ]


# --- an e-signature verification page after the last item ----------------------------------

VERIFICATION = (
    "Verifikat\nTransaktion 09222115557548329110\nDokument\nProtokoll styrelsen 2024-03-14\n"
    "Huvuddokument\n3 sidor\nStartades 2024-03-15 08:12:44 CET (+0100) av Carina Hedberg (CH)\n"
    "Signerare\nCarina Hedberg (CH)\ncarina.hedberg@sunnerbo.se\n"
    "Signerade 2024-03-15 08:13:10 CET (+0100)\nNils Ekstrand (NE)\n"
    "Signerade 2024-03-16 19:02:51 CET (+0100)\n"
)


@pytest.mark.parametrize(
    "note",
    [
        "Protokollet justeras digitalt.",
        "Protokollet signeras elektroniskt.",
        "Detta protokoll har signerats elektroniskt",
        "",
    ],
)
def test_an_e_signature_page_after_the_last_item_is_no_clause(note: str) -> None:
    parts = [HEAD]
    for k, (title, body, clauses) in enumerate(ITEMS):
        parts += [f"§ {k + 1} {title}", body, "Beslut", *clauses]
    d = seg("\n".join(parts) + (f"\n{note}" if note else "") + "\n\f" + VERIFICATION)
    assert decisions(d) == expected_decisions()
    assert [it.title for it in d.items] == TITLES


def test_a_sentence_about_vouchers_is_no_sign_off() -> None:
    parts = [HEAD, "§ 1 Attest", "Verifikat för utbetalningar granskades.", "Beslut", "Noteras."]
    parts += ["§ 2 Övriga frågor", "Inga."]
    d = seg("\n".join(parts))
    assert "Verifikat för utbetalningar granskades." in d.items[0].body


# --- PDF tables: a label column, participant lists side by side ----------------------------


def _pdf(path: Path, story: list[object]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    SimpleDocTemplate(str(path), pagesize=A4).build(story)  # type: ignore[arg-type]
    return path


def _styles(font: str, size: float) -> tuple[object, object]:
    from reportlab.lib.styles import ParagraphStyle

    bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold"}[font]
    plain = ParagraphStyle("p", fontName=font, fontSize=size, leading=size * 1.25)
    return plain, ParagraphStyle("b", parent=plain, fontName=bold)


LONG_ITEMS = (
    ("Val av justerare", "Till justerare föreslogs Maja Lindqvist.", ["Maja Lindqvist utses."]),
    (
        "Delårsrapport januari–augusti 2024 med prognos",
        "Förbundschefen redovisade delårsrapporten. Resultatet för perioden uppgår till 412 000 "
        "kr och prognosen för helåret är ett underskott.",
        ["att godkänna delårsrapporten", "att överlämna den till medlemmarna"],
    ),
    (
        "Tilläggsäskande – Steg till arbete",
        "Projektägaren har ansökt om ytterligare 450 000 kr för att behålla en "
        "arbetsspecialist under hösten.",
        ["att bevilja 300 000 kr", "att avslå ansökan i övrigt"],
    ),
)


def _label_column_pdf(path: Path, font: str, size: float, widths: tuple[float, float]) -> Path:
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    plain, strong = _styles(font, size)
    story: list[object] = [
        Paragraph("Samordningsförbundet Sunnerbo", strong),
        Paragraph("Protokoll styrelsen 2024-03-14", plain),
        Paragraph("Ordförande: Nils Ekstrand", plain),
        Spacer(1, 12),
    ]
    for k, (title, body, clauses) in enumerate(LONG_ITEMS):
        left = [Paragraph(f"§ {k + 1}", strong), Paragraph(title, strong)]
        right = [Paragraph(body, plain), Paragraph("Beslut", strong)]
        right += [Paragraph(c, plain) for c in clauses]
        table = Table([[left, right]], colWidths=list(widths))
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [table, Spacer(1, 24)]
    story += [Paragraph("Vid protokollet", plain), Paragraph("Carina Hedberg", plain)]
    return _pdf(path, story)


@pytest.mark.parametrize(
    ("font", "size", "widths"),
    [
        ("Helvetica", 10, (100.0, 360.0)),
        ("Helvetica", 11, (112.0, 350.0)),
        ("Helvetica", 9, (120, 330)),
    ],
)
def test_label_and_title_in_the_narrow_left_column(
    tmp_path: Path, font: str, size: float, widths: tuple[float, float]
) -> None:
    pdf = _label_column_pdf(tmp_path / "t.pdf", font, size, widths)
    d = segment(clean(extract(pdf)), doc_id="d", source="t.pdf")
    assert [(it.number, it.title) for it in d.items] == [
        (k + 1, t) for k, (t, _, _) in enumerate(LONG_ITEMS)
    ]
    assert [[c.rstrip(".") for c in it.decisions] for it in d.items] == [
        [c.rstrip(".") for c in cl] for _, _, cl in LONG_ITEMS
    ]


def test_a_case_reference_under_the_label_leaves_the_title_beside_it(tmp_path: Path) -> None:
    """'§ N' over 'Dnr …' in the left column, the title in the right one (zoo01's layout)."""
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    plain, strong = _styles("Helvetica", 10)
    story: list[object] = [Paragraph("Protokoll styrelsen 2024-03-14", plain), Spacer(1, 12)]
    for k, (title, body, clauses) in enumerate(LONG_ITEMS):
        left = [Paragraph(f"§ {k + 1}", strong), Paragraph(f"Dnr 2024/{k + 7}", plain)]
        right = [Paragraph(title, strong), Paragraph(body, plain), Paragraph("Beslut", strong)]
        right += [Paragraph(c, plain) for c in clauses]
        table = Table([[left, right]], colWidths=[80, 380])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [table, Spacer(1, 24)]
    d = segment(clean(extract(_pdf(tmp_path / "t.pdf", story))), doc_id="d", source="t.pdf")
    assert [it.title for it in d.items] == [t for t, _, _ in LONG_ITEMS]


PEOPLE = {
    "Närvarande ledamöter": [
        "Anneli Sjöberg (S), Stenungsunds kommun, ordförande",
        "Gunnar Ek (M), vice ordförande",
        "Tove Lindahl, Region Västra Götaland",
    ],
    "Tjänstgörande ersättare": [
        "Simon Ljung (C) för Hans Bäck (C)",
        "Karolina Strid, Arbetsförmedlingen",
    ],
    "Övriga närvarande": ["Fredrik Ahl, förbundschef, sekreterare", "Nora Åman, utvecklare"],
}


THREE = ("Närvarande ledamöter", "Tjänstgörande ersättare", "Övriga närvarande")


@pytest.mark.parametrize(
    ("font", "size", "columns", "width", "row_each"),
    [
        ("Helvetica", 10, THREE, 150, False),
        ("Times-Roman", 11, THREE, 125, False),
        ("Helvetica", 10, ("Närvarande ledamöter", "Övriga närvarande"), 200, False),
        ("Helvetica", 10, ("Ledamöter", "Ersättare", "Övriga"), 150, True),
        ("Times-Roman", 10, ("Ledamöter", "Övriga deltagare"), 230, True),
    ],
)
def test_participant_lists_side_by_side_in_a_table(
    tmp_path: Path,
    font: str,
    size: float,
    columns: tuple[str, ...],
    width: float,
    row_each: bool,
) -> None:
    """Each list in one cell (a person a paragraph), or a person a row (``row_each``); entries
    that wrap in their cell, and entries that fill their line before the next person's."""
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    plain, strong = _styles(font, size)
    head = [Paragraph(c, strong) for c in columns]
    lists = [PEOPLE[THREE[k] if c not in PEOPLE else c] for k, c in enumerate(columns)]
    if len(columns) == 2:
        lists = [PEOPLE[THREE[0]], PEOPLE[THREE[2]]]
    if row_each:
        depth = max(len(people) for people in lists)
        rows = [
            [Paragraph(people[r], plain) if r < len(people) else "" for people in lists]
            for r in range(depth)
        ]
    else:
        rows = [[[Paragraph(p, plain) for p in people] for people in lists]]
    table = Table([head, *rows], colWidths=[width] * len(columns))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list[object] = [
        Paragraph("Samordningsförbundet Sunnerbo", strong),
        Paragraph("Protokoll styrelsen", strong),
        Paragraph("Sammanträdesdatum: 2024-03-14", plain),
        table,
        Spacer(1, 12),
    ]
    for k, (title, body, clauses) in enumerate(ITEMS):
        story += [Paragraph(f"§ {k + 1} {title}", strong), Paragraph(body, plain)]
        story += [Paragraph("Beslut", strong), *(Paragraph(c, plain) for c in clauses)]
    d = segment(clean(extract(_pdf(tmp_path / "t.pdf", story))), doc_id="d", source="t.pdf")
    assert d.meeting.chair == "Anneli Sjöberg"
    assert d.meeting.secretary == "Fredrik Ahl"
    assert [it.title for it in d.items] == TITLES
    for people in lists:
        for person in people:
            assert person in d.text


# --- a protocol without numbered items: officer lines under its title -----------------------


@pytest.mark.parametrize("officer", ["Justerare: Ali Haidari", "Protokollförare: Cecilia Nord"])
def test_officer_lines_under_the_title_of_a_protocol_of_headings(officer: str) -> None:
    titles = ["Mötets öppnande", "Ekonomisk uppföljning", "Övriga frågor"]
    lines = [
        "Protokoll styrelsemöte Samordningsförbundet Fryksdalen",
        "Datum: 2025-01-28",
        "Närvarande: Ingvar Persson (ordförande), Stina Lax, Ali Haidari",
        "Sekreterare: Cecilia Nord",
        officer,
    ]
    for title in titles:
        lines += [title, "Förbundschefen informerade.", "Beslut: Informationen noteras."]
    heads = (lines[0], *titles)
    d = seg("\n".join(lines), tuple(Block(HEADING, h, level=2) for h in heads))
    assert [it.title for it in d.items] == titles
    assert d.meeting.date == "2025-01-28"
    assert d.meeting.chair == "Ingvar Persson"


# --- names written with letters from outside Swedish ----------------------------------------


@pytest.mark.parametrize(
    ("chair", "secretary", "adjuster"),
    [
        ("Dragan Petrović", "Ayşe Yılmaz", "Ana Kovačević"),
        ("Zoran Đorđević", "Çağla Öztürk", "José Núñez"),
        ("Łukasz Nowak", "Jiří Dvořák", "Anna-Lena Ek"),
    ],
)
def test_officers_named_with_letters_from_outside_swedish(
    chair: str, secretary: str, adjuster: str
) -> None:
    text = (
        f"{HEAD}Ordförande: {chair}\nSekreterare: {secretary}\nJusterare: {adjuster}\n"
        f"Närvarande: {chair}, {adjuster}, Karin Ek\n§ 1 Val av justerare\nBeslut\n"
        f"{adjuster} utses att justera protokollet.\n§ 2 Övriga frågor\nInga.\n"
    )
    m = seg(text).meeting
    assert (m.chair, m.secretary, m.adjusters) == (chair, secretary, (adjuster,))
    assert [p.name for p in m.participants] == [chair, adjuster, "Karin Ek"]


# --- the label column in Word and HTML tables ---------------------------------------------


@pytest.mark.parametrize("below", [[], ["Dnr 2024/{n}"]])
@pytest.mark.parametrize("order", ["title first", "reference first"])
def test_label_and_title_in_the_first_cell_of_a_word_table(
    tmp_path: Path, below: list[str], order: str
) -> None:
    from docx import Document as Docx

    doc = Docx()
    doc.add_paragraph("Samordningsförbundet Sunnerbo")
    doc.add_paragraph("Protokoll styrelsen 2024-03-14")
    for k, (title, body, clauses) in enumerate(LONG_ITEMS):
        table = doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.paragraphs[0].text = f"§ {k + 1}"
        under = [title, *(b.format(n=k + 3) for b in below)]
        for text in under if order == "title first" else under[::-1]:
            left.add_paragraph(text)
        right.paragraphs[0].text = body
        for text in ("Beslut", *clauses):
            right.add_paragraph(text)
    path = tmp_path / "t.docx"
    doc.save(str(path))
    d = segment(clean(extract(path)), doc_id="d", source="t.docx")
    assert [(it.number, it.title) for it in d.items] == [
        (k + 1, t) for k, (t, _, _) in enumerate(LONG_ITEMS)
    ]
    assert [[c.rstrip(".") for c in it.decisions] for it in d.items] == [
        [c.rstrip(".") for c in cl] for _, _, cl in LONG_ITEMS
    ]


def test_label_and_title_in_the_first_cell_of_an_html_table() -> None:
    rows = "".join(
        f"<tr><td><p>§ {k + 1}</p><p><b>{t}</b></p></td><td><p>{b}</p><p><b>Beslut</b></p>"
        + "".join(f"<p>{c}</p>" for c in cl)
        + "</td></tr>"
        for k, (t, b, cl) in enumerate(ITEMS)
    )
    d = html_doc(f"{HTML_HEAD}<table>{rows}</table>")
    assert [(it.number, it.title) for it in d.items] == [(k + 1, t) for k, t in enumerate(TITLES)]
    assert decisions(d) == expected_decisions()


# --- documents listed under "Beslutsunderlag" -----------------------------------------------


@pytest.mark.parametrize("heading", ["Beslutsunderlag", "Handlingar", "Underlag"])
def test_documents_listed_as_the_basis_of_the_last_decision_open_no_attachment(
    heading: str,
) -> None:
    parts = [HEAD]
    for k, (title, body, clauses) in enumerate(ITEMS):
        parts += [f"§ {k + 1} {title}", body, heading, f"Tjänsteskrivelse, {title}"]
        parts += ["Protokoll från arbetsutskottet 2024-02-28", "Beslut", *clauses]
    d = seg("\n".join(parts))
    assert [it.title for it in d.items] == TITLES
    assert decisions(d) == expected_decisions()
    assert d.attachments == ()


def test_a_memo_after_the_last_item_is_still_an_attachment() -> None:
    parts = [HEAD]
    for k, (title, body, clauses) in enumerate(ITEMS):
        parts += [f"§ {k + 1} {title}", body, "Beslut", *clauses]
    memo = "Tjänsteskrivelse\nDatum: 2024-02-20\nÄrende: Budget 2025\nFörbundschefen föreslår …"
    d = seg("\n".join(parts) + "\n\f" + memo)
    assert [it.title for it in d.items if it.attachment is None] == TITLES
    assert len(d.attachments) == 1 and "Budget 2025" in d.attachments[0]


# --- a list of names wrapped inside a name -----------------------------------------------

MEMBERS = ["Gunilla Sandström", "Per-Erik Lundkvist", "Thomas Lindberg", "Sofia Nilsson", "Bo Ek"]


@pytest.mark.parametrize("cut", [1, 2, 3, 4])
@pytest.mark.parametrize("label", ["Närvarande", "Beslutande", "Närvarande ledamöter"])
def test_a_participant_list_wrapped_inside_a_name(cut: int, label: str) -> None:
    """ "…, Thomas" / "Lindberg, Sofia Nilsson": the name's two halves are one entry."""
    listed = ", ".join(MEMBERS)
    words = listed.split(" ")
    at = next(
        k for k, w in enumerate(words) if w.rstrip(",") == MEMBERS[cut].split()[0]
    )  # wrap after the first name of the cut entry
    lines = [f"{label}: " + " ".join(words[: at + 1]), " ".join(words[at + 1 :])]
    text = f"{HEAD}{lines[0]}\n{lines[1]}\nSekreterare: Eva Lind\n§ 1 Övriga frågor\nInga.\n"
    m = seg(text).meeting
    assert [p.name for p in m.participants if p.role == "beslutande"] == MEMBERS
    assert all(p.organisation is None for p in m.participants)


@pytest.mark.parametrize(
    "after", ["Sekreterare: Eva Lind", "Ersättare: Eva Lind", "Justerare: Eva Lind, Bo Ek"]
)
def test_a_list_ending_in_a_lone_word_is_not_joined_with_a_labelled_line(after: str) -> None:
    text = f"{HEAD}Närvarande: Anna Berg, Per Ek, Region\n{after}\n§ 1 Övriga frågor\nInga.\n"
    m = seg(text).meeting
    assert "Eva Lind" not in [p.name for p in m.participants if p.role == "beslutande"]


# --- the national network's English minutes -------------------------------------------------

EN_ITEMS = ("Approval of the agenda", "Operational plan and budget 2025", "Membership fee 2026")


@pytest.mark.parametrize("label", ["Item {n} {title}", "ITEM {n} – {title}", "Item {n}. {title}"])
@pytest.mark.parametrize(
    ("date_line", "iso"),
    [("Date: 8 October 2024, 10.00–15.00", "2024-10-08"), ("Date: 14 May 2025", "2025-05-14")],
)
def test_english_minutes_of_the_national_network(label: str, date_line: str, iso: str) -> None:
    lines = [
        "Nationella Nätverket för Samordningsförbund (NNS)",
        "Minutes of the board meeting",
        date_line,
        "Present: Kerstin Ahlberg (chair), Johan Falk, Malin Sundqvist",
        "Secretary: David Eklund",
        "Verifier: Johan Falk",
    ]
    for k, title in enumerate(EN_ITEMS):
        lines += [label.format(n=4 + k, title=title), "The matter was discussed by the board."]
        lines += ["Decision: The board decides to adopt it."]
    lines += ["Kerstin Ahlberg David Eklund Johan Falk", "Chair Secretary Verifier"]
    d = seg("\n".join(lines))
    assert d.kind == "protokoll"
    assert [(it.number, it.title) for it in d.items] == [(4 + k, t) for k, t in enumerate(EN_ITEMS)]
    m = d.meeting
    assert (m.date, m.chair, m.secretary, m.adjusters) == (
        iso,
        "Kerstin Ahlberg",
        "David Eklund",
        ("Johan Falk",),
    )
    assert m.organ == "styrelse"


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (["Decision: The agenda is approved."], ["The agenda is approved."]),
        (["Decisions: The report is noted."], ["The report is noted."]),
        (
            [
                "Decision: The board decides",
                "• to adopt the plan for 2025",
                "• to adopt the budget",
            ],
            ["to adopt the plan for 2025", "to adopt the budget"],
        ),
        (
            ["Decision", "The board resolved that", "- the fee remains unchanged", "- NNS is told"],
            ["the fee remains unchanged", "NNS is told"],
        ),
        # a decision mentioned in the text is no decision line
        (["The decision of last year stands.", "Decision: Noted."], ["Noted."]),
    ],
)
def test_english_decisions_are_read_as_clauses(decision: list[str], expected: list[str]) -> None:
    """The decisions of English minutes, inline, under a heading and as a lead-in to a list;
    their acts are read by Swedish wordings only (the document is warned as English)."""
    lines = [
        "Nationella Nätverket för Samordningsförbund (NNS)",
        "Minutes of the board meeting",
        "Date: 8 October 2024",
        "Item 4 Operational plan",
        "The matter was discussed by the board.",
        *decision,
        "Item 5 Any other business",
        "None.",
    ]
    d = seg("\n".join(lines))
    assert [c.rstrip(".") for c in d.items[0].decisions] == [c.rstrip(".") for c in expected]


def test_english_month_names_are_read_only_in_dates() -> None:
    from ingest.facts import dated

    assert dated("den 8 oktober 2024 och 8 October 2024") == [
        (4, "2024-10-08"),
        (23, "2024-10-08"),
    ]
    assert dated("Styrelsen may decide in March") == []


@pytest.mark.parametrize(
    "form", ["wrapped title, text at the margin", "part headings in the margin"]
)
def test_a_label_at_a_tab_stop_is_no_label_column(tmp_path: Path, form: str) -> None:
    """ "§ 2 ⇥ a title wrapping at its tab stop", the text below at the margin; or "Beslut" set
    in the margin beside the decision: the title stays the title, the decision the decision."""
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    plain, strong = _styles("Helvetica", 10)
    story: list[object] = [Paragraph("Protokoll styrelsen 2024-03-14", plain), Spacer(1, 12)]
    for k, (title, body, clauses) in enumerate(LONG_ITEMS):
        rows: list[list[object]] = [[Paragraph(f"§ {k + 1}", strong), Paragraph(title, strong)]]
        if form == "part headings in the margin":
            rows += [["", Paragraph(body, plain)]]
            rows += [[Paragraph("Beslut", strong), [Paragraph(c, plain) for c in clauses]]]
        table = Table(rows, colWidths=[70, 150 if form.startswith("wrapped") else 390])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
        if form.startswith("wrapped"):
            story += [Paragraph(body, plain), Paragraph("Beslut", strong)]
            story += [Paragraph(c, plain) for c in clauses]
        story.append(Spacer(1, 18))
    d = segment(clean(extract(_pdf(tmp_path / "t.pdf", story))), doc_id="d", source="t.pdf")
    assert [(it.number, it.title) for it in d.items] == [
        (k + 1, t) for k, (t, _, _) in enumerate(LONG_ITEMS)
    ]
    assert [[c.rstrip(".") for c in it.decisions] for it in d.items] == [
        [c.rstrip(".") for c in cl] for _, _, cl in LONG_ITEMS
    ]


# --- a header's text run over its tab stop ------------------------------------------------


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Samordningsförbundet KlarälvenStyrelseprotokoll", "Samordningsförbundet Klarälven"),
        ("Samordningsförbundet Norra SkaraborgProtokoll", "Samordningsförbundet Norra Skaraborg"),
        ("Samordningsförbundet GävleborgKallelse 2024-03-14", "Samordningsförbundet Gävleborg"),
        ("Samordningsförbundet MittSkåne", "Samordningsförbundet MittSkåne"),
        ("Samordningsförbundet VärNa Protokoll", "Samordningsförbundet VärNa"),
    ],
)
def test_a_förbund_glued_to_the_next_header_word(written: str, name: str) -> None:
    from ingest.gazetteer import resolve_forbund

    found = resolve_forbund(f"{written}\nProtokoll styrelsen")
    assert found is not None and found[0] == name


@pytest.mark.parametrize(
    "parts",
    [
        ("Beslut", "Styrelsen beslutar"),
        ("Styrelsens beslut",),
        ("Förslag till beslut", "Beslut"),
        ("Beslutsunderlag", "Tjänsteskrivelse 2025-01-10", "Beslut"),
    ],
)
def test_bold_part_headings_open_no_section_in_a_protocol_of_headings(
    parts: tuple[str, ...],
) -> None:
    titles = ["Mötets öppnande", "Budget 2025", "Övriga frågor"]
    clauses = ["att godkänna budgeten", "att överlämna budgeten till medlemmarna"]
    lines = [
        "Protokoll styrelsemöte Samordningsförbundet Fryksdalen",
        "Datum: 2025-01-28",
        "Sekreterare: Cecilia Nord",
    ]
    for title in titles:
        lines += [title, "Förbundschefen informerade.", *parts, *clauses]
    lines += ["Vid protokollet", "Cecilia Nord"]
    bold = [p for p in parts if not p.startswith("Tjänsteskrivelse")]  # the headings only
    heads = (lines[0], *titles, *bold, "Vid protokollet")
    d = seg("\n".join(lines), tuple(Block(HEADING, h, level=2) for h in heads))
    assert [it.title for it in d.items] == titles
    assert [list(it.decisions) for it in d.items] == [clauses] * 3
