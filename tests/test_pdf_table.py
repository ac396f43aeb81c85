"""A PDF table of items whose header row names the columns by an item's parts ("§ | Ärende |
Beslut", "Ärende | Beslut"): read cell by cell (``ingest.formats.pdf_table``).

The PDFs are drawn by reportlab's table layout, which wraps each cell's paragraphs at its
column's width as a word processor does; the variants differ in fonts, sizes, column names,
column widths and where the page breaks, so the rule is tried on the family, not one file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.extract import extract
from ingest.formats.pdf_rows import Line
from ingest.formats.pdf_table import order_table_pages
from ingest.segment import segment

ITEMS: tuple[tuple[int, str, str, list[str]], ...] = (
    (1, "Mötets öppnande", "Ordföranden hälsade alla välkomna och förklarade mötet öppnat.", []),
    (
        2,
        "Val av justerare",
        "Till justerare föreslogs Jesper Fagerlund.",
        ["Jesper Fagerlund utses att jämte ordföranden justera protokollet."],
    ),
    (
        3,
        "Ekonomisk uppföljning januari–juni 2024 för förbundets samtliga insatser",
        "Ekonomen presenterade utfallet för perioden. Förbundet har förbrukat 46 procent av "
        "budgeten och prognosen pekar mot ett överskott om 310 000 kr vid årets slut.",
        [
            "Styrelsen beslutar",
            "att godkänna den ekonomiska uppföljningen för perioden",
            "att lägga rapporten till handlingarna",
        ],
    ),
    (
        4,
        "Ansökan om medel – Vägen vidare",
        "Kommunen och Arbetsförmedlingen har gemensamt ansökt om 980 000 kr för att fortsätta "
        "insatsen Vägen vidare under 2025. Insatsen riktar sig till personer med långvarigt "
        "försörjningsstöd och har pågått sedan 2022 med goda resultat enligt utvärderingen.",
        [
            "Styrelsen beslutar",
            "att bevilja Vägen vidare 980 000 kr för 2025",
            "att insatsen ska delrapporteras till styrelsen i september 2025",
        ],
    ),
    (
        5,
        "Attestordning 2025",
        "Förslag till attestordning har tagits fram av förbundschefen.",
        ["Styrelsen beslutar att anta attestordning för 2025 enligt bilaga 1."],
    ),
    (6, "Övriga frågor", "Inga övriga frågor anmäldes.", ["Noteras."]),
)


def _table_pdf(
    path: Path,
    *,
    font: str,
    size: float,
    label_column: bool,
    decision_name: str,
    widths: tuple[float, ...],
    body_repeat: int = 1,
) -> Path:
    """A protocol whose items are the rows of one table: (§ |) Ärende | <decision_name>."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold"}[font]
    plain = ParagraphStyle("p", fontName=font, fontSize=size, leading=size * 1.2)
    strong = ParagraphStyle("b", parent=plain, fontName=bold)
    story = [
        Paragraph("Samordningsförbundet Höglandet", plain),
        Paragraph("Protokoll styrelsen 2024-02-14", strong),
        Paragraph("Ordförande: Nils Ekstrand", plain),
        Paragraph("Sekreterare: Carina Hedberg", plain),
        Spacer(1, 12),
    ]
    head = ["§", "Ärende", decision_name] if label_column else ["Ärende", decision_name]
    rows: list[list[object]] = [[Paragraph(h, strong) for h in head]]
    for n, title, body, decision in ITEMS:
        body_text = " ".join([body] * body_repeat)
        first = f"§ {n} {title}" if not label_column else title
        item = [Paragraph(first, strong), Paragraph(body_text, plain)]
        right = [Paragraph(d, plain) for d in decision] or [Paragraph("–", plain)]
        rows.append(([Paragraph(f"§ {n}", plain)] if label_column else []) + [item, right])
    table = Table(rows, colWidths=list(widths), repeatRows=0)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))  # as Word's cells are
    story.append(table)
    story += [Spacer(1, 40), Paragraph("Vid protokollet", plain), Spacer(1, 30)]
    story += [Paragraph("Carina Hedberg", plain), Spacer(1, 20), Paragraph("Justeras", plain)]
    story += [Spacer(1, 30), Paragraph("Nils Ekstrand", plain)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


VARIANTS = {
    "three columns, Helvetica 10": dict(
        font="Helvetica", size=10, label_column=True, decision_name="Beslut", widths=(40, 230, 190)
    ),
    "three columns, Times 11, narrow": dict(
        font="Times-Roman",
        size=11,
        label_column=True,
        decision_name="Styrelsens beslut",
        widths=(45, 170, 150),
    ),
    "two columns, Helvetica 11": dict(
        font="Helvetica", size=11, label_column=False, decision_name="Beslut", widths=(250, 210)
    ),
    "two columns, Times 10, over pages": dict(
        font="Times-Roman",
        size=10,
        label_column=False,
        decision_name="BESLUT",
        widths=(220, 200),
        body_repeat=6,
    ),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_items_of_a_pdf_table_with_a_decision_column(tmp_path: Path, variant: str) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", **VARIANTS[variant])  # type: ignore[arg-type]
    pages = extract(pdf)
    d = segment(clean(pages), doc_id="d", source="t.pdf")
    assert [(it.number, it.title) for it in d.items] == [(n, t) for n, t, _, _ in ITEMS]
    for item, (_, _, body, decision) in zip(d.items, ITEMS, strict=True):
        clauses = [c for c in decision if c != "Styrelsen beslutar"]
        assert [c.rstrip(".") for c in item.decisions] == [c.rstrip(".") for c in clauses]
        assert body.split(".")[0] in " ".join(item.body.split())
    if "over pages" in variant:
        assert len(pages) > 1  # the variant is meant to break the table across pages
    assert "Nils Ekstrand" not in " ".join(it.body for it in d.items)


def _line(x0: float, top: float, text: str, *, width: float = 0.0, bold: bool = False) -> Line:
    """A 10-point line whose top is ``top`` points below y = 800."""
    y1 = 800 - top
    return Line(x0, y1 - 10, x0 + (width or 5.0 * len(text)), y1, text, 10.0, bold)


# A table "Ärende | Beslut" and its first item, § 4, as pdfminer's lines
BUDGET_ROW = (
    _line(70, 0, "Ärende", bold=True),
    _line(300, 0, "Beslut", bold=True),
    _line(70, 12, "§ 4 Budget 2025", bold=True),
    _line(300, 12, "Budgeten fastställs."),
)


def test_a_page_without_a_header_row_naming_a_part_is_read_as_usual() -> None:
    page = [
        _line(70, 0, "Handlingar"),
        _line(250, 0, "Bilaga 1"),
        _line(70, 12, "§ 4 Budget", bold=True),
        _line(70, 24, "Beslut", bold=True),
        _line(70, 36, "Budgeten fastställs."),
    ]
    assert order_table_pages([page]) == [None]


def test_rows_after_the_table_and_a_gap_are_not_the_last_items() -> None:
    page = [
        *BUDGET_ROW,
        _line(70, 24, "Förbundschefen föredrog."),
        _line(70, 60, "Ordförande"),
        _line(300, 60, "Justerare"),
    ]
    (text,) = order_table_pages([page])
    assert text is not None
    assert text[:4] == [
        "§ 4 Budget 2025",
        "Förbundschefen föredrog.",
        "Beslut",
        "Budgeten fastställs.",
    ]
    assert text[-1] == "Ordförande Justerare"


def test_a_line_across_the_columns_ends_the_table() -> None:
    page = [
        _line(70, 0, "§", bold=True),
        _line(110, 0, "Ärende", bold=True),
        _line(330, 0, "Beslut", bold=True),
        _line(70, 12, "§ 4"),
        _line(110, 12, "Budget 2025", bold=True),
        _line(330, 12, "–"),
        _line(70, 24, "Vid protokollet, och med en rad som går tvärs över tabellens kolumner."),
    ]
    (text,) = order_table_pages([page])
    assert text == [
        "§ 4 Budget 2025",
        "",
        "Vid protokollet, och med en rad som går tvärs över tabellens kolumner.",
    ]


def test_an_item_cut_by_the_page_break_keeps_its_decision_for_the_page_it_ends_on() -> None:
    first = [
        *BUDGET_ROW,
        _line(70, 24, "Förbundschefen föredrog"),
    ]
    second = [
        _line(70, 0, "Samordningsförbundet Höglandet – protokoll 2024-02-14 – sida 2 av 2"),
        _line(70, 14, "budgeten."),
        _line(70, 26, "§ 5 Övriga frågor", bold=True),
        _line(300, 26, "Noteras."),
    ]
    one, two = order_table_pages([first, second])
    assert one == ["§ 4 Budget 2025", "Förbundschefen föredrog", ""]
    assert two is not None
    assert two[1:] == [
        "budgeten.",
        "Beslut",
        "Budgeten fastställs.",
        "",
        "§ 5 Övriga frågor",
        "Beslut",
        "Noteras.",
        "",
    ]


def test_signatures_set_in_the_table_columns_on_the_next_page_are_no_item() -> None:
    """A table that ends at a page's foot, then a table of signatures in the same columns:
    names over role words, or rules to sign on, are no part of the last item."""
    first = [
        *BUDGET_ROW,
    ]
    names = [_line(70, 0, "Nils Ekstrand"), _line(300, 0, "Carina Hedberg")]
    roles = [_line(70, 12, "Ordförande"), _line(300, 12, "Justerare")]
    for second in (names + roles, [_line(70, 0, "________"), _line(300, 0, "________")] + roles):
        one, two = order_table_pages([first, second])
        assert one == ["§ 4 Budget 2025", "Beslut", "Budgeten fastställs.", ""]
        assert two is None  # the second page is read as usual


def test_a_rule_row_right_under_the_last_item_ends_the_table_after_it() -> None:
    page = [
        *BUDGET_ROW,
        _line(70, 24, "§ 5 Övriga frågor", bold=True),
        _line(300, 24, "Noteras."),
        _line(70, 36, "________"),
        _line(300, 36, "________"),
    ]
    (text,) = order_table_pages([page])
    assert text is not None
    assert text[4:7] == ["§ 5 Övriga frågor", "Beslut", "Noteras."]
