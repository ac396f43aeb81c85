"""A PDF page's items and lists set in columns of a borderless table, read column by column
(``label_columns``, pure; ``ingest.formats.pdf`` orders a page's lines with it).

An item set in a borderless two-column table with its label and title in the narrow left
column and its text in the right one (the title wrapping in its cell, the text starting beside
the label) is read column by column (``label_columns``): the label with the title, then
the text. So is a table of participant lists set side by side under their headings
(``Närvarande ledamöter | Tjänstgörande ersättare | Övriga närvarande``, one person per
paragraph in each cell): each list under its heading, a person's wrapped lines joined. A
part's heading set in the margin beside its text ("Beslut ⇥ Styrelsen beslutar …") is read
on a line before its text.
"""

from __future__ import annotations

import re

from ingest.clauses import SIGN_OFF, is_block_start
from ingest.formats.pdf_rows import Line, render_rows, rows_of
from ingest.formats.pdf_table import line_full
from ingest.lines import NAME_TOKEN, REFERENCE, continues, is_label, join
from ingest.people import role_label

LABEL_CHARS = 14  # an item label alone in its cell ("§ 12", "Ärende 4") is this short
COLUMN_GAP = 2.0  # character widths between a label cell and the column right of it
CELL_EDGE = 2.0  # points a piece may reach across a column edge and still lie in its column
ROW_GAP = 1.5  # a vertical gap of more than this many line heights ends an item's table
NAME_CHARS = 40  # a heading of a table's column is short
CELL_PADDING = 10.0  # points between the text of a cell and that of the cell right of it
_PERSON = re.compile(rf"^{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}}(?:\s*[,(]|$)")
_FIELD = re.compile(r"^[A-ZÅÄÖ][\wåäö]*(?: [\wåäö]+){0,3}:(?:\s|$)")  # "Sekreterare: …"


def label_columns(lines: list[Line]) -> list[str]:
    """The rows of a page as text (``render_rows``), but an item whose label and title stand
    in a narrow left column beside its text read column by column (see the module doc).

    Such an item opens at a row whose first piece is a label alone, the next piece a column
    gap to its right (that piece's left edge is the text column's), and runs over the rows
    below while no piece crosses that edge, none lies left of the label, no gap between rows
    is larger than ``ROW_GAP`` line heights, and the left column's lines follow each other. It
    is read so only when its left column holds more than the label and case references ("Dnr
    2025/3") and no part's heading ("Beslut" set in the margin beside its text), and the text
    beside it reaches as far down: a title."""
    rows = rows_of(lines)
    out: list[str] = []
    done = 0  # rows[:done] are written
    k = 0
    while k < len(rows):
        lists = _attendance_region(rows, k)
        region = _label_region(rows, k) if lists is None else None
        part = _margin_heading(rows, k) if lists is None and region is None else None
        if lists is None and region is None and part is None:
            k += 1
            continue
        out += render_rows([ln for row in rows[done:k] for ln in row])
        if lists is not None:
            end, text = lists
            out += [*text, ""]
        elif part is not None:
            end, heading, beside = part
            out += [heading, *render_rows(beside)]
        elif region is not None:
            end, left, right = region
            refs = [ln.text for ln in left if REFERENCE.match(ln.text)]
            title = [ln.text for ln in left if not REFERENCE.match(ln.text)]
            out += [" ".join([rows[k][0].text, *title]), *refs, *render_rows(right), ""]
        done = k = end
    return out + render_rows([ln for row in rows[done:] for ln in row])


