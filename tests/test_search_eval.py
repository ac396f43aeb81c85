"""The search evaluation: the query set's shape and split, hand-checked scores, the repeatable
Python API, `finsam eval` and the evaluation corpus (scripts/eval_search.py)."""

from __future__ import annotations

import importlib.util
import json
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from corpus.errors import CorpusError
from corpus.model import EvalQuery, Item, ItemContext, Judgement
from corpus.settings import Settings
from corpus.store import Store
from index.evaluate import (
    BLIND,
    TUNE_EXTRA,
    Evaluator,
    MemoQueryEncoder,
    assign_splits,
    by_group,
    load_queries,
    open_searcher,
    query_score,
    score_run,
)
from index.tuning import Tuning
from search_app.cli import cli

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "data" / "search_eval" / "queries.json"
PROBES = ROOT / "tests" / "data" / "search_eval" / "probe-queries.json"
DEV = ROOT / "tests" / "data" / "dev-queries.json"
SHARED_GOLD = ROOT.parent / "shared" / "eval" / "layouts" / "gold.json"
LANGS = {"sv", "en"}
TYPES = {"keyword", "paraphrase", "question", "one-word", "act-status"}
# The titles of the grade-3 items of each tune-extra paraphrase, as the evaluation corpus
# segments them (checked against the built corpus by the slow corpus test).
TUNE_EXTRA_TITLES: dict[str, tuple[str, ...]] = {
    "tx-deltagarintervjuer": ("Rapport om brukarrevision Samordningsteam Hallstahammar",),
    "tx-delade-utgifter": (
        "Kostnadsfördelning mellan de tre Samordningsförbunden i länet för länsgemensamma aktiviteter",
    ),
    "tx-outsourced-admin": ("Avtal administrativa stödfunktioner",),
    "tx-sammanslagning": (
        "Höstens arbetsprocess för interimsstyrelsen",
        "Lägesrapport om länsprocessen mot Samordningsförbund Västmanland",
        "Rapport från interimsstyrelsen",
    ),
    "tx-four-party-end": ("Förslag avsluta NAFS",),
    "tx-arlig-dialog": (
        "Bakgrund",
        "Förslag sammankallande part medlemssamråd",
        "Förslag till beslut",
        "Nationella rådets rekommendation",
        "Text från nationella rådets rekommendationer gällande medlemssamråd",
    ),
    "tx-lived-experience": ("Rapport om brukarrevision Samordningsteam Hallstahammar",),
    "tx-ledarnas-villkor": (
        "Arbetsgrupp om förbundschefer arbetsvillkor via NNS – Nationella Nätverket för Samordningsförbund",
    ),
    "tx-neet-youth": (
        "Insatser i fokus: Kompassen i Falköping",
        "Ny insats – Brobyggarna Degerfors",
        "Ny insats – Brobyggarna Härnösand",
        "Ny insats – Hälsosteget Helsingborg",
        "Ny insats – Hälsosteget Huddinge",
        "Ny insats – Jobbspåret Vännäs",
        "Ny insats – Kliv framåt Arboga",
        "Ny insats – Nystart Västerås",
        "Ny insats – Nystart Älvsbyn",
        "Ny insats – Rätt stöd Göteborg",
        "Ny insats – Samverkansteam Vux Falun",
        "Ny insats – Samverkansteam Vux Lilla Edet",
        "Ny insats – Samverkansteam Vux Trelleborg",
        "Ny insats – Språngbrädan Örebro",
        "Ny insats – Vägen vidare Värmdö",
        "Ny insats – Vägen vidare Västerås",
    ),
    "tx-sparade-pengar": ("Ekonomi",),
    "tx-hemsida": (),
    "tx-somn-kost": ("Hälsokoordinatorn",),
    "tx-egen-synpunkt": (
        "Fastställande av dagordningen",
        "Godkännande av dagordning",
        "NNS förslag om höjd medlemsavgift 2025",
        "NNS förslag om höjd serviceavgift 2022",
        "NNS förslag om utökad serviceavgift 2024",
        "Ny insats – Jobbspåret Vännäs",
        "Ny insats – Stödteam NPF för unga vuxna",
        "Sammanträdesplan 2023",
        "Tilläggsäskande 2022 – Trappsteget Robertsfors",
    ),
    "tx-lokal-sysselsattning": ("Arbetsmarknadstorgen",),
    "tx2-friade-ledamoter": (
        "Ansvarsfrihet beviljas",
        "Försäkringskassans prövning av ansvarsfrihet för Samordningsförbundens styrelser",
    ),
    "tx2-hoarded-money": ("Noteringar",),
    "tx2-eu-projekt": ("Ekonomi",),
    "tx2-adult-colleges": ("Medlemmarnas medskick om prioriteringar framåt",),
    "tx2-lediga-jobb": ("Årsredovisning 2022",),
    "tx2-langst-inskrivna": ("Ledning och styrning",),
    "tx2-sommarbrev": ("Övriga frågor",),
    "tx2-danish-research": ("Redovisning av Finsam-insatser 2022",),
    "tx2-hyreskontrakt": ("Anmälan av ordförandebeslut",),
    "tx2-coronan": ("Tertialrapport januari–april 2021",),
    "tx2-process-lead": ("Förbundschefen informerar", "Förbundschefens rapport"),
    "tx2-ofullstandig-skolgang": ("Tilläggsäskande – Unga vuxna i Botkyrka",),
    "tx2-bilhyra": (
        "Tilläggsäskande 2023 Samordningsteam Sala",
        "Tilläggsäskande Samordningsteam Sala",
    ),
    "tx2-young-benefits": ("Förbundschefens rapport",),
}


