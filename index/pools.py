"""Named pools of worker threads, each made on its first use and kept for the process.

A hybrid search embeds its query in one ("finsam-encode", index/search.py) and a large
exact scan runs its second half in another ("finsam-scan", index/dense_scan.py). They are
separate pools, so that a task of one is never queued behind a task that waits on it.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

_POOLS: dict[str, ThreadPoolExecutor] = {}
_LOCK = threading.Lock()


def pool(name: str, workers: int) -> ThreadPoolExecutor:
    """The pool `name` (its threads' name prefix), made with `workers` threads on first use."""
    with _LOCK:
        found = _POOLS.get(name)
        if found is None:
            found = _POOLS[name] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        return found
