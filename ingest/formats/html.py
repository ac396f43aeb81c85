"""HTML -> visible text of the main content with line breaks (selectolax/lexbor), split at CSS
page breaks, with layout hints.

A web page of a förbund wraps the protocol in site chrome: menu, search box, breadcrumbs,
cookie banner, sidebar, footer. Only the main content becomes text: the <main> element (or
role="main", or the single <article>) when the page has one, and never nav, aside, form,
dialog or an element whose id/class/role names chrome (cookie, breadcrumb, sidebar, menu …).
The page title and the site header/footer are kept as RUNNING blocks: evidence of the
förbund, not body. On a page without such an element the whole body is read, but for the page
footer (<footer>, role="contentinfo" or an id/class naming a footer, outside any <article>,
<section> or <main>): it would run into the last item, so it too is only evidence. Headings
(<h1>–<h6>), list items and table cells become Blocks; the paragraphs and <br>-broken lines of
a table cell stay lines.

Two list forms carry what the text alone does not: an ordered list whose every item opens with
a heading is a list of agenda points numbered by the list (``<ol start="3"><li><h3>Title</h3>
…``), so each heading is written with its number ("3. Title"); and a term of a description list
with a short one-line description is one "Term: description" line ("<dt>Datum</dt><dd>12 mars
2025</dd>"), as a label and its value are written in running text.
"""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from corpus.model import CELL, HEADING, LIST_ITEM, RUNNING, Block, Page
from ingest.formats.hints import place
from ingest.formats.html_chrome import HEADINGS, chrome, evidence, hidden, main_content, page_footer
from ingest.formats.text import bom_encoding, decode_text
from ingest.lines import NUMBERED, is_label
from ingest.tables import item_row, part_row


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


SKIP = _names(
    "script style noscript template head title svg math iframe object embed canvas "
    "select input textarea audio video map"
)
LINE = _names(
    "div li tr dt dd br address article aside section header footer nav main figure "
    "figcaption form fieldset legend details summary caption center"
)
PARAGRAPH = _names("p h1 h2 h3 h4 h5 h6 table ul ol dl blockquote pre hr")
CELLS = frozenset(("td", "th"))
PRE = frozenset(("pre", "textarea", "listing", "plaintext"))
WHITESPACE = re.compile(r"[ \t\n\r\f]+")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
BREAK_BEFORE = re.compile(r"(page-)?break-before\s*:\s*(always|page|left|right)", re.I)
BREAK_AFTER = re.compile(r"(page-)?break-after\s*:\s*(always|page|left|right)", re.I)
BLOCKS = PARAGRAPH | _names("div li section article header footer figure details address")
TERM_CHARS = 40  # a description-list term this short labels the value beside it
INLINE = _names("span label time a strong b em i small abbr data output")


def decode_html(data: bytes) -> str:
    """Decode HTML bytes: BOM, then <meta charset> in the first 4 KB, then as plain text."""
    if bom_encoding(data):
        return decode_text(data)
    match = META_CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii") if match else None
    return decode_text(data, declared)


