"""An AppTest per page of the Streamlit app, on the sample corpus (hash test encoder)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from writers import writer_running

import search_app
from corpus.model import COMPARE_STATUS_SV, STANCE_SV, ItemContext
from corpus.settings import Settings
from corpus.store import Store
from index.build import ingest_and_index
from index.embed import HashEncoder

APP = Path(search_app.__file__).with_name("app.py")
SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
NNS_TITLE = "Förslag till ökad serviceavgift Nationella Nätverket för Samordningsförbund"
BROKEN = "trasig.pdf"
TIMEOUT = 120


def _build(db: Path, paths: list[Path]) -> None:
    settings = Settings(db=db, model="hash", cache_dir=db.parent / "cache")
    report, summary = ingest_and_index(paths, settings, encoder=HashEncoder(), isolate=False)
    assert summary is not None
    assert report.documents_added + report.documents_unchanged >= 1


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus plus one broken file, ingested and indexed once per session."""
    root = tmp_path_factory.mktemp("app-corpus")
    broken = root / "inkorg" / BROKEN
    broken.parent.mkdir()
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> trasig\n%%EOF")
    db = root / "finsam.db"
    _build(db, [SAMPLES, broken])
    return db


def _use_corpus(db: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the app at the corpus `db` (hash encoder, its cache beside it)."""
    monkeypatch.setenv("FINSAM_DB", str(db))
    monkeypatch.setenv("FINSAM_MODEL", "hash")
    monkeypatch.setenv("FINSAM_CACHE", str(db.parent / "cache"))
    return Settings(db=db, model="hash", cache_dir=db.parent / "cache")


@pytest.fixture
def env(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _use_corpus(corpus, monkeypatch)
    return corpus


def _nns_item(db: Path) -> ItemContext:
    """The 2023-11-02 § 57 item, found by its facts in the stored corpus."""
    with Store.open(db, readonly=True) as store:
        found = [
            c
            for c in store.iter_item_contexts()
            if c.meeting_date == "2023-11-02" and c.item.label == "§ 57"
        ]
    assert len(found) == 1
    return found[0]


def _app(page: str | None = None, **params: str | list[str]) -> AppTest:
    """The app opened as a browser would: on `page` (default: Sök) with these URL parameters."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if page:
        at.run()  # the pages are registered by a first run of the entry script
        assert not at.exception, at.exception
        at.switch_page(page)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _cards(at: AppTest) -> list[str]:
    return [h.value for h in at.html if 'class="fs-card"' in h.value]


def _texts(at: AppTest) -> str:
    """The page's markdown as a reader sees it (the app escapes literal text with backslashes)."""
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_sok_finds_the_nns_fee_item_and_keeps_state_in_the_url(env: Path) -> None:
    at = _app(q="serviceavgift NNS")
    assert at.text_input(key="sok_q").value == "serviceavgift NNS"
    cards = _cards(at)
    assert cards, "no result cards"
    nns = [c for c in cards if NNS_TITLE in c]
    assert nns, "the § 57 item is not among the results"
    assert cards.index(nns[0]) < 3
    assert "§ 57" in nns[0] and "2023-11-02" in nns[0]
    assert "<mark>" in "".join(cards), "no highlighted match in the snippets"
    assert STANCE_SV["for"] in nns[0], "the decision clause has no stance label"
    links = [p for p in at.get("page_link") if p.proto.label == "Öppna i dokumentet"]
    assert len(links) == len(cards)
    assert at.query_params["q"] == "serviceavgift NNS"

    # A förbund filter from the sidebar: only that förbund's items, and it goes into the URL.
    ctx = _nns_item(env)
    other = [n for n in at.sidebar.multiselect[0].options if n != ctx.forbund]
    assert other, "the samples hold more than one förbund"
    at.sidebar.multiselect[0].select(other[0]).run()
    assert not at.exception
    assert at.query_params["forbund"] == [other[0]] or at.query_params["forbund"] == other[0]
    cards = _cards(at)
    assert all(NNS_TITLE not in c for c in cards)
    assert all(other[0] in c for c in cards)


def test_sok_restores_filters_and_mode_from_the_url(env: Path) -> None:
    ctx = _nns_item(env)
    assert ctx.forbund
    at = _app(
        q="serviceavgift", forbund=ctx.forbund, beslut="1", mode="lexical", **{"from": "2023"}
    )
    assert at.sidebar.multiselect[0].value == [ctx.forbund]
    assert at.sidebar.toggle[0].value is True
    assert str(at.sidebar.date_input[0].value) == "2023-01-01"
    cards = _cards(at)
    assert cards and all(ctx.forbund in c for c in cards)
    assert any(NNS_TITLE in c for c in cards)
    assert any("träffar" in c.value and "Ord (BM25)" in c.value for c in at.main.caption)


def test_sok_without_query_asks_for_one(env: Path) -> None:
    at = _app()
    assert not _cards(at)
    assert any("Skriv en sökfråga" in i.value for i in at.info)


def test_beslut_table_stance_comparison_timeline_and_downloads(env: Path) -> None:
    ctx = _nns_item(env)
    at = _app("views/beslut.py")
    at.text_input(key="beslut_amne").input("NNS serviceavgift").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    row = table[(table["Datum"] == "2023-11-02") & (table["§"] == "§ 57")]
    assert len(row) == 1, table
    assert row.iloc[0]["Ställning"] == STANCE_SV["for"]
    assert row.iloc[0]["Fil"] == ctx.source and row.iloc[0]["Sida"]
    comparison = at.dataframe[1].value
    with Store.open(env, readonly=True) as store:
        names = set(store.forbund_names())
    assert names <= set(comparison["Förbund"])
    assert (comparison["Täckning"] == "beslut finns").any()
    assert len(comparison) >= 70  # every member förbund of the period, not only the corpus's
    umea = comparison[comparison["Förbund"] == "Samordningsförbundet Umeåregionen"]
    assert umea.iloc[0]["Täckning"].startswith(COMPARE_STATUS_SV["on_agenda"])
    # the counts above the table are the table's statuses (each metric's help names it)
    metrics = {m.proto.help: m.value for m in at.metric if m.proto.help}
    for sv in COMPARE_STATUS_SV.values():
        assert metrics[sv] == str(int(comparison["Täckning"].str.startswith(sv).sum()))
    assert sum(int(v) for v in metrics.values()) == len(comparison)
    assert at.get("vega_lite_chart"), "no timeline chart"
    labels = {b.proto.label for b in at.get("download_button")}
    assert labels == {"Beslut (CSV)", "Beslut (XLSX)", "Jämförelse (CSV)", "Jämförelse (XLSX)"}
    assert at.query_params["amne"] == "NNS serviceavgift"


def test_prejudikat_from_pasted_and_uploaded_draft(env: Path) -> None:
    draft = (
        "Tjänsteskrivelse: Nationella nätverket för samordningsförbund (NNS) föreslår att "
        "serviceavgiften till nätverket höjs från nästa år. Förbundschefen föreslår att "
        "styrelsen ställer sig bakom förslaget om ökad serviceavgift."
    )
    at = _app("views/prejudikat.py")
    at.text_area(key="prej_text").input(draft).run()
    assert not at.exception, at.exception
    cards = _cards(at)
    assert any(NNS_TITLE in c for c in cards)
    assert all("likhet" in c for c in cards)
    assert any(STANCE_SV["for"] in c for c in cards)
    # what the precedent decided beyond its clauses: the fee NNS proposed, as a share
    assert any(NNS_TITLE in c and "<b>Andel:</b> 3,5 promille" in c for c in cards)

    at = _app("views/prejudikat.py")
    at.file_uploader(key="prej_fil").set_value(("utkast.txt", draft.encode(), "text/plain"))
    at.run()
    assert not at.exception, at.exception
    assert any(e.label.startswith("Text ur utkast.txt") for e in at.expander)
    assert any(NNS_TITLE in c for c in _cards(at))


def test_dokument_shows_meeting_items_and_original(env: Path) -> None:
    ctx = _nns_item(env)
    with Store.open(env, readonly=True) as store:
        doc = store.get_document(ctx.doc_id)
    assert doc is not None
    at = _app("views/dokument.py", doc=ctx.doc_id, item=ctx.item.item_id)
    assert at.selectbox(key="dok_doc").value == ctx.doc_id
    text = _texts(at)
    assert doc.meeting.date and doc.meeting.date in text
    if doc.meeting.chair:
        assert doc.meeting.chair in text
    items = [e for e in at.expander if e.label.lstrip("▶ ").startswith(("§", "punkt", "Ärende"))]
    assert len([e for e in at.expander if "Närvarande" not in e.label]) == len(doc.items)
    opened = [e for e in at.expander if e.proto.expanded]
    assert len(opened) == 1 and "57" in opened[0].label
    assert items
    assert ctx.item.decisions
    clause = html.escape(ctx.item.decisions[0])
    shown = [h.value for h in at.html if clause in h.value]
    assert shown and STANCE_SV["for"] in shown[0], (
        "the decision clause and its stance are not shown"
    )
    assert [b.proto.label for b in at.get("download_button")] == ["Ladda ner originalfilen"]


def test_korpus_counts_heatmap_and_failures(env: Path) -> None:
    with Store.open(env, readonly=True) as store:
        stats = store.stats()
    at = _app("views/korpus.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Dokument"] == str(stats.documents)
    assert metrics["Punkter"] == str(stats.items)
    assert metrics["Beslut"] == str(stats.decisions)
    assert metrics["Filer som inte gick att läsa"] == "1"
    assert at.get("vega_lite_chart"), "no heatmap"
    failures = at.dataframe[-1].value
    assert list(failures["Fil"].map(lambda p: Path(p).name)) == [BROKEN]
    assert failures.iloc[0]["Orsak"]


def test_lagg_till_ingests_uploads_and_makes_them_searchable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ny" / "finsam.db"
    _use_corpus(db, monkeypatch)
    sample = next(p for p in sorted(SAMPLES.glob("*.txt")) if "serviceavgift" in p.read_text())
    at = _app("views/lagg_till.py")
    at.file_uploader(key="lagg_filer").set_value(
        [
            (sample.name, sample.read_bytes(), "text/plain"),
            (BROKEN, b"%PDF-1.4 inte en pdf", "application/pdf"),
        ]
    ).run()
    at.button(key="lagg_start").click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Nya dokument"] == "1"
    assert metrics["Fel"] == "1"
    assert any(BROKEN in e.value.replace("\\", "") for e in at.error)
    assert (db.parent / "uploads").is_dir()

    at.switch_page("views/sok.py")
    at.run()
    at.text_input(key="sok_q").input("serviceavgift NNS").run()
    assert not at.exception, at.exception
    assert any(sample.name in c for c in _cards(at))


def test_sok_during_an_ingest_answers_from_the_last_index_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _use_corpus(tmp_path / "c" / "finsam.db", monkeypatch)
    db = settings.db
    files = sorted(SAMPLES.glob("*.txt"))
    fee = next(p for p in files if "serviceavgift" in p.read_text())
    _build(db, [fee])
    newer = next(p for p in files if p != fee)
    ingest_and_index([newer], settings, index=False, isolate=False)  # stored, not yet indexed

    with writer_running(settings):
        at = _app(q="serviceavgift NNS")
        assert any(NNS_TITLE in c for c in _cards(at))
        assert any("En inläsning pågår" in i.value for i in at.info)
        at.switch_page("views/korpus.py").run()
        assert any("sökindexet uppdateras" in i.value for i in at.info)
    # The ingest ended without updating the index: now it is stale, and the page says how to
    # rebuild it instead of answering from it.
    at = _app(q="serviceavgift NNS")
    assert not _cards(at)
    assert any("Sökindexet stämmer inte med korpusen" in e.value for e in at.error)
    assert any("finsam reindex" in c.value for c in at.code)
    at.switch_page("views/korpus.py").run()
    assert any("Sökindexet är äldre än korpusen" in w.value for w in at.warning)


def test_korpus_lists_each_documents_warnings_with_their_codes(env: Path) -> None:
    with Store.open(env, readonly=True) as store:
        warned = store.document_warnings()
    expected = [(src, w.message, w.code) for src, _doc, ws in warned for w in ws]
    assert expected, "the sample corpus has documents with warnings (an undated note)"
    at = _app("views/korpus.py")
    assert "Dokument med varningar" in [h.value for h in at.subheader]
    table = next(
        df.value for df in at.dataframe if list(df.value.columns) == ["Fil", "Varning", "Kod"]
    )
    assert [tuple(r) for r in table.itertuples(index=False)] == expected
    documents = next(df.value for df in at.dataframe if "Varningar" in df.value.columns)
    assert documents["Varningar"].sum() == len(expected)
