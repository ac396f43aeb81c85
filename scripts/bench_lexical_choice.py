"""Which lexical engine? A measurement on generated Swedish-like items (not a test).

    python scripts/bench_lexical_choice.py                 # 100k items
    python scripts/bench_lexical_choice.py --items 10000   # quick run

Items are GENERATED: words drawn with Zipf frequencies (rank r has weight 1/r) from the
vocabulary of the sample protocols (corpus/samples), extended with compounds made of two
sample words (with or without a binding -s-) so the vocabulary has the long tail a real
corpus has; 50-400 words of body and 3-8 of title per item. Queries are 2-6 words drawn the
same way (so they contain frequent words: the slow case). Filtered queries allow a random
10% of the items.

Engines, all fed the same analyzer (index.analyze: stems + compound parts; the analysis is
timed once and reported on its own line):
  numpy-csc  index.lexical.LexicalIndex: bm25s's eager sparse BM25 matrix, built with numpy,
             queried with weighted terms and the filter applied to postings inside the sum
  bm25s      bm25s.BM25.index + retrieve(weight_mask=...), the library as it stands
  fts5       SQLite FTS5 over a pre-stemmed (title, body) table, bm25() ranking, the filter
             as `rowid IN (temp table)` in the same query
tantivy is not installed here (and not on the package list), so it is not measured.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.model import item_key, make_item_id  # noqa: E402
from index.analyze import words  # noqa: E402
from index.lexical import LexicalIndex  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
K = 10


# -- generated corpus ---------------------------------------------------------------------
def vocabulary(n_compounds: int, rng: random.Random) -> list[str]:
    """Sample words in order of frequency, then generated compounds, shuffled into ranks."""
    counts: dict[str, int] = {}
    for path in sorted(SAMPLES.glob("*.txt")):
        for w in words(path.read_text("utf-8")):
            counts[w] = counts.get(w, 0) + 1
    base = sorted(counts, key=lambda w: -counts[w])
    long_words = [w for w in base if w.isalpha() and len(w) >= 4]
    compounds = {
        rng.choice(long_words) + rng.choice(("", "s")) + rng.choice(long_words)
        for _ in range(n_compounds)
    }
    tail = sorted(compounds - set(base))
    rng.shuffle(tail)
    # Frequent sample words keep the top ranks; compounds join the long tail.
    head, rest = base[:500], base[500:] + tail
    rng.shuffle(rest)
    return head + rest


def zipf_draw(n_vocab: int, size: int, seed: int) -> np.ndarray:
    p = 1.0 / np.arange(1, n_vocab + 1)
    p /= p.sum()
    return np.random.default_rng(seed).choice(n_vocab, size=size, p=p)


def generate(n_items: int, vocab: list[str], seed: int) -> list[tuple[str, str, str]]:
    rng = np.random.default_rng(seed)
    body_lens = rng.integers(50, 401, n_items)
    title_lens = rng.integers(3, 9, n_items)
    lens = body_lens + title_lens
    ids = zipf_draw(len(vocab), int(lens.sum()), seed + 1)
    arr = np.array(vocab, dtype=object)
    docs = []
    pos = 0
    for i in range(n_items):
        t, b = int(title_lens[i]), int(body_lens[i])
        title = " ".join(arr[ids[pos : pos + t]])
        body = " ".join(arr[ids[pos + t : pos + t + b]])
        pos += t + b
        docs.append((make_item_id("bench", str(i)), title, body))
    return docs


def queries(n: int, vocab: list[str], seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    lens = rng.integers(2, 7, n)
    ids = zipf_draw(len(vocab), int(lens.sum()), seed + 1)
    out, pos = [], 0
    for ln in lens:
        out.append(" ".join(vocab[j] for j in ids[pos : pos + ln]))
        pos += int(ln)
    return out


# -- measurement --------------------------------------------------------------------------
CPU_TIMES: list[float] = []  # p95 of CPU time per query, in call order (see main)
MEASURED: list[int] = []  # queries measured, in call order
BUDGET_S = 120.0  # a latency measurement stops after this long (FTS5 can take seconds a query)


def latency(fn: Callable[[str], object], qs: list[str]) -> tuple[float, float]:
    """Wall-clock p50 and p95 in ms; the CPU-time p95 goes to CPU_TIMES (the machine may be
    shared: CPU time is what the query costs, wall time includes waiting for a core)."""
    for q in qs[:3]:  # warm caches
        fn(q)
    times, cpu = [], []
    start = time.perf_counter()
    for q in qs:
        t, c = time.perf_counter(), time.process_time()
        fn(q)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        if time.perf_counter() - start > BUDGET_S:
            break
    MEASURED.append(len(times))
    times.sort()
    cpu.sort()
    CPU_TIMES.append(cpu[int(0.95 * (len(cpu) - 1))])
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def folder_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- engines ------------------------------------------------------------------------------
def bench_numpy(docs, qs, allowed_keys, tmp: Path) -> dict[str, object]:
    t, c = time.perf_counter(), time.process_time()
    index = LexicalIndex.build(docs)
    build, build_cpu = time.perf_counter() - t, time.process_time() - c
    index.save(tmp / "numpy")
    index = LexicalIndex.load(tmp / "numpy")
    p50, p95 = latency(lambda q: index.search(q, K), qs)
    f50, f95 = latency(lambda q: index.search(q, K, allowed_keys), qs)
    return {
        "engine": "numpy-csc (chosen)",
        "build_s": build,
        "build_cpu": build_cpu,
        "mb": folder_mb(tmp / "numpy"),
        "p50": p50,
        "p95": p95,
        "f50": f50,
        "f95": f95,
        "index": index,
    }


def analysed(index: LexicalIndex, docs) -> tuple[list[list[str]], list[list[str]], float]:
    """Title and body terms of every item with the index's own analyzer, and the seconds."""
    a = index.analyzer
    t = time.perf_counter()
    c = time.process_time()
    titles = [a.analyze(title) for _, title, _ in docs]
    bodies = [a.analyze(body) for _, _, body in docs]
    print(f"analysis CPU time {time.process_time() - c:.1f} s")
    return titles, bodies, time.perf_counter() - t


