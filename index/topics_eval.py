"""Precision and recall of `decisions` on a topics file (tests/data/topics.json format)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import CorpusError
from corpus.model import DecisionRow
from index.decisions import decisions_on_topic, precision_recall
from index.search import Searcher


@dataclass(frozen=True)
class TopicCase:
    tid: str
    topic: str
    expected: dict[tuple[str, int], tuple[str, tuple[float, ...]]]  # (source, n) -> stance, kr
    excluded: frozenset[tuple[str, int]]


@dataclass(frozen=True)
class TopicScore:
    tid: str
    topic: str
    precision: float
    recall: float
    stance_errors: tuple[str, ...]
    found: tuple[tuple[str, int], ...]


def load_topics(path: Path) -> list[TopicCase]:
    try:
        raw = json.loads(Path(path).read_text("utf-8"))["topics"]
    except (OSError, ValueError, KeyError) as e:
        raise CorpusError(f"{path}: not a topics file ({e})") from e
    by_id = {t["id"]: t for t in raw}
    cases = []
    for t in raw:
        base = by_id[t["same_as"]] if "same_as" in t else t
        expected = {
            (src, int(n)): (stance, tuple(float(a) for a in kr))
            for src, n, stance, kr in base["expected"]
        }
        excluded = frozenset((src, int(n)) for src, n in base.get("not", []))
        cases.append(TopicCase(t["id"], t["topic"], expected, excluded))
    return cases


def key(row: DecisionRow) -> tuple[str, int]:
    return row.context.source, row.context.item.number or -1


def score_topic(searcher: Searcher, case: TopicCase) -> TopicScore:
    rows = decisions_on_topic(searcher, case.topic)
    found = {key(r): r for r in rows}
    precision, recall = precision_recall(set(found), set(case.expected))
    errors = []
    for k, (stance, amounts) in case.expected.items():
        row = found.get(k)
        if row is None:
            continue
        if row.stance != stance:
            errors.append(f"{k[0]} {k[1]}: stance {row.stance} != {stance}")
        if amounts and tuple(row.amounts_kr) != amounts:
            errors.append(f"{k[0]} {k[1]}: amounts {row.amounts_kr} != {amounts}")
    return TopicScore(case.tid, case.topic, precision, recall, tuple(errors), tuple(sorted(found)))
