"""Benchmark of the FAISS dense index on generated vectors (not a test).

    python scripts/bench_dense.py                  # 10k and 100k items
    python scripts/bench_dense.py --n 1000000      # the scale run (about 10 minutes, ~8 GB)
    python scripts/bench_dense.py --threshold      # exact-search latency by size

The vectors are GENERATED, not embeddings of real text: a two-level Gaussian mixture (topics,
clusters, points) normalised to unit length, which has the neighbourhood structure of sentence
embeddings; uniform random vectors in 384 dimensions have no near neighbours at all and make
every approximate index look broken. Queries are new points drawn from random clusters, so
they are not copies of indexed vectors. Latency is measured through `DenseIndex.search`
(selector, collapse of windows into items and all), one query at a time.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.model import item_key, make_item_id  # noqa: E402
from index.dense import DenseIndex, cores, omp_threads  # noqa: E402


def rss_mb() -> float:
    """Current resident set size (Linux /proc; the peak elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(n: int, dim: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n unit vectors from a topic -> cluster -> point mixture (about 5 points a cluster),
    and the cluster centres (queries are drawn around them)."""
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((max(4, n // 2000), dim), dtype=np.float32)
    n_clusters = max(8, n // 5)
    clusters = topics[rng.integers(0, len(topics), n_clusters)]
    clusters += 0.8 * rng.standard_normal(clusters.shape, dtype=np.float32)
    x = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):  # in blocks, to keep the temporary arrays small
        m = min(100_000, n - start)
        block = clusters[rng.integers(0, n_clusters, m)]
        block += 1.0 * rng.standard_normal((m, dim), dtype=np.float32)
        x[start : start + m] = block
    faiss.normalize_L2(x)
    return x, clusters


def queries(clusters: np.ndarray, count: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q = clusters[rng.integers(0, len(clusters), count)].copy()
    q += 1.0 * rng.standard_normal(q.shape, dtype=np.float32)
    faiss.normalize_L2(q)
    return q


def item_ids(n: int) -> list[str]:
    """Item ids as the corpus makes them (hashes of document id and label)."""
    return [make_item_id("bench", str(i)) for i in range(n)]


def build(x: np.ndarray, ids: list[str], exact_limit: int) -> tuple[DenseIndex, float, float]:
    """Index one passage per item; returns (index, seconds, RSS growth in MB)."""
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    index = DenseIndex.new(x.shape[1], exact_limit=exact_limit)
    chunk = 50_000
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        index.add_many(zip(part, x[start : start + len(part)], strict=True))
    seconds = time.perf_counter() - t0
    gc.collect()
    return index, seconds, rss_mb() - before


def latencies(
    index: DenseIndex, qs: np.ndarray, k: int, filters: list[np.ndarray] | None
) -> tuple[list[list[str]], np.ndarray]:
    """Search each query once; query i uses filter i mod len(filters), so no query reuses the
    previous query's filter (DenseIndex caches the last one) and each pays to build it."""
    index.search(qs[0], k)  # warm the lookup tables
    results, times = [], []
    for i, q in enumerate(qs):
        allowed = filters[i % len(filters)] if filters else None
        t0 = time.perf_counter()
        hits = index.search(q, k, allowed)
        times.append(time.perf_counter() - t0)
        results.append([h.item_id for h in hits])
    return results, np.array(times) * 1000


def recall(found: list[list[str]], truth: list[list[str]]) -> float:
    return float(
        np.mean([len(set(f) & set(t)) / max(1, len(t)) for f, t in zip(found, truth, strict=True)])
    )


def _row(label: str, ms: np.ndarray, extra: str = "") -> str:
    return f"  {label:<34} p50 {np.percentile(ms, 50):7.2f} ms   p95 {np.percentile(ms, 95):7.2f} ms  {extra}"


def benchmark(
    n: int,
    dim: int = 384,
    *,
    n_queries: int = 200,
    k: int = 10,
    filter_share: float = 0.1,
    exact: bool = True,
    approximate: bool = True,
    hnsw: bool = False,
    seed: int = 0,
) -> dict[str, float]:
    """Build exact and approximate indexes of n generated items; print and return the figures."""
    print(
        f"\n== dense index, {n:,} items x 1 passage, {dim} dims, generated vectors, "
        f"{cores()} cores, faiss {faiss.__version__} =="
    )
    t0 = time.perf_counter()
    x, clusters = generate(n, dim, seed)
    qs = queries(clusters, n_queries, seed + 1)
    ids = item_ids(n)
    rng = np.random.default_rng(seed + 2)
    keys = np.array([item_key(i) for i in ids])
    allowed = [rng.choice(keys, int(n * filter_share), replace=False) for _ in range(3)]
    print(f"  generated in {time.perf_counter() - t0:.1f} s; RSS {rss_mb():.0f} MB")
    out: dict[str, float] = {"n": n, "dim": dim}
    truth: dict[str, list[list[str]]] = {}
    if exact:
        index, secs, mb = build(x, ids, exact_limit=n)
        out |= {"exact_build_s": secs, "exact_mb": mb}
        print(f"  exact (IndexIDMap2(IndexFlatIP)): built in {secs:.1f} s, +{mb:.0f} MB RSS")
        for name, allow in (("all", None), (f"{filter_share:.0%} filter", allowed)):
            res, ms = latencies(index, qs, k, allow)
            truth[name] = res
            out[f"exact_{name}_p50"], out[f"exact_{name}_p95"] = np.percentile(ms, [50, 95])
            print(_row(f"exact, {name}", ms))
        del index
        gc.collect()
    if approximate:
        index, secs, mb = build(x, ids, exact_limit=0)
        out |= {"ivf_build_s": secs, "ivf_mb": mb}
        nlist = index._index.nlist  # noqa: SLF001 - reporting only
        print(
            f"  approximate (IVF-Flat, {nlist} lists, nprobe {index.nprobe}): "
            f"built in {secs:.1f} s, +{mb:.0f} MB RSS"
        )
        for name, allow in (("all", None), (f"{filter_share:.0%} filter", allowed)):
            res, ms = latencies(index, qs, k, allow)
            extra = f"recall@{k} {recall(res, truth[name]):.3f}" if name in truth else ""
            if name in truth:
                out[f"ivf_{name}_recall"] = recall(res, truth[name])
            out[f"ivf_{name}_p50"], out[f"ivf_{name}_p95"] = np.percentile(ms, [50, 95])
            print(_row(f"IVF, {name}", ms, extra))
        out |= _save_load(index)
        del index
        gc.collect()
    if hnsw:
        out |= _hnsw(x, qs, k, truth.get("all"))
    out["peak_rss_mb"] = peak_rss_mb()
    print(f"  peak RSS of the process: {out['peak_rss_mb']:.0f} MB")
    return out


def _save_load(index: DenseIndex) -> dict[str, float]:
    """Seconds to save (atomic, with checksums) and to load (verified) the index."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        index.save(Path(tmp))
        saved = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 2**20
        t0 = time.perf_counter()
        loaded = DenseIndex.load(Path(tmp))
        loaded_s = time.perf_counter() - t0
    assert len(loaded) == len(index)
    print(f"  save {saved:.1f} s ({size:.0f} MB on disk), load with checks {loaded_s:.1f} s")
    return {"save_s": saved, "load_s": loaded_s, "disk_mb": size}


def _hnsw(x: np.ndarray, qs: np.ndarray, k: int, truth: list[list[str]] | None) -> dict[str, float]:
    """Raw IndexHNSWFlat (M=32) for comparison: build time, latency and recall by efSearch."""
    t0 = time.perf_counter()
    h = faiss.IndexHNSWFlat(x.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    with omp_threads(cores()):
        h.add(x)
    secs = time.perf_counter() - t0
    print(f"  HNSW (M=32, no removal support): built in {secs:.1f} s")
    out = {"hnsw_build_s": secs}
    ids = item_ids(len(x))
    for ef in (64, 128, 256):
        params = faiss.SearchParametersHNSW(efSearch=ef)
        times, res = [], []
        with omp_threads(1):
            for q in qs:
                t1 = time.perf_counter()
                _, labels = h.search(q[None, :], k, params=params)
                times.append(time.perf_counter() - t1)
                res.append([ids[i] for i in labels[0] if i >= 0])
        ms = np.array(times) * 1000
        extra = f"recall@{k} {recall(res, truth):.3f}" if truth else ""
        print(_row(f"HNSW efSearch {ef}", ms, extra))
        out[f"hnsw_ef{ef}_p95"] = float(np.percentile(ms, 95))
    return out


def exact_threshold(
    dim: int = 384,
    sizes: Sequence[int] = (50_000, 100_000, 150_000, 200_000, 250_000, 300_000),
    n_queries: int = 200,
) -> dict[int, tuple[float, float]]:
    """p50/p95 of exact search by index size, to place the exact -> approximate switch."""
    print(f"\n== exact search latency by size ({dim} dims, k=10, {cores()} cores) ==")
    x, clusters = generate(max(sizes), dim)
    qs = queries(clusters, n_queries)
    ids = item_ids(max(sizes))
    out = {}
    for n in sizes:
        index, _, _ = build(x[:n], ids[:n], exact_limit=n)
        _, ms = latencies(index, qs, 10, None)
        out[n] = (float(np.percentile(ms, 50)), float(np.percentile(ms, 95)))
        print(_row(f"{n:>9,} passages", ms))
        del index
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--hnsw", action="store_true", help="also time a raw HNSW index")
    parser.add_argument("--threshold", action="store_true", help="exact latency by size")
    args = parser.parse_args(argv)
    if args.threshold:
        exact_threshold(args.dim, n_queries=args.queries)
        return
    for n in args.n:
        benchmark(n, args.dim, n_queries=args.queries, hnsw=args.hnsw, exact=True)


if __name__ == "__main__":
    main()
