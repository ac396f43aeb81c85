"""Files of the dense index: write atomically, read back and check they belong together.

A folder holds plainly named files:
- `dense.faiss`        the FAISS index as last written whole (exact IDMap2 or IVF-Flat),
- `dense.segNNNNNN.npz` the changes since then, in order (index/dense_segments.py),
- `dense-passages.npy` int64 rows (passage id, item key, window), grouped by item,
- `dense-items.json`   the item ids, in item-key order,
- `dense.json`         format, dimension, layout, counts, the segments and a CRC-32 of each
                       file above.

Each file is written under a temporary name (or linked there from the version it is carried
from), synced and renamed into place; `dense.json` is renamed last. A save interrupted
anywhere leaves either the old `dense.json` with files whose checksums no longer match, or a
complete new set; `read_folder` tells the two apart and raises `IndexStale` for the first.
Files of vectors (the base and the segments) are read only when the index is searched or
rebuilt: an update that adds and removes items links them unread (`lazy`).
"""

from __future__ import annotations

import json
import os
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from corpus.errors import IndexDamaged, IndexStale
from index.dense_segments import (
    SEGMENT,
    Change,
    Saved,
    Segment,
    load_segment,
    save_segment,
)
from index.manifest import fsync_dir

INDEX_FILE = "dense.faiss"
PASSAGES_FILE = "dense-passages.npy"
ITEMS_FILE = "dense-items.json"
META_FILE = "dense.json"
FILES = (INDEX_FILE, PASSAGES_FILE, ITEMS_FILE)  # and the segments a dense.json names
FORMAT = 2  # 2: segments (index/dense_segments.py)
READABLE = (1, 2)


def crc32(path: Path) -> int:
    """CRC-32 of a file, read in 16 MB chunks (about 4 GB/s)."""
    crc = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 24):
            crc = zlib.crc32(chunk, crc)
    return crc


def _synced_tmp(path: Path, write: Callable[[Path], object]) -> Path:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    with tmp.open("rb+") as f:
        os.fsync(f.fileno())
    return tmp


def _save_npy(path: Path, array: np.ndarray) -> None:
    with path.open("wb") as f:
        np.save(f, array, allow_pickle=False)


def _link(source: Path, path: Path) -> Path:
    """A temporary name in path's folder for the file `source` (a copy where links fail)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
    return tmp


def write_folder(
    folder: Path,
    passages: np.ndarray,
    items: list[str],
    meta: dict[str, Any],
    *,
    index: Any = None,
    base: tuple[Path, int, int] | None = None,
    segments: list[Segment] | None = None,
    change: tuple[str, Change] | None = None,
) -> Saved:
    """Write the dense index files into `folder` (created if needed): `index` written whole
    as the base, or the `base` (folder, CRC-32, passages) and `segments` of an earlier save
    linked from where they are, then `change` written as a new segment (name, change).
    Returns what is now in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    items_text = json.dumps(items, ensure_ascii=False)
    tmps: dict[str, Path] = {}
    crcs: dict[str, int] = {}
    kept = list(segments or [])
    if index is not None:
        tmps[INDEX_FILE] = _synced_tmp(
            folder / INDEX_FILE, lambda t: faiss.write_index(index, str(t))
        )
        base_passages = int(index.ntotal)
    else:
        assert base is not None, "write_folder needs an index or a base"
        source, crcs[INDEX_FILE], base_passages = base
        if source != folder:
            tmps[INDEX_FILE] = _link(source / INDEX_FILE, folder / INDEX_FILE)
    for seg in kept:
        crcs[seg.name] = seg.crc32
        if seg.folder != folder:
            tmps[seg.name] = _link(seg.folder / seg.name, folder / seg.name)
    if change is not None:
        name, rows = change
        tmps[name] = _synced_tmp(folder / name, lambda t: save_segment(t, rows))
        crcs[name] = crc32(tmps[name])
        kept.append(Segment(name, crcs[name], rows.n_added, rows.n_removed, folder))
    tmps[PASSAGES_FILE] = _synced_tmp(folder / PASSAGES_FILE, lambda t: _save_npy(t, passages))
    tmps[ITEMS_FILE] = _synced_tmp(folder / ITEMS_FILE, lambda t: t.write_text(items_text, "utf-8"))
    for name, tmp in tmps.items():
        if name not in crcs:
            crcs[name] = crc32(tmp)
    for name, tmp in tmps.items():
        os.replace(tmp, folder / name)
    body = {
        "format": FORMAT,
        **meta,
        "passages": len(passages),
        "items": len(items),
        "base_passages": base_passages,
        "segments": [seg.record() for seg in kept],
        "crc32": crcs,
    }
    text = json.dumps(body, indent=2)
    meta_tmp = _synced_tmp(folder / META_FILE, lambda t: t.write_text(text, "utf-8"))
    os.replace(meta_tmp, folder / META_FILE)
    fsync_dir(folder)
    listed = {seg.name for seg in kept}
    for path in folder.iterdir():  # segments of an earlier save into this folder
        if SEGMENT.match(path.name) and path.name not in listed:
            path.unlink(missing_ok=True)
    here = tuple(Segment(s.name, s.crc32, s.added, s.removed, folder) for s in kept)
    return Saved(folder, crcs[INDEX_FILE], base_passages, here)


