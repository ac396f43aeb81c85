"""Layout families of real protocols, each proven on variants written here (never a file).

Every test builds its own small documents — plain text, DOCX with python-docx, HTML strings,
PDF with reportlab — in several wordings and checks what segmentation makes of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.model import CELL, HEADING, LIST_ITEM, PARAGRAF, RUNNING, Document, Page
from ingest.clean import clean
from ingest.extract import extract
from ingest.formats.html import html_layout
from ingest.gazetteer import resolve_forbund
from ingest.segment import segment


def seg(text: str, blocks: tuple = ()) -> Document:
    return segment(clean([Page(1, text, blocks)]), doc_id="d", source="s.txt")


def protocol(labels: list[str], body: str, head: str = "") -> str:
    head = head or "Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde 2022-03-08\n"
    parts = [head]
    for label in labels:
        parts.append(f"{label}\n{body}\n")
    return "\n".join(parts)


@pytest.mark.parametrize("form", ["{n} §", "{n}§", "{n} § –"])
def test_number_before_the_sign_starts_items(form: str) -> None:
    titles = ["Årsredovisning 2023", "Budget 2024", "Övriga frågor"]
    lines = [f"{form.format(n=n)} {t}" for n, t in zip((12, 13, 14), titles, strict=True)]
    d = seg(protocol(lines, "Beslut\nStyrelsen godkänner förslaget."))
    assert [(it.kind, it.number, it.title) for it in d.items] == [
        (PARAGRAF, n, t) for n, t in zip((12, 13, 14), titles, strict=True)
    ]
    assert all(it.decisions == ("Styrelsen godkänner förslaget.",) for it in d.items)


def test_a_law_reference_with_the_number_first_is_no_item() -> None:
    text = protocol(
        ["§ 3 Budget", "§ 4 Övrigt"], "Enligt\n9 § lagen om finansiell samordning gäller detta."
    )
    d = seg(text)
    assert [it.number for it in d.items] == [3, 4]


@pytest.mark.parametrize(
    "ref", ["Dnr 2022/44", "Dnr HBS 2023/067", "Diarienr 2021.12", "Dnr: SF 14-2020"]
)
@pytest.mark.parametrize("sep", [" ", "\t", "   "])
def test_a_case_reference_beside_the_label_is_never_the_title(ref: str, sep: str) -> None:
    text = protocol([], "")
    for n, title in ((63, "Budget 2023 och verksamhetsplan"), (64, "NNS förslag om avgifter")):
        text += f"§ {n}{sep}{ref}\n{title}\nBakgrund text här.\nBeslut\nStyrelsen beslutar enligt förslaget.\n"
    d = seg(text)
    assert [it.title for it in d.items] == [
        "Budget 2023 och verksamhetsplan",
        "NNS förslag om avgifter",
    ]
    assert all(ref.split()[0] in it.body for it in d.items)


@pytest.mark.parametrize("organ", ["Förbundsstyrelsen", "Styrelsen", "Arbetsutskottet"])
def test_organ_decision_headings_repeated_on_every_page_are_not_furniture(organ: str) -> None:
    heading = f"{organ}s beslut"
    pages = []
    for n in range(1, 5):
        pages.append(
            Page(
                n,
                f"Samordningsförbundet Sunnerbo Protokoll 2024-03-21\n\n§ {n} Ärende {n}\n"
                f"Text om ärendet.\n\n{heading}\natt godkänna rapporten,\natt överlämna den.\n",
            )
        )
    d = segment(clean(pages), doc_id="d", source="s.pdf")
    assert [it.decisions for it in d.items] == [
        ("att godkänna rapporten,", "att överlämna den.")
    ] * 4


def test_every_sentence_under_a_decision_heading_is_a_clause() -> None:
    body = (
        "Förbundschefen föreslår avslag.\nFörbundsstyrelsens beslut\n"
        "Ansökan om tilläggsäskande avslås.\nStyrgruppen uppmanas att pröva en omfördelning.\n"
        "Reservation\nAnna Ek (S) reserverar sig."
    )
    d = seg(protocol(["§ 1 Tilläggsäskande", "§ 2 Övrigt"], body))
    assert d.items[0].decisions == (
        "Ansökan om tilläggsäskande avslås.",
        "Styrgruppen uppmanas att pröva en omfördelning.",
    )


@pytest.mark.parametrize(
    "heading", ["Arbetsutskottets förslag till styrelsen", "Presidiets förslag till styrelsen"]
)
def test_a_preparing_bodys_recommendation_is_its_decision(heading: str) -> None:
    body = f"Text.\n{heading}\natt fastställa budget för 2023,\natt ge förbundschefen i uppdrag att följa upp."
    d = seg(protocol(["Ärende 1 Budget", "Ärende 2 Övrigt"], body))
    assert d.items[0].decisions == (
        "att fastställa budget för 2023,",
        "att ge förbundschefen i uppdrag att följa upp.",
    )


def _docx(path: Path, header: str | None, body_head: str) -> Path:
    import docx

    doc = docx.Document()
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    doc.add_paragraph(body_head)
    doc.add_heading("§ 1 Val av justerare", level=2)
    doc.add_paragraph("Beslut: Anna Ek väljs att justera protokollet.")
    doc.add_heading("§ 2 Budget 2022", level=2)
    doc.add_paragraph("Beslut: Budgeten fastställs.")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Ordförande"
    table.cell(0, 1).text = "Sekreterare"
    doc.save(path)
    return path


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Samordningsförbundet Sunnerbo", "Samordningsförbundet Sunnerbo"),
        ("Finsam Sunnerbo", "Samordningsförbundet Sunnerbo"),
        ("Gävleborgs läns samordningsförbund • Protokoll", "Samordningsförbundet Gävleborg"),
        # the name, then what the document is, after a separator
        (
            "Samordningsförbundet Malmö · Protokoll förbundsstyrelsen 2022-03-08 · Sida 1 av 1",
            "Samordningsförbundet Malmö",
        ),
        ("Samordningsförbundet Malmö | Protokoll styrelsen", "Samordningsförbundet Malmö"),
    ],
)
def test_a_förbund_named_only_in_the_word_header_is_found(
    tmp_path: Path, header: str, expected: str
) -> None:
    pages = extract(_docx(tmp_path / "p.docx", header, "Protokoll styrelsemöte 2022-03-08"))
    assert header not in pages[0].text  # evidence, not body
    kinds = {b.kind for b in pages[0].blocks}
    assert {RUNNING, HEADING, CELL} <= kinds
    d = segment(clean(pages), doc_id="d", source="p.docx")
    assert d.meeting.forbund == expected
    assert "sidhuvud" in (d.meeting.forbund_evidence or "")


def test_a_docx_without_a_header_names_no_förbund(tmp_path: Path) -> None:
    pages = extract(_docx(tmp_path / "p.docx", None, "Protokoll styrelsemöte 2022-03-08"))
    d = segment(clean(pages), doc_id="d", source="p.docx")
    assert d.meeting.forbund is None


CHROME = """<!doctype html><html><head><title>Protokoll | {forbund}</title></head><body>
<div class="{cookie}">Vi använder kakor. <button>Godkänn</button></div>
<header class="site-header"><img alt="{forbund}" src="x.svg"><nav><ul><li>Hem</li><li>Protokoll</li></ul></nav></header>
<nav class="breadcrumbs"><a>Start</a> / <a>Styrelsen</a></nav>
<aside class="sidebar"><h2>Fler protokoll</h2><ul><li>Protokoll 2021-03-10</li><li>Protokoll 2021-02-11</li></ul></aside>
<{main}><h1>Protokoll styrelsemöte 20 maj 2021</h1>
<h3>Punkt 1 Mötets öppnande</h3><p>Ordföranden öppnade mötet.</p>
<h3>Punkt 2 Budget</h3><p><strong>Beslut:</strong> Styrelsen fastställer budgeten.</p>
<h3>Punkt 3 Övriga frågor</h3><p>Inga.</p></{main_end}>
<footer class="site-footer"><h2>Kontakt</h2><p>{forbund}, Box 1, Karlstad</p><p>Kakor</p></footer>
</body></html>"""


@pytest.mark.parametrize("main", ["main", "article", 'div role="main"'])
@pytest.mark.parametrize("cookie", ["cookie-banner", "consent", "gdpr-notice"])
def test_web_chrome_is_left_out_and_the_site_names_the_förbund(main: str, cookie: str) -> None:
    forbund = "Samordningsförbundet Klarälven"
    html = CHROME.format(forbund=forbund, cookie=cookie, main=main, main_end=main.split()[0])
    pages = html_layout(html)
    text = pages[0].text
    for chrome in ("kakor", "Hem", "Fler protokoll", "Box 1", "Kontakt", "Start"):
        assert chrome not in text
    assert any(b.kind == RUNNING and forbund in b.text for b in pages[0].blocks)
    assert any(b.kind == HEADING and b.text.startswith("Punkt 2") for b in pages[0].blocks)
    d = segment(clean(pages), doc_id="d", source="p.html")
    assert [it.label for it in d.items] == ["punkt 1", "punkt 2", "punkt 3"]
    assert d.meeting.forbund == forbund
    assert d.items[1].decisions == ("Styrelsen fastställer budgeten.",)


def test_pdf_pages_carry_cells_and_headings(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "t.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 780, "Protokoll styrelsen")
    c.setFont("Helvetica", 10)
    for row, (a, b) in enumerate((("Sekreterare", "Ordförande"), ("Eva Lind", "Malin Öhrn"))):
        c.drawString(72, 740 - 14 * row, a)
        c.drawString(300, 740 - 14 * row, b)
    c.drawString(72, 700, "Vanlig text i ett stycke som löper på.")
    c.save()
    page = extract(path)[0]
    heading = [b for b in page.blocks if b.kind == HEADING]
    assert [b.text for b in heading] == ["Protokoll styrelsen"] and heading[0].bold
    cells = [(b.text, b.col) for b in page.blocks if b.kind == CELL]
    assert cells == [("Sekreterare", 0), ("Ordförande", 1), ("Eva Lind", 0), ("Malin Öhrn", 1)]
    assert LIST_ITEM not in {b.kind for b in page.blocks}


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Gävleborgs läns samordningsförbund", "Samordningsförbundet Gävleborg"),
        ("Samordningsförbundet i Gävleborgs län", "Samordningsförbundet Gävleborg"),
        ("Samordningsförbundet Jämtlands län", "Samordningsförbundet i Jämtlands län"),
        ("Finsam Sunnerbo", "Samordningsförbundet Sunnerbo"),
        ("Sunnerbo samordningsförbund", "Samordningsförbundet Sunnerbo"),
    ],
)
def test_förbund_as_they_write_themselves(written: str, canonical: str) -> None:
    found = resolve_forbund(f"{written}\nProtokoll")
    assert found is not None and found[0] == canonical


def _table_docx(path: Path, label_form: str, with_dnr: bool) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Samordningsförbundet Göteborg")
    doc.add_paragraph("Protokoll styrelsen 2023-11-16")
    rows = (
        (47, "Delårsrapport januari–augusti 2023", ["Styrelsen godkänner delårsrapporten."]),
        (48, "Verksamhetsplan och budget 2024", ["Budgeten fastställs.", "Planen antas."]),
    )
    for n, title, clauses in rows:
        table = doc.add_table(rows=1, cols=2)
        left, right = table.cell(0, 0), table.cell(0, 1)
        left.text = label_form.format(n=n)
        if with_dnr:
            left.add_paragraph(f"Dnr 2023/{n}")
        right.text = title
        right.add_paragraph("Förbundschefen föredrar ärendet.")
        right.add_paragraph("Styrelsens beslut")
        for clause in clauses:
            right.add_paragraph(clause)
    doc.save(path)
    return path


def _decision_column_docx(path: Path, decision_column: str) -> Path:
    """One table, its first row naming the columns: the item (label, title, body) | its
    decision."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("Samordningsförbundet Göteborg")
    doc.add_paragraph("Protokoll styrelsen 2023-11-16")
    rows = (
        (47, "Delårsrapport januari–augusti 2023", ["Delårsrapporten godkänns."]),
        (48, "Verksamhetsplan och budget 2024", ["att fastställa budgeten", "att anta planen"]),
    )
    table = doc.add_table(rows=1 + len(rows), cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Ärende", decision_column
    for r, (n, title, clauses) in enumerate(rows, start=1):
        left, right = table.cell(r, 0), table.cell(r, 1)
        left.text = f"§ {n} {title}"
        left.add_paragraph("Förbundschefen föredrar ärendet och svarar på frågor.")
        right.text = clauses[0]
        for clause in clauses[1:]:
            right.add_paragraph(clause)
    doc.save(path)
    return path


@pytest.mark.parametrize("decision_column", ["Beslut", "Styrelsens beslut", "BESLUT"])
def test_items_in_a_table_with_a_decision_column(tmp_path: Path, decision_column: str) -> None:
    pages = extract(_decision_column_docx(tmp_path / "t.docx", decision_column))
    d = segment(clean(pages), doc_id="d", source="t.docx")
    assert [(it.number, it.title) for it in d.items] == [
        (47, "Delårsrapport januari–augusti 2023"),
        (48, "Verksamhetsplan och budget 2024"),
    ]
    assert [it.decisions for it in d.items] == [
        ("Delårsrapporten godkänns.",),
        ("att fastställa budgeten", "att anta planen"),
    ]
    assert all("föredrar" in it.body for it in d.items)


@pytest.mark.parametrize("label_form", ["§ {n}", "{n} §"])
@pytest.mark.parametrize("with_dnr", [True, False])
def test_each_item_as_a_two_column_word_table(
    tmp_path: Path, label_form: str, with_dnr: bool
) -> None:
    pages = extract(_table_docx(tmp_path / "t.docx", label_form, with_dnr))
    d = segment(clean(pages), doc_id="d", source="t.docx")
    assert [(it.number, it.title) for it in d.items] == [
        (47, "Delårsrapport januari–augusti 2023"),
        (48, "Verksamhetsplan och budget 2024"),
    ]
    assert [it.decisions for it in d.items] == [
        ("Styrelsen godkänner delårsrapporten.",),
        ("Budgeten fastställs.", "Planen antas."),
    ]


@pytest.mark.parametrize("label", ["12 §", "§ 12", "12"])
def test_a_pipe_table_of_items_with_a_decision_column(label: str) -> None:
    rows = "\n".join(
        f"| {label.replace('12', str(n))} | {title} | {decision} |"
        for n, title, decision in (
            (12, "Årsredovisning 2021", "Styrelsen godkänner årsredovisningen."),
            (13, "Budget 2022", "Budgeten fastställs."),
            (14, "Övriga frågor", ""),
        )
    )
    text = (
        "Samordningsförbundet Sunnerbo\nProtokoll styrelsen 2022-03-08\n"
        "| Ordförande | Hanna Gustavsson |\n| Sekreterare | Jörgen Alm |\n\n"
        f"| § | Ärende | Beslut |\n|---|---|---|\n{rows}\n"
    )
    d = seg(text)
    assert [(it.label, it.title, it.decisions) for it in d.items] == [
        ("§ 12", "Årsredovisning 2021", ("Styrelsen godkänner årsredovisningen.",)),
        ("§ 13", "Budget 2022", ("Budgeten fastställs.",)),
        ("§ 14", "Övriga frågor", ()),
    ]
    assert (d.meeting.chair, d.meeting.secretary) == ("Hanna Gustavsson", "Jörgen Alm")


@pytest.mark.parametrize(
    "written",
    [
        "6 sept. 2022",
        "6 september 2022",
        "tisdagen den 6 september 2022 kl. 13.00–15.00",
        "den 6:e september 2022",
        # the short numeric forms, day first (ingest.facts.dated)
        "6/9 2022",
        "tisdag 6/9 2022 kl. 13.00",
        "6/9-2022",
        "6/9-22",
        "6.9.2022",
        "06.09.2022",
    ],
)
def test_meeting_dates_in_written_forms(written: str) -> None:
    text = f"Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde {written}\n§ 1 Budget\nBeslut: Budgeten fastställs.\n§ 2 Övrigt\nInga.\n"
    assert seg(text).meeting.date == "2022-09-06"


@pytest.mark.parametrize(
    ("cut", "rest", "expected"),
    [
        ("Samordningsförbundet i", "Västerås", "Samordningsförbundet Västerås"),
        ("Samordningsförbundet", "Göteborg", "Samordningsförbundet Göteborg"),
    ],
)
def test_a_letterhead_name_wrapped_in_its_cell(cut: str, rest: str, expected: str) -> None:
    text = (
        f"{cut} Protokoll 6 december 2021\n{rest}\nSammanträde med styrelsen\n"
        "§ 1 Budget\nNNS föreslår en höjd avgift.\nBeslut\nBudgeten fastställs.\n§ 2 Övrigt\nInga.\n"
    )
    assert seg(text).meeting.forbund == expected


def test_a_members_note_after_the_decision_is_no_clause() -> None:
    body = (
        "Text.\nBeslut\nBudgeten fastställs.\nAnna Ek (S) anmäler en protokollsanteckning.\n"
        "Bo Ek (M) reserverar sig mot beslutet."
    )
    d = seg(protocol(["§ 1 Budget", "§ 2 Övrigt"], body))
    assert d.items[0].decisions == ("Budgeten fastställs.",)


@pytest.mark.parametrize(
    "head",
    [
        "Samordningsförbundet Göteborg SAMMANTRÄDESPROTOKOLL\nBeslutande",
        "Samordningsförbundet Göteborg\nMinnesanteckningar",
        "Minnesanteckningar – medlemssamråd Finsam\nGöteborg",
    ],
)
def test_a_whole_letterhead_name_is_not_read_as_wrapped(head: str) -> None:
    text = f"{head}\nDatum: 2 december 2022\n§ 1 Budget\nBeslut\nBudgeten fastställs.\n§ 2 Övrigt\nInga.\n"
    assert seg(text).meeting.forbund == "Samordningsförbundet Göteborg"


@pytest.mark.parametrize("heading", ["Beslut", "Styrelsens beslut"])
def test_a_reference_and_a_heading_in_one_table_row(heading: str) -> None:
    text = protocol([], "") + (
        f"§ 24 Val av justerare\nDnr 2020/43 {heading}\nStyrelsen utser Anna Ek att justera protokollet.\n"
        f"§ 25 Budget\nDnr 2020/44 {heading}\nBudgeten fastställs.\n"
    )
    d = seg(text)
    assert [it.decisions for it in d.items] == [
        ("Styrelsen utser Anna Ek att justera protokollet.",),
        ("Budgeten fastställs.",),
    ]


def test_decision_sentences_without_full_stops_under_a_heading() -> None:
    body = "Text.\nBeslut\nAnsökan avslås\nStyrgruppen uppmanas att pröva en omfördelning"
    d = seg(protocol(["§ 1 Tilläggsäskande", "§ 2 Övrigt"], body))
    assert d.items[0].decisions == (
        "Ansökan avslås",
        "Styrgruppen uppmanas att pröva en omfördelning",
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Beslutades att fastställa budgeten för 2022.",
        "Det beslutades att fastställa budgeten för 2022.",
        "Beslöts att fastställa budgeten för 2022.",
        "Styrelsen godkänner budgeten för 2022 och lägger den till handlingarna.",
        "Styrelsen antog förslaget till budget för 2022.",
        "Förbundsstyrelsen ställer sig bakom förslaget till budget för 2022.",
    ],
)
def test_a_decision_written_as_a_sentence_of_the_minutes(sentence: str) -> None:
    """Small förbund write the minutes as prose: the decision is a sentence, no heading."""
    text = (
        "Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde 2022-03-08\n"
        f"§ 1 Budget 2022\nEkonomen redovisade förslaget till budget.\n{sentence}\n"
        "§ 2 Övrigt\nInga övriga frågor togs upp.\n"
    )
    d = seg(text)
    assert [(it.label, it.decisions) for it in d.items] == [("§ 1", (sentence,)), ("§ 2", ())]


