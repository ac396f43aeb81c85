"""The held-out probe set (tests/data/search_eval/probe-queries.json): its shape, that it stays
out of the tuning, that its judgements name items of the documents, and that its paraphrases
share no word with the titles of the items they ask for (the set's purpose)."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from corpus.errors import CorpusError
from corpus.model import Document, ItemContext
from corpus.settings import Settings
from index.analyze import analyze
from index.evaluate import PROBE, assign_splits, load_queries, matches

ROOT = Path(__file__).resolve().parents[1]
PROBES = ROOT / "tests" / "data" / "search_eval" / "probe-queries.json"
QUERIES = ROOT / "tests" / "data" / "search_eval" / "queries.json"
TYPES = {"paraphrase", "question", "one-word", "keyword"}


def spec() -> dict:  # type: ignore[type-arg]
    return json.loads(PROBES.read_text("utf-8"))


def corpus_files() -> dict[str, Path]:
    """File name -> path of every document of the probe set's corpus."""
    out: dict[str, Path] = {}
    for entry in spec()["corpus"]:
        path = ROOT / entry
        for p in sorted(path.iterdir()) if path.is_dir() else [path]:
            out[p.name] = p
    return out


def test_the_probe_set_has_the_planned_shape() -> None:
    raw = spec()["queries"]
    assert len(raw) == 30 and len({q["id"] for q in raw}) == 30
    assert spec()["corpus"] == json.loads(QUERIES.read_text("utf-8"))["corpus"]
    assert {q["split"] for q in raw} == {PROBE} and {q["origin"] for q in raw} == {PROBE}
    kinds = Counter(q["type"] for q in raw)
    assert set(kinds) <= TYPES
    assert kinds["paraphrase"] == 20 and kinds["question"] == 6
    assert kinds["one-word"] + kinds["keyword"] == 4
    assert sum(q["lang"] == "en" for q in raw) * 3 == len(raw)
    names = set(corpus_files())
    for q in raw:
        assert q["lang"] in ("sv", "en") and q["relevant"], q["id"]
        if q["type"] == "one-word":
            assert len(q["q"].split()) == 1, q["id"]
        for source, label, grade in q["relevant"]:
            assert source in names, (q["id"], source)
            assert grade in (1, 2, 3) and (label.startswith("sektion:") or label[-1].isdigit())
    # new queries, not the tuning set's again
    tuned = json.loads(QUERIES.read_text("utf-8"))["queries"]
    assert not {q["id"] for q in raw} & {q["id"] for q in tuned}
    assert not {q["q"].casefold() for q in raw} & {q["q"].casefold() for q in tuned}


def test_probe_queries_are_loaded_on_request_and_never_split_for_tuning() -> None:
    probes = load_queries(PROBES, PROBE)
    assert len(probes) == 30 and load_queries(PROBES, "all") == probes
    assert assign_splits(probes) == {}  # never put into a tuning or reporting half
    tuned = load_queries(QUERIES)
    assert assign_splits(tuned + probes) == assign_splits(tuned)
    with pytest.raises(CorpusError, match="no query has split 'tune'"):
        load_queries(PROBES, "tune")
    with pytest.raises(CorpusError, match="no query has split 'probe'"):
        load_queries(QUERIES, PROBE)


