"""DOCX -> page texts, read straight from the WordprocessingML in the zip.

Paragraphs and tables come in document order (a table row is one line, cells joined with
" | "); list numbering Word draws itself ("1.", "§ 3", "a)") is written out; section headers
and footers, footnotes and comments are skipped. Pages split where Word last rendered a page
break (w:lastRenderedPageBreak, written by Word on save) when the file has them, else at
explicit breaks: page breaks, "page break before" paragraphs and new-page section breaks.
The zip is checked for bombs (declared sizes and ratios) before anything is decompressed.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from corpus.errors import UnreadableFile
from corpus.model import CELL, HEADING, LIST_ITEM, RUNNING, Block, Page
from ingest.formats.hints import heading_level, place
from ingest.formats.wordml import Numbering, w
from ingest.tables import item_row, part_row

log = logging.getLogger(__name__)

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"
MAX_TOTAL = 200 * 2**20  # declared uncompressed bytes of all members
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 2 * 2**20
MAX_MEMBERS = 20_000
PAGE = "\f"  # page break marker inside the text being built


PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse archives whose members would decompress to too much (a zip bomb)."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnreadableFile(str(path), f"misstänkt zip-bomb: {len(infos)} filer i arkivet")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL:
        raise UnreadableFile(
            str(path),
            f"misstänkt zip-bomb: packas upp till {total // 2**20} MB "
            f"(gräns {MAX_TOTAL // 2**20} MB)",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise UnreadableFile(
                str(path),
                f"misstänkt zip-bomb: {info.filename} komprimerad {ratio:.0f} gånger",
            )


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship type suffix -> target part name, for the part's .rels (if present)."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.namelist():
        return {}
    try:
        root = etree.fromstring(archive.read(rels_name), PARSER)
    except etree.XMLSyntaxError:
        return {}
    out: dict[str, str] = {}
    for rel in root.iter(f"{{{REL}}}Relationship"):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out.setdefault(kind, posixpath.normpath(resolved))
    return out


def main_part(archive: zipfile.ZipFile) -> str | None:
    """Name of the main document part (from _rels/.rels), or None when missing."""
    names = set(archive.namelist())
    target = _relationships(archive, "").get(OFFICE_DOCUMENT.strip("/"))
    for candidate in (target, "word/document.xml"):
        if candidate and candidate in names:
            return candidate
    return None


def _read_xml(archive: zipfile.ZipFile, name: str | None) -> etree._Element | None:
    if not name or name not in archive.namelist():
        return None
    return etree.fromstring(archive.read(name), PARSER)


def _hidden(run: etree._Element) -> bool:
    """A run formatted as hidden text (w:vanish), which Word neither shows nor prints."""
    vanish = run.find(f"{w('rPr')}/{w('vanish')}")
    return vanish is not None and vanish.get(w("val"), "true") not in ("0", "false", "off")


class _Body:
    """Renders the blocks of a document body into text with PAGE markers."""

    def __init__(
        self, numbering: Numbering, rendered_breaks: bool, headings: dict[str, int] | None = None
    ) -> None:
        self.numbering = numbering
        self.rendered = rendered_breaks
        self.headings = headings or {}  # paragraph style id -> heading level
        self.hints: list[Block] = []  # layout hints, in document order
        self.rows = 0  # table rows seen (numbers the cells' rows)
        self.depth = 0  # inside a table cell

    def blocks(self, parent: etree._Element) -> Iterator[str]:
        """Lines of the block-level children (paragraphs, tables, content controls)."""
        for child in parent:
            tag = child.tag
            if tag == w("p"):
                yield from self.paragraph(child)
            elif tag == w("tbl"):
                yield from self.table(child)
            elif tag in (w("sdt"), w("customXml")):
                inner = child.find(w("sdtContent")) if tag == w("sdt") else child
                if inner is not None:
                    yield from self.blocks(inner)

    def paragraph(self, p: etree._Element) -> Iterator[str]:
        ppr = p.find(w("pPr"))
        parts: list[str] = []
        boxes: list[str] = []
        if not self.rendered and ppr is not None:
            flag = ppr.find(w("pageBreakBefore"))
            if flag is not None and flag.get(w("val"), "true") not in ("0", "false", "off"):
                parts.append(PAGE)
        label = self.numbering.label(ppr)
        parts.append(label)
        self.inline(p, parts, boxes)
        if not self.depth:
            self._hint(ppr, "".join(parts), bool(label))
        if not self.rendered and ppr is not None:
            sect = ppr.find(w("sectPr"))
            kind = sect.find(w("type")) if sect is not None else None
            if sect is not None and (kind is None or kind.get(w("val")) != "continuous"):
                parts.append(PAGE)
        yield "".join(parts)
        yield from boxes

    def _hint(self, ppr: etree._Element | None, text: str, numbered: bool) -> None:
        text = " ".join(text.replace(PAGE, " ").split())
        if not text:
            return
        style = ppr.find(w("pStyle")) if ppr is not None else None
        level = self.headings.get(style.get(w("val"), "")) if style is not None else None
        if level is not None:
            self.hints.append(Block(HEADING, text, level=level))
        elif numbered:
            self.hints.append(Block(LIST_ITEM, text))

    def inline(self, el: etree._Element, parts: list[str], boxes: list[str]) -> None:
        """Text of runs under ``el`` in order; text-box paragraphs go to ``boxes``."""
        for child in el:
            tag = child.tag
            if tag == w("t"):
                parts.append(child.text or "")
            elif tag == w("tab"):
                parts.append("\t")
            elif tag == w("br"):
                kind = child.get(w("type"))
                parts.append(("" if self.rendered else PAGE) if kind == "page" else "\n")
            elif tag == w("cr"):
                parts.append("\n")
            elif tag == w("noBreakHyphen"):
                parts.append("-")
            elif tag == w("lastRenderedPageBreak"):
                parts.append(PAGE if self.rendered else "")
            elif tag == w("txbxContent"):
                boxes.extend(self.blocks(child))
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self.inline(choice, parts, boxes)
            elif tag in (w("pPr"), w("rPr"), w("del"), w("moveFrom"), w("instrText"), w("delText")):
                continue  # moveFrom: text moved away, kept once where it was moved to (moveTo)
            elif tag == w("r") and _hidden(child):
                continue
            elif len(child):
                self.inline(child, parts, boxes)

    def table(self, tbl: etree._Element) -> Iterator[str]:
        header: list[str] = []  # the column names, when the first row names them
        for r, row in enumerate(self._children(tbl, "tr")):
            cells = []
            paragraphs: list[list[str]] = []
            self.rows += 1
            for col, cell in enumerate(self._children(row, "tc")):
                self.depth += 1
                lines = [line.strip() for line in self.blocks(cell) if line.strip()]
                self.depth -= 1
                paragraphs.append(lines)
                text = " ".join(lines)
                cells.append(text)
                if not self.depth and text.replace(PAGE, "").strip():
                    self.hints.append(Block(CELL, text.replace(PAGE, ""), row=self.rows, col=col))
            # an item as a table row: "§ 47" + "Dnr …" | title, body, decision; or the label,
            # title and body in the first cell of a table whose columns are named by an item's
            # parts ("Ärende | Beslut"), a part's cell opened by its name (tables.item_row)
            texts = [[p.replace(PAGE, "") for p in cell] for cell in paragraphs]
            item = item_row(texts, header)
            if r == 0 and item is None:
                header = [c.replace(PAGE, "").strip() for c in cells]
            if item is None:  # a part's heading beside its text ("Beslut | Styrelsen beslutar …")
                item = part_row(texts)
            if item is not None:
                yield from item
                continue
            line = " | ".join(cells)
            breaks = line.count(PAGE)
            line = line.replace(PAGE, "")
            if not line.strip("| \t\n"):
                line = ""
            yield PAGE * breaks + line

    def _children(self, parent: etree._Element, name: str) -> Iterator[etree._Element]:
        """Children named ``name``, looking through content controls and custom XML."""
        for child in parent:
            if child.tag == w(name):
                yield child
            elif child.tag in (w("sdt"), w("customXml")):
                inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
                if inner is not None:
                    yield from self._children(inner, name)


def document_to_pages(
    document: etree._Element,
    numbering: Numbering,
    *,
    headings: dict[str, int] | None = None,
    running: Sequence[str] = (),
) -> list[Page]:
    """Pages of a parsed word/document.xml (pure: no file access), with layout hints:
    heading-style paragraphs, numbered list items, table cells, and the texts of the
    headers and footers (``running``) as evidence on page 1."""
    body = document.find(w("body"))
    if body is None:
        raise ValueError("no w:body")
    rendered = next(body.iter(w("lastRenderedPageBreak")), None) is not None
    numbering.reset()
    reader = _Body(numbering, rendered, headings)
    text = "\n".join(reader.blocks(body))
    pages = [page.strip("\n") for page in text.split(PAGE)]
    evidence = [Block(RUNNING, t) for t in dict.fromkeys(running) if t]
    return place(pages, reader.hints, evidence)


def heading_styles(styles: etree._Element | None) -> dict[str, int]:
    """Paragraph style id -> heading level, from styles.xml names ("heading 2") or outline
    levels."""
    out: dict[str, int] = {}
    for style in styles.iter(w("style")) if styles is not None else ():
        sid = style.get(w("styleId")) or ""
        name = style.find(w("name"))
        level = heading_level(name.get(w("val"), "")) if name is not None else None
        outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        if level is None and outline is not None:
            value = outline.get(w("val"), "")
            level = int(value) + 1 if value.isdigit() and int(value) < 9 else None
        if sid and level is not None:
            out[sid] = level
    return out


def running_texts(archive: zipfile.ZipFile) -> list[str]:
    """The texts of the header and footer parts (word/header1.xml, word/footer2.xml …)."""
    out: list[str] = []
    for name in sorted(archive.namelist()):
        if not re.fullmatch(r"word/(?:header|footer)\d*\.xml", name):
            continue
        root = _read_xml(archive, name)
        if root is None:
            continue
        reader = _Body(Numbering(), rendered_breaks=True)
        out += [" ".join(t.replace(PAGE, " ").split()) for t in reader.blocks(root)]
    return [t for t in out if t]


@dataclass
class _Parts:
    document: etree._Element | None
    numbering: Numbering
    headings: dict[str, int]
    running: list[str]


def _open_parts(path: Path) -> _Parts:
    """Parsed main document (None without a body part), list definitions, heading styles
    and header/footer texts."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(str(path), "inte en giltig DOCX-fil (zip-arkivet är skadat)") from exc
    with archive:
        check_zip(path, archive)
        name = main_part(archive)
        if name is None:
            raise UnreadableFile(str(path), "DOCX-filen saknar huvuddokumentet (word/document.xml)")
        try:
            document = _read_xml(archive, name)
        except etree.XMLSyntaxError as exc:
            raise UnreadableFile(str(path), "DOCX-filens dokument-XML är skadad") from exc
        headings: dict[str, int] = {}
        try:
            rels = _relationships(archive, name)
            styles = _read_xml(archive, rels.get("styles"))
            numbering = Numbering.from_parts(_read_xml(archive, rels.get("numbering")), styles)
            headings = heading_styles(styles)
        except (etree.XMLSyntaxError, ValueError):
            log.warning("%s: unreadable numbering or styles part; list numbers are left out", path)
            numbering = Numbering()
        try:
            running = running_texts(archive)
        except etree.XMLSyntaxError:
            log.warning("%s: unreadable header or footer part; left out", path)
            running = []
    return _Parts(document, numbering, headings, running)


def extract_docx(path: Path) -> list[Page]:
    """Pages of a Word (DOCX) file; UnreadableFile for broken zips, bombs and missing bodies."""
    try:
        parts = _open_parts(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # damaged members, unknown compression methods, encrypted members
        raise UnreadableFile(
            str(path), "DOCX-filen är skadad (zip-arkivet går inte att packa upp)"
        ) from exc
    document = parts.document
    if document is None or document.find(w("body")) is None:
        raise UnreadableFile(str(path), "DOCX-filen saknar dokumentkropp (inget innehåll)")
    return document_to_pages(
        document, parts.numbering, headings=parts.headings, running=parts.running
    )