def test_a_narrated_sentence_is_no_decision() -> None:
    text = (
        "Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde 2022-03-08\n"
        "§ 1 Information\nFörbundschefen berättade att styrelsen i Kalmar godkände sin budget.\n"
        "§ 2 Övrigt\nInga övriga frågor togs upp.\n"
    )
    assert [it.decisions for it in seg(text).items] == [(), ()]


@pytest.mark.parametrize(
    ("opening", "kind"),
    [
        ("Protokoll från styrelsemöte den 14 november 2024 i Ånge, kl. 13.00–15.00.", "protokoll"),
        ("Protokoll fört vid styrelsens sammanträde den 14 november 2024 i Ånge.", "protokoll"),
        (
            "Minnesanteckningar från medlemssamrådet den 14 november 2024 i Ånge.",
            "minnesanteckningar",
        ),
    ],
)
def test_a_sentence_that_opens_by_naming_the_document_gives_its_kind(
    opening: str, kind: str
) -> None:
    """A small förbund's prose minutes with numbered points and no title line."""
    text = (
        f"Samordningsförbundet Ånge\n{opening}\n"
        "1. Mötets öppnande. Ordföranden hälsade alla välkomna.\n"
        "2. Budget 2025. Styrelsen fastställde budgeten.\n"
        "3. Övrigt. Inga övriga frågor.\n"
    )
    assert seg(text).kind == kind


