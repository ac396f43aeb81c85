"""Shared fixtures: the bundled sample corpus ingested once per session (fast test encoder)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from corpus.settings import DEFAULT_MODEL, Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
PROTOCOLS = ROOT / "tests" / "data" / "protocols"

# Property tests draw the same examples on every run, so a suite passes or fails by the code
# alone (CI runs it once on a clean checkout); HYPOTHESIS_PROFILE=explore draws new ones, to
# hunt for a counterexample by hand.
hypothesis_settings.register_profile("finsam", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "finsam"))


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The sample corpus plus the constructed protocols, ingested and indexed with the
    deterministic hash encoder (the real model has its own tests)."""
    from index.build import ingest_and_index

    tmp = tmp_path_factory.mktemp("corpus")
    settings = Settings(db=tmp / "finsam.db", model="hash", cache_dir=tmp / "cache")
    report, _ = ingest_and_index([SAMPLES, PROTOCOLS], settings)
    assert not report.failures, report.failures
    return settings


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh model cache, so each run tests the conversion itself; removed afterwards
    (the converted model is ~470 MB and pytest keeps its last three temporary folders)."""
    path = tmp_path_factory.mktemp("finsam-cache")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def e5(cache_dir: Path):  # type: ignore[no-untyped-def]
    """The default bundled model, converted into a fresh cache and loaded, network blocked."""
    from offline import no_network

    from index.embed import SentenceTransformerEncoder, load_encoder

    with no_network():
        encoder = load_encoder(DEFAULT_MODEL, cache_dir)
    assert isinstance(encoder, SentenceTransformerEncoder)
    return encoder
