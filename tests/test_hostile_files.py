"""Hostile and odd files through the whole ingest (`finsam ingest` and `ingest_and_index`).

Every file gets the right result or one clear line naming the file and the reason, within a
bounded time, the batch goes on, and the documents ingested before are untouched.
"""

from __future__ import annotations

import logging
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from bombs import slow_pdf
from pdfgen import paginate, render_encrypted_pdf, render_image_only_pdf, render_pdf

from corpus.model import Document, Failure
from corpus.settings import Settings
from corpus.store import Store
from index.build import ingest_and_index
from index.doctor import diagnose
from index.search import Searcher
from ingest.pipeline import limits_of, process_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import protogen  # noqa: E402

STREAM = re.compile(rb"(stream\r?\n)(.*?)(endstream)", re.S)
DOCX_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SPARSE_MB = 200


# -- building the files ---------------------------------------------------------------------


def protocol_text(seed: int, n_items: int | None = None) -> str:
    """A generated protocol, pages separated by form feeds (page breaks of a text export)."""
    return "\f".join(protogen.protocol(seed, n_items=n_items).pages)


def write_protocol(path: Path, seed: int) -> Path:
    path.write_text(protocol_text(seed), encoding="utf-8")
    return path


def protocol_pdf(path: Path, seed: int) -> Path:
    return render_pdf(paginate(protocol_text(seed).replace("\f", "\n"), 40), path)


def truncated_pdf(path: Path) -> None:
    data = protocol_pdf(path, 21).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def corrupt_pdf(path: Path) -> None:
    """Every stream's bytes replaced by noise of the same length (the cross-reference table
    still points at the right offsets, so the damage is found only when pages are read)."""
    data = protocol_pdf(path, 22).read_bytes()
    rng = random.Random(22)
    path.write_bytes(
        STREAM.sub(lambda m: m.group(1) + rng.randbytes(len(m.group(2))) + m.group(3), data)
    )


def zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (60 * 2**20))


