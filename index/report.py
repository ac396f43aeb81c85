"""Decision and comparison tables with citations (file, §, page), as rows, CSV or XLSX."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corpus.model import (
    ACT_SV,
    COMPARE_DECIDED,
    COMPARE_DECIDED_OTHERWISE,
    COMPARE_STATUS_SHORT_SV,
    PROCEDURE_SV,
    STANCE_SV,
    STATUS_SV,
    CompareRow,
    DecisionRow,
    ItemContext,
    Precedent,
)

DECISION_COLUMNS = (
    "forbund",
    "meeting_date",
    "label",
    "title",
    "status",
    "status_sv",
    "act",
    "act_sv",
    "stance",
    "stance_sv",
    "amounts_kr",
    "rates",
    "amounts_in_item",
    "procedures_sv",
    "conditions",
    "decisions",
    "source",
    "pages",
    "doc_kind",
    "evidence",
)
COMPARE_COLUMNS = (
    "forbund",
    "status",
    "coverage",
    "meeting_date",
    "label",
    "act",
    "act_sv",
    "stance",
    "stance_sv",
    "amounts_kr",
    "rates",
    "amounts_in_item",
    "procedures_sv",
    "conditions",
    "clause",
    "source",
    "doc_kind",
    "pages",
    "n_decisions",
)
# The comparison columns shown to a person (terminal table and app): Swedish labels, no codes.
SHOWN_COMPARE_COLUMNS = tuple(c for c in COMPARE_COLUMNS if c not in ("status", "act", "stance"))


DECIDED_STATUSES = (COMPARE_DECIDED, COMPARE_DECIDED_OTHERWISE)


def _procedures_sv(codes: Sequence[str]) -> str:
    return "; ".join(PROCEDURE_SV[c] for c in codes)


def _kr(values: Sequence[float]) -> str:
    return "; ".join(f"{v:,.0f}".replace(",", " ") + " kr" for v in values)


def item_fields(ctx: ItemContext) -> dict[str, Any]:
    """Where an item stands and what it is called: the first fields of every JSON record of
    an item (search results, decisions)."""
    return {
        "source": ctx.source,
        "forbund": ctx.forbund,
        "meeting_date": ctx.meeting_date,
        "doc_kind": ctx.doc_kind,
        "label": ctx.item.label,
        "number": ctx.item.number,
        "title": ctx.item.title,
    }


def decision_record(row: DecisionRow) -> dict[str, Any]:
    """The JSON shape of one decision (`finsam decisions --json`)."""
    return item_fields(row.context) | {
        "decisions": list(row.clauses),
        "status": row.status,
        "act": row.act,
        "stance": row.stance,
        "proposed_act": row.proposed_act,
        "proposed_stance": row.proposed_stance,
        "amounts_kr": list(row.amounts_kr),
        "rates": list(row.rates),
        "amounts_in_item": list(row.amounts_in_item),
        "procedures": list(row.procedures),
        "conditions": list(row.conditions),
        "pages": list(row.context.item.pages),
        "evidence": list(row.evidence),
    }


def decision_table(rows: Sequence[DecisionRow]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        rec = decision_record(row)
        out.append(
            {
                "forbund": rec["forbund"] or "okänt förbund",
                "meeting_date": rec["meeting_date"] or "odaterat",
                "label": rec["label"],
                "title": rec["title"],
                "status": row.status,
                "status_sv": STATUS_SV.get(row.status, row.status),
                "act": row.act or "",
                "act_sv": ACT_SV.get(row.act or "", ""),
                "stance": rec["stance"] or "",
                "stance_sv": STANCE_SV.get(rec["stance"] or "", ""),
                "amounts_kr": _kr(row.amounts_kr),
                "rates": "; ".join(row.rates),
                "amounts_in_item": "; ".join(row.amounts_in_item),
                "procedures_sv": _procedures_sv(row.procedures),
                "conditions": " | ".join(row.conditions),
                "decisions": " | ".join(row.clauses),
                "source": rec["source"],
                "pages": ", ".join(str(p) for p in rec["pages"]),
                "doc_kind": rec["doc_kind"],
                "evidence": ", ".join(row.evidence),
            }
        )
    return out


def compare_record(cmp: CompareRow) -> dict[str, Any]:
    """The JSON shape of one förbund's row (`finsam compare --json`)."""
    row = cmp.primary
    c = row.context if row else None
    return {
        "forbund": cmp.forbund,
        "status": cmp.status,
        "coverage": cmp.coverage,
        "member": cmp.member,
        "stance": row.stance if row else None,
        "act": row.act if row else None,
        "proposed_act": row.proposed_act if row else None,
        "proposed_stance": row.proposed_stance if row else None,
        "meeting_date": c.meeting_date if c else None,
        "label": c.item.label if c else None,
        "title": c.item.title if c else None,
        "amounts_kr": list(row.amounts_kr) if row else [],
        "rates": list(row.rates) if row else [],
        "amounts_in_item": list(row.amounts_in_item) if row else [],
        "procedures": list(row.procedures) if row else [],
        "conditions": list(row.conditions) if row else [],
        "clause": list(row.clauses) if row else [],
        "source": c.source if c else None,
        "doc_kind": c.doc_kind if c else None,
        "pages": list(c.item.pages) if c else [],
        "n_decisions": len(cmp.rows) if cmp.status in DECIDED_STATUSES else 0,
        "documents_in_period": cmp.documents_in_period,
        "meetings": list(cmp.meetings),
        "period": cmp.period,
        "other_rows": [decision_record(r) for r in cmp.rows if r is not row],
    }


