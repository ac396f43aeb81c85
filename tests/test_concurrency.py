"""Concurrent use: searches keep answering while `finsam ingest` writes to the same corpus
(SQLite WAL), and two ingests at once are serialised by the write lock without damage."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from writers import ROOT, Finsam, environ, protogen, write_batch

from corpus.errors import CorpusLocked
from corpus.lock import write_lock
from corpus.model import Filters, make_item_id
from corpus.settings import Settings
from corpus.store import Store
from index.build import ingest_and_index
from index.doctor import diagnose
from index.search import Searcher

QUERIES = [
    ("serviceavgift NNS", "hybrid", None),
    ("ekonomisk uppföljning delårsrapport", "lexical", None),
    ("ansökan om medel till projekt", "dense", None),
    ("budget verksamhetsplan", "hybrid", Filters(date_from="2021-01-01", date_to="2024-12-31")),
    ("bevilja", "lexical", Filters(decisions_only=True)),
]
SLOWEST_SEARCH_S = 2.0  # on a quiet machine; on a loaded one SLOWER_THAN_USUAL × the usual
SLOWER_THAN_USUAL = 20
PAUSE_S = 0.02  # between the searches of one user: the machine has two cores, not a farm
STAMP = re.compile(r"(Filer|Indexerar)")


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Settings, list[Path]]:
    """A corpus of 30 protocols, ingested and indexed (in this process)."""
    settings = Settings(db=tmp_path / "corpus" / "finsam.db", model="hash", cache_dir=tmp_path)
    first = write_batch(tmp_path / "first", 30, seed=501)
    report, _ = ingest_and_index([tmp_path / "first"], settings, isolate=False)
    assert report.documents_added == 30
    return settings, first


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"no {what} within {timeout_s:.0f} s"
        time.sleep(0.01)


def holder(settings: Settings) -> int | None:
    """The process id written into the lock file by its last holder."""
    try:
        return int(settings.lock_path.read_text() or 0)
    except (OSError, ValueError):
        return None


def assert_right_items(store: Store, results: list) -> None:  # type: ignore[type-arg]
    """Each result's item belongs to the document it is shown with (ids come from content)."""
    for r in results:
        ctx = r.context
        assert r.hit.item_id == ctx.item.item_id
        assert make_item_id(ctx.doc_id, ctx.item.label) == ctx.item.item_id


