"""Layout variants written with python-docx (kept as DOCX or converted to PDF by LibreOffice).

Each variant draws a document from content.Writer and lays it out in one family of real-world
layouts; its gold comes from the same content (content.ZDoc.gold)."""

from __future__ import annotations

import random
from typing import Any

from content import Writer, ZDoc, ZItem, long_date
from docx.shared import Pt
from docx_kit import FONTS, bold, new_document, numbered, page_break, page_of, table

Built = tuple[ZDoc, Any, str]  # (content, python-docx document, gold label word)


def decisions(d: Any, box: Any, it: ZItem, mode: str) -> None:
    """The item's decision clauses in a given style: att-lines under a lead, Word numbered
    list, or one paragraph per clause."""
    atts = all(c.startswith("att ") for c in it.decisions)
    if mode == "numbered" and len(it.decisions) > 1:
        numbered(d, box, it.decisions)
    elif atts and it.lead:
        box.add_paragraph(it.lead)
        for c in it.decisions:
            box.add_paragraph(c)
    else:
        for c in it.decisions:
            box.add_paragraph(c + ".")


def _font(rng: random.Random) -> tuple[str, float]:
    return rng.choice(FONTS), rng.choice((10.0, 10.5, 11.0, 12.0))


def _signatures(d: Any, doc: ZDoc, rng: random.Random) -> None:
    """Signature block: roles above dotted lines, names under them."""
    d.add_paragraph("Underskrifter" if rng.random() < 0.5 else "Justering")
    for role, name in (
        ("Sekreterare", doc.secretary),
        ("Ordförande", doc.chair),
        ("Justerande", doc.adjuster),
    ):
        d.add_paragraph(role)
        d.add_paragraph("." * rng.randint(30, 45))
        d.add_paragraph(name or "")


def _anslag(d: Any, doc: ZDoc, w: Writer) -> None:
    table(
        d,
        [
            ["ANSLAG/BEVIS"],
            ["Protokollet är justerat. Justeringen har tillkännagivits genom anslag."],
            [f"Organ: {doc.organ_name}\nDatum då anslaget sätts upp: {doc.date.isoformat()}"],
            ["Förvaringsplats för protokollet: förbundets kansli"],
        ],
    )