def faiss_ids(index: Any) -> np.ndarray:
    """Every passage id stored in a FAISS index (IDMap or IVF), unsorted."""
    if isinstance(index, faiss.IndexIVF):
        inv: Any = index.invlists
        parts = [
            faiss.rev_swig_ptr(inv.get_ids(lst), inv.list_size(lst)).copy()
            for lst in range(index.nlist)
            if inv.list_size(lst)
        ]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return faiss.vector_to_array(index.id_map).astype(np.int64)


def read_folder(
    folder: Path, *, verify: bool = True, lazy: bool = False
) -> tuple[Any, np.ndarray, list[str], dict[str, Any], Saved]:
    """Read (index, passages, items, meta, saved); raise IndexStale when missing, torn or
    foreign. The index is the base with the segments applied; None when `lazy` (the files of
    vectors are then neither read nor checked: see the module docstring)."""
    meta_path = folder / META_FILE
    if not meta_path.is_file():
        raise IndexStale(f"no dense index in {folder} ({META_FILE} is missing)")
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexStale(f"{meta_path} cannot be read ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") not in READABLE:
        found = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
        raise IndexStale(f"{meta_path} has format {found!r}, expected {FORMAT}")
    shape = _shape_problem(meta)
    if shape:
        raise IndexDamaged(f"{meta_path} is damaged ({shape})")
    segments = [
        Segment(r["name"], r["crc32"], r["added"], r["removed"], folder)
        for r in meta.get("segments", [])
    ]
    meta.setdefault("base_passages", meta["passages"])
    read = [n for n in FILES if not (lazy and n == INDEX_FILE)]
    for name in [*read, *([] if lazy else [s.name for s in segments])]:
        path = folder / name
        if not path.is_file():
            raise IndexStale(f"{path} is missing")
        if verify and crc32(path) != meta["crc32"][name]:
            raise IndexStale(f"{path} does not match {META_FILE} (an interrupted save?)")
    try:
        passages = np.load(folder / PASSAGES_FILE, allow_pickle=False)
        items = json.loads((folder / ITEMS_FILE).read_text("utf-8"))
        index = None
        if not lazy:
            index = faiss.read_index(str(folder / INDEX_FILE))
            for seg in segments:
                load_segment(folder / seg.name, int(meta["dim"])).apply(index)
    except (OSError, ValueError, RuntimeError) as exc:
        raise IndexStale(f"the dense index in {folder} cannot be read ({exc})") from exc
    problem = _disagreement(index, passages, items, meta, verify=verify)
    if problem:
        raise IndexStale(f"the dense index in {folder} is inconsistent: {problem}")
    saved = Saved(folder, meta["crc32"][INDEX_FILE], meta["base_passages"], tuple(segments))
    return index, passages, items, meta, saved


def _shape_problem(meta: dict[str, Any]) -> str | None:
    """What is missing or mistyped in a parsed dense.json, or None."""
    for key in ("dim", "passages", "items", "exact_limit", "nprobe"):
        if not isinstance(meta.get(key), int):
            return f"no number {key!r}"
    crcs = meta.get("crc32")
    if not isinstance(crcs, dict) or not all(isinstance(crcs.get(n), int) for n in FILES):
        return "no checksum of each file"
    segments = meta.get("segments", [])
    if not isinstance(segments, list) or not all(
        isinstance(r, dict)
        and isinstance(r.get("name"), str)
        and SEGMENT.match(r["name"])
        and all(isinstance(r.get(k), int) for k in ("crc32", "added", "removed"))
        and crcs.get(r["name"]) == r["crc32"]
        for r in segments
    ):
        return "a segment is not recorded whole"
    if not isinstance(meta.get("base_passages", 0), int):
        return "no number 'base_passages'"
    return None


def _disagreement(
    index: Any,
    passages: np.ndarray,
    items: list[str],
    meta: dict[str, Any],
    *,
    verify: bool,
) -> str | None:
    """What does not fit together; an index of None (not read) is not compared."""
    if index is not None and index.d != meta["dim"]:
        return f"dimension {index.d} in {INDEX_FILE}, {meta['dim']} in {META_FILE}"
    if passages.ndim != 2 or passages.shape[1] != 3 or passages.dtype != np.int64:
        return f"{PASSAGES_FILE} has shape {passages.shape} and type {passages.dtype}"
    if len(passages) != meta["passages"]:
        return f"{len(passages)} passages, {meta['passages']} in {META_FILE}"
    if index is not None and index.ntotal != len(passages):
        return f"{index.ntotal} vectors but {len(passages)} passages"
    n_keys = len(np.unique(passages[:, 1]))
    if len(items) != meta["items"] or n_keys != len(items):
        return f"{len(items)} items but passages of {n_keys}"
    if (
        verify
        and index is not None
        and not np.array_equal(np.sort(faiss_ids(index)), np.sort(passages[:, 0]))
    ):
        return f"the passage ids in {INDEX_FILE} and {PASSAGES_FILE} differ"
    return None


def vector_file(name: str) -> bool:
    """Whether a file name is one of the dense index's files of vectors (base, segments)."""
    return name == INDEX_FILE or SEGMENT.match(name) is not None
