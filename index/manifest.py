"""The index folder's manifest.json: which model built it, for which corpus, how big."""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from corpus.errors import CorpusError, IndexStale

MANIFEST = "manifest.json"
# item id -> fingerprint of the passages embedded (index.build): one "id<TAB>fp" a line (ids
# and fingerprints are hex); versions published before kept it in a JSON object.
EMBEDDED, EMBEDDED_JSON = "embedded.txt", "embedded.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Manifest:
    model: str
    dim: int
    count: int  # items in the index
    n_vectors: int
    corpus_fingerprint: str
    lexical_engine: str = "bm25s"
    dense_kind: str = "flat"
    complete: bool = True
    version: int = FORMAT_VERSION
    passages: str = ""  # index.passages.passage_settings of the embedded passages


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so readers see the old or the new content, never half of it."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def fsync_dir(folder: Path) -> None:
    """Make the names in a folder durable (after renames into it)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_manifest(folder: Path, manifest: Manifest) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps(asdict(manifest), ensure_ascii=False, indent=1).encode()
    write_atomic(folder / MANIFEST, data)


def load_manifest(folder: Path) -> Manifest | None:
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):  # unreadable, not UTF-8, not JSON
        return None
    if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
        return None
    try:
        manifest = Manifest(**raw)
    except TypeError:  # fields missing or unknown
        return None
    return manifest if _well_typed(manifest) else None


def _well_typed(manifest: Manifest) -> bool:
    """Whether every field holds a value of its declared type (a damaged file can parse)."""
    for f in fields(manifest):
        value = getattr(manifest, f.name)
        want = {"str": str, "int": int, "bool": bool}[str(f.type)]
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            return False
    return True


def check_fresh(manifest: Manifest | None, *, fingerprint: str, model: str, db: Path) -> Manifest:
    """The manifest if the index matches the corpus and model; IndexStale otherwise."""
    fix = f"finsam reindex --db {db}"
    if manifest is None:
        raise IndexStale("no search index has been built for this corpus", fix)
    if not manifest.complete:
        raise IndexStale("the last indexing run did not finish", fix)
    if manifest.model != model:
        raise IndexStale(
            f"it was built with the model {manifest.model!r}, not {model!r}",
            fix + f" --model {model}",
        )
    if manifest.corpus_fingerprint != fingerprint:
        raise IndexStale("the corpus has changed since the index was built", fix)
    return manifest


FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@contextmanager
def writing_index(index_dir: Path, db: Path) -> Iterator[None]:
    """Turn an OS error while an index update reads or writes its files into one message
    naming the index folder and, when it is so, that the disk is full. The current version
    is untouched (an update publishes a new one only when it is complete)."""
    try:
        yield
    except OSError as e:
        free = _free(index_dir)
        full = e.errno in FULL or "requested and" in str(e) or (free is not None and free < 2**20)
        where = f" ({e.filename})" if e.filename else ""
        reason = "the disk is full" if full else (e.strerror or str(e))
        raise CorpusError(
            f"the search index in {index_dir} could not be updated: {reason}{where}. "
            f"The corpus and the last complete index are intact; "
            f"{'free some space, then ' if full else ''}run: finsam reindex --db {db}"
        ) from e


def _free(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None
