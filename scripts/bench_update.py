"""Index update benchmark: one new protocol on kept corpora of 100k and 1M generated items, and
search latency at 100k, in one run (not a test).

    .venv/bin/python scripts/bench_update.py --keep /tmp/lexseg-bench              # 100k and 1M
    .venv/bin/python scripts/bench_update.py --keep /tmp/b --items 100000 300000 --repeat 3

Each corpus (scripts/bench_search.py's generator: GENERATED items through the REAL
Store.put_document; the REAL index.build.sync_index with GENERATED passage vectors) is built
once in the --keep folder and reused by later runs (a 1M corpus takes about 15 minutes to
generate and index on a quiet machine). Then, --repeat times: one new generated protocol of
10 items is stored and `sync_index` brings the index up to date in a fresh process, as
`finsam ingest` of one file does; printed are the whole update, its lexical part (load the
previous version, update, save) and the other parts: `base` (check and load the previous
version's dense index and embedded.json), `dense save`, `checkpoint` (dense save +
embedded.json + manifest), `publish` (checksums, CURRENT), `ids` (the corpus's item ids),
`fingerprint`. Each run adds 10 items to the kept corpus. Last, search latency on the first
corpus (or those of --search-items) through the REAL Searcher with REAL query embedding (one
query at a time, k = 10, 200 queries): hybrid, and lexical, p50 / p95, each row starting with
an empty cache of scored postings (index/postings.py ScoreCache); then the CPU of each part of
a hybrid search (bench_search.hybrid_phases) over the same queries, their scores cached. Only
--items corpora that do not exist yet are built, and --repeat 0 changes nothing: then the run
only reads the kept corpus.

    .venv/bin/python scripts/bench_update.py --keep /tmp/b --items 1000000 --repeat 0 \
        --search-items 1000000                                   # search at 1M only
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests")]

from bench_search import (  # noqa: E402
    GeneratedPassageEncoder,
    _timed,
    build_index,
    build_store,
    code_version,
    hybrid_phases,
    in_child,
    latency_row,
    load_line,
    make_queries,
    peak_rss_mb,
    print_build,
    print_phases,
)

from corpus.settings import Settings  # noqa: E402


def n_documents(db: str) -> int:
    from corpus.store import Store

    with Store.open(Path(db), readonly=True) as store:
        return int(store.conn.execute("SELECT count(*) FROM documents").fetchone()[0])


def has_index(db: str) -> bool:
    from index import versions

    return versions.current(Settings(db=Path(db)).index_dir) is not None


def update_index(db: str) -> dict[str, Any]:
    """index.build.sync_index with generated passage vectors: wall and CPU seconds of the
    whole and of its lexical part (index.build._lexical and LexicalIndex.save), and of the
    lexical update's steps."""
    from corpus.store import Store
    from index import build, lexical_update, versions
    from index.build import sync_index
    from index.dense import DenseIndex
    from index.lexical import LexicalIndex

    times: dict[str, list[float]] = {}

    def timing(owner: Any, name: str, key: str) -> None:
        fn = getattr(owner, name, None)
        if fn is None:  # not in this version of the code
            return

        def wrapper(*a: Any, **kw: Any) -> Any:
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                got = times.setdefault(key, [0.0, 0.0])
                got[0] += time.perf_counter() - t
                got[1] += time.process_time() - c

        setattr(owner, name, wrapper)

    timing(build, "_lexical", "lexical")
    timing(LexicalIndex, "save", "lexical save")
    timing(lexical_update, "load_state", "load")
    timing(lexical_update, "apply", "update")
    timing(build, "_base", "base")
    timing(DenseIndex, "save", "dense save")
    timing(build, "_checkpoint", "checkpoint")
    timing(versions, "publish", "publish")
    timing(Store, "item_id_set", "ids")
    timing(Store, "item_ids", "ids")
    timing(Store, "fingerprint", "fingerprint")
    settings = Settings(db=Path(db))
    encoder = GeneratedPassageEncoder(settings)
    t, c = time.perf_counter(), time.process_time()
    with Store.open(Path(db)) as store:
        sync_index(store, settings, encoder=encoder)
    times["sync_index"] = [time.perf_counter() - t, time.process_time() - c]
    lex = times.get("lexical", [0.0, 0.0])
    save = times.get("lexical save", [0.0, 0.0])
    times["LEXICAL"] = [lex[0] + save[0], lex[1] + save[1]]
    return {"times": times, "peak_mb": peak_rss_mb()}


