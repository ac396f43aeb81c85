"""Checksums of a published index version: `checksums.json` holds the CRC-32 and size of every
file in the version folder (manifest, lexical and dense files, embedded.txt), written when
the version is published. Bit rot, a truncated or a deleted file is then found by comparing,
before a searcher or an update trusts the folder.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

from index.dense_io import FILES as DENSE_FILES
from index.dense_io import META_FILE as DENSE_META
from index.dense_io import crc32, vector_file
from index.manifest import EMBEDDED, EMBEDDED_JSON, fsync_dir, write_atomic

log = logging.getLogger(__name__)

MISSING, DAMAGED, UNREADABLE = "missing", "damaged", "unreadable"
Problem = tuple[str, str]  # (file name in the version folder, MISSING / DAMAGED / UNREADABLE)
SWEDISH = {MISSING: "saknas", DAMAGED: "är skadad", UNREADABLE: "kan inte läsas"}

CHECKSUMS = "checksums.json"
FORMAT = 1
# What a searcher does not need verified here: the dense files check themselves against
# dense.json when they are loaded (its segments too), and embedded.txt is read only by an
# update.
SEARCH_SKIPS = frozenset({*DENSE_FILES, DENSE_META, EMBEDDED, EMBEDDED_JSON})
# What an update links into its version without reading it: the dense index's vectors (index/
# dense_segments.py) and the lexical base segment's postings (index/lexical_update.py: an
# update appends to the delta segment; a compaction posts the rows again from their tokens).
LINKED_UNREAD = frozenset({"lexical/tf.csc.npy", "lexical/indices.csc.index.npy"})


def search_skips(name: str) -> bool:
    """Whether a searcher leaves the file `name` (relative to the version) unchecked here."""
    base = Path(name).name
    return base in SEARCH_SKIPS or (base == name and vector_file(name))


def update_skips(name: str) -> bool:
    """Whether an update leaves the file `name` unchecked: it does not read it. Damage there
    is not carried into new bytes: the file goes into the new version as it is, with its
    recorded checksum, and is found there by a searcher or doctor."""
    return name in LINKED_UNREAD or (Path(name).name == name and vector_file(name))


def _files(folder: Path) -> list[Path]:
    from index.versions import TEMPORARY

    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.name != CHECKSUMS and not TEMPORARY.search(p.name)
    )


def write_checksums(folder: Path, previous: Path | None = None) -> None:
    """Record the CRC-32 and size of every file in a complete version folder. A file that is
    the very file (a hard link) of the same name in the `previous` version keeps the checksum
    recorded there: its bytes were not written again (if they were damaged since, they
    differ from it in both versions, and are found as damaged)."""
    recorded = _recorded(previous) if previous is not None else {}
    before = recorded if isinstance(recorded, dict) else {}
    entries = {}
    for p in _files(folder):
        name = p.relative_to(folder).as_posix()
        st = p.stat()
        known = before.get(name)
        if (
            previous is not None
            and known is not None
            and known[1] == st.st_size
            and _same_file(st, previous / name)
        ):
            entries[name] = [known[0], st.st_size]
        else:
            entries[name] = [crc32(p), st.st_size]
    body = json.dumps({"format": FORMAT, "files": entries}, indent=1, sort_keys=True)
    write_atomic(folder / CHECKSUMS, body.encode())
    fsync_dir(folder)


def _same_file(st: os.stat_result, other: Path) -> bool:
    try:
        return os.path.samestat(st, other.stat())
    except OSError:
        return False


def _recorded(folder: Path) -> dict[str, tuple[int, int]] | Problem:
    """The recorded (crc, size) per file, or what is wrong with checksums.json."""
    path = folder / CHECKSUMS
    try:
        raw = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return CHECKSUMS, MISSING
    except (OSError, ValueError):
        return CHECKSUMS, DAMAGED
    files = raw.get("files") if isinstance(raw, dict) else None
    if (
        not isinstance(raw, dict)
        or raw.get("format") != FORMAT
        or not isinstance(files, dict)
        or not all(
            isinstance(v, list) and len(v) == 2 and all(type(x) is int for x in v)
            for v in files.values()
        )
    ):
        return CHECKSUMS, DAMAGED
    return {name: (v[0], v[1]) for name, v in files.items()}


_seen: dict[
    tuple[object, ...], list[Problem]
] = {}  # problems() of folders whose files are unchanged


def problems(folder: Path, *, skip: Callable[[str], bool] | None = None) -> list[Problem]:
    """The files that do not match the recorded checksums: (name, MISSING / DAMAGED /
    UNREADABLE), or (checksums.json, …) when that itself cannot be used. Files for whose
    name (relative to the folder) `skip` is true are not read (search_skips, update_skips).
    Empty: every file is as it was published."""
    try:
        stats = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in _files(folder))
    except OSError:
        stats = None
    key = (str(folder), skip, stats, _stat(folder / CHECKSUMS))
    if stats is not None and key in _seen:
        return list(_seen[key])
    found = _problems(folder, skip)
    if stats is not None:
        _seen.clear()  # one folder is checked at a time: keep the last answer only
        _seen[key] = found
    return list(found)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _problems(folder: Path, skip: Callable[[str], bool] | None) -> list[Problem]:
    recorded = _recorded(folder)
    if isinstance(recorded, tuple):
        return [recorded]
    found: list[Problem] = []
    for name, (crc, size) in sorted(recorded.items()):
        if skip is not None and skip(name):
            continue
        path = folder / name
        try:
            if path.stat().st_size != size or crc32(path) != crc:
                found.append((name, DAMAGED))
        except FileNotFoundError:
            found.append((name, MISSING))
        except OSError:
            found.append((name, UNREADABLE))
    return found


def describe(problem: Problem) -> str:
    """A problem in English, for error messages: "lexical/vocab.index.json is damaged"."""
    name, kind = problem
    return f"{name} is {'unreadable' if kind == UNREADABLE else kind}"


def old_layout(found: list[Problem]) -> bool:
    """Whether the only problem is that the version predates checksums (none recorded)."""
    return found == [(CHECKSUMS, MISSING)]


def damaged_names(folder: Path, *, skip: Callable[[str], bool] | None = None) -> set[str]:
    """The base names of the files problems() names ({CHECKSUMS} if it is itself unusable);
    empty for a sound folder and for one published before checksums were recorded."""
    found = problems(folder, skip=skip)
    return set() if old_layout(found) else {Path(name).name for name, _ in found}


# The files of a version beside the lexical index: the dense index's, the embedded map's and
# the manifest.
DENSE_SIDE = frozenset({*DENSE_FILES, DENSE_META, EMBEDDED, EMBEDDED_JSON, "manifest.json"})


def lexical_damaged(folder: Path) -> bool:
    """Whether a file of the lexical index that an update reads (or the checksums) in a
    version is damaged (see update_skips)."""
    return bool(damaged_names(folder, skip=update_skips) - DENSE_SIDE)


def reusable_dense(folder: Path, *, read_vectors: bool = True) -> bool:
    """Whether the dense files, embedded.txt and the manifest of a version are as published
    (an update may then start from them). Without read_vectors, the files of vectors are
    not read: an update that links them unread into its version leaves them to the checks
    of a searcher and of doctor (their recorded checksums go with them, so damage to them
    is found in the new version too), and reads them, checked, if it must rebuild."""
    found = damaged_names(folder, skip=None if read_vectors else update_skips)
    return not found & (DENSE_SIDE | {CHECKSUMS})
