"""Which files an ingest reads: no link leads out of the folders given unless asked, and
nothing is skipped without a line (issue 16: r_symlink_ingests_outside_files,
r_unreadable_file)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.settings import Settings
from corpus.store import Store
from ingest.discover import find_files
from ingest.pipeline import ingest_paths

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "corpus" / "samples").glob("*.txt"))


@pytest.fixture()
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """A folder to ingest with links of every kind, and a folder outside it."""
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    shutil.copy(SEED[1], outside / "hemlig.txt")
    shutil.copy(SEED[2], outside / "deep" / "djup.txt")
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    shutil.copy(SEED[0], root / "egen.txt")
    (root / "protokoll.txt").symlink_to(outside / "hemlig.txt")  # a file outside
    (root / "arkiv").symlink_to(outside)  # a folder outside
    (root / "sub" / "rel.txt").symlink_to(Path("..") / ".." / "outside" / "hemlig.txt")
    (root / "loop1.txt").symlink_to("loop2.txt")
    (root / "loop2.txt").symlink_to("loop1.txt")
    (root / "borta.txt").symlink_to(tmp_path / "finns-inte.txt")
    (root / "sub" / "inne.txt").symlink_to(root / "egen.txt")  # inside: the same file
    (root / "sub" / "upp").symlink_to(root)  # a loop through a folder inside
    (root / "bild.jpg").symlink_to("/etc/passwd")  # not a kind we read: no line needed
    return root, outside


def test_links_out_of_the_folder_are_skipped_and_named(tree: tuple[Path, Path]) -> None:
    root, outside = tree
    found = find_files([root])
    assert found.files == [(root / "egen.txt").resolve()]
    assert not found.failures
    skipped = {Path(s.path).name: s.reason for s in found.skipped}
    assert set(skipped) == {
        "protokoll.txt",
        "arkiv",
        "rel.txt",
        "loop1.txt",
        "loop2.txt",
        "borta.txt",
    }
    assert str(outside / "hemlig.txt") in skipped["protokoll.txt"]
    assert "--follow-links" in skipped["arkiv"]
    assert "bruten" in skipped["borta.txt"] and "slinga" in skipped["loop1.txt"]


def test_follow_links_reads_outside_files_once_and_survives_loops(
    tree: tuple[Path, Path],
) -> None:
    root, outside = tree
    found = find_files([root], follow_links=True)
    assert sorted(found.files) == sorted(
        p.resolve()
        for p in (root / "egen.txt", outside / "hemlig.txt", outside / "deep" / "djup.txt")
    )
    assert {Path(s.path).name for s in found.skipped} == {"loop1.txt", "loop2.txt", "borta.txt"}


def test_a_link_given_by_name_is_read(tree: tuple[Path, Path]) -> None:
    root, outside = tree
    found = find_files([root / "protokoll.txt"])
    assert found.files == [(outside / "hemlig.txt").resolve()]


def test_ingest_stores_nothing_from_outside_and_reports_the_skipped_links(
    tree: tuple[Path, Path], tmp_path: Path
) -> None:
    root, _ = tree
    settings = Settings(db=tmp_path / "c.db", model="hash")
    with Store.open(settings.db) as store:
        report = ingest_paths([root], store, settings, isolate=False)
        paths = [store.get_document(d, with_items=False).path for d in store.doc_ids()]  # type: ignore[union-attr]
    assert report.documents_added == 1 and not report.failures
    assert paths == [str((root / "egen.txt").resolve())]
    assert len(report.skipped) == 6


def _as_unprivileged(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` with file permissions enforced (as root: without the capabilities that
    override them)."""
    cmd = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *cmd]
    return subprocess.run(
        cmd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


UNREADABLE = """
import json, sys
from pathlib import Path
from corpus.settings import Settings
from corpus.store import Store
from ingest.pipeline import ingest_paths
root, db = Path(sys.argv[1]), Path(sys.argv[2])
settings = Settings(db=db, model="hash")
with Store.open(db) as store:
    report = ingest_paths([root], store, settings, isolate=False)
    listed = [f.path for f in store.failures()]
print(json.dumps({"added": report.documents_added,
                  "failures": [[f.path, f.reason] for f in report.failures], "listed": listed}))
"""


def test_unreadable_folders_and_files_are_failures_with_a_line(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "locked.d").mkdir(parents=True)
    shutil.copy(SEED[0], root / "ok.txt")
    shutil.copy(SEED[1], root / "secret.txt")
    shutil.copy(SEED[2], root / "locked.d" / "inner.txt")
    (root / "secret.txt").chmod(0)
    (root / "locked.d").chmod(0)
    try:
        code = UNREADABLE.replace("sys.argv[1]", repr(str(root))).replace(
            "sys.argv[2]", repr(str(tmp_path / "c.db"))
        )
        done = _as_unprivileged(code)
    finally:
        (root / "locked.d").chmod(0o755)
        (root / "secret.txt").chmod(0o644)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.splitlines()[-1])
    assert out["added"] == 1
    failed = {Path(p).name: reason for p, reason in out["failures"]}
    assert set(failed) == {"secret.txt", "locked.d"}
    assert "mappen kan inte läsas (åtkomst nekas" in failed["locked.d"]
    assert "åtkomst nekas" in failed["secret.txt"]
    assert {Path(p).name for p in out["listed"]} == {"secret.txt", "locked.d"}  # Korpus list
