"""The sidebar filters and the page state kept in the URL (st.query_params).

A widget's value is seeded from the URL the first time the page runs in a session, kept for
the session after that (persist_state), and written back to the URL on every run, so a
search can be shared and reloaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
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


def _forbund_from_url(values: list[str], names: Sequence[str]) -> list[str]:
    """Förbund named in the URL, matched to the corpus's names (aliases via the gazetteer);
    a name the corpus does not know is kept as written, so the page can say so."""
    from ingest.gazetteer import canonical_forbund

    out: list[str] = []
    for v in values:
        canon = v if v in names else canonical_forbund(v)
        name = canon if canon is not None and canon in names else v
        if name not in out:
            out.append(name)
    return out


def _with_selected(options: Sequence[str], key: str) -> list[str]:
    """The options plus any value the session holds that is not among them (from a link)."""
    held = st.session_state.get(key) or []
    return list(options) + [v for v in held if v not in options]


def _warn_unknown(what: str, values: Sequence[str], known: Sequence[str]) -> None:
    if values:
        names = ", ".join(f"”{v}”" for v in values)
        tail = f" Kända värden: {', '.join(known)}." if known else ""
        st.warning(
            f"{what} {names} i länken finns inte i korpusen, så filtret ger inga träffar. "
            f"Ta bort det i sidofältet.{tail}"
        )


def _warn_bad_date(name: str, label: str) -> None:
    text = url_value(name)
    if text and url_date(name, end=name == "to") is None:
        st.warning(f"{label}datumet ”{text}” i länken går inte att läsa, så det används inte.")


def sidebar_filters(
    prefix: str, forbund_names: Sequence[str], *, decisions_toggle: bool = True
) -> tuple[Filters, UrlParams]:
    """Förbund, date range, document kind (and only decisions) in the sidebar.

    Returns the library's Filters and the URL parameters that reproduce them.
    """
    if f"{prefix}_forbund" not in st.session_state:  # the first run of this page's session
        _warn_bad_date("from", "Från")
        _warn_bad_date("to", "Till")
    seed(f"{prefix}_forbund", _forbund_from_url(url_values("forbund"), forbund_names))
    seed(f"{prefix}_from", url_date("from"))
    seed(f"{prefix}_to", url_date("to", end=True))
    seed(f"{prefix}_kind", list(dict.fromkeys(url_values("kind"))))
    seed(f"{prefix}_beslut", url_value("beslut") in ("1", "true", "ja"))
    sb = st.sidebar
    sb.header("Filter")
    forbund = sb.multiselect(
        "Förbund",
        _with_selected(forbund_names, f"{prefix}_forbund"),
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
        _with_selected(DOC_KINDS, f"{prefix}_kind"),
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
    unknown_forbund = [f for f in forbund if f not in forbund_names]
    unknown_kinds = [k for k in kinds if k not in DOC_KINDS]
    _warn_unknown("Förbundet" if len(unknown_forbund) == 1 else "Förbunden", unknown_forbund, [])
    _warn_unknown("Dokumenttypen", unknown_kinds, [KIND_SV.get(k, k) for k in DOC_KINDS])
    known = [f for f in forbund if f in forbund_names]
    filters = make_filters(
        known, d_from, d_to, [k for k in kinds if k in DOC_KINDS], decisions_only
    )
    if unknown_forbund or unknown_kinds:  # kept, not dropped: they match nothing
        filters = replace(
            filters,
            forbund=filters.forbund + tuple(unknown_forbund),
            kinds=filters.kinds + tuple(unknown_kinds),
        )
    params: UrlParams = {
        "forbund": list(forbund),
        "from": d_from or "",
        "to": d_to or "",
        "kind": list(kinds),
        "beslut": "1" if decisions_only else "",
    }
    return filters, params
