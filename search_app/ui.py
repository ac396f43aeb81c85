"""Layout helpers shared by the pages: styles, stance badges, result cards, error display.

Only presentation lives here; every fact shown comes from the library's records.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode, urlsplit

import streamlit as st

from corpus.errors import CorpusError, IndexStale
from corpus.export import HEADERS_SV
from corpus.model import (
    ACT_SV,
    COMPARE_STATUS_SV,
    STANCE_SV,
    Decision,
    DecisionRow,
    Item,
    ItemContext,
)

if TYPE_CHECKING:
    from index.search import Searcher

DOKUMENT_PAGE = "views/dokument.py"
LAGG_TILL_PAGE = "views/lagg_till.py"
CAN_WRITE = "fs_can_write"  # session key: whether this visitor may use the pages that write

KIND_SV = {
    "protokoll": "Protokoll",
    "kallelse": "Kallelse / föredragningslista",
    "minnesanteckningar": "Minnesanteckningar",
    "okänd": "Okänd typ",
}
# (background, text) per stance and act: green for yes, red for no, amber for abstaining and
# free mandates, violet for sent back, blue for postponed, grey for information and the rest.
STANCE_COLOURS = {
    "for": ("#d3f5df", "#0b5d32"),
    "against": ("#fde0dd", "#a3160d"),
    "abstain": ("#fdefc8", "#7a4a06"),
    "free_mandate": ("#fdefc8", "#7a4a06"),
    "tabled": ("#dcebfd", "#1a52a8"),
    "noted": ("#eef0f3", "#3b4555"),
}
ACT_COLOURS = {
    "approved": ("#e3f7e8", "#17643a"),
    "granted": ("#e3f7e8", "#17643a"),
    "partly_granted": ("#eef7d9", "#4d6410"),
    "rejected": ("#fde0dd", "#8a1c12"),
    "referred_back": ("#ece8fd", "#4c2bb3"),
    "tabled": ("#dcebfd", "#1a52a8"),
}
# (background, text) per comparison status.
STATUS_COLOURS = {
    "decided": ("#e3f7e8", "#17643a"),
    "decided_otherwise": ("#efe8fb", "#553a8f"),
    "on_agenda": ("#dcebfd", "#1a52a8"),
    "not_found": ("#fdefc8", "#7a4a06"),
    "no_documents": ("#f4f5f7", "#5b6474"),
}
COLUMN_LABELS = HEADERS_SV  # Swedish column names, one list for the app and the exports

CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.5rem;}
.fs-card {line-height: 1.45;}
.fs-meta {color: #5b6474; font-size: 0.86rem; margin-bottom: 0.15rem;}
.fs-meta b {color: #1f2937; font-weight: 600;}
.fs-title {font-size: 1.08rem; font-weight: 650; color: #111827; margin-bottom: 0.35rem;}
.fs-label {display: inline-block; min-width: 2.6rem; color: #1a52a8; margin-right: 0.35rem;}
.fs-snippet {color: #30343b; font-size: 0.95rem; margin-bottom: 0.35rem;}
.fs-snippet mark {background: #fff1a8; color: inherit; padding: 0 1px; border-radius: 2px;}
.fs-decisions {margin: 0.25rem 0 0 0; padding: 0; list-style: none;}
.fs-decisions li {margin: 0.2rem 0; font-size: 0.93rem;}
.fs-decisions .fs-kind {color: #5b6474; font-size: 0.8rem; text-transform: uppercase;
  letter-spacing: 0.03em; margin-right: 0.3rem;}
.fs-stance {display: inline-block; padding: 0 0.45rem; border-radius: 0.7rem; font-size: 0.8rem;
  font-weight: 600; margin-right: 0.4rem; white-space: nowrap;}
.fs-amount {color: #0b5d32; font-weight: 600; white-space: nowrap;}
.fs-body {color: #30343b; line-height: 1.5;}
.fs-body mark {background: #fff1a8; color: inherit; padding: 0 1px; border-radius: 2px;}
.fs-sim {float: right; color: #5b6474; font-size: 0.85rem;}
.fs-facts {color: #30343b; font-size: 0.88rem; margin-top: 0.3rem;}
.fs-facts b {color: #5b6474; font-weight: 600;}
</style>
"""


