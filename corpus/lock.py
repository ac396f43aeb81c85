"""A cross-process write lock per corpus, so two ingests never interleave their writes.

The lock is re-entrant within one thread (an ingest that holds it may update the index, which
takes it too); another thread or process waits for it.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.errors import CorpusLocked

_held: dict[str, int] = {}  # lock file -> id of the thread of this process that holds it
_held_guard = threading.Lock()


@contextmanager
def write_lock(path: Path, *, timeout_s: float = 600.0, poll_s: float = 0.2) -> Iterator[None]:
    """Hold an exclusive lock on `path`; wait up to timeout_s, then raise CorpusLocked."""
    key = os.path.abspath(path)
    with _held_guard:
        reentered = _held.get(key) == threading.get_ident()
    if reentered:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CorpusLocked(
                        f"another finsam process is writing to this corpus ({path}); "
                        "try again when it has finished"
                    ) from None
                time.sleep(poll_s)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        with _held_guard:
            _held[key] = threading.get_ident()
        try:
            yield
        finally:
            with _held_guard:
                _held.pop(key, None)
    finally:
        os.close(fd)  # closing releases the lock


def writer_active(path: Path) -> bool:
    """Whether some process (this one included) holds the write lock on `path` right now.
    Probes with a shared lock that is released at once, so a writer waits a moment at most."""
    key = os.path.abspath(path)
    with _held_guard:
        if key in _held:
            return True
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False  # no writer has ever run on this corpus
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases the probe's lock
    return False
