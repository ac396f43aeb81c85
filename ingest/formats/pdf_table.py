"""A PDF table of items whose first row names its columns by an item's parts ("§ | Ärende |
Beslut", "Ärende | Beslut"), read cell by cell.

Read row by row (``pdf_rows.render_rows``) the cells of such a table interleave: a decision's
first line sits beside the title, its second beside the body's first line. Here the header row
gives each column's left edge, and an item is read from a row whose first cell opens with an
item label to the next such row, column by column: the label with the title (bold lines after a
bold first line continue the title), the rest of the item's columns, then each column named by
a part ("Beslut", "Förslag till beslut") under its name. A cell's wrapped lines are joined: a
line continues the one before when that one was full (the next word would not have fit beside
it), unless it opens a list item or the next of a list of att-clauses. The table ends at a line
that reaches across a column's edge, at a row of signatures set in its columns (rules, role
words, names over role words) or after a gap of more than ``GAP`` lines; a table that runs off
a page (nothing under it but the page's number or footer) goes on at the next page's first
lines that fit its columns (its header row, repeated there, skipped), and an item cut by the
page break keeps its parts for the page where it ends. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ingest.formats.pdf_rows import Line, render_rows, rows_of
from ingest.furniture import BARE_NUMBER, FOOTER, PAGE_LINE, TRAILING_PAGE
from ingest.lines import BLOCK_LABEL, is_label, is_list_item, join
from ingest.tables import numbered_label
from ingest.vocab import ADJUSTER_LABELS, CHAIR_LABELS, SECRETARY_LABELS

GAP = 1.5  # a vertical gap of more than this many line heights ends the table
EDGE = 2.0  # points a piece may reach across the left edge of the column to its right
NAME_CHARS = 40  # a column's name is short
SPACE = 0.3  # a space's width, in mean character widths of the line after it
_NUMBER = re.compile(r"^\d{1,3}\.?$")
_GLUED = re.compile(r"^(?P<label>§\s?\d{1,4}|\d{1,3}\.?)\s+(?P<title>\S.*)$")
_ATT = re.compile(r"^att\s", re.I)
_ROLE = "|".join(re.escape(r) for r in (*CHAIR_LABELS, *SECRETARY_LABELS, *ADJUSTER_LABELS))
_ROLE_ONLY = re.compile(rf"^(?:{_ROLE})(?![\wåäö])\s*:?$", re.I)
_SIGN = re.compile(rf"^(?:[_.…·\s-]{{5,}}|(?:{_ROLE})(?![\wåäö])\s*:?)$", re.I)
_NONE = frozenset({"-", "–", "—", "-.", "–."})  # a cell that says "no decision"


@dataclass(frozen=True, slots=True)
class Columns:
    """The columns of a table: each one's left edge and name (its header cell)."""

    starts: tuple[float, ...]
    names: tuple[str, ...]

    def of(self, line: Line) -> int | None:
        """The column ``line`` lies in, or None when it reaches across a column's edge."""
        col = max((c for c, x in enumerate(self.starts) if x <= line.x0 + EDGE), default=0)
        if col + 1 < len(self.starts) and line.x1 > self.starts[col + 1] + EDGE:
            return None
        return col

    def is_part(self, col: int) -> bool:
        return bool(BLOCK_LABEL.match(self.names[col]))


@dataclass(slots=True)
class _Item:
    """One item of a table: its lines per column, each with the page it lies on."""

    columns: Columns
    cells: list[list[tuple[int, Line]]]
    pages: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Part:
    """A page's lines around its part of a table, and the table's lines above its first item."""

    before: list[Line]
    after: list[Line]
    loose: list[Line] = field(default_factory=list)


def _header(row: list[Line]) -> Columns | None:
    """The columns a row names, when it is a table's header row naming an item's part (a
    column's name is short and no sentence: "Dagordningen godkänns. | Beslut" side by side are
    the ends of two columns of running text)."""
    if len(row) < 2 or any(
        len(ln.text) > NAME_CHARS or ln.text.rstrip().endswith(".") for ln in row
    ):
        return None
    names = tuple(ln.text.strip().rstrip(":") for ln in row)
    if not any(BLOCK_LABEL.match(n) for n in names[1:]) or BLOCK_LABEL.match(names[0]):
        return None
    return Columns(tuple(ln.x0 for ln in row), names)


