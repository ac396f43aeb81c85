"""Attendance tables read by their cells: the families of layouts Word documents and minute
systems use for who took part, generated in many variants, and the zoo's real renders."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from corpus.model import (
    BESLUTANDE,
    CELL,
    ERSATTARE,
    OVRIGA,
    PARAGRAPH,
    TJANSTGORANDE_ERSATTARE,
    Block,
    Document,
    Page,
)
from ingest.clean import clean
from ingest.document import document_of
from ingest.extract import read
from ingest.segment import segment

ZOO = Path(__file__).parent / "data" / "zoo"
FIRST = ("Anna", "Erik", "Maria", "Lars-Göran", "Sofia", "Jonas", "Karin", "Per", "Leila", "Åsa")
LAST = ("Lindqvist", "Öberg", "Holm", "Strandberg", "Nyström", "Ek", "Fransson", "Wik", "Dahl")
ORGS = (
    "Försäkringskassan",
    "Arbetsförmedlingen",
    "Region Dalarna",
    "Falu kommun",
    "Borlänge kommun",
    "Västra Götalandsregionen",
)
PARTIES = ("S", "M", "C", "V", "KD", "L", "MP", "SD")
BODY = ("§ 12 Mötets öppnande", "Ordföranden förklarar mötet öppnat.")


def people(rng: random.Random, n: int) -> list[tuple[str, str, str | None]]:
    """n distinct (name, organisation, party or None)."""
    names = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], n)
    return [(nm, rng.choice(ORGS), rng.choice((*PARTIES, None))) for nm in names]


def page(rows: list[tuple[str, ...]], before: tuple[str, ...] = ("PROTOKOLL",)) -> Page:
    """A page whose header is ``rows`` as table cells (the layout hints a reader gives) and
    lines, as cleaning sees a converted Word table: one line per row, cells joined by spaces."""
    blocks = [Block(PARAGRAPH, t) for t in before]
    lines = list(before)
    for r, cells in enumerate(rows):
        if len(cells) == 1:
            blocks.append(Block(PARAGRAPH, cells[0]))
        else:
            blocks += [Block(CELL, c, row=r, col=k) for k, c in enumerate(cells)]
        lines.append(" ".join(c for c in cells if c))
    lines += BODY
    return Page(1, "\n".join(lines), tuple(blocks))


def doc_of(pg: Page) -> Document:
    return segment(clean([pg]), doc_id="d", source="s.pdf", path="s.pdf", fmt="pdf")


def roles(doc: Document) -> dict[str, str]:
    return {p.name: p.role for p in doc.meeting.participants}


def with_party(name: str, party: str | None) -> str:
    return f"{name} ({party})" if party else name


@pytest.mark.parametrize("seed", range(8))
def test_named_columns_in_any_order_give_each_person_name_organisation_and_role(
    seed: int,
) -> None:
    rng = random.Random(seed)
    order = rng.sample(["name", "organisation", "role"], 3)
    header = {
        "name": rng.choice(("Namn", "Namn:")),
        "organisation": rng.choice(("Organisation", "Representerar", "Företräder")),
        "role": rng.choice(("Roll", "Funktion", "Uppdrag")),
    }
    crowd = people(rng, 6)
    members, substitutes = crowd[:4], crowd[4:]
    titles = ["ordförande", "vice ordförande"] + ["ledamot"] * 2
    rows: list[tuple[str, ...]] = [("Beslutande",), tuple(header[k] for k in order)]
    for (name, org, party), title in zip(members, titles, strict=True):
        cell = {"name": with_party(name, party), "organisation": org, "role": title}
        rows.append(tuple(cell[k] for k in order))
    rows += [("Ersättare",), tuple(header[k] for k in order)]
    for name, org, party in substitutes:
        cell = {"name": with_party(name, party), "organisation": org, "role": "ersättare"}
        rows.append(tuple(cell[k] for k in order))
    got = {p.name: p for p in doc_of(page(rows)).meeting.participants}
    for (name, org, party), title in zip(members, titles, strict=True):
        assert got[name].role == BESLUTANDE, (order, got[name])
        assert got[name].organisation == org, (order, got[name])
        assert title in (got[name].note or ""), (order, got[name])
        assert party is None or party in (got[name].note or "")
    for name, org, _ in substitutes:
        assert got[name].role == ERSATTARE and got[name].organisation == org, got[name]
    assert len(got) == len(members) + len(substitutes), sorted(got)


@pytest.mark.parametrize("seed", range(4))
def test_a_serving_substitute_in_the_members_table_takes_part_in_the_decisions(
    seed: int,
) -> None:
    rng = random.Random(seed)
    (a, org_a, _), (b, org_b, _), (c, org_c, _) = people(rng, 3)
    rows = [
        ("Beslutande",),
        ("Namn", "Organisation", "Roll"),
        (a, org_a, "ordförande"),
        (b, org_b, "tjänstgörande ersättare"),
        (c, org_c, "ledamot"),
    ]
    assert roles(doc_of(page(rows))) == {
        a: BESLUTANDE,
        b: TJANSTGORANDE_ERSATTARE,
        c: BESLUTANDE,
    }


@pytest.mark.parametrize("seed", range(6))
def test_the_list_label_in_the_first_cell_of_a_row_starts_each_list(seed: int) -> None:
    rng = random.Random(seed)
    crowd = people(rng, 6)
    members, substitutes, staff = crowd[:3], crowd[3:5], crowd[5:]
    rows: list[tuple[str, ...]] = []
    for label, group, title in (
        ("Beslutande", members, "ledamot"),
        ("Ersättare", substitutes, "ersättare"),
        (rng.choice(("Övriga närvarande", "Övriga deltagande")), staff, "förbundschef"),
    ):
        for k, (name, org, party) in enumerate(group):
            rows.append(((label,) if k == 0 else ("",)) + (with_party(name, party), org, title))
    rows = [tuple(c for c in r if c) for r in rows]  # an empty first cell is no cell
    got = roles(doc_of(page(rows)))
    want = {n: BESLUTANDE for n, _, _ in members}
    want |= {n: ERSATTARE for n, _, _ in substitutes}
    want |= {n: OVRIGA for n, _, _ in staff}
    assert got == want


@pytest.mark.parametrize("seed", range(6))
def test_a_role_column_without_a_list_label_gives_each_row_its_role(seed: int) -> None:
    rng = random.Random(seed)
    crowd = people(rng, 6)
    titles = ["Ordförande", "Vice ordförande", "Ledamot", "Ledamot", "Ersättare"]
    titles += [rng.choice(("Förbundschef, sekreterare", "Förbundschef", "Sekreterare"))]
    header = rng.choice((("Funktion", "Namn", "Representerar"), ("Roll", "Namn", "Organisation")))
    rows = [header] + [(t, n, org) for t, (n, org, _) in zip(titles, crowd, strict=True)]
    got = {p.name: p for p in doc_of(page(rows)).meeting.participants}
    assert [got[n].role for n, _, _ in crowd] == [BESLUTANDE] * 4 + [ERSATTARE, OVRIGA]
    assert [got[n].organisation for n, _, _ in crowd] == [org for _, org, _ in crowd]


@pytest.mark.parametrize("seed", range(6))
def test_one_list_per_column_keeps_members_and_substitutes_apart(seed: int) -> None:
    rng = random.Random(seed)
    crowd = people(rng, 7)
    members, substitutes = crowd[:4], crowd[4:]
    left = [f"{with_party(n, p)}, {org}" for n, org, p in members]
    right = [f"{with_party(n, p)}, {org}" for n, org, p in substitutes]
    rows: list[tuple[str, ...]] = [("Ledamöter", "Ersättare")]
    for k, cell in enumerate(left):
        rows.append((cell, right[k]) if k < len(right) else (cell,))
    got = roles(doc_of(page(rows)))
    assert got == {n: BESLUTANDE for n, _, _ in members} | {n: ERSATTARE for n, _, _ in substitutes}


def test_words_of_a_wrapped_cell_set_after_the_row_go_back_to_their_cell() -> None:
    """A converter sets the second line of a wrapped cell ("vice⏎ordförande") after the whole
    row; the cells say which cell it continues."""
    rows = [
        ("Ledamöter", "Ersättare"),
        ("Kerstin Holm (M), Falu kommun, vice", "Jonas Ek (SD), Falu kommun"),
    ]
    pg = page(rows)
    text = pg.text.replace("Jonas Ek (SD), Falu kommun", "Jonas Ek (SD), Falu kommun ordförande")
    got = {p.name: p for p in doc_of(Page(1, text, pg.blocks)).meeting.participants}
    assert got["Kerstin Holm"].role == BESLUTANDE
    assert "vice ordförande" in (got["Kerstin Holm"].note or ""), got["Kerstin Holm"]
    assert got["Jonas Ek"].role == ERSATTARE and "ordförande" not in (got["Jonas Ek"].note or "")


def test_a_chair_named_on_a_label_line_before_the_members_is_a_member() -> None:
    text = "\n".join(
        (
            "PROTOKOLL",
            "Ordförande: Birgitta Ljung (S), Lidköpings kommun",
            "Ledamöter: Ola Sandberg (M), Vara kommun",
            "Tina Claesson, Försäkringskassan",
            "Sekreterare: Mattias Wennberg, förbundschef",
            "Justerare: Ola Sandberg",
            *BODY,
        )
    )
    doc = doc_of(Page(1, text))
    assert roles(doc) == {
        "Birgitta Ljung": BESLUTANDE,
        "Ola Sandberg": BESLUTANDE,
        "Tina Claesson": BESLUTANDE,
    }
    assert doc.meeting.chair == "Birgitta Ljung"


def test_a_chair_on_a_signature_line_is_not_added_to_the_list() -> None:
    text = "\n".join(
        (
            "PROTOKOLL",
            "Beslutande: Ola Sandberg (M), Vara kommun",
            "Tina Claesson, Försäkringskassan",
            "Justerare: Ola Sandberg",
            *BODY,
            "Ordförande: Birgitta Ljung",
        )
    )
    assert roles(doc_of(Page(1, text))) == {
        "Ola Sandberg": BESLUTANDE,
        "Tina Claesson": BESLUTANDE,
    }


def test_a_sentence_under_a_list_is_not_read_as_an_organisation() -> None:
    text = "\n".join(
        (
            "PROTOKOLL",
            "Ledamöter",
            "Anna Holm, Falu kommun",
            "Erik Ek, Försäkringskassan",
            "Samtliga ledamöter är beslutande. Ersättarna närvarar utan rösträtt.",
            *BODY,
        )
    )
    got = {p.name: p for p in doc_of(Page(1, text)).meeting.participants}
    assert got["Erik Ek"].organisation == "Försäkringskassan"


@pytest.mark.parametrize(
    ("source", "deciding", "others"),
    [
        ("zoo01a_paragraf-tabell.pdf", 4, {"Tobias Ulander": OVRIGA}),
        ("zoo10a_docx-motestabell.docx", 6, {"Dragan Kvist": ERSATTARE, "Örjan Wahlberg": OVRIGA}),
        (
            "zoo10b_docx-motestabell.docx",
            4,
            {"Fredrik Lundmark": ERSATTARE, "Gunilla Carlberg": OVRIGA},
        ),
    ],
)
def test_attendance_tables_of_real_renders(
    source: str, deciding: int, others: dict[str, str]
) -> None:
    """Word exported to PDF and DOCX: one person per row, the organisation in its own field."""
    doc = document_of(read(ZOO / source), doc_id="d", source=source, path=source)
    people_ = doc.meeting.participants
    members = [p for p in people_ if p.role == BESLUTANDE]
    assert len(members) == deciding, people_
    assert all(p.organisation for p in members), members
    assert all(len(p.name.split()) <= 3 for p in people_), people_
    assert doc.meeting.chair in {p.name for p in members}
    assert {n: r for n, r in roles(doc).items() if n in others} == others