def bench_bm25s(titles, bodies, qs, index: LexicalIndex, mask_rows, tmp: Path):
    import bm25s

    corpus = [t * 3 + b for t, b in zip(titles, bodies, strict=True)]
    t, c = time.perf_counter(), time.process_time()
    model = bm25s.BM25(k1=1.2, b=0.75)
    model.index(corpus, show_progress=False)
    build, build_cpu = time.perf_counter() - t, time.process_time() - c
    del corpus
    gc.collect()
    model.save(tmp / "bm25s", show_progress=False)
    vocab = model.vocab_dict
    weight_mask = np.zeros(len(titles), dtype=np.float32)
    weight_mask[mask_rows] = 1.0

    def run(q: str, mask: np.ndarray | None = None) -> object:
        terms = [x.term for x in index.analyzer.query_terms(q) if x.term in vocab]
        if not terms:
            return None
        return model.retrieve([terms], k=K, show_progress=False, weight_mask=mask)

    p50, p95 = latency(run, qs)
    f50, f95 = latency(lambda q: run(q, weight_mask), qs)
    return {
        "engine": "bm25s (library)",
        "build_s": build,
        "build_cpu": build_cpu,
        "mb": folder_mb(tmp / "bm25s"),
        "p50": p50,
        "p95": p95,
        "f50": f50,
        "f95": f95,
    }


def bench_fts5(titles, bodies, qs, index: LexicalIndex, mask_rows, tmp: Path):
    path = tmp / "fts5.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, body, "
        "tokenize = \"unicode61 remove_diacritics 0 tokenchars '-:,.'\")"
    )
    t, c = time.perf_counter(), time.process_time()
    with conn:
        conn.executemany(
            "INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
            (
                (i, " ".join(a), " ".join(b))
                for i, (a, b) in enumerate(zip(titles, bodies, strict=True))
            ),
        )
        conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    build, build_cpu = time.perf_counter() - t, time.process_time() - c
    conn.execute("CREATE TEMP TABLE allowed(row INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO allowed VALUES (?)", ((int(r),) for r in mask_rows))

    def match(q: str) -> str | None:
        terms = [x.term for x in index.analyzer.query_terms(q)]
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms) or None

    def run(q: str) -> object:
        m = match(q)
        sql = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 3.0, 1.0) LIMIT ?"
        return conn.execute(sql, (m, K)).fetchall() if m else None

    def run_filtered(q: str) -> object:
        m = match(q)
        sql = (
            "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid IN (SELECT row FROM allowed)"
            " ORDER BY bm25(fts, 3.0, 1.0) LIMIT ?"
        )
        return conn.execute(sql, (m, K)).fetchall() if m else None

    p50, p95 = latency(run, qs)
    f50, f95 = latency(run_filtered, qs)
    conn.close()
    return {
        "engine": "SQLite FTS5",
        "build_s": build,
        "build_cpu": build_cpu,
        "mb": folder_mb(path),
        "p50": p50,
        "p95": p95,
        "f50": f50,
        "f95": f95,
    }


