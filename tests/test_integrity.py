"""Damage to the corpus and its index: every command answers with one line naming what is
damaged and how to repair it, `doctor` finds it and `doctor --repair` repairs it from what is
sound. One test per reproducer of issue 16 (../shared/repro/r_*.sh, named in each test)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from corpus.settings import Settings
from search_app.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"


def run(*args: str) -> tuple[int, str, str]:
    """Run a finsam command; a traceback (any exception but the exit) fails the test."""
    result = CliRunner().invoke(cli, list(args), env={"FINSAM_MODEL": "hash"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"finsam {' '.join(args)} raised") from result.exception
    return result.exit_code, result.stdout, result.stderr


def one_line_error(args: tuple[str, ...], *words: str) -> str:
    """Run a command that must fail with one line on stderr holding each of words."""
    code, out, err = run(*args)
    assert code == 1, (args, out, err)
    lines = [line for line in err.strip().splitlines() if "%|" not in line]  # progress bars
    assert len(lines) == 1, err
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


def ingest(db: Path, *paths: Path) -> None:
    """Ingest and index in this process (the CLI's ingest has tests of its own)."""
    from index.build import ingest_and_index

    settings = Settings(db=db, model="hash", cache_dir=db.parent / "cache")
    report, _ = ingest_and_index(list(paths), settings, isolate=False)
    assert not report.failures


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample files copied to a folder of their own, ingested and indexed (hash model)."""
    base = tmp_path_factory.mktemp("pristine")
    shutil.copytree(SAMPLES, base / "files")
    ingest(base / "c.db", base / "files")
    return base


@pytest.fixture()
def corpus(pristine: Path, tmp_path: Path) -> Path:
    """A fresh copy of the pristine corpus and its index (its documents name the pristine
    files, which tests only read); returns the db path."""
    shutil.copytree(pristine / "c-index", tmp_path / "c-index")
    shutil.copy(pristine / "c.db", tmp_path / "c.db")
    return tmp_path / "c.db"


def version(db: Path) -> Path:
    index = db.with_name("c-index")
    return index / (index / "CURRENT").read_text().strip()


def top(db: Path, query: str, k: int = 5) -> list[str]:
    code, out, err = run(
        "search", query, "--mode", "lexical", "-k", str(k), "--json", "--db", str(db)
    )
    assert code == 0, err
    return [r["item_id"] for r in json.loads(out)["results"]]


QUERIES = ("serviceavgift", "budget", "Sala", "revision")


def test_r_empty_db_doctor_wipes_index(corpus: Path) -> None:
    """r_empty_db_doctor_wipes_index.sh: a corpus truncated to 0 bytes is said to be lost,
    and neither doctor nor --repair writes a schema into it or touches the index."""
    folder = version(corpus)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    corpus.write_bytes(b"")
    for args in (("doctor",), ("doctor", "--repair")):
        code, out, err = run(*args, "--db", str(corpus))
        assert code == 1
        assert "0 bytes" in out + err and "lost" in out + err
        assert "lämnas orört" in out
    one_line_error(("search", "avgift", "--db", str(corpus)), "0 bytes", "lost")
    one_line_error(("ingest", str(SAMPLES), "--db", str(corpus)), "0 bytes")
    assert corpus.stat().st_size == 0
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def _flip(path: Path, start: int, step: int) -> None:
    b = bytearray(path.read_bytes())
    for off in range(start, len(b), step):
        b[off] ^= 0x7F
    path.write_bytes(bytes(b))


def test_r_lexical_damage_undetected(corpus: Path, pristine: Path, tmp_path: Path) -> None:
    """r_lexical_damage_undetected.sh: damaged lexical files are named by search and doctor,
    and --repair rebuilds them; damaged saved tokens are not carried into the next version."""
    before = {q: top(corpus, q) for q in QUERIES}
    _flip(version(corpus) / "lexical" / "indices.csc.index.npy", 200, 97)
    one_line_error(
        ("search", "serviceavgift", "--db", str(corpus)),
        "indices.csc.index.npy",
        "doctor --repair",
    )
    code, out, _ = run("doctor", "--db", str(corpus))
    assert code == 1 and "lexical/indices.csc.index.npy är skadad" in out
    code, out, _ = run("doctor", "--repair", "--db", str(corpus))
    assert code == 0, out
    assert {q: top(corpus, q) for q in QUERIES} == before

    # Part 2: tokens damaged within their range, then one more file ingested.
    tokens = version(corpus) / "lexical" / "tokens.ids.npy"
    ids = np.load(tokens)
    rng = np.random.default_rng(0)
    pick = rng.choice(len(ids), len(ids) // 3, replace=False)
    ids[pick] = rng.integers(ids.min(), ids.max() + 1, len(pick)).astype(ids.dtype)
    np.save(tokens, ids)
    extra = ROOT / "tests" / "data" / "protocols"
    one = sorted(p for p in extra.iterdir() if p.suffix == ".txt")[0]
    reference = tmp_path / "ref" / "c.db"
    shutil.copytree(pristine / "c-index", reference.with_name("c-index"))
    shutil.copy(pristine / "c.db", reference)
    for db in (corpus, reference):
        ingest(db, one)
    assert {q: top(corpus, q) for q in QUERIES} == {q: top(reference, q) for q in QUERIES}


def _flip_decision_list(db: Path) -> None:
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    b = bytearray(db.read_bytes())
    i = b.find(b'["Att ')
    assert i > 0
    b[i] = ord("{")
    db.write_bytes(bytes(b))


def test_r_payload_byte_flip(corpus: Path) -> None:
    """r_payload_byte_flip.sh: a damaged byte in a stored record is one line in every
    command, doctor names the document, --repair reads it again from its file."""
    code, good_export, _ = run("export", "--db", str(corpus))
    _flip_decision_list(corpus)
    for args in (
        ("search", "serviceavgift", "-k", "20"),
        ("decisions", "serviceavgift"),
        ("export",),
        ("show", "0"),
    ):
        one_line_error((*args, "--db", str(corpus)), "damaged", "doctor --repair")
    code, out, _ = run("doctor", "--db", str(corpus))
    assert code == 1 and "är skadat" in out and "000_" in out
    code, out, _ = run("doctor", "--repair", "--db", str(corpus))
    assert code == 0 and "lästes in på nytt" in out, out
    assert run("export", "--db", str(corpus))[1] == good_export
    assert run("doctor", "--db", str(corpus))[0] == 0


def test_a_damaged_record_whose_file_is_gone_is_listed_and_the_rest_searchable(
    tmp_path: Path,
) -> None:
    """r_payload_byte_flip.sh, when the file cannot be read again: the document is taken
    out and listed among the failures; everything else is searched as before."""
    shutil.copytree(SAMPLES, tmp_path / "files")
    corpus = tmp_path / "c.db"
    ingest(corpus, tmp_path / "files")
    _flip_decision_list(corpus)
    damaged = next(tmp_path.glob("files/000_*"))
    damaged.unlink()
    code, out, _ = run("doctor", "--repair", "--db", str(corpus))
    assert code == 1 and "Kan inte återställas" in out and damaged.name in out
    code, out, _ = run("export", "--what", "documents", "--db", str(corpus))
    assert code == 0 and damaged.name not in out and out.count("\n") == 4
    assert top(corpus, "Sala")
    from corpus.store import Store

    with Store.open(corpus, readonly=True) as store:
        assert [f.path for f in store.failures()] == [str(damaged)]


def test_r_flipped_schema_traceback(corpus: Path) -> None:
    """r_flipped_schema_traceback.sh: a damaged byte in the schema text is one line in every
    command, naming the file and doctor --repair; --repair builds the database again from what
    can be read and the files."""
    good_export = run("export", "--db", str(corpus))[1]
    for side in ("-wal", "-shm"):
        Path(f"{corpus}{side}").unlink(missing_ok=True)
    b = bytearray(corpus.read_bytes())
    i = b.find(b"DEFAULT", b.find(b"CREATE TABLE items"))
    b[i + 6] ^= 0xFF
    corpus.write_bytes(bytes(b))
    for args in (("search", "avgift"), ("export",), ("ingest", str(SAMPLES))):
        one_line_error((*args, "--db", str(corpus)), "schema", "doctor --repair")
    code, out, _ = run("doctor", "--db", str(corpus))
    assert code == 1 and "schema" in out
    code, out, _ = run("doctor", "--repair", "--db", str(corpus))
    assert code == 0 and "lästes in på nytt" in out, out
    assert run("export", "--db", str(corpus))[1] == good_export
    assert list(corpus.parent.glob("c.db.skadad-*"))  # the damaged file is kept


def test_r_current_non_utf8(corpus: Path) -> None:
    """r_current_non_utf8.sh: a CURRENT of non-UTF-8 bytes is one line; --repair points it at
    the sound version again (nothing re-embedded)."""
    before = {q: top(corpus, q) for q in QUERIES}
    name = version(corpus).name
    current = corpus.with_name("c-index") / "CURRENT"
    for damage in (b"\x00\xffv0", b"v99999", None):
        if damage is None:
            current.unlink()
        else:
            current.write_bytes(damage)
        for args in (("search", "avgift"), ("decisions", "avgift")):
            one_line_error((*args, "--db", str(corpus)), "CURRENT", "doctor --repair")
        code, out, _ = run("doctor", "--db", str(corpus))
        assert code == 1 and "CURRENT" in out
        code, out, _ = run("doctor", "--repair", "--db", str(corpus))
        assert code == 0 and f"CURRENT anger nu {name}" in out, out
        assert version(corpus).name == name
        assert {q: top(corpus, q) for q in QUERIES} == before


def test_r_index_json_shape_traceback(corpus: Path) -> None:
    """r_index_json_shape_traceback.sh: manifest.json holding [] or dense.json without
    checksums is one line naming the file; --repair rebuilds."""
    before = {q: top(corpus, q) for q in QUERIES}
    for name, text in (("manifest.json", "[]"), ("dense.json", '{"format": 1}')):
        (version(corpus) / name).write_text(text)
        one_line_error(("search", "avgift", "--db", str(corpus)), name, "doctor --repair")
        for args in (("doctor",), ("doctor", "--repair"), ("reindex",)):
            run(*args, "--db", str(corpus))
        assert run("doctor", "--db", str(corpus))[0] == 0
        assert {q: top(corpus, q) for q in QUERIES} == before


def test_r_db_path_uri_chars(tmp_path: Path) -> None:
    """r_db_path_uri_chars.sh: '#', '?' and '%41' in the corpus's folder name."""
    files = sorted(SAMPLES.iterdir())
    for folder, sample in (("Protokoll #2", files[0]), ("pct%41", files[0]), ("pctA", files[4])):
        (tmp_path / folder).mkdir()
        ingest(tmp_path / folder / "c.db", sample)
    db = tmp_path / "Protokoll #2" / "c.db"
    assert run("search", "avgift", "--db", str(db))[0] == 0
    code, out, _ = run("export", "--what", "documents", "--db", str(tmp_path / "pct%41" / "c.db"))
    assert code == 0 and files[0].name in out and files[4].name not in out


def _read_only(folder: Path) -> Iterator[Path]:
    """`folder` seen through a read-only view: a read-only bind mount as root (root may
    write anywhere else), a folder without write permission otherwise."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    view = folder.with_name(folder.name + "-ro")
    view.mkdir()
    mount = subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True)
    if mount.returncode:
        pytest.skip(f"cannot make a read-only view as root here: {mount.stderr!r}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        yield view
    finally:
        subprocess.run(["umount", str(view)], check=True)


def test_r_readonly_folder(corpus: Path) -> None:
    """r_readonly_folder.sh: a corpus in a folder that cannot be written is searched,
    exported, shown and checked."""
    run("doctor", "--db", str(corpus))
    for side in ("-wal", "-shm"):
        Path(f"{corpus}{side}").unlink(missing_ok=True)
    for view in _read_only(corpus.parent):
        db = view / "c.db"
        assert top(db, "avgift")
        for args in (("export",), ("show", "000"), ("doctor",)):
            code, out, err = run(*args, "--db", str(db))
            assert code == 0, (args, err)
        assert not os.access(view, os.W_OK) or os.geteuid() != 0


def test_r_file_changes_during_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """r_file_changes_during_ingest.sh: a file replaced (atomic rename, as a sync client or an
    editor saves) while its text is extracted is stored with the id and the text of one and
    the same version."""
    from corpus.model import Document, content_hash
    from ingest import extract as extract_module
    from ingest.pipeline import Limits, process_file

    head = "Samordningsförbundet Halland\nPROTOKOLL\nSammanträdesdatum 2024-03-14\n\n"
    versions = {
        word: (head + f"§ 1 Projekt {word}\nStyrelsen beslutar att bevilja {word} 300 tkr.\n")
        for word in ("Navigatorn", "Hälsolotsen")
    }
    (tmp_path / "in").mkdir()
    target = tmp_path / "in" / "protokoll.txt"
    target.write_text(versions["Navigatorn"], "utf-8")
    real_extract = extract_module.extract

    def extract_while_saved(path: Path, **kwargs: int) -> object:
        saved = tmp_path / "saving.txt"
        saved.write_text(versions["Hälsolotsen"], "utf-8")
        os.replace(saved, target)  # the other version lands while this one is read
        return real_extract(path, **kwargs)

    monkeypatch.setattr(extract_module, "extract", extract_while_saved)
    doc = process_file(target, Limits(2**20, 100, 60.0))
    assert isinstance(doc, Document)
    assert doc.doc_id == content_hash(versions["Navigatorn"].encode())
    assert "Navigatorn" in doc.text and "Hälsolotsen" not in doc.text


def _protocols(folder: Path, n: int, items: int) -> None:
    """n generated protocols of `items` paragraphs each, different words in each."""
    rng = np.random.default_rng(7)
    words = [
        "budget",
        "avgift",
        "styrelsen",
        "projekt",
        "insats",
        "uppföljning",
        "samverkan",
        "rapport",
    ]
    folder.mkdir()
    for d in range(n):
        body = "".join(
            f"§ {i + 1} Ärende {d}-{i}\n"
            + " ".join(rng.choice(words, 120))
            + f" nummer{d}x{i}.\n"
            + "Styrelsen beslutar att godkänna rapporten.\n\n"
            for i in range(items)
        )
        text = f"Samordningsförbundet Halland\nPROTOKOLL\nSammanträdesdatum 2024-03-{d % 28 + 1:02d}\n\n"
        (folder / f"p{d:03d}.txt").write_text(text + body, "utf-8")


def _fill(mount: Path, leave: int) -> None:
    (mount / "filler").unlink(missing_ok=True)
    free = shutil.disk_usage(mount).free
    with (mount / "filler").open("wb") as f:
        f.write(b"\0" * max(0, free - leave))


def test_r_disk_full_messages(pristine: Path, tmp_path: Path) -> None:
    """r_disk_full_messages.sh: a full disk while storing or while writing the index is
    said to be one, in one line; what was stored before and the index stay intact."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (a disk that can be filled)")
    mount = tmp_path / "m"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], check=True)
    try:
        shutil.copytree(pristine / "c-index", mount / "c-index")
        shutil.copy(pristine / "c.db", mount / "c.db")
        db = mount / "c.db"
        _protocols(tmp_path / "in", 16, 12)
        _fill(mount, 200 * 1024)
        line = one_line_error(
            ("ingest", str(tmp_path / "in"), "--workers", "1", "--db", str(db)), "full"
        )
        assert "cannot rollback" not in line and "intact" in line
        from corpus.store import Store

        with Store.open(db, readonly=True) as store:
            assert not store.integrity_problems() and store.stats().documents >= 5
        (mount / "filler").unlink()
        assert run("ingest", str(tmp_path / "in"), "--no-index", "--db", str(db))[0] == 0
        _fill(mount, 60 * 1024)
        line = one_line_error(("reindex", "--db", str(db)), "disk is full", "c-index", "reindex")
        (mount / "filler").unlink()
        assert run("reindex", "--db", str(db))[0] == 0
        assert run("doctor", "--db", str(db))[0] == 0
    finally:
        subprocess.run(["umount", str(mount)], check=True)