def docx_without_body(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{DOCX_NS}"/>')


def sparse_file(path: Path, mb: int = SPARSE_MB) -> None:
    with path.open("wb") as fh:
        fh.truncate(mb * 2**20)  # sparse: no disk space used


@dataclass(frozen=True)
class BadCase:
    name: str
    build: Callable[[Path], object]
    kind: str
    words: tuple[str, ...]  # each must be in the reason


BAD_CASES = [
    BadCase("avkortad.pdf", truncated_pdf, "unreadable", ("avkortad",)),
    BadCase("skadad mitt i.pdf", corrupt_pdf, "unreadable", ("PDF", "skadad")),
    BadCase("låst protokoll.pdf", render_encrypted_pdf, "unreadable", ("krypterad",)),
    BadCase("skannad 2023.pdf", lambda p: render_image_only_pdf(p, pages=2), "needs_ocr", ("OCR",)),
    BadCase("noll byte.pdf", lambda p: p.write_bytes(b""), "empty", ("tom", "0 byte")),
    BadCase(
        "brus.pdf",
        lambda p: p.write_bytes(random.Random(1).randbytes(8192)),
        "unreadable",
        ("inte en PDF-fil", ".pdf"),
    ),
    BadCase(
        "brus.docx",
        lambda p: p.write_bytes(random.Random(2).randbytes(8192)),
        "unreadable",
        ("inte en Word-fil", ".docx"),
    ),
    BadCase("zipbomb.docx", zip_bomb, "unreadable", ("zip-bomb",)),
    BadCase("utan kropp.docx", docx_without_body, "unreadable", ("dokumentkropp",)),
    BadCase("jättestor skanning.pdf", sparse_file, "unreadable", ("inte en PDF-fil",)),
]

SAME_TEXT_SEED = 31  # one protocol written in several encodings and line-ending styles
REFERENCE = "referens utf8.txt"
VARIANTS = {
    "ansi cp1252.txt": lambda text: text.encode("cp1252"),
    "unicode utf16 bom.txt": lambda text: text.encode("utf-16"),  # writes a BOM
    "blandade radslut.txt": lambda text: "".join(
        line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(text.split("\n"))
    ).encode("utf-8"),
}
HUNDREDS = "300 paragrafer.txt"
NON_ASCII = "Protokoll styrelsen 2024-03-01 Östra Göinge – åäö ÅÄÖ é.docx"


def paragraph_seed(n_items: int) -> int:
    """A seed whose generated protocol labels its items "§ N"."""
    return next(
        s for s in range(1000) if protogen.protocol(s, n_items=n_items).name.endswith("_0.txt")
    )


def word_file(path: Path, text: str) -> None:
    document = docx.Document()
    for line in text.replace("\f", "\n").split("\n"):
        document.add_paragraph(line)
    document.save(str(path))


# -- the corpus before ----------------------------------------------------------------------


def hash_settings(folder: Path, **kw: object) -> Settings:
    return Settings(db=folder / "finsam.db", model="hash", cache_dir=folder / "cache", **kw)  # type: ignore[arg-type]


def snapshot(settings: Settings) -> dict[str, Document]:
    with Store.open(settings.db, readonly=True) as store:
        return {d.doc_id: d for d in store.iter_documents(with_items=True)}


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of three protocols (two text, one PDF), ingested and indexed once."""
    base = tmp_path_factory.mktemp("earlier")
    files = base / "files"
    files.mkdir()
    write_protocol(files / "tidigare 1.txt", 101)
    write_protocol(files / "tidigare 2.txt", 102)
    protocol_pdf(files / "tidigare 3.pdf", 103)
    report, _ = ingest_and_index([files], hash_settings(base / "corpus"))
    assert report.documents_added == 3 and not report.failures
    return base / "corpus"


def corpus_copy(earlier: Path, dest: Path, **kw: object) -> tuple[Settings, dict[str, Document]]:
    shutil.copytree(earlier, dest)
    settings = hash_settings(dest, **kw)
    before = snapshot(settings)
    assert len(before) == 3 and all(d.items for d in before.values())
    return settings, before


def assert_untouched(settings: Settings, before: dict[str, Document]) -> None:
    """The earlier documents are still there, field for field, item for item."""
    after = snapshot(settings)
    for doc_id, doc in before.items():
        assert after.get(doc_id) == doc, f"{doc.source} changed"
    with Store.open(settings.db, readonly=True) as store:
        assert store.integrity_problems() == []


def cli(*args: str, settings: Settings, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FINSAM_")}
    environ.update(
        FINSAM_DB=str(settings.db), FINSAM_MODEL="hash", FINSAM_CACHE=str(settings.cache_dir)
    )
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "search_app.cli", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
        cwd=ROOT,
    )


def error_lines(stderr: str) -> dict[str, str]:
    """The CLI's one line per failed file: {path: reason}."""
    out = {}
    for line in stderr.replace("\r", "\n").splitlines():
        if line.startswith("FEL  "):
            path, _, reason = line[5:].partition(": ")
            assert path not in out, f"two lines for {path}"
            out[path] = reason
    return out


# -- one batch through `finsam ingest` ------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    settings: Settings
    before: dict[str, Document]
    folder: Path
    run: subprocess.CompletedProcess[str]
    seconds: float
    failures: dict[str, Failure]  # by path, from the corpus
    docs: dict[str, Document]  # by file name, the documents added by the batch


GOOD = (REFERENCE, *VARIANTS, HUNDREDS, NON_ASCII, "zz sist i kön.txt")


def good_files(folder: Path) -> None:
    """The odd-but-good files of the batch (GOOD) written into ``folder``."""
    text = protocol_text(SAME_TEXT_SEED)
    (folder / REFERENCE).write_text(text, encoding="utf-8")
    for name, encode in VARIANTS.items():
        (folder / name).write_bytes(encode(text))
    (folder / HUNDREDS).write_text(protocol_text(paragraph_seed(300), 300), encoding="utf-8")
    word_file(folder / NON_ASCII, protocol_text(SAME_TEXT_SEED + 1))
    write_protocol(folder / GOOD[-1], 41)


@pytest.fixture(scope="module")
def batch(earlier: Path, tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """All hostile files and the odd-but-good ones in one folder, ingested by the CLI."""
    base = tmp_path_factory.mktemp("batch")
    settings, before = corpus_copy(earlier, base / "corpus")
    folder = base / "in"
    folder.mkdir()
    for case in BAD_CASES:
        case.build(folder / case.name)
    good_files(folder)

    start = time.monotonic()
    run = cli("ingest", str(folder), settings=settings)
    seconds = time.monotonic() - start
    with Store.open(settings.db, readonly=True) as store:
        failures = {f.path: f for f in store.failures()}
        docs = {
            d.source: d for d in store.iter_documents(with_items=True) if d.doc_id not in before
        }
    return Batch(settings, before, folder, run, seconds, failures, docs)


def test_batch_goes_on_and_ends_in_bounded_time(
    batch: Batch, earlier: Path, tmp_path: Path
) -> None:
    """The hostile files cost no more than good files would: the batch is bounded relative to
    the good files alone, ingested the same way just after it on this machine (a loaded
    machine slows both), as if every hostile file cost as much as a good one, with a margin
    of 3. A zip bomb inflated or a sparse 200 MB file read whole would cost far more."""
    assert batch.run.returncode == 1, batch.run.stderr  # exit 1: some files failed
    assert set(batch.docs) == set(GOOD)
    summary = batch.run.stdout
    assert f"{len(GOOD)} nya dokument" in summary and f"{len(BAD_CASES)} fel" in summary
    settings, _ = corpus_copy(earlier, tmp_path / "corpus")
    folder = tmp_path / "in"
    folder.mkdir()
    good_files(folder)
    start = time.monotonic()
    reference = cli("ingest", str(folder), settings=settings)
    good_only = time.monotonic() - start
    assert reference.returncode == 0, reference.stderr
    files = len(GOOD) + len(BAD_CASES)
    assert batch.seconds < 3 * good_only * files / len(GOOD), (batch.seconds, good_only)
    assert "Traceback" not in batch.run.stderr
    assert_untouched(batch.settings, batch.before)


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.name for c in BAD_CASES])
def test_hostile_file_gets_one_clear_line(batch: Batch, case: BadCase) -> None:
    path = str((batch.folder / case.name).resolve())
    lines = error_lines(batch.run.stderr)
    assert path in lines, f"no FEL line for {path} in:\n{batch.run.stderr}"
    reason = lines[path]
    for word in case.words:
        assert word.lower() in reason.lower(), (word, reason)
    # listed in the corpus view with the same reason and its kind
    assert batch.failures[path] == Failure(path, reason, case.kind)
    assert_untouched(batch.settings, batch.before)


