"""Hostile or unlucky input to the app's upload pages (issue 16: r_app_prejudikat_no_limits,
r_app_long_upload_name_traceback, r_app_navigate_away_stale_index)."""

from __future__ import annotations

import re
import resource
from pathlib import Path

import pytest
from bombs import bomb_pdf, slow_pdf
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.testing.v1 import AppTest

import search_app
from corpus.model import Filters
from corpus.settings import Settings
from corpus.store import Store
from index.build import ingest_and_index
from index.embed import HashEncoder
from index.search import Searcher
from search_app.upload import NAME_MAX_BYTES, add_files, safe_name

APP = Path(search_app.__file__).with_name("app.py")
SEED = Path(__file__).resolve().parents[1] / "corpus" / "samples" / "000_52e1473b84c5cf25.txt"
TIMEOUT = 120
PROTOCOL = (
    "Samordningsförbundet Halland\nProtokoll 2024-05-0{day}\n\n§ 1 {title}\n"
    "Styrelsen beslutar att bevilja {tkr} tkr till projektet Navigatorn.\n"
)


def _settings(db: Path) -> Settings:
    return Settings(db=db, model="hash", cache_dir=db.parent / "cache")


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-document corpus, indexed, and the app pointed at it."""
    path = tmp_path / "finsam.db"
    ingest_and_index([SEED], _settings(path), encoder=HashEncoder(), isolate=False)
    monkeypatch.setenv("FINSAM_DB", str(path))
    monkeypatch.setenv("FINSAM_MODEL", "hash")
    monkeypatch.setenv("FINSAM_CACHE", str(tmp_path / "cache"))
    return path


def _page(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _errors(at: AppTest) -> str:
    """The error messages as a reader sees them (document text is shown with Markdown escaped)."""
    return "\n".join(re.sub(r"\\(.)", r"\1", e.value) for e in at.error)


def test_prejudikat_stops_a_slow_draft_at_the_time_limit(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINSAM_FILE_TIMEOUT", "1")
    at = _page("views/prejudikat.py")
    # ~5 s of pdfminer work on an idle core: well past the 1 s limit.
    at.file_uploader(key="prej_fil").set_value(("utkast.pdf", slow_pdf(80_000), "application/pdf"))
    at.run()
    assert not at.exception, at.exception
    errors = _errors(at)
    assert "utkast.pdf" in errors and "längre än 1 s" in errors, errors
    assert "finsam-utkast" not in errors  # the upload's name, not the temporary copy


def test_prejudikat_refuses_a_bomb_by_the_memory_cap_without_growing_the_server(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINSAM_MAX_MEMORY_MB", "500")
    at = _page("views/prejudikat.py")
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    at.file_uploader(key="prej_fil").set_value(("utkast.pdf", bomb_pdf(1024), "application/pdf"))
    at.run()
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert not at.exception, at.exception
    errors = _errors(at)
    assert "minne" in errors and "500 MB" in errors, errors
    assert "skadad" not in errors
    assert grown_mib < 300, f"the server grew by {grown_mib:.0f} MiB reading a 1 MB upload"


def test_prejudikat_reads_an_uploaded_pdf_draft(db: Path) -> None:
    at = _page("views/prejudikat.py")
    at.file_uploader(key="prej_fil").set_value(("utkast.pdf", slow_pdf(10), "application/pdf"))
    at.run()
    assert not at.exception, at.exception
    assert not at.error
    assert any(e.label.startswith("Text ur utkast.pdf") for e in at.expander)


@pytest.mark.parametrize("name", ["å" * 200 + ".txt", "x" * 300 + ".txt", "å" * 300])
def test_safe_name_fits_the_file_system_and_keeps_the_suffix(name: str, tmp_path: Path) -> None:
    short = safe_name(name)
    assert len(short.encode()) <= NAME_MAX_BYTES
    assert short.endswith(Path(name).suffix)
    (tmp_path / short).write_text("ok")  # the file system takes it


def test_lagg_till_ingests_an_upload_with_a_very_long_name(db: Path) -> None:
    at = _page("views/lagg_till.py")
    long_name = "å" * 200 + ".txt"
    at.file_uploader(key="lagg_filer").set_value(
        [
            ("kort.txt", PROTOCOL.format(day=2, title="Kort", tkr=1).encode(), "text/plain"),
            (long_name, PROTOCOL.format(day=3, title="Långt", tkr=2).encode(), "text/plain"),
        ]
    )
    at.run()
    at.button(key="lagg_start").click().run()
    assert not at.exception, at.exception
    assert not at.error, _errors(at)
    with Store.open(db, readonly=True) as store:
        sources = {store.get_document(d, with_items=False).source for d in store.doc_ids()}  # type: ignore[union-attr]
    assert "kort.txt" in sources
    assert any(s.startswith("å" * 50) and s.endswith(".txt") for s in sources), sources


STOPS = {"stop": StopException, "rerun": lambda: RerunException(RerunData(page_name="Sök"))}


def _interrupt_on(call: int, how: str):  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def progress(done: int, total: int, label: str = "") -> None:
        calls["n"] += 1
        if calls["n"] == call:
            raise STOPS[how]()

    return progress


@pytest.mark.parametrize("where", ["files", "index"])
@pytest.mark.parametrize("how", ["stop", "rerun"])
def test_leaving_the_page_during_an_upload_leaves_a_searchable_index(
    db: Path, tmp_path: Path, where: str, how: str
) -> None:
    """Streamlit stops a run by raising from the next UI call (a progress update): the
    documents stored stay and the index is brought up to date with them."""
    files = []
    for day in (4, 5):
        f = tmp_path / f"uppladdad-{day}.txt"
        f.write_text(PROTOCOL.format(day=day, title=f"Avbruten {day}", tkr=300 + day), "utf-8")
        files.append(f)
    settings = _settings(db)
    stop = _interrupt_on(1, how)
    with pytest.raises((StopException, RerunException)):
        add_files(
            files,
            settings,
            files_progress=stop if where == "files" else None,
            index_progress=stop if where == "index" else None,
            encoder=HashEncoder(),
            isolate=False,
        )
    with Store.open(db, readonly=True) as store:
        searcher = Searcher(store, settings, encoder=HashEncoder())
        assert not searcher.behind_corpus()
        hits = searcher.search("Navigatorn", 10, Filters(), "lexical")
        stored = len(store.doc_ids())
    assert stored >= 2  # the seed and at least the file read before the stop
    assert len(hits) == stored - 1  # every stored upload is found
