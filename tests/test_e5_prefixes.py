"""e5 was trained with "query: " before queries and "passage: " before passages; without them
its vectors drift and retrieval suffers. Both the corpus encoder (index/embed.py) and the fast
query encoder (index/query_encoder.py) must add them: each is compared with the converted
sentence-transformers model run on explicitly prefixed and on bare text."""

from __future__ import annotations

import numpy as np
import pytest
from offline import no_network

from corpus.settings import DEFAULT_MODEL
from index.embed import load_query_encoder

TEXTS = [
    "Styrelsen avslår ansökan om tilläggsäskande för Trappsteget.",
    "rejected requests for additional funding",
    "Budget 2024 och verksamhetsplan 2024–2026",
    "Vilka förbund avstod från att ta ställning till NNS serviceavgift?",
]


def raw(e5, texts: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The model on exactly these strings: no prompt added."""
    out = e5.model.encode(
        texts, prompt_name=None, prompt="", normalize_embeddings=True, convert_to_numpy=True
    )
    return np.asarray(out, dtype=np.float32)


def rowwise(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_corpus_encoder_prefixes_passages_and_queries(e5) -> None:  # type: ignore[no-untyped-def]
    with_prefix = raw(e5, [f"passage: {t}" for t in TEXTS])
    bare = raw(e5, TEXTS)
    ours = e5.encode_passages(TEXTS)
    assert rowwise(ours, with_prefix).min() > 0.9999
    # the prefix matters enough that dropping it would show
    assert rowwise(ours, bare).max() < 0.995
    queries = e5.encode_queries(TEXTS)
    assert rowwise(queries, raw(e5, [f"query: {t}" for t in TEXTS])).min() > 0.9999
    assert rowwise(queries, with_prefix).max() < 0.995  # not the passage prefix either


@pytest.fixture(scope="module")
def engine_encoder(cache_dir):  # type: ignore[no-untyped-def]
    with no_network():
        return load_query_encoder(DEFAULT_MODEL, cache_dir)


def test_fast_query_encoder_prefixes_queries(e5, engine_encoder) -> None:  # type: ignore[no-untyped-def]
    ours = engine_encoder.encode_queries(TEXTS)
    prefixed = raw(e5, [f"query: {t}" for t in TEXTS])
    bare = raw(e5, TEXTS)
    assert rowwise(ours, prefixed).min() >= 0.999
    assert rowwise(ours, bare).max() < 0.995
    assert rowwise(ours, raw(e5, [f"passage: {t}" for t in TEXTS])).max() < 0.995
