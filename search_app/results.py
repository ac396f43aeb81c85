"""The result set of a search as the Sök page works with it: facet counts, the stance filter,
sorting by date, and the rows of an export. Pure functions on the library's records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from corpus.export import citation
from corpus.model import STANCE_SV, Hit, ItemContext, ItemFacts

NO_STANCE = "utan"  # the stance facet's value for items without decision clauses
FACETS = ("forbund", "year", "kind", "stance")
EXPORT_COLUMNS = (
    "rank",
    "citation",
    "forbund",
    "meeting_date",
    "doc_kind",
    "label",
    "title",
    "stance_sv",
    "decisions",
    "source",
    "pages",
    "link",
)


def facet_values(f: ItemFacts) -> dict[str, list[str]]:
    """The facet values of one item (an item with several stances counts under each)."""
    return {
        "forbund": [f.forbund or "okänt förbund"],
        "year": [f.meeting_date[:4] if f.meeting_date else "odaterat"],
        "kind": [f.doc_kind],
        "stance": list(f.stances) or [NO_STANCE],
    }


def facet_counts(facts: Sequence[ItemFacts]) -> dict[str, list[tuple[str, int]]]:
    """Per facet, (value, number of items), the most frequent first (years newest first)."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for f in facts:
        for name, values in facet_values(f).items():
            counts[name].update(values)
    out = {name: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for name, c in counts.items()}
    out["year"] = sorted(counts["year"].items(), key=lambda kv: kv[0], reverse=True)
    return out


def with_stance(hits: Sequence[Hit], facts: dict[str, ItemFacts], stance: str) -> list[Hit]:
    """The hits whose items have a decision clause of this stance (NO_STANCE: none)."""
    return [
        h for h in hits if h.item_id in facts and stance in facet_values(facts[h.item_id])["stance"]
    ]


def newest_first(hits: Sequence[Hit], facts: dict[str, ItemFacts]) -> list[Hit]:
    """Hits by meeting date, newest first; undated last; ties keep their relevance order."""
    dated = [h for h in hits if h.item_id in facts and facts[h.item_id].meeting_date]
    when = {h.item_id for h in dated}
    undated = [h for h in hits if h.item_id not in when]
    dated.sort(key=lambda h: facts[h.item_id].meeting_date or "", reverse=True)
    return dated + undated


def export_rows(
    contexts: Sequence[ItemContext], link: Callable[[ItemContext], str]
) -> list[dict[str, Any]]:
    """One row per result, in the order shown, with a citation and a permalink."""
    rows = []
    for rank, ctx in enumerate(contexts, start=1):
        it = ctx.item
        stances = dict.fromkeys(d.stance for d in it.records if d.stance)
        rows.append(
            {
                "rank": rank,
                "citation": citation(ctx),
                "forbund": ctx.forbund or "",
                "meeting_date": ctx.meeting_date or "",
                "doc_kind": ctx.doc_kind,
                "label": it.label,
                "title": it.title,
                "stance_sv": "; ".join(STANCE_SV.get(s, s) for s in stances),
                "decisions": list(it.decisions),
                "source": ctx.source,
                "pages": list(it.pages),
                "link": link(ctx),
            }
        )
    return rows