def test_searches_keep_answering_during_an_ingest(
    corpus: tuple[Settings, list[Path]], tmp_path: Path
) -> None:
    settings, first = corpus
    write_batch(tmp_path / "second", 60, seed=502)
    for path, g in zip(first[:5], protogen.corpus(5, seed=503), strict=True):
        path.write_text("\f".join(g.pages), encoding="utf-8")  # replaced: old items go away

    stop = threading.Event()
    timings: list[tuple[float, float, str]] = []  # (start, seconds, what) of every search call
    errors: list[BaseException] = []
    reopened = {"fresh": 0, "behind": 0}
    cli_runs: list[subprocess.CompletedProcess[str]] = []

    def loaded_before() -> None:
        """A searcher opened before the ingest keeps answering from its loaded index."""
        with Store.open(settings.db, readonly=True) as store:
            searcher = Searcher(store, settings)
            while not stop.is_set():
                for query, mode, filters in QUERIES:
                    start = time.monotonic()
                    results = searcher.query(query, 10, filters, mode)
                    timings.append((start, time.monotonic() - start, f"{mode} search {query!r}"))
                    assert_right_items(store, results)
                    time.sleep(PAUSE_S)

    def opened_during() -> None:
        """A searcher opened during the ingest is never refused: while the ingest updates the
        index it answers from the last complete version, and says so."""
        while not stop.is_set():
            with Store.open(settings.db, readonly=True) as store:
                start = time.monotonic()
                searcher = Searcher(store, settings)
                timings.append((start, time.monotonic() - start, "opening a searcher"))
                reopened["behind" if searcher.behind else "fresh"] += 1
                results = searcher.query("serviceavgift", 10)
                assert results
                assert_right_items(store, results)
                time.sleep(PAUSE_S)

    def other_process() -> None:
        """`finsam search` in another process: always results."""
        while not stop.is_set():
            run = subprocess.run(
                [sys.executable, "-m", "search_app.cli", "search", "budget", "--json"],
                capture_output=True,
                text=True,
                env=environ(settings, workers=1),
                cwd=ROOT,
                timeout=120,
            )
            cli_runs.append(run)
            time.sleep(10 * PAUSE_S)

    def guarded(fn: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                fn()
            except BaseException as e:  # reported by the test thread
                errors.append(e)

        return run

    threads = [
        threading.Thread(target=guarded(f)) for f in (loaded_before, opened_during, other_process)
    ]
    for t in threads:
        t.start()
    wait_until(lambda: len(timings) >= 10 or bool(errors), "ten searches before the ingest")
    ingest = Finsam.start(
        settings, "ingest", str(tmp_path / "first"), str(tmp_path / "second"), workers=1
    )
    code, ended = ingest.finish()
    wait_until(
        lambda: any(start > ended for start, _, _ in timings) or bool(errors),
        "a search after the ingest",
    )
    stop.set()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert code == 0, ingest.stdout
    assert "60 nya dokument, 5 ersatta" in ingest.stdout

    writing = ingest.stamps(STAMP)
    began = min(writing)
    during = [s for start, s, _ in timings if began <= start <= ended]
    assert len(during) >= 20, f"only {len(during)} searches overlapped the ingest"
    # Relative to the searches before the ingest of this run (a loaded machine slows both): a
    # search that waited for the ingest's writes would take far longer than its peers.
    usual = statistics.median(s for start, s, _ in timings if start < began)
    start, slowest, what = max(timings, key=lambda t: t[1])
    bound = max(SLOWEST_SEARCH_S, SLOWER_THAN_USUAL * usual)
    assert slowest < bound, (
        f"{what} took {slowest:.2f} s, started {start - began:+.2f} s from the ingest's first"
        f" write (which ended at {ended - began:+.2f} s); before the ingest {usual:.3f} s"
    )
    assert reopened["behind"] > 0, f"no searcher was opened while the index lagged: {reopened}"
    assert reopened["fresh"] > 0, reopened
    for run in cli_runs:
        assert run.returncode == 0, run.stderr
        out = json.loads(run.stdout)
        assert out["results"], run.stdout
        assert ("inläsning pågår" in run.stderr) == out["index_behind_corpus"], run.stderr
    assert len(cli_runs) >= 2, "too few searches ran in another process"
    assert diagnose(settings).ok


def test_two_ingests_at_once_take_turns(
    corpus: tuple[Settings, list[Path]], tmp_path: Path
) -> None:
    """The second ingest waits for the lock (a writer with a short timeout fails clearly
    meanwhile); both complete, one after the other, and nothing is damaged."""
    settings, _ = corpus
    write_batch(tmp_path / "a", 40, seed=601)
    write_batch(tmp_path / "b", 40, seed=602)
    a = Finsam.start(settings, "ingest", str(tmp_path / "a"), workers=1)
    b = Finsam.start(settings, "ingest", str(tmp_path / "b"), workers=1)
    deadline = time.monotonic() + 120
    while holder(settings) not in (a.proc.pid, b.proc.pid):  # the holder writes its pid
        assert time.monotonic() < deadline and (a.proc.poll() is None or b.proc.poll() is None)
        time.sleep(0.01)
    start = time.monotonic()
    with pytest.raises(CorpusLocked) as info, write_lock(settings.lock_path, timeout_s=0.3):
        pass
    assert time.monotonic() - start < 5
    assert str(settings.lock_path) in str(info.value) and "try again" in str(info.value)

    (code_a, _), (code_b, _) = a.finish(), b.finish()
    assert (code_a, code_b) == (0, 0), a.stdout + b.stdout
    assert "40 nya dokument" in a.stdout and "40 nya dokument" in b.stdout
    # The one that waited wrote nothing until the other had finished writing.
    times_a, times_b = a.stamps(STAMP), b.stamps(STAMP)
    first, second = (times_a, times_b) if min(times_a) < min(times_b) else (times_b, times_a)
    assert min(second) >= max(first), "the two ingests wrote at the same time"
    with Store.open(settings.db) as store:
        assert store.integrity_problems() == []
        assert len(store.doc_ids()) == 30 + 80
        assert store.failures() == []
    assert diagnose(settings).ok
    with write_lock(settings.lock_path, timeout_s=5):  # free again once both have ended
        pass


def test_write_lock_is_reentrant_in_a_thread_but_not_across_threads(tmp_path: Path) -> None:
    lock = tmp_path / "c.db.lock"
    outcome: list[str] = []

    def other_thread() -> None:
        try:
            with write_lock(lock, timeout_s=0.3, poll_s=0.05):
                outcome.append("acquired")
        except CorpusLocked:
            outcome.append("locked")

    with write_lock(lock, timeout_s=1):
        with write_lock(lock, timeout_s=0.1):  # the same thread again: no wait
            t = threading.Thread(target=other_thread)
            t.start()
            t.join()
        assert outcome == ["locked"]  # still held by the outer block
        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
    assert outcome == ["locked", "locked"]
    t = threading.Thread(target=other_thread)
    t.start()
    t.join()
    assert outcome == ["locked", "locked", "acquired"]
