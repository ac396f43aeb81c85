"""The Sök page as a researcher's workbench, on a constructed corpus whose counts are known by
construction: the total, facet counts (click to filter, kept in the URL), paging, sort by date,
the export of exactly the result set, citations, permalinks and the anchor in Dokument."""

from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path
from typing import Any

import pytest
from apptest import open_lazy
from streamlit.testing.v1 import AppTest

import search_app
from corpus.export import citation, table_csv
from corpus.settings import Settings
from corpus.store import Store
from index.build import ingest_and_index
from index.embed import HashEncoder
from search_app import results, ui
from search_app.results import NO_STANCE

APP = Path(search_app.__file__).with_name("app.py")
WORD = "zzkvotering"
# (förbund as the protocol names it, canonical name, date, items, items with WORD)
MEETINGS = [
    ("Samordningsförbundet Halland", "2024-03-14", 10, 8),
    ("Samordningsförbundet Gävleborg", "2023-05-10", 11, 9),
    ("Sjuhärads Samordningsförbund", "2022-11-02", 7, 6),
]
TOTAL = sum(m[3] for m in MEETINGS)
FILLER = [
    "styrelsen",
    "diskuterade",
    "ärendet",
    "och",
    "noterade",
    "informationen",
    "om",
    "verksamheten",
]


