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
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

from corpus.errors import CorpusError, InternalError, UnreadableFile
from corpus.model import Document, Failure, IngestReport, QualityWarning, content_hash
from corpus.settings import Settings
from corpus.store import Store
from ingest.discover import SUPPORTED_SUFFIXES, find_files, os_reason

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Limits",
    "find_files",
    "ingest_paths",
    "process_file",
    "read_draft",
]

log = logging.getLogger(__name__)

MEMORY_PER_WORKER = Settings().max_memory_mb * 2**20  # address-space cap of one file's reader
READY = "ready"  # a worker's first message, once it has warmed up
PAGE = "page"  # a worker's message after each page read by OCR: progress, and a sign of life
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
    memory_bytes: int = MEMORY_PER_WORKER  # address-space cap of the process reading a file
    ocr: str = "never"  # OCR of pages without a text layer: auto | always | never
    ocr_page_timeout_s: float = 120.0
    ocr_jobs: int = 0  # Tesseract processes per file at a time; 0: one per core


def limits_of(settings: Settings) -> Limits:
    return Limits(
        settings.max_file_mb * 2**20,
        settings.max_pages,
        settings.file_timeout_s,
        settings.max_memory_mb * 2**20,
        settings.ocr,
        settings.ocr_page_timeout_s,
    )


def memory_reason(limits: Limits) -> str:
    """Why a file stopped by the memory cap was not read (it is not called damaged)."""
    mb = limits.memory_bytes // 2**20
    return (
        f"filen kräver mer minne än gränsen {mb} MB per fil (till exempel en komprimerad "
        "ström som packas upp till gigabyte) och lästes inte in"
    )


def process_file(
    path: Path, limits: Limits, on_page: Callable[[], None] | None = None
) -> Document | Failure:
    """Extract, clean and segment one file. Never raises: a problem becomes a Failure.
    ``on_page`` is called after each page read by OCR."""
    from ingest.document import document_of
    from ingest.extract import OcrOptions, read

    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            mb = limits.max_bytes // 2**20
            return Failure(str(path), f"filen är större än gränsen {mb} MB", "too_large")
        data = path.read_bytes()
        # Hash and parse the same bytes: the file may be replaced while it is read (a sync
        # client, an editor saving), so the text comes from a private copy of what was hashed.
        with tempfile.TemporaryDirectory(prefix="finsam-") as tmp:
            copy = Path(tmp) / path.name
            copy.write_bytes(data)
            ocr = OcrOptions(limits.ocr, limits.ocr_page_timeout_s, limits.ocr_jobs, on_page)
            extraction = read(copy, max_bytes=limits.max_bytes, max_pages=limits.max_pages, ocr=ocr)
        # Items over the size bound are cut there, with a warning (ingest.bounds).
        return document_of(extraction, doc_id=content_hash(data), source=path.name, path=str(path))
    except CorpusError as e:
        reason = getattr(e, "reason", str(e))
        return Failure(str(path), reason, getattr(e, "kind", "unreadable"))
    except MemoryError:
        return Failure(str(path), memory_reason(limits), "too_large")
    except RecursionError:
        return Failure(str(path), "filens struktur är för djupt nästlad", "unreadable")
    except Exception as e:  # a bug (segmenting is our own code on text): report, never crash
        log.exception("unexpected error while processing %s", path)
        return Failure(
            str(path), InternalError(str(path), f"{type(e).__name__}: {e}").reason, "internal"
        )


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


def _cap_memory(limit: int) -> None:
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker(conn: Connection, limits: Limits, log_level: int) -> None:
    """A long-lived extraction worker: warms up, says READY, then paths in, Documents or
    Failures out, until None."""
    # A worker is a fresh process: without a handler, Python's last-resort handler would print
    # every library warning with its traceback. The parent reports each failure once itself.
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s")
    _cap_memory(limits.memory_bytes)
    _warm_up()
    conn.send(READY)
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        conn.send(process_file(path, limits, on_page=lambda: conn.send(PAGE)))


@dataclass
class _Slot:
    proc: mp.process.BaseProcess
    conn: Connection
    path: Path | None = None
    started: float = 0.0
    ready: bool = False


