"""Passage windows of items: content, window limits, overlap, title prefix, stable ids."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.model import SEKTION, Item, item_key, make_item_id
from index.passages import decision_text, fingerprint, passage_id, passage_ids, passages

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"


def _item(title: str = "", body: str = "", **kw: object) -> Item:
    return Item(
        item_id=make_item_id("doc", title or "x"),
        label=str(kw.pop("label", "§ 1")),
        number=1,
        kind=str(kw.pop("kind", "paragraf")),
        title=title,
        body=body,
        **kw,  # type: ignore[arg-type]
    )


def _body_of(window: str, head: str) -> list[str]:
    assert window.startswith(head + " "), window[:80]
    return window[len(head) + 1 :].split()


def test_short_item_is_one_passage_with_title_body_and_decisions() -> None:
    item = _item(
        "Tilläggsäskande 2023 Samordningsteam Sala",
        "Samordningsteamet har ansökt om ytterligare medel för hösten.",
        decisions=("Att bevilja Samordningsteam Sala en extra tilldelning med 120 tkr",),
    )
    (text,) = passages(item)
    assert text == (
        "Tilläggsäskande 2023 Samordningsteam Sala Samordningsteamet har ansökt om ytterligare "
        "medel för hösten. Beslut: Att bevilja Samordningsteam Sala en extra tilldelning med "
        "120 tkr"
    )


def test_decision_already_in_body_is_not_repeated() -> None:
    body = "Styrelsen diskuterar avgiften. Beslut att fastställa avgiften till 3,5 promille."
    item = _item("Serviceavgift", body, decisions=("Att fastställa avgiften till 3,5 promille.",))
    (text,) = passages(item)
    assert text.casefold().count("fastställa avgiften till 3,5 promille") == 1
    assert "Beslut:" not in text


def test_proposals_are_included_for_agenda_points() -> None:
    item = _item("Ombud till NNS årsmöte", "", proposals=("Att utse Karin Hurtig till ombud",))
    (text,) = passages(item)
    assert "Förslag till beslut: Att utse Karin Hurtig till ombud" in text


@pytest.mark.parametrize("in_body", [True, False])
def test_decisions_lead_the_first_window_of_a_long_item(in_body: bool) -> None:
    """A decision stated at the end of a long body is also in the window with the title."""
    clause = "Ansökan om tilläggsäskande för Trappsteget avslås."
    body = " ".join(f"ord{i}" for i in range(600)) + (" Beslut " + clause if in_body else "")
    item = _item("Tilläggsäskande 2020 – Trappsteget", body, decisions=(clause, "Andra att."))
    windows = passages(item, window_words=200, overlap=40)
    assert len(windows) > 3
    first = f"Tilläggsäskande 2020 – Trappsteget Beslut: {clause} Andra att. ord0 "
    assert windows[0].startswith(first)
    assert all(w.startswith("Tilläggsäskande 2020 – Trappsteget ") for w in windows)
    assert windows[-1].endswith(clause if in_body else "ord599")
    text = " ".join(windows)
    assert text.count(clause) == (2 if in_body else 1) and "ord300" in text


def test_long_agenda_point_leads_with_its_proposal() -> None:
    body = " ".join(f"ord{i}" for i in range(400))
    item = _item("Budget 2024", body, proposals=("Att fastställa budgeten",))
    first = passages(item, window_words=200, overlap=40)[0]
    assert first.startswith("Budget 2024 Förslag till beslut: Att fastställa budgeten ord0 ")


def test_decision_text_is_title_and_clauses_alone() -> None:
    item = _item(
        "NNS förslag om serviceavgift 2023",
        "Lång bakgrund om avgiften.",
        decisions=("Ärendet bordläggs till nästa sammanträde.", "Förbundschefen bereder."),
    )
    assert decision_text(item) == (
        "NNS förslag om serviceavgift 2023. Beslut: Ärendet bordläggs till nästa sammanträde. "
        "Förbundschefen bereder."
    )
    assert decision_text(_item("Övriga frågor", "Inga.")) == ""


def test_attachment_heading_is_part_of_every_window() -> None:
    body = " ".join(f"ord{i}" for i in range(700))
    item = _item("Revisorernas bedömning", body, kind=SEKTION, attachment="Bilaga 3 Revision 2022")
    windows = passages(item, window_words=200, overlap=20)
    assert len(windows) > 1
    for w in windows:
        assert w.startswith("Bilaga 3 Revision 2022: Revisorernas bedömning ")


def test_attachment_heading_is_not_doubled_when_title_holds_it() -> None:
    item = _item("Bilaga 2 Verksamhetsplan", "Text.", kind=SEKTION, attachment="Bilaga 2")
    assert passages(item) == ["Bilaga 2 Verksamhetsplan Text."]


def test_long_item_windows_respect_limit_overlap_and_cover_the_text() -> None:
    words = [f"w{i}" for i in range(1000)]
    head = "Budget 2024 för förbundet"
    windows = passages(_item(head, " ".join(words)), window_words=120, overlap=30)
    bodies = [_body_of(w, head) for w in windows]
    assert all(len(w.split()) <= 120 for w in windows)
    for a, b in zip(bodies, bodies[1:], strict=False):
        assert a[-30:] == b[:30]
    rebuilt = bodies[0] + [w for b in bodies[1:] for w in b[30:]]
    assert rebuilt == words


def test_title_and_label_fallbacks_and_empty_item() -> None:
    assert passages(_item("Övriga frågor")) == ["Övriga frågor"]
    assert passages(_item("", "", label="§ 58")) == ["§ 58"]
    assert passages(_item("", "", label="")) == []


def test_absurdly_long_title_still_leaves_room_for_body() -> None:
    title = " ".join(f"t{i}" for i in range(500))
    windows = passages(_item(title, "kropp " * 300), window_words=100, overlap=10)
    assert all(len(w.split()) <= 100 for w in windows)
    assert all("kropp" in w for w in windows)


def test_text_is_nfc_and_whitespace_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Förbundets årsredovisning")
    (text,) = passages(_item(decomposed, "rad ett\n\n  rad\ttvå"))
    assert text == "Förbundets årsredovisning rad ett rad två"
    assert unicodedata.is_normalized("NFC", text)


def test_real_protocol_text_is_fully_windowed() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        item = _item("Protokoll", text)
        windows = passages(item)
        words = unicodedata.normalize("NFC", text).split()
        bodies = [_body_of(w, "Protokoll") for w in windows]
        assert all(len(w.split()) <= 280 for w in windows), path.name
        assert bodies[0] + [w for b in bodies[1:] for w in b[40:]] == words, path.name


@settings(max_examples=150, deadline=None)
@given(
    n_words=st.integers(0, 900),
    title_words=st.integers(0, 12),
    window=st.integers(2, 300),
    overlap=st.integers(0, 300),
)
def test_windows_property(n_words: int, title_words: int, window: int, overlap: int) -> None:
    words = [f"b{i}" for i in range(n_words)]
    title = " ".join(f"t{i}" for i in range(title_words))
    windows = passages(
        _item(title, " ".join(words), label=""), window_words=window, overlap=overlap
    )
    if not title and not words:
        assert windows == []
        return
    assert windows
    assert all(len(w.split()) <= window for w in windows)
    seen = [w for text in windows for w in text.split() if w.startswith("b")]
    assert sorted(set(seen), key=lambda w: int(w[1:])) == words
    if title:
        first = title.split()[0]
        assert all(w.split()[0] == first for w in windows)


def test_passage_ids_are_stable_distinct_and_int63() -> None:
    item_id = make_item_id("doc", "§ 57")
    # The on-disk format of saved indexes depends on this exact value: never change it.
    assert passage_id("0123456789abcdef", 0) == 0x4F7DDEAF7724BAF4
    assert passage_id("0123456789abcdef", 7) == 0x1B00CCD7BA5520C6
    ids = {passage_id(item_id, w) for w in range(50)}
    ids |= {passage_id(make_item_id("doc", "§ 58"), w) for w in range(50)}
    assert len(ids) == 100
    assert all(0 <= i < 2**63 for i in ids)
    assert passage_id(item_id, 0) != item_key(item_id)
    assert passage_ids(item_id, 3).tolist() == [passage_id(item_id, w) for w in range(3)]
    assert passage_ids(item_id, 3).dtype.name == "int64"


def test_fingerprint_tracks_texts_exactly() -> None:
    base = fingerprint(["Budget 2024", "Beslut: Att fastställa budgeten"])
    assert base == fingerprint(["Budget 2024", "Beslut: Att fastställa budgeten"])
    assert base != fingerprint(["Budget 2024", "Beslut: Att fastställa budgeten."])
    assert base != fingerprint(["Beslut: Att fastställa budgeten", "Budget 2024"])
    assert fingerprint(["ab", "c"]) != fingerprint(["a", "bc"])
    assert re.fullmatch(r"[0-9a-f]{32}", base)


def test_a_new_passages_version_embeds_again_exactly_the_changed_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index built by an older passages() is brought to the new one by the next update:
    every item is compared, the ones whose passages changed are embedded again, the manifest
    records the new version, and the result equals an index built from scratch."""
    import numpy as np

    from corpus.settings import Settings
    from corpus.store import Store
    from index import passages as module
    from index import versions
    from index.build import ingest_and_index, sync_index
    from index.dense import DenseIndex
    from index.embed import HashEncoder
    from index.manifest import load_manifest

    def old(item: Item, **kw: int) -> list[str]:  # what version 1 embedded: no decisions first
        return passages(dataclasses.replace(item, decisions=(), proposals=()), **kw)

    class Counting(HashEncoder):
        texts = 0

        def encode_passages(self, texts, progress=None):  # type: ignore[no-untyped-def]
            Counting.texts += len(texts)
            return super().encode_passages(texts, progress)

    files = sorted(SAMPLES.glob("*.txt"))[1:3]  # protocols with decisions, and short
    settings = Settings(db=tmp_path / "a" / "f.db", model="hash", cache_dir=tmp_path / "c")
    with monkeypatch.context() as m:
        m.setattr(module, "PASSAGES_VERSION", 1)
        m.setattr(module, "passages", old)
        ingest_and_index(files, settings, isolate=False)
    manifest = load_manifest(versions.current(settings.index_dir))  # type: ignore[arg-type]
    assert manifest is not None and manifest.passages.startswith("passages v1:")
    with Store.open(settings.db) as store:
        items = [c.item for c in store.item_contexts(store.item_ids())]
        changed = [it for it in items if old(it) != passages(it)]
        assert 0 < len(changed) < len(items)
        sync_index(store, settings, encoder=Counting())
    assert Counting.texts == sum(len(passages(it)) for it in changed)
    folder = versions.current(settings.index_dir)
    manifest = load_manifest(folder)  # type: ignore[arg-type]
    assert manifest is not None and manifest.passages.startswith("passages v2:")
    fresh = Settings(db=tmp_path / "b" / "f.db", model="hash", cache_dir=tmp_path / "c")
    ingest_and_index(files, fresh, isolate=False)
    a, b = DenseIndex.load(folder), DenseIndex.load(versions.current(fresh.index_dir))  # type: ignore[arg-type]
    q = HashEncoder().encode_queries(["beslut om tilläggsäskande"])[0]
    assert [(h.item_id, round(h.score, 5)) for h in a.search(q, 20)] == [
        (h.item_id, round(h.score, 5)) for h in b.search(q, 20)
    ]
    assert np.isclose(len(a), len(b))
