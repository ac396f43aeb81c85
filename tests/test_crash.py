"""Crash safety: `finsam ingest` killed with SIGKILL at random moments (while files are stored,
between the last commit and the index write, while the index is written) leaves a corpus that
opens with only whole documents, and an index that is consistent or detected as stale and
repaired by `finsam doctor --repair`. Re-running the ingest completes the batch."""

from __future__ import annotations

import contextlib
import json
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

from writers import ROOT, Finsam, cli, protogen, write_batch

from corpus.errors import IndexStale
from corpus.model import content_hash
from corpus.settings import Settings
from corpus.store import Store
from index import versions
from index.build import LEXICAL_DIR
from index.dense import DenseIndex
from index.lexical import LexicalIndex
from index.manifest import MANIFEST, load_manifest
from index.search import Searcher
from ingest.pipeline import limits_of, process_file

SEED = 20240611


def expected_items(paths: list[Path]) -> dict[str, int]:
    """A fresh segmentation of each file, in this process: how many items it must have."""
    limits = limits_of(Settings())
    out = {}
    for p in paths:
        doc = process_file(p, limits)
        assert not hasattr(doc, "reason"), doc
        out[str(p)] = len(doc.items)  # type: ignore[union-attr]
    return out


def check_corpus(settings: Settings, expected: dict[str, int]) -> int:
    """Whole documents only, no orphans, nothing a loader would trust half-written.
    Returns the number of documents."""
    with Store.open(settings.db) as store:
        assert store.integrity_problems() == []
        assert store.failures() == []
        docs = list(store.iter_documents())
        for doc in docs:
            assert doc.doc_id == content_hash(Path(doc.path).read_bytes())
            assert store.count_items(doc.doc_id) == expected[doc.path], doc.source
        q = store.conn.execute
        assert q(
            "SELECT count(*) FROM items WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
        ).fetchone() == (0,)
        assert q(
            "SELECT count(*) FROM participants WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
        ).fetchone() == (0,)
        assert q(
            "SELECT count(*) FROM decisions WHERE item_id NOT IN (SELECT item_id FROM items)"
        ).fetchone() == (0,)
    check_index_files(settings)
    return len(docs)


def check_index_files(settings: Settings) -> None:
    """Each part of the index loads whole or is refused as stale; a searcher either answers
    with items of the corpus or raises IndexStale with the fix."""
    for folder in versions.versions(settings.index_dir):  # the current one, an unfinished one
        if (folder / MANIFEST).exists():
            assert load_manifest(folder) is not None, "manifest.json is torn"
        for load in (
            lambda f=folder: DenseIndex.load(f),
            lambda f=folder: LexicalIndex.load(f / LEXICAL_DIR),
        ):
            with contextlib.suppress(IndexStale):
                load()
    current = versions.current(settings.index_dir)
    if current is not None:  # what searchers open is always whole
        manifest = load_manifest(current)
        assert manifest is not None and manifest.complete
        DenseIndex.load(current)
        LexicalIndex.load(current / LEXICAL_DIR)
    with Store.open(settings.db, readonly=True) as store:
        try:
            searcher = Searcher(store, settings)
        except IndexStale as e:
            assert "finsam reindex" in e.fix
            return
        ids = set(store.item_ids())
        for mode in ("lexical", "dense", "hybrid"):
            hits = searcher.search("serviceavgift budget", 20, mode=mode)
            assert hits and {h.item_id for h in hits} <= ids, mode


