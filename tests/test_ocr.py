"""OCR of scanned pages: Tesseract's output parsed into lines, the § repair, real scans."""

from __future__ import annotations

import random

import pytest

from ingest.ocr import (
    OcrWord,
    confidence,
    page_lines,
    repair_paragraph_signs,
    text_of,
    words_from_data,
)

MISREADS = ["$", "S", "8", "3", "5", "9", "6", "", "8 ", "$ ", "S "]  # what OCR makes of a "§" (or drops it)
TITLES = [
    "Val av justerare",
    "Godkännande av dagordning",
    "Föregående protokoll",
    "Ekonomisk uppföljning",
    "Tilläggsäskande för Jobbspåret",
    "Verksamhetsplan 2025",
    "Övriga frågor",
    "Mötets avslutande",
]


def _data(rows: list[tuple[int, int, int, int, int, int, float, str]]) -> dict[str, list[object]]:
    keys = ["level", "block_num", "par_num", "line_num", "left", "top", "conf", "text"]
    out: dict[str, list[object]] = {k: [] for k in [*keys, "width", "height"]}
    for row in rows:
        for k, v in zip(keys, row, strict=True):
            out[k].append(v)
        out["width"].append(40)
        out["height"].append(20)
    return out


def test_words_are_level_five_rows_with_text_and_a_confidence() -> None:
    data = _data(
        [
            (1, 0, 0, 0, 0, 0, -1, ""),  # page
            (4, 1, 1, 1, 10, 10, -1, ""),  # line
            (5, 1, 1, 1, 10, 10, 91.5, "Beslut"),
            (5, 1, 1, 1, 60, 10, 88.0, "  "),  # empty word
            (5, 1, 1, 2, 10, 40, -1, "skräp"),  # no confidence: not a word
        ]
    )
    words = words_from_data(data)
    assert [(w.text, w.conf, w.line) for w in words] == [("Beslut", 91.5, (1, 1, 1))]


def test_confidence_weights_words_by_length() -> None:
    def word(text: str, conf: float) -> OcrWord:
        return OcrWord(0, 0, 10, 10, conf, text, (1, 1, 1))

    assert confidence([]) is None
    # (90 * 10 + 30 * 2) / 12 = 80
    assert confidence([word("Protokolle", 90.0), word("ab", 30.0)]) == 80.0


def test_lines_keep_a_label_and_its_value_on_one_row() -> None:
    # Two Tesseract blocks side by side (a label column and a value column), as on a first page.
    words = [
        OcrWord(100, 100, 120, 30, 95, "Plats", (1, 1, 1)),
        OcrWord(230, 100, 60, 30, 95, "och", (1, 1, 1)),
        OcrWord(300, 100, 50, 30, 95, "tid", (1, 1, 1)),
        OcrWord(100, 200, 200, 30, 95, "Beslutande", (2, 1, 1)),
        OcrWord(700, 102, 300, 30, 95, "Kommunhuset,", (3, 1, 1)),
        OcrWord(1010, 102, 200, 30, 95, "Sala", (3, 1, 1)),
        OcrWord(700, 202, 200, 30, 95, "Anna", (3, 1, 2)),
        OcrWord(910, 202, 200, 30, 95, "Berg", (3, 1, 2)),
    ]
    scale = 72 / 300
    lines = page_lines(words, scale, 842.0)
    assert all(0 <= ln.y0 < ln.y1 <= 842.0 for ln in lines)
    text, blocks = text_of(words, scale, 842.0)
    assert [(b.kind, b.text) for b in blocks][:2] == [("cell", "Plats och tid"), ("cell", "Kommunhuset, Sala")]
    assert text.splitlines() == [
        "Plats och tid Kommunhuset, Sala",
        "",
        "Beslutande Anna Berg",
    ]


def _scanned_protocol(rng: random.Random) -> tuple[list[str], list[int]]:
    """Pages of a § protocol as OCR reads it: each § sign misread, dropped or kept."""
    first = rng.randint(1, 120)
    pages: list[list[str]] = [["SAMORDNINGSFÖRBUNDET X Protokoll 1(3)", "Styrelsen 2024-02-15"]]
    numbers = []
    for k, title in enumerate(rng.sample(TITLES, 6)):
        number = first + k
        numbers.append(number)
        sign = rng.choice(MISREADS) if rng.random() < 0.8 else "§ "
        if k == 0:
            sign = rng.choice(["$", "8", "3"])  # at least some signs show
        pages[-1] += [f"{sign}{number} {title}", "", "Beslut", "", "- Att godkänna informationen"]
        pages[-1] += [f"{rng.randint(2, 30)} personer deltog i {rng.randint(1, 9)} Möten."]
        if rng.random() < 0.4:
            pages.append([f"Sida {len(pages) + 1}"])
    return ["\n".join(p) for p in pages], numbers


@pytest.mark.parametrize("seed", range(25))
def test_misread_paragraph_signs_of_a_run_are_written_back(seed: int) -> None:
    rng = random.Random(seed)
    texts, numbers = _scanned_protocol(rng)
    repaired = repair_paragraph_signs(texts)
    headings = [ln for t in repaired for ln in t.splitlines() if ln.startswith("§ ")]
    assert [int(h.split()[1]) for h in headings] == numbers
    # Nothing else changed: the same lines, only heading lines rewritten.
    for before, after in zip(texts, repaired, strict=True):
        for b, a in zip(before.splitlines(), after.splitlines(), strict=True):
            assert a == b or a.startswith("§ ") and a.endswith(b.split(" ", 1)[1])


def test_numbered_lines_without_any_sign_are_left_alone() -> None:
    agenda = "1 Mötets öppnande\n2 Val av justerare\n3 Dagordning\n4 Övriga frågor"
    assert repair_paragraph_signs([agenda]) == [agenda]
    running = "12 Deltagare kom\n13 Deltagare gick"  # two lines: no run of three
    assert repair_paragraph_signs([running]) == [running]
    years = "$1 Mars\n2024 Budget\n88 Kronor"  # signs but no consecutive numbers
    assert repair_paragraph_signs([years]) == [years]
