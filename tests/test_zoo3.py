"""The third layout zoo (tests/data/zoo3): 15 protocols in layouts neither earlier zoo has
(roman numerals, a § at the right margin, two columns of prose, a minutes-system export, an
HTML table of paragraphs, a scan, …), written to find where segmentation breaks; its gold.json
says what each stands for. Segmentation on it stays above the floor measured when its fixes
landed."""

from __future__ import annotations

import json
from pathlib import Path

from zoo_floor import assert_above_floor

ZOO3 = Path(__file__).parent / "data" / "zoo3"
GOLD = json.loads((ZOO3 / "gold.json").read_text("utf-8"))

# Measured with session 12's fixes (item F1 1.0, titles 1.0, clauses 1.0, metadata 1.0, one
# stray item: a wrapped name in lq05's head; before them 0.78, 0.73, 0.78, 0.88, 36), rounded
# down.
FLOOR = {
    "item_f1": 0.99,
    "title_accuracy": 0.99,
    "clause_f1": 0.99,
    "metadata_accuracy": 1.0,
}
MAX_STRAY = 1


def test_zoo3_has_a_gold_for_every_file() -> None:
    files = sorted(p.name for p in ZOO3.iterdir() if p.name != "gold.json")
    assert files == sorted(GOLD["documents"]) == sorted(GOLD["variants"])


def test_segmentation_of_zoo3_stays_above_its_floor(tmp_path: Path) -> None:
    assert_above_floor(ZOO3, tmp_path, FLOOR, MAX_STRAY, len(GOLD["documents"]))
