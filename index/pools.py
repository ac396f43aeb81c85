"""Named pools of worker threads, each made on its first use and kept for the process.

A hybrid search scans the dense index in one ("finsam-dense", index/search.py) and a large
exact scan runs its second half in another ("finsam-scan", index/dense_scan.py). They are
separate pools: a task of the first waits on a task of the second, so sharing one bounded
pool could leave that task queued behind its own waiter.
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
