"""Save what can be read from a damaged corpus database into a new one (doctor --repair).

Used when SQLite itself finds the file damaged (pages, schema): every document whose records
still read back whole (and match their digest) is copied; a document that does not is read
again from its file when the file still holds the same bytes; the rest is listed as lost. The
damaged file is kept beside the new one as `<name>.skadad-<time>`, never deleted.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from corpus.errors import CorpusError
from corpus.integrity import shape_problem
from corpus.model import Document, Failure
from corpus.store import Store

log = logging.getLogger(__name__)

Reread = Callable[[str, list[str]], "Document | str"]  # (doc id, paths) -> document or why not


@dataclass
class Salvage:
    copied: int = 0
    reread: int = 0
    lost: list[str] = field(default_factory=list)  # paths (or ids) of documents not restored
    kept_as: Path | None = None  # where the damaged file now is


def _read_back(store: Store, doc_id: str) -> Document | None:
    try:
        doc = store.get_document(doc_id)
        if doc is None or shape_problem(doc) or store.digest_problem(doc_id):
            return None
        return doc
    except (CorpusError, sqlite3.DatabaseError, UnicodeDecodeError, ValueError, TypeError):
        return None


def salvage(db: Path, reread: Reread) -> Salvage | None:
    """Copy what can be saved of a damaged database into a new one that takes its place.
    Returns None, changing nothing, when not one document can be read from it."""
    damaged = Store.open_damaged(db)
    try:
        refs = damaged.salvage_refs()
        if not refs:
            return None
        tmp = db.with_name(f".{db.name}.salvage-{os.getpid()}")
        for side in ("", "-wal", "-shm"):
            Path(f"{tmp}{side}").unlink(missing_ok=True)
        result = Salvage()
        with Store.open(tmp) as new:
            for doc_id, paths in sorted(refs.items()):
                doc = _read_back(damaged, doc_id)
                if doc is not None:
                    result.copied += 1
                else:
                    got = reread(doc_id, paths)
                    if isinstance(got, str):
                        name = paths[0] if paths else doc_id
                        result.lost.append(name)
                        reason = (
                            f"posten var skadad och kunde inte räddas ({got}); läs in filen igen"
                        )
                        new.record_failure(Failure(name, reason, "damaged"))
                        continue
                    doc = got
                    result.reread += 1
                new.put_salvaged(doc, paths)
            for path, reason, kind in damaged.readable_rows(
                "SELECT path, reason, kind FROM failures"
            ):
                if all(isinstance(v, str) for v in (path, reason, kind)):
                    new.record_failure(Failure(path, reason, kind))
            new.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        damaged.close()
    result.kept_as = _swap(db, tmp)
    return result


def _swap(db: Path, new: Path) -> Path:
    """Put the new database in place of the damaged one, which is kept under another name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    kept = db.with_name(f"{db.name}.skadad-{stamp}")
    for side in ("", "-wal", "-shm"):
        if Path(f"{db}{side}").exists():
            os.replace(f"{db}{side}", f"{kept}{side}")
    for side in ("-wal", "-shm"):
        Path(f"{new}{side}").unlink(missing_ok=True)
    os.replace(new, db)
    fd = os.open(db.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    log.info("salvaged %s; the damaged file is kept as %s", db, kept)
    return kept
