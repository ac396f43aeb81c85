"""Sök: a search box and filters; the total, facet counts beside the results, paging, sort
by relevance or date, and an export of the result set. The state lives in the URL."""

from __future__ import annotations

import time
from datetime import date

import streamlit as st

from corpus.export import citation, table_csv, table_xlsx
from corpus.model import STANCE_SV, ItemContext
from index.query import concepts_text, no_words_text
from index.search import MODES
from search_app import results, state, ui
from search_app.filters import seed, set_url, sidebar_filters, url_value

MODE_SV = {"hybrid": "Hybrid", "lexical": "Ord (BM25)", "dense": "Betydelse (semantisk)"}
SIZES = (10, 20, 50)
SORTS = {"relevans": "Relevans", "datum": "Datum, nyast först"}
FACET_SV = {"forbund": "Förbund", "year": "År", "kind": "Dokumenttyp", "stance": "Beslut"}
STANCES = (*STANCE_SV, results.NO_STANCE)
FACET_ROWS = 8


def stance_label(value: str) -> str:
    if value == results.NO_STANCE:
        return "utan beslutssats"
    return STANCE_SV.get(value, f"{value} (okänd)")


def facet_label(name: str, value: str) -> str:
    if name == "kind":
        return ui.KIND_SV.get(value, value)
    if name == "stance":
        return stance_label(value)
    return value


def apply_facet(name: str, value: str) -> None:
    """Narrow the search to one facet value (runs before the widgets of the next run)."""
    ss = st.session_state
    if name == "forbund":
        ss["sok_forbund"] = [value]
    elif name == "year" and value.isdigit():
        ss["sok_from"], ss["sok_to"] = date(int(value), 1, 1), date(int(value), 12, 31)
    elif name == "kind":
        ss["sok_kind"] = [value]
    elif name == "stance":
        ss["sok_stance"] = value
    ss.pop("sok_n", None)


def show_more(step: int) -> None:
    st.session_state["sok_n"] = st.session_state.get("sok_n", step) + step


def cite_popover(ctx: ItemContext) -> None:
    """ "Citera": the reference and the item's permanent link, rendered once opened (like
    "Hela punkten", ui.details_expander)."""
    box = st.popover(
        "Citera",
        icon=":material/format_quote:",
        key=f"citera_{ctx.item.item_id}",
        on_change="rerun",
    )
    if box.open:
        with box:
            st.caption("Källhänvisning")
            st.code(citation(ctx), language=None, wrap_lines=True)
            st.caption("Permanent länk till punkten")
            st.code(ui.item_url(ctx), language=None, wrap_lines=True)


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
seed("sok_sort", url_value("sort") if url_value("sort") in SORTS else "relevans")
seed("sok_stance", url_value("stance") or None)
shown_text = url_value("n")
if shown_text.isdigit() and int(shown_text) > 0:
    seed("sok_n", int(shown_text))

with ui.presented():
    filters, params = sidebar_filters("sok", names)
stance_options = [None, *STANCES]
if st.session_state.get("sok_stance") not in stance_options:  # an unknown value from a link
    stance_options.append(st.session_state["sok_stance"])
stance = st.sidebar.selectbox(
    "Ställning i beslut",
    stance_options,
    format_func=lambda s: "Alla" if s is None else stance_label(s),
    key="sok_stance",
)
if stance is not None and stance not in STANCES:
    st.warning(
        f"Ställningen ”{stance}” i länken finns inte (det finns: "
        + ", ".join(stance_label(s) for s in STANCES)
        + "). Därför visas inga träffar; välj en annan i sidofältet."
    )

query = st.text_input(
    "Sökfråga",
    key="sok_q",
    placeholder="t.ex. serviceavgift NNS, extra tilldelning Sala, fee decisions",
    persist_state="session",
)
c1, c2, c3 = st.columns([3, 1, 1])
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
    sort = st.selectbox("Sortering", list(SORTS), format_func=SORTS.__getitem__, key="sok_sort")
with c3:
    k = st.selectbox("Träffar per sida", SIZES, key="sok_k", persist_state="session")