def spec() -> dict:  # type: ignore[type-arg]
    return json.loads(QUERIES.read_text("utf-8"))


def corpus_names() -> set[str]:
    names = set()
    for entry in spec()["corpus"]:
        path = ROOT / entry
        names |= {p.name for p in path.iterdir()} if path.is_dir() else {path.name}
    return names


def test_the_query_set_has_what_the_issue_asks_for() -> None:
    raw = spec()["queries"]
    own = [q for q in raw if q["origin"] == "own"]
    gold = [q for q in raw if q["origin"] == "layouts-gold"]
    assert len(own) >= 40 and len(gold) == 40
    assert len({q["id"] for q in raw}) == len(raw)
    assert sum(q["lang"] == "en" for q in own) * 3 >= len(own)
    kinds = Counter(q["type"] for q in own)
    assert {"paraphrase", "question", "one-word", "act-status", "keyword"} <= set(kinds)
    names = corpus_names()
    for q in raw:
        assert q["lang"] in LANGS and q["type"] in TYPES, q["id"]
        assert q["relevant"], q["id"]
        for source, label, grade in q["relevant"]:
            assert source in names, (q["id"], source)
            assert grade in (1, 2, 3)
            assert label.startswith(("sektion:", "rubrik:")) or label[-1].isdigit()
    if SHARED_GOLD.exists():  # the layouts set's judgements first and unchanged, then zoo items
        shared = {q["id"]: q for q in json.loads(SHARED_GOLD.read_text("utf-8"))["queries"]}
        assert {q["id"] for q in gold} == set(shared)
        for q in gold:
            theirs = shared[q["id"]]["relevant"]
            assert q["q"] == shared[q["id"]]["q"] and q["relevant"][: len(theirs)] == theirs
            assert all(s.startswith("zoo") for s, _, _ in q["relevant"][len(theirs) :])


def test_the_blind_batch_is_the_reporting_halfs_own() -> None:
    """Written for the reporting half by a helper who saw none of the query-side code and data
    nor the other queries: the issue's mix of languages and types, no query text repeated."""
    raw = spec()["queries"]
    blind = [q for q in raw if q["origin"] == "blind"]
    assert len(blind) >= 36 and {q["split"] for q in blind} == {"report"}
    assert sum(q["lang"] == "en" for q in blind) * 3 >= len(blind)
    assert set(TYPES) == {q["type"] for q in blind}
    others = {q["q"].casefold() for q in raw if q["origin"] != "blind"}
    probes = {q["q"].casefold() for q in json.loads(PROBES.read_text("utf-8"))["queries"]}
    assert not {q["q"].casefold() for q in blind} & (others | probes)
    assert all(any(g == 3 for _, _, g in q["relevant"]) for q in blind)