def test_the_tuning_script_refuses_the_probe_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = ROOT / "scripts" / "tune_search.py"
    run = subprocess.run(
        [sys.executable, str(script), str(PROBES), "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "FINSAM_MODEL": "hash"},
        timeout=120,
    )
    assert run.returncode == 1 and "probe" in run.stderr and "Traceback" not in run.stderr


@cache
def segmented(name: str) -> Document:
    """A document of the corpus segmented now (nothing stored)."""
    from ingest.pipeline import limits_of, process_file

    doc = process_file(corpus_files()[name], limits_of(Settings.from_env()))
    assert isinstance(doc, Document), doc
    return doc


def contexts(name: str) -> list[ItemContext]:
    doc = segmented(name)
    return [ItemContext(it, doc.doc_id, name, doc.kind, None, None, None) for it in doc.items]


def born_digital(name: str) -> bool:
    """Not the scan (read by OCR: the slow test of the whole corpus checks its judgements)."""
    return "scans" not in corpus_files()[name].parts


def test_every_judgement_names_items_of_its_document() -> None:
    for q in load_queries(PROBES):
        for (source, label), n in Counter((j.source, j.label) for j in q.relevant).items():
            if not born_digital(source):
                continue
            (j,) = {j for j in q.relevant if (j.source, j.label) == (source, label)}
            found = [c for c in contexts(source) if matches(c, j)]
            # as many items as judgements: a judgement given twice (a section judged through
            # its attachment's heading) needs two items to be credited to
            assert len(found) >= n, (q.qid, source, label, n, len(found))


def test_no_paraphrase_shares_a_word_with_the_titles_it_asks_for() -> None:
    """Stems and compound parts of the query's own words (no glossary) against those of the
    titles of its best-graded items: a paraphrase crosses the vocabulary gap or fails."""
    checked = 0
    for q in load_queries(PROBES):
        if q.kind != "paraphrase":
            continue
        words = set(analyze(q.text))
        best = max(j.grade for j in q.relevant)
        for j in q.relevant:
            if j.grade < best:
                continue
            for c in contexts(j.source):
                if matches(c, j):
                    shared = words & set(analyze(c.item.title))
                    assert not shared, (q.qid, c.item.title, shared)
                    checked += 1
    assert checked >= 20


# --- tests/data/search_eval/zoo6-queries.json: blind queries over tests/data/zoo6 -------------

ZOO6_QUERIES = ROOT / "tests" / "data" / "search_eval" / "zoo6-queries.json"
ZOO6_GOLD = ROOT / "tests" / "data" / "zoo6" / "gold.json"
ZOO6_TYPES = TYPES | {"act-status"}


def zoo6_titles() -> dict[tuple[str, str], str]:
    """(source, label) -> title of every real item of zoo6, as its gold.json lists them."""
    docs = json.loads(ZOO6_GOLD.read_text("utf-8"))["documents"]
    return {(src, it["label"]): it["title"] for src, doc in docs.items() for it in doc["items"]}


def test_the_zoo6_set_has_its_shape_and_judges_real_items() -> None:
    spec6 = json.loads(ZOO6_QUERIES.read_text("utf-8"))
    raw = spec6["queries"]
    assert spec6["about"] and spec6["corpus"] == ["tests/data/zoo6"]
    assert len(raw) == 24 and len({q["id"] for q in raw}) == 24
    assert {q["split"] for q in raw} == {PROBE} and {q["origin"] for q in raw} == {"zoo6"}
    assert set(Counter(q["type"] for q in raw)) <= ZOO6_TYPES
    assert sum(q["lang"] == "en" for q in raw) * 3 == len(raw)
    real = zoo6_titles()
    for q in raw:
        assert q["lang"] in ("sv", "en") and q["relevant"], q["id"]
        if q["type"] == "one-word":
            assert len(q["q"].split()) == 1, q["id"]
        judged = [(source, label) for source, label, _ in q["relevant"]]
        assert len(judged) == len(set(judged)), q["id"]
        for source, label, grade in q["relevant"]:
            assert (source, label) in real, (q["id"], source, label)
            assert grade in (1, 2, 3), (q["id"], source, label)
    # new queries: neither an id nor a wording of the other query files again
    for other in (QUERIES, PROBES, ROOT / "tests" / "data" / "search_eval" / "zoo-queries.json"):
        theirs = json.loads(other.read_text("utf-8"))["queries"]
        shared_ids = {q["id"] for q in raw} & {q["id"] for q in theirs}
        assert not shared_ids, (other.name, shared_ids)
        # name only this file's wordings: the other files' text stays unread by whoever runs it
        theirs_q = {q["q"].casefold() for q in theirs}
        shared = [q["id"] for q in raw if q["q"].casefold() in theirs_q]
        assert not shared, (other.name, shared)


def test_zoo6_holds_back_half_its_queries_by_the_stated_rule() -> None:
    """Sorted by (lang, type, id), every second query is held (as 'about' says)."""
    raw = json.loads(ZOO6_QUERIES.read_text("utf-8"))["queries"]
    assert all(isinstance(q["held"], bool) for q in raw)
    ordered = sorted(raw, key=lambda q: (q["lang"], q["type"], q["id"]))
    assert [q["held"] for q in ordered] == [i % 2 == 1 for i in range(len(ordered))]
    assert sum(q["held"] for q in raw) == 12


def test_zoo6_queries_load_as_probes_never_split_for_tuning() -> None:
    probes = load_queries(ZOO6_QUERIES, PROBE)
    assert len(probes) == 24 and load_queries(ZOO6_QUERIES, "all") == probes
    assert assign_splits(probes) == {}
    with pytest.raises(CorpusError, match="no query has split 'tune'"):
        load_queries(ZOO6_QUERIES, "tune")


def test_no_zoo6_paraphrase_shares_a_word_with_the_titles_it_asks_for() -> None:
    """Against the gold titles of its best-graded items (the real items, not the segmenter's)."""
    titles = zoo6_titles()
    checked = 0
    for q in load_queries(ZOO6_QUERIES):
        if q.kind != "paraphrase":
            continue
        words = set(analyze(q.text))
        best = max(j.grade for j in q.relevant)
        for j in q.relevant:
            if j.grade == best:
                shared = words & set(analyze(titles[(j.source, j.label)]))
                assert not shared, (q.qid, titles[(j.source, j.label)], shared)
                checked += 1
    assert checked >= 6