def test_a_prose_point_whose_first_paragraph_runs_long_is_an_item() -> None:
    """Prose minutes: "4. Title. Body …" in one paragraph, however long it runs."""
    long_body = (
        "Ekonomen presenterade utfallet för perioden. Förbundet har förbrukat 46 procent av "
        "budgeten och prognosen pekar mot ett överskott om 310 000 kr vid årets slut, vilket "
        "styrelsen diskuterade utförligt med hänsyn till insatsernas planerade start."
    )
    text = (
        "Samordningsförbundet Ånge\nProtokoll styrelsen 2024-11-14\n"
        "1. Mötets öppnande. Ordföranden hälsade alla välkomna.\n"
        f"2. Ekonomisk uppföljning januari–juni 2024. {long_body}\n"
        "Styrelsen beslöt att godkänna uppföljningen.\n"
        "3. Övriga frågor. Inga övriga frågor.\n"
        "4. Mötets avslutande. Ordföranden avslutade mötet.\n"
    )
    d = seg(text)
    assert [(it.label, it.title) for it in d.items] == [
        ("punkt 1", "Mötets öppnande"),
        ("punkt 2", "Ekonomisk uppföljning januari–juni 2024"),
        ("punkt 3", "Övriga frågor"),
        ("punkt 4", "Mötets avslutande"),
    ]
    assert d.items[1].decisions == ("Styrelsen beslöt att godkänna uppföljningen.",)


