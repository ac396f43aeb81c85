"""Ingest benchmark: pages/s for segmentation and for PDF extraction + segmentation (both
cores), and items/s into SQLite, over a generated corpus of varied layouts.

    .venv/bin/python scripts/bench_ingest.py [--protocols 1000] [--pdfs 200]
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

from corpus.model import Page, content_hash  # noqa: E402
from corpus.settings import Settings  # noqa: E402
from corpus.store import Store  # noqa: E402
from ingest.clean import clean  # noqa: E402
from ingest.pipeline import _process_isolated, limits_of  # noqa: E402
from ingest.segment import segment  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--protocols", type=int, default=1000)
    ap.add_argument("--pdfs", type=int, default=200)
    args = ap.parse_args()

    protos = corpus(args.protocols, seed=1)
    n_pages = sum(len(p.pages) for p in protos)
    print(
        f"generated {len(protos)} protocols, {n_pages} pages, "
        f"{sum(p.n_items for p in protos)} items"
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
        workers = os.cpu_count() or 1
        limits = limits_of(Settings())
        t = time.perf_counter()
        ok = sum(
            1 for _, r in _process_isolated(files, limits, workers) if not hasattr(r, "reason")
        )
        dt = time.perf_counter() - t
        print(
            f"PDF extract+clean+segment ({workers} workers): {pdf_pages / dt:,.1f} pages/s "
            f"({len(files)} PDFs, {pdf_pages} pages, {ok} ok, {dt:.1f} s)"
        )


if __name__ == "__main__":
    main()
