"""Prejudikat: paste or upload a draft; earlier items like it, with what was decided."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import streamlit as st

from corpus.errors import UnreadableFile
from index.precedents import precedents
from ingest.pipeline import limits_of, read_draft
from search_app import state, ui, uploader
from search_app.filters import sidebar_filters
from search_app.upload import safe_name

ui.setup_page(
    "Prejudikat",
    "Klistra in eller ladda upp ett utkast (tjänsteskrivelse eller ärendetext) och se liknande "
    "ärenden som andra förbund redan har beslutat om.",
)


def draft_text(upload: object) -> str:
    """The cleaned text of an uploaded draft, read like an ingested file: in a separate process
    with its size, page, time and memory limits (a hostile file costs the server nothing).
    Kept per upload, so reruns of the page do not read it again."""
    data: bytes = upload.getvalue()  # type: ignore[attr-defined]
    name = safe_name(getattr(upload, "name", "utkast.txt"))
    key = ("prej_utkast", name, hashlib.sha256(data).hexdigest())
    cached = st.session_state.get("prej_utkast")
    if cached and cached[0] == key:
        return str(cached[1])
    with tempfile.TemporaryDirectory(prefix="finsam-utkast-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            text = read_draft(path, limits_of(state.settings()))
        except UnreadableFile as e:  # name the upload, not the temporary copy
            raise UnreadableFile(name, e.reason) from None
    st.session_state["prej_utkast"] = (key, text)
    return text


with ui.presented():
    names = state.store().forbund_names()
    filters, _params = sidebar_filters("prej", names, decisions_toggle=False)

pasted = st.text_area(
    "Utkast",
    key="prej_text",
    height=220,
    placeholder="Klistra in texten till nästa ärende här …",
    persist_state="session",
)
upload = uploader.file_uploader(
    "… eller ladda upp utkastet",
    ("txt", "docx", "pdf"),
    state.settings().max_file_mb,
    key="prej_fil",
    help="Text, Word (DOCX) eller PDF med textlager.",
)
k = st.slider("Antal liknande ärenden", 3, 30, 10, key="prej_k", persist_state="session")

draft = pasted
if upload is not None:
    with ui.presented():
        draft = draft_text(upload)
    with st.expander(f"Text ur {upload.name} ({len(draft.split())} ord)"):
        st.text(draft[:5000] + (" …" if len(draft) > 5000 else ""))

if not draft.strip():
    st.info("Klistra in ett utkast eller ladda upp en fil.")
    st.stop()

with ui.presented(), st.spinner("Letar liknande ärenden …"):
    searcher = state.searcher()
    found = precedents(searcher, draft, k, filters)

ui.index_notice(searcher)

if not found:
    st.warning("Inga liknande ärenden med beslut hittades.")
    st.stop()

st.subheader(f"{len(found)} liknande ärenden, mest lika först")
for p in found:
    ui.decision_card(p.row, similarity=p.similarity)