def test_a_long_numbered_paragraph_inside_an_item_stays_in_it() -> None:
    """A numbered list in a § item's body: its long paragraphs are no items of their own."""
    para = (
        "Förbundet ska under året utveckla samverkan med kommunerna och regionen så att fler "
        "deltagare når arbete eller studier, och uppföljningen ska redovisas varje tertial."
    )
    text = (
        "Samordningsförbundet Ånge\nProtokoll styrelsen 2024-11-14\n"
        f"§ 1 Verksamhetsplan 2025\nPlanen har tre mål.\n1. Samverkan. {para}\n2. Uppföljning. {para}\n"
        "Beslut\nVerksamhetsplanen fastställs.\n§ 2 Övriga frågor\nInga.\n"
    )
    assert [it.label for it in seg(text).items] == ["§ 1", "§ 2"]


BARE_ITEMS = (
    ("Mötets öppnande", "Ordföranden öppnade mötet.", ""),
    ("Val av justerare", "Till justerare föreslogs Maja Olander.", "Maja Olander utses."),
    ("Budget 2025", "Förbundschefen redogjorde för förslaget.", "Budgeten fastställs."),
    ("Internkontrollplan 2025", "Planen har tagits fram av kansliet.", "Planen fastställs."),
    ("Mötets avslutande", "Ordföranden avslutade mötet.", ""),
)


