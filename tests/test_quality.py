"""Quality warnings: each code on real extracted files and generated text, none on sound ones."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pytest
from pdfgen import render_pdf, render_scanned_pages_pdf

from corpus.errors import InternalError, UnreadableFile, internal_error_site
from corpus.model import Extraction, Page
from ingest.document import document_of
from ingest.extract import read
from ingest.formats.registry import BY_KEY
from ingest.gazetteer import load_gazetteer
from ingest.quality import CODES, VOCABULARY, assess, garbled_reason, is_english

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
TOPICS = ["Budget 2024", "Verksamhetsplan", "Uppföljning av insatser", "Delårsrapport"]
DECIDES = ["Styrelsen beslutar", "Förbundsstyrelsen beslutar", "Beslut: Styrelsen beslutar"]


def forbund_name(seed: int) -> str:
    entries = load_gazetteer().entries
    return entries[seed % len(entries)].name


def protocol(seed: int, *, n_items: int = 4, forbund: bool = True, date: bool = True) -> str:
    """A protocol in one of several wordings (random but fixed by seed)."""
    rng = random.Random(seed)
    head = [forbund_name(seed) if forbund else "Protokoll fört vid sammanträde", "Protokoll"]
    if date:
        head.append(f"Sammanträdesdatum: 2023-{rng.randint(1, 12):02d}-{rng.randint(10, 28)}")
    head.append("Plats: Kommunhuset")
    body = []
    first = rng.randint(1, 80)
    for n in range(first, first + n_items):
        topic = rng.choice(TOPICS)
        body += [
            f"§ {n} {topic}",
            f"Förbundschefen redogör för {topic.lower()} och för hur arbetet med insatserna för"
            " personer som står långt från arbetsmarknaden har gått under året.",
            f"{rng.choice(DECIDES)} att godkänna redovisningen och att lägga den till handlingarna.",
            "",
        ]
    return "\n".join(head) + "\n\n" + "\n".join(body)


def doc_of(text: str, *, pages_in_file: int = 0, image_pages: tuple[int, ...] = ()):
    ext = Extraction((Page(1, text),), "txt", pages_in_file or 1, image_pages)
    return document_of(ext, doc_id="0" * 32, source="p.txt", path="/x/p.txt")


def codes(doc) -> list[str]:
    return [w.code for w in doc.warnings]


@pytest.mark.parametrize("seed", range(6))
def test_a_sound_protocol_gets_no_warnings(seed: int) -> None:
    doc = doc_of(protocol(seed))
    assert len(doc.items) == 4 and doc.meeting.forbund and doc.meeting.date
    assert doc.warnings == ()


@pytest.mark.parametrize("seed", range(3))
def test_missing_förbund_and_date_are_warned_never_filled_in(seed: int) -> None:
    doc = doc_of(protocol(seed, forbund=False, date=False))
    assert doc.meeting.forbund is None and doc.meeting.date is None
    assert codes(doc) == ["no_date", "no_forbund"]
    assert "Inget mötesdatum" in doc.warnings[0].message


def test_a_header_without_any_items_is_warned() -> None:
    doc = doc_of(f"{forbund_name(1)}\nProtokoll 2023-05-04\n")
    assert doc.items == ()
    assert codes(doc) == ["no_items"]


@pytest.mark.parametrize("seed", range(3))
def test_a_protocol_without_numbered_items_or_decisions_is_warned(seed: int) -> None:
    doc = doc_of(re.sub(r"(?m)^§ \d+ ", "", protocol(seed)))  # headings without numbers
    assert doc.kind == "protokoll" and {it.kind for it in doc.items} == {"sektion"}
    assert codes(doc) == ["no_numbered_items"]
    without = re.sub(r"(?m)^.*beslutar att.*$", "Informationen noteras.", protocol(seed))
    assert codes(doc_of(without)) == ["no_decisions"]


def test_items_without_a_title_are_listed() -> None:
    doc = doc_of(protocol(2))
    blank = replace(doc.items[1], title="")
    doc = replace(doc, items=(doc.items[0], blank, *doc.items[2:]))
    (warning,) = assess(doc)
    assert warning.code == "untitled_items"
    assert warning.message == f"1 av 4 punkter saknar rubrik: {blank.label}."


def test_pages_cut_and_scanned_pages_are_warned() -> None:
    doc = doc_of(protocol(3), pages_in_file=9, image_pages=(4, 6))
    assert codes(doc) == ["pages_cut", "scanned_pages"]
    assert doc.warnings[0].message.startswith("Bara de första 1 av filens 9 sidor lästes")
    assert doc.warnings[1].message == (
        "Inskannade sidor utan text lästes inte (kräver OCR): sidorna 4, 6."
    )


def test_pages_read_by_ocr_are_named_with_their_confidence_and_poor_ones_warned() -> None:
    text = protocol(7, n_items=4)
    half = len(text.splitlines()) // 2
    first, second = "\n".join(text.splitlines()[:half]), "\n".join(text.splitlines()[half:])
    pages = (Page(1, first, ocr_confidence=92.4), Page(2, second, ocr_confidence=48.0))
    doc = document_of(Extraction(pages, "pdf", 2), doc_id="0" * 32, source="s.pdf", path="/x/s.pdf")
    assert codes(doc) == ["ocr_pages", "ocr_low_confidence"]
    assert doc.warnings[0].message.startswith("Sidorna 1, 2 lästes med OCR")
    assert "säkerhet i snitt 70 %" in doc.warnings[0].message
    assert doc.warnings[1].message.startswith("OCR läste sida 2 med låg säkerhet (48 %)")
    sound = replace(pages[1], ocr_confidence=88.0)
    doc = document_of(
        Extraction((pages[0], sound), "pdf", 2), doc_id="0" * 32, source="s.pdf", path="/x/s.pdf"
    )
    assert codes(doc) == ["ocr_pages"]


def shift(text: str, by: int = 3) -> str:
    """Text as a font with a shifted encoding shows it: every letter replaced by another."""
    return "".join(chr(ord(c) + by) if c.isalpha() and c.isascii() else c for c in text)


@pytest.mark.parametrize(
    ("garble", "reason"),
    [
        (lambda t: "".join(f"(cid:{ord(c)})" if c.isalpha() else c for c in t), "cid-koder"),
        (lambda t: t.replace("ä", "\ufffd").replace("ö", "\ufffd").replace("å", "\ufffd"), "�"),
        (lambda t: t.encode("utf-8").decode("cp1252", errors="replace"), "Ã¥"),
        (shift, "svenska ord"),
        (
            lambda t: "".join("#" if c.isalpha() and i % 3 else c for i, c in enumerate(t)),
            "bokstäver",
        ),
    ],
)
def test_garbled_text_is_recognised(garble, reason: str) -> None:
    for seed in range(3):
        found = garbled_reason(garble(protocol(seed, n_items=6)))
        assert found is not None and reason in found


ENGLISH_MINUTES = """Minutes of the board meeting of the national network, 8 October 2024.
Item 4 Approval of the agenda. The matter was presented by the secretariat and discussed by
the board. Decision: The agenda is approved.
Item 5 Operational plan and budget 2025. The secretariat presented the plan for the coming
year and the budget, which has a total frame of SEK 3.1 million. The board discussed how the
member associations should be involved in the work on the national conference and on the
indicators. Decision: The board decides to adopt the operational plan and the budget.
Item 6 Report from the secretariat. The report is noted and placed on file.
"""


def test_english_minutes_are_not_garbled_but_warned_as_english() -> None:
    """English prose has almost no Swedish function words, as a garbled text has not; it is
    warned as what it is: acts and stances are read by Swedish wordings only."""
    assert garbled_reason(ENGLISH_MINUTES) is None
    assert is_english(ENGLISH_MINUTES)
    assert "english_text" in codes(doc_of(ENGLISH_MINUTES))
    swedish = protocol(1, n_items=6)
    assert not is_english(swedish) and "english_text" not in codes(doc_of(swedish))
    assert not is_english(shift(swedish))  # a shifted font is garbled, not English


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_samples_do_not_read_as_garbled(path: Path) -> None:
    assert garbled_reason(read(path).pages[0].text) is None


def test_vocabulary_has_a_swedish_message_for_every_code() -> None:
    assert set(CODES) == set(VOCABULARY)
    assert all(code.isascii() and code == code.lower() for code in CODES)


def test_a_scanned_page_inside_a_text_pdf_is_reported(tmp_path: Path) -> None:
    more = "§ 90 Övriga frågor\nInga övriga frågor.\nStyrelsen beslutar att avsluta mötet."
    path = render_scanned_pages_pdf(
        [protocol(4, n_items=2), more], tmp_path / "blandad.pdf", scanned_after=(1,)
    )
    ext = read(path)
    assert ext.image_pages == (2,) and len(ext.pages) == 3
    doc = document_of(ext, doc_id="1" * 32, source=path.name, path=str(path))
    assert codes(doc) == ["scanned_pages"]
    assert doc.warnings[0].message.endswith("(kräver OCR): sida 2.")


def test_a_text_pdf_with_a_logo_is_not_a_scan(tmp_path: Path) -> None:
    path = render_pdf([protocol(6, n_items=2)], tmp_path / "text.pdf")
    assert read(path).image_pages == ()


def test_a_bug_in_our_reader_is_an_internal_error_not_a_damaged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sida.html"
    path.write_text("<html><body><p>Protokoll</p></body></html>", encoding="utf-8")

    def buggy(_: Path, max_pages: int) -> list[Page]:
        return None.strip()  # type: ignore[attr-defined]  # a bug of ours

    monkeypatch.setitem(BY_KEY, "html", replace(BY_KEY["html"], reader=buggy))
    with pytest.raises(InternalError, match=r"internt fel i finsam \(AttributeError i tests/"):
        read(path)


def test_a_library_failing_on_a_damaged_file_is_a_damaged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    path = tmp_path / "sida.html"
    path.write_text("<html><body><p>Protokoll</p></body></html>", encoding="utf-8")

    def damaged(path: Path, max_pages: int) -> list[Page]:
        return json.loads(path.read_bytes()[:9])  # the library fails on what it reads

    monkeypatch.setitem(BY_KEY, "html", replace(BY_KEY["html"], reader=damaged))
    with pytest.raises(UnreadableFile, match="HTML-filen är skadad") as caught:
        read(path)
    assert not isinstance(caught.value, InternalError)


def test_internal_error_site_names_our_frame_only_for_bug_types() -> None:
    def ours() -> None:
        raise TypeError("x")

    with pytest.raises(TypeError) as bug:
        ours()
    assert (internal_error_site(bug.value) or "").startswith("tests/test_quality.py:")
    with pytest.raises(ValueError) as bad_value:
        int("x")
    assert internal_error_site(bad_value.value) is None
    with pytest.raises(TypeError) as in_library:
        __import__("json").loads(None)
    assert internal_error_site(in_library.value) is None
