"""The decision clauses of an item's lines given as text, as the act and clause tests read them
(``ingest.clauses.decisions`` with the heading-less fallback, every line on page 1)."""

from __future__ import annotations

from ingest.clauses import decisions
from ingest.lines import Line


def clauses_of(*texts: str) -> list[str]:
    return decisions([Line(t, 1, 1) for t in texts], fallback=True)