def _protocol(forbund: str, day: str, n_items: int, n_word: int, rng: random.Random) -> str:
    lines = [forbund, "PROTOKOLL", f"Sammanträdesdatum {day}", ""]
    with_word = set(rng.sample(range(1, n_items + 1), n_word))
    for n in range(1, n_items + 1):
        words = rng.sample(FILLER, 6) + ([WORD] if n in with_word else [])
        rng.shuffle(words)
        lines += [f"§ {n} Ärende nummer {n}", "", " ".join(words).capitalize() + ".", ""]
        lines += ["Beslut", "Att godkänna redovisningen." if n % 2 else "Att avslå ansökan.", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workbench")
    rng = random.Random(15)
    for i, (forbund, day, n_items, n_word) in enumerate(MEETINGS):
        path = root / "filer" / f"protokoll-{i}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(_protocol(forbund, day, n_items, n_word, rng), encoding="utf-8")
    settings = Settings(db=root / "c.db", model="hash", cache_dir=root / "cache")
    report, _ = ingest_and_index([root / "filer"], settings, encoder=HashEncoder(), isolate=False)
    assert report.documents_added == len(MEETINGS), report.failures
    return settings.db


@pytest.fixture
def env(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FINSAM_DB", str(corpus))
    monkeypatch.setenv("FINSAM_MODEL", "hash")
    monkeypatch.setenv("FINSAM_CACHE", str(corpus.parent / "cache"))
    monkeypatch.delenv("FINSAM_APP_HOST", raising=False)
    return corpus


def _app(page: str | None = None, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    if page:
        at.run()
        at.switch_page(page)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _cards(at: AppTest) -> list[str]:
    return [h.value for h in at.html if 'class="fs-card"' in h.value]


def _caption(at: AppTest) -> str:
    return next(c.value for c in at.main.caption if "träffar med sökorden" in c.value)


def _facet(at: AppTest, label_start: str) -> Any:
    found = [b for b in at.button if b.label.startswith(label_start) and b.key.startswith("facet_")]
    assert len(found) == 1, [b.label for b in at.button]
    return found[0]


def _canonical(db: Path) -> dict[str, str]:
    with Store.open(db, readonly=True) as store:
        return {d: f for f, d, *_ in store.coverage()}


def test_total_counts_every_matching_item_and_pages_through_them(env: Path) -> None:
    at = _app(q=WORD, mode="lexical")
    assert _caption(at).startswith(f"{TOTAL} träffar med sökorden")
    assert len(_cards(at)) == 10
    more = [b for b in at.button if b.label.startswith("Visa fler")]
    assert more
    more[0].click().run()
    assert len(_cards(at)) == 20 and at.query_params["n"] == "20"
    [b for b in at.button if b.label.startswith("Visa fler")][0].click().run()
    assert len(_cards(at)) == TOTAL
    assert not [b for b in at.button if b.label.startswith("Visa fler")]
    assert all(WORD in c.lower() for c in _cards(at)), "a card without the query word"
    # hybrid counts the same items with the words, and says how many more are near in meaning
    at = _app(q=WORD)
    assert _caption(at).startswith(f"{TOTAL} träffar med sökorden")


def test_a_search_no_item_holds_a_word_of_says_its_hits_are_only_near_in_meaning(
    env: Path,
) -> None:
    at = _app(q="zebrakvagga")
    notices = [i.value for i in at.main.info]
    assert any(n.startswith("Ingen punkt innehåller orden i sökfrågan. Nedan") for n in notices)
    assert _caption(at).startswith("0 träffar med sökorden och ")
    assert _cards(at)
    at = _app(q=WORD)
    assert not [i.value for i in at.main.info if "Ingen punkt innehåller" in i.value]


def test_facet_counts_and_a_click_filters_and_goes_into_the_url(env: Path) -> None:
    names = _canonical(env)
    at = _app(q=WORD, mode="lexical")
    for _, day, _, n_word in MEETINGS:
        assert _facet(at, f"{names[day]} ").label == f"{names[day]} ({n_word})"
        assert _facet(at, f"{day[:4]} ").label == f"{day[:4]} ({n_word})"
    assert _facet(at, "Protokoll").label == f"Protokoll ({TOTAL})"
    _, day, _, n_word = MEETINGS[1]
    _facet(at, f"{day[:4]} ").click().run()
    assert not at.exception
    assert _caption(at).startswith(f"{n_word} träffar med sökorden")
    assert at.query_params["from"] == f"{day[:4]}-01-01"
    assert at.query_params["to"] == f"{day[:4]}-12-31"
    assert all(day in c for c in _cards(at))
    _facet(at, f"{names[day]} ").click().run()
    assert at.query_params["forbund"] in (names[day], [names[day]])


def test_stance_facet_filters_on_the_decisions(env: Path) -> None:
    at = _app(q=WORD, mode="lexical", k="50")
    stance_buttons = [b for b in at.button if b.key.startswith("facet_stance_")]
    assert stance_buttons
    button = stance_buttons[0]
    stance = button.key.removeprefix("facet_stance_")
    expected = int(button.label.rsplit("(", 1)[1].rstrip(")"))
    button.click().run()
    assert at.query_params["stance"] == stance
    assert len(_cards(at)) == expected
    with Store.open(env, readonly=True) as store:
        facts = store.item_facts(store.item_ids())
        if stance == NO_STANCE:  # the facet's value for items without a stance on any clause
            ids = [h.item_id for h in facts if not h.stances]
        else:
            ids = [h.item_id for h in facts if stance in h.stances]
        titles = {c.item.title for c in store.item_contexts(ids)}
    assert all(any(t in card for t in titles) for card in _cards(at))


def test_sort_by_date_puts_the_newest_first(env: Path) -> None:
    at = _app(q=WORD, mode="lexical", sort="datum", k="50")
    dates = [day for card in _cards(at) for _, day, _, _ in MEETINGS if day in card]
    assert len(dates) == TOTAL
    assert dates == sorted(dates, reverse=True)


def test_export_is_exactly_the_current_result_set(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported: list[list[dict[str, Any]]] = []
    original = results.export_rows

    def spy(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        rows = original(*args, **kwargs)
        exported.append(rows)
        return rows

    monkeypatch.setattr(results, "export_rows", spy)
    _, day, _, n_word = MEETINGS[0]
    at = _app(q=WORD, mode="lexical", sort="datum", **{"from": day[:4]})
    rows = exported[-1]
    assert len(rows) == n_word, "the export is not the whole filtered result set"
    assert [r["rank"] for r in rows] == list(range(1, n_word + 1))
    shown = _cards(at)
    for row, card in zip(rows, shown, strict=False):
        assert row["title"] in card and row["label"] in card
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [f"CSV ({n_word} rader)", f"XLSX ({n_word} rader)"]
    text = table_csv(rows, results.EXPORT_COLUMNS)
    parsed = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [p["Källhänvisning"] for p in parsed] == [r["citation"] for r in rows]
    assert all(p["Länk"].startswith("/dokument?doc=") for p in parsed)


def test_citation_and_permalink_per_result(env: Path) -> None:
    at = _app(q=WORD, mode="lexical")
    with Store.open(env, readonly=True) as store:
        contexts = store.item_contexts([f.item_id for f in store.item_facts(store.item_ids())])
    cites = {citation(c) for c in contexts}
    urls = {ui.item_url(c) for c in contexts}
    assert not [c.value for c in at.code if c.value in cites], "filled before it was opened"
    assert len(open_lazy(at, "citera_")) == 10
    codes = [c.value for c in at.code]
    assert sum(1 for c in codes if c in cites) == 10
    assert sum(1 for c in codes if c in urls) == 10
    names = _canonical(env)
    shapes = [
        re.compile(rf"{names[d]}, \w*protokoll {d}, § \d+, s\. 1$") for _, d, _, _ in MEETINGS
    ]
    shown = [c for c in codes if c in cites]
    assert all(any(s.match(c) for s in shapes) for c in shown), shown


def test_whole_item_is_sent_only_once_opened(env: Path) -> None:
    at = _app(q=WORD, mode="lexical")
    with Store.open(env, readonly=True) as store:
        bodies = {ui.md(c.item.body.strip()).split("\n")[0] for c in store.iter_item_contexts()}

    def shown() -> int:
        return sum(1 for m in at.markdown if m.value.split("  \n")[0] in bodies)

    assert len([e for e in at.expander if e.label == "Hela punkten"]) == 10
    assert shown() == 0, "the whole items were sent with the first page"
    assert len(open_lazy(at, "hela_")) == 10
    assert shown() == 10


def test_permalink_opens_the_item_at_its_anchor_with_the_words_marked(env: Path) -> None:
    with Store.open(env, readonly=True) as store:
        ctx = next(
            c for c in store.iter_item_contexts() if WORD in c.item.body and c.item.number == 5
        )
    at = _app("views/dokument.py", doc=ctx.doc_id, item=ctx.item.item_id, q=WORD)
    anchor = ui.anchor_id(ctx.item.item_id)
    htmls = [h.value for h in at.html]
    assert any(f'id="{anchor}"' in h for h in htmls), "no anchor at the item"
    assert any("scrollIntoView" in h and anchor in h for h in htmls)
    expanded = [e for e in at.expander if e.proto.expanded]
    assert len(expanded) == 1 and ctx.item.title in expanded[0].label
    assert any(f"<mark>{WORD}</mark>" in h for h in htmls), "query word not marked"
    assert citation(ctx) in [c.value for c in at.code]


def test_unknown_filter_values_in_a_link_are_warned_about_not_dropped(env: Path) -> None:
    at = _app(q=WORD, forbund="Umeå", kind="protokol", stance="hurra", **{"from": "2023-13"})
    warnings = " ".join(w.value for w in at.warning)
    assert "”Umeå”" in warnings and "”protokol”" in warnings and "”hurra”" in warnings
    assert "”2023-13”" in warnings
    assert not _cards(at), "an unknown förbund filter was dropped: results from all förbund"
    assert at.query_params["forbund"] in ("Umeå", ["Umeå"])
    assert at.sidebar.multiselect[0].value == ["Umeå"]
