"""Sök: a search box, filters in the sidebar, result cards; the state lives in the URL."""

from __future__ import annotations

import time

import streamlit as st

from index.search import MODES
from search_app import state, ui
from search_app.filters import seed, set_url, sidebar_filters, url_value

MODE_SV = {"hybrid": "Hybrid", "lexical": "Ord (BM25)", "dense": "Betydelse (semantisk)"}
SIZES = (10, 20, 50)

ui.setup_page(
    "Sök i protokollen",
    "Sök på svenska eller engelska i styrelseprotokoll, kallelser och minnesanteckningar "
    "från samordningsförbunden och NNS.",
)

with ui.presented():
    store = state.store()
    names = store.forbund_names()

seed("sok_q", url_value("q"))
seed("sok_mode", url_value("mode") if url_value("mode") in MODES else "hybrid")
size_text = url_value("k")
seed("sok_k", int(size_text) if size_text.isdigit() and int(size_text) in SIZES else 10)

with ui.presented():
    filters, params = sidebar_filters("sok", names)

query = st.text_input(
    "Sökfråga",
    key="sok_q",
    placeholder="t.ex. serviceavgift NNS, extra tilldelning Sala, fee decisions",
    persist_state="session",
)
c1, c2 = st.columns([3, 1])
with c1:
    mode = st.segmented_control(
        "Sökläge",
        list(MODES),
        format_func=lambda m: MODE_SV[m],
        key="sok_mode",
        required=True,
        persist_state="session",
    )
with c2:
    k = st.selectbox("Antal träffar", SIZES, key="sok_k", persist_state="session")

set_url(
    params
    | {
        "q": query.strip(),
        "mode": "" if mode == "hybrid" else (mode or ""),
        "k": "" if k == 10 else str(k),
    }
)

if not query.strip():
    st.info("Skriv en sökfråga. Filtren i sidofältet begränsar sökningen.")
    st.stop()

with ui.presented():
    searcher = state.searcher()
    started = time.perf_counter()
    results = searcher.query(query, int(k or 10), filters, mode or "hybrid")
    elapsed = time.perf_counter() - started

ui.index_notice(searcher)

if not results:
    st.warning("Inga träffar." + (" Prova att ta bort några filter." if filters.active else ""))
    st.stop()

st.caption(f"{len(results)} träffar på {elapsed * 1000:.0f} ms · {MODE_SV[mode or 'hybrid']}")
for r in results:
    with st.container(border=True):
        st.html(ui.card_html(r.context, r.snippet))
        cols = st.columns([1, 3])
        with cols[0]:
            ui.item_link(r.context)
        with cols[1], st.expander("Hela punkten"):
            ui.item_details(r.context.item)