def test_items_numbered_by_a_bare_number_in_a_protocol() -> None:
    """Word's outline numbering in a PDF: "1<tab>Mötets öppnande", no dot, no §."""
    body = "".join(
        f"{n}\t{title}\n{text}\n" + (f"Beslut\n{decision}\n" if decision else "")
        for n, (title, text, decision) in enumerate(BARE_ITEMS, start=1)
    )
    d = seg("Protokoll\nSamordningsförbundet Halland\nDatum: 2024-12-05\n" + body)
    assert [(it.label, it.title) for it in d.items] == [
        (f"punkt {n}", title) for n, (title, _, _) in enumerate(BARE_ITEMS, start=1)
    ]
    assert d.items[2].decisions == ("Budgeten fastställs.",)
    assert d.meeting.date == "2024-12-05"


def test_a_bare_numbered_list_inside_a_paragraph_item_stays_in_it() -> None:
    listed = "".join(f"{n} {title}\n" for n, (title, _, _) in enumerate(BARE_ITEMS, start=1))
    text = (
        "Protokoll\nSamordningsförbundet Halland\nDatum: 2024-12-05\n"
        f"§ 1 Dagordning\nDagordningen hade dessa punkter:\n{listed}Beslut\nDagordningen godkänns.\n"
        "§ 2 Övriga frågor\nInga.\n"
    )
    assert [it.label for it in seg(text).items] == ["§ 1", "§ 2"]


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI"]


