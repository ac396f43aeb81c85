"""Korpus: what is in the corpus, per förbund and year, and what could not be read."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from corpus.lock import writer_active
from index import versions
from index.manifest import load_manifest
from search_app import state, ui

ui.setup_page("Korpus", "Vad som finns i korpusen – och vad som saknas eller inte gick att läsa.")

with ui.presented():
    s = state.settings()
    store = state.store(s)
    stats = store.stats()
    failures = store.failures()
    coverage = store.coverage()
    warned = store.document_warnings()

m1, m2, m3, m4 = st.columns(4)
m1.metric("Dokument", stats.documents)
m2.metric("Punkter", stats.items)
m3.metric("Beslut", stats.decisions)
m4.metric("Filer som inte gick att läsa", stats.failures)

folder = versions.current(s.index_dir)
manifest = load_manifest(folder) if folder is not None else None
if manifest is None:
    st.warning(f"Inget sökindex är byggt. Bygg det med: `finsam reindex --db {s.db}`")
else:
    st.caption(
        f"Sökindex: {manifest.count} punkter, {manifest.n_vectors} passager, modell "
        f"{manifest.model} ({manifest.dense_kind})"
        + ("" if manifest.complete else " – ofullständigt, kör finsam reindex")
    )
    if manifest.corpus_fingerprint != store.fingerprint():
        if writer_active(s.lock_path):
            st.info(
                "En inläsning pågår: sökindexet uppdateras. Sökningar svarar under tiden från "
                "det senaste hela indexet."
            )
        else:
            st.warning(
                f"Sökindexet är äldre än korpusen. Bygg om det med: `finsam reindex --db {s.db}`"
            )

st.subheader("Dokument per förbund och år")
if not stats.by_forbund_year:
    st.info("Korpusen är tom.")
    ui.add_link()
else:
    counts = pd.DataFrame(list(stats.by_forbund_year), columns=["Förbund", "År", "Dokument"])
    import altair as alt

    heat = (
        alt.Chart(counts)
        .mark_rect(cornerRadius=3)
        .encode(
            x=alt.X("År:O", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
            y=alt.Y("Förbund:N", title=None, axis=alt.Axis(labelLimit=360, labelOverlap=False)),
            color=alt.Color("Dokument:Q", scale=alt.Scale(scheme="blues"), legend=None),
            tooltip=["Förbund", "År", "Dokument"],
        )
    )
    labels = heat.mark_text(fontWeight="bold").encode(
        text="Dokument:Q",
        color=alt.value("#111827"),
    )
    height = 40 + 36 * counts["Förbund"].nunique()
    st.altair_chart((heat + labels).properties(height=height), width="stretch", height=height)
    table = counts.pivot_table(
        index="Förbund", columns="År", values="Dokument", aggfunc="sum", fill_value=0
    )
    table["Totalt"] = table.sum(axis=1)
    st.dataframe(table)

n_warnings = {doc_id: len(warnings) for _src, doc_id, warnings in warned}
with st.expander(f"Alla dokument ({len(coverage)})"):
    frame = pd.DataFrame(
        [
            (
                f or "okänt förbund",
                d or "odaterat",
                ui.KIND_SV.get(k, k),
                src,
                n_warnings.get(doc, 0),
            )
            for f, d, k, src, doc in coverage
        ],
        columns=["Förbund", "Datum", "Typ", "Fil", "Varningar"],
    )
    st.dataframe(frame, hide_index=True)

st.subheader("Dokument med varningar")
if not warned:
    st.success("Inga varningar: alla dokument lästes hela och har punkter, datum och förbund.")
else:
    st.caption(
        f"{len(warned)} dokument saknar något eller kunde inte läsas helt. Koden i sista "
        "kolumnen är densamma som i `finsam export --what documents`."
    )
    frame = pd.DataFrame(
        [(src, w.message, w.code) for src, _doc, warnings in warned for w in warnings],
        columns=["Fil", "Varning", "Kod"],
    )
    st.dataframe(frame, hide_index=True)

st.subheader("Filer som inte gick att läsa")
if not failures:
    st.success("Alla filer gick att läsa.")
else:
    frame = pd.DataFrame(
        [(f.path, f.reason, f.kind) for f in failures], columns=["Fil", "Orsak", "Typ av fel"]
    )
    st.dataframe(frame, hide_index=True)