def main() -> None:
    global BUDGET_S
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--compounds", type=int, default=30_000, help="generated compound words")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip", nargs="*", default=[], choices=["bm25s", "fts5"])
    ap.add_argument("--budget", type=float, default=BUDGET_S, help="seconds per latency run")
    args = ap.parse_args()
    BUDGET_S = args.budget

    rng = random.Random(args.seed)
    vocab = vocabulary(args.compounds, rng)
    t = time.perf_counter()
    docs = generate(args.items, vocab, args.seed)
    n_tokens = sum(len(d[1].split()) + len(d[2].split()) for d in docs)
    print(
        f"generated {len(docs):,} items, {n_tokens:,} words, vocabulary {len(vocab):,} "
        f"in {time.perf_counter() - t:.1f} s"
    )
    qs = queries(args.queries, vocab, args.seed + 2)
    chosen = rng.sample(range(len(docs)), len(docs) // 10)
    mask_rows = np.array(sorted(chosen), dtype=np.int64)
    allowed_keys = np.sort(np.array([item_key(docs[i][0]) for i in chosen], dtype=np.int64))

    tmp = Path(tempfile.mkdtemp(prefix="bench-lexical-"))
    try:
        rows = [bench_numpy(docs, qs, allowed_keys, tmp)]
        index = rows[0].pop("index")
        print(f"numpy-csc done: {rows[0]}; peak RSS {rss_mb():,.0f} MB", flush=True)
        if set(args.skip) != {"bm25s", "fts5"}:
            titles, bodies, secs = analysed(index, docs)
            print(
                f"analysis alone (for bm25s / FTS5): {secs:.1f} s, {n_tokens / secs:,.0f} words/s"
            )
            del docs
            gc.collect()
            if "bm25s" not in args.skip:
                rows.append(bench_bm25s(titles, bodies, qs, index, mask_rows, tmp))
                print(f"bm25s done: {rows[-1]}", flush=True)
                gc.collect()
            if "fts5" not in args.skip:
                rows.append(bench_fts5(titles, bodies, qs, index, mask_rows, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(
        f"{args.items:,} items, {args.queries} queries of 2-6 words, k={K}, "
        f"filter = 10% of items, {os.cpu_count()} cores"
    )
    print()
    print(
        "| engine | build s (CPU s) | index MB | p50 ms | p95 ms (CPU) | filtered p50 ms "
        "| filtered p95 ms (CPU) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n, r in enumerate(rows):
        cpu95, fcpu95 = CPU_TIMES[2 * n], CPU_TIMES[2 * n + 1]
        partial = ""
        if min(MEASURED[2 * n], MEASURED[2 * n + 1]) < len(qs):
            partial = f" ({MEASURED[2 * n]}/{MEASURED[2 * n + 1]} queries in the time budget)"
        print(
            f"| {r['engine']}{partial} | {r['build_s']:.1f} ({r['build_cpu']:.1f}) "
            f"| {r['mb']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} ({cpu95:.1f}) | {r['f50']:.1f} "
            f"| {r['f95']:.1f} ({fcpu95:.1f}) |"
        )
    print()
    print(
        "numpy-csc build includes the analyzer (tokenise, stem, split compounds); bm25s and "
        "FTS5 builds exclude it (see 'analysis alone')."
    )
    print(f"peak RSS {rss_mb():,.0f} MB")
    print("p95 in brackets: CPU time of the query (wall time may include waiting for a core).")


if __name__ == "__main__":
    main()