def test_image_only_scan_is_listed_as_needing_ocr(batch: Batch) -> None:
    with Store.open(batch.settings.db, readonly=True) as store:
        ocr = [f for f in store.failures() if f.kind == "needs_ocr"]
    assert [Path(f.path).name for f in ocr] == ["skannad 2023.pdf"]
    assert "OCR" in ocr[0].reason


def test_encodings_and_line_endings_give_the_same_items(batch: Batch) -> None:
    def shape(doc: Document) -> list[tuple[object, ...]]:
        return [(i.label, i.title, i.body, i.decisions, i.pages) for i in doc.items]

    reference = batch.docs[REFERENCE]
    expected = protogen.protocol(SAME_TEXT_SEED)
    assert len(reference.items) == expected.n_items
    assert any(ch in reference.text for ch in "åäö")
    for name in VARIANTS:
        doc = batch.docs[name]
        assert shape(doc) == shape(reference), name
        assert doc.meeting == reference.meeting, name
        assert "Ã" not in doc.text and "\r" not in doc.text and "\ufeff" not in doc.text
    assert_untouched(batch.settings, batch.before)


def test_all_300_paragraphs_are_found(batch: Batch) -> None:
    doc = batch.docs[HUNDREDS]
    generated = protogen.protocol(paragraph_seed(300), n_items=300)
    titles = [
        line.split(" ", 2)[2]
        for page in generated.pages
        for line in page.split("\n")
        if re.match(r"§ \d+ ", line)
    ]
    numbers = [i.number for i in doc.items]
    assert len(doc.items) == 300
    assert numbers == list(range(numbers[0], numbers[0] + 300))
    assert [i.label for i in doc.items] == [f"§ {n}" for n in numbers]
    assert [i.title for i in doc.items] == titles
    assert doc.n_pages == len(generated.pages)
    assert_untouched(batch.settings, batch.before)


def test_file_name_with_spaces_and_non_ascii(batch: Batch) -> None:
    doc = batch.docs[NON_ASCII]
    assert doc.source == NON_ASCII
    assert doc.path == str((batch.folder / NON_ASCII).resolve())
    assert doc.fmt == "docx"
    assert len(doc.items) == protogen.protocol(SAME_TEXT_SEED + 1).n_items
    show = cli("show", NON_ASCII, settings=batch.settings)
    assert show.returncode == 0, show.stderr
    assert NON_ASCII in show.stdout
    assert_untouched(batch.settings, batch.before)