class _Writer:
    """Collects text into lines and pages, collapsing whitespace as a browser does.

    A table cell collects its own lines (its paragraphs, headings, list items and <br>-broken
    lines); at the end of its row the cells become lines of the page (``row_lines``).
    """

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.buf: list[str] = []
        self.cells: list[list[str]] = []  # lines of each open table cell, innermost last
        self.outer: list[list[str]] = []  # the text a cell interrupts, for each open cell
        self.rows: list[list[list[str]]] = []  # the cells of each open table row
        self.tables: list[list[str]] = []  # the column names of each open table ([] if none)
        self.seen: list[int] = []  # rows read so far in each open table

    @property
    def lines(self) -> list[str]:
        return self.cells[-1] if self.cells else self.pages[-1]

    def text(self, value: str, pre: bool) -> None:
        if pre:
            first, *rest = value.split("\n")
            self.buf.append(first)
            for part in rest:
                self.hard_break()
                self.buf.append(part)
            return
        value = WHITESPACE.sub(" ", value)
        if value == " " and (not self.buf or self.buf[-1].endswith(" ")):
            return
        if self.buf and self.buf[-1].endswith(" ") and value.startswith(" "):
            value = value[1:]
        self.buf.append(value)

    def ends_with(self, suffix: str) -> bool:
        return "".join(self.buf).rstrip().endswith(suffix)

    def hard_break(self) -> None:
        line = "".join(self.buf).strip()
        self.lines.append("" if not line.strip("| ") else line)
        self.buf = []

    def soft_break(self) -> None:
        if "".join(self.buf).strip("| \t\n"):
            self.hard_break()
        self.buf = []

    def blank_line(self) -> None:
        self.soft_break()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def table(self) -> None:
        self.tables.append([])
        self.seen.append(0)

    def end_table(self) -> None:
        if self.tables:
            self.tables.pop()
            self.seen.pop()

    def row(self) -> None:
        self.rows.append([])

    def end_row(self) -> None:
        if not self.rows:
            return
        cells = self.rows.pop()
        header: list[str] = []
        if self.tables:
            if not self.seen[-1] and not (cells and cells[0] and is_label(cells[0][0])):
                self.tables[-1] = [" ".join(cell) for cell in cells]
            self.seen[-1] += 1
            header = self.tables[-1]
        self.soft_break()
        self.lines.extend(row_lines(cells, header))

    def cell(self) -> None:
        self.outer.append(self.buf)
        self.buf = []
        self.cells.append([])

    def end_cell(self) -> None:
        if not self.cells:
            return
        self.soft_break()
        lines = [line for line in self.cells.pop() if line]
        self.buf = self.outer.pop()
        if self.rows:
            self.rows[-1].append(lines)
        else:  # a cell read without its row (the main content sits inside it)
            self.soft_break()
            self.lines.extend(lines)

    def new_page(self) -> None:
        if self.cells:
            return
        self.soft_break()
        if any(line for line in self.pages[-1]):
            self.pages.append([])

    def result(self) -> list[str]:
        self.soft_break()
        return ["\n".join(lines).strip("\n") for lines in self.pages]


def row_lines(cells: list[list[str]], header: list[str]) -> list[str]:
    """The lines of a table row whose cells are given as their lines.

    A row holding an item ("§ 1" | title, Dnr, body, decision) is laid out as the Word reader
    lays it out (tables.item_row). A row of one-line cells is one line, its cells joined by
    " | ". In another row the cells before the first of several lines lead its first line
    ("Beslutande | Kjell Norberg, ordförande"), and every further line keeps its own.
    """
    item = item_row(cells, header)
    if item is None:  # a part's heading beside its text ("Beslut | Styrelsen beslutar …")
        item = part_row(cells)
    if item is not None:
        return item
    if all(len(cell) <= 1 for cell in cells):
        line = " | ".join(cell[0] if cell else "" for cell in cells).strip()
        return [line] if line.strip("| ") else []
    out: list[str] = []
    lead: list[str] = []
    for cell in cells:
        if out or len(cell) > 1:
            if not out:
                cell = [" | ".join([*lead, cell[0]]), *cell[1:]]
            out += cell
        else:
            lead += cell
    return out


def html_to_pages(html: str) -> list[str]:
    """Visible text of the main content (see the module doc), one string per page."""
    return [p.text for p in html_layout(html)]


def html_layout(html: str) -> list[Page]:
    """Visible text of an HTML document, one line per block; a table row of one-line cells is
    one line, its cells joined with " | ", and a row holding an item (cells of paragraphs) is
    laid out line by line as the Word reader lays it out (see ``row_lines``).

    Scripts, styles, the head and hidden elements are dropped; paragraphs, headings, lists
    and tables are set off by an empty line; an element styled with page-break-before/after
    (or break-before/after: page) starts a new page.
    """
    tree = LexborHTMLParser(html)
    main = main_content(tree)
    root = main or tree.body or tree.root
    writer = _Writer()
    hints: list[Block] = []
    if root is None:
        return place(writer.result(), hints)
    row = 0
    pre_depth = 0
    footers: list[LexborNode] = []  # page footers, read as evidence (see page_footer)
    points: list[tuple[LexborNode, int]] = []  # headings numbered by their ordered list
    values: list[LexborNode] = []  # <dd> written on the line of their <dt>
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        style = (node.attributes.get("style") or "") if not leaving and tag[:1] != "-" else ""
        if leaving:
            if tag in PRE:
                pre_depth -= 1
            if tag in CELLS:
                writer.end_cell()
            elif tag == "tr":
                writer.end_row()
            elif tag == "table":
                writer.end_table()
            if tag == "dt" and (value := term_value(node)) is not None:
                writer.text(" " if writer.ends_with(":") else ": ", False)
                values.append(value)
            elif tag in PARAGRAPH:
                writer.blank_line()
            elif tag in LINE:
                writer.soft_break()
            if BREAK_AFTER.search(node.attributes.get("style") or ""):
                writer.new_page()
            continue
        if tag == "-text":
            writer.text(node.text_content or "", pre_depth > 0)
            continue
        if tag[:1] == "-" or tag in SKIP or hidden(node):
            continue
        if node is not root and main is None and page_footer(node, root):
            footers.append(node)
            continue
        if node is not root and (main is not None or tag != "header") and chrome(node):
            continue
        if tag in INLINE and _glued(node, writer):
            writer.text(" ", False)  # "<span>Mötesdatum</span><span>2025-06-11</span>"
        row += tag == "tr"
        _hint(node, tag, row, hints)
        if BREAK_BEFORE.search(style):
            writer.new_page()
        if tag == "br":
            writer.hard_break()
            continue
        if tag in PARAGRAPH:
            writer.blank_line()
        elif tag == "dd" and any(node == v for v in values):
            pass  # on the line of its term
        elif tag in LINE:
            writer.soft_break()
        if tag == "ol":
            points += point_headings(node)
        elif tag in HEADINGS and (n := next((k for h, k in points if h == node), None)) is not None:
            writer.text(f"{n}. ", False)
        if tag in CELLS:
            writer.cell()
        elif tag == "tr":
            writer.row()
        elif tag == "table":
            writer.table()
        if tag in PRE:
            pre_depth += 1
        stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))
    return place(writer.result(), hints, [Block(RUNNING, t) for t in evidence(tree, main, footers)])


