"""`finsam resegment` and the page limit, end to end on real files: documents are redone from
what the store keeps, item ids stay where labels do, and a document cut short says so."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import ingest.document
from corpus.settings import Settings
from corpus.store import Store
from ingest.pipeline import ingest_paths
from ingest.resegment import resegment
from ingest.segment import SEGMENTER_VERSION
from search_app.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"


def run(*args: str, **env: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, list(args), env={"FINSAM_MODEL": "hash", **env}, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def corpus(tmp_path: Path) -> Settings:
    """The samples, stored (not indexed) by the current segmenter."""
    settings = Settings(db=tmp_path / "c.db", model="hash", cache_dir=tmp_path / "cache")
    with Store.open(settings.db) as store:
        report = ingest_paths([SAMPLES], store, settings, isolate=False)
    assert report.documents_added == len(list(SAMPLES.glob("*.txt")))
    return settings


def snapshot(
    store: Store,
) -> dict[str, list[tuple[str, str, str, tuple[int, ...], tuple[str, ...]]]]:
    return {
        doc.source: [(i.item_id, i.label, i.title, i.pages, i.decisions) for i in doc.items]
        for doc in store.iter_documents(with_items=True)
    }


def age(db: Path, *, forget_pages: bool = False) -> None:
    """Make every stored document look segmented by an older segmenter (and, with
    forget_pages, stored before the store kept extracted pages)."""
    conn = sqlite3.connect(db)
    conn.execute("UPDATE documents SET segmenter = 0")
    if forget_pages:
        conn.execute("DELETE FROM extractions")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("forget_pages", [False, True])
def test_resegment_redoes_older_documents_from_the_store_alone(
    corpus: Settings, tmp_path: Path, forget_pages: bool
) -> None:
    with Store.open(corpus.db) as store:
        before = snapshot(store)
        warnings = {d.source: d.warnings for d in store.iter_documents()}
    moved = tmp_path / "c2.db"  # no source files: the corpus alone, somewhere else
    shutil.copy(corpus.db, moved)
    age(moved, forget_pages=forget_pages)
    with Store.open(moved) as store:
        assert store.outdated_documents(SEGMENTER_VERSION) != []
        report = resegment(store)
        assert report.documents == len(before) and report.failures == ()
        assert report.from_text == (len(before) if forget_pages else 0)
        assert report.ids_kept == report.items_before == report.items_after
        assert store.outdated_documents(SEGMENTER_VERSION) == []
        assert snapshot(store) == before  # same segmenter: the same items, ids and pages
        assert {d.source: d.warnings for d in store.iter_documents()} == warnings
        assert resegment(store).documents == 0  # nothing older left
        assert store.integrity_problems() == []


def test_a_new_segmenter_keeps_ids_where_labels_are_unchanged(
    corpus: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest.document.segment

    def newer(*args, **kwargs):  # a segmenter that titles items differently, drops the last
        doc = real(*args, **kwargs)
        items = tuple(replace(i, title=i.title.upper()) for i in doc.items[:-1])
        return replace(doc, items=items, segmenter=SEGMENTER_VERSION + 1)

    monkeypatch.setattr(ingest.document, "segment", newer)
    with Store.open(corpus.db) as store:
        before = snapshot(store)
        report = resegment(store, version=SEGMENTER_VERSION + 1)
        after = snapshot(store)
    assert report.documents == len(before)
    assert report.items_after == report.items_before - len(before) == report.ids_kept
    for source, items in before.items():
        assert [(i, lab, t.upper()) for i, lab, t, *_ in items[:-1]] == [
            (i, lab, t) for i, lab, t, *_ in after[source]
        ]


def test_a_document_that_cannot_be_redone_is_kept_as_it_was(
    corpus: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args, **kwargs):
        raise TypeError("a bug in the new segmenter")

    monkeypatch.setattr(ingest.document, "segment", broken)
    age(corpus.db)
    with Store.open(corpus.db) as store:
        before = snapshot(store)
        report = resegment(store)
        assert report.documents == 0 and len(report.failures) == len(before)
        assert {f.kind for f in report.failures} == {"internal"}
        assert "TypeError: a bug in the new segmenter" in report.failures[0].reason
        assert snapshot(store) == before
        assert len(store.outdated_documents(SEGMENTER_VERSION)) == len(before)


def test_finsam_resegment_updates_the_index(corpus: Settings) -> None:
    env = {"FINSAM_CACHE": str(corpus.cache_dir)}
    code, out, err = run("reindex", "--db", str(corpus.db), **env)
    assert code == 0, err
    age(corpus.db)
    code, out, err = run("resegment", "--db", str(corpus.db), **env)
    assert code == 0, err
    n = len(list(SAMPLES.glob("*.txt")))
    assert f"{n} dokument omsegmenterade (0 från sparad text)" in out
    assert "VARNING" in err  # the samples' warnings are shown again
    code, out, err = run("search", "serviceavgift", "--db", str(corpus.db), **env)
    assert code == 0 and "serviceavgift" in out.lower()
    assert "out of date" not in err
    code, out, _ = run("resegment", "--db", str(corpus.db), **env)
    assert code == 0 and out.startswith("0 dokument omsegmenterade")


def five_pages(path: Path) -> Path:
    """The page-limit reproducer's file: five form-feed pages, one § each."""
    pages = [
        f"Samordningsförbundet Exempel\nProtokoll 2024-01-0{n}\n\n§ {n} Ärende {n}\n"
        f"Styrelsen beslutar att bevilja {n}00 tkr till projekt {n}.\n"
        for n in range(1, 6)
    ]
    path.write_text("\f".join(pages), encoding="utf-8")
    return path


def test_a_file_cut_by_the_page_limit_is_stored_with_a_warning_and_read_again_later(
    tmp_path: Path,
) -> None:
    path = five_pages(tmp_path / "fem-sidor.txt")
    db = str(tmp_path / "c.db")
    code, out, err = run("ingest", str(path), "--db", db, "--no-index", FINSAM_MAX_PAGES="3")
    assert code == 0
    assert "1 dokument med varningar" in out
    assert "Bara de första 3 av filens 5 sidor lästes" in err and "[pages_cut]" in err
    with Store.open(db) as store:
        (doc_id,) = store.doc_ids()
        doc = store.get_document(doc_id)
        assert doc is not None and [i.label for i in doc.items] == ["§ 1", "§ 2", "§ 3"]
        assert [w.code for w in doc.warnings] == ["pages_cut"]
    code, out, err = run("show", "fem-sidor.txt", "--db", db)
    assert "Varningar:" in out and "[pages_cut]" in out
    code, out, err = run("export", "--what", "documents", "--db", db)
    assert '"code": "pages_cut"' in out

    # Again with the same limit: nothing more can be read, and it says so again.
    code, out, err = run("ingest", str(path), "--db", db, "--no-index", FINSAM_MAX_PAGES="3")
    assert "1 oförändrade" in out and "[pages_cut]" in err
    # With a higher limit the whole file is read and replaces the cut version.
    code, out, err = run("ingest", str(path), "--db", db, "--no-index", FINSAM_MAX_PAGES="100")
    assert code == 0 and "1 ersatta" in out and "0 dokument med varningar" in out
    with Store.open(db) as store:
        doc = store.get_document(doc_id)
        assert doc is not None and [i.label for i in doc.items] == [f"§ {n}" for n in range(1, 6)]
        assert doc.warnings == () and store.pages_cut(doc_id) is None
