"""More python-docx layout variants: kallelse with an agenda table, minnesanteckningar with
heading styles, § per page with a table of contents, DOCX with the förbund only in the Word
header, DOCX with a first-page meeting table and decisions 'i enlighet med förslaget'."""

from __future__ import annotations

import random

from content import Writer, long_date
from docx_kit import bold, bullets, new_document, numbered, page_break, page_of, table
from word_layouts import Built, _font, decisions


def kallelse_table(w: Writer, rng: random.Random) -> Built:
    """KALLELSE with the föredragningslista as a table, then one section per point with
    'Förslag till beslut'."""
    doc = w.document("kallelse", "styrelse", "Styrelsen", rng.randint(8, 10))
    ch, se, ad = w.roles()
    for it in doc.items[:3]:  # procedural points: no proposal
        it.proposal = None
    d = new_document(*_font(rng))
    d.sections[0].header.paragraphs[0].text = doc.written
    bold(d.add_paragraph(), "KALLELSE")
    d.add_paragraph(
        f"{doc.organ_name} kallas till sammanträde "
        f"{long_date(doc.date, weekday=rng.random() < 0.5)} kl. {doc.time}."
    )
    d.add_paragraph(f"Plats: {doc.place}")
    d.add_paragraph("Föredragningslista")
    rows = [
        rng.choice(
            (
                ["Nr", "Ärende", "Föredragande", "Beslut/Information"],
                ["Punkt", "Ärende", "Ansvarig", "Typ"],
            )
        )
    ]
    for it in doc.items:
        rows.append(
            [
                str(it.n),
                it.title,
                rng.choice(("Ordförande", "Förbundschef")),
                "Beslut" if it.proposal else "Information",
            ]
        )
    table(d, rows, head=True)
    d.add_paragraph(f"Välkomna! {doc.chair}, ordförande")
    page_break(d)
    for it in doc.items:
        bold(d.add_paragraph(), f"{it.n}. {it.title}")
        for para in it.body:
            d.add_paragraph(para)
        if it.proposal:
            bold(d.add_paragraph(), "Förslag till beslut")
            d.add_paragraph(it.proposal + ".")
    d.add_paragraph(f"{doc.chair}")
    d.add_paragraph("Ordförande")
    return doc, d, "punkt"


def notes_headings(w: Writer, rng: random.Random) -> Built:
    """Minnesanteckningar with Word heading styles, a bulleted participant list, a small
    table and 'Vid anteckningarna'."""
    doc = w.document("minnesanteckningar", "medlemssamråd", "Medlemssamrådet", 6)
    ch, se, ad = w.roles()
    w.notes(doc)
    doc.adjuster = None
    d = new_document(*_font(rng))
    d.add_paragraph(f"Minnesanteckningar – medlemssamråd {doc.written}", style="Title")
    d.add_paragraph(f"Datum: {long_date(doc.date)}, kl. {doc.time}")
    d.add_paragraph(f"Plats: {doc.place}")
    bold(d.add_paragraph(), "Närvarande")
    bullets(
        d, [f"{n}, {o}" + (" (ordförande)" if n == doc.chair else "") for n, o, _ in doc.members]
    )
    level = rng.choice(("Heading 1", "Heading 2"))
    for head, paras in doc.sections:
        d.add_paragraph(head, style=level)
        for para in paras:
            d.add_paragraph(para)
        if head.startswith("Årsredovisning"):
            table(
                d,
                [["Post", "Belopp"], ["Intäkter", "4 200 000 kr"], ["Kostnader", "3 950 000 kr"]],
                head=True,
            )
    d.add_paragraph("Vid anteckningarna")
    d.add_paragraph(doc.secretary or "")
    return doc, d, "sektion"


