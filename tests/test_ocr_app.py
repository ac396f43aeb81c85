"""OCR marks where people read documents: the app's document view, `finsam show` and export."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import search_app
from corpus.settings import Settings
from corpus.store import Store
from index.build import ingest_and_index
from index.embed import HashEncoder
from ingest.ocr import available

APP = Path(search_app.__file__).with_name("app.py")
SCAN = Path(__file__).parent / "data" / "scans" / "blekinge_styrelse_2024-02-15_skannad.pdf"


@pytest.fixture(scope="module")
def scanned_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus holding one scanned protocol, read by OCR at ingest."""
    assert available() is None, "Tesseract with Swedish is needed (see .ci/run)"
    root = tmp_path_factory.mktemp("ocr-corpus")
    settings = Settings(db=root / "finsam.db", model="hash", cache_dir=root / "cache", ocr="auto")
    report, _summary = ingest_and_index([SCAN], settings, encoder=HashEncoder(), isolate=False)
    assert report.documents_added == 1, report
    return settings.db


@pytest.mark.slow
def test_the_document_view_marks_ocr_pages_and_items_with_their_confidence(
    scanned_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINSAM_DB", str(scanned_corpus))
    monkeypatch.setenv("FINSAM_MODEL", "hash")
    monkeypatch.setenv("FINSAM_CACHE", str(scanned_corpus.parent / "cache"))
    with Store.open(scanned_corpus, readonly=True) as store:
        (doc_id,) = store.doc_ids()
        doc = store.get_document(doc_id)
        extraction = store.extraction(doc_id)
    assert doc is not None and extraction is not None
    confs = {p.number: p.ocr_confidence for p in extraction.pages}
    assert all(c is not None for c in confs.values()), confs
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/dokument.py")
    at.query_params["doc"] = doc_id
    at.run()
    assert not at.exception, at.exception
    notes = [i.value for i in at.info]
    assert any("lästes med OCR" in n and "säkerhet i snitt" in n for n in notes), notes
    items = [e for e in at.expander if e.label.lstrip("▶ ").startswith("§")]
    assert len(items) == len(doc.items)
    for expander, item in zip(items, doc.items, strict=True):
        worst = min(confs[n] or 0 for n in item.pages)
        assert f"OCR {worst:.0f} %" in expander.label, expander.label
    # `finsam show` and export carry the same marks as the document's warnings.
    codes = [w.code for w in doc.warnings]
    assert "ocr_pages" in codes
