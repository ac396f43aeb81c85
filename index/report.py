"""Decision and comparison tables with citations (file, §, page), as rows, CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from corpus.model import STANCE_SV, CompareRow, DecisionRow

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
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(table)
    return buf.getvalue()


def to_xlsx(
    table: Sequence[dict[str, Any]], columns: Sequence[str], sheet: str = "Beslut"
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table:
        ws.append([row.get(c, "") for c in columns])
    for i, col in enumerate(columns, start=1):
        width = max([len(str(col))] + [len(str(r.get(col, ""))) for r in table[:200]])
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, max(10, width + 2))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


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
