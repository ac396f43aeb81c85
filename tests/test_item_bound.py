"""One huge item cannot hold the index update for hours: an item is bounded in size (a cut is
a warning the user sees) and the index update embeds in bounded calls with progress between
them (issue 16: r_big_item_index_time). Work is counted, not timed."""

from __future__ import annotations

from pathlib import Path

from corpus.model import Document
from corpus.settings import Settings
from index.build import ingest_and_index
from index.embed import HashEncoder
from ingest.bounds import MAX_ITEM_CHARS, bound_items
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


def test_a_file_with_an_item_over_the_bound_is_stored_cut_with_a_warning(tmp_path: Path) -> None:
    """The item is cut at the bound and the cut is a warning the user sees, never silent (the
    old code embedded 87 417 passages of one 100 MB item in one call)."""
    path = protocol(tmp_path / "lang.txt", MAX_ITEM_CHARS * 6 // 25)  # ~1.2 times the bound
    result = process_file(path, limits_of(Settings()))
    assert isinstance(result, Document), result
    assert max(len(it.body) for it in result.items) <= MAX_ITEM_CHARS
    (cut,) = [w for w in result.warnings if w.code == "item_cut"]
    assert "§ 1 Avgifter per medlem" in cut.message and "200 000" in cut.message
    ok = process_file(protocol(tmp_path / "kort.txt", 2_000), limits_of(Settings()))
    assert isinstance(ok, Document) and not [w for w in ok.warnings if w.code == "item_cut"]


def test_a_run_on_heading_is_cut_without_a_warning(tmp_path: Path) -> None:
    line = "§ 1 " + " ".join(f"ord{i}" for i in range(400))  # one 3 000-character line
    path = tmp_path / "rad.txt"
    path.write_text(f"Samordningsförbundet Exempel\nProtokoll 2024-01-10\n\n{line}\n", "utf-8")
    doc = process_file(path, limits_of(Settings()))
    assert isinstance(doc, Document), doc
    assert not [w for w in doc.warnings if w.code == "item_cut"]
    assert all(len(it.title) <= 1_000 for it in doc.items)


def test_many_items_are_embedded_in_bounded_calls_with_progress(tmp_path: Path) -> None:
    path = protocol(tmp_path / "manga.txt", 30_000, short_items=40)
    settings = Settings(db=tmp_path / "c.db", model="hash", cache_dir=tmp_path / "cache")
    encoder = CallCounter()
    steps: list[int] = []
    report, _ = ingest_and_index(
        [path],
        settings,
        encoder=encoder,
        isolate=False,
        index_progress=lambda done, total, label="": steps.append(done),
    )
    assert report.documents_added == 1
    assert max(encoder.calls) <= settings.embed_batch * 8, encoder.calls
    assert len(steps) >= 3 and steps == sorted(steps)
