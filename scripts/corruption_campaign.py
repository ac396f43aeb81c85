"""A seeded corruption campaign: damage one file of a corpus or its index per run (flip bytes,
truncate, delete), then check that every command answers with a clear line, that `finsam
doctor` finds the damage and that `finsam doctor --repair` restores search of everything that
was intact, or says what cannot be restored.

    FINSAM_MODEL=hash python scripts/corruption_campaign.py [--runs 100] [--seed 1]

Each run copies a pristine corpus (the bundled samples plus the constructed protocols,
ingested with the deterministic test encoder), damages one file, and runs in a child process
(so that a crash costs one run): search and export (the answer or one line), doctor, doctor
--repair, doctor again, then the probes. A probe is an item with a query (its title) that finds
it among the top 10 in the pristine corpus; after the repair it must be among the top 20
unless the repair said its document cannot be restored. Prints one line per run and the
counts: runs, damage that changed something, detected, repaired, said what cannot be restored,
silent (damage doctor did not see), unclear lines, tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "corpus" / "samples", ROOT / "tests" / "data" / "protocols")
KINDS = ("flip", "truncate", "delete")
# What `doctor --repair` says when the database as a whole cannot be restored here.
WHOLE_CORPUS_LOST = ("Databasen kan inte repareras", "Databasens sidor är skadade")


# -- the child: run the commands on one damaged copy -------------------------------------------


def _invoke(args: list[str]) -> dict[str, Any]:
    from click.testing import CliRunner

    from search_app.cli import cli

    result = CliRunner().invoke(cli, args)
    exc = result.exception
    traceback = exc is not None and not isinstance(exc, SystemExit)
    lines = [ln for ln in result.stderr.splitlines() if "%|" not in ln and ln.strip()]
    return {
        "args": args[0] + (" --repair" if "--repair" in args else ""),
        "code": result.exit_code,
        "out": result.stdout,
        "err": lines,
        "traceback": f"{type(exc).__name__}: {exc}" if traceback else None,
    }


def _probe(db: Path, probes: list[list[str]]) -> list[str]:
    """The item ids of the probes not found among the top 20 (all, if search fails)."""
    from corpus.settings import Settings
    from corpus.store import Store
    from index.search import Searcher

    try:
        with Store.open(db, readonly=True) as store:
            searcher = Searcher(store, Settings(db=db, model="hash"))
            return [
                item
                for query, item, _source in probes
                if item not in {h.item_id for h in searcher.search(query, 20, mode="lexical")}
            ]
    except Exception:  # any failure: nothing was found
        return [item for _, item, _ in probes]


def child(run_dir: Path, probes: list[list[str]]) -> dict[str, Any]:
    db = str(run_dir / "c.db")
    steps = [
        _invoke(["search", probes[0][0], "--db", db]),
        _invoke(["export", "--db", db]),
        _invoke(["doctor", "--db", db]),
        _invoke(["doctor", "--repair", "--db", db]),
        _invoke(["doctor", "--db", db]),
    ]
    return {"steps": steps, "missing": _probe(run_dir / "c.db", probes)}


# -- the parent --------------------------------------------------------------------------------


@dataclass
class Outcome:
    changed: bool  # the damage changed what the commands answer
    detected: bool
    repaired: bool  # after --repair: doctor ok and every probe found
    stated: bool  # --repair said what cannot be restored, and the rest is found
    silent: bool  # changed, yet doctor said ok
    unclear: int  # failing commands whose stderr is not one line
    tracebacks: int
    line: str


def build_pristine(base: Path) -> tuple[Path, list[list[str]], str]:
    """Ingest the sources into base/pristine; returns (folder, probes, export)."""
    from corpus.settings import Settings
    from corpus.store import Store
    from index.build import ingest_and_index
    from index.search import Searcher

    files = base / "files"
    for src in SOURCES:
        shutil.copytree(src, files / src.name)
    pristine = base / "pristine"
    settings = Settings(db=pristine / "c.db", model="hash", cache_dir=base / "cache")
    report, _ = ingest_and_index([files], settings, isolate=False)
    if report.failures:
        raise SystemExit(f"the pristine corpus has failures: {report.failures}")
    probes = []
    with Store.open(settings.db, readonly=True) as store:
        searcher = Searcher(store, settings)
        for ctx in store.iter_item_contexts():
            title = ctx.item.title.strip()
            top = [h.item_id for h in searcher.search(title, 10, mode="lexical")] if title else []
            if ctx.item.item_id in top:
                probes.append([title, ctx.item.item_id, ctx.source])
    _checkpoint(settings.db)
    export = _child_run(pristine, probes)["steps"][1]["out"]
    _checkpoint(settings.db)
    return pristine, probes, str(export)


def _checkpoint(db: Path) -> None:
    """Fold the WAL into the database file, so that the corpus is one file (the -wal and
    -shm files SQLite removes when the last connection closes)."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for side in ("-wal", "-shm"):
        extra = Path(f"{db}{side}")
        if extra.exists() and extra.stat().st_size == 0:
            extra.unlink()


