"""The precedents evaluation: scoring by hand, the draft set and its split, and the command
(scripts/eval_precedents.py) on the samples with the hash encoder."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections import Counter
from pathlib import Path

import pytest

from corpus.model import EvalQuery, Item, ItemContext, Judgement
from index.evaluate import load_queries
from index.precedents_eval import assign_draft_splits, mean, score_draft

ROOT = Path(__file__).resolve().parents[1]
DRAFTS = ROOT / "tests" / "data" / "precedents" / "drafts.json"


def ctx(source: str, number: int) -> ItemContext:
    item = Item(f"{source}{number}", f"§ {number}", number, "paragraf", f"t{number}", "")
    return ItemContext(item, "d", source, "protokoll", None, None, None)


def test_scores_by_hand_against_the_decided_pool() -> None:
    a, b, c, d = ctx("a", 1), ctx("b", 2), ctx("c", 3), ctx("d", 4)
    judged = (
        Judgement("a", "§ 1", 3),
        Judgement("b", "§ 2", 2),
        Judgement("c", "§ 3", 1),
        Judgement("x", "§ 9", 3),  # names no item of the pool (undecided): left out
    )
    q = EvalQuery("q", "utkast", judged, split="tune")
    s = score_draft(q, [d, b, a], pool=[a, b, c, d])
    dcg = 3 / math.log2(3) + 7 / math.log2(4)
    ideal = 7 + 3 / math.log2(3) + 1 / math.log2(4)
    assert s.ndcg10 == pytest.approx(dcg / ideal)
    assert s.recall10 == 1.0  # both items of grade >= 2 in the pool are in the first ten
    assert s.rr == 0.5 and s.p5 == pytest.approx(2 / 5)
    only_c = score_draft(q, [c, d], pool=[a, b, c, d])
    assert only_c.rr == 0.0 and only_c.recall10 == 0.0 and only_c.ndcg10 > 0  # grade 1 only
    m = mean([s, only_c], "tune", "tune")
    assert m.n == 2 and m.rr == pytest.approx(0.25) and m.p5 == pytest.approx(0.2)
    assert mean([], "report").n == 0


def test_recall_is_capped_at_ten() -> None:
    pool = [ctx("s", n) for n in range(1, 31)]
    q = EvalQuery("q", "utkast", tuple(Judgement("s", f"§ {n}", 3) for n in range(1, 31)))
    assert score_draft(q, pool[:10], pool).recall10 == 1.0
    assert score_draft(q, pool[:5], pool).recall10 == pytest.approx(0.5)


def test_the_draft_set_and_its_stored_split() -> None:
    raw = json.loads(DRAFTS.read_text("utf-8"))
    drafts = load_queries(DRAFTS)
    matter = {q["id"]: q["matter"] for q in raw["queries"]}
    assert len(drafts) == 24 and len(set(matter)) == 24
    search_eval = ROOT / "tests" / "data" / "search_eval" / "queries.json"
    assert raw["corpus"] == json.loads(search_eval.read_text("utf-8"))["corpus"]
    assert {q.split for q in drafts} == {"tune", "report"}
    assert assign_draft_splits(drafts, matter) == {q.qid: q.split for q in drafts}
    halves = Counter(q.split for q in drafts)
    assert halves["tune"] == halves["report"] == 12
    for m in set(matter.values()):  # each matter's drafts split as evenly as they can be
        count = Counter(q.split for q in drafts if matter[q.qid] == m)
        assert abs(count["tune"] - count["report"]) <= 1, m
    for q in drafts:
        assert q.relevant and any(j.grade == 3 for j in q.relevant), q.qid
        assert len({(j.source, j.label) for j in q.relevant}) == len(q.relevant), q.qid
        assert all(j.grade in (1, 2, 3) for j in q.relevant)


def test_split_ignores_the_order_of_the_drafts() -> None:
    qs = [EvalQuery(f"d{i}", "x", (), kind="k") for i in range(7)]
    matter = {q.qid: ("a" if i < 4 else "b") for i, q in enumerate(qs)}
    one = assign_draft_splits(qs, matter)
    assert one == assign_draft_splits(list(reversed(qs)), matter)
    assert Counter(one.values()) == {"tune": 4, "report": 3} or Counter(one.values()) == {
        "tune": 3,
        "report": 4,
    }
    assert Counter(one[q.qid] for q in qs[:4]) == {"tune": 2, "report": 2}


def test_the_choice_keeps_the_code_within_the_margin() -> None:
    script = eval_script()
    code = script.Variant("cosine", 300, 2)
    fused = script.Variant("fused", 300, 2)
    fused_one = script.Variant("fused", 300, 1)
    assert script.choose([(fused_one, 0.9), (code, 0.9 - script.MARGIN / 2)], code) == code
    tuned = [(fused_one, 0.9), (fused, 0.9 - script.MARGIN / 2), (code, 0.8)]
    assert script.choose(tuned, code) == fused  # the fewest changes within the margin
    assert script.choose([(fused_one, 0.9), (fused, 0.8), (code, 0.8)], code) == fused_one


def eval_script():  # type: ignore[no-untyped-def]
    spec_ = importlib.util.spec_from_file_location(
        "eval_precedents", ROOT / "scripts" / "eval_precedents.py"
    )
    assert spec_ and spec_.loader
    module = importlib.util.module_from_spec(spec_)
    sys.modules[spec_.name] = module  # its dataclass looks its module up
    spec_.loader.exec_module(module)
    return module


def test_the_command_scores_the_samples_with_the_hash_encoder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drafts = tmp_path / "drafts.json"
    source = "000_52e1473b84c5cf25.txt"
    queries = [
        {
            "id": "nns",
            "q": "Nationella nätverket för samordningsförbund föreslår höjd serviceavgift. "
            "Förslag till beslut: styrelsen ställer sig bakom NNS förslag.",
            "matter": "nns",
            "split": "tune",
            "relevant": [[source, "§ 57", 3]],
        },
        {
            "id": "tillagg",
            "q": "Samordningsteamet ansöker om tilläggsäskande för året. Förslag till beslut: "
            "att bevilja tilläggsäskandet.",
            "matter": "tillagg",
            "split": "report",
            "relevant": [[source, "§ 56", 3], [source, "§ 57", 1]],
        },
    ]
    drafts.write_text(json.dumps({"corpus": ["corpus/samples"], "queries": queries}), "utf-8")
    script = eval_script()
    db = tmp_path / "eval" / "finsam.db"
    common = ["--db", str(db), "--model", "hash", "--drafts", str(drafts)]
    script.main(["run", *common])
    out = capsys.readouterr().out
    assert f"PRECEDENTS: 2 drafts, {script.code_variant().name}" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert {"nns", "tillagg", "tune", "report", "all"} <= set(rows)
    assert float(rows["all"][2]) > 0  # the samples' own NNS and tilläggsäskande items found
    assert "judgements naming no item precedents may show: 0" in out
    script.main(["run", *common, "--split", "report", "--order", "cosine", "--query-words", "all"])
    out = capsys.readouterr().out
    assert "1 drafts, cosine words=all" in out and "nns" not in out
    with pytest.raises(SystemExit, match="--order"):
        script.main(["run", *common, "--order", "alphabetical"])
    script.main(["variants", *common])
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("PRECEDENT VARIANTS: 1 tune, 1 report")
    assert len(table) == 2 + len(script.variants()) + 1
    assert sum(line.endswith("<- code") for line in table) == 1
    assert table[-1].startswith("chosen on the tuning half: ")
