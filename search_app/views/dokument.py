"""Dokument: one protocol as segmented: meeting data, participants, items, original file."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import streamlit as st

from corpus.export import citation
from corpus.model import Document, Item, ItemContext
from ingest.ocr import LOW_CONFIDENCE
from search_app import state, ui
from search_app.filters import seed, set_url, url_value

ROLE_ORDER = ("beslutande", "tjänstgörande ersättare", "ersättare", "övriga")

ui.setup_page("Dokument")

with ui.presented():
    store = state.store()
    listing = {doc_id: (f, d, kind, source) for f, d, kind, source, doc_id in store.coverage()}

if not listing:
    st.info("Korpusen är tom.")
    ui.add_link()
    st.stop()


def describe(doc_id: str) -> str:
    forbund, date, kind, source = listing[doc_id]
    return f"{forbund or 'okänt förbund'} · {date or 'odaterat'} · {kind} · {source}"


options = sorted(listing, key=lambda i: (listing[i][0] or "\uffff", listing[i][1] or "", i))
wanted = url_value("doc")
if wanted and wanted not in listing:
    found = store.find_documents(wanted)
    wanted = found[0] if found else ""
seed("dok_doc", wanted or options[0])
doc_id = st.selectbox("Dokument", options, format_func=describe, key="dok_doc")
same_doc = doc_id == url_value("doc")
selected_item = url_value("item") if same_doc else ""
query = url_value("q") if same_doc else ""
set_url({"doc": doc_id, "item": selected_item, "q": query})

doc: Document | None = store.get_document(doc_id)
if doc is None:
    st.error("Dokumentet finns inte längre i korpusen.")
    st.stop()
m = doc.meeting

st.subheader(
    f"{ui.md(m.forbund or 'Okänt förbund')} – {ui.KIND_SV.get(doc.kind, doc.kind).lower()}"
)
when = m.date or (
    f"odaterat (mellan {m.date_window[0]} och {m.date_window[1]})" if m.date_window else "odaterat"
)
facts = {
    "Organ": m.organ or "–",
    "Datum": when + (f", kl {m.time}" if m.time else ""),
    "Plats": m.place or "–",
    "Ordförande": m.chair or "–",
    "Sekreterare": m.secretary or "–",
    "Justerare": ", ".join(m.adjusters) or "–",
    "Fil": f"{doc.source} ({doc.fmt or '?'}, {doc.n_pages} sidor)",
    "Punkter": str(len(doc.items)),
}
entries = list(facts.items())
for start in range(0, len(entries), 4):
    for col, (name, value) in zip(st.columns(4), entries[start : start + 4], strict=False):
        col.markdown(f"**{name}**  \n{ui.md(value)}")
if m.forbund_evidence:
    st.caption(f"Förbundet identifierat genom: {ui.md(m.forbund_evidence)}")

original = Path(doc.path)
if original.is_file():
    st.download_button(
        "Ladda ner originalfilen",
        original.read_bytes,
        file_name=doc.source,
        mime=mimetypes.guess_type(doc.source)[0] or "application/octet-stream",
        on_click="ignore",
        icon=":material/download:",
    )
else:
    st.caption(f"Originalfilen finns inte längre på {ui.md(doc.path)}.")

extraction = store.extraction(doc.doc_id)
ocr = {
    p.number: p.ocr_confidence
    for p in (extraction.pages if extraction else ())
    if p.ocr_confidence is not None
}


def page_list(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    listed = ", ".join(words[:-1]) + f" och {words[-1]}" if len(words) > 1 else words[0]
    return ("sidorna " if len(numbers) > 1 else "sida ") + listed


if ocr:
    mean = round(sum(ocr.values()) / len(ocr))
    scanned = page_list(sorted(ocr))
    st.info(
        f"Skannat: {scanned} lästes med OCR (säkerhet i snitt {mean} %). "
        "Enstaka ord kan vara felläsningar; jämför med originalfilen.",
        icon=":material/document_scanner:",
    )
    low = sorted(n for n, c in ocr.items() if c < LOW_CONFIDENCE)
    if low:
        confs = ", ".join(f"{ocr[n]:.0f} %" for n in low)
        st.warning(
            f"Låg OCR-säkerhet på {page_list(low)} ({confs}): texten kan innehålla fel "
            "och punkter kan saknas.",
            icon=":material/warning:",
        )


def ocr_mark(item: Item) -> str:
    """'OCR 88 %' for an item on scanned pages (its least sure page), else ''."""
    confs = [ocr[n] for n in item.pages if n in ocr]
    if not confs:
        return ""
    worst = min(confs)
    return f"{'⚠ ' if worst < LOW_CONFIDENCE else ''}OCR {worst:.0f} %"


if m.participants:
    with st.expander(f"Närvarande ({len(m.participants)})", expanded=False):
        import pandas as pd

        people = sorted(
            m.participants,
            key=lambda p: ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else len(ROLE_ORDER),
        )
        frame = pd.DataFrame(
            [(p.role, p.name, p.organisation or "", p.note or "") for p in people],
            columns=["Roll", "Namn", "Organisation", "Anteckning"],
        )
        st.dataframe(frame, hide_index=True)
if doc.attachments:
    st.markdown("**Bilagor:** " + "; ".join(ui.md(a) for a in doc.attachments))


def ctx_of(doc: Document, item: Item) -> ItemContext:
    m = doc.meeting
    return ItemContext(item, doc.doc_id, doc.source, doc.kind, m.forbund, m.date, m.organ)


st.subheader("Punkter")
if selected_item and selected_item not in {i.item_id for i in doc.items}:
    st.warning("Punkten i länken finns inte i dokumentet (längre); hela dokumentet visas.")
for item in doc.items:
    chosen = item.item_id == selected_item
    if chosen:
        st.html(f'<div id="{ui.anchor_id(item.item_id)}" class="fs-anchor"></div>')
        ui.scroll_to(ui.anchor_id(item.item_id))
    title = ui.heading(item)
    suffix = ", ".join(
        s
        for s in (
            ui.pages_text(item.pages),
            "beslut" if item.decisions else "",
            "formalia" if item.procedural else "",
            ocr_mark(item),
        )
        if s
    )
    label = f"{'▶ ' if chosen else ''}{ui.md(title)}" + (f"  ({suffix})" if suffix else "")
    with st.expander(label, expanded=chosen):
        if chosen:
            st.code(citation(ctx_of(doc, item)), language=None, wrap_lines=True)
        read = [n for n in item.pages if n in ocr]
        if read:
            confs = ", ".join(f"{ocr[n]:.0f} %" for n in read)
            st.caption(f"Punkten lästes med OCR ({page_list(read)}, säkerhet {confs}).")
        ui.item_details(item, query if chosen else "")
