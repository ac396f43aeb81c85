"""The sidebar filters and the page state kept in the URL (st.query_params).

A widget's value is seeded from the URL the first time the page runs in a session, kept for
the session after that (persist_state), and written back to the URL on every run, so a
search can be shared and reloaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import streamlit as st

from corpus.model import DOC_KINDS, Filters
from index.query import make_filters
from search_app.ui import KIND_SV

UrlParams = dict[str, str | list[str]]
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


def seed(key: str, value: object) -> None:
    """Give a widget its first value (from the URL) unless the session already holds one."""
    if key not in st.session_state:
        st.session_state[key] = value


def url_value(name: str, default: str = "") -> str:
    return st.query_params.get(name, default) or default


def url_values(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v]


def url_date(name: str, *, end: bool = False) -> date | None:
    """A date from the URL; YYYY and YYYY-MM mean the start (or end) of that year or month."""
    from corpus.errors import CorpusError

    text = url_value(name)
    if not text:
        return None
    try:
        f = make_filters(date_to=text) if end else make_filters(date_from=text)
    except CorpusError:
        return None
    value = f.date_to if end else f.date_from
    return date.fromisoformat(value) if value else None


def set_url(params: Mapping[str, str | Sequence[str] | None]) -> None:
    """Replace the page's query parameters with the non-empty ones given."""
    clean: UrlParams = {}
    for name, value in params.items():
        if isinstance(value, str):
            if value:
                clean[name] = value
        elif value:
            clean[name] = [v for v in value if v]
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: [v] if isinstance(v, str) else list(v) for k, v in clean.items()}
    if current != wanted:
        st.query_params.from_dict(clean)


def _known_forbund(values: list[str], names: Sequence[str]) -> list[str]:
    """Förbund named in the URL, matched to the corpus's names (aliases via the gazetteer)."""
    from ingest.gazetteer import canonical_forbund

    out: list[str] = []
    for v in values:
        name = v if v in names else canonical_forbund(v)
        if name is not None and name in names and name not in out:
            out.append(name)
    return out


def sidebar_filters(
    prefix: str, forbund_names: Sequence[str], *, decisions_toggle: bool = True
) -> tuple[Filters, UrlParams]:
    """Förbund, date range, document kind (and only decisions) in the sidebar.

    Returns the library's Filters and the URL parameters that reproduce them.
    """
    seed(f"{prefix}_forbund", _known_forbund(url_values("forbund"), forbund_names))
    seed(f"{prefix}_from", url_date("from"))
    seed(f"{prefix}_to", url_date("to", end=True))
    seed(f"{prefix}_kind", [k for k in url_values("kind") if k in DOC_KINDS])
    seed(f"{prefix}_beslut", url_value("beslut") in ("1", "true", "ja"))
    sb = st.sidebar
    sb.header("Filter")
    forbund = sb.multiselect(
        "Förbund",
        list(forbund_names),
        key=f"{prefix}_forbund",
        placeholder="Alla förbund",
        persist_state="session",
    )
    date_from = sb.date_input(
        "Från",
        key=f"{prefix}_from",
        min_value=EARLIEST,
        max_value=LATEST,
        format="YYYY-MM-DD",
        persist_state="session",
    )
    date_to = sb.date_input(
        "Till",
        key=f"{prefix}_to",
        min_value=EARLIEST,
        max_value=LATEST,
        format="YYYY-MM-DD",
        persist_state="session",
    )
    kinds = sb.multiselect(
        "Dokumenttyp",
        list(DOC_KINDS),
        format_func=lambda k: KIND_SV.get(k, k),
        key=f"{prefix}_kind",
        placeholder="Alla typer",
        persist_state="session",
    )
    decisions_only = False
    if decisions_toggle:
        decisions_only = sb.toggle(
            "Endast punkter med beslut", key=f"{prefix}_beslut", persist_state="session"
        )
    d_from = date_from.isoformat() if isinstance(date_from, date) else None
    d_to = date_to.isoformat() if isinstance(date_to, date) else None
    filters = make_filters(forbund, d_from, d_to, kinds, decisions_only)
    params: UrlParams = {
        "forbund": list(forbund),
        "from": d_from or "",
        "to": d_to or "",
        "kind": list(kinds),
        "beslut": "1" if decisions_only else "",
    }
    return filters, params
