"""Lägg till: upload protocol files, ingest and index them with progress, errors per file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from ingest.formats.registry import UPLOAD_TYPES
from search_app import state, ui, uploader
from search_app.upload import add_files, save_all

TYPES = list(UPLOAD_TYPES)

ui.setup_page(
    "Lägg till protokoll",
    "Ladda upp protokoll, kallelser eller minnesanteckningar (PDF, Word, text eller HTML). "
    "De blir sökbara direkt efter indexeringen.",
)

s = state.settings()
uploads_dir = s.db.parent / "uploads"
st.caption(f"Filerna sparas under `{uploads_dir}` och läggs till i korpusen `{s.db}`.")

files = uploader.file_uploader(
    "Filer", TYPES, s.max_file_mb, accept_multiple_files=True, key="lagg_filer"
)
st.button(
    "Lägg till i korpusen",
    type="primary",
    disabled=not files,
    icon=":material/add:",
    key="lagg_start",
    # A flag, not the button's one-run value: the request survives a rerun of the page.
    on_click=lambda: st.session_state.update(lagg_begin=True),
)

if st.session_state.pop("lagg_begin", False) and files:
    with ui.presented():
        paths, not_saved = save_all([(f.name, f.getvalue()) for f in files], uploads_dir)
    files_bar = st.progress(0.0, text="Läser filer …")
    index_bar = st.progress(0.0, text="Väntar på indexering …")

    def on_files(done: int, total: int, label: str = "") -> None:
        files_bar.progress(done / total if total else 1.0, text=f"Filer {done}/{total} {label}")

    def on_index(done: int, total: int, label: str = "") -> None:
        index_bar.progress(
            done / total if total else 1.0, text=f"Indexerar {done}/{total} {label}".strip()
        )

    with ui.presented(), st.spinner("Lägger till …"):
        # Leaving the page stops this run: add_files keeps the index in step even then.
        report, summary = add_files(
            paths,
            s,
            files_progress=on_files,
            index_progress=on_index,
            encoder=state.encoder(s),
        )
    report = replace(report, failures=(*not_saved, *report.failures))
    files_bar.progress(1.0, text="Filerna är lästa")
    index_bar.progress(1.0, text="Indexet är uppdaterat")
    state.forget()
    st.session_state["lagg_rapport"] = (report, summary)

if "lagg_rapport" in st.session_state:
    report, summary = st.session_state["lagg_rapport"]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Nya dokument", report.documents_added)
    c2.metric("Ersatta", report.documents_replaced)
    c3.metric("Oförändrade", report.documents_unchanged)
    c4.metric("Fel", len(report.failures))
    if summary:
        st.caption(summary)
    for failure in report.failures:
        st.error(f"**{ui.md(Path(failure.path).name)}**: {ui.md(failure.reason)}")
    if report.documents_added or report.documents_replaced:
        st.success(f"{report.items} nya punkter är sökbara nu.")
        st.page_link("views/sok.py", label="Till sökningen", icon=":material/search:")
        st.page_link("views/korpus.py", label="Se korpusen", icon=":material/folder_open:")
