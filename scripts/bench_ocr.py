"""OCR benchmark: pages/s with one and with two Tesseract processes, and the time to ingest a
10-page scan with `finsam ingest` (extraction, OCR, segmentation, store; no index).

    .venv/bin/python scripts/bench_ocr.py [--pages 10] [--dpi 170]

The scan is made here from the born-digital PDFs of the layout zoo (tests/data/zoo): their
first pages, rendered in grey at --dpi, slightly turned, with grain (tests/scans.py), packed as
one image-only PDF. The machine is shared: the script prints its load average beside the
figures, and the two OCR runs alternate so that they see the same load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from scans import scan_pdf  # noqa: E402

from ingest.ocr import ocr_pages, page_count  # noqa: E402


def _scan(folder: Path, pages: int, dpi: int) -> Path:
    """An image-only PDF of ``pages`` pages taken from the zoo's PDFs."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in sorted((ROOT / "tests" / "data" / "zoo").glob("*.pdf")):
        for page in PdfReader(pdf).pages:
            if len(writer.pages) < pages:
                writer.add_page(page)
    born = folder / "born.pdf"
    with born.open("wb") as fh:
        writer.write(fh)
    return scan_pdf(born, folder / "skannad_styrelse_2024-01-01.pdf", dpi=dpi, seed=7)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=10)
    ap.add_argument("--dpi", type=int, default=170)
    args = ap.parse_args()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(f"commit {commit}; {os.cpu_count()} cores; load before {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        scan = _scan(Path(tmp), args.pages, args.dpi)
        n = page_count(scan)
        numbers = list(range(1, n + 1))
        timings: dict[int, list[float]] = {1: [], 2: []}
        for jobs in (1, 2, 2, 1):
            start = time.perf_counter()
            read = ocr_pages(scan, numbers, jobs=jobs)
            timings[jobs].append(time.perf_counter() - start)
            assert all(r.error is None for r in read), [r.error for r in read]
        for jobs, seconds in timings.items():
            best = min(seconds)
            print(f"OCR, {jobs} process(es): {n / best:.2f} pages/s ({best:.1f} s for {n} pages)")
        env = dict(os.environ, FINSAM_MODEL="hash", PYTHONPATH=str(ROOT))
        db = Path(tmp) / "bench.db"
        folder = Path(tmp) / "in"
        folder.mkdir()
        scan.rename(folder / scan.name)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "search_app.cli", "ingest", str(folder), "--db", str(db)]
            + ["--no-index", "--ocr", "auto"],
            env=env,
            check=True,
            capture_output=True,
        )
        print(f"finsam ingest of a {n}-page scan: {time.perf_counter() - start:.1f} s")
    print(f"load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