def setup_page(title: str, intro: str | None = None) -> None:
    """The page heading and the shared styles."""
    st.html(CSS)
    st.title(title)
    if intro:
        st.caption(intro)


@contextmanager
def presented() -> Iterator[None]:
    """Show the library's named errors as st.error (with the fix) and stop the page."""
    try:
        yield
    except IndexStale as e:
        st.error(f"Sökindexet stämmer inte med korpusen: {md(e.reason)}.")
        st.markdown("Bygg om det i en terminal:")
        st.code(e.fix, language="bash")
        st.stop()
    except CorpusError as e:
        st.error(md(str(e)))
        if "finsam ingest" in str(e):
            add_link()
        st.stop()
    except OSError as e:  # a full disk, no permission …
        where = f" {e.filename}" if e.filename else ""
        st.error(md(f"Kan inte läsa eller skriva{where}: {e.strerror or e}"))
        st.stop()
    except sqlite3.Error as e:
        st.error(md(f"Korpusdatabasen gav ett fel: {e}"))
        st.stop()


def add_link() -> None:
    """A link to the page that adds protocols, for a visitor who may use it."""
    if st.session_state.get(CAN_WRITE, True):
        st.page_link(LAGG_TILL_PAGE, label="Lägg till protokoll", icon=":material/add:")
    else:
        st.caption("Protokoll läggs till av den som driver appen (finsam ingest).")


def scroll_to(element_id: str) -> None:
    """Scroll the page to an element once it is rendered (Streamlit renders after load, so the
    browser's own #fragment scroll comes too early)."""
    target = json.dumps(element_id)
    st.html(
        "<script>(function(){let n=0;const t=setInterval(function(){"
        f"const e=document.getElementById({target});"
        "if(e){e.scrollIntoView({block:'start'});clearInterval(t);}"
        "else if(++n>100){clearInterval(t);}},100);})();</script>",
        unsafe_allow_javascript=True,
    )


def index_notice(searcher: Searcher) -> None:
    """Say so when the searcher answers from an index that an ingest is updating."""
    if searcher.behind_corpus():
        st.info(
            "En inläsning pågår: sökindexet uppdateras och svarar från korpusen som den var före "
            "inläsningen. Nya dokument kommer med när den är klar."
        )


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


def snippet_html(snippet: str) -> str:
    """A snippet with **matches** as highlighted, escaped HTML."""
    out: list[str] = []
    pos = 0
    for m in _BOLD.finditer(snippet):
        out.append(esc(snippet[pos : m.start()]))
        out.append(f"<mark>{esc(m.group(1))}</mark>")
        pos = m.end()
    out.append(esc(snippet[pos:]))
    return "".join(out).replace("\n", " ")


def stance_badge(stance: str | None, *, act: str | None = None) -> str:
    """A coloured badge of a stance (or, with act=, of an act)."""
    code = act if act else stance
    if not code:
        return ""
    colours, labels = (ACT_COLOURS, ACT_SV) if act else (STANCE_COLOURS, STANCE_SV)
    bg, fg = colours.get(code, ("#eef0f3", "#3b4555"))
    label = labels.get(code, code)
    return (
        f'<span class="fs-stance fs-stance-{esc(code)}" '
        f'style="background:{bg};color:{fg}">{esc(label)}</span>'
    )


def verdict_badges(act: str | None, stance: str | None) -> str:
    """The act and, where there is one, the stance of a decision as badges."""
    return stance_badge(None, act=act) + stance_badge(stance)


def stance_style(label: object) -> str:
    """Cell style of a Swedish stance or act label in a table."""
    for colours, labels in ((STANCE_COLOURS, STANCE_SV), (ACT_COLOURS, ACT_SV)):
        for code, sv in labels.items():
            if label == sv and code in colours:
                bg, fg = colours[code]
                return f"background-color: {bg}; color: {fg}; font-weight: 600"
    return ""


