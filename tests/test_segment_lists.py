"""Headings of the groups of a bulleted list are part of the list, not sections of the notes.

"Händelser under året:" / "Processen mot länsförbund" / "• …" / "Arbetsmarknaden" / "• …":
the short lines head groups of one list (as a born-digital copy with real bullets and a scan
both read them); a heading followed by prose, or the same words not opened by a ":" line, still
start sections. Variants are generated: intros, group headings, bullet marks, remarks between
groups, wrapped items.
"""

from __future__ import annotations

import random

import pytest

from corpus.model import MINNESANTECKNINGAR, SEKTION, Document, Page
from ingest.clean import clean
from ingest.segment import segment

INTROS = [
    "Händelser av väsentlig betydelse:",
    "Viktiga händelser under året:",
    "Förbundschefen informerade om följande:",
    "Följande frågor togs upp:",
    "Under perioden har bland annat detta hänt:",
]
GROUPS = [
    "Processen mot länsförbund",
    "Arbetsmarknaden fortsatt stark under 2022",
    "Ekonomisk hushållning",
    "Nya insatser",
    "Samverkan med regionen",
    "Uppföljning av deltagare",
    "Kompetensutveckling för personal",
]
BULLETS = ["•", "-", "–", "*"]
ITEMS = [
    "Har pågått under hela året, och med stöd av externt processtöd.",
    "Många dialogmöten med alla förbundsmedlemmar.",
    "Bred minskning av antalet arbetslösa, såväl långtidsarbetslösa som unga.",
    "I stort sett följt verksamhetsplanen",
    "Eget kapital 1 140 tkr",
    "Två nya samordningsteam startade i mars",
    "Utbildningsdag i motiverande samtal för 60 personer",
]
SECTIONS = ["Årsredovisning 2022", "Revision 2022", "Medlemsinsats 2024", "Budget för nästa år"]
HEADER = """\
Minnesanteckningar
Medlemssamråd för Samordningsförbundet Sala
Datum: 2023-04-27
"""
PROSE = (
    "Revisorerna anser att årsredovisningen uppfyller lagens krav och att förbundet bedrivs "
    "på ett ändamålsenligt sätt."
)


def seg(text: str) -> Document:
    return segment(clean([Page(1, text)]), doc_id="doc", source="anteckningar.txt")


def _notes(rng: random.Random) -> tuple[str, list[str], list[str]]:
    """Notes of two sections; the first holds a list of groups. (text, sections, groups)."""
    bullet = rng.choice(BULLETS)
    groups = rng.sample(GROUPS, rng.randint(2, 4))
    first, second = rng.sample(SECTIONS, 2)
    lines = [HEADER, first, PROSE, rng.choice(INTROS)]
    for g in groups:
        lines.append(g)
        for text in rng.sample(ITEMS, rng.randint(1, 3)):
            if rng.random() < 0.3:  # an item wrapped: its tail on a line of its own
                cut = text.rfind(" ", 0, len(text) - 3)
                lines += [f"{bullet} {text[:cut]}", text[cut + 1 :]]
            else:
                lines.append(f"{bullet} {text}")
        if rng.random() < 0.3:  # a remark after the group's items
            lines.append("Tydligt lägre nivåer än samma period året innan.")
    lines += [second, PROSE]
    return "\n".join(lines), [first, second], groups


@pytest.mark.parametrize("seed", range(30))
def test_group_headings_of_a_list_are_not_sections(seed: int) -> None:
    text, sections, groups = _notes(random.Random(seed))
    d = seg(text)
    assert d.kind == MINNESANTECKNINGAR
    assert [it.title for it in d.items if it.kind == SEKTION] == sections, text
    first = d.items[0].body
    assert all(g in first for g in groups)


def test_a_list_without_an_opening_colon_line_keeps_its_sections() -> None:
    text = "\n".join(
        [HEADER, "Ekonomi", "• Budgeten följs", "Nya insatser", "• Två team startade", PROSE]
    )
    titles = [it.title for it in seg(text).items]
    assert titles == ["Ekonomi", "Nya insatser"]


def test_a_list_of_names_after_a_colon_does_not_swallow_the_next_section() -> None:
    """ "Närvarande:" opens a list with no group heading: the heading after it is a section."""
    text = "\n".join(
        [
            HEADER,
            "Närvarande:",
            "• Anna Ek, Sala kommun",
            "• Bo Lind, Region Västmanland",
            "Ekonomi",
            "• Budgeten följs",
            "Nya insatser",
            "• Två team startade",
        ]
    )
    titles = [it.title for it in seg(text).items]
    assert titles[-2:] == ["Ekonomi", "Nya insatser"]


def test_a_heading_followed_by_prose_or_after_much_prose_ends_the_list() -> None:
    text = "\n".join(
        [
            HEADER,
            "Årsredovisning 2022",
            "Händelser av väsentlig betydelse:",
            "Processen mot länsförbund",
            "• Har pågått under hela året.",
            "Revision 2022",  # prose follows: a section again
            PROSE,
            PROSE,
            PROSE,
            "Medlemsinsats 2024",  # after three sentences of prose: the list is over
            "• Ansökan lämnas i maj",
            PROSE,
        ]
    )
    titles = [it.title for it in seg(text).items]
    assert titles == ["Årsredovisning 2022", "Revision 2022", "Medlemsinsats 2024"]
