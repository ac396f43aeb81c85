"""Invented protocol content for the layout zoo: people, items, decisions, with their gold.

Everything is drawn from a seeded random generator: invented people, invented insatser,
invented sums; the förbund are real names from the project's gazetteer (ingest/data/
forbund.json), written as förbund write themselves ("Samordningsförbundet i X", "Xs
samordningsförbund", "Finsam X"). The wording of titles and decisions varies per document.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from ingest.vocab import MONTHS as SWEDISH_MONTHS

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER = ROOT / "ingest" / "data" / "forbund.json"

FIRST = [
    "Agneta",
    "Bengt",
    "Cecilia",
    "Dragan",
    "Elin",
    "Fredrik",
    "Gunilla",
    "Hassan",
    "Ingrid",
    "Jesper",
    "Karin",
    "Leif",
    "Maja",
    "Nils",
    "Olga",
    "Petra",
    "Rasmus",
    "Sanna",
    "Tobias",
    "Ulrika",
    "Viktor",
    "Yvonne",
    "Åsa",
    "Örjan",
    "Amira",
    "Björn",
    "Carina",
    "Daniel",
    "Emelie",
    "Göran",
    "Helene",
    "Ivar",
    "Johanna",
    "Kent",
    "Linnea",
    "Mikael",
    "Nadia",
    "Oskar",
    "Pia",
    "Roger",
    "Sofie",
]
LAST = [
    "Almqvist",
    "Berglind",
    "Carlberg",
    "Dahlgren",
    "Ekstrand",
    "Fagerlund",
    "Grönvall",
    "Hedberg",
    "Isaksson",
    "Jonsson",
    "Kvist",
    "Lundmark",
    "Malmsten",
    "Nordin",
    "Olander",
    "Pålsson",
    "Rydén",
    "Sandgren",
    "Tornberg",
    "Ulander",
    "Vikström",
    "Wahlberg",
    "Åkesson",
    "Östlund",
    "Björklund",
    "Engdahl",
    "Forsberg",
    "Hammar",
    "Lindblad",
    "Nyberg",
    "Rosén",
    "Strand",
]
INSATS = (
    "Vägen vidare",
    "Jobbspåret",
    "Unga i rörelse",
    "Arbetslotsen",
    "Hälsosteget",
    "Nystart",
    "Brobyggarna",
    "Kliv framåt",
    "Språngbrädan",
    "Samverkansteam Vux",
    "Rätt stöd",
    "Trappsteget",
)
MONTHS = list(SWEDISH_MONTHS)  # in calendar order
WEEKDAYS = ["måndagen", "tisdagen", "onsdagen", "torsdagen", "fredagen", "lördagen", "söndagen"]
SECRETARY = ("Sekreterare", "Protokollförare", "Sekreterare", "Vid protokollet")
ADJUSTER = ("Justerare", "Justerande", "Protokolljusterare", "Justerare")
PLACES = ("Stadshuset, sal 2", "Kommunhuset, rum Ljuset", "Förbundets kansli", "Via Teams")


@dataclass
class ZItem:
    n: int
    title: str
    body: list[str]
    decisions: list[str]  # the gold clauses, as written (att-lines start with "att")
    lead: str | None = None  # "Styrelsen beslutar" before att-lines (not part of a clause)
    proposal: str | None = None  # "Förslag till beslut" text, not a decision
    dnr: str | None = None
    extra: list[tuple[str, str]] = field(default_factory=list)  # (heading, text) not decisions
    follows: bool = False  # the decision only refers to the proposal ("i enlighet med …")


@dataclass
class ZDoc:
    kind: str  # protokoll | kallelse | minnesanteckningar
    forbund: str  # canonical name (gold)
    written: str  # the förbund as this document writes it
    organ: str  # gold organ
    organ_name: str  # "Styrelsen", "Förbundsstyrelsen", "Arbetsutskottet" …
    date: dt.date
    time: str
    place: str
    chair: str
    secretary: str | None
    adjuster: str | None
    members: list[tuple[str, str, str]]  # (name, organisation, role)
    items: list[ZItem]
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  # minnesanteckningar

    def gold(self, label_word: str) -> dict:
        """The gold entry in the seed-segmentation format."""
        out: dict = {
            "kind": self.kind,
            "forbund": self.forbund,
            "date": self.date.isoformat(),
            "organ": self.organ,
            "chair": self.chair,
            "secretary": self.secretary,
            "adjuster": self.adjuster,
        }
        if self.kind == "minnesanteckningar":
            out["sections"] = [h for h, _ in self.sections]
            return out
        items = []
        for it in self.items:
            g: dict = {"n": it.n, "label": f"{label_word} {it.n}", "title": it.title}
            if self.kind == "kallelse":
                if it.proposal:
                    g["proposal"] = it.proposal
            else:
                g["decisions"] = list(it.decisions)
                if it.follows and it.proposal:
                    g["proposal"] = it.proposal
            items.append(g)
        out["items"] = items
        if self.kind == "kallelse":
            out["agenda_items"] = len(items)
        return out


def forbund_pool() -> list[dict]:
    entries = json.loads(GAZETTEER.read_text("utf-8"))["entries"]
    return [e for e in entries if e.get("kind") == "förbund" and e.get("members")]


def written_forms(entry: dict) -> list[str]:
    """How a förbund writes itself: the canonical name and the gazetteer's templates."""
    core = entry["names"][0]
    genitive = core if core.endswith("s") else core + "s"
    forms = [entry["name"], f"Samordningsförbundet {core}", f"Finsam {core}"]
    place = core in entry.get("members", []) or core.endswith(" län")
    if len(core.split()) == 1 and "-" not in core and place:
        forms.append(f"{genitive} samordningsförbund")
    if place:
        forms.append(f"Samordningsförbundet i {core}")
    return sorted(set(forms))


