"""The national list of samordningsförbund, with the years each was active.

Data in ``index/data/members.json`` (see its "about"): the 78 förbund of the 2020 table plus
the mergers known to the gazetteer. ``active_in(lo, hi)`` gives the members a comparison over
a period must cover; a förbund without a known founding date counts as active before 2020.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Member:
    name: str  # the gazetteer's canonical name
    short: str
    county: str | None
    active_from: str | None  # ISO date, None = before the list's records begin
    active_until: str | None  # ISO date, None = still active
    successor: str | None = None
    predecessors: tuple[str, ...] = ()

    def active_between(self, lo: str, hi: str) -> bool:
        """Whether the förbund existed at some time between two ISO dates (inclusive)."""
        return (self.active_from is None or self.active_from <= hi) and (
            self.active_until is None or self.active_until >= lo
        )


@cache
def members() -> tuple[Member, ...]:
    raw = json.loads(resources.files("index").joinpath("data/members.json").read_text("utf-8"))
    return tuple(
        Member(
            m["name"],
            m["short"],
            m.get("county"),
            m.get("active_from"),
            m.get("active_until"),
            m.get("successor"),
            tuple(m.get("predecessors", ())),
        )
        for m in raw["members"]
    )


def active_in(lo: str, hi: str) -> list[Member]:
    """Members active at some time in [lo, hi] (ISO dates), in list order."""
    return [m for m in members() if m.active_between(lo, hi)]


def by_name() -> dict[str, Member]:
    return {m.name: m for m in members()}