def test_one_word_queries_are_one_word_and_paraphrases_avoid_the_titles_words() -> None:
    from index.analyze import analyze, analyze_query

    raw = spec()["queries"]
    for q in raw:
        if q["type"] == "one-word":
            assert len(q["q"].split()) == 1, q["id"]
    # a Swedish paraphrase shares no analysed word with the titles of its grade-3 items
    store_free_titles = {
        "sv-motesdagar": "Sammanträdesplan",
        "sv-halvarsbokslut": "Delårsrapport januari–augusti",
        "sv-medlemsrad": "Medlemmarnas medskick",
        "sv-personuppgifter": "Dataskyddsombud",
        "sv-fakturor": "Attestordning",
    }
    for qid, title in store_free_titles.items():
        (q,) = [x for x in raw if x["id"] == qid]
        assert q["type"] == "paraphrase"
        assert not set(analyze_query(q["q"])) & set(analyze(title)), qid
    # so does every tune-extra paraphrase (Swedish or English) with each of its grade-3 items'
    # titles (the slow corpus test checks the same against the built corpus)
    extra = {q["id"]: q for q in raw if q["origin"] == "tune-extra" and q["type"] == "paraphrase"}
    assert set(TUNE_EXTRA_TITLES) < set(extra)  # the tx3 batch: checked by the slow test
    for qid, titles in TUNE_EXTRA_TITLES.items():
        words = set(analyze_query(extra[qid]["q"]))
        for title in titles:
            assert not words & set(analyze(title)), (qid, title)


def test_the_stored_split_is_the_rule_and_balanced() -> None:
    queries = load_queries(QUERIES)
    assert all(q.split in ("tune", "report") for q in queries)
    assert {q.qid: q.split for q in queries} == assign_splits(queries)
    extra = [q for q in queries if q.origin == TUNE_EXTRA]
    assert len(extra) >= 77 and {q.split for q in extra} == {"tune"}
    blind = [q for q in queries if q.origin == BLIND]
    assert len(blind) >= 36 and {q.split for q in blind} == {"report"}
    # balanced without the queries written for one half
    stratified = [q for q in queries if q.origin not in (TUNE_EXTRA, BLIND)]
    strata = Counter((q.lang, q.kind, q.split) for q in stratified)
    for lang, kind in {(q.lang, q.kind) for q in stratified}:
        assert abs(strata[(lang, kind, "tune")] - strata[(lang, kind, "report")]) <= 1
    halves = Counter(q.split for q in stratified)
    assert abs(halves["tune"] - halves["report"]) <= 1
    for origin in ("own", "layouts-gold"):
        got = Counter(q["split"] for q in spec()["queries"] if q["origin"] == origin)
        assert got["tune"] >= 15 and got["report"] >= 15, origin
    tune = load_queries(QUERIES, "tune")
    assert tune and {q.split for q in tune} == {"tune"}


def test_assign_splits_is_deterministic_and_ignores_order() -> None:
    qs = [EvalQuery(f"q{i}", "x", (), lang="sv" if i % 3 else "en", kind="k") for i in range(21)]
    a = assign_splits(qs)
    assert a == assign_splits(list(reversed(qs)))
    by = Counter((q.lang, a[q.qid]) for q in qs)
    assert abs(by[("sv", "tune")] - by[("sv", "report")]) <= 1
    assert abs(by[("en", "tune")] - by[("en", "report")]) <= 1


def test_tune_extra_and_blind_queries_keep_their_half_and_move_no_other_query() -> None:
    qs = [EvalQuery(f"q{i}", "x", (), lang="sv", kind="k") for i in range(9)]
    extra = [EvalQuery(f"x{i}", "x", (), lang="sv", kind="k", origin=TUNE_EXTRA) for i in range(5)]
    blind = [EvalQuery(f"b{i}", "x", (), lang="sv", kind="k", origin=BLIND) for i in range(5)]
    before = assign_splits(qs)
    after = assign_splits(qs + extra + blind)
    assert {qid: after[qid] for qid in before} == before
    assert {after[q.qid] for q in extra} == {"tune"}
    assert {after[q.qid] for q in blind} == {"report"}