def check_doctor(settings: Settings, *, repair: bool) -> bool:
    """`finsam doctor`: agrees (exit 0) or reports the index stale (exit 1); with repair,
    `--repair` makes it agree and `finsam search` works. Returns whether it was stale."""
    run = cli(settings, "doctor")
    assert run.returncode in (0, 1), run.stderr
    assert "Databasens integritet: ok" in run.stdout and "FEL i databasen" not in run.stdout
    stale = run.returncode == 1
    if stale:
        assert "Kör `finsam doctor --repair" in run.stdout, run.stdout
    else:
        assert "Index: stämmer med korpusen" in run.stdout
    if repair:
        if stale:
            fixed = cli(settings, "doctor", "--repair")
            assert fixed.returncode == 0, fixed.stdout + fixed.stderr
            assert fixed.stdout.rstrip().endswith("Index efter reparation: stämmer med korpusen")
            assert cli(settings, "doctor").returncode == 0
        found = cli(settings, "search", "serviceavgift", "--json", "-k", "5")
        assert found.returncode == 0, found.stderr
        results = json.loads(found.stdout)["results"]
        with Store.open(settings.db, readonly=True) as store:
            assert results and {r["item_id"] for r in results} <= set(store.item_ids())
    return stale


def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    settings = Settings(db=tmp_path / "corpus" / "finsam.db", model="hash", cache_dir=tmp_path)
    folder = tmp_path / "in"
    first = write_batch(folder, 40, seed=SEED % 1000)
    expected = expected_items(first)

    # (when to kill, extra delay): while files are stored, right after the last commit
    # (before the index write), and while the index is written.
    plans: list[tuple[str, float]] = [
        ("files", rng.uniform(0, 0.02)),
        ("files", rng.uniform(0, 0.02)),
        ("files done", 0.0),
        ("indexing", rng.uniform(0, 0.15)),
        ("files done", rng.uniform(0.05, 0.4)),
        ("anywhere", rng.uniform(0, 0.8)),  # from the first progress line on
    ]
    killed = stale = 0
    for n, (when, delay) in enumerate(plans):
        if n in (3, 5):  # new files, so that the later runs have work of both kinds
            more = write_batch(folder / f"fler {n}", 16 if n == 3 else 8, seed=SEED % 1000 + n)
            expected |= expected_items(more)
        with Store.open(settings.db) as store:
            stored = len(store.doc_ids())
        run = Finsam.start(settings, "ingest", str(folder))
        if when == "files":
            target = stored + rng.randint(1, max(1, len(expected) - stored - 1))
            run.wait_until(lambda r=run, t=target: r.files_done()[0] >= t)
        elif when == "files done":
            run.wait_until(lambda r=run: r.files_done()[0] == r.files_done()[1])
        elif when == "indexing":
            run.wait_until(lambda r=run: r.indexing())
        else:
            run.wait_until(lambda r=run: r.files_done()[1] > 0)
        code = run.kill(delay)
        killed += code == -signal.SIGKILL
        check_corpus(settings, expected)
        stale += check_doctor(settings, repair=n % 2 == 0)

    assert killed >= 4, f"only {killed} of {len(plans)} runs were killed mid-way"
    assert stale >= 1, "no kill left the index stale: the kills missed the index phase"

    # Re-running completes the batch, and the index then agrees with the corpus.
    final = cli(settings, "ingest", str(folder))
    assert final.returncode == 0, final.stderr
    assert re.search(r", 0 fel[,.]", final.stdout), final.stdout
    assert check_corpus(settings, expected) == len(expected)
    assert cli(settings, "doctor").returncode == 0
    leftovers = [p.name for p in settings.index_dir.rglob("*") if ".tmp" in p.name]
    assert leftovers == [], leftovers


# A child that runs sync_index and SIGKILLs itself just before the index file named argv[3]
# would be renamed into place: every point between two atomic steps of an index write.
KILL_BEFORE = """
import os, signal, sys
from pathlib import Path

real_replace = os.replace

def replace(src, dst, *args, **kwargs):
    if Path(dst).name == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst, *args, **kwargs)

os.replace = replace
if len(sys.argv) > 4:  # the share of the dense base its segments may reach
    import index.dense_segments
    index.dense_segments.COMPACT_SHARE = float(sys.argv[4])
from corpus.settings import Settings
from corpus.store import Store
from index.build import sync_index

settings = Settings(db=Path(sys.argv[1]), model="hash", cache_dir=Path(sys.argv[2]))
with Store.open(settings.db) as store:
    sync_index(store, settings)
"""


