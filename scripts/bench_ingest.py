"""Ingest benchmark: pages/s for segmentation, for PDF extraction alone, and for PDF extraction +
segmentation with 1 and with both cores, and items/s into SQLite, over a generated corpus of
varied layouts.

    .venv/bin/python scripts/bench_ingest.py [--protocols 1000] [--pdfs 200]

The protocols are GENERATED (scripts/protogen.py: 4 layouts of item labels and decision
headings, running headers, page numbers); the PDFs are rendered from them with reportlab
(rendering is not timed). Extraction, cleaning, segmentation and the store are the real code.
The worker runs include starting the worker processes (forkserver, spaCy preloaded), as a
`finsam ingest` run does.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests")]

from protogen import corpus  # noqa: E402

from corpus.model import Document, Page, content_hash  # noqa: E402
from corpus.settings import Settings  # noqa: E402
from corpus.store import Store  # noqa: E402
from ingest.clean import clean  # noqa: E402
from ingest.extract import extract  # noqa: E402
from ingest.pipeline import _process_isolated, limits_of  # noqa: E402
from ingest.segment import segment  # noqa: E402


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot, from /proc/stat."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(f) - f[3] - f[4], sum(f)


def busy_since(start: tuple[int, int]) -> str:
    """How busy the whole machine was since `start` (all processes: ours and others')."""
    busy, total = cpu_ticks()
    share = (busy - start[0]) / max(1, total - start[1]) * (os.cpu_count() or 1)
    return f"machine CPU busy {share:.2f} of {os.cpu_count()} cores"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--protocols", type=int, default=1000)
    ap.add_argument("--pdfs", type=int, default=200)
    args = ap.parse_args()
    one, five, fifteen = os.getloadavg()
    print(
        f"bench_ingest.py at {time.strftime('%Y-%m-%d %H:%M')}: load average "
        f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"
    )

    protos = corpus(args.protocols, seed=1)
    n_pages = sum(len(p.pages) for p in protos)
    print(
        f"generated {len(protos)} protocols, {n_pages} pages, "
        f"{sum(p.n_items for p in protos)} items"
    )

    t = time.perf_counter()
    segment(clean([Page(1, protos[0].pages[0])]), doc_id="warm", source="warm", path="/warm")
    print(
        f"warm-up (spaCy, gazetteer, matchers; once per process): {time.perf_counter() - t:.1f} s"
    )
    t = time.perf_counter()
    docs = []
    for p in protos:
        pages = [Page(i, text) for i, text in enumerate(p.pages, start=1)]
        data = "\f".join(p.pages).encode()
        docs.append(
            segment(
                clean(pages),
                doc_id=content_hash(data),
                source=p.name,
                path=f"/bench/{p.name}",
                fmt="txt",
            )
        )
    dt = time.perf_counter() - t
    found = sum(len(d.items) for d in docs)
    print(
        f"clean+segment (1 core): {n_pages / dt:,.0f} pages/s "
        f"({dt:.2f} s; items found {found} of {sum(p.n_items for p in protos)})"
    )

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        n_items = sum(len(d.items) for d in docs)
        t = time.perf_counter()
        for d in docs:
            store.put_document(d)
        dt = time.perf_counter() - t
        print(f"store: {n_items / dt:,.0f} items/s into SQLite ({len(docs) / dt:,.0f} docs/s)")
        store.close()

        from pdfgen import render_pdf

        pdf_dir = Path(tmp) / "pdf"
        pdf_dir.mkdir()
        files = []
        for p in protos[: args.pdfs]:
            path = pdf_dir / p.name.replace(".txt", ".pdf")
            render_pdf(p.pages, path, header=None, footer=None, page_numbers=None)
            files.append(path)
        pdf_pages = sum(len(p.pages) for p in protos[: args.pdfs])
        print(f"rendered {len(files)} PDFs ({pdf_pages} pages) with reportlab (not timed)")

        subset = files[: max(1, len(files) // 4)]
        t = time.perf_counter()
        extracted = sum(len(extract(f)) for f in subset)
        dt = time.perf_counter() - t
        print(
            f"PDF extraction alone (pdfminer.six, 1 core): {extracted / dt:,.1f} pages/s "
            f"({len(subset)} PDFs, {extracted} pages, {dt:.1f} s)"
        )

        limits = limits_of(Settings())
        for workers in sorted({1, os.cpu_count() or 1}):
            t, ticks = time.perf_counter(), cpu_ticks()
            results = [r for _, r in _process_isolated(files, limits, workers)]
            dt = time.perf_counter() - t
            done = [r for r in results if isinstance(r, Document)]
            pages = sum(d.n_pages for d in done)  # pages as extracted (reportlab may add some)
            print(
                f"PDF extract+clean+segment ({workers} worker{'s' if workers > 1 else ''}): "
                f"{pages / dt:,.1f} pages/s, {len(done) / dt:,.1f} files/s ({len(files)} PDFs, "
                f"{pages} pages, {len(done)} ok, {sum(len(d.items) for d in done)} items, "
                f"{dt:.1f} s; {busy_since(ticks)})"
            )


if __name__ == "__main__":
    main()