def _child_run(run_dir: Path, probes: list[list[str]]) -> dict[str, Any]:
    probes_file = run_dir.with_name(run_dir.name + "-probes.json")
    probes_file.write_text(json.dumps(probes), "utf-8")
    env = {**os.environ, "FINSAM_MODEL": "hash", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(run_dir), "--probes", str(probes_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    if proc.returncode != 0:
        return {"crash": f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"}
    return dict(json.loads(proc.stdout.splitlines()[-1]))


def targets(pristine: Path) -> list[Path]:
    """Every file of the corpus and of its index, relative to the pristine folder (not the
    lock file, which holds no data)."""
    return sorted(
        p.relative_to(pristine)
        for p in pristine.rglob("*")
        if p.is_file() and not p.name.endswith(".lock")
    )


def damage(path: Path, kind: str, rng: random.Random) -> str:
    size = path.stat().st_size
    if kind == "delete" or size == 0:
        path.unlink()
        return "deleted"
    if kind == "truncate":
        keep = rng.randrange(0, size)
        with path.open("r+b") as f:
            f.truncate(keep)
        return f"truncated to {keep} of {size} bytes"
    data = bytearray(path.read_bytes())
    n = rng.randint(1, 16)
    for _ in range(n):
        data[rng.randrange(size)] ^= rng.randint(1, 255)
    path.write_bytes(bytes(data))
    return f"{n} bytes flipped"


def judge(result: dict[str, Any], probes: list[list[str]], export: str) -> Outcome:
    if "crash" in result:
        return Outcome(True, False, False, False, False, 0, 1, f"CRASH {result['crash']}")
    steps: list[dict[str, Any]] = result["steps"]
    search, exported, doctor, repair, after = steps
    tracebacks = sum(1 for s in steps if s["traceback"])
    checks = (doctor, repair, after)  # doctor reports in lines of its own
    unclear = sum(
        1
        for s in steps
        if s["code"] != 0 and not s["traceback"] and len(s["err"]) != 1 and s not in checks
    )
    changed = search["code"] != 0 or exported["code"] != 0 or exported["out"] != export
    detected = doctor["code"] != 0
    missing = set(result["missing"])
    repair_text = str(repair["out"]) + "\n".join(repair["err"])
    whole = any(w in repair_text for w in WHOLE_CORPUS_LOST)
    named = all(source in repair_text for _, item, source in probes if item in missing)
    repaired = after["code"] == 0 and not missing
    stated = not repaired and "kan inte" in repair_text.lower() and (whole or named)
    silent = changed and not detected
    what = "REPAIRED" if repaired else "NOT RESTORABLE (said so)" if stated else "NOT REPAIRED"
    first = (repair["err"] or [""])[0] if repair["code"] else ""
    line = (
        f"{what}; doctor {'found it' if detected else 'saw nothing'}; {len(missing)} probes missing"
    )
    if first:
        line += f"; repair: {str(first)[:120]}"
    return Outcome(changed, detected, repaired, stated, silent, unclear, tracebacks, line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--probes", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        probes = json.loads(args.probes.read_text("utf-8"))
        print(json.dumps(child(args.child, probes)))
        return
    os.environ["FINSAM_MODEL"] = "hash"
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="finsam-campaign-") as tmp:
        base = Path(tmp)
        pristine, probes, export = build_pristine(base)
        files = targets(pristine)
        db_files = [f for f in files if not f.parts[0].endswith("-index")]
        index_files = [f for f in files if f.parts[0].endswith("-index")]
        plan = [(f, k) for f in index_files for k in KINDS]
        rng.shuffle(plan)
        print(
            f"pristine corpus: {len(db_files)} corpus files, {len(index_files)} index files, "
            f"{len(probes)} probes; {args.runs} runs (seed {args.seed})"
        )
        totals = dict.fromkeys(
            ("changed", "detected", "repaired", "stated", "silent", "unclear", "tracebacks"), 0
        )
        for run in range(args.runs):
            if run % 2 == 0:
                target, kind = rng.choice(db_files), KINDS[(run // 2) % 3]
            else:
                target, kind = plan[(run // 2) % len(plan)]
            run_dir = base / f"run{run:03d}"
            shutil.copytree(pristine, run_dir)
            what = damage(run_dir / target, kind, rng)
            outcome = judge(_child_run(run_dir, probes), probes, export)
            shutil.rmtree(run_dir, ignore_errors=True)
            for key in totals:
                totals[key] += int(getattr(outcome, key))
            print(f"run {run:3d} {target} {what}: {outcome.line}", flush=True)
        print(
            f"runs {args.runs}, damage changed answers {totals['changed']}, "
            f"detected {totals['detected']}, repaired {totals['repaired']}, "
            f"not restorable and said so {totals['stated']}, "
            f"silent {totals['silent']}, unclear lines {totals['unclear']}, "
            f"tracebacks {totals['tracebacks']}"
        )


if __name__ == "__main__":
    main()
