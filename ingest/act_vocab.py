"""The one home of the words of decisions: the verbs of acts and their forms, and the words
that make a referral, a deferral or a position.

Two stages read them. ``ingest.clauses`` finds which sentences of an item are decisions
without a Beslut heading: an organ and a finite verb ("Styrelsen beviljar …", DECIDING_VERBS)
or a passive ("… avslås", PASSIVE_DECIDING). ``ingest.stance_rules`` says which act a
sentence takes, from phrases built on the same verbs. A new form or verb is added here once
and both stages see it. Pure data; nothing else.
"""

from __future__ import annotations

from typing import NamedTuple

from ingest.vocab import MONTH

# The forms of a verb, in this order; each is an alternation of whole words ("a|b").
FORMS = (
    "infinitive",  # bevilja
    "present",  # beviljar
    "past",  # beviljade
    "supine",  # beviljat
    "passive",  # beviljas (present passive)
    "passive_past",  # beviljades
    "passive_supine",  # beviljats
    "participle",  # beviljad
)


class Verb(NamedTuple):
    infinitive: str
    present: str
    past: str
    supine: str
    passive: str
    passive_past: str
    passive_supine: str
    participle: str
    stem: str = ""  # what the regular forms are built on ("bevilj"), for words derived from it

    def forms(self, *kinds: str) -> str:
        """The words of the named forms as one alternation ("beviljar|beviljade")."""
        return "|".join(w for k in kinds for w in getattr(self, k).split("|") if w)

    @property
    def any(self) -> str:
        """Every form of the verb."""
        return self.forms(*FORMS)

    @property
    def finite(self) -> str:
        """The finite active forms: present and past ("Styrelsen beviljar / beviljade")."""
        return self.forms("present", "past")


def _verb(stem: str, endings: str) -> Verb:
    """A verb from its stem and one field per form (FORMS order, space-separated): endings
    joined by "|", "-" for no such form, "=word" for a whole word ("avsätt", "a er =avsatte …")."""
    fields = endings.split()
    assert len(fields) == len(FORMS), (stem, endings)
    forms = [
        "|".join(e[1:] if e.startswith("=") else stem + e for e in f.split("|")) if f != "-" else ""
        for f in fields
    ]
    return Verb._make([*forms, stem])


