"""Text tables (markdown/pipe tables, DOCX and HTML rows joined with " | ") read as a protocol.

A row whose first cell is an item label ("| 12 § | Årsredovisning 2021 | Styrelsen godkänner …
|") becomes the label line with its title, then one line per further cell; a cell under a
column headed by a part of an item ("Beslut", "Förslag till beslut", "Handlingar") is written
"Beslut: …", so the decision in a table is a decision. Other rows keep their cells on one
line, as before. Pure.
"""

from __future__ import annotations

import re

from corpus.model import CELL, Page
from ingest.lines import BLOCK_LABEL, is_label

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


def cell_rows(page: Page) -> list[tuple[str, ...]]:
    """The rows of table cells a page states (layout hints), top to bottom."""
    rows: dict[int, list[str]] = {}
    for b in page.blocks:
        if b.kind == CELL and b.row is not None:
            rows.setdefault(b.row, []).append(b.text)
    return [tuple(cells) for cells in rows.values()]
