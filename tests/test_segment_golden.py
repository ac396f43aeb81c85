"""Golden tests: the sample documents segment as the seed file and the golden files say.

Two layers:
- ``tests/data/seed-segmentation.json`` (a copy of the shared evaluation seed) lists what must
  hold: kind, förbund, date, organ, officers, item numbers, titles and decision clauses,
  proposals, § references that must not start items, attachments and sections.
- ``tests/golden/<source>.json`` holds the full segmentation of each sample. A change shows up
  as a failing test; rewrite the files with ``FINSAM_UPDATE_GOLDEN=1 pytest
  tests/test_segment_golden.py`` and review the diff.

Matching follows the seed's rules: whitespace normalised, a trailing full stop and the case of a
leading "Att" ignored. Titles also match when the seed gives the start of a longer body title
("Försäkringskassans prövning av ansvarsfrihet …") or a spelling variant from the table of
contents ("protokolljusterare" where the body writes "protokollsjusterare": the body wins).
"""

from __future__ import annotations

import json
import os
import re
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import pytest

from corpus.model import BESLUTANDE, PARAGRAF, PUNKT, SEKTION, Document, Page, content_hash
from ingest.clean import clean
from ingest.segment import segment

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
SEED = Path(__file__).parent / "data" / "seed-segmentation.json"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FINSAM_UPDATE_GOLDEN") == "1"

EXPECTED = json.loads(SEED.read_text(encoding="utf-8"))["documents"]
SOURCES = sorted(EXPECTED)


@cache
def doc(source: str) -> Document:
    data = (SAMPLES / source).read_bytes()
    pages = clean([Page(1, data.decode("utf-8"))])
    return segment(pages, doc_id=content_hash(data), source=source, path=str(SAMPLES / source))


def norm(text: str) -> str:
    text = " ".join(text.split()).rstrip(".").strip()
    return re.sub(r"^att\b", "att", text, flags=re.I)


def title_matches(actual: str, expected: str) -> bool:
    a, e = norm(actual).casefold(), norm(expected).casefold()
    if a == e or a.startswith(e + " "):
        return True
    return SequenceMatcher(None, a, e).ratio() >= 0.95


def numbered(d: Document, n: int):
    found = [it for it in d.items if it.kind != SEKTION and it.number == n]
    assert len(found) == 1, f"{d.source}: expected one item numbered {n}, found {len(found)}"
    return found[0]


@pytest.mark.parametrize("source", SOURCES)
def test_document_facts(source: str) -> None:
    exp, d = EXPECTED[source], doc(source)
    assert d.kind == exp["kind"]
    assert d.meeting.forbund == exp["forbund"]
    assert d.meeting.date == exp["date"]  # null stays null: never invented
    if "date_window" in exp:
        assert d.meeting.date_window == tuple(exp["date_window"])
    if "organ" in exp:
        assert d.meeting.organ == exp["organ"]
    if "chair" in exp:
        assert d.meeting.chair == exp["chair"]
    if "secretary" in exp:
        assert d.meeting.secretary == exp["secretary"]
    if "adjuster" in exp:
        assert exp["adjuster"] in d.meeting.adjusters
    if "deciding_members" in exp:
        deciding = [p for p in d.meeting.participants if p.role == BESLUTANDE]
        assert len(deciding) == exp["deciding_members"]


@pytest.mark.parametrize("source", SOURCES)
def test_items(source: str) -> None:
    exp, d = EXPECTED[source], doc(source)
    for want in exp.get("items", []):
        item = numbered(d, want["n"])
        assert title_matches(item.title, want["title"]), (item.title, want["title"])
        if "decisions" in want:
            assert [norm(c) for c in item.decisions] == [norm(c) for c in want["decisions"]]
        if "proposal" in want:
            assert any(norm(want["proposal"]) in norm(p) for p in item.proposals), item.proposals
        for amount in want.get("amounts_kr", []):
            assert amount in item.amounts_kr, (amount, item.amounts_kr)
    if "agenda_items" in exp:
        assert len([it for it in d.items if it.kind == PUNKT]) == exp["agenda_items"]
    numbers = [it.number for it in d.items if it.kind != SEKTION and it.number is not None]
    assert numbers == sorted(numbers), "item numbers must follow the document's sequence"


@pytest.mark.parametrize("source", SOURCES)
def test_false_paragraph_markers_never_start_items(source: str) -> None:
    d = doc(source)
    for marker in EXPECTED[source].get("false_paragraph_markers", []):
        number = int(re.findall(r"\d+", marker)[0])
        assert not any(it.kind == PARAGRAF and it.number == number for it in d.items), marker
        # the reference stays in running text, not in a title
        assert any(marker in it.body for it in d.items), marker
        assert not any(it.title.startswith(marker) for it in d.items), marker


@pytest.mark.parametrize("source", SOURCES)
def test_attachments_and_sections(source: str) -> None:
    exp, d = EXPECTED[source], doc(source)
    if "attachments" in exp:
        assert len(d.attachments) == len(exp["attachments"]), d.attachments
        for got, want in zip(d.attachments, exp["attachments"], strict=True):
            assert title_matches(got, want), (got, want)
        for it in d.items:
            if it.attachment is not None:
                assert it.kind == SEKTION and it.attachment in d.attachments
    if "sections" in exp:
        titles = [it.title for it in d.items if it.kind == SEKTION]
        pos = 0
        for want in exp["sections"]:  # in order, other sections may lie between
            while pos < len(titles) and not title_matches(titles[pos], want):
                pos += 1
            assert pos < len(titles), f"section {want!r} missing from {titles}"
            pos += 1


def golden_view(d: Document) -> dict:
    """The segmentation of a document as stored in its golden file (this module's output)."""
    m = d.meeting
    return {
        "source": d.source,
        "kind": d.kind,
        "n_pages": d.n_pages,
        "attachments": list(d.attachments),
        "meeting": {
            "forbund": m.forbund,
            "organ": m.organ,
            "date": m.date,
            "date_window": list(m.date_window) if m.date_window else None,
            "time": m.time,
            "place": m.place,
            "chair": m.chair,
            "secretary": m.secretary,
            "adjusters": list(m.adjusters),
            "participants": [[p.name, p.organisation, p.role, p.note] for p in m.participants],
        },
        "items": [
            {
                "label": it.label,
                "number": it.number,
                "kind": it.kind,
                "title": it.title,
                "pages": list(it.pages),
                "attachment": it.attachment,
                "procedural": it.procedural,
                "handlingar": list(it.handlingar),
                "decisions": list(it.decisions),
                "proposals": list(it.proposals),
                "copy_to": list(it.copy_to),
                "body": it.body.split("\n"),
            }
            for it in d.items
        ],
    }


@pytest.mark.parametrize("source", SOURCES)
def test_golden_file(source: str) -> None:
    path = GOLDEN / f"{Path(source).stem}.json"
    view = golden_view(doc(source))
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(view, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert path.exists(), f"{path} is missing: run FINSAM_UPDATE_GOLDEN=1 pytest {__file__}"
    assert json.loads(path.read_text(encoding="utf-8")) == view


def test_item_ids_are_unique_and_stable() -> None:
    for source in SOURCES:
        d = doc(source)
        labels = [it.label for it in d.items]
        assert len(set(labels)) == len(labels), source
        assert len({it.item_id for it in d.items}) == len(d.items), source
