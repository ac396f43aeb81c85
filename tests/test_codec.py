"""Extracted pages survive the store's blob form, with their layout hints, across versions of
the Page record (fields added later get their defaults; fields dropped are ignored)."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from pdfgen import render_pdf

from corpus.codec import pages_from_blob, pages_to_blob
from corpus.model import Block, Page
from ingest.extract import read


def test_pages_with_layout_blocks_round_trip(tmp_path: Path) -> None:
    text = "§ 12 Budget\nStyrelsen beslutar att godkänna budgeten.\n\n§ 13 Övrigt\nInga frågor."
    pages = read(render_pdf([text, text], tmp_path / "p.pdf", header="Förbundet")).pages
    assert any(p.blocks for p in pages)  # the reader gave hints: they must come back too
    assert pages_from_blob(pages_to_blob(pages)) == pages


def test_hand_made_blocks_of_every_shape_round_trip() -> None:
    pages = (
        Page(1, "a"),
        Page(2, "Rubrik\ncell", (Block("heading", "Rubrik", level=1, size=14.0, bold=True),
                                  Block("cell", "cell", row=0, col=2, size=9))),
    )  # fmt: skip
    back = pages_from_blob(pages_to_blob(pages))
    assert back == pages
    assert isinstance(back[1].blocks[1].size, float)


def test_stored_pages_of_another_page_version_are_read() -> None:
    older = [{"number": 1, "text": "utan block"}]  # before Page had blocks
    newer = [
        {
            "number": 2,
            "text": "x",
            "blocks": [{"kind": "paragraph", "text": "x", "shade": "grå"}],
            "rotation": 90,
        }
    ]  # fields this version does not know
    blob = zlib.compress(json.dumps(older + newer).encode())
    assert pages_from_blob(blob) == (
        Page(1, "utan block"),
        Page(2, "x", (Block("paragraph", "x"),)),
    )