@pytest.mark.parametrize("form", ["{r}. {t}", "{r}) {t}", "Punkt {r}. {t}", "Punkt {r} {t}"])
@pytest.mark.parametrize("first", [1, 3, 8])
def test_items_numbered_in_roman_numerals(form: str, first: int) -> None:
    titles = ["Mötets öppnande", "Val av justerare", "Budget 2025", "Övriga frågor"]
    numbers = range(first, first + len(titles))
    lines = [form.format(r=ROMAN[n - 1], t=t) for n, t in zip(numbers, titles, strict=True)]
    d = seg(protocol(lines, "Förbundschefen föredrog.\nBeslut\nStyrelsen godkänner förslaget."))
    assert [(it.label, it.title) for it in d.items] == [
        (f"punkt {n}", t) for n, t in zip(numbers, titles, strict=True)
    ]
    assert all(it.decisions == ("Styrelsen godkänner förslaget.",) for it in d.items)


def test_initials_in_an_attendance_list_are_no_roman_items() -> None:
    head = (
        "Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde 2022-03-08\n"
        "Närvarande:\nI. Berg, ordförande\nV. Ström\nX. Lind\n"
    )
    d = seg(protocol(["§ 4 Budget 2025", "§ 5 Övriga frågor"], "Beslut\nNoteras.", head=head))
    assert [it.label for it in d.items] == ["§ 4", "§ 5"]


@pytest.mark.parametrize("label", ["§ {n}", "Ks § {n}", "SF § {n}"])
@pytest.mark.parametrize("gap", [" ", "\t", "    "])
def test_a_label_set_at_the_right_margin_after_the_title(label: str, gap: str) -> None:
    titles = ["Val av justerare", "Godkännande av dagordning", "Budget 2025", "Övriga frågor"]
    lines = [f"{t}{gap}{label.format(n=n)}\nDnr 2024/{n}" for n, t in enumerate(titles, start=52)]
    d = seg(protocol(lines, "Förbundschefen föredrog.\nStyrelsens beslut\nFörslaget godkänns."))
    assert [(it.label, it.title) for it in d.items] == [
        (f"§ {n}", t) for n, t in enumerate(titles, start=52)
    ]
    assert all(it.decisions == ("Förslaget godkänns.",) for it in d.items)