def one_update(db: str, seed: int) -> str:
    """Store one new generated protocol, then sync_index in a fresh process: one line."""
    add = in_child(build_store, db, 10, seed)
    inc = in_child(update_index, db)
    t = inc["times"]

    def both(key: str) -> str:
        wall, cpu = t.get(key, [0.0, 0.0])
        return f"{wall:.2f} s ({cpu:.2f} CPU)"

    others = ("base", "dense save", "checkpoint", "publish", "ids", "fingerprint")
    return (
        f"{add['items']} items stored in {add['store_s']:.2f} s; sync_index {both('sync_index')},"
        f" of which LEXICAL {both('LEXICAL')}: load {both('load')}, update {both('update')},"
        f" save {both('lexical save')}; "
        + ", ".join(f"{k} {both(k)}" for k in others if k in t)
        + f"; peak RSS {inc['peak_mb']:,.0f} MB; {load_line()}"
    )


def search_latency(db: str, n_queries: int) -> dict[str, Any]:
    """p50/p95 (wall and CPU ms) of lexical and hybrid Searcher.search, real query encoder."""
    from corpus.store import Store
    from index import query_encoder
    from index.embed import load_query_encoder
    from index.lexical import LexicalIndex
    from index.search import Searcher

    settings = Settings(db=Path(db))
    query_encoder.CACHE_SIZE = 0  # every query embedded afresh
    encoder = load_query_encoder(settings.model, settings.cache_dir)
    load: dict[str, float] = {}
    _timed(LexicalIndex, "load", load, "lexical load")
    store = Store.open(Path(db), readonly=True)
    t = time.perf_counter()
    searcher = Searcher(store, settings, encoder=encoder)
    load["searcher"] = time.perf_counter() - t
    qs = make_queries(n_queries, 5)
    for q in qs[:5]:
        searcher.search(q, 10, None, "hybrid")
    rows = []
    for label, fn in (
        ("query embedding alone", lambda q: encoder.encode_queries([q])),
        ("hybrid, filter none", lambda q: searcher.search(q, 10, None, "hybrid")),
        ("lexical, filter none", lambda q: searcher.search(q, 10, None, "lexical")),
    ):
        fresh_scores(searcher.lexical)
        rows.append(latency_row(label, lambda i, fn=fn: fn(qs[i]), len(qs)))
    phases = hybrid_phases(searcher, qs)  # the scores of the rows above kept
    store.close()
    return {"load": load, "rows": rows, "phases": phases}


def fresh_scores(lexical: Any) -> None:
    """Empty the lexical index's cache of scored postings (where it has one), so a row starts
    as a freshly loaded searcher would: its common terms are scored once in the row."""
    cache = getattr(lexical, "_cache", None)
    if cache is not None:
        lexical._cache = type(cache)(cache.budget)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--keep", type=Path, required=True, help="folder of the kept corpora")
    ap.add_argument("--items", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3, help="one-file updates per corpus")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument(
        "--search-items",
        type=int,
        nargs="*",
        help="the corpora (by --items size) to measure search on (default: the first)",
    )
    args = ap.parse_args()
    print(f"bench_update.py at {time.strftime('%Y-%m-%d %H:%M')}: {load_line()}; {code_version()}")
    args.keep.mkdir(parents=True, exist_ok=True)
    for n in args.items:
        db = str(args.keep / f"items{n}.db")
        print(f"\n== {n:,} GENERATED items ({db}); {load_line()} ==", flush=True)
        if not Path(db).exists():
            st = in_child(build_store, db, n)
            ix = in_child(build_index, db)
            print_build(n, st, ix)
        elif not has_index(db):
            ix = in_child(build_index, db)
            print(f"  index built in {ix['total_s']:.1f} s (lexical {ix['lexical_s']:.1f} s)")
        base_seed = 1000 + n_documents(db)  # a new protocol each run
        for r in range(args.repeat):
            print(f"  one-file update {r + 1}: {one_update(db, base_seed + r)}", flush=True)
    searched = args.items[:1] if args.search_items is None else args.search_items
    for n in [] if args.no_search else searched:
        db = str(args.keep / f"items{n}.db")
        sr = in_child(search_latency, db, args.queries)
        load = ", ".join(f"{k} {v:.1f} s" for k, v in sr["load"].items())
        print(f"\n== search at {n:,} items ({load}; {load_line()}) ==")
        print(f"  {'k=10, one query at a time':<28} {'n':>4}  wall p50   p95 | CPU p50   p95 ms")
        for r in sr["rows"]:
            w, c = r["wall"], r["cpu"]
            print(
                f"  {r['label']:<28} {r['n']:>4}  {w[0]:8.1f} {w[1]:5.1f} | {c[0]:7.1f} {c[1]:5.1f}"
                f"   (machine busy {r['busy']:.2f} cores)"
            )
        print_phases(sr.get("phases", {}), "; warm scores")
    print(f"\ndone at {time.strftime('%H:%M')}; {load_line()}")


if __name__ == "__main__":
    main()