def coverage_style(text: object) -> str:
    """Cell style of a comparison's status (the Täckning column), one colour per status."""
    for status, sv in COMPARE_STATUS_SV.items():
        if str(text or "").startswith(sv):
            bg, fg = STATUS_COLOURS[status]
            return f"background-color: {bg}; color: {fg}"
    return ""


def kr(values: Sequence[float]) -> str:
    return "; ".join(f"{v:,.0f}".replace(",", "\u202f") + " kr" for v in values)


def pages_text(pages: Sequence[int]) -> str:
    if not pages:
        return ""
    return ("sida " if len(pages) == 1 else "sidor ") + ", ".join(str(p) for p in pages)


def heading(item: Item) -> str:
    return item.title if item.label == item.title else f"{item.label} {item.title}"


def meta_line(ctx: ItemContext) -> str:
    parts = [
        f"<b>{esc(ctx.forbund or 'okänt förbund')}</b>",
        esc(ctx.meeting_date or "odaterat"),
        esc(KIND_SV.get(ctx.doc_kind, ctx.doc_kind).lower()),
        esc(ctx.source),
    ]
    if ctx.item.pages:
        parts.append(esc(pages_text(ctx.item.pages)))
    return " · ".join(parts)


def _records_by_clause(item: Item) -> dict[str, Decision]:
    return {d.clause: d for d in item.records}


def clauses_html(item: Item) -> str:
    """The item's decision clauses (or agenda proposals) with their stance badges."""
    records = _records_by_clause(item)
    rows: list[str] = []
    for kind, clauses in (("Beslut", item.decisions), ("Förslag", item.proposals)):
        for clause in clauses:
            rec = records.get(clause)
            badge = verdict_badges(rec.act, rec.stance) if rec else ""
            amount = (
                f' <span class="fs-amount">{esc(kr(rec.amounts_kr))}</span>'
                if (rec and rec.amounts_kr)
                else ""
            )
            rows.append(f'<li><span class="fs-kind">{kind}</span>{badge}{esc(clause)}{amount}</li>')
    return f'<ul class="fs-decisions">{"".join(rows)}</ul>' if rows else ""


def card_html(
    ctx: ItemContext, snippet: str | None = None, extra: str = "", facts: str = ""
) -> str:
    item = ctx.item
    label = "" if item.label == item.title else f'<span class="fs-label">{esc(item.label)}</span>'
    body = f'<div class="fs-snippet">{snippet_html(snippet)}</div>' if snippet else ""
    return (
        f'<div class="fs-card">{extra}<div class="fs-meta">{meta_line(ctx)}</div>'
        f'<div class="fs-title">{label}{esc(item.title)}</div>{body}{clauses_html(item)}'
        f"{facts}</div>"
    )


# What a decision's row says beyond its clauses, in a card: amounts, shares, how it was
# reached, on what condition (index.report.decision_table's fields).
DECISION_FACTS = ("amounts_kr", "rates", "procedures_sv", "conditions")


def decision_facts_html(row: DecisionRow) -> str:
    """The facts of a decision row that it states, as one line ("Belopp: 400 000 kr ·
    Förfarande: omröstning · Villkor: under förutsättning att …"); empty when none."""
    from index.report import decision_table

    fields = decision_table([row])[0]
    parts = [
        f"<b>{esc(HEADERS_SV[key])}:</b> {esc(str(fields[key]))}"
        for key in DECISION_FACTS
        if fields.get(key)
    ]
    return f'<div class="fs-facts">{" · ".join(parts)}</div>' if parts else ""


def anchor_id(item_id: str) -> str:
    """The HTML id of an item on the Dokument page (stable: item ids come from content)."""
    return f"punkt-{item_id[:16]}"


def item_params(ctx: ItemContext, query: str = "") -> dict[str, str]:
    params = {"doc": ctx.doc_id, "item": ctx.item.item_id}
    return params | ({"q": query.strip()} if query.strip() else {})


def item_url(ctx: ItemContext, query: str = "") -> str:
    """A permanent link to the item on the Dokument page, on this server when known."""
    base = ""
    try:
        here = st.context.url
    except Exception:  # outside a session (tests, bare mode)
        here = None
    if here:
        parts = urlsplit(here)
        base = f"{parts.scheme}://{parts.netloc}"
    return f"{base}/dokument?{urlencode(item_params(ctx, query))}#{anchor_id(ctx.item.item_id)}"