# fmt: off
#                         stem             infinitive present past        supine      passive passive_past  passive_supine participle
BESLUTA = _verb("beslut",         "a          ar      ade|=beslöt at         as      ades|=beslöts -            -")
BEVILJA = _verb("bevilj",         "a          ar      ade         at         as      ades          ats          ad")
ANSLÅ = _verb("ansl",             "å          år      og          agit       ås      ogs           agits        -")
TILLDELA = _verb("tilldel",       "a          ar      ade         at         as      ades          ats          -")
BIFALLA = _verb("bifall",         "a          er      =biföll     it         s|es    =bifölls      -            -")
AVSLÅ = _verb("avsl",             "å          år      og          agit       ås      ogs           agits        agen|aget|agna")
GODKÄNNA = _verb("godkän",        "na         ner     de          t          ns|nes  des           ts           d|da")
FASTSTÄLLA = _verb("fastställ",   "a          er      de          t          s|es    des           ts           d|da")
ANTA = _verb("ant",               "a          ar      og          agit       as      ogs           agits        agen|aget|agna")
GODTA = _verb("godt",             "a          ar      og          agit       as      ogs           agits        -")
FÖRORDA = _verb("förord",         "a          ar      ade         at         as      ades          ats          -")
TILLSTYRKA = _verb("tillstyrk",   "a          er      te          t          s       tes           ts           -")
AVSTYRKA = _verb("avstyrk",       "a          er      te          t          s       tes           ts           -")
STÄLLA = _verb("ställ",           "a          er      de          t          s|es    des           ts           -")
ANSLUTA = _verb("anslut",         "a          er      =anslöt     it         -       -             -            -")
INSTÄMMA = _verb("instämm",       "a          er      =instämde   =instämt   -       -             -            -")
AVSTÅ = _verb("avst",             "å          år      od          ått        -       -             -            -")
UPPDRA = _verb("uppdr",           "a          ar      og          agit       as      ogs           agits        -")
DELEGERA = _verb("deleger",       "a          ar      ade         at         as      ades          ats          -")
BEMYNDIGA = _verb("bemyndig",     "a          ar      ade         at         as      ades          ats          -")
ÖVERLÅTA = _verb("överlåt",       "a          er      =överlät    it         s|es    =överläts     its          -")
ANSTÄLLA = _verb("anställ",       "a          er      de          t          s|es    des           ts           -")
TILLSÄTTA = _verb("tillsätt",     "a          er      =tillsatte  =tillsatt  s|es    =tillsattes   =tillsatts   -")
FÖRORDNA = _verb("förordn",       "a          ar      ade         at         as      ades          ats          -")
UTNÄMNA = _verb("utnämn",         "a          er      de          t          s|es    des           ts           d|da")
FÖRNYA = _verb("förny",           "a          ar      ade         at         as      ades          ats          ad")
UTSE = _verb("uts",               "e          er      åg          ett        es      ågs           etts         edd|edda")
VÄLJA = _verb("välj",             "a          er      =valde      =valt      s|es    =valdes       =valts       =vald|=valda")
FÖRLÄNGA = _verb("förläng",       "a          er      de          t          s|es    des           ts           -")
AVSÄTTA = _verb("avsätt",         "a          er      =avsatte    =avsatt    s|es    =avsattes     =avsatts     -")
ANVISA = _verb("anvis",           "a          ar      ade         at         as      ades          ats          -")
FINANSIERA = _verb("finansier",   "a          ar      ade         at         as      ades          ats          -")
UTÖKA = _verb("utök",             "a          ar      ade         at         as      ades          ats          -")
ÖKA = _verb("ök",                 "a          ar      ade         at         as      ades          ats          -")
HÖJA = _verb("höj",               "a          er      de          t          s|es    des           ts           -")
FÖRSTÄRKA = _verb("förstärk",     "a          er      te          t          s|es    tes           ts           -")
NOTERA = _verb("noter",           "a          ar      ade         at         as      ades          ats          -")
ÅTERREMITTERA = _verb("återremitter", "a      ar      ade         at         as      ades          ats          -")
BORDLÄGGA = _verb("bordlägg",     "a          er      =bordlade   =bordlagt  s|es    =bordlades    =bordlagts   =bordlagd")
AVVAKTA = _verb("avvakt",         "a          ar      ade         at         as      ades          ats          -")
VÄNTA = _verb("vänt",             "a          ar      ade         at         -       -             -            -")
SKJUTA = _verb("skjut",           "a          er      =sköt       it         s|es    =sköts        its          -")
TA = _verb("",                    "ta         tar     tog         tagit      tas     togs          -            -")
SKICKA = _verb("skick",           "a          ar      ade         at         as      ades          ats          -")
SÄNDA = _verb("sänd",             "a          er      e           =sänt      s|es    -             =sänts       -")
REMITTERA = _verb("remitter",     "a          ar      ade         at         as      ades          ats          -")
ÅTERSÄNDA = _verb("återsänd",     "a          er      e           t          s|es    -             ts           -")
ÅTERFÖRVISA = _verb("återförvis", "a          ar      ade         at         as      ades          ats          -")
ÅTERLÄMNA = _verb("återlämn",   "a          ar      ade         at         as      ades          ats          -")
LÄMNA = _verb("lämn",             "a          ar      ade         at         as      ades          ats          -")
TACKA = _verb("tack",             "a          ar      ade         at         -       -             -            -")
AVBÖJA = _verb("avböj",           "a          er      de          t          s|es    des           ts           -")
AVGE = _verb("avg",               "e          er      av          ett        es      avs           etts         -")
HÄNSKJUTA = _verb("hänskjut",     "a          er      =hänsköt    it         s|es    =hänsköts     its          -")
BEREDA = _verb("bered",           "a          er      de          t          s|es    des           ts           d|da")
INFORMERA = _verb("informer",     "a          ar      ade         at         as      ades          ats          -")
BERÄTTA = _verb("berätt",         "a          ar      ade         at         as      ades          ats          -")
REDOVISA = _verb("redovis",       "a          ar      ade         at         as      ades          ats          -")
MEDDELA = _verb("meddel",         "a          ar      ade         at         as      ades          ats          -")
RAPPORTERA = _verb("rapporter",   "a          ar      ade         at         as      ades          ats          -")
FÖREDRA = _verb("föredr",         "a          ar      og          agit       as      ogs           agits        -")
ÅTERGÅ = _verb("återg",           "å          år      ick         ått        -       -             -            -")
GÅ = _verb("g",                   "å          år      ick         ått        -       -             -            -")
# fmt: on

# A matter sent back ("skickar ärendet tillbaka", "remitteras åter"): the sending verbs and the
# word for "back"
SENDING_VERBS = (SKICKA, SÄNDA, REMITTERA)
BACK = "tillbaka|åter"
# Verbs of telling the board something ("Förbundschefen informerar om att …", "Regionen
# meddelar att den har beviljat …"): what follows is told, not decided
TELLING_VERBS = (INFORMERA, BERÄTTA, REDOVISA, MEDDELA, RAPPORTERA, FÖREDRA)
# A matter given back to whoever prepared it ("Ärendet återlämnas till kansliet", "lämnar
# ansökan tillbaka till sökanden"): only a matter, not a thing ("Nycklarna återlämnas")
RETURNING_VERBS = (ÅTERLÄMNA,)
GIVING_VERBS = (LÄMNA,)  # with BACK: "lämnas tillbaka"
MATTERS = "frågan|ärendet|ansökan|ansökningen|\\w*äskandet|förslaget|beslutet|underlaget"
# A matter taken up again later ("tar upp frågan igen", "tas upp på nytt")
AGAIN = ("igen", "på nytt")
# A matter put off: the words for it ("Beslutet skjuts upp", "Frågan får vänta")
DEFERRED_MATTERS = "beslut|beslutet|frågan|ärendet|behandlingen|ställningstagandet|punkten"
# What may wait for a later decision: a deferred matter, or what was applied for or proposed
WAITING_MATTERS = f"{DEFERRED_MATTERS}|ansökan|ansökningen|\\w*äskandet|förslaget"
WAIT_MODALS = "få|får|fick|ska|skall|kan|bör"

