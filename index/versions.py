"""Versions of a corpus's index: each complete index is a folder of its own.

    finsam-index/
      CURRENT        the name of the version searchers open ("v000007")
      v000007/       a complete index: manifest.json, dense files, lexical/, embedded.txt
      v000008/       the next version, while an update builds it (manifest complete: false)

An update writes the next version beside the current one and then replaces CURRENT, one
atomic rename; searchers that open the index at any moment load one whole version, and the
previous version stays readable until the switch. A run killed mid-way leaves its folder
behind with its checkpoints; the next update resumes from it. A folder of the first layout
(the index files directly in finsam-index/) is read as the current version until the first
update replaces it.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from corpus.errors import IndexDamaged, IndexStale
from corpus.lock import writer_active
from index.manifest import (
    MANIFEST,
    Manifest,
    check_fresh,
    fsync_dir,
    load_manifest,
    write_atomic,
)

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
VERSION = re.compile(r"^v(\d{6})$")
# What the first layout kept directly in the index folder (index.build, index.dense_io names).
FIRST_LAYOUT = frozenset(
    {
        MANIFEST,
        "embedded.json",  # index.manifest.EMBEDDED_JSON
        "embedded.txt",  # (never written there; removed if moved there)
        "lexical",
        "dense.faiss",
        "dense-passages.npy",
        "dense-items.json",
        "dense.json",
        "checksums.json",  # index.checksums (never written there; removed if moved there)
    }
)
TEMPORARY = re.compile(r"\.tmp(-\d+)?$")


def _number(folder: Path) -> int:
    m = VERSION.match(folder.name)
    return int(m.group(1)) if m else 0


def versions(index_dir: Path) -> list[Path]:
    """The version folders in index_dir, oldest first."""
    if not index_dir.is_dir():
        return []
    return sorted(
        (p for p in index_dir.iterdir() if p.is_dir() and VERSION.match(p.name)), key=_number
    )


def current(index_dir: Path) -> Path | None:
    """The folder of the complete index searchers should open, or None if there is none."""
    try:
        name = (index_dir / CURRENT).read_text("utf-8").strip()
    except FileNotFoundError:
        return index_dir if (index_dir / MANIFEST).exists() else None  # the first layout
    except (OSError, UnicodeDecodeError) as e:  # unreadable, or damaged bytes: see damage()
        log.info("cannot read %s: %s", index_dir / CURRENT, e)
        return None
    if not VERSION.match(name):
        log.info("%s names no index version (%r)", index_dir / CURRENT, name[:40])
        return None
    return index_dir / name


def damage(index_dir: Path) -> str | None:
    """What is damaged in CURRENT or the manifest of the version it names; None when they
    are sound or there is no index at all."""
    folder = current(index_dir)
    if folder is None:
        if (index_dir / CURRENT).exists():
            return f"{index_dir / CURRENT} is damaged (it names no index version)"
        return f"{index_dir / CURRENT} is missing" if versions(index_dir) else None
    if not folder.is_dir():
        return f"{index_dir / CURRENT} names {folder.name}, which is missing"
    if load_manifest(folder) is None and (folder / MANIFEST).exists():
        return f"{folder / MANIFEST} is damaged"
    if load_manifest(folder) is None and folder != index_dir:
        return f"{folder / MANIFEST} is missing"
    return None


def open_version(
    index_dir: Path, *, fingerprint: Callable[[], str], model: str, db: Path, lock: Path
) -> tuple[Path, Manifest, bool]:
    """The version a searcher should open: (folder, manifest, behind). `fingerprint` gives
    the corpus's fingerprint now. `behind` is True when the version predates the corpus
    because an ingest is updating the index right now: it is then the last complete index,
    served until the update publishes the next. Raises IndexStale when there is no index, or
    it is stale and nothing is updating it."""
    stale: IndexStale | None = None
    for _ in range(3):  # an update may publish a version while we look
        folder = current(index_dir)
        manifest = load_manifest(folder) if folder is not None else None
        try:
            if manifest is None and (what := damage(index_dir)):
                raise IndexDamaged(what, f"finsam doctor --repair --db {db}")
            fresh = check_fresh(manifest, fingerprint=fingerprint(), model=model, db=db)
            assert folder is not None
            _check_files(folder, db)
            return folder, fresh, False
        except IndexStale as e:
            stale = e
        if not writer_active(lock):
            if current(index_dir) == folder:
                raise stale
            continue
        if folder is None or manifest is None:
            raise IndexStale(
                "a running ingest is building the first search index of this corpus; "
                "search again when it has finished",
                f"finsam reindex --db {db} (if no ingest is running)",
            )
        if not manifest.complete or manifest.model != model:
            raise stale
        _check_files(folder, db)
        return folder, manifest, True
    assert stale is not None
    raise stale


def _check_files(folder: Path, db: Path) -> None:
    """Raise IndexDamaged when a file a searcher reads differs from its recorded checksum.
    A version published before checksums were recorded is read as it is."""
    from index.checksums import describe, old_layout, problems, search_skips

    found = problems(folder, skip=search_skips)
    if old_layout(found):
        log.info("%s has no checksums (published by an older finsam)", folder)
    elif found:
        raise IndexDamaged(
            f"{folder.name}/{describe(found[0])}", f"finsam doctor --repair --db {db}"
        )


def restore_current(index_dir: Path) -> Path | None:
    """When CURRENT is unreadable, missing or names a missing or damaged version, point it
    at the newest complete version whose files match their checksums. Returns that version,
    or None (nothing sound to point at, or CURRENT is fine). Call only holding the lock."""
    from index.checksums import problems

    now = current(index_dir)
    if now is not None and load_manifest(now) is not None and not problems(now):
        return None
    for folder in reversed(versions(index_dir)):
        manifest = load_manifest(folder)
        if folder != now and manifest is not None and manifest.complete and not problems(folder):
            write_atomic(index_dir / CURRENT, folder.name.encode())
            fsync_dir(index_dir)
            log.info("CURRENT now names %s again", folder.name)
            return folder
    return None


def unfinished(index_dir: Path) -> Path | None:
    """The newest version folder after the current one: an update that did not finish."""
    now = current(index_dir)
    floor = _number(now) if now is not None and now != index_dir else 0
    later = [p for p in versions(index_dir) if _number(p) > floor]
    return later[-1] if later else None


def next_folder(index_dir: Path) -> Path:
    """A new, empty version folder numbered after every existing one."""
    existing = versions(index_dir)
    folder = index_dir / f"v{(_number(existing[-1]) if existing else 0) + 1:06d}"
    folder.mkdir(parents=True)
    return folder


def discard(folder: Path) -> None:
    """Delete an unfinished version that cannot be resumed (a model change, damaged files)."""
    if not VERSION.match(folder.name):
        raise ValueError(f"{folder} is not an index version folder")
    log.info("discarding the unfinished index version %s", folder.name)
    shutil.rmtree(folder, ignore_errors=True)


def publish(index_dir: Path, folder: Path) -> None:
    """Make `folder` (complete, its files synced) the current version, then remove the others.
    Call only while holding the corpus write lock."""
    if folder.parent != index_dir or not VERSION.match(folder.name):
        raise ValueError(f"{folder} is not a version folder of {index_dir}")
    from index.checksums import write_checksums

    before = current(index_dir)
    previous = before if before is not None and before != folder and before.is_dir() else None
    write_checksums(folder, previous)  # syncs the folder
    write_atomic(index_dir / CURRENT, folder.name.encode())
    fsync_dir(index_dir)
    log.info("index version %s is now current", folder.name)
    prune(index_dir)


def prune(index_dir: Path) -> list[str]:
    """Delete what no searcher will open again: version folders before the current one and
    the files of the first layout once a version folder is current. A searcher that was
    loading one of them retries with the current version. Returns the names removed."""
    now = current(index_dir)
    if now is None or now == index_dir:
        return []
    removed = []
    for path in index_dir.iterdir():
        if path == now or path.name == CURRENT:
            continue
        if VERSION.match(path.name):
            if _number(path) > _number(now):
                continue  # an unfinished update: resumed by the next one
        elif path.name not in FIRST_LAYOUT and not TEMPORARY.search(path.name):
            continue  # not ours
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path.name)
    if removed:
        log.info("removed old index files: %s", ", ".join(sorted(removed)))
    return removed
