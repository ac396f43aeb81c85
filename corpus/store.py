"""The SQLite corpus. The only module with SQL in it.

Writes are one transaction per document; readers use WAL so they are never blocked by an ingest
for more than a moment. Records go in and come out as corpus.model dataclasses.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import sqlite3
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from corpus.codec import pages_from_blob, pages_to_blob
from corpus.errors import CorpusDamaged, CorpusError
from corpus.model import (
    Amount,
    Decision,
    Document,
    Extraction,
    Failure,
    Filters,
    Item,
    ItemContext,
    ItemFacts,
    Meeting,
    Participant,
    QualityWarning,
    item_key,
)

log = logging.getLogger(__name__)

SCHEMA_VERSION = 6  # the last migration of schema.sql (tests/test_migrations.py checks)
ITEM_COLUMNS = (
    "i.item_id, i.label, i.number, i.kind, i.title, i.body, i.handlingar, i.decisions, "
    "i.proposals, i.copy_to, i.pages, i.amounts, i.dates, i.organisations, i.attachment, "
    "i.procedural"
)
# The records a document's digest covers (Store._seal): its content, not where its files are
# nor when it was stored. Changing a list below changes every digest: do it with a migration
# (a digest made under another schema version is not compared).
DIGESTED = (
    "SELECT doc_id, fmt, kind, forbund, forbund_evidence, organ, meeting_date, meeting_time,"
    " place, chair, secretary, adjusters, date_window_from, date_window_to, attachments, n_pages,"
    " text FROM documents WHERE doc_id = ?1",
    "SELECT pos, name, organisation, role, note FROM participants WHERE doc_id = ?1 ORDER BY pos",
    "SELECT item_id, item_key, pos, label, number, kind, title, body, handlingar, decisions,"
    " proposals, copy_to, pages, amounts, dates, organisations, attachment, procedural,"
    " has_decision FROM items WHERE doc_id = ?1 ORDER BY pos",
    "SELECT d.item_id, d.pos, d.clause, d.act, d.stance, d.object, d.amounts_kr, d.rates,"
    " d.organisations, d.from_proposal, d.verb FROM decisions d JOIN items i USING (item_id)"
    " WHERE i.doc_id = ?1 ORDER BY d.item_id, d.pos",
)
CONTEXT_COLUMNS = ITEM_COLUMNS + ", d.doc_id, d.source, d.kind, d.forbund, d.meeting_date, d.organ"


MIGRATION = re.compile(r"^-- migration (\d+): (\w+)$", re.M)


@dataclass(frozen=True, slots=True)
class Migration:
    """One named step of corpus/schema.sql: takes a database from version - 1 to version."""

    version: int
    name: str
    statements: tuple[str, ...]


@functools.cache
def migrations() -> tuple[Migration, ...]:
    """The migrations of corpus/schema.sql, in order (numbered 1, 2, … without gaps)."""
    schema = resources.files("corpus").joinpath("schema.sql").read_text("utf-8")
    parts = MIGRATION.split(schema)  # [preamble, number, name, sql, number, name, sql, …]
    out = []
    for number, name, sql in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        body = "\n".join(ln for ln in sql.splitlines() if not ln.lstrip().startswith("--"))
        statements = tuple(st.strip() for st in body.split(";\n") if st.strip())
        out.append(Migration(int(number), name, statements))
    if [m.version for m in out] != list(range(1, len(out) + 1)) or out[-1].version != (
        SCHEMA_VERSION
    ):
        raise CorpusError(f"corpus/schema.sql: migrations are not numbered 1..{SCHEMA_VERSION}")
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CorpusStats:
    documents: int
    items: int
    decisions: int
    failures: int
    by_forbund_year: tuple[tuple[str, str, int], ...]  # (förbund, year or "okänt år", documents)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _amounts_out(amounts: Iterable[Amount]) -> str:
    return _dumps([[a.value, a.unit, a.text] for a in amounts])


def _amounts_in(raw: str) -> tuple[Amount, ...]:
    return tuple(Amount(float(v), u, t) for v, u, t in _list(raw))


def _list(raw: str) -> tuple[Any, ...]:
    """A stored JSON list column. ValueError if it is not one (a damaged record)."""
    value = json.loads(raw)
    if not isinstance(value, list):
        raise ValueError(f"a list was stored, found {type(value).__name__}")
    return tuple(value)


def _warnings_in(raw: str) -> tuple[QualityWarning, ...]:
    return tuple(QualityWarning(code, message) for code, message in json.loads(raw))


class Store:
    """An open corpus database. Use as a context manager or call close()."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._fingerprint: tuple[int, str] | None = None  # (generation, fingerprint)

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False) -> Store:
        """Open a corpus (created if missing, unless readonly). A file that is empty, holds no
        finsam corpus or whose schema cannot be read raises CorpusDamaged."""
        path = Path(path)
        if readonly and not path.exists():
            raise CorpusError(f"no corpus at {path}: run `finsam ingest PATH` first")
        if path.is_file() and path.stat().st_size == 0:
            raise CorpusDamaged(
                f"{path} is empty (0 bytes): the documents it held are lost",
                "Restore it from a copy, or delete it and ingest the files again "
                "(finsam ingest FOLDER); the index beside it is left as it is",
            )
        try:
            if readonly:
                conn = _connect_readonly(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(path, check_same_thread=False)
        except UnicodeDecodeError as e:  # SQLite's message quotes the damaged schema bytes
            raise _schema_damaged(path) from e
        except sqlite3.Error as e:
            raise _unreadable(path, e) from e
        conn.isolation_level = None  # explicit transactions only
        store = cls(conn, path)
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                store._migrate()
            else:
                store._check_version()
                if store._version() < SCHEMA_VERSION:
                    cls._upgrade(path)  # readers need the current tables too
            store._check_tables()
        except UnicodeDecodeError as e:
            conn.close()
            raise _schema_damaged(path) from e
        except sqlite3.DatabaseError as e:
            conn.close()
            raise _unreadable(path, e) from e
        except BaseException:
            conn.close()
            raise
        return store

    def _check_tables(self) -> None:
        """Raise CorpusDamaged unless the file holds the tables of a finsam corpus."""
        names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        missing = sorted({"documents", "items", "decisions", "meta"} - names)
        if missing:
            raise CorpusDamaged(
                f"{self.path} holds no finsam corpus (no table {', '.join(missing)})",
                _repair(self.path),
            )

    @classmethod
    def _upgrade(cls, path: Path) -> None:
        """Migrate an older corpus that is being opened read-only (once, then it is current)."""
        try:
            cls.open(path).close()
        except (CorpusError, OSError) as e:
            raise CorpusError(
                f"{path} has an older schema that this finsam must update, and it cannot write"
                f" to it ({e}); open it once with write access (e.g. `finsam reindex`)"
            ) from e

    def _version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _check_version(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise CorpusError(
                f"{self.path} was written by a newer finsam (schema {version} > {SCHEMA_VERSION})"
            )

    def _migrate(self) -> None:
        """Apply the migrations the database lacks, in order, in one transaction."""
        self._check_version()
        if self._version() == SCHEMA_VERSION:
            return
        self.conn.execute("BEGIN IMMEDIATE")  # another process may have migrated meanwhile
        try:
            version = self._version()
            todo = [m for m in migrations() if m.version > version]
            if version and todo:
                names = ", ".join(f"{m.version} {m.name}" for m in todo)
                log.info("updating %s from schema %d: %s", self.path, version, names)
            for migration in todo:
                try:
                    for statement in migration.statements:
                        self.conn.execute(statement)
                except sqlite3.Error as e:
                    raise CorpusError(
                        f"{self.path}: schema migration {migration.version} ({migration.name})"
                        f" failed, the corpus is left as it was: {e}"
                    ) from e
            if todo:
                self.conn.execute(f"PRAGMA user_version = {todo[-1].version}")
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def close(self) -> None:
        self.conn.close()

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already done so (it does after
        "database or disk is full"; a second ROLLBACK would hide that error)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------

    def doc_id_at(self, path: str) -> str | None:
        """The document whose bytes were last found at `path`."""
        row = self.conn.execute(
            "SELECT doc_id FROM document_paths WHERE path = ?", (path,)
        ).fetchone()
        return row[0] if row else None

    def path_of(self, doc_id: str) -> str | None:
        """The file shown for a document (one of its paths), or None if it is not stored."""
        row = self.conn.execute("SELECT path FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def paths_of(self, doc_id: str) -> list[str]:
        """Every file a document's bytes were found at."""
        rows = self.conn.execute(
            "SELECT path FROM document_paths WHERE doc_id = ? ORDER BY path", (doc_id,)
        )
        return [r[0] for r in rows]

    def put_document(self, doc: Document) -> str:
        """Store a document in one transaction. Returns "added", "replaced" or "unchanged".

        A document is keyed by its bytes and found at one or more paths: identical files are
        one document with several paths. Bytes already stored only add this path to them; a
        changed file takes its path from the version it held before, which is deleted when no
        other path holds it (an edit of one of two copies leaves the other's document whole).
        A stored document that the page limit cut short is replaced by a version that reads
        more of the file.
        """
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self._cut_more(doc):
                self._reinsert(doc)
                self._bump_generation()
                outcome = "replaced"
            elif self.doc_id_at(doc.path) == doc.doc_id:
                outcome = "unchanged"
            else:
                old = self._take_path(doc.path, keep=doc.doc_id)
                stored = self.path_of(doc.doc_id) is not None
                if not stored:
                    self._insert_document(doc)
                self._link(doc.doc_id, doc.path)
                self._fix_primary(doc.doc_id)
                self._bump_generation()
                outcome = "replaced" if old else "unchanged" if stored else "added"
            conn.execute("DELETE FROM failures WHERE path = ?", (doc.path,))
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return outcome

    def link_path(self, doc_id: str, path: str, *, forget: Iterable[str] = ()) -> str:
        """Record that the file at `path` holds the bytes of the stored document doc_id: a copy,
        or the file renamed (`forget` names paths of the document that are gone). Returns
        "replaced" when the path held other bytes before, else "unchanged"."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            old = self._take_path(path, keep=doc_id)
            self._link(doc_id, path)
            for gone in forget:
                if gone != path:
                    conn.execute(
                        "DELETE FROM document_paths WHERE path = ? AND doc_id = ?", (gone, doc_id)
                    )
            self._fix_primary(doc_id, prefer=path)
            conn.execute("DELETE FROM failures WHERE path = ?", (path,))
            self._bump_generation()
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return "replaced" if old else "unchanged"

    def _link(self, doc_id: str, path: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO document_paths (path, doc_id, source) VALUES (?, ?, ?)",
            (path, doc_id, Path(path).name),
        )

    def _take_path(self, path: str, *, keep: str) -> bool:
        """Detach `path` from the document it names, unless that is `keep`; a document left
        without a path is deleted. Returns whether the path named another document."""
        row = self.conn.execute(
            "SELECT doc_id FROM document_paths WHERE path = ?", (path,)
        ).fetchone()
        if row is None or row[0] == keep:
            return False
        self.conn.execute("DELETE FROM document_paths WHERE path = ?", (path,))
        if self.paths_of(row[0]):
            self._fix_primary(row[0])
        else:
            self.conn.execute("DELETE FROM documents WHERE doc_id = ?", (row[0],))
        return True

    def _fix_primary(self, doc_id: str, *, prefer: str | None = None) -> None:
        """Keep the file shown for a document (documents.path) one of its paths."""
        paths = self.paths_of(doc_id)
        if not paths or self.path_of(doc_id) in paths:
            return
        path = prefer if prefer in paths else paths[0]
        self.conn.execute(
            "UPDATE documents SET path = ?, source = ? WHERE doc_id = ?",
            (path, Path(path).name, doc_id),
        )

    def store_resegmented(self, doc: Document) -> None:
        """Store a new segmentation of a stored document in one transaction (same doc id,
        paths and ingest time; the stored extraction is kept when ``doc`` carries none)."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._reinsert(doc)
            self._bump_generation()
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _cut_more(self, doc: Document) -> bool:
        """Whether the stored version of doc's bytes was cut shorter by the page limit."""
        row = self.conn.execute(
            "SELECT pages_in_file - pages_kept FROM extractions WHERE doc_id = ?", (doc.doc_id,)
        ).fetchone()
        cut = doc.extraction.pages_cut if doc.extraction else 0
        return row is not None and row[0] > cut

    def _reinsert(self, doc: Document) -> None:
        """Replace the rows of a stored document (inside a transaction), keeping its paths,
        ingest time and, when ``doc`` carries none, its extraction."""
        conn = self.conn
        row = conn.execute(
            "SELECT ingested_at FROM documents WHERE doc_id = ?", (doc.doc_id,)
        ).fetchone()
        if row is None:
            raise CorpusError(f"document {doc.doc_id} is not in {self.path}")
        paths = self.paths_of(doc.doc_id)
        shown = self.path_of(doc.doc_id)
        extraction = conn.execute(
            "SELECT pages_kept, pages_in_file, image_pages, pages FROM extractions WHERE doc_id = ?",
            (doc.doc_id,),
        ).fetchone()
        conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
        self._insert_document(replace(doc, path=shown or doc.path), ingested_at=row[0])
        if doc.extraction is None and extraction is not None:
            conn.execute(
                "INSERT INTO extractions (doc_id, pages_kept, pages_in_file, image_pages, pages)"
                " VALUES (?,?,?,?,?)",
                (doc.doc_id, *extraction),
            )
        for path in {*paths, doc.path}:
            self._link(doc.doc_id, path)
        self._fix_primary(doc.doc_id)

    def _insert_document(self, doc: Document, *, ingested_at: str | None = None) -> None:
        m = doc.meeting
        window = m.date_window or (None, None)
        self.conn.execute(
            "INSERT INTO documents (doc_id, path, source, fmt, kind, forbund, forbund_evidence,"
            " organ, meeting_date, meeting_time, place, chair, secretary, adjusters,"
            " date_window_from, date_window_to, attachments, n_pages, text, ingested_at,"
            " warnings, segmenter) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.doc_id,
                doc.path,
                doc.source,
                doc.fmt,
                doc.kind,
                m.forbund,
                m.forbund_evidence,
                m.organ,
                m.date,
                m.time,
                m.place,
                m.chair,
                m.secretary,
                _dumps(list(m.adjusters)),
                window[0],
                window[1],
                _dumps(list(doc.attachments)),
                doc.n_pages,
                doc.text,
                ingested_at or _now(),
                _dumps([[w.code, w.message] for w in doc.warnings]),
                doc.segmenter,
            ),
        )
        if doc.extraction is not None:
            ext = doc.extraction
            self.conn.execute(
                "INSERT INTO extractions (doc_id, pages_kept, pages_in_file, image_pages, pages)"
                " VALUES (?,?,?,?,?)",
                (
                    doc.doc_id,
                    len(ext.pages),
                    ext.pages_in_file,
                    _dumps(list(ext.image_pages)),
                    pages_to_blob(ext.pages),
                ),
            )
        self.conn.executemany(
            "INSERT INTO participants (doc_id, pos, name, organisation, role, note)"
            " VALUES (?,?,?,?,?,?)",
            [
                (doc.doc_id, i, p.name, p.organisation, p.role, p.note)
                for i, p in enumerate(m.participants)
            ],
        )
        self.conn.executemany(
            "INSERT INTO items (item_id, item_key, doc_id, pos, label, number, kind, title, body,"
            " handlingar, decisions, proposals, copy_to, pages, amounts, dates, organisations,"
            " attachment, procedural, has_decision)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    it.item_id,
                    item_key(it.item_id),
                    doc.doc_id,
                    pos,
                    it.label,
                    it.number,
                    it.kind,
                    it.title,
                    it.body,
                    _dumps(list(it.handlingar)),
                    _dumps(list(it.decisions)),
                    _dumps(list(it.proposals)),
                    _dumps(list(it.copy_to)),
                    _dumps(list(it.pages)),
                    _amounts_out(it.amounts),
                    _dumps(list(it.dates)),
                    _dumps(list(it.organisations)),
                    it.attachment,
                    int(it.procedural),
                    int(bool(it.decisions or it.proposals)),
                )
                for pos, it in enumerate(doc.items)
            ],
        )
        self.conn.executemany(
            "INSERT INTO decisions (item_id, pos, clause, act, stance, object, amounts_kr, rates,"
            " organisations, from_proposal, verb) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    it.item_id,
                    pos,
                    d.clause,
                    d.act,
                    d.stance,
                    d.object,
                    _dumps(list(d.amounts_kr)),
                    _amounts_out(d.rates),
                    _dumps(list(d.organisations)),
                    int(d.from_proposal),
                    d.verb,
                )
                for it in doc.items
                for pos, d in enumerate(it.records)
            ],
        )
        self._seal(doc.doc_id)

    def _digest(self, doc_id: str) -> str:
        """A hash of a document's stored records as they read back now (DIGESTED)."""
        h = hashlib.sha256()
        for sql in DIGESTED:
            for row in self.conn.execute(sql, (doc_id,)):
                h.update(repr(row).encode("utf-8", "surrogatepass"))
        return h.hexdigest()[:32]

    def _seal(self, doc_id: str) -> None:
        """Record the digest of a document's records as written (inside its transaction)."""
        self.conn.execute(
            "INSERT OR REPLACE INTO record_digests (doc_id, digest, schema) VALUES (?, ?, ?)",
            (doc_id, self._digest(doc_id), SCHEMA_VERSION),
        )

    def digest_problem(self, doc_id: str) -> str | None:
        """Whether a document's records still read back as they were written: None, or what
        differs. A document sealed under an older schema (or never) is not compared."""
        row = self.conn.execute(
            "SELECT digest, schema FROM record_digests WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        if row is None or row[1] != SCHEMA_VERSION:
            return None
        if row[0] != self._digest(doc_id):
            return "its stored records differ from what was written (a damaged byte)"
        return None

    def unsealed(self) -> list[str]:
        """Documents without a digest of the current schema (stored before it)."""
        rows = self.conn.execute(
            "SELECT d.doc_id FROM documents d LEFT JOIN record_digests r USING (doc_id)"
            " WHERE r.schema IS NOT ? ORDER BY d.doc_id",
            (SCHEMA_VERSION,),
        )
        return [r[0] for r in rows]

    def seal(self, doc_ids: list[str]) -> None:
        """Record the digests of documents whose records were checked (doctor --repair)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for doc_id in doc_ids:
                self._seal(doc_id)
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _bump_generation(self) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT(key)"
            " DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
        )

    def delete_document(self, doc_id: str) -> bool:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            n = self.conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount
            if n:
                self._bump_generation()
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return bool(n)

    def replace_document(self, doc: Document) -> None:
        """Store a document in place of the stored one with the same id (whose records are
        damaged), in one transaction."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            paths = self.paths_of(doc.doc_id)
            primary = self.path_of(doc.doc_id)
            self.conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
            self._insert_document(doc)
            for path in paths or [doc.path]:
                self._link(doc.doc_id, path)
            self._fix_primary(doc.doc_id, prefer=primary)
            self._bump_generation()
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def remove_damaged(self, doc_id: str, failure: Failure) -> None:
        """Take a document whose records are damaged out of the corpus and list its file
        among the failures (with the reason), in one transaction."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self.record_failure(failure)
            self._bump_generation()
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def record_failure(self, failure: Failure) -> None:
        self.conn.execute(
            "INSERT INTO failures (path, reason, kind, at) VALUES (?,?,?,?) ON CONFLICT(path)"
            " DO UPDATE SET reason = excluded.reason, kind = excluded.kind, at = excluded.at",
            (failure.path, failure.reason, failure.kind, _now()),
        )

    # -- reading: documents ---------------------------------------------------------------

    def failures(self) -> list[Failure]:
        rows = self.conn.execute("SELECT path, reason, kind FROM failures ORDER BY path")
        return [Failure(p, r, k) for p, r, k in rows]

    def generation(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def fingerprint(self) -> str:
        """A hash of what is in the corpus: changes whenever a document is added or removed.
        Computed again only when the write generation has moved (0.4 s at 100k documents)."""
        generation = self.generation()
        cached = self._fingerprint
        if cached is not None and cached[0] == generation:
            return cached[1]
        h = hashlib.sha256()
        for (doc_id,) in self.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id"):
            h.update(doc_id.encode())
        (n,) = self.conn.execute("SELECT count(*) FROM items").fetchone()
        h.update(str(n).encode())
        self._fingerprint = (generation, h.hexdigest()[:24])
        return self._fingerprint[1]

    def find_documents(self, ref: str) -> list[str]:
        """Doc ids whose doc id, file name or path (any of its paths) is, or whose doc id or
        file name starts with, ref."""
        rows = self.conn.execute(
            "SELECT doc_id FROM documents WHERE doc_id IN ("
            " SELECT doc_id FROM documents WHERE doc_id = ?1 OR doc_id LIKE ?2 ESCAPE '\\'"
            " UNION SELECT doc_id FROM document_paths"
            " WHERE path = ?1 OR source = ?1 OR source LIKE ?2 ESCAPE '\\') ORDER BY source",
            (ref, re.sub(r"([\\%_])", r"\\\1", ref) + "%"),
        ).fetchall()
        return [r[0] for r in rows]

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT doc_id FROM documents ORDER BY source")]

    def get_document(self, doc_id: str, *, with_items: bool = True) -> Document | None:
        """The stored document, or None. Raises CorpusDamaged if its records are damaged."""
        try:
            return self._read_document(doc_id, with_items)
        except (ValueError, TypeError) as e:
            raise self._damaged(e, doc_id=doc_id) from e

    def _damaged(
        self, e: Exception, *, doc_id: str | None = None, item_id: str | None = None
    ) -> CorpusDamaged:
        """The error for a record that cannot be read back (a damaged byte in a column)."""
        if item_id is not None:
            row = self.conn.execute(
                "SELECT doc_id FROM items WHERE item_id = ?", (item_id,)
            ).fetchone()
            doc_id = row[0] if row else doc_id
        path = self.path_of(doc_id) if doc_id else None
        return CorpusDamaged(
            f"a stored record of {path or doc_id} in {self.path} is damaged ({e})",
            _repair(self.path),
        )

    def _read_document(self, doc_id: str, with_items: bool) -> Document | None:
        row = self.conn.execute(
            "SELECT doc_id, source, path, kind, forbund, forbund_evidence, organ, meeting_date,"
            " meeting_time, place, chair, secretary, adjusters, date_window_from, date_window_to,"
            " attachments, n_pages, text, fmt, warnings, segmenter FROM documents"
            " WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        participants = tuple(
            Participant(name, org, role, note)
            for name, org, role, note in self.conn.execute(
                "SELECT name, organisation, role, note FROM participants WHERE doc_id = ?"
                " ORDER BY pos",
                (doc_id,),
            )
        )
        meeting = Meeting(
            forbund=row[4],
            forbund_evidence=row[5],
            organ=row[6],
            date=row[7],
            time=row[8],
            place=row[9],
            participants=participants,
            chair=row[10],
            secretary=row[11],
            adjusters=_list(row[12]),
            date_window=(row[13], row[14]) if row[13] and row[14] else None,
        )
        items: tuple[Item, ...] = ()
        if with_items:
            rows = self.conn.execute(
                f"SELECT {ITEM_COLUMNS} FROM items i WHERE i.doc_id = ? ORDER BY i.pos", (doc_id,)
            ).fetchall()
            items = self._items_from_rows(rows)
        return Document(
            doc_id=row[0],
            source=row[1],
            path=row[2],
            kind=row[3],
            meeting=meeting,
            items=items,
            n_pages=row[16],
            text=row[17],
            attachments=_list(row[15]),
            fmt=row[18],
            warnings=_warnings_in(row[19]),
            segmenter=row[20],
        )

    def extraction(self, doc_id: str) -> Extraction | None:
        """The pages a document was segmented from, if the store keeps them (documents
        ingested before schema 4 have only their cleaned text)."""
        row = self.conn.execute(
            "SELECT e.pages_in_file, e.image_pages, e.pages, d.fmt FROM extractions e"
            " JOIN documents d USING (doc_id) WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        return Extraction(
            pages=pages_from_blob(row[2]),
            fmt=row[3],
            pages_in_file=row[0],
            image_pages=tuple(json.loads(row[1])),
        )

    def pages_cut(self, doc_id: str) -> tuple[int, int] | None:
        """(pages read, pages in the file) of a document the page limit cut short, else None."""
        row = self.conn.execute(
            "SELECT pages_kept, pages_in_file FROM extractions WHERE doc_id = ?"
            " AND pages_in_file > pages_kept",
            (doc_id,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def outdated_documents(self, segmenter: int) -> list[str]:
        """Doc ids of the documents segmented by a segmenter older than ``segmenter``."""
        rows = self.conn.execute(
            "SELECT doc_id FROM documents WHERE segmenter < ? ORDER BY source, doc_id",
            (segmenter,),
        )
        return [r[0] for r in rows]

    def document_warnings_of(self, doc_id: str) -> tuple[QualityWarning, ...]:
        row = self.conn.execute(
            "SELECT warnings FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return _warnings_in(row[0]) if row else ()

    def document_warnings(self) -> list[tuple[str, str, tuple[QualityWarning, ...]]]:
        """(source, doc_id, warnings) of every document with warnings, by source."""
        rows = self.conn.execute(
            "SELECT source, doc_id, warnings FROM documents WHERE warnings != '[]'"
            " ORDER BY source, doc_id"
        )
        return [(src, doc_id, _warnings_in(raw)) for src, doc_id, raw in rows]

    def iter_documents(self, *, with_items: bool = False) -> Iterator[Document]:
        for doc_id in self.doc_ids():
            doc = self.get_document(doc_id, with_items=with_items)
            if doc is not None:
                yield doc

    def count_items(self, doc_id: str) -> int:
        (n,) = self.conn.execute(
            "SELECT count(*) FROM items WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return int(n)

    # -- reading: items -------------------------------------------------------------------

    def _records(self, item_ids: list[str]) -> dict[str, list[Decision]]:
        out: dict[str, list[Decision]] = {i: [] for i in item_ids}
        for row in self._where_in(
            "SELECT item_id, clause, act, stance, object, amounts_kr, rates, organisations,"
            " from_proposal, verb FROM decisions",
            "item_id",
            item_ids,
            "ORDER BY item_id, pos",
        ):
            try:
                decision = Decision(
                    clause=row[1],
                    act=row[2],
                    stance=row[3],
                    object=row[4],
                    amounts_kr=_list(row[5]),
                    rates=_amounts_in(row[6]),
                    organisations=_list(row[7]),
                    from_proposal=bool(row[8]),
                    verb=row[9],
                )
            except (ValueError, TypeError) as e:
                raise self._damaged(e, item_id=row[0]) from e
            out[row[0]].append(decision)
        return out

    def _items_from_rows(self, rows: list[tuple]) -> tuple[Item, ...]:  # type: ignore[type-arg]
        records = self._records([r[0] for r in rows])
        items = []
        for r in rows:
            try:
                item = Item(
                    item_id=r[0],
                    label=r[1],
                    number=r[2],
                    kind=r[3],
                    title=r[4],
                    body=r[5],
                    handlingar=_list(r[6]),
                    decisions=_list(r[7]),
                    proposals=_list(r[8]),
                    copy_to=_list(r[9]),
                    pages=_list(r[10]),
                    amounts=_amounts_in(r[11]),
                    dates=_list(r[12]),
                    organisations=_list(r[13]),
                    attachment=r[14],
                    procedural=bool(r[15]),
                    records=tuple(records[r[0]]),
                )
            except (ValueError, TypeError) as e:
                raise self._damaged(e, item_id=r[0]) from e
            items.append(item)
        return tuple(items)

    def _contexts(self, rows: list[tuple]) -> list[ItemContext]:  # type: ignore[type-arg]
        items = self._items_from_rows(rows)
        return [
            ItemContext(item, r[16], r[17], r[18], r[19], r[20], r[21])
            for item, r in zip(items, rows, strict=True)
        ]

    def item_contexts(self, item_ids: list[str]) -> list[ItemContext]:
        """Items with their document facts, in the order of item_ids (unknown ids skipped)."""
        rows = self._where_in(
            f"SELECT {CONTEXT_COLUMNS} FROM items i JOIN documents d USING (doc_id)",
            "i.item_id",
            item_ids,
        )
        found = {ctx.item.item_id: ctx for ctx in self._contexts(list(rows))}
        return [found[i] for i in item_ids if i in found]

    def _where_in(
        self, select: str, column: str, values: list[str], order: str = ""
    ) -> Iterator[tuple[Any, ...]]:
        """The rows of `select` WHERE column IN values (then `order`), asked 500 values at a
        time (SQLite limits the parameters of one statement)."""
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"{select} WHERE {column} IN ({marks}) {order}"
            yield from self.conn.execute(sql, chunk).fetchall()

    def iter_item_contexts(
        self, filters: Filters | None = None, *, batch: int = 2000
    ) -> Iterator[ItemContext]:
        where, params = _filter_sql(filters or Filters())
        cur = self.conn.execute(
            f"SELECT {CONTEXT_COLUMNS} FROM items i JOIN documents d USING (doc_id)"
            f" WHERE {where} ORDER BY d.source, i.pos",
            params,
        )
        while rows := cur.fetchmany(batch):
            yield from self._contexts(rows)

    def item_texts(self, item_ids: list[str] | None = None) -> Iterator[tuple[str, str, str]]:
        """(item_id, title, searchable text) of every item (in item-key order), or of those
        of item_ids, for the lexical index."""
        sql = "SELECT item_id, title, body, handlingar, decisions, proposals, attachment FROM items"
        rows: Iterable[tuple[Any, ...]] = (
            self.conn.execute(sql + " ORDER BY item_key")
            if item_ids is None
            else self._where_in(sql, "item_id", item_ids)
        )
        for item_id, title, body, handlingar, decisions, proposals, attachment in rows:
            # The body is the item's full text; add extracted parts only where it lacks them,
            # so Handlingar and Beslut are not counted twice.
            try:
                extra = _list(handlingar) + _list(decisions) + _list(proposals)
            except (ValueError, TypeError) as e:
                raise self._damaged(e, item_id=item_id) from e
            parts = [attachment or "", body, *(x for x in extra if x not in body)]
            yield item_id, title, "\n".join(p for p in parts if p)

    def meeting_dates(self, item_ids: list[str]) -> dict[str, str | None]:
        """Meeting date (or the end of the date window) of each item's document."""
        rows = self._where_in(
            "SELECT i.item_id, COALESCE(d.meeting_date, d.date_window_to) FROM items i"
            " JOIN documents d USING (doc_id)",
            "i.item_id",
            item_ids,
        )
        return dict(rows)

    def item_facts(self, item_ids: list[str]) -> list[ItemFacts]:
        """Förbund, date, document kind and decision stances of items (for facet counts and
        sorting), in the order of item_ids (unknown ids skipped)."""
        stances: dict[str, list[str]] = {}
        for item_id, stance in self._where_in(
            "SELECT DISTINCT item_id, stance FROM decisions", "item_id", item_ids, "ORDER BY 1, 2"
        ):
            if stance:
                stances.setdefault(item_id, []).append(stance)
        rows = self._where_in(
            "SELECT i.item_id, d.forbund, COALESCE(d.meeting_date, d.date_window_to), d.kind"
            " FROM items i JOIN documents d USING (doc_id)",
            "i.item_id",
            item_ids,
        )
        found = {
            r[0]: ItemFacts(r[0], r[1], r[2], r[3], tuple(stances.get(r[0], ()))) for r in rows
        }
        return [found[i] for i in item_ids if i in found]

    def rerank_rows(
        self, item_ids: list[str]
    ) -> list[
        tuple[str, str, str, str | None, str | None, list[tuple[str | None, str | None, bool]]]
    ]:
        """(item id, title, document kind, förbund, date, [(act, stance, from a proposal)] of
        its decision records in order) of items: what re-ranking reads of its candidates,
        without their bodies or the records' clauses (unknown ids skipped)."""
        records: dict[str, list[tuple[str | None, str | None, bool]]] = {i: [] for i in item_ids}
        for item_id, act, stance, from_proposal in self._where_in(
            "SELECT item_id, act, stance, from_proposal FROM decisions",
            "item_id",
            item_ids,
            "ORDER BY item_id, pos",
        ):
            records[item_id].append((act, stance, bool(from_proposal)))
        rows = self._where_in(
            "SELECT i.item_id, i.title, d.kind, d.forbund,"
            " COALESCE(d.meeting_date, d.date_window_to) FROM items i JOIN documents d USING (doc_id)",
            "i.item_id",
            item_ids,
        )
        return [(r[0], r[1], r[2], r[3], r[4], records[r[0]]) for r in rows]

    def present_item_ids(self, item_ids: list[str]) -> set[str]:
        """Those of item_ids that the corpus holds now."""
        return {r[0] for r in self._where_in("SELECT item_id FROM items", "item_id", item_ids)}

    def procedural_item_ids(self) -> set[str]:
        """Items about meeting formalities (val av justerare, dagordning …)."""
        return {r[0] for r in self.conn.execute("SELECT item_id FROM items WHERE procedural = 1")}

    def item_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT item_id FROM items ORDER BY item_key")]

    def item_id_set(self) -> set[str]:
        """Every item id, in no order: read from the item_id index alone (item_ids, in key
        order, looks up each item's row: 10x slower)."""
        return {r[0] for r in self.conn.execute("SELECT item_id FROM items")}

    def allowed_keys(self, filters: Filters) -> np.ndarray:
        """Sorted int64 item keys that pass the filters (used inside the searches)."""
        where, params = _filter_sql(filters)
        # Documents first (CROSS JOIN fixes the order), then their items by index, sorted in
        # numpy: left to itself SQLite walks every item in key order to skip the sort and
        # looks up its document, 50x slower for a date range at 100k items (2 s vs 41 ms).
        rows = self.conn.execute(
            "SELECT i.item_key FROM documents d CROSS JOIN items i ON i.doc_id = d.doc_id"
            f" WHERE {where}",
            params,
        ).fetchall()
        return np.sort(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))

    # -- reading: overview ----------------------------------------------------------------

    def forbund_names(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT DISTINCT forbund FROM documents WHERE forbund IS NOT NULL ORDER BY forbund"
        )
        return [r[0] for r in rows]

    def coverage(self) -> list[tuple[str | None, str | None, str, str, str]]:
        """(förbund, meeting date, kind, source, doc_id) of every document."""
        return list(
            self.conn.execute(
                "SELECT forbund, COALESCE(meeting_date, date_window_to), kind, source, doc_id"
                " FROM documents ORDER BY forbund, meeting_date"
            )
        )

    def stats(self) -> CorpusStats:
        q = self.conn.execute
        (docs,) = q("SELECT count(*) FROM documents").fetchone()
        (items,) = q("SELECT count(*) FROM items").fetchone()
        (decisions,) = q("SELECT count(*) FROM decisions").fetchone()
        (failures,) = q("SELECT count(*) FROM failures").fetchone()
        rows = q(
            "SELECT COALESCE(forbund, 'okänt förbund'),"
            " COALESCE(substr(COALESCE(meeting_date, date_window_to), 1, 4), 'okänt år'),"
            " count(*) FROM documents GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        return CorpusStats(docs, items, decisions, failures, tuple(tuple(r) for r in rows))

    @classmethod
    def open_damaged(cls, path: Path) -> Store:
        """A read-only connection to a damaged database, for salvage: no checks, and a schema
        with a damaged entry is read as far as it parses."""
        conn = sqlite3.connect(
            "file:" + urllib.parse.quote(str(path.resolve()), safe="/") + "?mode=ro",
            uri=True,
            check_same_thread=False,
        )
        conn.isolation_level = None
        conn.execute("PRAGMA writable_schema = ON")  # tolerate a damaged CREATE statement
        return cls(conn, path)

    def readable_rows(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of a query up to where the database is too damaged to read on."""
        rows: list[tuple[Any, ...]] = []
        try:
            cur = self.conn.execute(sql)
            while batch := cur.fetchmany(100):
                rows += batch
        except (sqlite3.DatabaseError, UnicodeDecodeError) as e:
            log.info("%s: stopped reading after %d rows (%s)", self.path, len(rows), e)
        return rows

    def salvage_refs(self) -> dict[str, list[str]]:
        """Every document id that can still be read, with the paths it was found at."""
        refs: dict[str, list[str]] = {}
        for sql in (
            "SELECT doc_id, path FROM document_paths",
            "SELECT doc_id, path FROM documents",
            "SELECT DISTINCT doc_id, NULL FROM items",
        ):
            for doc_id, path in self.readable_rows(sql):
                if isinstance(doc_id, str):
                    paths = refs.setdefault(doc_id, [])
                    if isinstance(path, str) and path not in paths:
                        paths.append(path)
        return refs

    def put_salvaged(self, doc: Document, paths: list[str]) -> None:
        """Store a document saved from a damaged corpus, with every path it had."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._insert_document(doc)
            for path in paths or [doc.path]:
                self._link(doc.doc_id, path)
            self._fix_primary(doc.doc_id, prefer=doc.path)
            self._bump_generation()
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def integrity_problems(self) -> list[str]:
        """Problems found by SQLite's own integrity and foreign key checks."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in self.conn.execute("PRAGMA foreign_key_check")]
        return problems


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection. The path is quoted for the URI ("#", "?" and "%" in folder
    names). In a folder nobody may write (a read-only mount, a shared copy), SQLite cannot
    create the WAL's shared-memory file: the file is then opened as immutable, which is
    what it is for every process there."""
    uri = "file:" + urllib.parse.quote(str(path.resolve()), safe="/")
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        if os.access(path.parent, os.W_OK):
            conn.close()
            raise
    conn.close()
    log.info("%s is in a folder that cannot be written: opened as immutable", path)
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def _unreadable(path: Path, e: sqlite3.Error) -> CorpusError:
    """A database SQLite cannot read: damaged (doctor --repair saves what it can), or locked
    or missing rights (nothing to repair)."""
    text = str(e)
    if any(w in text for w in ("malformed", "not a database", "corrupt", "no such table")):
        return CorpusDamaged(f"{path} is not a readable finsam corpus ({text})", _repair(path))
    return CorpusError(f"{path} is not a readable finsam corpus: {text}")


def _schema_damaged(path: Path) -> CorpusDamaged:
    return CorpusDamaged(f"the schema of {path} is damaged (unreadable bytes in it)", _repair(path))


def _repair(path: Path) -> str:
    return f"Repair it with: finsam doctor --repair --db {path}"


def _filter_sql(filters: Filters) -> tuple[str, list[object]]:
    clauses: list[str] = ["1"]
    params: list[object] = []
    if filters.forbund:
        clauses.append(f"d.forbund IN ({','.join('?' * len(filters.forbund))})")
        params += list(filters.forbund)
    if filters.date_from:
        clauses.append("COALESCE(d.meeting_date, d.date_window_to) >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append("COALESCE(d.meeting_date, d.date_window_from) <= ?")
        params.append(filters.date_to)
    if filters.kinds:
        clauses.append(f"d.kind IN ({','.join('?' * len(filters.kinds))})")
        params += list(filters.kinds)
    if filters.decisions_only:
        clauses.append("i.has_decision = 1")
    return " AND ".join(clauses), params
