"""`finsam app`'s server warms the app up while it starts (search_app/serve.py): the search
page's modules imported, the corpus's searcher loaded once into the cache the pages read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

WARM = """
import json, logging, sys
from index import search
made = []
init = search.Searcher.__init__
def counting(self, *a, **k):
    made.append(1)
    init(self, *a, **k)
search.Searcher.__init__ = counting
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
from search_app import serve, state
serve.warm_up()
by_warm_up = len(made)
hits = state.searcher().search("protokoll", 3)
print(json.dumps({
    "not_imported": [m for m in serve.PAGE_MODULES if m not in sys.modules],
    "by_warm_up": by_warm_up,
    "after_page": len(made),
    "hits": len(hits),
}))
"""


def _warm(db: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PYTHONPATH": str(ROOT),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "FINSAM_DB": str(db),
        "FINSAM_MODEL": "hash",
        "FINSAM_CACHE": str(cache),
    }
    return subprocess.run(
        [sys.executable, "-c", WARM], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_warm_up_imports_the_page_and_loads_the_searcher_the_page_uses(
    sample_settings: Settings,
) -> None:
    out = _warm(sample_settings.db, sample_settings.cache_dir)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"not_imported": [], "by_warm_up": 1, "after_page": 1, "hits": 3}, got
    assert "warming up" not in out.stderr


def test_without_a_corpus_the_warm_up_leaves_the_page_to_say_so(tmp_path: Path) -> None:
    out = _warm(tmp_path / "none.db", tmp_path / "cache")
    assert out.returncode == 1  # the page's own call (in the script above) raises
    assert "warming up" not in out.stderr  # the warm-up itself logged no warning or traceback
    assert out.stderr.splitlines()[-1].startswith("corpus.errors.CorpusError: no corpus at")
    assert not (tmp_path / "none.db").exists()  # nothing was created


def test_the_server_skips_streamlits_scan_of_installed_components(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Streamlit's runtime reads every installed distribution's metadata at start (~0.9 s of
    CPU before the server answers) to find custom components; the app uses none."""
    import importlib.metadata

    from streamlit.components.v2 import component_manager

    from search_app.serve import skip_component_scan

    cls = component_manager.BidiComponentManager
    # restored after the test, whatever skip_component_scan sets
    monkeypatch.setattr(
        cls, "discover_and_register_components", cls.discover_and_register_components
    )
    scanned: list[int] = []
    real = importlib.metadata.distributions

    def distributions(**kw: object) -> object:
        scanned.append(1)
        return real(**kw)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.metadata, "distributions", distributions)
    cls().discover_and_register_components(start_file_watching=False)
    assert scanned  # the scan this saves is real in this Streamlit
    scanned.clear()
    assert skip_component_scan()
    cls().discover_and_register_components(start_file_watching=False)
    assert scanned == []