def paragraph_tables(w: Writer, rng: random.Random) -> Built:
    """Each § a two-column table (§ and Dnr | title, body, decision list); first-page meeting
    table with role columns; header table with 'Sida x (y)'; ANSLAG/BEVIS box."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(7, 9))
    ch, se, ad = w.roles()
    d = new_document(*_font(rng))
    head = d.sections[0].header
    t = table(
        head,
        [[doc.written, "PROTOKOLL", ""], ["", "Sammanträdesdatum", doc.date.isoformat()]],
        grid=False,
    )
    page_of(t.cell(0, 2).paragraphs[0], "paren")
    foot = d.sections[0].footer
    table(foot, [["Justerandes sign", "Utdragsbestyrkande"]])
    d.add_paragraph(f"{doc.organ_name}")
    rows = [["Plats och tid", f"{doc.place}, {doc.date.isoformat()} kl. {doc.time}"]]
    d.add_paragraph().add_run()
    table(d, rows, grid=False)
    d.add_paragraph("Beslutande")
    table(d, [["Namn", "Organisation", "Roll"]] + [list(m) for m in doc.members[:-2]], head=True)
    d.add_paragraph("Övriga")
    table(d, [["Namn", "Organisation", "Roll"]] + [list(m) for m in doc.members[-1:]], head=True)
    table(
        d,
        [
            ["Utses att justera", doc.adjuster or ""],
            ["Justeringens plats och tid", f"Förbundets kansli, {doc.date.isoformat()}"],
            ["Paragrafer", f"{doc.items[0].n}–{doc.items[-1].n}"],
        ],
        grid=False,
    )
    _signatures(d, doc, rng)
    _anslag(d, doc, w)
    page_break(d)
    heading = rng.choice(("Styrelsens beslut", "Beslut"))
    for it in doc.items:
        t = d.add_table(rows=1, cols=2)
        left, right = t.cell(0, 0), t.cell(0, 1)
        left.paragraphs[0].add_run(f"§ {it.n}").bold = True
        left.add_paragraph(f"Dnr {it.dnr}")
        bold(right.paragraphs[0], it.title)
        for para in it.body:
            right.add_paragraph(para)
        for head, text in it.extra:
            right.add_paragraph().add_run(head).bold = True
            right.add_paragraph(text)
        if it.decisions:
            right.add_paragraph().add_run(heading).bold = True
            decisions(d, right, it, "numbered")
        d.add_paragraph()
    return doc, d, "§"


def tab_dnr(w: Writer, rng: random.Random) -> Built:
    """'§ N ⇥ Dnr' with the title on the next line; tab-separated participants; running
    header line; 'Beslut' + '<organ> beslutar' att-lines; signature block at the end."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(8, 10))
    ch, se, ad = w.roles()
    d = new_document(*_font(rng))
    hp = d.sections[0].header.paragraphs[0]
    hp.add_run(f"PROTOKOLL · Sammanträdesdatum {doc.date.isoformat()} · ")
    page_of(hp, "paren")
    d.sections[0].footer.paragraphs[0].text = "Justerandes sign\t\tUtdragsbestyrkande"
    bold(d.add_paragraph(), doc.written)
    d.add_paragraph(f"Protokoll från sammanträde med {doc.organ_name.lower()}")
    d.add_paragraph(f"Tid: {doc.date.isoformat()} kl. {doc.time}")
    d.add_paragraph(f"Plats: {doc.place}")
    d.add_paragraph(rng.choice(("Beslutande ledamöter", "Närvarande ledamöter", "Beslutande")))
    for name, org, role in doc.members[:-2]:
        d.add_paragraph(f"{name}\t{org}\t{role}")
    d.add_paragraph("Övriga deltagande")
    name, org, role = doc.members[-1]
    d.add_paragraph(f"{name}\t{role}")
    verdict = rng.choice(("Beslut", f"{doc.organ_name}s beslut"))
    dnr = rng.choice(("Dnr", "Dnr:", "Diarienr"))
    for it in doc.items:
        p = d.add_paragraph()
        bold(p, f"§ {it.n}\t{dnr} {it.dnr}")
        bold(d.add_paragraph(), it.title)
        for para in it.body:
            d.add_paragraph(para)
        if it.decisions:
            bold(d.add_paragraph(), verdict)
            decisions(d, d, it, "att")
    d.add_paragraph("Vid protokollet")
    d.add_paragraph("_" * 28)
    d.add_paragraph(doc.secretary or "")
    d.add_paragraph("Justeras")
    d.add_paragraph("_" * 28 + "\t" + "_" * 28)
    d.add_paragraph(f"{doc.chair}, ordförande\t{doc.adjuster}, justerare")
    return doc, d, "§"


def number_before_sign(w: Writer, rng: random.Random) -> Built:
    """'12 § Title' headings; first-page label/value table; '<Organ>s beslut' heading;
    'Sida x av y'; Underskrifter rows."""
    organ = rng.choice((("styrelse", "Förbundsstyrelsen"), ("styrelse", "Styrelsen")))
    doc = w.document("protokoll", organ[0], organ[1], rng.randint(7, 9))
    ch, se, ad = w.roles()
    d = new_document(*_font(rng))
    t = table(
        d.sections[0].header, [[doc.written, f"Protokoll {long_date(doc.date)}", ""]], grid=False
    )
    page_of(t.cell(0, 2).paragraphs[0], "av")
    table(
        d,
        [
            ["Sammanträde med", doc.organ_name.lower()],
            ["Plats och tid", f"{doc.place}, {long_date(doc.date)} kl. {doc.time}"],
            ["Beslutande", "\n".join(f"{n} ({r})" for n, _, r in doc.members[:-2])],
            ["Sekreterare", doc.secretary or ""],
            ["Utses att justera", doc.adjuster or ""],
        ],
    )
    table(
        d,
        [
            ["Underskrifter", "Sekreterare", doc.secretary or ""],
            ["", "Ordförande", doc.chair],
            ["", "Justerande", doc.adjuster or ""],
        ],
    )
    page_break(d)
    genitive = doc.organ_name + "s beslut"
    for it in doc.items:
        h = d.add_paragraph()
        bold(h, f"{it.n} §  {it.title}").font.size = Pt(12)
        for para in it.body:
            d.add_paragraph(para)
        for head, text in it.extra:
            bold(d.add_paragraph(), head)
            d.add_paragraph(text)
        if it.decisions:
            bold(d.add_paragraph(), genitive)
            decisions(d, d, it, "att")
        if it.extra and rng.random() < 0.7:
            bold(d.add_paragraph(), "Reservation")
            d.add_paragraph(it.extra[0][1].split(" yrkar")[0] + " reserverar sig mot beslutet.")
    return doc, d, "§"


