"""OCR families of the plain-text protocol page: solid list bullets, label prefixes OCR splits,
headings numbered "60." — each as pure rules and on generated scans read by Tesseract."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from scans import scan_pdf

from corpus.model import Document, Page
from corpus.settings import Settings
from ingest.clean import clean
from ingest.gazetteer import core_names
from ingest.lines import strip_bullet
from ingest.ocr import OcrWord, available
from ingest.ocr_image import solid_bullets
from ingest.ocr_layout import denoised, steady_running_lines
from ingest.ocr_names import MISREAD_SHARE, misread_forbund
from ingest.ocr_signs import point_repairs, repair_paragraph_signs
from ingest.pipeline import limits_of, process_file
from ingest.seg_eval import score_document
from ingest.segment import segment

# --- Pure rules -----------------------------------------------------------------------------


# OCR's usual confusions of one letter for another (or of two letters for one).
CONFUSIONS = [("a", "e"), ("s", "e"), ("ö", "o"), ("ä", "a"), ("l", "I"), ("n", "m"), ("e", "c"),
              ("å", "a"), ("r", "t"), ("rn", "m"), ("i", "l"), ("o", "ø")]  # fmt: skip


def _misread(name: str, rng: random.Random, edits: int) -> str:
    out = name
    for _ in range(edits):
        places = [(i, a, b) for a, b in CONFUSIONS for i in range(len(out)) if out.startswith(a, i)]
        if not places:
            break
        i, a, b = rng.choice(places)
        out = out[:i] + b + out[i + len(a) :]
    return out


def test_a_förbund_name_read_with_a_few_letters_wrong_is_found_and_never_another() -> None:
    rng = random.Random(7)
    cores = [(c, name) for c, name in core_names() if len(c) >= 2 * MISREAD_SHARE]
    right = tried = 0
    for core, name in cores:
        edits = rng.randint(1, len(core) // MISREAD_SHARE)
        wrong = _misread(core, rng, edits)
        if wrong == core:
            continue
        for head in (f"Samordningsförbundet {wrong}\nProtokoll", f"{wrong}s Samordningsförbund"):
            found = misread_forbund(head)
            tried += 1
            assert found is None or found[0] == name, (head, found, name)
            right += found is not None
            assert found is None or "felläst" in found[1]
    assert tried > 50 and right >= 0.9 * tried, (right, tried)


def test_an_unknown_or_too_garbled_name_names_no_förbund() -> None:
    for head in (
        "Samordningsförbundet Atlantis\nProtokoll",
        "Samordningsförbundet Xyzzqwv Ploff",
        "Protokoll fört vid styrelsens sammanträde",
        "Samordningsförbundet Sala",  # a short name must be read right
        "Norra Vösteenlende Samordningsförbund",  # too many letters wrong
    ):
        assert misread_forbund(head) is None, head


def test_only_a_scan_gets_its_letterhead_read_leniently() -> None:
    text = "Norra Västmenlände Samordningsförbund – styrelsen\nProtokoll 2023-02-04\n\n§ 1 Mötets öppnande\nText."
    born = segment(clean([Page(1, text)]), doc_id="d", source="x.pdf")
    assert born.meeting.forbund is None  # born-digital text says what it says
    scan = segment(clean([Page(1, text, ocr_confidence=81.0)]), doc_id="d", source="x.pdf")
    assert scan.meeting.forbund == "Norra Västmanlands Samordningsförbund"
    assert "felläst" in (scan.meeting.forbund_evidence or "")


def test_headings_numbered_with_a_full_stop_are_not_read_as_signs() -> None:
    """ "60." is heading 60, not "6" (a misread §) glued to 0: a kallelse's points 59.–66."""
    titles = ["Mötets öppnande", "Val av justerare", "Dagordning", "Budget", "Övriga frågor"]
    for first in (59, 21, 83):
        page = "\n".join(f"{first + k}. {t}\nText om punkten." for k, t in enumerate(titles))
        assert repair_paragraph_signs([page]) == [page]