def long_date(d: dt.date, weekday: bool = False) -> str:
    text = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{WEEKDAYS[d.weekday()]} den {text}" if weekday else text


class Writer:
    """Draws one document's content from its own seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def roles(self) -> tuple[str, str, str]:
        """This document's words for chair, secretary and adjuster on officer lines."""
        return "Ordförande", self.rng.choice(SECRETARY), self.rng.choice(ADJUSTER)

    def person(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.used:
                self.used.add(name)
                return name

    def kr(self, lo: int, hi: int, step: int = 10_000) -> int:
        return self.rng.randrange(lo // step, hi // step + 1) * step

    def money(self, amount: int) -> str:
        return f"{amount:,}".replace(",", " ") + " kr"

    def document(self, kind: str, organ: str, organ_name: str, n_items: int) -> ZDoc:
        rng = self.rng
        entry = rng.choice(forbund_pool())
        self.members_of = entry["members"]
        year = rng.randint(2020, 2025)
        date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        chair, secretary, adjuster = self.person(), self.person(), self.person()
        orgs = [f"{m} kommun" for m in self.members_of[:3]] + [
            "Försäkringskassan",
            "Arbetsförmedlingen",
            "Region " + (entry.get("county") or "Jämtland"),
        ]
        members = [(chair, orgs[0], "ordförande"), (adjuster, orgs[-1], "vice ordförande")]
        for org in orgs[1:-1]:
            members.append((self.person(), org, "ledamot"))
        members.append((self.person(), orgs[-2], "ersättare"))
        members.append((secretary, "Förbundet", "förbundschef, sekreterare"))
        start = rng.choice((13, 9, 10, 14))
        doc = ZDoc(
            kind=kind,
            forbund=entry["name"],
            written=rng.choice(written_forms(entry)),
            organ=organ,
            organ_name=organ_name,
            date=date,
            time=f"{start}.00–{start + 2}.{rng.choice(('00', '30'))}",
            place=rng.choice(PLACES),
            chair=chair,
            secretary=secretary if kind != "kallelse" else None,
            adjuster=adjuster if kind == "protokoll" else None,
            members=members,
            items=[],
        )
        first = rng.randint(1, 60)
        doc.items = self.items(doc, first, n_items)
        return doc

    def items(self, doc: ZDoc, first: int, n_items: int) -> list[ZItem]:
        rng, y, org = self.rng, doc.date.year, doc.organ_name
        makers = [self.finance, self.budget, self.extra_request, self.nns_fee, self.new_insats]
        makers += [self.report, self.plan, self.delegation]
        rng.shuffle(makers)
        middle = makers[: max(2, n_items - 4)]
        opening = ZItem(
            0,
            rng.choice(("Mötets öppnande", "Sammanträdets öppnande")),
            ["Ordföranden hälsar välkommen och förklarar sammanträdet öppnat."],
            [],
        )
        adj = doc.adjuster or self.person()
        justering = ZItem(
            0,
            rng.choice(("Val av justerare", "Val av protokolljusterare")),
            [],
            [
                rng.choice(
                    (
                        f"{org} utser {adj} att justera protokollet",
                        f"{adj} utses att jämte ordföranden justera protokollet",
                    )
                )
            ],
        )
        agenda = ZItem(
            0,
            rng.choice(("Godkännande av dagordning", "Fastställande av dagordningen")),
            [],
            [rng.choice(("Dagordningen godkänns", "Dagordningen fastställs"))],
        )
        out = [opening, justering, agenda] + [m(doc, y) for m in middle]
        out.append(ZItem(0, "Övriga frågor", ["Inga övriga frågor anmäls."], []))
        for i, it in enumerate(out):
            it.n = first + i
            it.dnr = f"{y}/{rng.randint(10, 99)}"
        return out

    def _att(self, doc: ZDoc, clauses: list[str]) -> tuple[str | None, list[str]]:
        """Att-lines under "<organ> beslutar" (or one sentence when there is one clause)."""
        return f"{doc.organ_name} beslutar", [c if c.startswith("att ") else c for c in clauses]

    def finance(self, doc: ZDoc, y: int) -> ZItem:
        month = self.rng.choice(("april", "augusti", "september"))
        title = self.rng.choice(
            (f"Ekonomisk uppföljning per {month} {y}", f"Delårsrapport januari–{month} {y}")
        )
        surplus = self.kr(100_000, 900_000)
        body = [
            f"Förbundschefen redovisar utfallet. Resultatet visar ett överskott om "
            f"{self.money(surplus)} jämfört med budget."
        ]
        lead, dec = self._att(
            doc,
            ["att godkänna den ekonomiska uppföljningen", "att lägga rapporten till handlingarna"],
        )
        return ZItem(
            0,
            title,
            body,
            dec,
            lead=lead,
            proposal=f"{doc.organ_name} godkänner den ekonomiska uppföljningen",
        )

    def budget(self, doc: ZDoc, y: int) -> ZItem:
        frame = self.rng.choice(("8,4", "9,6", "12,2", "6,75"))
        lead, dec = self._att(
            doc,
            [
                f"att fastställa budget för {y + 1} med en kostnadsram om {frame} mnkr",
                f"att fastställa verksamhetsplan för {y + 1}–{y + 3}",
                "att uppdra åt förbundschefen att redovisa en behovsinventering till nästa möte",
            ],
        )
        body = [
            "Budgeten bygger på oförändrad medelstilldelning från staten, regionen och kommunerna."
        ]
        return ZItem(
            0,
            f"Budget {y + 1} och verksamhetsplan {y + 1}–{y + 3}",
            body,
            dec,
            lead=lead,
            proposal=f"{doc.organ_name} fastställer budget för {y + 1}",
        )

    def extra_request(self, doc: ZDoc, y: int) -> ZItem:
        insats = f"{self.rng.choice(INSATS)} {self.rng.choice(self.members_of)}"
        asked = self.kr(150_000, 900_000)
        granted = asked // 20_000 * 10_000
        body = [
            f"Styrgruppen för {insats} ansöker om ett tilläggsäskande om "
            f"{self.money(asked)} för {y}, för att behålla en tjänst som arbetskonsulent."
        ]
        if self.rng.random() < 0.5:
            dec = [
                f"{doc.organ_name} beviljar {insats} ett tilläggsäskande om "
                f"{self.money(granted)} för {y}",
                "Ansökan avslås i övrigt",
            ]
        else:
            dec = [
                f"Ansökan om tilläggsäskande för {insats} avslås",
                "Styrgruppen uppmanas att pröva en omfördelning inom befintlig budget",
            ]
        mover = self.person()
        extra = [
            ("Yrkanden", f"{mover} yrkar bifall till ansökan i sin helhet."),
            (
                "Propositionsordning",
                "Ordföranden ställer förbundschefens förslag mot "
                f"{mover.split()[0]}s yrkande och finner att förslaget vinner bifall.",
            ),
        ]
        return ZItem(
            0,
            f"Tilläggsäskande {y} – {insats}",
            body,
            dec,
            extra=extra,
            proposal=f"{doc.organ_name} beviljar {insats} {self.money(granted)}",
        )

    def nns_fee(self, doc: ZDoc, y: int) -> ZItem:
        rate = self.rng.choice(("3,0", "3,5", "4,0"))
        body = [
            f"Nationella Nätverket för Samordningsförbund föreslår att serviceavgiften "
            f"höjs till {rate} promille av medelstilldelningen från {y + 1}."
        ]
        dec = [
            self.rng.choice(
                (
                    f"{doc.organ_name} ställer sig bakom NNS förslag om höjd serviceavgift",
                    f"att uppdra åt ordföranden att rösta nej till NNS förslag vid medlemsmötet {y}",
                    f"{doc.organ_name} avstår från att ta ställning till förslaget",
                )
            )
        ]
        return ZItem(
            0,
            f"NNS förslag om höjd serviceavgift {y + 1}",
            body,
            dec,
            proposal=f"{doc.organ_name} ställer sig bakom NNS förslag",
        )

    def new_insats(self, doc: ZDoc, y: int) -> ZItem:
        insats = f"{self.rng.choice(INSATS)} {self.rng.choice(self.members_of)}"
        amount = self.kr(300_000, 2_000_000, 50_000)
        lead, dec = self._att(
            doc,
            [
                f"att bevilja {insats} {self.money(amount)} för perioden {y + 1}–{y + 2}",
                "att insatsen ska redovisas till styrelsen två gånger per år",
            ],
        )
        return ZItem(
            0,
            f"Ny insats – {insats}",
            ["Insatsen riktar sig till unga vuxna som varken arbetar eller studerar."],
            dec,
            lead=lead,
            proposal=f"{doc.organ_name} beviljar {insats} {self.money(amount)}",
        )

    def report(self, doc: ZDoc, y: int) -> ZItem:
        return ZItem(
            0,
            self.rng.choice(("Förbundschefens rapport", "Förbundschefen informerar")),
            [
                "Förbundschefen informerar om länsgemensamma aktiviteter och om "
                "rekryteringen av en ny processledare."
            ],
            [self.rng.choice(("Informationen läggs till handlingarna", "Informationen noteras"))],
        )

    def plan(self, doc: ZDoc, y: int) -> ZItem:
        return ZItem(
            0,
            f"Sammanträdesplan {y + 1}",
            ["Förslaget omfattar fem sammanträden."],
            [f"{doc.organ_name} fastställer sammanträdesplanen för {y + 1}"],
        )

    def delegation(self, doc: ZDoc, y: int) -> ZItem:
        return ZItem(
            0,
            "Anmälan av delegationsbeslut",
            ["Ordföranden har fattat ett beslut på delegation om förlängd attesträtt."],
            ["Anmälan läggs till handlingarna"],
        )

    def notes(self, doc: ZDoc) -> None:
        """Minnesanteckningar: headed sections and no numbered items or decisions."""
        y = doc.date.year
        heads = [
            "Välkommen och inledning",
            f"Årsredovisning {y - 1}",
            f"Insatser i fokus: {self.rng.choice(INSATS)}",
            "Medlemmarnas medskick",
            f"Budgetförutsättningar {y + 1}",
            "Avslutning",
        ]
        text = [
            "Ordföranden hälsar alla välkomna och presenterar dagens program.",
            f"Förbundschefen presenterar årsredovisningen; överskottet uppgick till "
            f"{self.money(self.kr(100_000, 500_000))}.",
            "Insatsens samordnare berättar om arbetssättet och om deltagarnas resultat.",
            "Medlemmarna lyfter behovet av fler insatser för unga vuxna.",
            "Medelstilldelningen väntas bli oförändrad nästa år.",
            "Ordföranden tackar för ett givande samråd.",
        ]
        doc.sections = [(h, [t]) for h, t in zip(heads, text, strict=True)]
        doc.items = []