def compare_table(rows: Sequence[CompareRow]) -> list[dict[str, Any]]:
    """One flat row per förbund (its latest decision or agenda point, or its gap)."""
    out = []
    for cmp in rows:
        rec = compare_record(cmp)
        out.append(
            {
                "forbund": cmp.forbund,
                "status": cmp.status,
                "coverage": cmp.coverage,
                "meeting_date": rec["meeting_date"] or ("odaterat" if cmp.primary else ""),
                "label": rec["label"] or "",
                "act": rec["act"] or "",
                "act_sv": ACT_SV.get(rec["act"] or "", ""),
                "stance": rec["stance"] or "",
                "stance_sv": STANCE_SV.get(rec["stance"] or "", ""),
                "amounts_kr": _kr(rec["amounts_kr"]),
                "rates": "; ".join(rec["rates"]),
                "amounts_in_item": "; ".join(rec["amounts_in_item"]),
                "procedures_sv": _procedures_sv(rec["procedures"]),
                "conditions": " | ".join(rec["conditions"]),
                "clause": " | ".join(rec["clause"]),
                "source": rec["source"] or "",
                "doc_kind": rec["doc_kind"] or "",
                "pages": ", ".join(str(p) for p in rec["pages"]),
                "n_decisions": rec["n_decisions"],
            }
        )
    return out


def to_csv(table: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """CSV for a spreadsheet (corpus.export: BOM, `;`, Swedish headers, no formulas)."""
    from corpus.export import table_csv

    return table_csv(table, columns)


def to_xlsx(
    table: Sequence[dict[str, Any]], columns: Sequence[str], sheet: str = "Beslut"
) -> bytes:
    """XLSX with Swedish headers whose text cells are never formulas (corpus.export)."""
    from corpus.export import table_xlsx

    return table_xlsx(table, columns, sheet)


def compare_summary(counts: dict[str, int]) -> str:
    """The metrics line above a comparison: how many förbund have each status (another
    decision than the one asked for only when there is one)."""
    return " · ".join(
        f"{COMPARE_STATUS_SHORT_SV[s]}: {n}"
        for s, n in counts.items()
        if n or s != COMPARE_DECIDED_OTHERWISE
    )


def precedents_text(found: Sequence[Precedent]) -> str:
    if not found:
        return "Inga liknande ärenden hittades."
    lines = []
    for i, p in enumerate(found, 1):
        c, it = p.row.context, p.row.context.item
        lines.append(
            f"{i}. {c.forbund or 'okänt förbund'} {c.meeting_date or 'odaterat'} "
            f"{it.label} {it.title}  [likhet {p.similarity:.2f}]"
        )
        lines.append(
            f"   {c.source}, sida {','.join(map(str, it.pages)) or '?'}; "
            f"{ACT_SV.get(p.row.act or '', 'inget beslut')}"
            + (f", {STANCE_SV[p.row.stance]}" if p.row.stance in STANCE_SV else "")
        )
        lines += [f"   Beslut: {clause}" for clause in p.row.clauses]
    return "\n".join(lines)