def test_a_label_prefix_read_in_two_pieces_is_one_word_again() -> None:
    lines = [
        "NVSam § 47",
        "Delårsrapport",
        "NV Sam 8 48",
        "Tilläggsäskande",
        "NVSam $49",
        "Rapport",
        "Ks am 850",  # a first piece not in capitals is no prefix: left alone
        "Text",
    ]
    repaired = repair_paragraph_signs(["\n".join(lines)])[0].splitlines()
    assert repaired[::2] == ["NVSam § 47", "NVSam § 48", "NVSam § 49", "Ks am 850"]
    assert repaired[1::2] == lines[1::2]


def test_a_piece_of_capitals_is_kept_however_unsure_a_lone_speck_is_not() -> None:
    def word(text: str, left: int, width: int, conf: float, line: int, height: int = 31) -> OcrWord:
        return OcrWord(left, 100 * line, width, height, conf, text, (1, 1, line))

    words = [
        word("NV", 290, 47, 3, 1),  # split from "Sam" by Tesseract, 9 px apart
        word("Sam", 346, 68, 15, 1),
        word("8", 444, 20, 96, 1),
        word("48", 479, 44, 96, 1),
        word("Ut", 290, 40, 12, 2),  # not capitals
        word("Beslut", 340, 110, 95, 2),
        word("AB", 900, 40, 10, 2),  # capitals, but nothing after them
        word("Text", 290, 80, 95, 3),
        word("IN", 380, 40, 12, 3, height=10),  # a flat speck
        word("om", 425, 40, 95, 3),
    ]
    assert [w.text for w in denoised(words)] == ["NV", "Sam", "8", "48", "Beslut", "Text", "om"]


def test_a_dash_read_as_two_is_one_en_dash() -> None:
    """ "Ny insats – Vägen vidare" comes back as "Ny insats —- Vägen vidare"."""
    texts = ["Ny", "insats", "—-", "Vägen", "--", "2024-2026", "-—", "a", "-"]
    words = [OcrWord(60 * k, 100, 50, 30, 60, t, (1, 1, 1)) for k, t in enumerate(texts)]
    assert [w.text for w in denoised(words)] == [
        "Ny", "insats", "–", "Vägen", "–", "2024-2026", "–", "a", "-",
    ]  # fmt: skip


def test_separators_glued_to_a_running_line_go_on_every_page() -> None:
    """ "PROTOKOLL · Sammanträdesdatum … · Sida 1 (3)": page 1 read with "..." glued on."""
    pages = [
        "PROTOKOLL... Sammanträdesdatum 2023-04-09 . Sida 1 (3)\nSamordningsförbundet\nText",
        "PROTOKOLL Sammanträdesdatum 2023-04-09 Sida 2 (3)\natt fastställa budget",
        "PROTOKOLL Sammanträdesdatum| 2023-04-09 | Sida 3 (3)\nJusteras",
    ]
    heads = [t.splitlines()[0] for t in steady_running_lines(pages)]
    assert heads == [f"PROTOKOLL Sammanträdesdatum 2023-04-09 Sida {n} (3)" for n in (1, 2, 3)]
    assert [t.splitlines()[1:] for t in steady_running_lines(pages)] == [
        t.splitlines()[1:] for t in pages
    ]


