"""Small python-docx helpers for the layout zoo: fonts, fields, tables, numbered lists."""

from __future__ import annotations

from typing import Any

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONTS = ("Calibri", "Arial", "Times New Roman", "Garamond", "Liberation Sans", "DejaVu Serif")


def new_document(font: str, size: float) -> Any:
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    return d


def field(paragraph: Any, instr: str) -> None:
    """A Word field (PAGE, NUMPAGES) that LibreOffice renders as the number."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def page_of(paragraph: Any, style: str) -> None:
    """'Sida x (y)' or 'Sida x av y' with live fields."""
    paragraph.add_run("Sida ")
    field(paragraph, "PAGE")
    paragraph.add_run(" (" if style == "paren" else " av ")
    field(paragraph, "NUMPAGES")
    if style == "paren":
        paragraph.add_run(")")


def bold(paragraph: Any, text: str) -> Any:
    run = paragraph.add_run(text)
    run.bold = True
    return run


def numbered(d: Any, container: Any, texts: list[str]) -> None:
    """A Word auto-numbered list (style List Number) that restarts at 1."""
    style = d.styles["List Number"]
    numbering = d.part.numbering_part.element
    num_id = style.element.pPr.numPr.numId.val
    abstract = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == num_id)
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    for text in texts:
        p = container.add_paragraph(text, style="List Number")
        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId


def bullets(container: Any, texts: list[str]) -> None:
    for text in texts:
        container.add_paragraph(text, style="List Bullet")


def table(container: Any, rows: list[list[str]], *, grid: bool = True, head: bool = False) -> Any:
    cols = max(len(r) for r in rows)
    if hasattr(container, "sections"):  # the document body
        t = container.add_table(rows=len(rows), cols=cols)
    else:  # a header, footer or cell needs a width
        t = container.add_table(len(rows), cols, Cm(16))
    if grid:
        t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = t.cell(r, c)
            cell.text = ""
            lines = text.split("\n")
            p = cell.paragraphs[0]
            for i, line in enumerate(lines):
                run = p.add_run(line)
                run.bold = head and r == 0
                if i < len(lines) - 1:
                    run.add_break(WD_BREAK.LINE)
    return t


def page_break(d: Any) -> None:
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
