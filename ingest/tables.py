"""Text tables (markdown/pipe tables, DOCX and HTML rows joined with " | ") read as a protocol.

A row whose first cell is an item label ("| 12 § | Årsredovisning 2021 | Styrelsen godkänner …
|") becomes the label line with its title, then one line per further cell; a cell under a
column headed by a part of an item ("Beslut", "Förslag till beslut", "Handlingar") is written
"Beslut: …", so the decision in a table is a decision. Other rows keep their cells on one
line, as before. ``item_row`` reads a row whose cells hold paragraphs (an HTML or Word table
of one row per item); ``part_row`` a row whose first cell is a part's heading ("Beslut |
Styrelsen beslutar …"). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.model import CELL, Page
from ingest.lines import (
    ARENDE_LABEL,
    BLOCK_LABEL,
    PARAGRAF_AFTER,
    PARAGRAF_LABEL,
    PUNKT_LABEL,
    REFERENCE,
    is_label,
)

_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_NUMBER = re.compile(r"^\d{1,3}\.?$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def pipe_tables(text: str) -> str:
    """``text`` with the label rows of its pipe tables laid out as protocol lines."""
    if "|" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    header: list[str] = []
    for k, line in enumerate(lines):
        s = line.strip()
        if not s.startswith("|") and s.count("|") < 2:
            header = []
            out.append(line)
            continue
        if _SEPARATOR_ROW.match(s):
            continue
        cells = _cells(s)
        nxt = lines[k + 1].strip() if k + 1 < len(lines) else ""
        if _SEPARATOR_ROW.match(nxt):  # a header row: the column names (kept as text)
            header = cells
            out.append(line)
            continue
        if not cells or not is_label(cells[0]) and not (_NUMBER.match(cells[0]) and len(cells) > 1):
            out.append(line)
            continue
        first = cells[0] if not _NUMBER.match(cells[0]) else numbered_label(cells[0], header)
        title = cells[1] if len(cells) > 1 else ""
        out.append(f"{first} {title}".strip())
        for col, cell in enumerate(cells[2:], start=2):
            name = header[col] if col < len(header) else ""
            if cell:
                out.append(f"{name}: {cell}" if name and BLOCK_LABEL.match(name) else cell)
        out.append("")
    return "\n".join(out)


def numbered_label(cell: str, header: list[str]) -> str:
    """A bare number under a "§" column is a paragraph label; elsewhere an agenda number."""
    n = cell.rstrip(".")
    if header and header[0].strip() in ("§", "Paragraf", "§ nr"):
        return f"§ {n}"
    return f"{n}."


def item_row(cells: Sequence[Sequence[str]], header: Sequence[str] = ()) -> list[str] | None:
    """The lines of a table row that holds an item, each cell given as its paragraphs, or None
    when the row is not one (fewer than two cells, no item label opening the first).

    A first cell with a title after its label ("§ 8 Mötets öppnande", body below) sits in a
    table whose columns are named by an item's parts ("Ärende | Beslut"): its paragraphs come
    first, then each further cell, opened by its column's name when that names a part. A first
    cell with only the label ("§ 47", "Dnr …" below) is joined with the first paragraph of the
    next cell, the title; a first cell with the title under the label ("§ 47" / "Budget 2025",
    the text in the next cell) gives the title itself. Every other paragraph keeps its line.
    """
    if len(cells) < 2 or not cells[0]:
        return None
    rest = _label_rest(cells[0][0])
    if rest is None:
        return None
    if any(ch.isalpha() for ch in rest) and not rest.lower().startswith("dnr"):
        out = list(cells[0])
        for col, cell in enumerate(cells[1:], start=1):
            name = header[col] if col < len(header) else ""
            if cell and name and BLOCK_LABEL.match(name):
                out.append(name)
            out += cell
        return out
    left, right = cells[0], [p for cell in cells[1:] for p in cell]
    title = [p for p in left[1:] if not REFERENCE.match(p)]
    if title:  # the title under the label in a narrow first column, the text beside it
        refs = [p for p in left[1:] if REFERENCE.match(p)]
        return [" ".join([left[0], *title]), *refs, *right]
    head = f"{left[0]} {right[0]}" if right else left[0]
    return [head, *left[1:], *right[1:]]


def part_row(cells: Sequence[Sequence[str]]) -> list[str] | None:
    """The lines of a table row whose first cell is a part's heading and the cells right of it
    its text ("Beslut | Styrelsen beslutar / att …", a bordered row under an item, as minute
    systems set the decision): the heading on a line of its own, then every paragraph of the
    further cells; None for another row (a row of column names has no text of two words).
    Empty cells before the heading are passed over: the rest of a label cell merged down the
    item's rows ("§ 7" set once beside all of them), or an indenting column."""
    first = next((k for k, cell in enumerate(cells) if any(p.strip() for p in cell)), len(cells))
    cells = cells[first:]
    if len(cells) < 2:
        return None
    head = " ".join(p.strip() for p in cells[0])
    if not BLOCK_LABEL.match(head):
        return None
    text = [p for cell in cells[1:] for p in cell if p.strip()]
    if sum(len(p.split()) for p in text) < 2:
        return None
    return [head, *text]


def _label_rest(text: str) -> str | None:
    """What follows the item label opening ``text`` ("" after a bare "§ 47"); None without one."""
    for pattern in (PARAGRAF_LABEL, PARAGRAF_AFTER, ARENDE_LABEL, PUNKT_LABEL):
        match = pattern.match(text)
        if match:
            return match.group("rest").strip(" .:–-\t")
    return None


def cell_rows(page: Page) -> list[tuple[str, ...]]:
    """The rows of table cells a page states (layout hints), top to bottom."""
    rows: dict[int, list[str]] = {}
    for b in page.blocks:
        if b.kind == CELL and b.row is not None:
            rows.setdefault(b.row, []).append(b.text)
    return [tuple(cells) for cells in rows.values()]