def _process_isolated(
    files: list[Path], limits: Limits, workers: int, on_page: Callable[[], None] | None = None
) -> Iterator[tuple[Path, Document | Failure]]:
    """Process files in long-lived worker processes (warm: spaCy and the gazetteer load once
    per worker). A file that takes longer than the time limit, or kills its worker, costs only
    its own result: that worker is replaced. The time limit counts from the file's start or
    from its last page read by OCR (each page has a limit of its own, ``ocr_page_timeout_s``),
    so a long scan is not cut while it makes progress."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
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
                    log.debug("%s: read by worker %s", slot.path, slot.proc.pid)
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
                        result: Document | Failure | str = slot.conn.recv()
                    except (EOFError, OSError):
                        code = slot.proc.exitcode
                        result = Failure(
                            str(path), f"tolkningen avbröts (processen dog, kod {code})", "error"
                        )
                        retire(slot)
                        if pending:
                            slots[i] = slot = spawn()
                    if result == PAGE:  # progress of an OCR: the file's clock starts again
                        slot.started = time.monotonic()
                        if on_page is not None:
                            on_page()
                        continue
                    slot.path = None
                    yield path, result  # type: ignore[misc]
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


def _draft_worker(conn: Connection, path: Path, limits: Limits) -> None:
    """Extract and clean one draft in a child process; send its text or a Failure."""
    import importlib

    from ingest.clean import clean
    from ingest.extract import extract

    # Load every reader (and the libraries it loads lazily) before the memory cap: a library
    # mapped under the cap can fail to load, which is not the file's fault.
    for reader in ("pdf", "docx", "html", "text"):
        importlib.import_module(f"ingest.formats.{reader}")
    _cap_memory(limits.memory_bytes)
    result: str | Failure
    try:
        pages = clean(extract(path, max_bytes=limits.max_bytes, max_pages=limits.max_pages))
        result = "\n\n".join(p.text for p in pages)
    except CorpusError as e:
        result = Failure(str(path), getattr(e, "reason", str(e)), getattr(e, "kind", "unreadable"))
    except MemoryError:
        result = Failure(str(path), memory_reason(limits), "too_large")
    except Exception as e:  # a library failure on odd input: report, never crash
        result = Failure(str(path), f"oväntat fel vid tolkning ({type(e).__name__})", "error")
    conn.send(result)


def read_draft(path: Path, limits: Limits) -> str:
    """The cleaned text of a draft (not a protocol: it is not segmented), read in a child
    process under the same limits as an ingest: size, pages, time and memory. Raises
    UnreadableFile naming the reason."""
    ctx = mp.get_context("forkserver")
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_draft_worker, args=(writer, path, limits), daemon=True)
    proc.start()
    writer.close()
    try:
        if not reader.poll(limits.timeout_s):
            raise UnreadableFile(str(path), f"tolkningen tog längre än {limits.timeout_s:g} s")
        try:
            result = reader.recv()
        except (EOFError, OSError):
            proc.join(5)
            raise UnreadableFile(
                str(path), f"tolkningen avbröts (processen dog, kod {proc.exitcode})"
            ) from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        reader.close()
    if isinstance(result, Failure):
        raise UnreadableFile(result.path, result.reason)
    return str(result)


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
    *,
    isolate: bool = True,
    follow_links: bool = False,
    on_page: Callable[[], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into the store. Returns counts, the failures and the links
    not followed (see ingest.discover)."""
    settings.check()
    found = find_files(paths, follow_links=follow_links)
    files, failures = found.files, found.failures
    for failure in failures:
        if Path(failure.path).exists():  # a folder it cannot read (not a mistyped path)
            store.record_failure(failure)
    limits = limits_of(settings)
    added = replaced = unchanged = items = 0
    total = len(files)
    done = 0

    todo: list[Path] = []
    warned: list[tuple[str, tuple[QualityWarning, ...]]] = []
    for f in files:
        try:
            if f.stat().st_size <= limits.max_bytes:
                doc_id = content_hash(f.read_bytes())
                cut = store.pages_cut(doc_id)
                if store.path_of(doc_id) is not None and (
                    cut is None or cut[0] >= limits.max_pages
                ):  # stored: from here, a copy or a rename (or cut short by this same limit)
                    if cut is not None:  # still incomplete: say so again
                        warned.append((str(f), store.document_warnings_of(doc_id)))
                    outcome = "unchanged"
                    if store.doc_id_at(str(f)) != doc_id:
                        gone = [p for p in store.paths_of(doc_id) if not Path(p).exists()]
                        outcome = store.link_path(doc_id, str(f), forget=gone)
                    replaced += outcome == "replaced"
                    unchanged += outcome == "unchanged"
                    done += 1
                    if progress:
                        progress(done, total, f.name)
                    continue
        except OSError as e:
            failure = Failure(str(f), f"kan inte läsa filen: {os_reason(e)}", "unreadable")
            failures.append(failure)
            store.record_failure(failure)
            done += 1
            continue
        todo.append(f)

    workers = max(1, settings.workers or os.cpu_count() or 1)
    # Files are read in parallel already: each file's OCR gets its share of the cores.
    limits = replace(limits, ocr_jobs=max(1, (os.cpu_count() or 1) // min(workers, len(todo) or 1)))
    if isolate:
        results: Iterable[tuple[Path, Document | Failure]] = _process_isolated(
            todo, limits, workers, on_page
        )
    else:
        results = ((f, process_file(f, limits, on_page)) for f in todo)
    for path, result in results:
        done += 1
        if isinstance(result, Failure):
            failures.append(result)
            store.record_failure(result)
            log.info("%s: %s", path, result.reason)  # the caller presents the failures
        else:
            outcome = store.put_document(result)
            if result.warnings:
                warned.append((str(path), result.warnings))
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
        skipped=tuple(found.skipped),
        warnings=tuple(warned),
    )