page_size = int(k or 10)
signature = (query.strip(), filters, mode, sort, stance, page_size)
if st.session_state.get("sok_signature") not in (None, signature):
    st.session_state.pop("sok_n", None)  # a new search starts on its first page
st.session_state["sok_signature"] = signature
shown = max(page_size, int(st.session_state.get("sok_n", page_size)))

set_url(
    params
    | {
        "q": query.strip(),
        "mode": "" if mode == "hybrid" else (mode or ""),
        "k": "" if page_size == 10 else str(page_size),
        "sort": "" if sort == "relevans" else (sort or ""),
        "stance": stance or "",
        "n": "" if shown == page_size else str(shown),
    }
)

if not query.strip():
    st.info("Skriv en sökfråga. Filtren i sidofältet begränsar sökningen.")
    st.stop()

with ui.presented():
    searcher = state.searcher()
    started = time.perf_counter()
    ranking = searcher.search_all(query, filters, mode or "hybrid")
    facts = {f.item_id: f for f in searcher.store.item_facts([h.item_id for h in ranking.hits])}
    hits = list(ranking.hits)
    if stance is not None:
        hits = results.with_stance(hits, facts, stance)
    if sort == "datum":
        hits = results.newest_first(hits, facts)
    page = searcher.results(query, hits[:shown])
    elapsed = time.perf_counter() - started

ui.index_notice(searcher)

if not hits:
    st.warning("Inga träffar." + (" Prova att ta bort några filter." if filters.active else ""))
    st.stop()

with_words = sum(1 for h in hits if h.matched)
near = len(hits) - with_words
if not with_words:
    st.info(no_words_text(bool(filters.active or stance)))
if ranking.concepts:
    st.caption(concepts_text(ranking.concepts, lambda c: f"*{c}*"))
counted = f"{with_words} träffar med sökorden"
near_note = f" och {near} liknande i betydelse" if near else ""
st.caption(
    f"{counted}{near_note} · visar 1–{len(page)} av {len(hits)} · {elapsed * 1000:.0f} ms · "
    f"{MODE_SV[mode or 'hybrid']} · {SORTS[sort or 'relevans'].lower()}"
)

main, side = st.columns([3, 1], gap="medium")
with side:
    st.markdown("**Träffarna fördelade på**")
    counts = results.facet_counts([facts[h.item_id] for h in hits if h.item_id in facts])
    for name, values in counts.items():
        with st.expander(FACET_SV[name], expanded=name != "stance"):
            for value, n in values[:FACET_ROWS]:
                clickable = not (name == "year" and not value.isdigit())
                clickable = clickable and not (name == "forbund" and value not in names)
                st.button(
                    f"{facet_label(name, value)} ({n})",
                    key=f"facet_{name}_{value}",
                    on_click=apply_facet,
                    args=(name, value),
                    type="tertiary",
                    disabled=not clickable,
                )
            if len(values) > FACET_ROWS:
                st.caption(f"… och {len(values) - FACET_ROWS} till")

    contexts = searcher.store.item_contexts([h.item_id for h in hits])
    rows = results.export_rows(contexts, lambda c: ui.item_url(c))
    slug = "-".join(query.split())[:40] or "sok"
    st.markdown("**Exportera alla träffar**")
    st.download_button(
        f"CSV ({len(rows)} rader)",
        lambda: table_csv(rows, results.EXPORT_COLUMNS).encode("utf-8"),
        file_name=f"sok-{slug}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    st.download_button(
        f"XLSX ({len(rows)} rader)",
        lambda: table_xlsx(rows, results.EXPORT_COLUMNS, "Träffar"),
        file_name=f"sok-{slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
    )

with main:
    for r in page:
        with st.container(border=True):
            st.html(ui.card_html(r.context, r.snippet))
            cols = st.columns([1, 1, 2])
            with cols[0]:
                ui.item_link(r.context, query)
            with cols[1]:
                cite_popover(r.context)
            with cols[2]:
                ui.details_expander(r.context.item)
    if len(page) < len(hits):
        st.button(
            f"Visa fler ({min(page_size, len(hits) - len(page))} till av {len(hits) - len(page)})",
            on_click=show_more,
            args=(page_size,),
            icon=":material/expand_more:",
        )