HALLAND = "Samordningsförbundet Halland\nPROTOKOLL\nSammanträdesdatum 2024-03-14\n\n"


def _names(db: Path) -> dict[str, list[str]]:
    """Each stored document's text-defining word (its § 1 title) -> the file names it has."""
    from corpus.store import Store

    with Store.open(db, readonly=True) as store:
        out = {}
        for doc_id in store.doc_ids():
            doc = store.get_document(doc_id)
            assert doc is not None
            out[doc.items[0].title] = sorted(Path(p).name for p in store.paths_of(doc_id))
        return out


def test_r_duplicate_then_edit_loses_document(tmp_path: Path) -> None:
    """r_duplicate_then_edit_loses_document.sh: two files with the same bytes are one
    document with two paths; an edit of one leaves the other's document whole."""
    folder = tmp_path / "in"
    folder.mkdir()
    db = tmp_path / "c.db"
    text = HALLAND + "§ 1 Navigatorn\nStyrelsen beslutar att bevilja Navigatorn 300 tkr.\n"
    (folder / "a.txt").write_text(text, "utf-8")
    (folder / "b.txt").write_text(text, "utf-8")
    ingest(db, folder)
    assert _names(db) == {"Navigatorn": ["a.txt", "b.txt"]}
    (folder / "a.txt").write_text(text.replace("Navigatorn", "Hälsolotsen"), "utf-8")
    ingest(db, folder)
    assert _names(db) == {"Navigatorn": ["b.txt"], "Hälsolotsen": ["a.txt"]}
    assert top(db, "Navigatorn") and top(db, "Hälsolotsen")
    code, out, _ = run("show", "b.txt", "--db", str(db))
    assert code == 0 and "Navigatorn" in out
    (folder / "b.txt").write_text(text.replace("Navigatorn", "Hälsolotsen"), "utf-8")
    ingest(db, folder)  # now both hold the edited bytes: the old version has no file left
    assert _names(db) == {"Hälsolotsen": ["a.txt", "b.txt"]}
    assert not top(db, "Navigatorn")


