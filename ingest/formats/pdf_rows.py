"""Text lines of a PDF page (``Line``) and their rows: the pieces of one row joined left to
right, a gap of more than about one blank line kept as an empty line. Pure."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    """One text line found on a page (PDF coordinates: y grows upwards)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float = 0.0  # font size of the line's first character (points)
    bold: bool = False

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 0.1)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def rows_of(lines: Iterable[Line]) -> list[list[Line]]:
    """Group lines sharing a baseline band into rows, top to bottom, each sorted left to right."""
    rows: list[list[Line]] = []
    top = bottom = 0.0
    for line in sorted(lines, key=lambda ln: (-ln.y1, ln.x0)):
        centre = (line.y0 + line.y1) / 2
        if rows and bottom <= centre <= top:
            rows[-1].append(line)
            continue
        rows.append([line])
        top, bottom = line.y1, line.y0
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
    return rows


def render_rows(lines: Iterable[Line]) -> list[str]:
    """Rows as text lines; a gap of more than ~one blank line between rows gives an empty line."""
    rows = rows_of(lines)
    if not rows:
        return []
    typical = statistics.median(max(ln.height for ln in row) for row in rows)
    out: list[str] = []
    prev_bottom: float | None = None
    for row in rows:
        row_top = max(ln.y1 for ln in row)
        if prev_bottom is not None and prev_bottom - row_top > 0.8 * typical:
            out.append("")
        out.append(" ".join(ln.text for ln in row))
        prev_bottom = min(ln.y0 for ln in row)
    return out
