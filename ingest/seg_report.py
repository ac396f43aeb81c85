"""Presentation of segmentation scores (`finsam eval-segmentation`): a table and JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corpus.model import SegScore


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _cells(s: SegScore) -> list[str]:
    return [
        f"{s.items_tp}/{s.items_tp + s.items_fn} {_rate(s.item_f1)}",
        f"{s.titles_right}/{s.titles_total} {_rate(s.title_accuracy)}",
        f"{s.clauses_tp}/{s.clauses_tp + s.clauses_fn} {_rate(s.clause_f1)}",
        f"{s.proposals_right}/{s.proposals_total}" if s.proposals_total else "–",
        f"{s.meta_right}/{s.meta_total} {_rate(s.metadata_accuracy)}",
        str(s.items_fp),
    ]


HEAD = ["items F1", "titles", "clauses F1", "proposals", "metadata", "stray"]


def report_text(scores: Sequence[SegScore], overall: SegScore, *, details: bool = True) -> str:
    """The per-document table, the overall line, missing documents, then every difference."""
    present = [s for s in scores if s.missing is None]
    width = max([len(s.source) for s in scores] + [len("document")])
    rows = [["document", *HEAD]] + [[s.source, *_cells(s)] for s in present]
    rows.append([f"overall ({len(present)} documents)", *_cells(overall)])
    widths = [max(width, len(rows[-1][0]))] + [
        max(len(r[i]) for r in rows) for i in range(1, len(HEAD) + 1)
    ]
    lines = []
    for n, r in enumerate(rows):
        if n == len(rows) - 1:
            lines.append("-" * (sum(widths) + 2 * len(HEAD)))
        lines.append(
            "  ".join(
                [r[0].ljust(widths[0])]
                + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
            ).rstrip()
        )
    lines.append(
        "items: matched/gold F1 · titles: right/gold items · clauses: matched/gold F1 · "
        "metadata: kind, förbund, date, chair, secretary · stray: items not in the gold"
    )
    for s in scores:
        if s.missing is not None:
            lines.append(f"NOT EVALUATED  {s.source}: {s.missing}")
    if details:
        for s in present:
            if s.differences or s.stray:
                lines.append("")
                lines.append(f"{s.source}:")
                lines += [f"  {d}" for d in s.differences]
                lines += [f"  stray: {x}" for x in s.stray]
    return "\n".join(lines)


def _json(s: SegScore) -> dict[str, Any]:
    out: dict[str, Any] = {
        "source": s.source,
        "item_f1": s.item_f1,
        "title_accuracy": s.title_accuracy,
        "clause_f1": s.clause_f1,
        "proposal_accuracy": s.proposal_accuracy,
        "metadata_accuracy": s.metadata_accuracy,
        "stray_items": s.items_fp,
        "counts": {
            "items": {"matched": s.items_tp, "stray": s.items_fp, "missed": s.items_fn},
            "titles": {"right": s.titles_right, "gold": s.titles_total},
            "clauses": {"matched": s.clauses_tp, "extra": s.clauses_fp, "missed": s.clauses_fn},
            "proposals": {"right": s.proposals_right, "gold": s.proposals_total},
            "metadata": {"right": s.meta_right, "gold": s.meta_total},
        },
        "stray": list(s.stray),
    }
    if s.source != "overall":
        out["metadata"] = {f: {"gold": want, "found": got} for f, want, got in s.meta}
        out["differences"] = list(s.differences)
    return out


def report_json(gold: str, scores: Sequence[SegScore], overall: SegScore) -> dict[str, Any]:
    return {
        "gold": gold,
        "documents": [_json(s) for s in scores if s.missing is None],
        "not_evaluated": [{"source": s.source, "reason": s.missing} for s in scores if s.missing],
        "overall": _json(overall),
    }
