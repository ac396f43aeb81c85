"""Ingest files into the corpus: find files, process each in an isolated worker, store.

Each file is extracted, cleaned and segmented in a child process with a time and memory limit,
so a hostile file costs only its own result. Storing is one transaction per document, so a
crash leaves whole documents or none.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from corpus.errors import CorpusError
from corpus.model import Document, Failure, IngestReport, content_hash
from corpus.settings import Settings
from corpus.store import Store

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".pdf", ".docx", ".txt", ".md", ".html", ".htm"})
MEMORY_PER_WORKER = 4 * 2**30  # address-space cap of one extraction worker
EMPTY_AFTER_CLEANING = "filen innehåller ingen löptext (bara sidhuvuden, sidnummer eller tecken)"
READY = "ready"  # a worker's first message, once it has warmed up
WARM_UP_S = 120.0  # longest a new worker may take to warm up before it is replaced
MAX_FAILED_STARTS = 3  # then the batch stops with a CorpusError instead of respawning forever
WARM_UP_TEXT = (
    "Samordningsförbundet Exempel\nProtokoll 2024-01-01\n\n§ 1 Budget\n"
    "Styrelsen beslutar att bevilja 100 tkr.\n"
)

Progress = Callable[[int, int, str], None]  # (files done, files total, current file)


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int
    max_pages: int
    timeout_s: float


def limits_of(settings: Settings) -> Limits:
    return Limits(settings.max_file_mb * 2**20, settings.max_pages, settings.file_timeout_s)


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Failure]]:
    """Expand folders (recursively, supported suffixes only); keep files given by name."""
    files: list[Path] = []
    missing: list[Failure] = []
    for p in paths:
        if p.is_dir():
            files += sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in SUPPORTED_SUFFIXES
                and not f.name.startswith(".")
            )
        elif p.is_file():
            files.append(p)
        else:
            missing.append(Failure(str(p), "filen eller mappen finns inte", "unreadable"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(r)
    return unique, missing


def process_file(path: Path, limits: Limits) -> Document | Failure:
    """Extract, clean and segment one file. Never raises: a problem becomes a Failure."""
    from ingest.clean import clean
    from ingest.extract import detect_format, extract
    from ingest.segment import segment

    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            mb = limits.max_bytes // 2**20
            return Failure(str(path), f"filen är större än gränsen {mb} MB", "too_large")
        data = path.read_bytes()
        pages = extract(path, max_bytes=limits.max_bytes, max_pages=limits.max_pages)
        fmt = detect_format(path, data[:4096])
        cleaned = clean(pages)
        if not any(p.text.strip() for p in cleaned):  # only page furniture and stray marks
            return Failure(str(path), EMPTY_AFTER_CLEANING, "empty")
        return segment(
            cleaned, doc_id=content_hash(data), source=path.name, path=str(path), fmt=fmt
        )
    except CorpusError as e:
        reason = getattr(e, "reason", str(e))
        return Failure(str(path), reason, getattr(e, "kind", "unreadable"))
    except MemoryError:
        return Failure(str(path), "filen kräver mer minne än gränsen per fil", "too_large")
    except RecursionError:
        return Failure(str(path), "filens struktur är för djupt nästlad", "unreadable")
    except Exception as e:  # a bug or a library failure on odd input: report, never crash
        log.exception("unexpected error while processing %s", path)
        return Failure(str(path), f"oväntat fel vid tolkning ({type(e).__name__}: {e})", "error")


def _warm_up() -> None:
    """Load what segmenting loads lazily (spaCy, gazetteer: ~2 s), so that this cost is not
    counted against the first file's time limit."""
    from corpus.model import Page
    from ingest.clean import clean
    from ingest.segment import segment

    try:
        segment(clean([Page(1, WARM_UP_TEXT)]), doc_id="0", source="-", path="-", fmt="txt")
    except Exception:  # the first real file will report the problem
        log.warning("warming up the extraction worker failed", exc_info=True)


def _worker(conn: Connection, limits: Limits, log_level: int) -> None:
    """A long-lived extraction worker: warms up, says READY, then paths in, Documents or
    Failures out, until None."""
    # A worker is a fresh process: without a handler, Python's last-resort handler would print
    # every library warning with its traceback. The parent reports each failure once itself.
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_PER_WORKER, MEMORY_PER_WORKER))
    _warm_up()
    conn.send(READY)
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        conn.send(process_file(path, limits))


@dataclass
class _Slot:
    proc: mp.process.BaseProcess
    conn: Connection
    path: Path | None = None
    started: float = 0.0
    ready: bool = False