def _opens_item(row: list[Line], columns: Columns) -> bool:
    first = row[0]
    if columns.of(first) != 0:
        return False
    text = first.text.strip()
    return is_label(text) or bool(_NUMBER.match(text) and len(row) > 1)


def _gap(prev: list[Line], row: list[Line]) -> float:
    """The gap between two rows in line heights."""
    height = max(ln.height for ln in prev + row)
    return (min(ln.y0 for ln in prev) - max(ln.y1 for ln in row)) / height


def _table_rows(
    rows: list[list[Line]], columns: Columns | None
) -> tuple[Columns, int, int, int] | None:
    """(columns, first row of the table after its header, end row, header row) of a page's
    table, continuing ``columns`` from the page before when given; None when there is none."""
    start = None
    if columns is None:
        for r, row in enumerate(rows):
            found = _header(row)
            if found and r + 1 < len(rows) and _opens_item(_unglue(rows[r + 1], found), found):
                columns, start, header = found, r + 1, r
                break
        if columns is None or start is None:
            return None
    else:  # a continued table: its first rows that fit the columns, after a running header
        start = next(
            (r for r, row in enumerate(rows) if all(columns.of(ln) is not None for ln in row)),
            None,
        )
        if start is None:
            return None
        header = start
        repeated = _header(rows[start])  # the header row repeated at the top of the page
        if repeated is not None and repeated.names == columns.names:
            start += 1
    for r in range(start, len(rows)):
        rows[r] = _unglue(rows[r], columns)
    end = start
    while end < len(rows):
        row = rows[end]
        if any(columns.of(ln) is None for ln in row) or _signatures(rows, end):
            break
        if end > start and _gap(rows[end - 1], row) > GAP:
            break
        end += 1
    table = rows[start:end]
    if not any(len(row) > 1 or _opens_item(row, columns) for row in table):
        return None  # lines of one column only: nothing says they are the table's
    return columns, start, end, header


def _unglue(row: list[Line], columns: Columns) -> list[Line]:
    """A row whose first line is an item's label glued to the title in the next column ("§ 12
    Ny insats – Hälsosteget" read as one line across the label column's edge) as two lines,
    the title at the next column's edge; other rows as they are."""
    first = row[0] if row else None
    if first is None or len(columns.starts) < 2 or columns.of(first) is not None:
        return row
    m = _GLUED.match(first.text.strip())
    if m is None or first.x0 >= columns.starts[1]:
        return row
    text = first.text.strip()
    label_end = first.x0 + first.width * len(m["label"]) / len(text)
    title = replace(first, x0=columns.starts[1], text=m["title"])
    if label_end > columns.starts[1] or columns.of(title) is None:
        return row
    return [replace(first, x1=label_end, text=m["label"]), title, *row[1:]]


def _furniture(rows: list[list[Line]]) -> bool:
    """Whether rows under a table are only a page's furniture (a page number, "Sida 2 av 5",
    a signature box's labels), so that the table may go on at the next page."""
    return all(
        PAGE_LINE.match(t) or BARE_NUMBER.match(t) or FOOTER.match(t) or TRAILING_PAGE.search(t)
        for row in rows
        for t in (ln.text.strip() for ln in row)
    )


def _signatures(rows: list[list[Line]], r: int) -> bool:
    """Whether row ``r`` opens a table of signatures set in the same columns: rules to sign on,
    role words ("Ordförande", "Justerare"), or names over such a row."""
    if all(_SIGN.match(ln.text.strip()) for ln in rows[r]):
        return True
    below = rows[r + 1] if r + 1 < len(rows) else []
    return (  # a row of names over a row of roles, two or more columns each
        min(len(rows[r]), len(below)) >= 2
        and all(_ROLE_ONLY.match(ln.text.strip()) for ln in below)
        and not any(is_label(ln.text.strip()) for ln in rows[r])
    )


def cell_paragraphs(lines: list[tuple[int, Line]], edge: float) -> list[str]:
    """A cell's lines as paragraphs: a line continues the one before when that one was full
    (``edge``: the right edge of the column, as far as its lines reach)."""
    out: list[str] = []
    prev: Line | None = None
    for _, ln in lines:
        text = ln.text.strip()
        if prev is not None and line_full(prev, ln, edge) and not _opens_paragraph(out[-1], text):
            out[-1] = join(out[-1], text)
        else:
            out.append(text)
        prev = ln
    return out


def _opens_paragraph(paragraph: str, text: str) -> bool:
    """Whether ``text`` opens a paragraph whatever the width: a list item, or the next of a
    list of att-clauses (a full line before it is then a clause that filled the column)."""
    return is_list_item(text) or (
        _ATT.match(paragraph) is not None and _ATT.match(text) is not None
    )