def test_a_solid_square_or_disc_that_starts_a_line_is_a_bullet() -> None:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (900, 400), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    draw.rectangle((100, 100, 130, 130), fill=20)  # "■" read as "IH"
    draw.ellipse((100, 200, 131, 231), fill=20)  # "●" read as "I"
    draw.text((100, 290), "H", fill=0, font=font)  # a real "H" starts the third line
    h = draw.textbbox((100, 290), "H", font=font)
    words = [
        OcrWord(96, 98, 46, 34, 31, "IH", (1, 1, 1)),  # Tesseract's box is wider than the ink
        OcrWord(150, 98, 90, 40, 95, "Eget", (1, 1, 1)),
        OcrWord(100, 200, 32, 32, 42, "I", (1, 1, 2)),
        OcrWord(150, 198, 190, 40, 96, "Fördelning", (1, 1, 2)),
        OcrWord(h[0], h[1], h[2] - h[0], h[3] - h[1], 90, "H", (1, 1, 3)),
        OcrWord(h[2] + 15, h[1], 60, h[3] - h[1], 90, "och", (1, 1, 3)),
        OcrWord(300, 100, 31, 31, 90, "IH", (1, 1, 1)),  # solid but not first on its line
    ]
    draw.rectangle((300, 100, 330, 130), fill=20)
    draw.rectangle((100, 350, 103, 353), fill=20)  # a speck read as "." before a line
    words += [
        OcrWord(96, 340, 30, 24, 49, ".", (1, 1, 4)),
        OcrWord(150, 338, 90, 40, 95, "Text", (1, 1, 4)),
    ]
    assert [w.text for w in solid_bullets(words, image)] == [
        "•", "Eget", "•", "Fördelning", "H", "och", "IH", ".", "Text",
    ]  # fmt: skip


# --- Generated protocols, scanned and read by Tesseract --------------------------------------

PREFIXES = ["NVSam", "KSam", "SFNS", "VäSam", "NoSam", "FinSam"]
FORBUND = ["Norra Västmanland", "Östra Skaraborg", "Södra Dalarna", "Västra Mälardalen"]
TITLES = [
    "Val av protokolljusterare",
    "Godkännande av dagordning",
    "Delårsrapport januari–augusti",
    "Tilläggsäskande Samordningsteam Sala",
    "Ekonomisk uppföljning",
    "Verksamhetsplan och budget",
    "Rapport från arbetsgruppen",
    "Övriga frågor",
]
CLAUSES = [
    "Att godkänna rapporten och lägga den till handlingarna",
    "Att uppdra åt förbundschefen att återkomma med ett förslag",
    "Att bevilja insatsen 250 000 kr för perioden",
    "Att fastställa dagordningen med ovanstående tillägg",
    "Att utse en ledamot till protokolljusterare",
    "Att godkänna informationen",
]
BODY = "Förbundschefen föredrar ärendet och svarar på frågor från ledamöterna."


