"""OCR quality: segmentation of scanned copies against the gold of their born-digital originals.

    .venv/bin/python scripts/eval_ocr.py GOLD.json FOLDER [--dpi 170] [--angle 0.7] [--noise 12] [--diff]
        [--only TEXT ...]

For every PDF in FOLDER that GOLD.json (the format of `finsam eval-segmentation`) knows, the
script segments the original (text layer) and a scan of it made here (a text file, such as the
bundled samples in corpus/samples, is first rendered to a PDF as the tests do: tests/pdfgen.py) (each page rendered in
grey at --dpi, turned by ±--angle degrees, with grain and specks, packed as an image-only PDF:
tests/scans.py), read back with OCR, and prints three rows per document: the original and the
scan against the gold, and the scan against the original's own segmentation (what the issue's
bars are about: ingest/seg_agreement.py) — item F1, title accuracy, decision-clause F1,
metadata, meeting date and förbund right — then the totals and the OCR time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pdfgen import paginate, render_pdf  # noqa: E402
from scans import scan_pdf  # noqa: E402

from corpus.errors import NeedsOCR  # noqa: E402
from corpus.model import Document, SegScore  # noqa: E402
from ingest.document import document_of  # noqa: E402
from ingest.extract import OcrOptions, read  # noqa: E402
from ingest.seg_agreement import agreement  # noqa: E402
from ingest.seg_eval import load_gold, score_document, total  # noqa: E402

LINES_PER_PAGE = 30


def _segmented(path: Path, source: str, *, ocr: str) -> Document:
    extraction = read(path, ocr=OcrOptions(ocr))
    return document_of(extraction, doc_id=source, source=source, path=str(path))


def _rate(value: float | None, width: int) -> str:
    return f"{value:{width}.3f}" if value is not None else f"{'–':>{width}}"


def _right(scores: list[SegScore], field: str) -> str:
    """Whether ``field`` is right: ja/NEJ for one document, right/judged for a total."""
    judged = [want == got for s in scores for f, want, got in s.meta if f == field]
    if not judged:
        return "–"
    if len(scores) == 1:
        return "ja" if judged[0] else "NEJ"
    return f"{sum(judged)}/{len(judged)}"


def _row(name: str, scores: list[SegScore]) -> str:
    s = scores[0] if len(scores) == 1 else total(scores)
    return (
        f"{name:<11} {_rate(s.item_f1, 6)} {_rate(s.title_accuracy, 7)} "
        f"{_rate(s.clause_f1, 7)} {_rate(s.metadata_accuracy, 6)}  "
        f"{_right(scores, 'date'):<5} {_right(scores, 'forbund')}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--dpi", type=int, default=170)
    ap.add_argument("--angle", type=float, default=0.7)
    ap.add_argument("--noise", type=float, default=12.0)
    ap.add_argument(
        "--diff",
        action="store_true",
        help="print what the scan got wrong against the gold and against the original",
    )
    ap.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="only the files whose name contains TEXT (repeatable)",
    )
    args = ap.parse_args()
    gold = load_gold(args.gold)
    every = sorted(
        p for p in args.folder.iterdir() if p.name in gold and p.suffix in (".pdf", ".txt")
    )
    # A file's scan noise is seeded by its place among all files, so --only reproduces it.
    files = [
        (n, p) for n, p in enumerate(every) if not args.only or any(t in p.name for t in args.only)
    ]
    originals: list[SegScore] = []
    scanned: list[SegScore] = []
    versus: list[SegScore] = []
    seconds = 0.0
    print(f"{'':<11} {'item F1':>6} {'titles':>7} {'klausul':>7} {'meta':>6}  datum förbund")
    with tempfile.TemporaryDirectory() as tmp:
        for n, source in files:
            pdf = source
            if source.suffix == ".txt":  # a text original: render it as a born-digital PDF
                pages = paginate(source.read_text("utf-8"), LINES_PER_PAGE)
                pdf = render_pdf(pages, Path(tmp) / f"{source.stem}.pdf")
            try:
                doc = _segmented(pdf, source.name, ocr="never")
            except NeedsOCR:  # already a scan: no born-digital original to compare with
                print(f"{source.name}: redan en skanning, hoppas över")
                continue
            scan = scan_pdf(
                pdf,
                Path(tmp) / f"skannad-{pdf.name}",
                dpi=args.dpi,
                angle=args.angle,
                noise=args.noise,
                seed=n,
            )
            start = time.perf_counter()
            ocred = _segmented(scan, source.name, ocr="always")
            seconds += time.perf_counter() - start
            a = score_document(source.name, gold[source.name], doc)
            b = score_document(source.name, gold[source.name], ocred)
            c = agreement(doc, ocred)
            originals.append(a)
            scanned.append(b)
            versus.append(c)
            print(source.name)
            print(_row("  original", [a]))
            print(_row("  skannad", [b]))
            print(_row("  mot orig.", [c]))
            if args.diff:
                for prefix, score in (("", b), ("mot orig.: ", c)):
                    lines = [*score.differences, *(f"stray: {x}" for x in score.stray)]
                    print("\n".join(f"      {prefix}{d}" for d in lines))
    print("TOTALT")
    print(_row("  original", originals))
    print(_row("  skannad", scanned))
    print(_row("  mot orig.", versus))
    print(f"OCR + segmentering: {seconds:.1f} s för {len(scanned)} dokument")


if __name__ == "__main__":
    main()