def test_split_of_an_unsplit_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not split"):
        load_queries(DEV, "tune")
    with pytest.raises(CorpusError, match="split must be"):
        load_queries(QUERIES, "train")
    bad = tmp_path / "q.json"
    bad.write_text('{"queries": [{"id": 1}]}', "utf-8")
    with pytest.raises(CorpusError, match="q.json"):
        load_queries(bad)


def ctx(source: str, number: int) -> ItemContext:
    item = Item(f"{source}{number}", f"§ {number}", number, "paragraf", f"t{number}", "")
    return ItemContext(item, "d", source, "protokoll", None, None, None)


def test_scores_by_hand() -> None:
    q = EvalQuery(
        "q", "x", (Judgement("a", "§ 1", 3), Judgement("b", "§ 2", 1)), lang="en", kind="k"
    )
    ranked = [ctx("c", 9), ctx("b", 2), ctx("a", 1)]
    s = query_score(q, ranked)
    dcg = 1 / math.log2(3) + 7 / math.log2(4)
    assert s.ndcg10 == pytest.approx(dcg / (7 + 1 / math.log2(3)))
    assert s.recall20 == 1.0 and s.rr == 0.5
    other = EvalQuery("r", "y", (Judgement("z", "§ 5", 3),), lang="sv", kind="k")
    run = score_run("hybrid", [q, other], [ranked, ranked])
    assert run.mrr == pytest.approx(0.25) and run.recall20 == pytest.approx(0.5)
    groups = {g.group: g for g in by_group(run, "lang")}
    assert groups["sv"].ndcg10 == 0.0 and groups["sv"].n == 1
    assert groups["en"].worst == pytest.approx(s.ndcg10)
    (k,) = by_group(run, "kind")
    assert k.n == 2 and k.worst == 0.0


class CountingEncoder:
    name, dim = "hash-8", 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        return np.ones((len(texts), self.dim), dtype=np.float32) / np.sqrt(self.dim)


def test_memo_encoder_embeds_each_text_once() -> None:
    inner = CountingEncoder()
    memo = MemoQueryEncoder(inner)
    a = memo.encode_queries(["x", "y", "x"])
    b = memo.encode_queries(["y"])
    assert inner.seen == ["x", "y"] and a.shape == (3, 8) and np.allclose(a[1], b[0])
    assert memo.encode_queries([]).shape == (0, 8)


def test_evaluator_runs_repeatedly_with_other_tunings(sample_settings: Settings) -> None:
    queries = load_queries(DEV)
    with Store.open(sample_settings.db, readonly=True) as store:
        searcher = open_searcher(store, sample_settings)
        ev = Evaluator(searcher, queries)
        first = ev.run(["lexical", "hybrid"])
        encoded = len(searcher.encoder._seen)
        dense_only = ev.run(["hybrid"], tuning=Tuning(lexical_weight=0.0))
        again = ev.run(["lexical", "hybrid"])
        assert len(searcher.encoder._seen) == encoded == len({q.text for q in queries})
        assert searcher.tuning == Tuning()  # restored after the run
    assert [s.ndcg10 for s in first] == [s.ndcg10 for s in again]
    assert len(first[0].queries) == len(queries)
    assert dense_only[0].per_query != first[1].per_query  # the tuning was used


