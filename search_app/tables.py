"""Tables for the terminal: Swedish headers, at most 100 characters wide.

Short facts stand in fixed-width columns; the long texts (rubrik, beslut, källa) follow on
indented lines below each row, wrapped rather than cut, so nothing is lost to the width.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from corpus.export import header, person_text

WIDTH = 100
INDENT = "    "


def _cut(value: Any, width: int) -> str:
    text = " ".join(str(person_text(value)).split())
    return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)


def format_table(
    table: Sequence[Mapping[str, Any]],
    columns: Mapping[str, int],
    details: Sequence[str] = (),
) -> str:
    """Rows as a text table: `columns` (key -> width) side by side, `details` each on its own
    wrapped line below the row. The widths must fit WIDTH."""
    line_width = sum(columns.values()) + 2 * (len(columns) - 1)
    if line_width > WIDTH:
        raise ValueError(f"the columns take {line_width} characters, more than {WIDTH}")
    head = "  ".join(_cut(header(c), w) for c, w in columns.items()).rstrip()
    lines = [head, "-" * line_width]
    for row in table:
        lines.append("  ".join(_cut(row.get(c, ""), w) for c, w in columns.items()).rstrip())
        for key in details:
            text = " ".join(str(person_text(row.get(key, ""))).split())
            if text:
                lines += textwrap.wrap(
                    f"{header(key)}: {text}",
                    WIDTH,
                    initial_indent=INDENT,
                    subsequent_indent=INDENT + "  ",
                    break_on_hyphens=False,
                )
    return "\n".join(lines)


def _source(row: Mapping[str, Any]) -> str:
    pages = row.get("pages") or ""
    return f"{row.get('source', '')}" + (f", s. {pages}" if pages else "")


def decisions_text(table: Sequence[Mapping[str, Any]]) -> str:
    """The `finsam decisions` table (rows of index.report.decision_table)."""
    if not table:
        return "Inga beslut hittades."
    decided = [dict(r) | {"source": _source(r)} for r in table if r.get("status") == "decided"]
    other = [dict(r) | {"source": _source(r)} for r in table if r.get("status") != "decided"]
    columns = {"forbund": 34, "meeting_date": 10, "label": 10, "act_sv": 16, "stance_sv": 14}
    details = ("title", "decisions", "amounts_kr", "rates", "procedures_sv", "conditions", "source")
    text = format_table(decided, columns, details) if decided else "Inga beslut hittades."
    text += f"\n\n{len(decided)} beslut."
    if other:  # a proposal or an agenda point is never a decision: listed apart
        agenda = {"forbund": 34, "meeting_date": 10, "label": 10, "status_sv": 32}
        text += f"\n\nPå dagordningen eller föreslaget, inte beslutat ({len(other)}):\n"
        text += format_table(other, agenda, details)
    return text


def compare_text(table: Sequence[Mapping[str, Any]]) -> str:
    """The `finsam compare` table (rows of index.report.compare_table): a förbund without a
    decision says why on its own line."""
    rows = [
        dict(r)
        | {
            "source": _source(r) if r.get("source") else "",
            "coverage": "" if r.get("status") == "decided" else r.get("coverage", ""),
        }
        for r in table
    ]
    columns = {"forbund": 34, "meeting_date": 10, "label": 10, "act_sv": 16, "stance_sv": 14}
    details = (
        "coverage",
        "amounts_kr",
        "rates",
        "procedures_sv",
        "conditions",
        "clause",
        "source",
    )
    return format_table(rows, columns, details)
