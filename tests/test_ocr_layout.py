"""OCR words made to look like a text layer: specks, skew and running lines (ingest/ocr_layout)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ingest.ocr import OcrWord, text_of
from ingest.ocr_layout import denoised, deskewed, form_words, skew, steady_running_lines

SCALE = 72 / 300


def _row(
    texts: list[str], x: int, y: int, line: tuple[int, int, int], tilt: float
) -> list[OcrWord]:
    """Words of one row from ``x``, ``y`` (pixels), the page turned by ``tilt`` radians."""
    out = []
    for text in texts:
        width = 22 * len(text)
        cx, cy = x + width / 2, y + 15
        tx, ty = (
            cx * math.cos(tilt) - cy * math.sin(tilt),
            cx * math.sin(tilt) + cy * math.cos(tilt),
        )
        out.append(OcrWord(round(tx - width / 2), round(ty - 15), width, 30, 95, text, line))
        x += width + 20
    return out


@pytest.mark.parametrize("degrees", [-1.2, -0.7, 0.4, 0.7, 1.5])
def test_a_skewed_table_row_is_levelled_into_one_row(degrees: float) -> None:
    """A label cell at the left and its value at the right edge: on a sheet fed askew they no
    longer share a band, and the row falls apart (in the wrong order) unless levelled."""
    tilt = math.radians(degrees)
    words = []
    for k in range(4):  # body lines that show the slant
        words += _row(
            ["Styrelsen", "beslutar", "att", "godkänna", "budgeten"],
            200,
            400 + 60 * k,
            (1, 1, k),
            tilt,
        )
    words += _row(["Justerandes", "sign"], 200, 2900, (2, 1, 1), tilt)
    words += _row(["Utdragsbestyrkande"], 1900, 2900, (3, 1, 1), tilt)
    assert skew(words) == pytest.approx(tilt, abs=0.002)
    text, _blocks = text_of(deskewed(words), SCALE, 842.0)
    assert text.splitlines()[-1] == "Justerandes sign Utdragsbestyrkande"
    assert skew(deskewed(words)) == pytest.approx(0.0, abs=0.001)


def test_a_page_without_lines_to_measure_is_left_as_it_is() -> None:
    words = [OcrWord(100, 100, 80, 30, 95, "Beslut", (1, 1, 1))]
    assert skew(words) == 0.0 and deskewed(words) == words


def test_specks_and_unsure_marks_are_dropped_signs_dashes_and_bullets_kept() -> None:
    def word(text: str, conf: float, left: int, height: int = 30, line: int = 1) -> OcrWord:
        return OcrWord(left, 100 * line, 20 * len(text), height, conf, text, (1, 1, line))

    words = [
        word("«", 70, 10, height=12),  # a bullet "•" read as "«"
        word("Tjänsteskrivelse", 95, 60),
        word("|", 55, 500),  # a table border
        word("i", 40, 700, height=2),  # a speck read as a letter
        word("§", 45, 10, line=2),
        word("52", 90, 40, line=2),
        word("–", 40, 100, line=2),
        word("Rapport", 95, 140, line=2),
        word(";", 30, 400, line=2),
        word("<:Valav", 80, 10, line=3),
        word("2", 11, 300, line=3),  # an unsure digit is still a digit
        word("a", 5, 400, line=3),  # a smudge
    ]
    assert [w.text for w in denoised(words)] == [
        "•", "Tjänsteskrivelse", "§", "52", "–", "Rapport", "Valav", "2",
    ]  # fmt: skip


def test_running_lines_read_alike_on_every_page() -> None:
    pages = [
        "SAMMANTRÄDESPROTOKOLL - Sammanträdesdatum 2022-11-24 - Sida 1 (3)\nText ett.",
        "SAMMANTRÄDESPROTOKOLL Sammanträdesdatum 2022-11-24 : Sida 2 (3)\nText två - tre.",
        "SAMMANTRÄDESPROTOKOLL : Sammanträdesdatum 2022-11-24 Sida 3 (3)\nText tre.",
    ]
    steady = steady_running_lines(pages)
    assert [p.split("\n")[0] for p in steady] == [
        f"SAMMANTRÄDESPROTOKOLL Sammanträdesdatum 2022-11-24 Sida {n} (3)" for n in (1, 2, 3)
    ]
    assert [p.split("\n")[1] for p in steady] == ["Text ett.", "Text två - tre.", "Text tre."]
    single = ["Rubrik - ett\nText."]
    assert steady_running_lines(single) == single


def test_table_rules_are_taken_out_and_letters_kept() -> None:
    """A ruled table on a page turned by a degree: the rules go, the text stays."""
    from PIL import Image, ImageDraw, ImageFont

    from ingest.ocr_image import rules_mask, without_rules

    image = Image.new("L", (1200, 500), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    draw.text((60, 120), "Olga Kvist  Försäkringskassan  ledamot — §", fill=0, font=font)
    for y in (100, 180):
        draw.line([(40, y), (1150, y + 20)], fill=30, width=3)  # a slanted horizontal rule
    draw.line([(600, 60), (604, 300)], fill=30, width=3)  # a vertical rule
    image = image.rotate(1.0, fillcolor=255)
    mask = rules_mask(np.asarray(image), 300)
    ruled = np.asarray(image) < 140
    text_only = Image.new("L", image.size, 255)
    ImageDraw.Draw(text_only).text(
        (60, 120), "Olga Kvist  Försäkringskassan  ledamot — §", fill=0, font=font
    )
    letters = np.asarray(text_only.rotate(1.0, fillcolor=255)) < 140
    assert (mask & ruled & ~letters).sum() > 0.9 * (ruled & ~letters).sum()  # rules found
    assert (mask & letters).sum() < 0.1 * letters.sum()  # letters kept (but where a rule crosses)
    cleaned = np.asarray(without_rules(image, 300)) < 140
    assert (cleaned & ~letters).sum() < 0.05 * (ruled & ~letters).sum()
    blank = Image.new("L", (300, 200), 255)
    assert without_rules(blank, 300) is blank


def test_form_words_get_their_diacritics_back() -> None:
    def word(text: str) -> OcrWord:
        return OcrWord(0, 0, 50, 30, 90, text, (1, 1, 1))

    read = [word("Pläts:"), word("Stadshuset"), word("Narvarande"), word("plats"), word("Järn")]
    assert [w.text for w in form_words(read)] == [
        "Plats:", "Stadshuset", "Närvarande", "plats", "Järn",
    ]  # fmt: skip