def _protocol(seed: int) -> tuple[list[list[str]], dict[str, object]]:
    """Pages of lines (a line starting with "■ " is a list item with a solid bullet) and the
    gold of the protocol, in the format of seed-segmentation.json."""
    rng = random.Random(seed)
    prefix, forbund = rng.choice(PREFIXES), rng.choice(FORBUND)
    first = rng.randint(12, 80)
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(10, 28)}"
    head = [
        f"Samordningsförbundet {forbund}",
        "",
        "Protokoll",
        "",
        f"Sammanträdesdatum {date}",
        "",
        "Plats och tid Kommunhuset, kl 09.00-11.30",
        "",
    ]
    lines, items = list(head), []
    for k, title in enumerate(rng.sample(TITLES, 6)):
        clauses = rng.sample(CLAUSES, rng.randint(1, 2))
        lines += [f"{prefix} § {first + k}", "", title, "", BODY, ""]
        lines += [f"■ Handling: underlag om {title.lower()}", "", "Beslut", ""]
        lines += [f"■ {c}" for c in clauses] + [""]
        items.append({"n": first + k, "title": title, "decisions": clauses})
    gold = {"kind": "protokoll", "date": date}
    pages = [lines[: len(lines) // 2], lines[len(lines) // 2 :]]
    return pages, {**gold, "items": items}


def _render(pages: list[list[str]], path: Path) -> Path:
    """A born-digital PDF of the lines, Helvetica 10 pt, a list item's bullet a solid square
    (as Word draws Wingdings' "n")."""
    canvas = Canvas(str(path), pagesize=A4)
    width, height = A4
    for lines in pages:
        y = height - 90
        for line in lines:
            canvas.setFont("Helvetica", 10)
            if line.startswith("■ "):
                canvas.rect(70, y - 0.5, 7, 7, stroke=0, fill=1)
                canvas.drawString(84, y, line[2:])
            else:
                canvas.drawString(70, y, line)
            y -= 12 if line else 6
        canvas.showPage()
    canvas.save()
    return path


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_a_scan_with_bullets_and_label_prefixes_meets_the_bars(seed: int, tmp_path: Path) -> None:
    assert available() is None, available()
    pages, gold = _protocol(seed)
    original = _render(pages, tmp_path / "protokoll.pdf")
    scanned = scan_pdf(original, tmp_path / "skannad.pdf", dpi=170, angle=0.7, seed=seed)
    limits = replace(limits_of(Settings()), ocr="auto")
    for path in (original, scanned):
        doc = process_file(path, limits)
        assert isinstance(doc, Document), doc
        score = score_document(path.name, gold, doc)
        assert score.item_f1 is not None and score.item_f1 >= 0.95, score.differences
        assert (score.title_accuracy or 0) >= 0.9, score.differences
        assert (score.clause_f1 or 0) >= 0.85, score.differences
        meta = {field: (want, got) for field, want, got in score.meta}
        assert meta["date"][0] == meta["date"][1], meta
    # A bullet read as letters ("IH Handling: …") would stay before the words.
    handled = [strip_bullet(ln) for ln in doc.text.splitlines() if "underlag om" in ln]
    assert len(handled) == len(gold["items"]), doc.text  # type: ignore[arg-type]
    assert all(ln.startswith("Handling:") for ln in handled), handled


# --- A numbered point's number misread as letters ----------------------------------------

# What OCR makes of a point's number and full stop (a misread as wide as the label).
POINT_MISREADS = {1: ["I.", "l.", "T.", "|."], 2: ["SER", "Il.", "ll.", "I1.", "1l", "IL", "TI."]}


@pytest.mark.parametrize("seed", range(20))
def test_a_points_number_read_as_letters_is_written_back(seed: int) -> None:
    rng = random.Random(seed)
    titles = rng.sample(TITLES, len(TITLES))
    first = rng.randint(1, 9)
    lost = rng.randrange(1, len(titles) - 1)  # not the first or the last point
    number = first + lost
    token = rng.choice(POINT_MISREADS[len(str(number))])
    lines: list[str] = []
    for k, title in enumerate(titles):
        label = token if k == lost else f"{first + k}."
        lines += [f"{label} {title}", "Katarina Hansson återkopplar från dagarna.", ""]
    cut = rng.randrange(len(lines))  # the points spread over two pages
    pages = [lines[:cut], lines[cut:]]
    fixes = point_repairs(pages)
    assert [(f.old, f.new) for f in fixes] == [(token, f"{number}.")]
    fix = fixes[0]
    assert fix.text == f"{number}. {titles[lost]}"
    assert pages[fix.page][fix.line] == f"{token} {titles[lost]}"


def test_a_point_is_not_invented_where_the_gap_is_unclear() -> None:
    def points(*labels: str) -> list[list[str]]:
        return [[f"{label} {title}" for label, title in zip(labels, TITLES, strict=False)]]

    assert point_repairs(points("4.", "5.", "SER", "7.")) != []  # the rule applies here …
    assert point_repairs(points("4.", "5.", "7.")) == []  # … but no line in the gap: nothing
    assert point_repairs(points("5.", "SER", "7.")) == []  # a run of two points: too short
    assert point_repairs(points("4.", "5.", "SER", "NNS", "7.")) == []  # two candidates
    assert point_repairs(points("4.", "5.", "Att", "7.")) == []  # a word, not a misread number
    assert point_repairs(points("4.", "5.", "Förslag", "7.")) == []  # wider than "6."
    assert point_repairs(points("4.", "5.", "6.", "7.")) == []  # nothing missing