def _glued(node: LexborNode, writer: _Writer) -> bool:
    """Whether an inline element right after another one would glue two words together: a
    label and its value, a name and its role set in sibling <span>s that the site's style sheet
    sets apart ("Mötesdatum" + "2025-06-11", "Anna Berg" + "Ordförande"). Letters of one word
    split over elements ("<b>S</b>amordning") go on in lower case and stay joined."""
    prev = node.prev
    while prev is not None and prev.tag == "-text" and not (prev.text_content or "").strip():
        if prev.text_content:  # whitespace between them: a space already
            return False
        prev = prev.prev
    if prev is None or prev.tag in (None, "-text", "br") or prev.tag not in INLINE:
        return False
    before = "".join(writer.buf)
    after = node.text(deep=True).lstrip() if not node.text(deep=True)[:1].isspace() else ""
    if not before or not after or not before[-1].isalnum():
        return False
    return after[0].isupper() or after[0].isdigit() != before[-1].isdigit()


def point_headings(ol: LexborNode) -> list[tuple[LexborNode, int]]:
    """The headings that open the items of an ordered list of agenda points, each with the
    number the list gives its item (``start``, ``value``); none unless every item of the list
    opens with a heading that is not numbered in its text."""
    try:
        n = int(ol.attributes.get("start") or 1)
    except ValueError:
        n = 1
    items = [li for li in ol.iter() if li.tag == "li"]
    out: list[tuple[LexborNode, int]] = []
    for li in items:
        value = (li.attributes.get("value") or "").strip()
        n = int(value) if value.isdigit() else n
        first = next(
            (
                c
                for c in li.iter(include_text=True)
                if c.tag != "-text" or (c.text_content or "").strip()
            ),
            None,
        )
        if first is None or first.tag not in HEADINGS:
            return []
        text = " ".join((first.text() or "").split())
        if not text or is_label(text) or NUMBERED.match(text):
            return []
        out.append((first, n))
        n += 1
    return out if len(out) >= 2 else []


def term_value(dt: LexborNode) -> LexborNode | None:
    """The <dd> after a short <dt> when it is a one-line value (no blocks inside), else None."""
    dd = dt.next
    while dd is not None and dd.tag == "-text" and not (dd.text_content or "").strip():
        dd = dd.next
    if dd is None or dd.tag != "dd":
        return None
    term = " ".join((dt.text() or "").split())
    if not term or len(term) > TERM_CHARS or is_label(term):
        return None
    if any(c.tag in BLOCKS or c.tag == "br" for c in dd.traverse() if c != dd):
        return None
    return dd


def _hint(node: LexborNode, tag: str, row: int, hints: list[Block]) -> None:
    if tag in HEADINGS or tag == "li" or tag in CELLS:
        text = " ".join((node.text(separator=" ") or "").split())
        if not text:
            return
        if tag in HEADINGS:
            hints.append(Block(HEADING, text, level=int(tag[1])))
        elif tag == "li":
            hints.append(Block(LIST_ITEM, text))
        else:
            hints.append(Block(CELL, text, row=row, col=len([h for h in hints if h.row == row])))


def extract_html(path: Path) -> list[Page]:
    """Pages of an HTML file (usually one), with layout hints."""
    return html_layout(decode_html(path.read_bytes()))