# Verbs whose finite forms decide in a sentence of their own with an organ as its subject
# ("Styrelsen beviljar …", "Styrelsen beslutade att …"; ingest.clauses) …
DECIDING_VERBS = (
    BESLUTA, GODKÄNNA, FASTSTÄLLA, ANTA, BEVILJA, AVSLÅ, TILLSTYRKA, AVSTYRKA, ANSTÄLLA,
    AVSÄTTA, UTSE, BIFALLA, FÖRLÄNGA, DELEGERA, BEMYNDIGA, ÅTERREMITTERA, BORDLÄGGA, NOTERA,
    TILLDELA, ANSLÅ, ANVISA, FINANSIERA, UTÖKA, TILLSÄTTA, FÖRORDNA, ÖVERLÅTA, GODTA, FÖRORDA,
    AVBÖJA, UTNÄMNA, FÖRNYA,
)  # fmt: skip
# … and with the words that must follow them ("ställer sig bakom", "uppdrar åt", "skjuter upp")
DECIDING_PHRASES = (
    (STÄLLA, "sig bakom"),
    (UPPDRA, "åt"),
    (SKJUTA, "upp"),
    (ANSLUTA, "sig till"),
    (INSTÄMMA, "i"),
    (AVSTÅ, "från"),
    (VÄNTA, "med"),
    (AVVAKTA, ""),
    (TACKA, "ja till"),
    (TACKA, "nej till"),
)
# Verbs with a first part that keeps their act ("medfinansierar", "nyanställer")
FINANCE_PREFIX = "med|del|sam"
PREFIXES = {FINANSIERA: FINANCE_PREFIX, ANSTÄLLA: "ny|åter"}
# What a board declines with a modal ("Styrelsen kan inte tillstyrka ansökan")
REFUSABLE = "|".join(
    (
        *(v.infinitive for v in (TILLSTYRKA, BEVILJA, BIFALLA, GODKÄNNA, ANSLÅ)),
        f"{STÄLLA.infinitive} sig bakom",
        f"(?:{FINANCE_PREFIX})?{FINANSIERA.infinitive}",
        "stödja|acceptera|delta|medverka|tillmötesgå",
    )
)
# Verbs that give money: an amount after one of them is given, not applied for ("bifaller
# ansökan till en del och beviljar 500 tkr av sökta 800 tkr": 500 tkr is granted)
GRANTING_VERBS = (BEVILJA, TILLDELA, ANSLÅ, ANVISA, AVSÄTTA, BIFALLA, FINANSIERA)
# Passives that decide in a sentence of their own ("Ansökan avslås", "Till ordförande valdes X")
PASSIVE_DECIDING_VERBS = (
    FASTSTÄLLA, GODKÄNNA, ANTA, BEVILJA, UTSE, VÄLJA, BORDLÄGGA, ÅTERREMITTERA, ANSTÄLLA,
    FÖRORDNA, TILLSÄTTA, DELEGERA, UTÖKA, FÖRSTÄRKA, ÅTERSÄNDA, ÅTERFÖRVISA, AVSLÅ, AVSTYRKA,
    TILLSTYRKA, BIFALLA, FÖRLÄNGA, ÖVERLÅTA, HÄNSKJUTA, UTNÄMNA, FÖRNYA,
)  # fmt: skip
# … and elections in the past passive, as minutes write them ("Till justerare utsågs X")
ELECTION_VERBS = (UTSE, VÄLJA)

# Words that put an act before the meeting ("Styrelsen beviljade 2022 …", "beslutade vid
# föregående sammanträde att …", "anslog i fjol …"): right after a past tense they tell the
# history of a matter, not its decision (ingest.clauses). A year for which money is given
# ("beviljade 120 tkr för 2023") is no such word.
_YEAR = r"(?:19|20)\d\d\b(?!\s*[-–]\s*\d)"
PAST_TIME = (
    rf"(?:år |under |redan |i )?{_YEAR}",
    rf"i {MONTH}(?: {_YEAR})?",
    rf"den \d{{1,2}} {MONTH} {_YEAR}",
    r"(?:19|20)\d\d-\d\d-\d\d",
    r"i fjol|förra året|föregående år|tidigare|ursprungligen",
    r"vid (?:sitt |ett )?(?:föregående|förra|tidigare|senaste) (?:möte|sammanträde)\w*",
)
PAST_TIME_REACH = 3  # words between the verb and the time
# Words the words between may not be: the time then belongs to what the act gives or names
# ("beviljade 120 tkr för perioden 2023–2024", "beslutade att i december ta upp frågan igen")
PAST_TIME_BREAKS = r"för|till|från|perioden|t\.o\.m\.?|tom|att|och"