def test_a_sentence_citing_a_paragraph_at_its_end_is_no_item() -> None:
    body = (
        "Styrelsen hänvisar till beslutet enligt § 12\nsom fattades i våras.\n"
        "Frågan behandlades tidigare i § 13\noch i arbetsutskottet i § 14\n"
    )
    d = seg(protocol(["§ 20 Budget 2025", "§ 21 Övriga frågor"], body + "Beslut\nNoteras."))
    assert [it.label for it in d.items] == ["§ 20", "§ 21"]


@pytest.mark.parametrize(
    "group",
    [
        "Beslutsärenden",
        "Informationsärenden",
        "B. Informationsärenden",
        "Anmälningsärenden:",
        "Ärenden för information",
        "Dag 2 – onsdag 5 mars, kl. 08.30–12.00",
        "Dag 2",
        "Torsdagen den 6 mars 2025, kl. 9.00",
    ],
)
def test_a_heading_grouping_items_is_no_clause_of_the_item_before(group: str) -> None:
    items = (
        "§ 4 Budget 2025\nBeslut\nStyrelsen beslutar\natt fastställa budgeten\n"
        "att överlämna budgeten till medlemmarna\n"
        f"{group}\n"
        "§ 5 Information från medlemmarna\nFörsäkringskassan informerade.\nBeslut\n"
        "Informationen noteras.\n"
    )
    d = seg(protocol([], "") + items)
    assert [it.label for it in d.items] == ["§ 4", "§ 5"]
    assert d.items[0].decisions == (
        "att fastställa budgeten",
        "att överlämna budgeten till medlemmarna",
    )
    assert d.items[1].decisions == ("Informationen noteras.",)


@pytest.mark.parametrize("note", ["§ 47 (forts.)", "§ 47 forts.", "Forts. § 47", "forts."])
def test_a_note_that_the_item_goes_on_from_the_page_before_is_furniture(note: str) -> None:
    text = (
        "Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde 2022-03-08\n"
        "§ 47 Budget 2025\nFörbundschefen föredrog budgeten.\nBeslut\n\f"
        f"{note}\nStyrelsen beslutar\natt fastställa budgeten\n"
        "§ 48 Övriga frågor\nInga övriga frågor.\n"
    )
    d = seg(text)
    assert [it.label for it in d.items] == ["§ 47", "§ 48"]
    assert d.items[0].decisions == ("att fastställa budgeten",)
    assert "forts" not in d.items[0].body.lower()


@pytest.mark.parametrize("last", ["Mötets avslutande", "Övriga frågor", "Nästa sammanträde"])
@pytest.mark.parametrize("place_date", ["Malung 2024-09-26", "Umeå den 5 mars 2025"])
def test_a_place_date_and_signatures_after_the_last_item_are_the_sign_off(
    last: str, place_date: str
) -> None:
    text = (
        "Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde 2024-09-19\n"
        "§ 24 Budget 2025\nBeslut\nBudgeten fastställs.\n"
        f"§ 25 {last}\nOrdföranden tackade deltagarna och avslutade sammanträdet.\n\n"
        f"{place_date}\n\nGunnel Eriksson Anders Wiklund Sofia Nilsson\n"
        "Ordförande Sekreterare Justerare\n"
    )
    d = seg(text)
    assert [it.label for it in d.items] == ["§ 24", "§ 25"]
    assert "Gunnel" not in d.items[-1].body


def test_a_letter_dated_by_place_after_the_items_stays_an_attachment() -> None:
    text = (
        "Samordningsförbundet Sunnerbo\nProtokoll\nStyrelsens sammanträde 2024-09-19\n"
        "§ 24 Budget 2025\nBeslut\nBudgeten fastställs.\n§ 25 Mötets avslutande\n"
        "Ordföranden avslutade sammanträdet.\n\f"
        "Stockholm 2024-08-30\nTill samordningsförbundens styrelser\n"
        "Nationella nätverket för samordningsförbund föreslår en höjd serviceavgift.\n"
    )
    d = seg(text)
    assert [it.label for it in d.items][:2] == ["§ 24", "§ 25"]
    assert any("serviceavgift" in it.body for it in d.items[2:]) or any(
        "serviceavgift" in it.body for it in d.items
    )


