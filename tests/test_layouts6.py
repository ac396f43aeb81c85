"""Layout families of the sixth zoo (tests/data/zoo6), each rule proven on variants written
here (never a file): points labelled with the abbreviation "Pkt N." and roles in brackets
without a dot ("(ordf)", "(sekr)").
"""

from __future__ import annotations

import pytest

from corpus.model import PUNKT, Document, Page
from ingest.clean import clean
from ingest.segment import segment

ITEMS = (
    ("Val av justerare", "Till justerare föreslogs Maja Lindqvist.", ["Maja Lindqvist utses."]),
    (
        "Verksamhetsplan och budget 2025",
        "Arbetsutskottet har berett förslaget till budget om 4,1 mnkr.",
        ["att fastställa budgeten för 2025", "att anta verksamhetsplanen"],
    ),
    ("Förbundschefens rapport", "Förbundschefen informerade om läget.", ["Rapporten noteras."]),
)
TITLES = [t for t, _, _ in ITEMS]
HEAD = "Samordningsförbundet Sunnerbo\nProtokoll styrelsen\nDatum: 2024-03-14\n"


def seg(text: str) -> Document:
    return segment(clean([Page(1, text)]), doc_id="d", source="s.txt")


def decisions(d: Document) -> list[list[str]]:
    return [[c.rstrip(".") for c in it.decisions] for it in d.items]


def expected_decisions() -> list[list[str]]:
    return [[c.rstrip(".") for c in clauses] for _, _, clauses in ITEMS]


def body(label: str, first: int = 1) -> str:
    parts = []
    for k, (title, text, clauses) in enumerate(ITEMS):
        parts.append(label.format(n=first + k) + " " + title)
        parts.append(text)
        if len(clauses) == 1:
            parts.append(f"Beslut: {clauses[0]}")
        else:
            parts.append("Beslut: Styrelsen beslutar")
            parts.extend(f"- {c}" for c in clauses)
        parts.append("")
    return "\n".join(parts)


# --- "Pkt N." ------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Pkt {n}.", "Pkt. {n}", "PKT {n}", "pkt {n}:", "Pkt {n} –"])
@pytest.mark.parametrize("first", [1, 7])
def test_points_labelled_with_the_abbreviation_pkt(label: str, first: int) -> None:
    d = seg(HEAD + "Närvarande: Nils Ek (ordf), Eva Berg (sekr), Ali Öz\n\n" + body(label, first))
    assert [(it.number, it.kind, it.title) for it in d.items] == [
        (first + k, PUNKT, t) for k, t in enumerate(TITLES)
    ]
    assert decisions(d) == expected_decisions()
    assert (d.meeting.chair, d.meeting.secretary) == ("Nils Ek", "Eva Berg")


def test_pkt_inside_a_sentence_opens_no_point() -> None:
    text = (
        HEAD + body("Pkt {n}.") + "\nSe pkt 2 ovan.\nEnligt pkt 3 i dagordningen noterades detta.\n"
    )
    assert [it.title for it in seg(text).items] == TITLES
