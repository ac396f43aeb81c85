"""Beslut & jämförelse: every decision on a topic, per-förbund comparison, timeline, downloads."""

from __future__ import annotations

import re

import streamlit as st

from corpus.model import COMPARE_STATUS_SHORT_SV, COMPARE_STATUS_SV, COMPARE_STATUSES, DECIDED
from index.compare import compare, status_counts
from index.decisions import decisions_on_topic, timeline
from index.report import (
    COMPARE_COLUMNS,
    DECISION_COLUMNS,
    SHOWN_COMPARE_COLUMNS,
    compare_table,
    decision_table,
    to_csv,
    to_xlsx,
)
from search_app import state, ui
from search_app.filters import seed, set_url, sidebar_filters, url_value

SHOWN_DECISION_COLUMNS = (
    "forbund",
    "meeting_date",
    "label",
    "act_sv",
    "stance_sv",
    "amounts_kr",
    "rates",
    "amounts_in_item",
    "procedures_sv",
    "conditions",
    "title",
    "decisions",
    "source",
    "pages",
)
WIDTHS: dict[str, ui.ColumnWidth] = {
    "Rubrik": "medium",
    "Beslut": "large",
    "Förbund": "medium",
    "Täckning": "large",
}

ui.setup_page(
    "Beslut & jämförelse",
    "Alla beslut i ett ämne – inte bara de tio bästa träffarna – och hur varje förbund har "
    "beslutat, med luckor i korpusen utpekade.",
)

with ui.presented():
    names = state.store().forbund_names()
    filters, params = sidebar_filters("beslut", names, decisions_toggle=False)

seed("beslut_amne", url_value("amne"))
topic = st.text_input(
    "Ämne",
    key="beslut_amne",
    placeholder="t.ex. NNS serviceavgift, avslagna tilläggsäskanden, nya insatser",
    persist_state="session",
)
set_url(params | {"amne": topic.strip()})

if not topic.strip():
    st.info("Skriv ett ämne för att se alla beslut om det, per förbund och år.")
    st.stop()

with ui.presented(), st.spinner("Letar beslut …"):
    searcher = state.searcher()
    found = decisions_on_topic(searcher, topic, filters)
    comparison = compare(searcher, topic, filters)

ui.index_notice(searcher)

rows = [r for r in found if r.status == DECIDED]
agenda = [r for r in found if r.status != DECIDED]
decisions = decision_table(rows)
comparison_rows = compare_table(comparison)
counts = status_counts(comparison)
m0, *ms = st.columns(1 + len(COMPARE_STATUSES))
m0.metric("Beslut", len(rows))
for column, status in zip(ms, COMPARE_STATUSES, strict=True):
    column.metric(COMPARE_STATUS_SHORT_SV[status], counts[status], help=COMPARE_STATUS_SV[status])

slug = re.sub(r"[^\w]+", "-", topic.strip().lower()).strip("-")[:40] or "beslut"
d1, d2, d3, d4 = st.columns(4)
d1.download_button(
    "Beslut (CSV)",
    to_csv(decisions, DECISION_COLUMNS),
    file_name=f"beslut-{slug}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
d2.download_button(
    "Beslut (XLSX)",
    to_xlsx(decisions, DECISION_COLUMNS, "Beslut"),
    file_name=f"beslut-{slug}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/download:",
)
d3.download_button(
    "Jämförelse (CSV)",
    to_csv(comparison_rows, COMPARE_COLUMNS),
    file_name=f"jamforelse-{slug}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
d4.download_button(
    "Jämförelse (XLSX)",
    to_xlsx(comparison_rows, COMPARE_COLUMNS, "Jämförelse"),
    file_name=f"jamforelse-{slug}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/download:",
)

tab_table, tab_compare, tab_time = st.tabs(["Beslut", "Jämförelse per förbund", "Tidslinje"])

with tab_table:
    if not rows:
        st.warning("Inga beslut hittades i ämnet.")
    else:
        if agenda:
            st.caption(
                f"{len(agenda)} punkter på dagordningar eller förslag till beslut visas inte "
                "här: ett förslag är inget beslut (se Jämförelse per förbund)."
            )
        st.caption("Markera en rad för att se beslutet i sin helhet.")
        picked = st.dataframe(
            ui.table_frame(decisions, SHOWN_DECISION_COLUMNS),
            hide_index=True,
            column_config=ui.column_widths(WIDTHS),
            on_select="rerun",
            selection_mode="single-row",
            key="beslut_tabell",
        )
        chosen = picked.selection.rows if picked is not None else []
        if chosen:
            ui.decision_card(rows[chosen[0]])

with tab_compare:
    period = comparison[0].period if comparison else ""
    st.caption(
        f"En rad per förbund i den nationella listan som var verksamt {period}. ”Inga "
        "dokument från perioden” betyder att vi saknar underlag, inte att förbundet inte har "
        "beslutat."
    )
    st.dataframe(
        ui.table_frame(comparison_rows, SHOWN_COMPARE_COLUMNS),
        hide_index=True,
        column_config=ui.column_widths(WIDTHS),
    )

with tab_time:
    points = timeline(rows)
    if not points:
        st.info("Inga beslut att visa på tidslinjen.")
    else:
        import altair as alt
        import pandas as pd

        frame = pd.DataFrame(points, columns=["År", "Förbund", "Beslut"])
        chart = (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("År:O", axis=alt.Axis(labelAngle=0)),
                y=alt.Y("sum(Beslut):Q", title="Beslut", axis=alt.Axis(tickMinStep=1)),
                color=alt.Color(
                    "Förbund:N", legend=alt.Legend(orient="bottom", columns=2, labelLimit=0)
                ),
                tooltip=["År", "Förbund", "Beslut"],
            )
            .properties(height=320)
        )
        st.altair_chart(chart, width="stretch")
