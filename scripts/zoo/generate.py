"""Write the layout zoo: invented protocols in many real-world layout variants, with gold.

    .venv/bin/python scripts/zoo/generate.py [--seed N] [--out tests/data/zoo]

Needs LibreOffice (`soffice`) for the PDF variants (python-docx → PDF); the committed output
in tests/data/zoo/ lets tests run without it. Each variant is one layout family (see VARIANTS);
the seed varies the content, wording, fonts, order details and line widths. gold.json follows
shared/eval/seed-segmentation.json and is checked against the text of the written files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

import web_layouts as web  # noqa: E402
import word_layouts as word  # noqa: E402
import word_layouts2 as word2  # noqa: E402
from content import Writer  # noqa: E402

# name -> (builder, output format, what the family is)
VARIANTS = {
    "paragraf-tabell": (
        word.paragraph_tables,
        "pdf",
        "each § a two-column table (§ + Dnr | title, body, Word-numbered "
        "decisions); first-page role-column tables; signature lines; "
        "ANSLAG/BEVIS box; header table with Sida x (y)",
    ),
    "tabb-dnr": (
        word.tab_dnr,
        "pdf",
        "'§ N ⇥ Dnr' with the title on the next line; tab-separated participants; "
        "running header with Sida x (y); '<organ> beslutar' + att-lines; signature "
        "block with names under lines",
    ),
    "nummer-fore-tecken": (
        word.number_before_sign,
        "pdf",
        "'N §' headings; first-page label/value table; '<Organ>s beslut'; "
        "Yrkanden; Underskrifter rows; 'Sida x av y'; date written out",
    ),
    "prefix-etikett": (
        word.label_prefix,
        "pdf",
        "label prefix on its own line ('SFXY § N') and the title below; "
        "'____' separators; typed numbered lists; inline '<organ>s beslut:'; "
        "Expedieras till; weekday date",
    ),
    "arende-inline": (
        word.arende_inline,
        "pdf",
        "arbetsutskott; 'Ärende N' headings; inline 'Beslut: …'; "
        "'Arbetsutskottets förslag till styrelsen' + att-lines; officer lines; "
        "'tisdagen den …' date",
    ),
    "kallelse-tabell": (
        word2.kallelse_table,
        "pdf",
        "kallelse; föredragningslista as a table; a section per point with 'Förslag till beslut'",
    ),
    "minnes-rubriker": (
        word2.notes_headings,
        "pdf",
        "minnesanteckningar; Word heading styles; bulleted participants; a "
        "small table; 'Vid anteckningarna'",
    ),
    "paragraf-per-sida": (
        word2.paragraph_per_page,
        "pdf",
        "table of contents repeating titles; each § on its own page "
        "('§ N ⇥ title', Dnr under it); Ledamöter | Ersättare table; "
        "Förslag till beslut before Beslut; Kopia till",
    ),
    "docx-sidhuvud": (
        word2.docx_header_only,
        "docx",
        "DOCX with the förbund only in the Word header; Heading 2 items; Word "
        "auto-numbered decisions; officer lines at the end",
    ),
    "docx-motestabell": (
        word2.meeting_table_docx,
        "docx",
        "DOCX; first-page Funktion/Namn/Representerar table; 'i enlighet med "
        "förslaget' decisions after 'Förslag till beslut'",
    ),
    "html-webbplats": (
        web.html_chrome,
        "html",
        "web page: cookie banner, menu, search, breadcrumbs, sidebar, footer "
        "around <main>; 'Punkt N.' h3; inline 'Beslut:'; officer lines",
    ),
    "html-artikel": (
        web.html_article,
        "html",
        "web page with the protocol in <article>; '§ N' h2; participant table "
        "with role column; decisions in <ol>",
    ),
    "markdown-pipetabell": (
        web.markdown_pipes,
        "md",
        "Markdown export; pipe tables for participants and each § heading "
        "with its Dnr row; '- att …' decisions",
    ),
    "text-radbruten": (
        web.text_wrapped,
        "txt",
        "plain text hard-wrapped with hyphenated breaks; form-feed pages with "
        "running header 'Sida x av y' and 'Justerandes sign' footer",
    ),
}

ABOUT = (
    "The layout zoo: invented protocols (people, insatser, sums and wording invented; förbund "
    "names real, from ingest/data/forbund.json) in layout variants, written by "
    "scripts/zoo/generate.py. 'documents' follows shared/eval/seed-segmentation.json and the "
    "conventions of shared/eval/layouts/gold.json; 'variants' says which layout family each "
    "file stands for. Regenerate with the same seed to get the same content."
)


def html_text(raw: str) -> str:
    return re.sub(r"<[^>]+>", " ", raw)


def docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    for s in d.sections:
        parts += [p.text for p in s.header.paragraphs]
    return "\n".join(parts)


def file_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    if path.suffix == ".docx":
        return docx_text(path)
    raw = path.read_text("utf-8")
    return html_text(raw) if path.suffix == ".html" else raw


def check(path: Path, gold: dict) -> list[str]:
    """Gold texts that do not occur in the file's text (normalised as the evaluation does)."""
    from ingest.seg_eval import canonical

    text = canonical(file_text(path))
    import html as h

    text = canonical(h.unescape(text))
    wanted = [i["title"] for i in gold.get("items", [])] + gold.get("sections", [])
    wanted += [c for i in gold.get("items", []) for c in i.get("decisions", [])]
    wanted += [i["proposal"] for i in gold.get("items", []) if "proposal" in i]
    wanted += [gold[k] for k in ("chair", "secretary") if gold.get(k)]
    return [w for w in wanted if canonical(w) not in text]


def convert(docx_files: list[Path], out: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *map(str, docx_files),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "zoo")
    ap.add_argument("--copies", type=int, default=2, help="Documents per variant.")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    documents, variants, to_pdf = {}, {}, []
    work = Path(tempfile.mkdtemp(prefix="zoo-"))
    jobs = [(i, name, c) for i, name in enumerate(VARIANTS, 1) for c in range(args.copies)]
    for i, name, copy in jobs:
        build, fmt, about = VARIANTS[name]
        rng = random.Random(f"{args.seed}:{name}:{copy}")
        doc, content, label = build(Writer(rng), rng)
        stem = f"zoo{i:02d}{'abcdefghij'[copy]}_{name}"
        if fmt in ("pdf", "docx"):
            path = (work if fmt == "pdf" else args.out) / f"{stem}.docx"
            content.save(str(path))
            if fmt == "pdf":
                to_pdf.append(path)
        else:
            (args.out / f"{stem}.{fmt}").write_text(content, encoding="utf-8")
        documents[f"{stem}.{fmt}"] = doc.gold(label)
        variants[f"{stem}.{fmt}"] = about
    if to_pdf:
        convert(to_pdf, args.out)
    shutil.rmtree(work, ignore_errors=True)
    problems = 0
    for source, gold in documents.items():
        for missing in check(args.out / source, gold):
            problems += 1
            print(f"gold text not in {source}: {missing!r}", file=sys.stderr)
    data = {"about": ABOUT, "seed": args.seed, "variants": variants, "documents": documents}
    (args.out / "gold.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(documents)} documents in {args.out}; {problems} gold texts not found")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
