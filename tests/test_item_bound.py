"""One huge item cannot hold the index update for hours: an item is bounded in size (a cut is
a warning the user sees) and the index update embeds in bounded calls with progress between
them (issue 16: r_big_item_index_time). Work is counted, not timed."""

from __future__ import annotations

from pathlib import Path

from corpus.model import Document
from corpus.settings import Settings
from index.embed import HashEncoder
from ingest.bounds import bound_items
from ingest.pipeline import limits_of, process_file

HEAD = "Samordningsförbundet Halland\nPROTOKOLL\nSammanträdesdatum 2024-03-14\n\n"


class CallCounter(HashEncoder):
    """The hash encoder, recording the size of every encode call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def encode_passages(self, texts, progress=None):  # type: ignore[no-untyped-def,override]
        self.calls.append(len(texts))
        return super().encode_passages(texts, progress)


def protocol(path: Path, long_words: int, short_items: int = 3) -> Path:
    body = " ".join(f"Rad {i}: avgift {i} kr enligt bilaga." for i in range(long_words // 7))
    short = "".join(
        f"§ {n} Rapport {n}\nStyrelsen beslutar att godkänna rapporten.\n\n"
        for n in range(2, 2 + short_items)
    )
    path.write_text(
        f"{HEAD}§ 1 Avgifter per medlem\n{body}\n\nBeslut\nAtt fastställa avgifterna.\n\n{short}",
        encoding="utf-8",
    )
    return path


def test_bound_cuts_only_items_over_it_at_a_word_boundary(tmp_path: Path) -> None:
    doc = process_file(protocol(tmp_path / "p.txt", 14_000), limits_of(Settings()))
    assert isinstance(doc, Document)
    long_item = doc.items[0]
    bounded, cuts = bound_items(doc, limit=20_000)
    assert len(cuts) == 1 and cuts[0].total == len(long_item.body)
    assert cuts[0].item.startswith("§ 1 Avgifter per medlem")
    kept = bounded.items[0].body
    assert 10_000 < len(kept) <= 20_000 == cuts[0].limit and cuts[0].kept == len(kept)
    assert long_item.body.startswith(kept) and long_item.body[len(kept)] in " \n"
    assert bounded.items[1:] == doc.items[1:]
    assert bound_items(bounded, limit=20_000) == (bounded, [])  # within the bound: unchanged