def paragraph_per_page(w: Writer, rng: random.Random) -> Built:
    """A table of contents repeating the titles; each § on its own page ('§ N ⇥ title' and a
    Dnr line under it); Ärendebeskrivning, Förslag till beslut, Beslut, Protokollsanteckning,
    Kopia till; Ledamöter | Ersättare table; signature block at the end."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(7, 9))
    ch, se, ad = w.roles()
    d = new_document(*_font(rng))
    abbrev = "".join(p[0] for p in doc.forbund.split() if p[0].isupper())[:4]
    hp = d.sections[0].header.paragraphs[0]
    hp.add_run(f"{doc.written}   Protokoll {doc.date.isoformat()}   ")
    page_of(hp, "paren")
    d.add_paragraph(f"Styrelsesammanträde {doc.date.isoformat()}, kl. {doc.time}, {doc.place}")
    members = [m for m in doc.members if m[2] != "ersättare"][:-1]
    subs = [m for m in doc.members if m[2] == "ersättare"]
    rows = [["Ledamöter", "Ersättare"]]
    for i in range(max(len(members), len(subs))):
        rows.append(
            [
                f"{members[i][0]}, {members[i][1]}" if i < len(members) else "",
                f"{subs[i][0]}, {subs[i][1]}" if i < len(subs) else "",
            ]
        )
    table(d, rows, head=True)
    d.add_paragraph(f"{se}: {doc.secretary}")
    bold(d.add_paragraph(), "Innehåll")
    for it in doc.items:
        d.add_paragraph(f"§ {it.n}\t{it.title}\t{rng.randint(2, 9)}")
    for it in doc.items:
        page_break(d)
        bold(d.add_paragraph(), f"§ {it.n}\t{it.title}")
        d.add_paragraph(f"Dnr {abbrev} {it.dnr}")
        if it.body:
            bold(d.add_paragraph(), "Ärendebeskrivning")
        for para in it.body:
            d.add_paragraph(para)
        if it.proposal and it.decisions:
            bold(d.add_paragraph(), "Förslag till beslut")
            d.add_paragraph(it.proposal + ".")
        if it.decisions:
            bold(d.add_paragraph(), "Beslut")
            decisions(d, d, it, "att")
        if rng.random() < 0.3:
            bold(d.add_paragraph(), "Protokollsanteckning")
            d.add_paragraph(f"{doc.members[2][0]} anmäler en protokollsanteckning.")
        d.add_paragraph("Kopia till: förbundschefen")
    d.add_paragraph("Sekreterare\t\tOrdförande\t\tJusterare")
    d.add_paragraph(f"{doc.secretary}\t{doc.chair}\t{doc.adjuster}")
    return doc, d, "§"


def docx_header_only(w: Writer, rng: random.Random) -> Built:
    """Plain DOCX: the förbund only in the Word header; Heading 2 items '§ N Title';
    decisions as Word auto-numbered lists; officers as 'Ordförande: …' lines at the end."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(7, 9))
    ch, se, ad = w.roles()
    d = new_document(*_font(rng))
    d.sections[0].header.paragraphs[0].text = doc.written
    d.add_paragraph("Protokoll", style="Title")
    d.add_paragraph(f"Styrelsemöte {long_date(doc.date)}, {doc.place}")
    d.add_paragraph("Närvarande: " + ", ".join(n for n, _, r in doc.members if r != "ersättare"))
    sign = rng.choice(("§ ", "§"))
    intro = rng.choice(("Beslut:", "Beslut", f"{doc.organ_name} beslutade"))
    for it in doc.items:
        d.add_paragraph(f"{sign}{it.n} {it.title}", style="Heading 2")
        for para in it.body:
            d.add_paragraph(para)
        if it.decisions:
            d.add_paragraph(intro)
            if len(it.decisions) > 1:
                numbered(d, d, it.decisions)
            else:
                d.add_paragraph(it.decisions[0] + ".")
    for role, name in (
        (ch, doc.chair),
        (se, doc.secretary),
        (ad, doc.adjuster),
    ):
        d.add_paragraph(f"{role}: {name}")
    return doc, d, "§"


def meeting_table_docx(w: Writer, rng: random.Random) -> Built:
    """DOCX with a first-page meeting table (Funktion | Namn | Representerar); § in bold
    with the title; 'Styrelsen beslutar i enlighet med förslaget' after a proposal."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(7, 9))
    ch, se, ad = w.roles()
    d = new_document(*_font(rng))
    bold(d.add_paragraph(), f"{doc.written}\nProtokoll {doc.date.isoformat()}")
    rows = [["Funktion", "Namn", "Representerar"]]
    rows += [[r.capitalize(), n, o] for n, o, r in doc.members]
    table(d, rows, head=True)
    d.add_paragraph(f"Plats: {doc.place}. Tid: kl. {doc.time}.")
    follow = "i enlighet med förslaget"
    for it in doc.items:
        p = d.add_paragraph()
        bold(p, f"§ {it.n}")
        p.add_run(f"  {it.title}").bold = True
        for para in it.body:
            d.add_paragraph(para)
        if it.proposal and it.decisions and len(it.decisions) > 1 and rng.random() < 0.6:
            bold(d.add_paragraph(), "Förslag till beslut")
            d.add_paragraph(it.proposal + ".")
            bold(d.add_paragraph(), "Beslut")
            it.decisions = [f"{doc.organ_name} beslutar {follow}"]
            d.add_paragraph(it.decisions[0] + ".")
            it.lead = None
            it.follows = True
        elif it.decisions:
            bold(d.add_paragraph(), "Beslut")
            decisions(d, d, it, rng.choice(("att", "numbered")))
    d.add_paragraph("Justeras")
    d.add_paragraph(f"{doc.chair} (ordförande)\t{doc.adjuster} (justerare)")
    d.add_paragraph(f"Vid protokollet: {doc.secretary}")
    return doc, d, "§"