def _margin_heading(rows: list[list[Line]], k: int) -> tuple[int, str, list[Line]] | None:
    """(end row, the heading, the text beside it) of a part's heading set in the margin column
    beside its text ("Beslut ⇥ Styrelsen beslutar …"): the heading in the first piece of row
    ``k`` (wrapped onto the first piece of a row or two below in a narrow cell: "Styrelsens" /
    "beslut"), a column gap to the text, which runs on in the rows below with nothing left of
    it but the heading's lines."""
    row = rows[k]
    if len(row) < 2:
        return None
    head, beside = row[0], row[1]
    char = head.width / max(len(head.text), 1)
    if beside.x0 - head.x1 < COLUMN_GAP * char:
        return None
    edge = beside.x0
    heading = _wrapped_heading(rows, k, edge)
    # a sign-off row ("Justerandes sign | Utdragsbestyrkande") is a row of cells, no part
    if heading is None or SIGN_OFF.match(heading[0]):
        return None
    text = list(row[1:])
    bottom = min(ln.y0 for ln in row)
    end = k + 1
    while end < len(rows):
        nxt = [ln for ln in rows[end] if ln not in heading[1]]
        if not nxt:  # a row with only the heading's second line
            end += 1
            continue
        height = max(ln.height for ln in nxt)
        if bottom - max(ln.y1 for ln in nxt) > ROW_GAP * height:
            break
        if any(ln.x0 < edge - CELL_EDGE for ln in nxt):
            break
        text += nxt
        bottom = min(ln.y0 for ln in nxt)
        end += 1
    return end, heading[0], text


HEADING_LINES = 3  # lines a part's heading may wrap over in its margin cell


def _wrapped_heading(rows: list[list[Line]], k: int, edge: float) -> tuple[str, list[Line]] | None:
    """(text, lines below) of a part's heading opening row ``k`` in a margin column that ends at
    ``edge``: the row's first piece, or it with the first pieces of the rows right below that
    start where it starts and end left of the edge; None when they make no part's heading."""
    head = rows[k][0]
    text, below = head.text.strip(), []
    for j in range(k + 1, min(k + HEADING_LINES, len(rows))):
        if is_block_start(text):
            break
        nxt = rows[j][0]
        if abs(nxt.x0 - head.x0) > CELL_EDGE or nxt.x1 > edge - CELL_EDGE:
            break
        if rows[j - 1][0].y0 - nxt.y1 > ROW_GAP * nxt.height:
            break
        text = f"{text} {nxt.text.strip()}"
        below.append(nxt)
    return (text, below) if is_block_start(text) else None


def _attendance_region(rows: list[list[Line]], k: int) -> tuple[int, list[str]] | None:
    """(end row, lines) of a table of participant lists side by side whose header is row
    ``k`` (its headings may wrap onto the next row), each list under its heading; or None.
    The table ends at a gap of more than ``ROW_GAP`` line heights, a row that does not fit its
    columns, an item label or a "Label: value" line."""
    head = rows[k]
    if len(head) < 2 or any(len(ln.text) > NAME_CHARS for ln in head):
        return None
    starts = [ln.x0 for ln in head]
    names = [ln.text.strip() for ln in head]
    body = k + 1
    while body < len(rows) and body <= k + 2:  # a heading wrapped in its cell ("Närvarande" /
        cols = [_column(starts, ln) for ln in rows[body]]  # "ledamöter")
        if None in cols or not all(ln.text[:1].islower() for ln in rows[body]):
            break
        for c, ln in zip(cols, rows[body], strict=True):
            names[c or 0] = join(names[c or 0], ln.text.strip())
        body += 1
    if not all(role_label(n.rstrip(":")) for n in names):
        return None
    cells: list[list[tuple[int, Line]]] = [[] for _ in starts]
    end = body
    while end < len(rows):
        row = rows[end]
        cols = [_column(starts, ln) for ln in row]
        if (
            None in cols
            or (end > body and _row_gap(rows[end - 1], row) > ROW_GAP)
            or any(is_label(ln.text) or _FIELD.match(ln.text) for ln in row)
        ):
            break
        for c, ln in zip(cols, row, strict=True):
            cells[c or 0].append((0, ln))
        end += 1
    if end == body:
        return None
    right = max(ln.x1 for row in rows for ln in row)  # the text's right margin
    out: list[str] = []
    for c, (name, cell) in enumerate(zip(names, cells, strict=True)):
        edge = starts[c + 1] - CELL_PADDING if c + 1 < len(starts) else right
        out += [name, *_people(cell, edge)] if cell else []
    return end, out


