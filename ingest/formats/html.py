"""HTML -> visible text of the main content with line breaks (selectolax/lexbor), split at CSS
page breaks, with layout hints.

A web page of a förbund wraps the protocol in site chrome: menu, search box, breadcrumbs,
cookie banner, sidebar, footer. Only the main content becomes text: the <main> element (or
role="main", or the single <article>) when the page has one, and never nav, aside, form,
dialog or an element whose id/class/role names chrome (cookie, breadcrumb, sidebar, menu …).
The page title and the site header/footer are kept as RUNNING blocks: evidence of the
förbund, not body. Headings (<h1>–<h6>), list items and table cells become Blocks.
"""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from corpus.model import CELL, HEADING, LIST_ITEM, RUNNING, Block, Page
from ingest.formats.hints import place
from ingest.formats.text import bom_encoding, decode_text


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
CHROME_TAGS = frozenset(("nav", "aside", "form", "dialog", "button"))
CHROME = re.compile(
    r"cookie|consent|kakor|gdpr|breadcrumb|brödsmul|sidebar|sidofält|side-?bar|menu|meny"
    r"|navigation|navbar|skip|share|social|search|sök|site-?header|site-?footer|banner"
    r"|related|relaterat",
    re.I,
)
CHROME_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search"))
HEADINGS = _names("h1 h2 h3 h4 h5 h6")
PRE = frozenset(("pre", "textarea", "listing", "plaintext"))
WHITESPACE = re.compile(r"[ \t\n\r\f]+")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
BREAK_BEFORE = re.compile(r"(page-)?break-before\s*:\s*(always|page|left|right)", re.I)
BREAK_AFTER = re.compile(r"(page-)?break-after\s*:\s*(always|page|left|right)", re.I)


def decode_html(data: bytes) -> str:
    """Decode HTML bytes: BOM, then <meta charset> in the first 4 KB, then as plain text."""
    if bom_encoding(data):
        return decode_text(data)
    match = META_CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii") if match else None
    return decode_text(data, declared)


class _Writer:
    """Collects text into lines and pages, collapsing whitespace as a browser does."""

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.buf: list[str] = []
        self.cells: list[int] = []  # cells seen in each open table row
        self.in_cell = 0  # inside a table cell, block breaks become spaces

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

    def hard_break(self) -> None:
        if self.in_cell:
            self.text(" ", pre=False)
            return
        line = "".join(self.buf).strip()
        self.pages[-1].append("" if not line.strip("| ") else line)
        self.buf = []

    def soft_break(self) -> None:
        if self.in_cell:
            self.text(" ", pre=False)
            return
        if "".join(self.buf).strip("| \t\n"):
            self.hard_break()
        self.buf = []

    def blank_line(self) -> None:
        self.soft_break()
        if not self.in_cell and self.pages[-1] and self.pages[-1][-1]:
            self.pages[-1].append("")

    def cell(self) -> None:
        if self.cells:
            if self.cells[-1]:
                self.buf = ["".join(self.buf).rstrip(), " | "]
            self.cells[-1] += 1

    def new_page(self) -> None:
        if self.in_cell:
            return
        self.soft_break()
        if any(line for line in self.pages[-1]):
            self.pages.append([])

    def result(self) -> list[str]:
        self.soft_break()
        return ["\n".join(lines).strip("\n") for lines in self.pages]


def _hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs:
        return True
    style = attrs.get("style") or ""
    return bool(HIDDEN_STYLE.search(style))


def _chrome(node: LexborNode) -> bool:
    """Site chrome: navigation, sidebars, cookie banners, search, breadcrumbs."""
    tag = node.tag or ""
    if tag in CHROME_TAGS:
        return True
    attrs = node.attributes
    if (attrs.get("role") or "").lower() in CHROME_ROLES:
        return True
    names = " ".join(attrs.get(a) or "" for a in ("id", "class", "aria-label"))
    return bool(names) and bool(CHROME.search(names))


def main_content(tree: LexborHTMLParser) -> LexborNode | None:
    """The element holding the page's own content: <main>, role=main, or a single <article>."""
    for selector in ("main", "[role=main]"):
        node = tree.css_first(selector)
        if node is not None and (node.text(strip=True) or "").strip():
            return node
    articles = tree.css("article")
    if len(articles) == 1:
        return articles[0]
    return None


def _evidence(tree: LexborHTMLParser, main: LexborNode | None) -> list[str]:
    """Title, site header and footer texts: who published the page (RUNNING evidence)."""
    if main is None:
        return []
    out: list[str] = []
    title = tree.css_first("title")
    if title is not None:
        out.append(title.text(strip=True))
    for selector in ("header", "footer", "[role=banner]", "[role=contentinfo]"):
        for node in tree.css(selector):
            text = " ".join(node.text(separator=" ").split())
            alts = [img.attributes.get("alt") or "" for img in node.css("img")]
            out += [a for a in alts if a] + ([text[:300]] if text else [])
    return [t for t in dict.fromkeys(out) if t]


def html_to_pages(html: str) -> list[str]:
    """Visible text of the main content (see the module doc), one string per page."""
    return [p.text for p in html_layout(html)]


def html_layout(html: str) -> list[Page]:
    """Visible text of an HTML document, one line per block, table cells joined with " | ".

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
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        style = (node.attributes.get("style") or "") if not leaving and tag[:1] != "-" else ""
        if leaving:
            if tag in PRE:
                pre_depth -= 1
            if tag in CELLS:
                writer.in_cell -= 1
            if tag == "tr" and writer.cells:
                writer.cells.pop()
            if tag in PARAGRAPH:
                writer.blank_line()
            elif tag in LINE:
                writer.soft_break()
            if BREAK_AFTER.search(node.attributes.get("style") or ""):
                writer.new_page()
            continue
        if tag == "-text":
            writer.text(node.text_content or "", pre_depth > 0)
            continue
        if tag[:1] == "-" or tag in SKIP or _hidden(node):
            continue
        if node is not root and (main is not None or tag != "header") and _chrome(node):
            continue
        row += tag == "tr"
        _hint(node, tag, row, hints)
        if BREAK_BEFORE.search(style):
            writer.new_page()
        if tag == "br":
            writer.hard_break()
            continue
        if tag in PARAGRAPH:
            writer.blank_line()
        elif tag in LINE:
            writer.soft_break()
        if tag in CELLS:
            writer.cell()
            writer.in_cell += 1
        if tag == "tr":
            writer.cells.append(0)
        if tag in PRE:
            pre_depth += 1
        stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))
    return place(writer.result(), hints, [Block(RUNNING, t) for t in _evidence(tree, main)])


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
