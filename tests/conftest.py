"""Shared fixtures: the bundled sample corpus ingested once per session (fast test encoder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
PROTOCOLS = ROOT / "tests" / "data" / "protocols"


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
