"""What can be damaged in a corpus database, found by reading every stored record back.

SQLite's own checks (`PRAGMA integrity_check`) see damaged pages, not a damaged byte inside a
record: a JSON list whose "[" became "{", a text that is no longer UTF-8, a number that became
a string. `record_problems` reads each document with its items and decisions back into the
shared model and checks every field against the type the model declares, and that each item's
id still derives from its document and label, and compares what reads back with the digest
recorded when the document was written (a damaged byte inside a text).
"""

from __future__ import annotations

import dataclasses
import sqlite3
import types
import typing
from collections.abc import Iterator
from typing import Any

from corpus.errors import CorpusDamaged
from corpus.model import DamagedRecord, Document, make_item_id
from corpus.store import Store

_HINTS: dict[str, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls.__qualname__ not in _HINTS:
        _HINTS[cls.__qualname__] = typing.get_type_hints(cls)
    return _HINTS[cls.__qualname__]


def _conforms(value: Any, hint: Any) -> bool:
    """Whether value has the type `hint` (dataclasses, unions, tuples, str/int/float/bool)."""
    if hint is Any:
        return True
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_conforms(value, h) for h in typing.get_args(hint))
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_conforms(v, args[0]) for v in value)
        return len(value) == len(args) and all(
            _conforms(v, h) for v, h in zip(value, args, strict=True)
        )
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return isinstance(value, hint) and _first_wrong_field(value) is None
    return isinstance(value, hint)


def _first_wrong_field(record: Any) -> str | None:
    for f in dataclasses.fields(record):
        if not _conforms(getattr(record, f.name), _hints(type(record))[f.name]):
            return f.name
    return None


def shape_problem(doc: Document) -> str | None:
    """What in a document read back from the store does not have the model's shape."""
    wrong = _first_wrong_field(doc)
    if wrong is not None:
        return f"the field {wrong!r} has the wrong type"
    for item in doc.items:
        if item.item_id != make_item_id(doc.doc_id, item.label):
            return f"the item {item.label!r} does not belong to this document's id"
    return None


def record_problems(store: Store) -> Iterator[DamagedRecord]:
    """Every stored document whose records cannot be read back whole and well-formed."""
    for doc_id in store.doc_ids():
        path = store.path_of(doc_id) or ""
        try:
            doc = store.get_document(doc_id)
            reason = shape_problem(doc) if doc is not None else "it vanished while read"
            reason = reason or store.digest_problem(doc_id)
        except CorpusDamaged as e:
            reason = str(e.__cause__ or e.reason)
        except sqlite3.DatabaseError as e:  # text that is no longer UTF-8, a damaged page
            reason = str(e)
        if reason:
            yield DamagedRecord(doc_id, path, reason[:300])