def _people(cell: list[tuple[int, Line]], edge: float) -> list[str]:
    """The entries of a participant list's cell, one a person: a line continues the entry
    before when that one's line was full (``edge``: the cell's right edge) and the line does
    not open another person's entry ("Name Name," / "Name Name (S)") unless it surely
    continues ("… Simon Ljung (C) för" / "Hans Bäck (C)", "… Region" / "Västra Götaland")."""
    out: list[str] = []
    prev: Line | None = None
    for _, ln in cell:
        text = ln.text.strip()
        if (
            prev is not None
            and line_full(prev, ln, edge)
            and (continues(out[-1], text) or not _PERSON.match(text))
        ):
            out[-1] = join(out[-1], text)
        else:
            out.append(text)
        prev = ln
    return out


def _column(starts: list[float], line: Line) -> int | None:
    """The column of ``starts`` that ``line`` lies in, None when it reaches across an edge."""
    col = max((c for c, x in enumerate(starts) if x <= line.x0 + CELL_EDGE), default=0)
    if col + 1 < len(starts) and line.x1 > starts[col + 1] + CELL_EDGE:
        return None
    return col


def _row_gap(prev: list[Line], row: list[Line]) -> float:
    """The gap between two rows in line heights."""
    height = max(ln.height for ln in prev + row)
    return (min(ln.y0 for ln in prev) - max(ln.y1 for ln in row)) / height


def _label_region(rows: list[list[Line]], k: int) -> tuple[int, list[Line], list[Line]] | None:
    """(end row, left column below the label, right column) of an item read by its label
    column from row ``k`` (see ``label_columns``), or None."""
    row = rows[k]
    if len(row) < 2:
        return None
    label, beside = row[0], row[1]
    text = " ".join(label.text.split())
    char = label.width / max(len(label.text), 1)
    if len(text) > LABEL_CHARS or not is_label(text) or beside.x0 - label.x1 < COLUMN_GAP * char:
        return None
    edge = beside.x0
    left: list[Line] = []
    right: list[Line] = list(row[1:])
    bottom = min(ln.y0 for ln in row)
    end = k + 1
    closed = False  # the left column began and a row without it followed: its cell ended
    while end < len(rows):
        nxt = rows[end]
        height = max(ln.height for ln in nxt)
        if bottom - max(ln.y1 for ln in nxt) > ROW_GAP * height:
            break
        if any(
            ln.x0 < label.x0 - CELL_EDGE or (ln.x0 < edge - CELL_EDGE and ln.x1 > edge + CELL_EDGE)
            for ln in nxt
        ):
            break
        first = " ".join(nxt[0].text.split())
        if nxt[0].x0 < edge - CELL_EDGE and len(first) <= LABEL_CHARS and is_label(first):
            break  # the next item's label
        in_left = [ln for ln in nxt if ln.x0 < edge - CELL_EDGE]
        if in_left and closed:
            break  # text at the margin after the title's cell: the item goes on below
        closed = closed or (bool(left) and not in_left)
        left += in_left
        right += [ln for ln in nxt if ln.x0 >= edge - CELL_EDGE]
        bottom = min(ln.y0 for ln in nxt)
        end += 1
    if (
        len(right) < 2
        or all(REFERENCE.match(ln.text) for ln in left)
        or any(is_block_start(ln.text.strip()) for ln in left)
        or min(ln.y0 for ln in right) > min(ln.y0 for ln in left) + 1
    ):
        # no title under the label, a part's heading in the margin ("Beslut"), or lines at
        # the margin below the text beside the label: the item's text, not a title's cell
        return None
    return end, left, right
