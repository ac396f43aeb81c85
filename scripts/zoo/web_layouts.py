"""Layout variants written as text: förbund web pages (HTML with site chrome), a Markdown
export with pipe tables, and a hard-wrapped plain-text protocol with page furniture."""

from __future__ import annotations

import html
import random
import textwrap

from content import Writer, ZDoc, ZItem, long_date

Built = tuple[ZDoc, str, str]  # (content, file text, gold label word)


def _e(text: str | None) -> str:
    return html.escape(text or "")


def _chrome(doc: ZDoc, rng: random.Random, main: str) -> str:
    """A förbund web page around the protocol: cookie banner, menu, search, breadcrumbs,
    sidebar with other protocols, footer."""
    others = "".join(
        f'<li><a href="/protokoll/{doc.date.year - 1}-{m:02d}-1{m % 9}">Protokoll '
        f"{doc.date.year - 1}-{m:02d}-1{m % 9}</a></li>"
        for m in rng.sample(range(1, 13), 4)
    )
    menu = "".join(
        f'<li><a href="/{x.lower()}">{x}</a></li>'
        for x in ("Start", "Om förbundet", "Insatser", "Styrelse", "Protokoll", "Kontakt")
    )
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Protokoll {doc.date.isoformat()} –
{_e(doc.written)}</title></head>
<body>
<div class="cookie-banner" id="cookies"><p>Vi använder kakor (cookies) för att webbplatsen
ska fungera och för statistik.</p><button>Godkänn alla kakor</button><button>Endast
nödvändiga</button></div>
<header class="site-header"><a class="logo" href="/">{_e(doc.written)}</a>
<nav class="main-menu"><ul>{menu}</ul></nav>
<form class="search" role="search"><label for="q">Sök på webbplatsen</label><input id="q"
name="q"><button>Sök</button></form></header>
<nav class="breadcrumbs" aria-label="Brödsmulor"><a href="/">Start</a> › <a
href="/styrelse">Styrelse</a> › <a href="/protokoll">Protokoll</a> › Protokoll
{doc.date.isoformat()}</nav>
{main}
<aside class="sidebar"><h2>Fler protokoll</h2><ul>{others}</ul>
<h2>Kontakt</h2><p>Förbundschef {_e(doc.secretary)}<br>Telefon 010-123 45 67</p></aside>
<footer class="site-footer"><p>{_e(doc.written)} · Box 123 · Org.nr 222000-1234</p>
<p><a href="/tillganglighet">Tillgänglighetsredogörelse</a> · <a
href="/personuppgifter">Behandling av personuppgifter</a> · <a href="/kakor">Om
kakor</a></p></footer>
</body></html>
"""


def _html_decisions(doc: ZDoc, it: ZItem, rng: random.Random) -> str:
    if len(it.decisions) == 1:
        return f"<p><strong>Beslut:</strong> {_e(it.decisions[0])}.</p>"
    if not it.decisions:
        return ""
    if it.lead and all(c.startswith("att ") for c in it.decisions):
        lines = "".join(f"<li>{_e(c)}</li>" for c in it.decisions)
        tag = rng.choice(("ul", "ol"))
        return f"<p><strong>Beslut</strong></p><p>{_e(it.lead)}</p><{tag}>{lines}</{tag}>"
    return "<p><strong>Beslut</strong></p>" + "".join(f"<p>{_e(c)}.</p>" for c in it.decisions)


def html_chrome(w: Writer, rng: random.Random) -> Built:
    """Protocol in <main> with 'Punkt N' h3 headings and 'Beslut: …' inside a full web page."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(7, 9))
    ch, se, ad = w.roles()
    parts = [
        f"<h1>Protokoll styrelsemöte {long_date(doc.date)}</h1>",
        f"<p>Tid: kl. {doc.time}. Plats: {_e(doc.place)}.</p>",
        "<p>Närvarande: " + ", ".join(_e(n) for n, _, _ in doc.members[:-1]) + "</p>",
    ]
    for it in doc.items:
        parts.append(f"<h3>Punkt {it.n}. {_e(it.title)}</h3>")
        parts += [f"<p>{_e(p)}</p>" for p in it.body]
        parts.append(_html_decisions(doc, it, rng))
    parts.append(
        f"<p>{ch}: {_e(doc.chair)}<br>{se}: {_e(doc.secretary)}<br>{ad}: {_e(doc.adjuster)}</p>"
    )
    parts.append('<p><a href="protokoll.pdf">Ladda ner protokollet som pdf (180 kB)</a></p>')
    opening, closing = rng.choice(
        (("<main>", "</main>"), ('<div role="main" id="innehall">', "</div>"))
    )
    page = _chrome(doc, rng, f"{opening}\n" + "\n".join(parts) + f"\n{closing}")
    return doc, page, "punkt"