@pytest.mark.parametrize("word", ["PARAGRAF", "PUNKT", "ÄRENDE"])
@pytest.mark.parametrize("alone", [True, False])
def test_label_words_in_capitals(word: str, alone: bool) -> None:
    titles = ["Val av justerare", "Budget 2025", "Övriga frågor"]
    sep = "\n" if alone else " "
    lines = [f"{word} {n}{sep}{t}" for n, t in enumerate(titles, start=14)]
    d = seg(protocol(lines, "Förbundschefen föredrog.\nBeslut\nFörslaget godkänns."))
    assert [(it.number, it.title) for it in d.items] == list(enumerate(titles, start=14))
    assert all(it.decisions == ("Förslaget godkänns.",) for it in d.items)


@pytest.mark.parametrize("form", ["{t} § {n}", "{t} (§ {n})", "{T} (§ {n})", "{T} § {n}"])
def test_the_label_after_the_title_on_its_line(form: str) -> None:
    titles = ["Val av justerare", "Verksamhetsplan och budget 2025", "Anmälan av delegationsbeslut"]
    lines = [form.format(t=t, T=t.upper(), n=n) for n, t in enumerate(titles, start=14)]
    d = seg(protocol(lines, "Ärendet föredrogs.\nBeslut\nFörslaget godkänns."))
    assert [it.label for it in d.items] == ["§ 14", "§ 15", "§ 16"]
    assert [it.title.lower() for it in d.items] == [t.lower() for t in titles]
    assert all(it.decisions == ("Förslaget godkänns.",) for it in d.items)


DECIDED_LINES = [
    ("Val av justerare", "Anna Ek utses att jämte ordföranden justera protokollet."),
    ("Budget 2025", "Styrelsen fastställer budgeten för 2025."),
    ("NNS förslag om serviceavgift", "Styrelsen tillstyrker NNS förslag."),
    ("Anmälan av delegationsbeslut", "Anmälan läggs till handlingarna."),
]


@pytest.mark.parametrize("dash", ["–", "—"])
def test_a_decisions_only_protocol_of_title_dash_decision_lines(dash: str) -> None:
    lines = [f"{n}. {t} {dash} {dec}" for n, (t, dec) in enumerate(DECIDED_LINES, start=1)]
    d = seg(
        "Samordningsförbundet Sunnerbo\nBeslutsprotokoll\nStyrelsen 2024-05-22\n" + "\n".join(lines)
    )
    assert [it.title for it in d.items] == [t for t, _ in DECIDED_LINES]
    assert [it.decisions for it in d.items] == [(dec,) for _, dec in DECIDED_LINES]


def test_a_dash_in_a_title_without_a_decision_stays_in_the_title() -> None:
    text = protocol(
        ["§ 4 Ansökan om medel – Vägen vidare", "§ 5 Information – Försäkringskassan"],
        "Förbundschefen föredrog.\nBeslut\nInformationen noteras.",
    )
    d = seg(text)
    assert [it.title for it in d.items] == [
        "Ansökan om medel – Vägen vidare",
        "Information – Försäkringskassan",
    ]


@pytest.mark.parametrize(
    "rows",
    [
        "Ingrid Svahn Oskar Lindblad Amira Hassan\nOrdförande Sekreterare Justerare",
        "Ingrid Svahn Amira Hassan\nOrdförande Justerare",
    ],
)
@pytest.mark.parametrize("last", ["Mötets avslutande", "Budget 2025"])
def test_a_row_of_names_over_roles_after_the_last_item_is_the_sign_off(
    rows: str, last: str
) -> None:
    text = protocol(["§ 3 Val av justerare"], "Beslut\nAmira Hassan utses att justera.")
    text += f"§ 4 {last}\nOrdföranden avslutade mötet.\n{rows}\n"
    d = seg(text)
    assert [it.label for it in d.items] == ["§ 3", "§ 4"]
    assert d.items[-1].decisions == ()
    assert "Ingrid" not in d.items[-1].body


@pytest.mark.parametrize(
    "sentence",
    [
        "Styrelsen uppdrar åt ordföranden att rekrytera en ny förbundschef.",
        "Förbundsstyrelsen anställer Maria Lind som förbundschef från den 1 maj.",
        "Arbetsutskottet avsätter 120 000 kr till insatsen.",
        "Styrelsen utser Anna Ek till ombud vid NNS årsmöte.",
        "Styrelsen bifaller ansökan.",
        "Styrelsen förlänger förbundschefens förordnande till 2026.",
    ],
)
def test_an_organ_deciding_in_a_sentence_without_a_heading(sentence: str) -> None:
    text = protocol(["§ 6 Förbundschef och ombud"], f"Förbundschefen föredrog ärendet.\n{sentence}")
    d = seg(text)
    assert d.items[0].decisions == (sentence,)
