"""Decision and comparison tables with citations (file, §, page), as rows, CSV or XLSX."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corpus.model import STANCE_SV, CompareRow, DecisionRow, Precedent

DECISION_COLUMNS = (
    "forbund",
    "meeting_date",
    "label",
    "title",
    "stance",
    "stance_sv",
    "amounts_kr",
    "rates",
    "decisions",
    "source",
    "pages",
    "doc_kind",
    "evidence",
)
COMPARE_COLUMNS = (
    "forbund",
    "coverage",
    "meeting_date",
    "label",
    "stance",
    "stance_sv",
    "amounts_kr",
    "rates",
    "clause",
    "source",
    "pages",
)
# The comparison columns shown to a person (terminal table and app): the stance in Swedish only.
SHOWN_COMPARE_COLUMNS = tuple(c for c in COMPARE_COLUMNS if c != "stance")


def _kr(values: Sequence[float]) -> str:
    return "; ".join(f"{v:,.0f}".replace(",", " ") + " kr" for v in values)


def decision_record(row: DecisionRow) -> dict[str, Any]:
    """The JSON shape of one decision (`finsam decisions --json`)."""
    c, it = row.context, row.context.item
    return {
        "source": c.source,
        "forbund": c.forbund,
        "meeting_date": c.meeting_date,
        "doc_kind": c.doc_kind,
        "label": it.label,
        "number": it.number,
        "title": it.title,
        "decisions": list(row.clauses),
        "stance": row.stance,
        "amounts_kr": list(row.amounts_kr),
        "rates": list(row.rates),
        "pages": list(it.pages),
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
                "stance": rec["stance"] or "",
                "stance_sv": STANCE_SV.get(rec["stance"] or "", ""),
                "amounts_kr": _kr(row.amounts_kr),
                "rates": "; ".join(row.rates),
                "decisions": " | ".join(row.clauses),
                "source": rec["source"],
                "pages": ", ".join(str(p) for p in rec["pages"]),
                "doc_kind": rec["doc_kind"],
                "evidence": ", ".join(row.evidence),
            }
        )
    return out


def compare_table(rows: Sequence[CompareRow]) -> list[dict[str, Any]]:
    out = []
    for cmp in rows:
        if not cmp.rows:
            out.append(
                {k: "" for k in COMPARE_COLUMNS}
                | {"forbund": cmp.forbund, "coverage": cmp.coverage}
            )
        for row in cmp.rows:
            c, it = row.context, row.context.item
            out.append(
                {
                    "forbund": cmp.forbund,
                    "coverage": cmp.coverage,
                    "meeting_date": c.meeting_date or "odaterat",
                    "label": it.label,
                    "stance": row.stance or "",
                    "stance_sv": STANCE_SV.get(row.stance or "", ""),
                    "amounts_kr": _kr(row.amounts_kr),
                    "rates": "; ".join(row.rates),
                    "clause": " | ".join(row.clauses),
                    "source": c.source,
                    "pages": ", ".join(str(p) for p in it.pages),
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


def format_table(
    table: Sequence[dict[str, Any]], columns: Sequence[str], widths: dict[str, int]
) -> str:
    """A fixed-width text table for the terminal."""

    def cut(v: Any, w: int) -> str:
        s = str(v)
        return (s[: w - 1] + "…") if len(s) > w else s.ljust(w)

    head = "  ".join(cut(c, widths.get(c, 12)) for c in columns)
    lines = [head, "-" * len(head)]
    for row in table:
        lines.append("  ".join(cut(row.get(c, ""), widths.get(c, 12)) for c in columns))
    return "\n".join(lines)


def decisions_text(rows: Sequence[DecisionRow]) -> str:
    if not rows:
        return "Inga beslut hittades."
    cols = [c for c in DECISION_COLUMNS if c not in ("stance", "doc_kind", "evidence")]
    widths = {
        "forbund": 30,
        "meeting_date": 10,
        "label": 9,
        "title": 36,
        "stance_sv": 16,
        "amounts_kr": 14,
        "rates": 12,
        "decisions": 60,
        "source": 26,
        "pages": 6,
    }
    return format_table(decision_table(rows), cols, widths) + f"\n\n{len(rows)} beslut."


def compare_text(table: Sequence[dict[str, Any]]) -> str:
    cols = [c for c in SHOWN_COMPARE_COLUMNS if c != "pages"]
    widths = {
        "forbund": 34,
        "coverage": 30,
        "meeting_date": 10,
        "label": 9,
        "stance_sv": 16,
        "amounts_kr": 14,
        "rates": 12,
        "clause": 50,
        "source": 26,
    }
    return format_table(table, cols, widths)


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
            f"{STANCE_SV.get(p.row.stance or '', 'ingen ställning')}"
        )
        lines += [f"   Beslut: {clause}" for clause in p.row.clauses]
    return "\n".join(lines)
