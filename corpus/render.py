"""Plain-text views of corpus records, for `finsam show` and checking segmentation by eye."""

from __future__ import annotations

import textwrap

from corpus.model import ACT_SV, STANCE_SV, Document, Item


def _wrap(text: str, indent: str = "    ", width: int = 100) -> str:
    return "\n".join(
        textwrap.fill(par, width, initial_indent=indent, subsequent_indent=indent)
        for par in text.splitlines()
        if par.strip()
    )


def render_item(item: Item, *, body_chars: int = 400) -> str:
    pages = ", ".join(str(p) for p in item.pages) or "?"
    head = f"{item.label}  {item.title}" if item.label != item.title else item.title
    lines = [f"{head}   [sida {pages}]" + ("  (formalia)" if item.procedural else "")]
    if item.attachment and item.attachment != item.title:
        lines.append(f"  Bilaga: {item.attachment}")
    if item.handlingar:
        lines.append("  Handlingar:")
        lines += [f"    - {h}" for h in item.handlingar]
    if item.body.strip():
        body = item.body.strip()
        if body_chars and len(body) > body_chars:
            body = body[:body_chars].rsplit(" ", 1)[0] + " …"
        lines.append(_wrap(body, "  | "))
    if item.proposals:
        lines.append("  Förslag till beslut:")
        lines += [_wrap(p, "    ") for p in item.proposals]
    if item.decisions:
        lines.append("  Beslut:")
        stances = {d.clause: d for d in item.records}
        for clause in item.decisions:
            rec = stances.get(clause)
            labels = (
                [ACT_SV.get(rec.act or "", ""), STANCE_SV.get(rec.stance or "", "")] if rec else []
            )
            tag = f"  [{', '.join(x for x in labels if x)}]" if any(labels) else ""
            lines.append(_wrap(f"- {clause}{tag}", "    "))
    if item.amounts:
        lines.append("  Belopp: " + "; ".join(a.text for a in item.amounts))
    if item.copy_to:
        lines.append("  Kopia till: " + "; ".join(item.copy_to))
    return "\n".join(lines)


def render_document(doc: Document, *, body_chars: int = 400) -> str:
    m = doc.meeting
    out = [
        f"{doc.source}  ({doc.kind}, {doc.fmt or '?'}, {doc.n_pages} sidor)  id {doc.doc_id}",
        f"Förbund:     {m.forbund or 'okänt'}"
        + (f"   – {m.forbund_evidence}" if m.forbund_evidence else ""),
        f"Organ:       {m.organ or '–'}",
        "Datum:       "
        + (
            m.date
            or (
                "okänt"
                + (f" (mellan {m.date_window[0]} och {m.date_window[1]})" if m.date_window else "")
            )
        )
        + (f"  kl {m.time}" if m.time else ""),
        f"Plats:       {m.place or '–'}",
        f"Ordförande:  {m.chair or '–'}",
        f"Sekreterare: {m.secretary or '–'}",
        f"Justerare:   {', '.join(m.adjusters) or '–'}",
    ]
    if m.participants:
        out.append("Deltagare:")
        for p in m.participants:
            extra = f" ({p.note})" if p.note else ""
            out.append(f"    {p.role:<24} {p.name}, {p.organisation or '–'}{extra}")
    if doc.attachments:
        out.append("Bilagor:     " + "; ".join(doc.attachments))
    if doc.warnings:
        out.append("Varningar:")
        out += [f"    - {w.message} [{w.code}]" for w in doc.warnings]
    out.append("")
    out.append(f"{len(doc.items)} punkter")
    for item in doc.items:
        out.append("")
        out.append(render_item(item, body_chars=body_chars))
    return "\n".join(out)
