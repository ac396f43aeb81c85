"""Precision and recall of `finsam decisions` on a topics file (tests/data/topics.json).

A topics file lists, per topic, the complete set of decided items on it in the corpus it was
written for, each as [source file, item label, expected act or stance], and items that must
not be listed ("not"). A listed item counts as correct only with the expected code as its act
or its stance; anything else listed is a false inclusion. Agenda points and proposals are
never decisions, so they never count as found.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from corpus.errors import CorpusError
from corpus.model import DECIDED, DecisionRow
from index.decisions import TopicRule, decisions_on_topic
from index.search import Searcher

Key = tuple[str, str]  # (source file, item label in lower case: "§ 57", "ärende 5")


def _key(source: str, label: str) -> Key:
    return source, " ".join(label.lower().split())


@dataclass(frozen=True)
class TopicCase:
    tid: str
    topic: str
    expected: dict[Key, str]  # -> expected act or stance
    excluded: frozenset[Key]


@dataclass(frozen=True)
class TopicScore:
    tid: str
    topic: str
    precision: float
    recall: float
    errors: tuple[str, ...]  # missed, wrong code, false inclusions
    found: tuple[Key, ...]

    @property
    def stance_errors(self) -> tuple[str, ...]:
        return tuple(e for e in self.errors if " is " in e)


def load_topics(path: Path) -> list[TopicCase]:
    try:
        raw = json.loads(Path(path).read_text("utf-8"))["topics"]
        by_id = {t["id"]: t for t in raw}
        cases = []
        for t in raw:
            base = by_id[t["same_as"]] if "same_as" in t else t
            expected = {_key(src, label): code for src, label, code in base["expected"]}
            excluded = frozenset(_key(src, label) for src, label in base.get("not", []))
            cases.append(TopicCase(t["id"], t["topic"], expected, excluded))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise CorpusError(f"{path}: not a topics file ({e})") from e
    return cases


def key(row: DecisionRow) -> Key:
    return _key(row.context.source, row.context.item.label)


def score_topic(searcher: Searcher, case: TopicCase, rule: TopicRule | None = None) -> TopicScore:
    rows = [r for r in decisions_on_topic(searcher, case.topic, rule=rule) if r.status == DECIDED]
    found = {key(r): r for r in rows}
    correct = 0
    errors = []
    for k, code in case.expected.items():
        row = found.get(k)
        if row is None:
            errors.append(f"missed {k[0]} {k[1]}")
        elif code in (row.act, row.stance):
            correct += 1
        else:
            errors.append(f"{k[0]} {k[1]} is {row.act}/{row.stance}, expected {code}")
    errors += [f"wrongly listed {k[0]} {k[1]}" for k in found if k not in case.expected]
    precision = correct / len(found) if found else (1.0 if not case.expected else 0.0)
    recall = correct / len(case.expected) if case.expected else 1.0
    return TopicScore(case.tid, case.topic, precision, recall, tuple(errors), tuple(sorted(found)))


def score_all(
    searcher: Searcher, cases: Sequence[TopicCase], rule: TopicRule | None = None
) -> list[TopicScore]:
    return [score_topic(searcher, c, rule) for c in cases]


def sweep(
    searcher: Searcher, cases: Sequence[TopicCase], values: Sequence[float]
) -> list[tuple[float, float, float, int]]:
    """(dense_min, mean precision, mean recall, topics below 0.95) per threshold tried."""
    out = []
    for value in values:
        scores = score_all(searcher, cases, replace(TopicRule(), dense_min=value))
        n = len(scores) or 1
        p = sum(s.precision for s in scores) / n
        r = sum(s.recall for s in scores) / n
        below = sum(1 for s in scores if s.precision < 0.95 or s.recall < 0.95)
        out.append((value, p, r, below))
    return out