def line_full(prev: Line, nxt: Line, edge: float) -> bool:
    """Whether the first word of ``nxt`` would not have fit after ``prev`` in its column: the
    word's width measured on its own line, the space a little under (the column's edge is only
    as far as its lines reach, so a line that ended short must not look full)."""
    text = nxt.text.strip()
    per_char = nxt.width / max(len(text), 1)
    word = (text.split() or [""])[0]
    return prev.x1 + per_char * (SPACE + len(word)) > edge


def _title(lines: list[tuple[int, Line]]) -> tuple[str, int]:
    """The title of an item's title cell and how many of its lines it takes: the first line,
    and the bold lines after a bold first line."""
    first = lines[0][1]
    taken = 1
    if first.bold:
        while taken < len(lines) and lines[taken][1].bold:
            taken += 1
    text = first.text.strip()
    for _, ln in lines[1:taken]:
        text = join(text, ln.text.strip())
    return text, taken


def _is_label_cell(text: str) -> bool:
    return is_label(text) or bool(_NUMBER.match(text.strip()))


def _render(item: _Item, page: int, edges: dict[tuple[int, int], float]) -> list[str]:
    """The lines of an item that belong on ``page``: its columns' lines lying on it, and, on the
    page where the item ends, its parts under their names."""
    columns = item.columns
    content = [c for c in range(len(columns.starts)) if not columns.is_part(c)]
    label_column = len(content) > 1 and all(
        _is_label_cell(ln.text) for _, ln in item.cells[content[0]]
    )
    title_column = content[1] if label_column else content[0]
    out: list[str] = []
    for col in content:
        lines = [(p, ln) for p, ln in item.cells[col] if p == page]
        if not lines or (label_column and col == content[0]):
            continue  # a label of its own is written with the title
        if page == item.pages[0] and col == title_column:
            title, taken = _title(lines)
            if label_column and item.cells[content[0]]:
                label = item.cells[content[0]][0][1].text.strip()
                if _NUMBER.match(label):
                    label = numbered_label(label, list(columns.names))
                title = f"{label} {title}"
            out.append(title)
            lines = lines[taken:]
        out += cell_paragraphs(lines, edges[id(columns), col])
    if page == item.pages[-1]:
        for col, name in enumerate(columns.names):
            paragraphs = cell_paragraphs(item.cells[col], edges.get((id(columns), col), 0.0))
            if columns.is_part(col) and any(p not in _NONE for p in paragraphs):
                out += [name, *paragraphs]
    return [*out, ""] if out else out


def order_table_pages(pages: list[list[Line]]) -> list[list[str] | None]:
    """Each page's text lines where a table of items runs through it, else None (the page is
    read as usual)."""
    parts: list[_Part | None] = []
    items: list[_Item] = []
    columns: Columns | None = None
    open_item: _Item | None = None
    for p, lines in enumerate(pages):
        rows = rows_of(lines)
        span = _table_rows(rows, columns)
        if span is None:
            parts.append(None)
            columns = open_item = None
            continue
        columns, start, end, header = span
        part = _Part(
            before=[ln for row in rows[:header] for ln in row],
            after=[ln for row in rows[end:] for ln in row],
        )
        for row in rows[start:end]:
            if _opens_item(row, columns):
                open_item = _Item(columns, [[] for _ in columns.starts])
                items.append(open_item)
            if open_item is None:
                part.loose += row
                continue
            for ln in row:  # the table's rows fit its columns: ``of`` gives a column
                open_item.cells[columns.of(ln) or 0].append((p, ln))
            if not open_item.pages or open_item.pages[-1] != p:
                open_item.pages.append(p)
        parts.append(part)
        if not _furniture(rows[end:]):  # the table ends on this page
            columns = open_item = None
    edges: dict[tuple[int, int], float] = {}
    for item in items:
        for col, cell in enumerate(item.cells):
            for _, ln in cell:
                key = (id(item.columns), col)
                edges[key] = max(edges.get(key, 0.0), ln.x1)
    out: list[list[str] | None] = []
    for p, found in enumerate(parts):
        if found is None:
            out.append(None)
            continue
        text = render_rows(found.before) + render_rows(found.loose)
        for item in items:
            if p in item.pages:
                text += _render(item, p, edges)
        out.append(text + render_rows(found.after))
    return out