def test_sigkill_before_each_index_file_is_replaced(tmp_path: Path) -> None:
    """For every file of the index folder: change the corpus, kill the index update just before
    that file is renamed into place, change the corpus again, then `doctor --repair`. The index
    is never trusted half-written, and the repair always makes it agree."""
    from index.build import ingest_and_index
    from index.doctor import diagnose

    settings = Settings(db=tmp_path / "corpus" / "finsam.db", model="hash", cache_dir=tmp_path)
    folder = tmp_path / "in"
    paths = write_batch(folder, 8, seed=SEED % 1000 + 3)
    ingest_and_index([folder], settings, isolate=False)
    names = sorted(p.name for p in settings.index_dir.rglob("*") if p.is_file())
    assert {"manifest.json", "embedded.txt", "dense.json", "dense.faiss"} <= set(names)
    assert not [n for n in names if ".tmp" in n]
    seeds = iter(range(10_000, 20_000))

    def change_a_document(n: int) -> None:
        """Rewrite one file with another protocol: its old items go, new ones come."""
        g = protogen.protocol(next(seeds))
        paths[n % len(paths)].write_text("\f".join(g.pages), encoding="utf-8")
        report, _ = ingest_and_index([folder], settings, index=False, isolate=False)
        assert report.documents_replaced == 1 and not report.failures

    for n, name in enumerate(names):
        change_a_document(n)
        child = subprocess.run(
            [sys.executable, "-c", KILL_BEFORE, str(settings.db), str(tmp_path), name],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
        )
        assert child.returncode == -signal.SIGKILL, (name, child.stderr[-2000:])
        expected = expected_items([Path(p) for p in paths])
        check_corpus(settings, expected)
        stale = diagnose(settings)
        assert not stale.ok, (name, stale.lines)
        change_a_document(n)  # the items the killed run added go again
        repaired = diagnose(settings, repair=True)
        assert repaired.lines[-1] == "Index efter reparation: stämmer med korpusen", (
            name,
            repaired.lines,
        )
        assert diagnose(settings).ok
        check_index_files(settings)
    leftovers = [p.name for p in settings.index_dir.rglob("*") if ".tmp" in p.name]
    assert leftovers == [], leftovers


def test_sigkill_before_each_file_of_a_segmented_update(tmp_path: Path) -> None:
    """The same for an update that links the dense base unread and writes one segment: killed
    before each of its files is renamed into place, the current version still answers, the
    next update completes, and the index then agrees with the corpus."""
    from index.build import ingest_and_index
    from index.doctor import diagnose

    settings = Settings(db=tmp_path / "corpus" / "finsam.db", model="hash", cache_dir=tmp_path)
    folder = tmp_path / "in"
    paths = write_batch(folder, 8, seed=SEED % 1000 + 5)
    ingest_and_index([folder], settings, isolate=False)
    seeds = iter(range(30_000, 40_000))
    names = ["dense.seg000001.npz", "dense.faiss", "dense-passages.npy", "dense.json"]
    names += ["embedded.txt", "manifest.json", "checksums.json", "CURRENT"]
    for n, name in enumerate(names):
        g = protogen.protocol(next(seeds))
        paths[n % len(paths)].write_text("\f".join(g.pages), encoding="utf-8")
        report, _ = ingest_and_index([folder], settings, index=False, isolate=False)
        assert report.documents_replaced == 1 and not report.failures
        child = subprocess.run(
            [sys.executable, "-c", KILL_BEFORE, str(settings.db), str(tmp_path), name, "100"],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
        )
        assert child.returncode == -signal.SIGKILL, (name, child.stderr[-2000:])
        check_index_files(settings)
        assert not diagnose(settings).ok, name
        child = subprocess.run(
            [sys.executable, "-c", KILL_BEFORE, str(settings.db), str(tmp_path), "-", "100"],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
        )
        assert child.returncode == 0, (name, child.stderr[-2000:])
        assert diagnose(settings).ok, (name, diagnose(settings).lines)
        check_index_files(settings)
        current = versions.current(settings.index_dir)
        assert current is not None and list(current.glob("dense.seg*.npz")), name
