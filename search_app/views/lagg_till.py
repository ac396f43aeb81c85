"""Lägg till: upload protocol files, ingest and index them with progress, errors per file."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import streamlit as st

from index.build import ingest_and_index
from search_app import state, ui

TYPES = ["pdf", "docx", "txt", "html", "htm"]

ui.setup_page(
    "Lägg till protokoll",
    "Ladda upp protokoll, kallelser eller minnesanteckningar (PDF, Word, text eller HTML). "
    "De blir sökbara direkt efter indexeringen.",
)

s = state.settings()
uploads_dir = s.db.parent / "uploads"
st.caption(f"Filerna sparas under `{uploads_dir}` och läggs till i korpusen `{s.db}`.")


def safe_name(name: str) -> str:
    """The uploaded file's base name, without path parts or control characters."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f/]+", "_", base).strip(" .")
    return base or "fil"


def save(upload: object) -> Path:
    """Store an upload under uploads/<content hash>/<name>: equal names never collide."""
    data: bytes = upload.getvalue()  # type: ignore[attr-defined]
    folder = uploads_dir / hashlib.sha256(data).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(getattr(upload, "name", "fil"))
    if not path.exists():
        path.write_bytes(data)
    return path


files = st.file_uploader("Filer", type=TYPES, accept_multiple_files=True, key="lagg_filer")
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
    paths = [save(f) for f in files]
    files_bar = st.progress(0.0, text="Läser filer …")
    index_bar = st.progress(0.0, text="Väntar på indexering …")

    def on_files(done: int, total: int, label: str = "") -> None:
        files_bar.progress(done / total if total else 1.0, text=f"Filer {done}/{total} {label}")

    def on_index(done: int, total: int, label: str = "") -> None:
        index_bar.progress(
            done / total if total else 1.0, text=f"Indexerar {done}/{total} {label}".strip()
        )

    with ui.presented(), st.spinner("Lägger till …"):
        report, summary = ingest_and_index(
            paths,
            s,
            files_progress=on_files,
            index_progress=on_index,
            encoder=state.encoder(s),
        )
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
