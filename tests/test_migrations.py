"""Schema migrations: every older version is brought to the current one, in order, with its
data kept; a failing migration changes nothing. The old databases are built from the schema
files those versions shipped (tests/data/schema/v1.sql, v2.sql, v3.sql), with rows in their shape."""

from __future__ import annotations

import re
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from corpus.errors import CorpusError
from corpus.model import Filters, make_item_id
from corpus.store import SCHEMA_VERSION, Store, migrations

OLD_SCHEMAS = Path(__file__).parent / "data" / "schema"
DOC_ID = "d" * 32


def _old_corpus(path: Path, version: int) -> None:
    """A corpus as finsam at schema ``version`` left it: one protocol with two items, a
    participant, a decision record, a failure and a write generation."""
    conn = sqlite3.connect(path)
    conn.executescript((OLD_SCHEMAS / f"v{version}.sql").read_text("utf-8"))
    conn.execute(
        "INSERT INTO documents (doc_id, path, source, fmt, kind, forbund, forbund_evidence, organ,"
        " meeting_date, meeting_time, place, chair, secretary, adjusters, date_window_from,"
        " date_window_to, attachments, n_pages, text, ingested_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            DOC_ID, "/x/p.txt", "p.txt", "txt", "protokoll", "Samordningsförbundet Norr",
            "rubriken", "styrelse", "2023-05-10", "13.00", "Umeå", "Anna Andersson",
            "Bo Berg", '["Cilla Ceder"]', None, None, "[]", 2,
            "Protokoll\n\n§ 1 Budget\nStyrelsen beslutar att bevilja 120 tkr.", "2024-01-02",
        ),
    )  # fmt: skip
    conn.execute(
        "INSERT INTO participants VALUES (?, 0, 'Anna Andersson', 'Region', 'beslutande', NULL)",
        (DOC_ID,),
    )
    for pos, (label, procedural) in enumerate((("§ 1", 0), ("§ 2", 1))):
        item_id = make_item_id(DOC_ID, label)
        conn.execute(
            "INSERT INTO items (item_id, item_key, doc_id, pos, label, number, kind, title, body,"
            " decisions, pages, amounts, procedural, has_decision)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                item_id, int(item_id[:15], 16), DOC_ID, pos, label, pos + 1, "paragraf",
                f"Titel {pos + 1}", "Styrelsen beslutar att bevilja 120 tkr.",
                '["Att bevilja 120 tkr"]' if not procedural else "[]", f"[{pos + 1}]",
                '[[120000.0, "kr", "120 tkr"]]', procedural, int(not procedural),
            ),
        )  # fmt: skip
    conn.execute(
        "INSERT INTO decisions (item_id, pos, clause, act, stance, object, amounts_kr)"
        " VALUES (?, 0, 'Att bevilja 120 tkr', 'bevilja', 'approved', 'budget', '[120000.0]')",
        (make_item_id(DOC_ID, "§ 1"),),
    )
    if version >= 3:
        conn.execute("INSERT INTO document_paths VALUES ('/x/p.txt', ?, 'p.txt')", (DOC_ID,))
    conn.execute("INSERT INTO failures VALUES ('/x/trasig.pdf', 'skadad', 'unreadable', 'nu')")
    conn.execute("INSERT INTO meta VALUES ('generation', '7')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def _schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        return [(t, n, re.sub(r"\s+", " ", s or "")) for t, n, s in rows]
    finally:
        conn.close()


def test_schema_sql_numbers_its_named_migrations_up_to_the_current_version() -> None:
    found = migrations()
    assert [m.version for m in found] == list(range(1, SCHEMA_VERSION + 1))
    assert all(re.fullmatch(r"[a-z_]+", m.name) and m.statements for m in found)
    schema = resources.files("corpus").joinpath("schema.sql").read_text("utf-8")
    assert schema.splitlines()[0].startswith(f"-- The corpus schema (version {SCHEMA_VERSION})")


@pytest.mark.parametrize("version", [1, 2, 3])
@pytest.mark.parametrize("readonly", [False, True])
def test_an_older_corpus_is_migrated_in_order_and_keeps_its_data(
    tmp_path: Path, version: int, readonly: bool
) -> None:
    path = tmp_path / "old.db"
    _old_corpus(path, version)
    with Store.open(path, readonly=readonly) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        doc = s.get_document(DOC_ID)
        assert doc is not None
        assert (doc.meeting.forbund, doc.meeting.date, doc.meeting.chair) == (
            "Samordningsförbundet Norr",
            "2023-05-10",
            "Anna Andersson",
        )
        assert doc.meeting.adjusters == ("Cilla Ceder",)
        assert [p.name for p in doc.meeting.participants] == ["Anna Andersson"]
        assert [(i.label, i.title, i.pages) for i in doc.items] == [
            ("§ 1", "Titel 1", (1,)),
            ("§ 2", "Titel 2", (2,)),
        ]
        assert doc.items[0].records[0].stance == "approved"
        assert doc.items[0].amounts_kr == (120000.0,)
        assert (doc.warnings, doc.segmenter) == ((), 0)  # not assessed yet; segmenter unknown
        assert s.extraction(DOC_ID) is None  # only the cleaned text was kept then
        assert s.outdated_documents(1) == [DOC_ID]
        assert [f.path for f in s.failures()] == ["/x/trasig.pdf"]
        assert s.generation() == 7
        assert s.paths_of(DOC_ID) == ["/x/p.txt"]
        assert s.procedural_item_ids() == {make_item_id(DOC_ID, "§ 2")}
        keys = s.allowed_keys(Filters(date_from="2023-01-01", decisions_only=True))
        assert keys.tolist() == [doc.items[0].key]
    fresh = tmp_path / "fresh.db"
    Store.open(fresh).close()
    assert _schema(path) == _schema(fresh)  # the same tables, columns and indexes


def test_the_filter_indexes_of_migration_2_serve_the_date_filter(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_corpus(path, 1)
    with Store.open(path) as s:
        plan = " ".join(
            r[3]
            for r in s.conn.execute(
                "EXPLAIN QUERY PLAN SELECT i.item_key FROM documents d CROSS JOIN items i"
                " ON i.doc_id = d.doc_id WHERE COALESCE(d.meeting_date, d.date_window_to) >= ?",
                ["2022"],
            )
        )
    assert "documents_span" in plan and "COVERING INDEX items_doc_key" in plan


def test_a_failing_migration_leaves_the_corpus_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_corpus(path, 2)
    conn = sqlite3.connect(path)  # a column in the way of migration 4
    conn.execute("ALTER TABLE documents ADD COLUMN segmenter TEXT")
    conn.commit()
    conn.close()
    before = _schema(path)
    with pytest.raises(
        CorpusError,
        match=r"migration 4 \(document_quality\) failed.*duplicate column name: segmenter",
    ):
        Store.open(path)
    assert _schema(path) == before  # migration 3's first column was rolled back too
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == 2
    conn.close()


def test_a_corpus_from_a_newer_finsam_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(CorpusError, match="newer finsam"):
        Store.open(path)
    with pytest.raises(CorpusError, match="newer finsam"):
        Store.open(path, readonly=True)
