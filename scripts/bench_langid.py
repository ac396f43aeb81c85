"""Query language detection measured: the rule of index/lang.py against language-ID libraries.

    python scripts/bench_langid.py [--db DB] [--lib-path DIR]

Labelled queries: tests/data/lang-queries.json (short queries written for this), the dev and
extra query sets (Swedish) and the layouts set (ids ending in -en are English). Prints per
method: accuracy overall and on queries of at most two words, the errors, the time to import
and load, and the time per query. Libraries are tried only where installed (py3langid,
lingua-language-detector); --lib-path adds a folder they were installed into with
`pip install --target`. The rule uses the words of the corpus in --db when given (its lexical
index's lexicon), else none.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"


def labelled() -> list[tuple[str, str]]:
    out = [
        tuple(x) for x in json.loads((ROOT / "tests/data/lang-queries.json").read_text())["queries"]
    ]
    for path in (ROOT / "tests/data/dev-queries.json", ROOT / "tests/data/extra-queries.json"):
        for q in json.loads(path.read_text())["queries"]:
            out.append((q["q"], "en" if q["id"].endswith("-en") else "sv"))
    gold = SHARED / "layouts" / "gold.json"
    if gold.exists():
        for q in json.loads(gold.read_text())["queries"]:
            out.append((q["q"], "en" if q["id"].endswith("-en") else "sv"))
    return [(q, lang) for q, lang in out]


def corpus_words(db: Path | None) -> frozenset[str]:
    if db is None:
        return frozenset()
    from corpus.settings import Settings
    from corpus.store import Store
    from index.search import Searcher

    settings = Settings.from_env(db=db)
    with Store.open(settings.db, readonly=True) as store:
        return Searcher(store, settings).lexical.lexicon.surfaces


def methods(words: frozenset[str]) -> dict[str, Callable[[], Callable[[str], str]]]:
    def rule() -> Callable[[str], str]:
        from index.lang import detect

        return lambda q: detect(q, words)

    def py3langid() -> Callable[[str], str]:
        import py3langid

        py3langid.set_languages(["sv", "en"])
        return lambda q: py3langid.classify(q)[0]

    def lingua() -> Callable[[str], str]:
        from lingua import Language, LanguageDetectorBuilder

        det = LanguageDetectorBuilder.from_languages(Language.SWEDISH, Language.ENGLISH).build()
        return lambda q: "en" if det.detect_language_of(q) == Language.ENGLISH else "sv"

    return {"rule (index/lang.py)": rule, "py3langid": py3langid, "lingua": lingua}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--lib-path", type=Path)
    args = ap.parse_args()
    if args.lib_path:
        sys.path.append(str(args.lib_path))
    data = labelled()
    words = corpus_words(args.db)
    short = [(q, lang) for q, lang in data if len(q.split()) <= 2]
    n_en = sum(1 for _, lang in data if lang == "en")
    print(f"{len(data)} labelled queries ({n_en} English), {len(short)} of at most two words")
    print(f"{'method':<22} {'accuracy':>9} {'short':>7} {'load s':>8} {'ms/query':>9}")
    for name, make in methods(words).items():
        start = time.perf_counter()
        try:
            fn = make()
        except ImportError as e:
            print(f"{name:<22} not installed ({e.name})")
            continue
        fn("budget")
        load = time.perf_counter() - start
        start = time.perf_counter()
        got = [fn(q) for q, _ in data]
        per = (time.perf_counter() - start) / len(data) * 1000
        right = [g == lang for g, (_, lang) in zip(got, data, strict=True)]
        short_right = [r for r, (q, _) in zip(right, data, strict=True) if len(q.split()) <= 2]
        print(
            f"{name:<22} {sum(right) / len(data):>9.3f} {sum(short_right) / len(short):>7.3f}"
            f" {load:>8.2f} {per:>9.2f}"
        )
        wrong = [f"{q!r}→{g}" for g, r, (q, _) in zip(got, right, data, strict=True) if not r]
        if wrong:
            print("    errors: " + "; ".join(wrong))


if __name__ == "__main__":
    main()