def html_article(w: Writer, rng: random.Random) -> Built:
    """A page whose protocol is an <article> with '§ N Title' h2 headings, a participant
    table with role columns and decisions in lists; header, nav, aside and footer around."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(7, 9))
    ch, se, ad = w.roles()
    rows = "".join(
        f"<tr><td>{_e(n)}</td><td>{_e(o)}</td><td>{_e(r)}</td></tr>" for n, o, r in doc.members
    )
    parts = [
        f"<h1>{_e(doc.written)}: styrelsens protokoll {doc.date.isoformat()}</h1>",
        f"<p>Sammanträdet hölls {long_date(doc.date, weekday=True)} kl. {doc.time}.</p>",
        f"<table><thead><tr><th>Namn</th><th>Organisation</th><th>Roll</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>",
    ]
    for it in doc.items:
        parts.append(f"<h2>§ {it.n} {_e(it.title)}</h2>")
        parts += [f"<p>{_e(p)}</p>" for p in it.body]
        if it.decisions:
            parts.append("<h4>Beslut</h4>")
            if len(it.decisions) > 1:
                parts.append("<ol>" + "".join(f"<li>{_e(c)}</li>" for c in it.decisions) + "</ol>")
            else:
                parts.append(f"<p>{_e(it.decisions[0])}.</p>")
    parts.append(
        f"<p>{se}: {_e(doc.secretary)}</p><p>{ch}: {_e(doc.chair)}</p>"
        f"<p>{ad}: {_e(doc.adjuster)}</p>"
    )
    main = '<div class="content"><article>\n' + "\n".join(parts) + "\n</article></div>"
    return doc, _chrome(doc, rng, main), "§"


def markdown_pipes(w: Writer, rng: random.Random) -> Built:
    """A minute system's Markdown export: pipe tables for the meeting and for each §'s
    heading row (§ | title, Dnr row), decisions as '- att …' under '**Beslut**'."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(7, 9))
    ch, se, ad = w.roles()
    out = [
        f"# {doc.written}",
        "",
        f"## Protokoll {doc.date.isoformat()}",
        "",
        "| Namn | Organisation | Roll |",
        "|---|---|---|",
    ]
    out += [f"| {n} | {o} | {r} |" for n, o, r in doc.members]
    out += [
        "",
        f"{ad}: {doc.adjuster}  ",
        f"{se}: {doc.secretary}  ",
        f"Ordförande: {doc.chair}",
        "",
    ]
    for it in doc.items:
        out += [f"| § {it.n} | {it.title} |", "|---|---|", f"| Dnr | {it.dnr} |", ""]
        out += [p + "\n" for p in it.body]
        if it.decisions:
            out += ["**Beslut**", ""]
            if it.lead and all(c.startswith("att ") for c in it.decisions):
                out += [it.lead, ""] + [f"- {c}" for c in it.decisions] + [""]
            else:
                out += [f"- {c}" for c in it.decisions] + [""]
    return doc, "\n".join(out) + "\n", "§"


def _wrap(text: str, width: int, rng: random.Random) -> list[str]:
    """Hard-wrapped lines; now and then a long word broken with a hyphen at the line end."""
    lines = textwrap.wrap(text, width, break_on_hyphens=False)
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        word = nxt.split(" ")[0] if nxt else ""
        if len(word) > 11 and word.isalpha() and rng.random() < 0.5:
            cut = len(word) // 2
            line, lines[i + 1] = f"{line} {word[:cut]}-", nxt[cut:]
        out.append(line)
    return out


def text_wrapped(w: Writer, rng: random.Random) -> Built:
    """Plain text, hard-wrapped with hyphenated breaks; form-feed pages with a running
    header 'Sida x av y' and a 'Justerandes sign' footer; '§ N. Title' headings."""
    doc = w.document("protokoll", "styrelse", "Styrelsen", rng.randint(8, 10))
    ch, se, ad = w.roles()
    d = doc.date
    dates = (long_date(d), d.isoformat(), f"{d.day}/{d.month} {d.year}")
    heading = rng.choice(("§ {n}. {title}", "§ {n} {title}", "§{n} {title}"))
    width = rng.choice((58, 64, 70))
    body = [
        doc.written.upper(),
        "PROTOKOLL",
        "",
        f"Sammanträde med styrelsen den {rng.choice(dates)} kl. {doc.time}",
        f"Plats: {doc.place}",
        "",
        "Beslutande:",
    ]
    body += [f"  {n}, {o} ({r})" for n, o, r in doc.members[:-2]]
    body += ["", f"{se}: {doc.secretary}", f"{ad}: {doc.adjuster}", ""]
    for it in doc.items:
        body += [heading.format(n=it.n, title=it.title), ""]
        for para in it.body:
            body += _wrap(para, width, rng) + [""]
        if it.decisions:
            body.append("Styrelsens beslut" if rng.random() < 0.5 else "Beslut")
            if it.lead and all(c.startswith("att ") for c in it.decisions):
                body.append(it.lead)
            for c in it.decisions:
                body += _wrap(c + ("" if c.startswith("att ") else "."), width, rng)
            body.append("")
    body += [
        "Vid protokollet",
        "",
        f"{doc.secretary}",
        "",
        "Justeras",
        "",
        f"{doc.chair}          {doc.adjuster}",
    ]
    per_page = rng.randint(40, 55)
    chunks = [body[i : i + per_page] for i in range(0, len(body), per_page)]
    pages = []
    for n, chunk in enumerate(chunks, 1):
        head = [
            f"{doc.written}    Protokoll {doc.date.isoformat()}    Sida {n} av {len(chunks)}",
            "",
        ]
        pages.append("\n".join(head + chunk + ["", "Justerandes sign ______   ______"]))
    return doc, "\n\f".join(pages) + "\n", "§"
