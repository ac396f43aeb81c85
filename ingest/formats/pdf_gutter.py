"""A PDF page set in two columns of running text: where its gutter lies (``find_gutter``,
also on a page that goes on in the columns of the page before) and its lines in reading order
around it (``column_parts``). Pure functions of a page's lines (``ingest.formats.pdf_rows``);
``ingest.formats.pdf`` reads a page's text and layout hints with them.
"""

from __future__ import annotations

import statistics

from ingest.formats.pdf_rows import Line

Gutter = tuple[float, float, float]  # x of the gutter, top and bottom of the columns


def find_gutter(lines: list[Line], before: float | None = None) -> Gutter | None:
    """(x of a gutter between two columns of running text, top of the columns, bottom of the
    columns), or None for an ordinary page.

    Two columns means: a vertical line crossed by no text line beside the right column (titles
    and a header set across the page above it may cross, a footer under it, and so may what
    reaches into the right column under that column's last line at its left edge: a table of
    signatures set across the page, whose highest line is the columns' bottom), with at least six lines on each side whose
    typical width is at least 30 % of the text width (so a column of short labels beside their
    values is not taken for a column of text). A page after a page in two columns (``before``:
    the left edge of that page's right column) goes on in the same columns when two lines
    stand on each side of a gutter just left of that edge: the last lines of a section in
    columns, balanced on its last page.
    """
    if not lines:
        return None
    left_edge = min(ln.x0 for ln in lines)
    right_edge = max(ln.x1 for ln in lines)
    span = right_edge - left_edge
    if span <= 0:
        return None
    if before is not None and (going_on := _columns_at(lines, before - 1.0, 2, 0.0)) is not None:
        return going_on
    if len(lines) < 12:
        return None
    found = [
        (sum(ln.x0 < gx < ln.x1 for ln in lines), gutter)
        for gx in sorted({ln.x1 + 1.0 for ln in lines})
        if left_edge + 0.3 * span <= gx <= left_edge + 0.7 * span
        and (gutter := _columns_at(lines, gx, 6, 0.3 * span)) is not None
    ]  # of the gutters, the one fewest lines cross (a long line may end right of a narrow one)
    return min(found, key=lambda f: f[0])[1] if found else None


def right_edge(lines: list[Line], gx: float) -> float:
    """The left edge of the right column of two beside a gutter at ``gx``: where most of its
    lines start."""
    return float(statistics.mode(round(ln.x0) for ln in lines if ln.x0 >= gx))


def _columns_at(lines: list[Line], gx: float, least: int, width: float) -> Gutter | None:
    """(gutter, top, bottom) of two columns of running text beside a gutter at ``gx``, with
    at least ``least`` lines on each side of a typical width of at least ``width`` points;
    None when something crosses the gutter between them (see ``find_gutter``)."""
    right = [ln for ln in lines if ln.x0 >= gx]
    if len(right) < least:
        return None
    edge = right_edge(lines, gx)
    top = max(ln.y1 for ln in right)
    last = min(ln.y0 for ln in right if abs(ln.x0 - edge) <= 2)
    floor = min(ln.y0 for ln in right)
    crossing = [ln for ln in lines if ln.x0 < gx < ln.x1 and ln.y0 < top - 1]
    if not all(ln.y1 <= floor + 1 or (ln.y1 <= last + 1 and ln.x1 >= edge) for ln in crossing):
        return None  # only what is set across the page under the columns may cross
    bottom = max((ln.y1 for ln in crossing), default=float("-inf"))
    left = [ln for ln in lines if ln.x1 <= gx and ln.y0 > bottom - 1]
    right = [ln for ln in right if ln.y0 > bottom - 1]
    if len(left) < least or len(right) < least:
        return None
    if min(statistics.median(ln.width for ln in side) for side in (left, right)) < width:
        return None
    return gx, top, bottom


def column_parts(lines: list[Line], gutter: Gutter) -> list[list[Line]]:
    """The lines of a page in two columns in reading order: what is set across the page above
    the columns, the left column, the right one, and what is set across under them."""
    gx, top, bottom = gutter
    above = [ln for ln in lines if ln.y0 >= top - 1]  # the page's head, set across or not
    rest = [ln for ln in lines if bottom - 1 < ln.y0 < top - 1]
    below = [ln for ln in lines if ln.y0 <= bottom - 1]  # set across under the columns
    left = [ln for ln in rest if ln.x1 <= gx]
    right = [ln for ln in rest if ln.x0 >= gx]
    return [above, left, right, below]
