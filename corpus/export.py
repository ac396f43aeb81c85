"""Flat export rows of items and documents, and the writers for people and for scripts.

JSON Lines and plain CSV keep the stable English keys. The spreadsheet forms are made to open
right in a Swedish Excel: CSV in UTF-8 with a BOM and `;` between fields, Swedish column
headers, and no cell that a spreadsheet would run as a formula (XLSX text cells are typed as
text; CSV cells that start like a formula get a leading apostrophe).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Literal

from corpus.model import Document, ItemContext
from corpus.store import Store

ITEM_FIELDS = (
    "source",
    "doc_id",
    "doc_kind",
    "forbund",
    "meeting_date",
    "organ",
    "item_id",
    "label",
    "number",
    "kind",
    "title",
    "handlingar",
    "decisions",
    "stances",
    "proposals",
    "copy_to",
    "text",
    "pages",
    "amounts_kr",
    "rates",
    "organisations",
    "attachment",
    "procedural",
)
DOCUMENT_FIELDS = (
    "source",
    "doc_id",
    "doc_kind",
    "forbund",
    "forbund_evidence",
    "meeting_date",
    "date_window",
    "organ",
    "time",
    "place",
    "chair",
    "secretary",
    "adjusters",
    "participants",
    "attachments",
    "n_items",
    "n_pages",
    "fmt",
    "path",
    "warnings",
)


def item_row(ctx: ItemContext) -> dict[str, Any]:
    it = ctx.item
    return {
        "source": ctx.source,
        "doc_id": ctx.doc_id,
        "doc_kind": ctx.doc_kind,
        "forbund": ctx.forbund,
        "meeting_date": ctx.meeting_date,
        "organ": ctx.organ,
        "item_id": it.item_id,
        "label": it.label,
        "number": it.number,
        "kind": it.kind,
        "title": it.title,
        "handlingar": list(it.handlingar),
        "decisions": list(it.decisions),
        "stances": [d.stance for d in it.records],
        "proposals": list(it.proposals),
        "copy_to": list(it.copy_to),
        "text": it.body,
        "pages": list(it.pages),
        "amounts_kr": list(it.amounts_kr),
        "rates": [a.text for a in it.amounts if a.unit != "kr"],
        "organisations": list(it.organisations),
        "attachment": it.attachment,
        "procedural": it.procedural,
    }


def document_row(doc: Document, n_items: int) -> dict[str, Any]:
    m = doc.meeting
    return {
        "source": doc.source,
        "doc_id": doc.doc_id,
        "doc_kind": doc.kind,
        "forbund": m.forbund,
        "forbund_evidence": m.forbund_evidence,
        "meeting_date": m.date,
        "date_window": list(m.date_window) if m.date_window else None,
        "organ": m.organ,
        "time": m.time,
        "place": m.place,
        "chair": m.chair,
        "secretary": m.secretary,
        "adjusters": list(m.adjusters),
        "participants": [
            {"name": p.name, "organisation": p.organisation, "role": p.role, "note": p.note}
            for p in m.participants
        ],
        "attachments": list(doc.attachments),
        "n_items": n_items,
        "n_pages": doc.n_pages,
        "fmt": doc.fmt,
        "path": doc.path,
        "warnings": [{"code": w.code, "message": w.message} for w in doc.warnings],
    }


def item_rows(
    store: Store, extra: Callable[[ItemContext], Mapping[str, Any]] | None = None
) -> Iterator[dict[str, Any]]:
    """Every item's row; with ``extra``, the fields it adds (what other layers read of an
    item: how its decision was reached, index.decisions.item_procedures)."""
    for ctx in store.iter_item_contexts():
        yield item_row(ctx) | dict(extra(ctx)) if extra else item_row(ctx)


def document_rows(store: Store) -> Iterator[dict[str, Any]]:
    for doc in store.iter_documents():
        yield document_row(doc, store.count_items(doc.doc_id))


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


# -- for people: spreadsheets ---------------------------------------------------------------

CsvDialect = Literal["excel", "plain"]
CSV_DIALECTS: tuple[CsvDialect, ...] = ("excel", "plain")
# Column headers a person reads (CSV for spreadsheets, XLSX, the app's tables, CLI tables).
HEADERS_SV = {
    "source": "Fil",
    "doc_id": "Dokument-id",
    "doc_kind": "Dokumenttyp",
    "forbund": "Förbund",
    "forbund_evidence": "Förbundet identifierat genom",
    "meeting_date": "Datum",
    "date_window": "Datumintervall",
    "organ": "Organ",
    "time": "Tid",
    "place": "Plats",
    "chair": "Ordförande",
    "secretary": "Sekreterare",
    "adjusters": "Justerare",
    "participants": "Närvarande",
    "attachments": "Bilagor",
    "n_items": "Antal punkter",
    "n_pages": "Antal sidor",
    "fmt": "Format",
    "path": "Sökväg",
    "warnings": "Varningar",
    "item_id": "Punkt-id",
    "label": "§",
    "number": "Nummer",
    "kind": "Punkttyp",
    "title": "Rubrik",
    "handlingar": "Handlingar",
    "decisions": "Beslut",
    "stances": "Ställning",
    "proposals": "Förslag",
    "copy_to": "Kopia till",
    "text": "Text",
    "pages": "Sida",
    "amounts_kr": "Belopp",
    "rates": "Andel",
    "amounts_in_item": "Belopp i ärendet",
    "procedures": "Förfarande (kod)",
    "procedures_sv": "Förfarande",
    "conditions": "Villkor",
    "organisations": "Organisationer",
    "attachment": "Bilaga",
    "procedural": "Formalia",
    "stance": "Ställning (kod)",
    "stance_sv": "Ställning",
    "act": "Beslutstyp (kod)",
    "act_sv": "Beslutstyp",
    "status": "Status (kod)",
    "status_sv": "Status",
    "n_decisions": "Antal beslut",
    "clause": "Beslut",
    "coverage": "Täckning",
    "evidence": "Träffade ord",
    "rank": "Nr",
    "score": "Poäng",
    "snippet": "Utdrag",
    "citation": "Källhänvisning",
    "link": "Länk",
}
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def header(column: str) -> str:
    """The Swedish header of a column (the key itself where none is known)."""
    return HEADERS_SV.get(column, column)


def person_text(value: Any) -> Any:
    """A value as a person reads it in one cell: lists joined, booleans as ja/nej, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list | tuple):
        return " | ".join(str(person_text(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def neutralise(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text that starts like one gets a
    leading apostrophe (numbers such as "-5" stay numbers)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _plain_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def write_csv(
    rows: Iterable[Mapping[str, Any]],
    out: IO[str],
    columns: Sequence[str],
    dialect: CsvDialect = "excel",
) -> int:
    """Rows as CSV: "excel" (default) is UTF-8 with BOM, `;`, Swedish headers; "plain" is
    comma-separated with the English keys and JSON lists. Both neutralise formulas."""
    if dialect not in CSV_DIALECTS:
        raise ValueError(f"csv dialect must be one of {CSV_DIALECTS}")
    excel = dialect == "excel"
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        out.write("\ufeff")
    writer.writerow([header(c) if excel else c for c in columns])
    cell = person_text if excel else _plain_cell
    n = 0
    for row in rows:
        writer.writerow([neutralise(cell(row.get(c))) for c in columns])
        n += 1
    return n


def table_csv(
    table: Iterable[Mapping[str, Any]], columns: Sequence[str], dialect: CsvDialect = "excel"
) -> str:
    buf = io.StringIO(newline="")
    write_csv(table, buf, columns, dialect)
    return buf.getvalue()


def table_xlsx(
    table: Sequence[Mapping[str, Any]], columns: Sequence[str], sheet: str = "Tabell"
) -> bytes:
    """Rows as an XLSX workbook with Swedish headers; text cells are typed as text, so a
    cell that starts with "=" is shown, never run."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _ILLEGAL_XML.sub("", sheet)[:31] or "Tabell"
    for c, col in enumerate(columns, start=1):
        _put(ws.cell(1, c), header(col)).font = Font(bold=True)
    widths = [len(header(col)) for col in columns]
    for r, row in enumerate(table, start=2):
        for c, col in enumerate(columns, start=1):
            cell = _put(ws.cell(r, c), person_text(row.get(col)))
            if r < 200:
                widths[c - 1] = max(widths[c - 1], len(str(cell.value or "")))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, c).column_letter].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _put(cell: Any, value: Any) -> Any:
    """Set a cell: numbers as numbers, everything else as text (never a formula)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell.value = value
        return cell
    text = _ILLEGAL_XML.sub("", str(value))
    if text:
        cell.value = text
        cell.data_type = "s"  # openpyxl would type a leading "=" as a formula
    return cell


# -- citations ------------------------------------------------------------------------------

_KIND_CITED = {"kallelse": "kallelse", "minnesanteckningar": "minnesanteckningar"}


def _pages_cited(pages: Sequence[int]) -> str:
    if not pages:
        return ""
    first, last = min(pages), max(pages)
    if len(set(pages)) == last - first + 1:
        return f"s. {first}" if first == last else f"s. {first}–{last}"
    return "s. " + ", ".join(str(p) for p in sorted(set(pages)))


def document_phrase(doc_kind: str, organ: str | None) -> str:
    """How a citation names the document: "styrelseprotokoll", "kallelse (styrelse)" …"""
    organ = (organ or "").strip().lower()
    if doc_kind == "protokoll":
        return f"{organ}protokoll" if organ and organ.isalpha() else "protokoll"
    name = _KIND_CITED.get(doc_kind, "dokument")
    return f"{name} ({organ})" if organ else name


def citation(ctx: ItemContext) -> str:
    """A citation a person can paste: "Norra Västmanlands Samordningsförbund,
    styrelseprotokoll 2023-11-02, § 57, s. 4". What the document does not state is left out
    or said to be unknown, never guessed."""
    item = ctx.item
    where = item.label if item.label != item.title else f"punkten ”{item.title}”"
    parts = [
        ctx.forbund or "okänt förbund",
        f"{document_phrase(ctx.doc_kind, ctx.organ)} {ctx.meeting_date or 'odaterat'}",
        where,
        _pages_cited(item.pages),
    ]
    return ", ".join(p for p in parts if p)
