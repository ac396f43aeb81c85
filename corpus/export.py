"""Flat export rows (JSON Lines / CSV) of items and documents: the serialisation edge."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

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
    }


def item_rows(store: Store) -> Iterator[dict[str, Any]]:
    for ctx in store.iter_item_contexts():
        yield item_row(ctx)


def document_rows(store: Store) -> Iterator[dict[str, Any]]:
    for doc in store.iter_documents():
        yield document_row(doc, store.count_items(doc.doc_id))


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], fields: Iterable[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
        n += 1
    return n
