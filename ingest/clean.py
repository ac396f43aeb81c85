"""Clean extracted pages: converter noise and page furniture out, paragraphs back. Pure.

``clean(pages)`` returns pages whose text holds one logical line per paragraph, list item or
heading (joined by "\\n"), NFC-normalised, without page numbers, running headers/footers,
signature footers, HTML tags, table pipes, markdown emphasis, block-quote marks, task boxes or
separator rules. A single-page
text export is split into the pages its removed running headers (and page-number lines, runs
of empty lines, form feeds) reveal, numbered from the printed numbers where they exist.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import replace

from corpus.model import RUNNING, Block, Page
from ingest import furniture as fu
from ingest.lines import continues, join, norm_space
from ingest.tables import cell_rows, pipe_tables

log = logging.getLogger(__name__)

_REPLACE = {
    "\u00ad": "",  # soft hyphen
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    # Bidi and invisible format controls: they split words ("Bud\u2066get") and can reorder
    # what is shown (U+202E); never part of Swedish protocol text.
    **dict.fromkeys("\u061c\u180e\u200e\u200f\u2061\u2062\u2063\u2064", ""),
    **dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", ""),
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\t": " ",
    "\r": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
    "\ufb01": "fi",
    "\ufb02": "fl",
}
_ODD_CHARS = re.compile("[" + "".join(_REPLACE) + "]")
_PRIVATE_BULLETS = re.compile(r"[\uf000-\uf0ff▪■●◦○➢►✓❖◆◊·∙]|(?m:^\(cid:\d+\)(?=\s))")
_CID = re.compile(r"\(cid:\d+\)")  # a glyph pdfminer could not map
_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/li|/tr|/div|/h[1-6]|/table)\s*/?>", re.I)
_TAG = re.compile(
    r"<\s*/?\s*(?:p|br|b|i|u|em|strong|span|div|td|tr|th|table|tbody|thead|li|ul|ol|font|sup|sub"
    r"|h[1-6]|a|small|center)\b[^<>]{0,200}>",
    re.I,
)
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{2})(?=[^\s*_])([^*\n]*?[^\s*_])\1(?![\w*])")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_BULLET = re.compile(r"^[*+]\s+")
_MD_QUOTE = re.compile(r"^(?:>\s?)+")  # a block quote ("> **Beslut:** …"), nested or not
_MD_TASK = re.compile(r"^([-*+]\s+)\[[ xX]\]\s+")  # a task list's box ("- [x] att …")
_SEPARATOR = re.compile(r"^[\s|:+]*(?:[-_=–—*~][\s|:+]*){3,}$")
_BULLET_SPACE = re.compile(r"^•\s*")
_SPACES = re.compile(r" {2,}")


def clean(pages: list[Page]) -> list[Page]:
    """Cleaned pages (see the module doc). Never raises on odd text."""
    if not pages:
        return []
    raw = [_raw_lines(p.text) for p in pages]
    phrases = fu.mark(raw)
    pattern = fu.phrase_pattern(phrases)
    if pattern is not None:
        _strip_phrases(raw, pattern)
    if len(pages) == 1:
        inferred = _infer_pages(raw[0], pages[0].number, row_texts(pages[0]))
        if pages[0].blocks and inferred:  # layout hints stay with the document
            inferred[0] = Page(inferred[0].number, inferred[0].text, pages[0].blocks)
        conf = pages[0].ocr_confidence  # a page read by OCR stays marked so
        return [replace(p, ocr_confidence=conf) for p in inferred] if conf is not None else inferred
    footers = [Block(RUNNING, ln.text) for lines in raw for ln in lines if ln.running]
    return [
        Page(
            p.number,
            "\n".join(_paragraphs(lines, row_texts(p))),
            p.blocks + (tuple(footers) if n == 0 else ()),
            p.ocr_confidence,
        )
        for n, (p, lines) in enumerate(zip(pages, raw, strict=True))
    ]


def clean_text(text: str) -> str:
    """Cleaned text of one string, without page inference (helper for tests and tools)."""
    raw = [_raw_lines(text)]
    fu.mark(raw)
    return "\n".join(_paragraphs(raw[0]))


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    text = _ODD_CHARS.sub(lambda m: _REPLACE[m.group()], text)
    if "<" in text:
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text and ";" in text:
        text = html.unescape(text)
    text = _PRIVATE_BULLETS.sub("•", text)
    if "(cid:" in text:
        text = _CID.sub("", text)
    return text


def _raw_lines(text: str) -> list[fu.RawLine]:
    out: list[fu.RawLine] = []
    for chunk_no, chunk in enumerate(pipe_tables(_prepare(text)).split("\f")):
        first_of_chunk = chunk_no > 0
        for line in chunk.split("\n"):
            ln = _raw_line(line)
            if first_of_chunk and ln.kind == fu.TEXT:
                ln.brk, first_of_chunk = True, False
            out.append(ln)
    return out


def _raw_line(line: str) -> fu.RawLine:
    if not line.strip():
        return fu.RawLine("", fu.BLANK, empty=not line)
    s = line.strip()
    if "|" in s or _SEPARATOR.match(s):
        if _SEPARATOR.match(s):
            return fu.RawLine("", fu.HARD)
        s = s.replace("|", " ")
    if "*" in s or "__" in s:
        s = _EMPHASIS.sub(r"\2", s)
    if s[0] == ">":
        s = _MD_QUOTE.sub("", s)
        if not s:
            return fu.RawLine("", fu.BLANK)
    if s[0] in "#*+-":
        s = _MD_TASK.sub(r"\1", s)
        s = _MD_HEADING.sub("", s)
        s = _MD_BULLET.sub("- ", s)
    if s[0] == "•":
        s = _BULLET_SPACE.sub("• ", s)
        if s == "• ":
            return fu.RawLine("", fu.BLANK)
    s = _SPACES.sub(" ", s).strip()
    if not s or s in ("-", "–", "*"):
        return fu.RawLine("", fu.BLANK)
    return fu.RawLine(s, fu.TEXT)


def _strip_phrases(raw: list[list[fu.RawLine]], pattern: re.Pattern[str]) -> None:
    """Remove header blocks that were flattened into a longer line."""
    for lines in raw:
        for ln in lines:
            if ln.kind == fu.TEXT and len(ln.text) > 20:
                new = _SPACES.sub(" ", pattern.sub(" ", ln.text)).strip()
                if new != ln.text:
                    ln.text = new
                    if not new:
                        ln.kind = fu.FURN


def _infer_pages(
    lines: list[fu.RawLine], first_number: int, rows: frozenset[str] = frozenset()
) -> list[Page]:
    """Split one page into the pages its furniture reveals, numbered from printed numbers."""
    chunks: list[tuple[int | None, list[fu.RawLine]]] = []
    current: list[fu.RawLine] = []
    text_count = 0
    current_no: int | None = None
    pending, pending_no, empties = False, None, 0
    for ln in lines:
        if ln.kind == fu.BLANK:
            empties = empties + 1 if ln.empty else 0
            pending = pending or empties >= 3
            current.append(ln)
            continue
        empties = 0
        pending = pending or ln.brk
        if ln.page_no is not None:
            if not pending and current_no is None and text_count <= 6:
                current_no = ln.page_no  # the page's own header, near its top
            else:
                pending = True
                pending_no = ln.page_no if pending_no is None else max(pending_no, ln.page_no)
        if ln.kind != fu.TEXT:
            pending = pending or ln.ends_page
            current.append(ln)
            continue
        if pending:
            if text_count:
                chunks.append((current_no, current))
                current, text_count, current_no = [], 0, None
            if pending_no is not None:
                current_no = pending_no
            pending, pending_no = False, None
        current.append(ln)
        text_count += 1
    chunks.append((current_no, current))
    pages: list[Page] = []
    n = first_number - 1
    for printed, chunk in chunks:
        n = printed if printed is not None and n < printed <= n + 20 else n + 1
        pages.append(Page(n, "\n".join(_paragraphs(chunk, rows))))
    return pages


def row_texts(page: Page) -> frozenset[str]:
    """The page's table rows as a line of text shows them: their cells joined by spaces."""
    return frozenset(norm_space(" ".join(cells)) for cells in cell_rows(page) if len(cells) > 1)


def _paragraphs(lines: list[fu.RawLine], rows: frozenset[str] = frozenset()) -> list[str]:
    """Join wrapped lines into paragraphs; list items, labels, headings and the rows of a
    table (``rows``, see row_texts) keep their lines."""
    out: list[str] = []
    hard = True
    for ln in lines:
        if ln.kind == fu.HARD:
            hard = True
            continue
        if ln.kind != fu.TEXT:
            continue
        if not hard and out and continues(out[-1], ln.text) and norm_space(ln.text) not in rows:
            out[-1] = join(out[-1], ln.text)
        else:
            out.append(ln.text)
        hard = False
    return out
