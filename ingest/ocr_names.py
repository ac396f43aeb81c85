"""A förbund name in a scan's letterhead read with a few letters wrong.

OCR misreads letters of a letterhead ("Norra Västmenlände Samordningsförbund" for "Norra
Västmanlands Samordningsförbund"), and the gazetteer, which matches words exactly, then finds
no förbund. ``misread_forbund`` matches the words next to "Samordningsförbund(et)" against the
gazetteer's core names within a small edit distance; segmentation asks it only for a scan and
only when nothing else names the förbund.
"""

from __future__ import annotations

import re

from ingest.edits import edits_within
from ingest.gazetteer import core_names

_ANCHOR_WORD = re.compile(r"^samordningsförbund(?:et|s)?$")
_LETTERS = re.compile(r"[^\W\d_]+")
MISREAD_SHARE = 6  # one misread letter per this many of a name's letters


def misread_forbund(head: str) -> tuple[str, str] | None:
    """The förbund a letterhead read by OCR names with a few letters misread ("Norra
    Västmenlände Samordningsförbund"), with the evidence in Swedish, or None.

    The name is the words before "Samordningsförbund" or after "Samordningsförbundet (i)",
    matched against every core name (and its genitive) word by word, punctuation left out, with
    at most one edit per ``MISREAD_SHARE`` letters; the most words matching win, and only one
    förbund may be nearest (a tie names none).
    """
    cores = [(" ".join(_LETTERS.findall(core.lower())), name) for core, name in core_names()]
    longest = max((c.count(" ") + 1 for c, _ in cores), default=0)
    for line in head.split("\n"):
        written = _LETTERS.findall(line)
        words = [w.lower() for w in written]
        for k, word in enumerate(words):
            if not _ANCHOR_WORD.match(word):
                continue
            after = k + 1 + (k + 1 < len(words) and words[k + 1] == "i")  # "… i Västerås"
            for n in range(longest, 0, -1):
                spans = [k - n] if k >= n else []  # where the n words start
                spans += [after] if word.endswith("et") and after + n <= len(words) else []
                same_length = [c for c in cores if c[0].count(" ") + 1 == n]
                for at in spans:
                    found = _nearest(" ".join(words[at : at + n]), same_length)
                    if found is not None:
                        said = " ".join(written[at : at + n])
                        return found, f'rubriken nämner "{said}" (felläst, närmast {found})'
    return None


def _nearest(surface: str, cores: list[tuple[str, str]]) -> str | None:
    best: dict[str, int] = {}
    for core, name in cores:
        for form in (core, core + "s"):
            d = edits_within(surface, form, len(form) // MISREAD_SHARE)
            if d is not None:
                best[name] = min(d, best.get(name, d))
    if not best:
        return None
    low = min(best.values())
    nearest = [name for name, d in best.items() if d == low]
    return nearest[0] if len(nearest) == 1 else None