def test_index_agrees_after_the_hostile_batch(batch: Batch) -> None:
    report = diagnose(batch.settings)
    assert report.ok, report.lines
    with Store.open(batch.settings.db, readonly=True) as store:
        hits = Searcher(store, batch.settings).search("serviceavgift", 50, mode="lexical")
        ids = set(store.item_ids())
    assert hits and {h.item_id for h in hits} <= ids


# -- limits: size, time ---------------------------------------------------------------------


def bytes_read() -> int:
    """Bytes this process has read through system calls so far (Linux's /proc/self/io)."""
    io = Path("/proc/self/io").read_text()
    return int(re.search(r"^rchar: (\d+)$", io, re.M).group(1))  # type: ignore[union-attr]


def test_sparse_200_mb_pdf_is_refused_from_its_head(tmp_path: Path) -> None:
    """Read once (hashed and copied: the text comes from the bytes hashed), then refused from
    the copy's first bytes: bytes, not seconds, so the check holds on a loaded machine."""
    path = tmp_path / "stor.pdf"
    sparse_file(path)
    read_before = bytes_read()
    result = process_file(path, limits_of(Settings()))
    assert bytes_read() - read_before < 1.05 * SPARSE_MB * 2**20
    assert isinstance(result, Failure)
    assert result.path == str(path) and "inte en PDF-fil" in result.reason


def test_size_limit_from_the_environment(earlier: Path, tmp_path: Path) -> None:
    settings, before = corpus_copy(earlier, tmp_path / "corpus")
    big = tmp_path / "stort protokoll.txt"
    big.write_text(protocol_text(7, n_items=2000), encoding="utf-8")
    assert big.stat().st_size > 2**20
    small = write_protocol(tmp_path / "litet protokoll.txt", 8)
    run = cli("ingest", str(big), str(small), settings=settings, FINSAM_MAX_FILE_MB="1")
    assert run.returncode == 1
    lines = error_lines(run.stderr)
    assert list(lines) == [str(big.resolve())]
    assert "större än gränsen 1 MB" in lines[str(big.resolve())]
    assert "1 nya dokument" in run.stdout
    with Store.open(settings.db, readonly=True) as store:
        assert [(f.path, f.kind) for f in store.failures()] == [(str(big.resolve()), "too_large")]
    assert_untouched(settings, before)


def test_file_over_the_time_limit_is_stopped_and_the_batch_goes_on(
    earlier: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A small PDF whose content stream takes pdfminer minutes to interpret (two million
    save/restore operators: ~100 s on a quiet machine) is stopped at a one-second limit: its
    worker is replaced and the next file is still ingested.

    What is timed is the file's own cost to the batch, from the moment a worker is handed it
    to the moment its failure is recorded: the limit, the 0.5 s polling of the workers and the
    kill may be added, not its whole interpretation. This span needs nothing of the machine
    but a few wake-ups of the parent, so it holds on a loaded machine too; a worker's start,
    which a loaded machine makes slow, is not in it."""
    settings, before = corpus_copy(earlier, tmp_path / "corpus", file_timeout_s=1.0, workers=1)
    slow = tmp_path / "långsam.pdf"
    slow.write_bytes(slow_pdf(2_000_000))
    after = write_protocol(tmp_path / "efter.txt", 10)
    with caplog.at_level(logging.DEBUG, logger="ingest.pipeline"):
        report, summary = ingest_and_index([slow, after], settings)
    assert report.failures == (
        Failure(str(slow.resolve()), "tolkningen tog längre än 1 s", "timeout"),
    )
    assert report.documents_added == 1 and summary
    times = {
        what: [
            r.created
            for r in caplog.records
            if r.getMessage().startswith(f"{slow.resolve()}: {what}")
        ]
        for what in ("read by worker", "tolkningen tog")
    }
    given, stopped = times["read by worker"], times["tolkningen tog"]
    assert len(given) == 1 and len(stopped) == 1, caplog.text
    assert settings.file_timeout_s <= stopped[0] - given[0] < settings.file_timeout_s + 20
    with Store.open(settings.db, readonly=True) as store:
        assert [f.kind for f in store.failures()] == ["timeout"]
        assert store.find_documents("efter.txt")
    assert_untouched(settings, before)
