"""Generated protocols in varied layouts, for benchmarks and scale tests (deterministic).

Not sample data: the wording is drawn from pools of typical Finsam phrases, the layouts vary
in how items are labelled ("§ N", "NVSam § N", "Ärende N", "Punkt N."), how decisions are
introduced ("Beslut", "Beslut:", "Styrelsen beslutar"), and in running headers per page.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FORBUND = [
    "Samordningsförbundet Gävleborg",
    "Samordningsförbundet Centrala Östergötland",
    "Sjuhärads Samordningsförbund",
    "Samordningsförbundet Södra Lappland",
    "Samordningsförbundet Umeåregionen",
    "Norra Västmanlands Samordningsförbund",
    "Samordningsförbundet Västmanland",
    "Samordningsförbundet Skellefteå-Norsjö",
    "Samordningsförbundet Halland",
    "Samordningsförbundet Kalmar län",
]
TITLES = [
    "Ekonomisk uppföljning",
    "Delårsrapport",
    "Tilläggsäskande Samordningsteam {place}",
    "Ansökan om medel – Projekt {project}",
    "NNS förslag om serviceavgift",
    "Verksamhetsplan och budget {year}",
    "Rapport från förbundschefen",
    "Rekrytering av utvecklingsledare",
    "Avtal om ekonomitjänster",
    "Brukarrevision Samordningsteam {place}",
    "Medlemssamråd {year}",
    "Internkontrollplan {year}",
    "Årsredovisning {prev}",
    "Uppföljning av insatser",
]
PLACES = ["Sala", "Gävle", "Borås", "Lycksele", "Norrköping", "Kalmar", "Halmstad", "Umeå"]
PROJECTS = ["Nya vägar", "Stegvis", "Steget före", "Framåt", "Navigatorn", "Hälsolotsen"]
SENTENCES = [
    "Förbundschefen redogör för ärendet och de underlag som skickats ut inför mötet.",
    "Insatsen har under perioden haft {n} deltagare, varav {m} har gått vidare till arbete eller studier.",
    "Det ekonomiska utfallet till och med augusti visar ett överskott om {k} tkr.",
    "Försäkringskassan och Arbetsförmedlingen deltar i styrgruppen tillsammans med kommunen.",
    "Styrelsen diskuterade behovet av långsiktig finansiering och samverkan med parterna.",
    "Samordningsteamet har arbetat med individer som står långt från arbetsmarknaden.",
    "Nationella Nätverket för Samordningsförbund föreslår en höjning av serviceavgiften till {p} promille.",
    "Ansökan avser {k} 000 kronor för verksamhetsåret {year}.",
    "Regionen och kommunerna bidrar med en fjärdedel vardera av medlen.",
    "Uppföljningen visar att målen för året i stort sett är uppfyllda.",
    "Revisorerna har granskat räkenskaperna och lämnat en revisionsberättelse.",
    "En arbetsgrupp har tillsatts för att ta fram ett förslag till nästa möte.",
]
DECISIONS = [
    "Att godkänna informationen",
    "Att bevilja {project} {k} 000 kr för {year}",
    "Att avslå ansökan från {project}",
    "Att uppdra åt ordförande att rösta för NNS förslag om höjd serviceavgift",
    "Att rösta emot NNS förslag om höjd serviceavgift",
    "Att avstå från att ta ställning till NNS förslag",
    "Att återremittera ärendet till förbundschefen för komplettering",
    "Att bordlägga ärendet till nästa sammanträde",
    "Att fastställa verksamhetsplan och budget för {year}",
    "Att lägga rapporten till handlingarna",
]


@dataclass(frozen=True)
class GeneratedProtocol:
    name: str
    forbund: str
    date: str
    pages: list[str]
    n_items: int


def _fill(rng: random.Random, template: str, year: int) -> str:
    return template.format(
        place=rng.choice(PLACES),
        project=rng.choice(PROJECTS),
        year=year,
        prev=year - 1,
        n=rng.randint(8, 60),
        m=rng.randint(1, 7),
        k=rng.randint(20, 900),
        p=rng.choice(["2,5", "3", "3,5"]),
    )


def _label(layout: int, abbrev: str, n: int) -> str:
    return [f"§ {n}", f"{abbrev} § {n}", f"Ärende {n}", f"Punkt {n}."][layout]


def protocol(seed: int, *, n_items: int | None = None) -> GeneratedProtocol:
    """One generated protocol, split into pages with a running header and page numbers."""
    rng = random.Random(seed)
    forbund = rng.choice(FORBUND)
    abbrev = "".join(w[0] for w in forbund.split() if w[0].isupper()) + "F"
    year = rng.randint(2019, 2025)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    layout = rng.randrange(4)
    n_items = n_items or rng.randint(5, 14)
    first = rng.randint(1, 80)
    head = [
        forbund,
        "SAMMANTRÄDESPROTOKOLL" if layout % 2 == 0 else "Protokoll från styrelsemöte",
        f"Sammanträdesdatum {date}",
        f"Plats och tid: {rng.choice(PLACES)}, kl 09.00-12.00",
        "",
        "Beslutande",
        "Anna Berg, ordförande, Region",
        "Johan Ek, Försäkringskassan",
        "Sara Holm, Arbetsförmedlingen",
        "",
        "Sekreterare: Mats Lind",
        "Justerare: Johan Ek",
        "",
    ]
    lines = list(head)
    for i in range(n_items):
        n = first + i
        lines.append(f"{_label(layout, abbrev, n)} {_fill(rng, rng.choice(TITLES), year)}")
        lines.append("")
        for _ in range(rng.randint(2, 9)):
            lines.append(_fill(rng, rng.choice(SENTENCES), year))
        lines.append("")
        lines.append("Beslut" if layout in (0, 1) else "Beslut:")
        for _ in range(rng.randint(1, 2)):
            lines.append(_fill(rng, rng.choice(DECISIONS), year))
        lines.append("")
    per_page = 40
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    total = len(chunks)
    pages = [
        "\n".join([f"{forbund}   Sammanträdesdatum {date}   Sida {p} ({total})", "", *chunk])
        for p, chunk in enumerate(chunks, start=1)
    ]
    name = f"gen_{seed:05d}_{layout}.txt"
    return GeneratedProtocol(name, forbund, date, pages, n_items)


def corpus(n: int, *, seed: int = 0) -> list[GeneratedProtocol]:
    return [protocol(seed * 1_000_003 + i) for i in range(n)]