def test_r_rename_and_bidi_renamed_file_gets_its_new_path(tmp_path: Path) -> None:
    """r_rename_and_bidi.sh (a): a file renamed after ingest is found by its new name, and
    its old path is forgotten (the file is gone from there); a copy keeps both."""
    folder = tmp_path / "in"
    folder.mkdir()
    db = tmp_path / "c.db"
    shutil.copy(sorted(SAMPLES.iterdir())[0], folder / "a.txt")
    ingest(db, folder)
    (folder / "a.txt").rename(folder / "nytt-namn.txt")
    ingest(db, folder)
    from corpus.store import Store

    with Store.open(db, readonly=True) as store:
        (doc_id,) = store.doc_ids()
        assert store.paths_of(doc_id) == [str(folder / "nytt-namn.txt")]
        assert store.path_of(doc_id) == str(folder / "nytt-namn.txt")
    code, out, _ = run("show", "nytt-namn", "--db", str(db))
    assert code == 0 and "nytt-namn.txt" in out
    shutil.copy(folder / "nytt-namn.txt", folder / "kopia.txt")
    ingest(db, folder)
    with Store.open(db, readonly=True) as store:
        assert [Path(p).name for p in store.paths_of(doc_id)] == ["kopia.txt", "nytt-namn.txt"]
        assert Path(store.path_of(doc_id) or "").name == "nytt-namn.txt"