def _process_isolated(
    files: list[Path], limits: Limits, workers: int
) -> Iterator[tuple[Path, Document | Failure]]:
    """Process files in long-lived worker processes (warm: spaCy and the gazetteer load once
    per worker). A file that takes longer than the time limit, or kills its worker, costs only
    its own result: that worker is replaced."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["ingest.clean", "ingest.extract", "ingest.segment"])
    pending = list(reversed(files))
    slots: list[_Slot] = []
    failed_starts = 0
    # Workers log at the caller's level when it asks for detail (-v), else only errors.
    log_level = logging.INFO if log.getEffectiveLevel() <= logging.INFO else logging.ERROR

    def spawn() -> _Slot:
        parent, child = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_worker, args=(child, limits, log_level), daemon=True)
        proc.start()
        child.close()
        return _Slot(proc, parent, started=time.monotonic())

    def retire(slot: _Slot) -> None:
        slot.proc.kill()
        slot.proc.join(5)
        slot.conn.close()

    try:
        for _ in range(min(workers, len(files))):
            slots.append(spawn())
        while pending or any(s.path is not None for s in slots):
            for slot in slots:
                if slot.ready and slot.path is None and pending:
                    slot.path, slot.started = pending.pop(), time.monotonic()
                    slot.conn.send(slot.path)
            waiting = [s for s in slots if s.path is not None or not s.ready]
            ready = mp.connection.wait([s.conn for s in waiting], timeout=0.5)
            for i, slot in enumerate(slots):
                if not slot.ready:
                    if slot.conn in ready:
                        try:
                            slot.ready = slot.conn.recv() == READY
                        except (EOFError, OSError):
                            slot.ready = False
                    if not slot.ready and (
                        slot.conn in ready or time.monotonic() - slot.started > WARM_UP_S
                    ):
                        failed_starts += 1
                        retire(slot)
                        if failed_starts > MAX_FAILED_STARTS:
                            raise CorpusError(
                                "the extraction workers do not start (see the log); "
                                f"{len(pending)} files were not read"
                            )
                        log.warning("an extraction worker did not start; replacing it")
                        slots[i] = spawn()
                    continue
                if slot.path is None:
                    continue
                path = slot.path
                if slot.conn in ready:
                    try:
                        result: Document | Failure = slot.conn.recv()
                    except (EOFError, OSError):
                        code = slot.proc.exitcode
                        result = Failure(
                            str(path), f"tolkningen avbröts (processen dog, kod {code})", "error"
                        )
                        retire(slot)
                        if pending:
                            slots[i] = slot = spawn()
                    slot.path = None
                    yield path, result
                elif time.monotonic() - slot.started > limits.timeout_s:
                    retire(slot)
                    slot.path = None
                    if pending:
                        slots[i] = spawn()
                    yield (
                        path,
                        Failure(
                            str(path),
                            f"tolkningen tog längre än {limits.timeout_s:g} s",
                            "timeout",
                        ),
                    )
    finally:
        for slot in slots:
            with contextlib.suppress(OSError, ValueError):
                slot.conn.send(None)
            if slot.ready:  # a worker still warming up has nothing to finish
                slot.proc.join(2)
            if slot.proc.is_alive():
                slot.proc.kill()
            slot.conn.close()


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
    *,
    isolate: bool = True,
) -> IngestReport:
    """Ingest files and folders into the store. Returns counts and the failures."""
    files, failures = find_files(paths)
    limits = limits_of(settings)
    added = replaced = unchanged = items = 0
    total = len(files)
    done = 0

    todo: list[Path] = []
    for f in files:
        try:
            if f.stat().st_size <= limits.max_bytes:
                doc_id = content_hash(f.read_bytes())
                if store.doc_id_at(str(f)) == doc_id or store.path_of(doc_id) is not None:
                    unchanged += 1
                    done += 1
                    if progress:
                        progress(done, total, f.name)
                    continue
        except OSError as e:
            failures.append(Failure(str(f), f"kan inte läsa filen: {e.strerror}", "unreadable"))
            done += 1
            continue
        todo.append(f)

    workers = settings.workers or os.cpu_count() or 1
    if isolate:
        results: Iterable[tuple[Path, Document | Failure]] = _process_isolated(
            todo, limits, workers
        )
    else:
        results = ((f, process_file(f, limits)) for f in todo)
    for path, result in results:
        done += 1
        if isinstance(result, Failure):
            failures.append(result)
            store.record_failure(result)
            log.info("%s: %s", path, result.reason)  # the caller presents the failures
        else:
            outcome = store.put_document(result)
            if outcome == "added":
                added += 1
                items += len(result.items)
            elif outcome == "replaced":
                replaced += 1
                items += len(result.items)
            else:
                unchanged += 1
        if progress:
            progress(done, total, path.name)
    return IngestReport(
        documents_added=added,
        documents_unchanged=unchanged,
        documents_replaced=replaced,
        items=items,
        failures=tuple(failures),
    )
