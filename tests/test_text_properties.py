"""Properties of the text pipeline (hypothesis): clean and segment never crash, keep the page
numbers in bounds, and lose no body text between the cleaned text and the items."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.model import Document, Page
from ingest.clean import clean
from ingest.furniture import SIGNOFF
from ingest.segment import header_lines, segment

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
WORD = re.compile(r"\w+")
LABEL_PREFIX = re.compile(r"^\S+\s+(?=§)")  # "NVSam § 54": the abbreviation is label furniture

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from(
    [
        "styrelsen",
        "beslutar",
        "att",
        "godkänna",
        "rapporten",
        "förbundet",
        "Samordningsförbundet",
        "Västmanland",
        "kommun",
        "Försäkringskassan",
        "budget",
        "2024",
        "tkr",
        "120",
        "kr",
        "insatsen",
        "Sala",
        "och",
        "för",
        "av",
        "till",
        "med",
        "Regionen",
        "medlemmarna",
        "information",
        "NNS",
        "serviceavgift",
        "promille",
        "Ärende",
        "Punkt",
    ]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=14).map(" ".join)
LINE = st.one_of(
    SENTENCE,
    SENTENCE.map(lambda s: s + "."),
    SENTENCE.map(lambda s: "- " + s),
    SENTENCE.map(lambda s: "• " + s),
    SENTENCE.map(lambda s: "Att " + s),
    SENTENCE.map(lambda s: "Beslut: Att " + s),
    SENTENCE.map(lambda s: s + "-"),
    st.integers(1, 60).map(lambda n: f"§ {n}"),
    st.tuples(st.integers(1, 60), SENTENCE).map(lambda t: f"§ {t[0]} {t[1].capitalize()}"),
    st.tuples(st.integers(1, 20), SENTENCE).map(lambda t: f"{t[0]}. {t[1].capitalize()}"),
    st.tuples(st.integers(1, 20), SENTENCE).map(lambda t: f"Ärende {t[0]} {t[1].capitalize()}"),
    st.sampled_from(
        [
            "Beslut",
            "Beslut:",
            "Förslag till beslut",
            "Handlingar:",
            "Kopia till revisorerna",
            "Beslutande Anna Ek, Sala kommun",
            "Övriga deltagande Bo Berg, Region Västmanland",
            "Sekreterare Ann Rilegård",
            "Justerande Roger Ingvarsson",
            "Sammanträdesprotokoll",
            "Sammanträdesdatum 2023-11-02",
            "Kallelse",
            "Minnesanteckningar",
            "Plats och tid Digitalt via Teams, kl 08:30-09:30",
            "Sida 3 (9)",
            "Utdragsbestyrkande",
            "1 (xx)",
            "______",
            "<p>Anna Ek</p>",
            "| a | b |",
            "*betonat*",
            "",
            "",
        ]
    ),
)
PAGE_TEXT = st.lists(LINE, max_size=30).map("\n".join)
DOCUMENT = st.lists(PAGE_TEXT, min_size=1, max_size=4)
ANY_TEXT = st.lists(st.text(max_size=400), min_size=1, max_size=3)


def run(texts: list[str]) -> tuple[list[Page], Document]:
    pages = clean([Page(n, t) for n, t in enumerate(texts, start=1)])
    return pages, segment(pages, doc_id="d", source="s.txt")


def lost_words(pages: list[Page], doc: Document) -> list[str]:
    """Words of the cleaned text found neither in the meeting header nor in any item, nor in
    a sign-off: signature blocks are never items (their names are the meeting's officers); a
    sign-off line opens one, and it lasts until the next item begins."""
    kept = [*header_lines(pages)]
    starts = {it.label for it in doc.items} | {it.title for it in doc.items}
    in_signoff = False
    for line in (ln for p in pages for ln in p.text.split("\n")):
        if any(s and line.startswith(s) for s in starts):
            in_signoff = False
        in_signoff = in_signoff or bool(SIGNOFF.match(line))
        if in_signoff:
            kept.append(line)
    m = doc.meeting
    kept += [m.chair or "", m.secretary or "", *m.adjusters]
    for it in doc.items:
        kept += [it.label, it.title, it.body, *it.handlingar, *it.decisions, *it.proposals]
        kept += list(it.copy_to)
    haystack = "\n".join(kept).casefold()
    lost = []
    for page in pages:
        for line in page.text.split("\n"):
            for word in WORD.findall(LABEL_PREFIX.sub("", line)):
                if word.casefold() not in haystack:  # substring: re-joined hyphenations
                    lost.append(word)
    return lost


def check_bounds(pages: list[Page], doc: Document) -> None:
    numbers = {p.number for p in pages}
    assert doc.n_pages == max(numbers, default=0)
    for it in doc.items:
        assert it.pages, it.label
        assert list(it.pages) == sorted(set(it.pages))
        assert set(it.pages) <= numbers, (it.pages, numbers)
    assert len({it.label for it in doc.items}) == len(doc.items)
    assert len({it.item_id for it in doc.items}) == len(doc.items)
    for it in doc.items:
        assert len(it.records) == len(it.decisions) + len(it.proposals)


@SETTINGS
@given(ANY_TEXT)
def test_arbitrary_text_never_crashes(texts: list[str]) -> None:
    pages, doc = run(texts)
    check_bounds(pages, doc)
    assert [p.number for p in pages] == sorted({p.number for p in pages})


@SETTINGS
@given(DOCUMENT)
def test_structured_text_keeps_bounds_and_loses_nothing(texts: list[str]) -> None:
    pages, doc = run(texts)
    check_bounds(pages, doc)
    assert lost_words(pages, doc) == []
    assert doc.text == "\n\n".join(p.text for p in pages if p.text.strip())


@SETTINGS
@given(DOCUMENT)
def test_clean_is_pure_and_deterministic(texts: list[str]) -> None:
    pages = [Page(n, t) for n, t in enumerate(texts, start=1)]
    before = list(pages)
    first = clean(pages)
    assert pages == before
    assert clean(pages) == first
    for p in first:
        assert "\n\n" not in p.text and "<p>" not in p.text and "______" not in p.text


def test_samples_lose_no_text() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        pages, doc = run([path.read_text(encoding="utf-8")])
        check_bounds(pages, doc)
        assert lost_words(pages, doc) == [], path.name