def test_a_damaged_byte_inside_a_text_is_found_and_repaired(corpus: Path) -> None:
    """A flipped byte inside an item's text (still valid UTF-8, so neither SQLite nor the
    shapes notice) differs from the digest recorded when it was written."""
    code, good_export, _ = run("export", "--db", str(corpus))
    for side in ("-wal", "-shm"):
        Path(f"{corpus}{side}").unlink(missing_ok=True)
    b = bytearray(corpus.read_bytes())
    i = b.find(b"serviceavgift")
    assert i > 0
    b[i] = ord("S")
    corpus.write_bytes(bytes(b))
    code, out, _ = run("doctor", "--db", str(corpus))
    assert code == 1 and "är skadat" in out and "differ" in out
    code, out, _ = run("doctor", "--repair", "--db", str(corpus))
    assert code == 0 and "lästes in på nytt" in out, out
    assert run("export", "--db", str(corpus))[1] == good_export


def test_a_truncated_corpus_is_built_again_from_what_can_be_read(corpus: Path) -> None:
    """Damaged pages (the file cut short): --repair saves every document it can read, reads
    the others again from their files, keeps the damaged file, and the index stays."""
    good_export = run("export", "--db", str(corpus))[1]
    name = version(corpus).name
    for side in ("-wal", "-shm"):
        Path(f"{corpus}{side}").unlink(missing_ok=True)
    with corpus.open("r+b") as f:
        f.truncate(corpus.stat().st_size // 2)
    one_line_error(("search", "avgift", "--db", str(corpus)), "doctor --repair")
    assert run("doctor", "--db", str(corpus))[0] == 1
    code, out, _ = run("doctor", "--repair", "--db", str(corpus))
    assert code == 0, out
    assert run("export", "--db", str(corpus))[1] == good_export
    assert version(corpus).name == name  # the same documents: the index was kept as it was


def test_a_deleted_corpus_leaves_its_index_untouched(corpus: Path) -> None:
    before = {p: p.read_bytes() for p in version(corpus).rglob("*") if p.is_file()}
    corpus.unlink()
    for args in (("doctor",), ("doctor", "--repair")):
        code, out, _ = run(*args, "--db", str(corpus))
        assert code == 1 and "saknas" in out and "lämnas orört" in out
    assert not corpus.exists()
    assert {p: p.read_bytes() for p in version(corpus).rglob("*") if p.is_file()} == before


def test_a_damaged_dense_base_carried_by_an_update_is_found_and_repaired(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update links the dense base unread into its version (index/dense_segments.py): bytes
    damaged there stay damaged under their recorded checksum, so the searcher and doctor of
    the new version find them, and --repair rebuilds from the corpus. An update that must
    read the base (to write the index whole) and finds it damaged indexes everything again."""
    from index import dense_segments

    before = {q: top(corpus, q) for q in QUERIES}
    base = version(corpus) / "dense.faiss"
    _flip(base, base.stat().st_size // 2, 1 << 20)
    inode = base.stat()
    extra = sorted(p for p in (ROOT / "tests" / "data" / "protocols").iterdir())
    extra = [p for p in extra if p.suffix == ".txt"]
    monkeypatch.setattr(dense_segments, "COMPACT_SHARE", 100.0)  # the update writes a segment
    ingest(corpus, extra[0])
    assert os.path.samestat(inode, (version(corpus) / "dense.faiss").stat())
    one_line_error(("search", "serviceavgift", "--db", str(corpus)), "dense.faiss")
    code, out, _ = run("doctor", "--db", str(corpus))
    assert code == 1 and "dense.faiss är skadad" in out
    code, out, _ = run("doctor", "--repair", "--db", str(corpus))
    assert code == 0, out
    assert run("doctor", "--db", str(corpus))[0] == 0
    assert all(set(before[q]) <= set(top(corpus, q, 20)) for q in QUERIES)

    base = version(corpus) / "dense.faiss"
    _flip(base, base.stat().st_size // 2, 1 << 20)
    monkeypatch.setattr(dense_segments, "COMPACT_SHARE", 0.0)  # the update writes it whole
    ingest(corpus, extra[1])
    assert run("doctor", "--db", str(corpus))[0] == 0
    assert all(set(before[q]) <= set(top(corpus, q, 20)) for q in QUERIES)


def test_damaged_lexical_postings_carried_by_an_update_are_found_and_repaired(
    corpus: Path,
) -> None:
    """The lexical base postings are linked unread by an update (it appends to the delta
    segment): damaged, they stay damaged under their recorded checksum in the new version,
    where search and doctor name them and --repair rebuilds them."""
    before = {q: top(corpus, q) for q in QUERIES}
    postings = version(corpus) / "lexical" / "tf.csc.npy"
    inode = postings.stat()
    _flip(postings, 200, 97)
    extra = sorted(p for p in (ROOT / "tests" / "data" / "protocols").iterdir())
    ingest(corpus, [p for p in extra if p.suffix == ".txt"][0])
    assert os.path.samestat(inode, (version(corpus) / "lexical" / "tf.csc.npy").stat())
    one_line_error(("search", "serviceavgift", "--db", str(corpus)), "tf.csc.npy")
    code, out, _ = run("doctor", "--repair", "--db", str(corpus))
    assert code == 0, out
    assert run("doctor", "--db", str(corpus))[0] == 0
    assert all(set(before[q]) <= set(top(corpus, q, 20)) for q in QUERIES)
