"""Files of the dense index: write atomically, read back and check they belong together.

A folder holds plainly named files:
- `dense.faiss`        the FAISS index (faiss.write_index; exact IDMap2 or IVF-Flat),
- `dense-passages.npy` int64 rows (passage id, item key, window), grouped by item,
- `dense-items.json`   the item ids, in item-key order,
- `dense.json`         format, dimension, layout, counts and a CRC-32 of each file above.

Each file is written under a temporary name, synced and renamed into place; `dense.json` is
renamed last. A save interrupted anywhere leaves either the old `dense.json` with files whose
checksums no longer match, or a complete new set; `read_folder` tells the two apart and raises
`IndexStale` for the first.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from corpus.errors import IndexDamaged, IndexStale
from index.manifest import fsync_dir

INDEX_FILE = "dense.faiss"
PASSAGES_FILE = "dense-passages.npy"
ITEMS_FILE = "dense-items.json"
META_FILE = "dense.json"
FILES = (INDEX_FILE, PASSAGES_FILE, ITEMS_FILE)
FORMAT = 1


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


def write_folder(
    folder: Path,
    index: Any,
    passages: np.ndarray,
    items: list[str],
    meta: dict[str, Any],
) -> None:
    """Write the dense index files into `folder` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    items_text = json.dumps(items, ensure_ascii=False)
    tmps = {
        INDEX_FILE: _synced_tmp(folder / INDEX_FILE, lambda t: faiss.write_index(index, str(t))),
        PASSAGES_FILE: _synced_tmp(folder / PASSAGES_FILE, lambda t: _save_npy(t, passages)),
        ITEMS_FILE: _synced_tmp(folder / ITEMS_FILE, lambda t: t.write_text(items_text, "utf-8")),
    }
    crcs = {name: crc32(tmp) for name, tmp in tmps.items()}
    for name, tmp in tmps.items():
        os.replace(tmp, folder / name)
    body = {"format": FORMAT, **meta, "passages": len(passages), "items": len(items), "crc32": crcs}
    text = json.dumps(body, indent=2)
    meta_tmp = _synced_tmp(folder / META_FILE, lambda t: t.write_text(text, "utf-8"))
    os.replace(meta_tmp, folder / META_FILE)
    fsync_dir(folder)


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
    folder: Path, *, verify: bool = True
) -> tuple[Any, np.ndarray, list[str], dict[str, Any]]:
    """Read (index, passages, items, meta); raise IndexStale when missing, torn or foreign."""
    meta_path = folder / META_FILE
    if not meta_path.is_file():
        raise IndexStale(f"no dense index in {folder} ({META_FILE} is missing)")
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexStale(f"{meta_path} cannot be read ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
        raise IndexStale(f"{meta_path} has format {found!r}, expected {FORMAT}")
    shape = _shape_problem(meta)
    if shape:
        raise IndexDamaged(f"{meta_path} is damaged ({shape})")
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise IndexStale(f"{path} is missing")
        if verify and crc32(path) != meta["crc32"][name]:
            raise IndexStale(f"{path} does not match {META_FILE} (an interrupted save?)")
    try:
        index = faiss.read_index(str(folder / INDEX_FILE))
        passages = np.load(folder / PASSAGES_FILE, allow_pickle=False)
        items = json.loads((folder / ITEMS_FILE).read_text("utf-8"))
    except (OSError, ValueError, RuntimeError) as exc:
        raise IndexStale(f"the dense index in {folder} cannot be read ({exc})") from exc
    problem = _disagreement(index, passages, items, meta, verify=verify)
    if problem:
        raise IndexStale(f"the dense index in {folder} is inconsistent: {problem}")
    return index, passages, items, meta


def _shape_problem(meta: dict[str, Any]) -> str | None:
    """What is missing or mistyped in a parsed dense.json, or None."""
    for key in ("dim", "passages", "items", "exact_limit", "nprobe"):
        if not isinstance(meta.get(key), int):
            return f"no number {key!r}"
    crcs = meta.get("crc32")
    if not isinstance(crcs, dict) or not all(isinstance(crcs.get(n), int) for n in FILES):
        return "no checksum of each file"
    return None


def _disagreement(
    index: Any,
    passages: np.ndarray,
    items: list[str],
    meta: dict[str, Any],
    *,
    verify: bool,
) -> str | None:
    if index.d != meta["dim"]:
        return f"dimension {index.d} in {INDEX_FILE}, {meta['dim']} in {META_FILE}"
    if passages.ndim != 2 or passages.shape[1] != 3 or passages.dtype != np.int64:
        return f"{PASSAGES_FILE} has shape {passages.shape} and type {passages.dtype}"
    if index.ntotal != len(passages) or len(passages) != meta["passages"]:
        return f"{index.ntotal} vectors but {len(passages)} passages"
    n_keys = len(np.unique(passages[:, 1]))
    if len(items) != meta["items"] or n_keys != len(items):
        return f"{len(items)} items but passages of {n_keys}"
    if verify and not np.array_equal(np.sort(faiss_ids(index)), np.sort(passages[:, 0])):
        return f"the passage ids in {INDEX_FILE} and {PASSAGES_FILE} differ"
    return None