def test_cli_eval_prints_groups_and_json(sample_settings: Settings, tmp_path: Path) -> None:
    env = {"FINSAM_DB": str(sample_settings.db), "FINSAM_MODEL": "hash"}
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", str(DEV)], env=env, catch_exceptions=False)
    assert result.exit_code == 0
    out = result.stdout
    assert "hybrid" in out and "per query:" in out and "interim-decision" in out
    tagged = tmp_path / "tagged.json"
    raw = json.loads(DEV.read_text("utf-8"))
    for i, q in enumerate(raw["queries"]):
        q.update(lang="en" if q["id"].endswith("-en") else "sv", type="keyword")
        q["split"] = "tune" if i % 2 else "report"
        q["origin"] = "blind" if i % 4 == 0 else "own"
    tagged.write_text(json.dumps(raw), "utf-8")
    args = ["eval", str(tagged), "--split", "report", "--mode", "lexical", "--json"]
    result = runner.invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    lexical = data["modes"]["lexical"]
    assert list(data["modes"]) == ["lexical"] and data["queries"] == 6
    assert {p["split"] for p in lexical["per_query"]} == {"report"}
    assert set(lexical["by_lang"]) <= {"sv", "en"} and set(lexical["by_type"]) == {"keyword"}
    # who wrote the queries: the report's groups and each query's row say
    by_origin = lexical["by_origin"]
    assert set(by_origin) == {"blind", "own"} and by_origin["blind"]["n"] == 3
    blind = [p for p in lexical["per_query"] if p["origin"] == "blind"]
    assert by_origin["blind"]["ndcg10"] == pytest.approx(sum(p["ndcg10"] for p in blind) / 3)
    text = runner.invoke(cli, ["eval", str(tagged), "--split", "tune"], env=env).stdout
    assert "per language:" in text and "per type:" in text and "per origin:" in text
    assert "per origin:" not in runner.invoke(cli, ["eval", str(DEV)], env=env).stdout
    bad = runner.invoke(cli, ["eval", str(DEV), "--split", "tune"], env=env)
    assert bad.exit_code == 1 and "not split" in bad.stderr and "Traceback" not in bad.stderr


def eval_script():  # type: ignore[no-untyped-def]
    spec_ = importlib.util.spec_from_file_location(
        "eval_search", ROOT / "scripts" / "eval_search.py"
    )
    assert spec_ and spec_.loader
    module = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(module)
    return module


def test_eval_script_scores_with_tuning_fields_set_otherwise() -> None:
    script = eval_script()
    assert script.tuning_of([]) == Tuning()
    t = script.tuning_of(["fusion=zscore", "alpha=0.7", "depth=50"])
    assert (t.fusion, t.alpha, t.depth) == ("zscore", 0.7, 50)
    assert isinstance(t.depth, int) and isinstance(t.alpha, float)
    for bad in ("colour=red", "alpha", "alpha=high"):
        with pytest.raises(SystemExit, match="--tuning"):
            script.tuning_of([bad])


@pytest.mark.slow
def test_eval_corpus_builds_once_and_every_judgement_names_an_item(tmp_path: Path) -> None:
    """The whole evaluation corpus (OCR of the scan included), with the hash encoder."""
    script = eval_script()
    db = tmp_path / "eval" / "finsam.db"
    script.build(db, "hash", spec()["corpus"], quiet=True)
    stamp = (db.parent / script.STAMP).read_text("utf-8")
    script.build(db, "hash", spec()["corpus"], quiet=True)  # cached: nothing re-ingested
    assert (db.parent / script.STAMP).read_text("utf-8") == stamp
    from index.evaluate import matches

    with Store.open(db, readonly=True) as store:
        contexts = store.item_contexts(store.item_ids())
        for q in load_queries(QUERIES) + load_queries(PROBES):  # the held-out probe set too
            for j in q.relevant:
                assert any(matches(c, j) for c in contexts), (q.qid, j)
        from index.analyze import analyze, analyze_query

        # A tune-extra or blind paraphrase shares no word of its own (stem or compound part)
        # with its answers' titles; the first two tune-extra batches not even through the
        # English glossary's translations ("auditors" → revisor), the tx3 and blind batches
        # were written to the probe set's rule, the query's own words.
        for q in load_queries(QUERIES):
            if q.origin in (TUNE_EXTRA, BLIND) and q.kind == "paraphrase":
                older = q.origin == TUNE_EXTRA and not q.qid.startswith("tx3-")
                words = set(analyze_query(q.text) if older else analyze(q.text))
                for c in contexts:
                    if any(j.grade == 3 and matches(c, j) for j in q.relevant):
                        assert not words & set(analyze(c.item.title)), (q.qid, c.item.title)
        settings = Settings(db=db, model="hash", cache_dir=tmp_path / "cache")
        scores = Evaluator(open_searcher(store, settings), load_queries(QUERIES, "tune")).run()
    assert [s.mode for s in scores] == ["lexical", "dense", "hybrid"]
    assert all(0.0 < s.ndcg10 <= 1.0 for s in scores)
