"""Store round trips, transactional replace and filters, on constructed documents."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from corpus.errors import CorpusError
from corpus.model import (
    Amount,
    Decision,
    Document,
    Failure,
    Filters,
    Item,
    Meeting,
    Participant,
    item_key,
    make_item_id,
)
from corpus.store import Store


def make_doc(doc_id: str, path: str, forbund: str, date: str | None, n: int = 2) -> Document:
    items = tuple(
        Item(
            item_id=make_item_id(doc_id, f"§ {i}"),
            label=f"§ {i}",
            number=i,
            kind="paragraf",
            title=f"Ärende {i} om serviceavgift",
            body=f"Text för punkt {i}. Förbundet beviljar 120 tkr.",
            handlingar=("Tjänsteskrivelse",),
            decisions=(f"Att bevilja {i} 120 tkr",) if i % 2 else (),
            pages=(i,),
            amounts=(Amount(120000.0, "kr", "120 tkr"),),
            procedural=i == 0,
            records=(Decision(f"Att bevilja {i} 120 tkr", "bevilja", "approved", "x", (120000.0,)),)
            if i % 2
            else (),
        )
        for i in range(n)
    )
    meeting = Meeting(
        forbund=forbund,
        forbund_evidence="rubriken",
        organ="styrelse",
        date=date,
        participants=(Participant("Anna Andersson", "Försäkringskassan", "beslutande"),),
        chair="Anna Andersson",
        adjusters=("Bo Berg",),
    )
    return Document(
        doc_id, Path(path).name, path, "protokoll", meeting, items, n_pages=n, fmt="txt"
    )


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "c.db")
    yield s
    s.close()


def test_round_trip_keeps_every_field(store: Store) -> None:
    doc = make_doc("a" * 32, "/x/a.txt", "Samordningsförbundet Umeåregionen", "2021-10-28", 3)
    assert store.put_document(doc) == "added"
    back = store.get_document(doc.doc_id)
    assert back == doc


def test_reingest_identical_changes_nothing(store: Store) -> None:
    doc = make_doc("a" * 32, "/x/a.txt", "F", "2021-10-28")
    store.put_document(doc)
    gen, fp = store.generation(), store.fingerprint()
    assert store.put_document(doc) == "unchanged"
    assert (store.generation(), store.fingerprint()) == (gen, fp)


def test_changed_file_at_same_path_replaces(store: Store) -> None:
    store.put_document(make_doc("a" * 32, "/x/a.txt", "F", "2021-10-28", 3))
    assert store.put_document(make_doc("b" * 32, "/x/a.txt", "F", "2021-10-29", 2)) == "replaced"
    assert store.doc_ids() == ["b" * 32]
    assert store.stats().items == 2
    assert store.stats().decisions == 1


def test_failed_write_rolls_back_and_keeps_earlier_documents(store: Store) -> None:
    store.put_document(make_doc("a" * 32, "/x/a.txt", "F", "2021-10-28"))
    bad = make_doc("b" * 32, "/x/b.txt", "F", "2021-10-28")
    # Two items with one id violate the primary key half way through the insert.
    bad = Document(**{**{f: getattr(bad, f) for f in bad.__slots__}, "items": bad.items * 2})
    with pytest.raises(sqlite3.IntegrityError):
        store.put_document(bad)
    assert store.doc_ids() == ["a" * 32]
    assert store.stats().items == 2


def test_filters_select_keys_inside_sql(store: Store) -> None:
    a = make_doc("a" * 32, "/x/a.txt", "Förbund A", "2021-10-28", 3)
    b = make_doc("b" * 32, "/x/b.txt", "Förbund B", "2023-11-02", 3)
    store.put_document(a)
    store.put_document(b)
    keys = store.allowed_keys(Filters(forbund=("Förbund B",)))
    assert sorted(keys.tolist()) == sorted(item_key(i.item_id) for i in b.items)
    keys = store.allowed_keys(Filters(date_to="2022-12-31"))
    assert sorted(keys.tolist()) == sorted(item_key(i.item_id) for i in a.items)
    keys = store.allowed_keys(Filters(decisions_only=True))
    assert len(keys) == 2  # item 1 of each document has a decision


def test_failures_are_recorded_and_cleared_by_a_later_success(store: Store) -> None:
    store.record_failure(Failure("/x/a.txt", "trasig", "unreadable"))
    assert store.failures() == [Failure("/x/a.txt", "trasig", "unreadable")]
    store.put_document(make_doc("a" * 32, "/x/a.txt", "F", None))
    assert store.failures() == []


def test_readonly_open_of_missing_corpus_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="finsam ingest"):
        Store.open(tmp_path / "nope.db", readonly=True)


def test_not_a_database_is_a_named_error(tmp_path: Path) -> None:
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CorpusError, match="not a readable finsam corpus"):
        Store.open(p)


def test_fingerprint_follows_writes_of_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as writer, Store.open(path, readonly=True) as reader:
        writer.put_document(make_doc("a" * 32, "/x/a.txt", "F", "2021-10-28"))
        first = reader.fingerprint()
        assert reader.fingerprint() == first == writer.fingerprint()
        writer.put_document(make_doc("b" * 32, "/x/b.txt", "F", "2022-10-28"))
        second = reader.fingerprint()
        assert second != first and second == writer.fingerprint()
        assert writer.delete_document("b" * 32)
        assert reader.fingerprint() == first


def test_warnings_segmenter_and_extraction_round_trip(store: Store) -> None:
    from dataclasses import replace

    from corpus.model import Extraction, Page, QualityWarning

    pages = (Page(1, "Protokoll\n§ 0 Ärende"), Page(2, "§ 1 Ärende (cid:12)"))
    doc = replace(
        make_doc("a" * 32, "/x/a.pdf", "F", "2021-10-28"),
        warnings=(QualityWarning("no_forbund", "Inget förbund hittades."),),
        segmenter=3,
        fmt="pdf",
        extraction=Extraction(pages, "pdf", pages_in_file=5, image_pages=(2,)),
    )
    store.put_document(doc)
    back = store.get_document(doc.doc_id)
    assert back == doc and back is not None
    assert (back.warnings, back.segmenter, back.extraction) == (doc.warnings, 3, None)
    assert store.extraction(doc.doc_id) == doc.extraction
    assert store.pages_cut(doc.doc_id) == (2, 5)
    assert store.outdated_documents(3) == [] and store.outdated_documents(4) == [doc.doc_id]
    assert store.document_warnings() == [("a.pdf", doc.doc_id, doc.warnings)]


def test_a_document_cut_by_the_page_limit_is_replaced_when_read_further(store: Store) -> None:
    from dataclasses import replace

    from corpus.model import Extraction, Page

    doc = make_doc("a" * 32, "/x/a.pdf", "F", "2021-10-28", n=2)
    cut = replace(doc, extraction=Extraction((Page(1, "a"), Page(2, "b")), "pdf", 4))
    assert store.put_document(cut) == "added"
    assert store.put_document(cut) == "unchanged"  # the same limit reads no further
    whole = replace(
        make_doc("a" * 32, "/x/a.pdf", "F", "2021-10-28", n=4),
        extraction=Extraction(tuple(Page(n, "x") for n in range(1, 5)), "pdf", 4),
    )
    assert store.put_document(whole) == "replaced"
    assert store.count_items(doc.doc_id) == 4 and store.pages_cut(doc.doc_id) is None
    assert store.put_document(whole) == "unchanged"
