"""Attendance tables: the participant lists a file states as table rows (layout hints).

Word documents and minute systems set the attendance as tables: a row of column names
("Namn | Organisation | Roll") over one row per person, a role label in the first cell of a row
("Beslutande | Anna-Karin Lindmark (S) | Skellefteå kommun | ordförande"), the role in a column
("Ordförande | Linnea Ekstrand | Arboga kommun"), or one list per column ("Ledamöter |
Ersättare"). Cleaning joins a row's cells into one line; the cells say where one field ends.
Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.lines import norm_space
from ingest.vocab import ATTENDANCE_COLUMNS

_COLUMN = {name.casefold(): kind for kind, names in ATTENDANCE_COLUMNS.items() for name in names}
MAX_LEFTOVER_WORDS = 3  # a wrapped cell's last words, set after the row by the converter


def column_kinds(cells: Sequence[str]) -> tuple[str, ...] | None:
    """What each column holds ("name", "organisation", "role", "note") when ``cells`` is a row
    of column names that names the person; else None."""
    kinds = [_COLUMN.get(norm_space(c).rstrip(":").casefold()) for c in cells]
    if len(kinds) < 2 or "name" not in kinds or not all(kinds):
        return None
    return tuple(k for k in kinds if k)


class Rows:
    """The table rows of a document, found by the line cleaning joined their cells into; each
    row is taken once, in order."""

    def __init__(self, rows: Sequence[Sequence[str]]) -> None:
        self._rows = [
            (norm_space(" ".join(cells)), tuple(norm_space(c) for c in cells))
            for cells in rows
            if len(cells) >= 2
        ]
        self._used: set[int] = set()

    def cells(self, text: str) -> tuple[tuple[str, ...], str] | None:
        """The cells of the row ``text`` was joined from, and what the line has after them: the
        last words of a wrapped cell that the converter set after the row ("" when none)."""
        key = norm_space(text)
        for exact in (True, False):
            for i, (joined, cells) in enumerate(self._rows):
                if i in self._used:
                    continue
                if exact and key == joined:
                    self._used.add(i)
                    return cells, ""
                if not exact and key.startswith(joined + " "):
                    rest = key[len(joined) + 1 :]
                    if len(rest.split()) <= MAX_LEFTOVER_WORDS:
                        self._used.add(i)
                        return cells, rest
        return None
