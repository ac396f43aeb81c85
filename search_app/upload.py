"""Files uploaded in the app: saved under safe names, ingested and indexed, and the index kept
in step with the corpus even when the user leaves the page in the middle.

Streamlit stops a page's run by raising a BaseException (not an Exception) from the next UI
call, here a progress-bar update inside the ingest: documents stored so far stay, and the index
is brought up to date with them before the run ends, so searches are never refused for a stale
index because someone opened another page.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from corpus.model import Failure, IngestReport
from corpus.settings import Settings
from corpus.store import Store
from index.build import Progress, ingest_and_index, sync_index
from index.embed import Encoder

log = logging.getLogger(__name__)

NAME_MAX_BYTES = 240  # below the 255-byte limit of a file name on common file systems


def safe_name(name: str) -> str:
    """The uploaded file's base name, without path parts or control characters, and short
    enough for the file system (the suffix is kept)."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f/]+", "_", base).strip(" .")
    base = base or "fil"
    if len(base.encode()) <= NAME_MAX_BYTES:
        return base
    suffix = Path(base).suffix
    if len(suffix.encode()) > 16:
        suffix = ""
    stem = base[: len(base) - len(suffix)]
    room = NAME_MAX_BYTES - len(suffix.encode()) - len("…".encode())
    return stem.encode()[:room].decode("utf-8", errors="ignore").rstrip(" .") + "…" + suffix


def save(name: str, data: bytes, folder: Path) -> Path:
    """Store an upload under folder/<content hash>/<name>: equal names never collide."""
    target = folder / hashlib.sha256(data).hexdigest()[:16]
    target.mkdir(parents=True, exist_ok=True)
    path = target / safe_name(name)
    if not path.exists():
        path.write_bytes(data)
    return path


def save_all(uploads: list[tuple[str, bytes]], folder: Path) -> tuple[list[Path], list[Failure]]:
    """Save each upload; one that cannot be saved is a failure, the others go on."""
    paths: list[Path] = []
    failures: list[Failure] = []
    for name, data in uploads:
        try:
            paths.append(save(name, data, folder))
        except OSError as e:
            reason = f"filen kunde inte sparas ({e.strerror or e})"
            failures.append(Failure(name, reason, "unreadable"))
    return paths, failures


def add_files(
    paths: list[Path],
    settings: Settings,
    *,
    files_progress: Progress | None = None,
    index_progress: Progress | None = None,
    encoder: Encoder | None = None,
    isolate: bool = True,
) -> tuple[IngestReport, str | None]:
    """Ingest and index `paths`. If the run is stopped from outside (a BaseException that is
    not an Exception: Streamlit's stop or rerun, KeyboardInterrupt), the files not yet read
    are left, and the index is brought up to date with what was stored before re-raising."""
    try:
        return ingest_and_index(
            paths,
            settings,
            files_progress=files_progress,
            index_progress=index_progress,
            encoder=encoder,
            isolate=isolate,
        )
    except Exception:
        raise
    except BaseException:
        log.info("the upload was interrupted; bringing the index up to date with the corpus")
        with Store.open(settings.db) as store:
            sync_index(store, settings, encoder=encoder)
        raise