def item_link(ctx: ItemContext, query: str = "") -> None:
    """ "Öppna i dokumentet": the Dokument page scrolled to the item, query words marked."""
    st.page_link(
        DOKUMENT_PAGE,
        label="Öppna i dokumentet",
        icon=":material/description:",
        query_params=item_params(ctx, query),
    )


def marked_html(text: str, query: str) -> str:
    """Text as escaped HTML, line by line, with the query's words marked."""
    from index.analyze import analyze_query
    from index.snippet import snippet

    terms = analyze_query(query)
    lines = []
    for line in text.splitlines():
        # a window wider than four times the line keeps the whole line (see snippet())
        lines.append(snippet_html(snippet(line, terms, width=4 * len(line) + 4)) if line else "")
    return "<br>".join(lines)


def item_details(item: Item, query: str = "") -> None:
    """The whole item: handlingar, body, proposals, decisions, amounts, copies. Document text
    is shown literally, never as Markdown; with a query its words are marked in the body."""
    if item.attachment and item.attachment != item.title:
        st.caption(f"Bilaga: {md(item.attachment)}")
    if item.handlingar:
        st.markdown("**Handlingar**")
        st.markdown("\n".join(f"- {md(h)}" for h in item.handlingar))
    if item.body.strip() and query.strip():
        st.html(f'<div class="fs-body">{marked_html(item.body.strip(), query)}</div>')
    elif item.body.strip():
        st.markdown(md(item.body.strip()).replace("\n", "  \n"))
    if item.decisions or item.proposals:
        st.html(clauses_html(item))
    if item.amounts:
        st.caption("Belopp i texten: " + md("; ".join(a.text for a in item.amounts)))
    if item.copy_to:
        st.caption("Kopia till: " + md("; ".join(item.copy_to)))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|$~:^=])")


def md(text: str) -> str:
    """Text shown literally inside st.markdown (no markup, maths or emoji codes)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def decision_card(row: DecisionRow, similarity: float | None = None) -> None:
    """A decision (or precedent) as a card: item-level stance, clauses, link into the document."""
    ctx = row.context
    side = verdict_badges(row.act, row.stance) if row.status == "decided" else ""
    if similarity is not None:
        side += f"likhet {similarity:.2f}"
    extra = f'<span class="fs-sim">{side}</span>' if side else ""
    with st.container(border=True):
        st.html(card_html(ctx, extra=extra, facts=decision_facts_html(row)))
        cols = st.columns([1, 3])
        with cols[0]:
            item_link(ctx)
        with cols[1]:
            details_expander(ctx.item)


def details_expander(item: Item, query: str = "") -> None:
    """ "Hela punkten": the whole item, rendered only once the reader opens it.

    A collapsed expander's content is sent to the browser and laid out all the same: the
    whole text of ten items was most of the search page's first render (README, *Measuring*).
    Opening the expander reruns the page (``on_change="rerun"``) and fills it."""
    box = st.expander("Hela punkten", key=f"hela_{item.item_id}", on_change="rerun")
    if box.open:
        with box:
            item_details(item, query)


def table_frame(table: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    """A pandas DataFrame of a report table with Swedish column names, stance coloured."""
    import pandas as pd

    df = pd.DataFrame([{c: r.get(c, "") for c in columns} for r in table], columns=list(columns))
    df = df.rename(columns=COLUMN_LABELS)
    styler = df.style
    for column in ("Ställning", "Beslutstyp"):
        if column in df.columns:
            styler = styler.map(stance_style, subset=[column])
    if "Täckning" in df.columns:
        styler = styler.map(coverage_style, subset=["Täckning"])
    return styler


ColumnWidth = Literal["small", "medium", "large"]


def column_widths(widths: dict[str, ColumnWidth]) -> dict[str, Any]:
    """Column settings for st.dataframe: a width per Swedish column name."""
    return {name: st.column_config.Column(width=w) for name, w in widths.items()}