def label_prefix(w: Writer, rng: random.Random) -> Built:
    """Labels with a prefix on their own line ('SFX § 36'), title on the next line, '____'
    separators, typed numbered lists, 'Expedieras till'."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(7, 9))
    ch, se, ad = w.roles()
    d = new_document(*_font(rng))
    prefix = "".join(p[0] for p in doc.forbund.split()[1:] if p[0].isupper())[:3] or "SF"
    prefix = "SF" + prefix
    t = table(
        d.sections[0].header,
        [[doc.written, "Protokoll", ""], ["", long_date(doc.date), ""]],
        grid=False,
    )
    page_of(t.cell(0, 2).paragraphs[0], "paren")
    d.add_paragraph(
        f"Sammanträde med {doc.organ_name.lower()} "
        f"{long_date(doc.date, weekday=True)} kl. {doc.time}"
    )
    table(
        d,
        [
            [ch, doc.chair],
            [se, doc.secretary or ""],
            [ad, doc.adjuster or ""],
            ["Paragrafer", f"{doc.items[0].n}–{doc.items[-1].n}"],
        ],
    )
    for it in doc.items:
        d.add_paragraph("_" * 60)
        bold(d.add_paragraph(), f"{prefix} § {it.n}")
        bold(d.add_paragraph(), it.title)
        for para in it.body:
            d.add_paragraph(para)
        if it.decisions:
            atts = all(c.startswith("att ") for c in it.decisions)
            if atts and it.lead:
                d.add_paragraph(it.lead)
                for c in it.decisions:
                    d.add_paragraph(c)
            elif len(it.decisions) > 1:
                d.add_paragraph(f"{doc.organ_name} beslutar:")
                for i, c in enumerate(it.decisions, 1):
                    d.add_paragraph(f"{i}. {c}")
            else:
                d.add_paragraph(f"{doc.organ_name}s beslut: {it.decisions[0]}.")
        d.add_paragraph(f"Expedieras till: förbundschefen, {rng.choice(doc.members)[1]}")
    return doc, d, "§"


def arende_inline(w: Writer, rng: random.Random) -> Built:
    """'Ärende N' headings, inline 'Beslut: …', 'Arbetsutskottets förslag till styrelsen'
    att-lines, officer lines, a meeting date written out with weekday and time."""
    doc = w.document("protokoll", "arbetsutskott", "Arbetsutskottet", rng.randint(6, 8))
    ch, se, ad = w.roles()
    d = new_document(*_font(rng))
    bold(d.add_paragraph(), f"{doc.written} – arbetsutskottet")
    d.add_paragraph(
        f"Protokoll fört vid sammanträde {long_date(doc.date, weekday=True)} "
        f"kl. {doc.time} i {doc.place}"
    )
    for role, name in (
        (ch, doc.chair),
        (se, doc.secretary),
        (ad, doc.adjuster),
    ):
        d.add_paragraph(f"{role}: {name}")
    same_line = rng.random() < 0.5
    for it in doc.items:
        if same_line:
            d.add_paragraph(f"Ärende {it.n} – {it.title}", style="Heading 3")
        else:
            d.add_paragraph(f"Ärende {it.n}", style="Heading 3")
            bold(d.add_paragraph(), it.title)
        for para in it.body:
            d.add_paragraph(para)
        if len(it.decisions) == 1:
            d.add_paragraph(f"Beslut: {it.decisions[0]}.")
        elif it.decisions:
            bold(d.add_paragraph(), "Arbetsutskottets förslag till styrelsen")
            if all(c.startswith("att ") for c in it.decisions):
                d.add_paragraph("Styrelsen föreslås besluta")
                for c in it.decisions:
                    d.add_paragraph(c)
            else:
                for c in it.decisions:
                    d.add_paragraph(c + ".")
    return doc, d, "ärende"
