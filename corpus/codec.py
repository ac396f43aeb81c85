"""Frozen dataclass records <-> JSON, for records kept in the store as a blob (extracted pages).

Generic over the model's dataclasses, so a field added to a record later (e.g. layout hints on
``Page``) is stored without a change here, and tolerant both ways: a stored record that lacks a
field which has a default gets the default; a stored field the record no longer has is dropped.
Nested dataclasses, tuples (also ``tuple[X, ...]``), ``X | None`` and plain JSON values are
rebuilt from the type hints.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
import zlib
from collections.abc import Sequence
from typing import Any, TypeVar

from corpus.model import Page

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """A dataclass (and what it holds) as JSON-ready lists, dicts and scalars."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_plain(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from what to_plain made of it (see the module doc)."""
    if value is None:
        return None
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {
            f.name: from_plain(hints[f.name], value[f.name])
            for f in dataclasses.fields(tp)
            if f.init and f.name in value
        }
        return tp(**kwargs)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in args if a is not type(None)]
        return from_plain(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(args[0], v) for v in value)
        if args:
            return tuple(from_plain(a, v) for a, v in zip(args, value, strict=False))
        return tuple(value)
    if origin is list:
        return [from_plain(args[0], v) for v in value] if args else list(value)
    if origin is dict:
        return {k: from_plain(args[1], v) for k, v in value.items()} if args else dict(value)
    if tp is float and isinstance(value, int):
        return float(value)
    return value


def pages_to_blob(pages: Sequence[Page]) -> bytes:
    """Pages as compressed JSON, for the store."""
    raw = json.dumps([to_plain(p) for p in pages], ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(raw.encode("utf-8"), 6)


def pages_from_blob(blob: bytes) -> tuple[Page, ...]:
    """The pages pages_to_blob stored (by any version of Page; see the module doc)."""
    return tuple(from_plain(Page, p) for p in json.loads(zlib.decompress(blob).decode("utf-8")))
