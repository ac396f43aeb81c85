"""The rule table of decision clauses: Swedish phrases -> verb, act and stance.

Data only; ``ingest.stance`` compiles it into one spaCy Matcher. A decision has two axes
(``corpus.model.ACTS`` and ``STANCES``): the *act* is what the board did (granted, rejected,
referred back …); the *stance* is its position on someone else's proposal (for, against,
abstain, free mandate …), set here only where the wording itself is a position ("röstar nej
till", "ställer sig bakom", "ombudet ges fria händer"). Where a plain act is taken on someone
else's proposal ("avslår NNS förslag"), ``ingest.verdict`` derives the stance for the item.

A phrase is a sequence of word slots separated by spaces, each matched against one
lower-cased token:

* ``bevilj(a|ar|as)``  a regular expression the whole word must match (``a|b`` = either word);
* ``?till``            an optional word;
* ``*3``               up to three words that are not a boundary (see ``GAP_STOPS``);
* ``=frågan|ärendet``  a word (or ``=*3`` gap) that is the object of the act; when it ends
  the phrase, the object runs on after it ("godkänna informationen om …").

Between any two slots and after the last one a negation word (``NEGATIONS``) may stand;
a negation there or just before the phrase selects the rule's ``not_act`` and ``not_stance``
("att inte bevilja" -> rejected, "ställer sig inte bakom" -> rejected, against).
Where phrases overlap, the longest wins ("godkänna informationen" beats "godkänna").
"""

from __future__ import annotations

from typing import NamedTuple

from ingest.act_vocab import (
    AGAIN,
    ANSLUTA,
    ANSLÅ,
    ANSTÄLLA,
    ANTA,
    ANVISA,
    AVBÖJA,
    AVGE,
    AVSLÅ,
    AVSTYRKA,
    AVSTÅ,
    AVSÄTTA,
    AVVAKTA,
    BACK,
    BEMYNDIGA,
    BEREDA,
    BESLUTA,
    BEVILJA,
    BIFALLA,
    BORDLÄGGA,
    DEFERRED_MATTERS,
    DELEGERA,
    FASTSTÄLLA,
    FINANCE_PREFIX,
    FINANSIERA,
    FÖRLÄNGA,
    FÖRNYA,
    FÖRORDA,
    FÖRORDNA,
    FÖRSTÄRKA,
    GIVING_VERBS,
    GODKÄNNA,
    GODTA,
    GÅ,
    HÄNSKJUTA,
    HÖJA,
    INSTÄMMA,
    LÄMNA,
    MATTERS,
    NOTERA,
    PREFIXES,
    RETURNING_VERBS,
    SENDING_VERBS,
    SKJUTA,
    STÄLLA,
    TA,
    TACKA,
    TILLDELA,
    TILLSTYRKA,
    TILLSÄTTA,
    UPPDRA,
    UTNÄMNA,
    UTSE,
    UTÖKA,
    VÄLJA,
    VÄNTA,
    WAIT_MODALS,
    WAITING_MATTERS,
    ÅTERFÖRVISA,
    ÅTERGÅ,
    ÅTERREMITTERA,
    ÅTERSÄNDA,
    ÖKA,
    ÖVERLÅTA,
)
from ingest.vocab import MONTHS, ORGAN_SUBJECTS


class Rule(NamedTuple):
    verb: str  # the name of the phrase family (kept on the record as Decision.verb)
    act: str | None  # one of corpus.model.ACTS, or None (the phrase decides nothing alone)
    stance: str | None  # one of corpus.model.STANCES, or None (no position on a proposal)
    not_act: str | None  # the act when the phrase is negated
    not_stance: str | None  # the stance when the phrase is negated
    phrase: str


_INFO = "=informationen|information|informationerna|dragningen|föredragningen"
_MATTER = f"={MATTERS}"
_APPLICATION = "=ansökan|ansökningen|begäran|\\w*äskandet"
# A matter put off, and the words for putting it off ("Beslut om avgiften skjuts upp",
# "Frågan anstår till nästa möte"); the subject must be the matter: "Projektstarten skjuts upp"
# postpones a project, not the decision.
_DEFERRED = DEFERRED_MATTERS
_POSTPONED = (
    f"{SKJUTA.passive}|uppskjut(s|es)|uppsköts|senarelägg(s|es)|senarelades|senarelagts"
    "|anst(å|år|od|ått)"
)
# What a board may join as its position: a proposal, an opinion, a line taken
_POSITION = (
    "\\w*förslag\\w*|\\w*yttrande\\w*|\\w*bedömning\\w*|\\w*synpunkt\\w*|\\w*remissvar\\w*"
    "|\\w*ställningstagande\\w*|\\w*rekommendation\\w*|linje\\w*|uppfattning\\w*"
)
# Handing something over: "överlåter", "överlät"
_HAND_OVER = ÖVERLÅTA.forms("infinitive", "present", "supine", "past")
# The matters that may wait for a later decision: a deferred one, or what was applied for
_WAITING = f"={WAITING_MATTERS}"
# Sending a matter (back) to someone: "skickar", "sänds", "remitteras"
_SEND = "|".join(v.any for v in SENDING_VERBS)
_ACTIVE = ("infinitive", "present", "past", "supine")
_PASSIVE = ("passive", "passive_past", "passive_supine")
_RETURN = "|".join(v.forms(*_ACTIVE) for v in RETURNING_VERBS)  # "återlämnar"
_RETURNED = "|".join(v.forms(*_PASSIVE) for v in RETURNING_VERBS)  # "återlämnas"
_GIVE = "|".join(v.forms(*_ACTIVE) for v in GIVING_VERBS)  # "lämnar … tillbaka"
_GIVEN = "|".join(v.forms(*_PASSIVE) for v in GIVING_VERBS)  # "lämnas tillbaka"
# An employment or appointment ("förbundschefens förordnande", "processledarens anställning")
_EMPLOYMENT = "\\w*förordnande\\w*|\\w*anställning\\w*|tjänstgöring\\w*"
_STRUCK = "utgår|utgick|utgått|stryks|ströks|avförs|avfördes"
_MEETING = "möte\\w*|sammanträde\\w*|styrelsemöte\\w*|styrelsesammanträde\\w*"
# a later meeting named by its organ or month: "styrelsens möte i februari", "decembermötet"
_LATER_MEETING = "\\w*möte(t|n)?|\\w*sammanträde(t|n)?"
_ORGANS_MEETING = "(?!dagens|detta|denna|årets)\\w+s"
# ("decembermötet", "februarisammanträdet"): the month names of ingest.vocab
_MONTH_MEETING = f"({'|'.join(MONTHS)})(möte|sammanträde)(t|n)?"
# a matter dealt with later, together with another ("hantera ansökan i samband med budgetarbetet")
_DEAL_WITH = "hanter(a|as)|behandl(a|as)|pröv(a|as)|beredas"
_DISCUSSION = "diskussion\\w*|överläggning\\w*|samtal\\w*|dialog\\w*"
_OWN = "eget|egen|egna"
# A budget or frame of money ("insatsens budget", "budgetramen", "anslaget", "medlen"); not
# "programmet" (a bare "ram" only as a word of its own or with a budget word before it).
_BUDGET = (
    "\\w*budget\\w*|(budget|kostnads|verksamhets|insats|projekt)?ram(en|ar|arna)?|\\w*anslag\\w*"
    "|medel|medlen|\\w*tilldelning\\w*|\\w*finansiering\\w*"
)
# Raising a budget: the verbs; active "utökar …", passive "… förstärks"
_RAISING = (UTÖKA, ÖKA, HÖJA, FÖRSTÄRKA)
_RAISE = "|".join(v.forms("infinitive", "present", "past", "supine") for v in _RAISING)
_RAISED = "|".join(v.forms("passive", "passive_past", "passive_supine") for v in _RAISING)
_JUDGEMENT = "omdöme|bedömning|gottfinnande|övervägande"
_DECIDE = BESLUTA.forms("infinitive", "present", "passive", "past", "passive_past", "supine")
_PUT = STÄLLA.forms("infinitive", "present", "past", "supine")  # "ställer sig bakom"
_TAKE = TA.forms("infinitive", "passive", "present")  # "tar / tas upp … igen"
# a remiss answered with a view ("lämnar ett positivt yttrande", "avger ett avstyrkande svar")
_ANSWER = f"{LÄMNA.any}|{AVGE.any}"
_GOOD = "positivt|positiv|tillstyrkande|instämmande"
_BAD = "negativt|negativ|avstyrkande|avvisande"
_OPINION = "yttrande|remissvar|svar|besked"
# the deciding bodies, as a matter's destination ("återkommer till styrelsen")
_ORGANS = "|".join(o.lower() for o in ORGAN_SUBJECTS)
_ACT_FREELY = "agera(r|t)?|handla(r|t)?|röst(a|ar|at)|beslut(a|ar|at)|ta(r)?"

# fmt: off
RULES: tuple[Rule, ...] = (
    #    verb                       act              stance          not_act      not_stance  phrase
    # -- grants --------------------------------------------------------------------------
    Rule("bevilja",                 "granted",       None,           "rejected",  None,       BEVILJA.any),
    Rule("anslå",                   "granted",       None,           "rejected",  None,       ANSLÅ.any),
    Rule("tilldela",                "granted",       None,           "rejected",  None,       TILLDELA.any),
    Rule("bifalla",                 "granted",       None,           "rejected",  None,       f"{BIFALLA.forms('infinitive', 'present', 'passive', 'past')} ?delvis|helt|därmed {_APPLICATION}"),
    Rule("bifalla",                 "granted",       None,           "rejected",  None,       f"{_APPLICATION} {BIFALLA.forms('passive', 'past')}"),
    # the passive with the application further before it: "Ansökan från Bodens kommun bifalls"
    # grants (APPROVING_VERBS on an application); "Yrkandet bifalls" approves
    Rule("bifalla",                 "approved",      None,           "rejected",  None,       BIFALLA.forms("passive", "passive_past")),
    Rule("enligt_förslaget",        "approved",      None,           "rejected",  None,       f"=\\w*förslag\\w* {BIFALLA.forms('passive', 'past')}"),
    Rule("bifalla",                 "granted",       None,           "rejected",  None,       "vinn(a|er)|vann ?=ansökan|ansökningen|begäran|\\w*äskandet bifall"),
    # the active with any object: "bifalla Försäkringskassans tilläggsäskande" grants
    # (APPROVING_VERBS on an application), "bifaller yrkandet" approves
    Rule("bifalla",                 "approved",      None,           "rejected",  None,       BIFALLA.forms("infinitive", "present", "past")),
    # meeting a request: "tillmötesgår begäran" (a grant on an application, APPROVING_VERBS),
    # "går kommunen till mötes"; negated a refusal
    Rule("tillmötesgå",             "approved",      None,           "rejected",  None,       "tillmötesg(å|år|ås|ick|icks|ått|åtts)"),
    Rule("tillmötesgå",             "approved",      None,           "rejected",  None,       "gå|går|gick|gått *4 till mötes"),
    # "ansökan lämnas utan bifall": a rejection without a rejecting verb
    Rule("avslå",                   "rejected",      None,           None,        None,       "lämn(a|as|ar|ade|ades|at|ats) ?därmed utan bifall"),
    Rule("avslå",                   "rejected",      None,           None,        None,       "utan bifall"),
    # -- money set aside for someone: a grant when the clause names kronor (FUNDING_VERBS) --
    Rule("avsätta",                 "approved",      None,           "rejected",  None,       AVSÄTTA.any),
    Rule("ställa_till_förfogande",  "approved",      None,           "rejected",  None,       f"{STÄLLA.any} *6 till ?\\w+s förfogande"),
    Rule("anvisa",                  "approved",      None,           "rejected",  None,       ANVISA.any),
    Rule("reservera",               "approved",      None,           "rejected",  None,       "reserver(a|ar|as|ade|ades|at|ats)"),
    # funding a matter, or taking part in funding it: a grant when the clause names kronor
    Rule("finansiera",              "approved",      None,           "rejected",  None,       f"({FINANCE_PREFIX})?({FINANSIERA.forms('infinitive', 'present', 'past', 'supine')})"),
    # the passive names where money comes from ("varav 3,5 mnkr finansieras med eget
    # kapital", "insatsen finansieras av regionen"): an approval, no grant
    Rule("finansieras",             "approved",      None,           "rejected",  None,       f"({FINANCE_PREFIX})?({FINANSIERA.forms('passive', 'passive_past', 'passive_supine')})"),
    Rule("finansiera",              "approved",      None,           "rejected",  None,       "fortsatt|fortsatta|utökad|utökade|förlängd|förlängda|förnyad finansiering|medfinansiering|delfinansiering"),
    Rule("bidra",                   "approved",      None,           "rejected",  None,       "bidr(a|ar|og|agit|ager) ?ekonomiskt med"),
    Rule("tillskjuta",              "approved",      None,           "rejected",  None,       "tillskjut(a|er|s|it|its)|tillsköt|tillsköts"),
    Rule("tillskjuta",              "approved",      None,           "rejected",  None,       f"{SKJUTA.any} till"),
    # taking a share of the cost: "går in med 300 tkr", "står för halva kostnaden, högst 150
    # tkr", "täcker kostnaderna för lokalen med 45 tkr"
    Rule("gå_in_med",               "approved",      None,           "rejected",  None,       "gå|går|gick|gått in med"),
    Rule("gå_in_med",               "approved",      None,           "rejected",  None,       "stå|står|stod|stått för =*3 \\w*kostnad\\w*|del|delen|hälften|andel\\w*"),
    Rule("gå_in_med",               "approved",      None,           "rejected",  None,       "täck(a|er|te|t|s|es|tes|ts) =*3 \\w*kostnad\\w*|underskott\\w*"),
    # a budget raised: "utökar insatsens budget med 85 000 kr", "Budgeten för X förstärks med 60 tkr"
    Rule("utöka_budget",            "approved",      None,           "rejected",  None,       f"{_RAISE} =*3 {_BUDGET}"),
    Rule("utöka_budget",            "approved",      None,           "rejected",  None,       f"={_BUDGET} ?=för|till =*4 {_RAISED}"),
    # -- approvals ------------------------------------------------------------------------
    Rule("godkänna",                "approved",      None,           "rejected",  None,       GODKÄNNA.any),
    Rule("fastställa",              "approved",      None,           "rejected",  None,       FASTSTÄLLA.any),
    Rule("anta",                    "approved",      None,           "rejected",  None,       ANTA.any),
    Rule("åta_sig",                 "approved",      None,           "rejected",  None,       "åt(a|ar|og|agit) sig"),
    Rule("åta_sig",                 "approved",      None,           "rejected",  None,       f"{TA.forms('infinitive', 'present', 'passive', 'past', 'supine')} på sig"),
    Rule("avsluta",                 "approved",      None,           "rejected",  None,       "avslut(a|ar|as|ade|ades|at|ats)"),
    Rule("avveckla",                "approved",      None,           "rejected",  None,       "avveckl(a|ar|as|ade|ades|at|ats)"),
    Rule("avveckla",                "approved",      None,           "rejected",  None,       "säg(a|er|s|es)|sa|sade|sades|sagt|sagts upp =avtal\\w*|överenskommelse\\w*|hyresavtal\\w*|kontrakt\\w*|\\w*avtalet"),
    Rule("avveckla",                "approved",      None,           "rejected",  None,       "=\\w*avtal\\w*|överenskommelse\\w*|kontrakt\\w* sägs|sades|sagts upp"),
    Rule("inrätta",                 "approved",      None,           "rejected",  None,       "inrätt(a|ar|as|ade|ades|at|ats)"),
    # an end or a continuation decided: "Finansieringen av X upphör från 2026", "Insatsen får
    # fortsätta under 2026" (a continuation only where permitted or decided, not narrated);
    # "inte får fortsätta" ends it, an approval too
    Rule("upphöra",                 "approved",      None,           None,        None,       "upphör(a|de|t)?"),
    Rule("fortsätta",               "approved",      None,           "approved",  None,       "få|får|ska|skall|att fortsätta|fortgå"),
    Rule("förlänga",                "approved",      None,           "rejected",  None,       FÖRLÄNGA.any),
    Rule("betala",                  "approved",      None,           "rejected",  None,       "betal(a|ar|as|ade|ades|at|ats)"),
    Rule("betala_ut",               "approved",      None,           "rejected",  None,       "betal(a|ar|as|ade|ades|at|ats) ut"),
    Rule("enligt_förslaget",        "approved",      None,           "rejected",  None,       f"{_DECIDE} ?i enlighet|enligt ?med ?[\\w:]+s =\\w*förslag\\w*"),
    Rule("enligt_förslaget",        "approved",      None,           "rejected",  None,       f"{_DECIDE} om =\\w*förslag\\w*"),
    Rule("enligt_förslaget",        "approved",      None,           "rejected",  None,       f"{BIFALLA.forms('infinitive', 'present', 'passive', 'past', 'supine')} ?[\\w:]+s =förslaget|förslagen|förslag"),
    # -- positions on someone else's proposal ---------------------------------------------
    Rule("tillstyrka",              "approved",      "for",          "rejected",  "against",  TILLSTYRKA.any),
    Rule("ställa_sig_bakom",        "approved",      "for",          "rejected",  "against",  f"{_PUT} sig|oss bakom|positiv|positiva"),
    # joining someone's position: "ansluter sig till NNS förslag", "instämmer i remissens
    # förslag" ("instämmer i reservationen" is a member's, and joins no proposal)
    Rule("ställa_sig_bakom",        "approved",      "for",          "rejected",  "against",  f"{ANSLUTA.any} sig|oss till =*5 ={_POSITION}"),
    Rule("ställa_sig_bakom",        "approved",      "for",          "rejected",  "against",  f"{INSTÄMMA.any} i =*5 ={_POSITION}"),
    Rule("stödja",                  "approved",      "for",          "rejected",  "against",  "stöd(ja|jer|er)|stödde|stött"),
    # "Styrelsen ger sitt stöd till förslaget" ("ger inte sitt stöd till": against)
    Rule("stödja",                  "approved",      "for",          "rejected",  "against",  "ge|ger|gav|ges sitt|sina stöd till"),
    # no objection to a proposal: "Styrelsen lämnar förslaget utan erinran"
    Rule("stödja",                  "approved",      "for",          None,        None,       "lämna(r|s)|lämnade|lämnat =*3 utan erinran|erinringar|invändningar"),
    Rule("biträda",                 "approved",      "for",          "rejected",  "against",  "biträd(a|er|s|es|de|des|t|ts)"),
    Rule("acceptera",               "approved",      "for",          "rejected",  "against",  "accepter(a|ar|as|ade|ades|at|ats)"),
    Rule("acceptera",               "approved",      "for",          "rejected",  "against",  GODTA.any),
    # recommending it, or rallying behind it: "förordar NNS förslag", "sluter upp bakom förslaget"
    Rule("förorda",                 "approved",      "for",          "rejected",  "against",  FÖRORDA.any),
    Rule("ställa_sig_bakom",        "approved",      "for",          "rejected",  "against",  "slut(a|er)|slöt|slutit upp bakom"),
    # a position stated as the board's view: "Styrelsen är positiv till en höjning", "är
    # negativ till förslaget" ("är inte positiv till" is against)
    Rule("ställa_sig_bakom",        "approved",      "for",          "rejected",  "against",  "är|var|vara positiv|positiva till"),
    Rule("ställa_sig_emot",         "rejected",      "against",      None,        None,       "är|var|vara negativ|negativa|avvisande till"),
    # "har inga invändningar mot": no objection is a position for (a double negative)
    Rule("inga_invändningar",       "approved",      "for",          None,        None,       "ha|har|hade inga|ingen invändning|invändningar|erinran|erinringar"),
    Rule("inga_invändningar",       "approved",      "for",          None,        None,       "ha|har|hade inget|ingenting att invända|erinra"),
    Rule("avstyrka",                "rejected",      "against",      None,        None,       AVSTYRKA.any),
    Rule("ställa_sig_emot",         "rejected",      "against",      None,        None,       f"{_PUT} sig|oss negativ|negativa|avvisande"),
    Rule("motsätta_sig",            "rejected",      "against",      "approved",  "for",      "motsätt(a|er)|motsatte sig"),
    Rule("yrka_avslag",             "rejected",      "against",      None,        None,       "yrk(a|ar|ade|at|as) avslag"),
    Rule("rösta_för",               "approved",      "for",          "rejected",  "against",  "röst(a|ar|ade|at) *3 för|ja|bifall"),
    Rule("rösta_emot",              "rejected",      "against",      "approved",  "for",      "röst(a|ar|ade|at) *3 emot|mot|nej|avslag"),
    Rule("yrka_bifall",             "approved",      "for",          "rejected",  "against",  "yrk(a|ar|ade|at|as) bifall"),
    Rule("rösta_för",               "approved",      "for",          "rejected",  "against",  "säg(a|er)|sa|sade ja"),
    Rule("rösta_emot",              "rejected",      "against",      None,        None,       "säg(a|er)|sa|sade nej"),
    # declining or accepting it: "tackar nej till NNS förslag", "tackar ja till erbjudandet"
    Rule("rösta_för",               "approved",      "for",          "rejected",  "against",  f"{TACKA.any} ja"),
    Rule("rösta_emot",              "rejected",      "against",      None,        None,       f"{TACKA.any} nej"),
    # a remiss answered with a view: "lämnar ett positivt yttrande över NNS förslag", "avger ett
    # avstyrkande remissvar", "yttrar sig negativt om förslaget"
    Rule("ställa_sig_bakom",        "approved",      "for",          "rejected",  "against",  f"{_ANSWER} ?ett|en {_GOOD} {_OPINION}"),
    Rule("ställa_sig_emot",         "rejected",      "against",      None,        None,       f"{_ANSWER} ?ett|en {_BAD} {_OPINION}"),
    Rule("ställa_sig_bakom",        "approved",      "for",          "rejected",  "against",  "yttr(a|ar|ade|at) sig positivt"),
    Rule("ställa_sig_emot",         "rejected",      "against",      None,        None,       "yttr(a|ar|ade|at) sig negativt|avvisande"),
    Rule("avstå",                   None,            "abstain",      None,        None,       f"{AVSTÅ.any} *4 röst(a|ning|ningen)|omröstning\\w*|ställning\\w*|beslut\\w*|delta|yttra|yttrande\\w*|synpunkt\\w*"),
    # declining to answer a remiss: "lämnar inget yttrande", "yttrar sig inte"
    Rule("avstå",                   None,            "abstain",      None,        None,       "lämn(a|ar|ade|at|as) inget|inga yttrande|yttranden|synpunkter"),
    Rule("yttra_sig",               None,            None,           None,        "abstain",  "lämn(a|ar|ade|at|as) något|några yttrande|yttranden|synpunkter"),
    Rule("yttra_sig",               None,            None,           None,        "abstain",  "yttr(a|ar|ade|at) sig"),
    Rule("avstå",                   None,            "abstain",      None,        None,       "lägg(a|er|s)|lade|lagt ned|ner *2 röst(en|er|erna)?"),
    Rule("ta_ställning",            None,            None,           None,        "abstain",  f"{TA.forms('infinitive', 'present', 'past')} ställning"),
    # -- a free mandate: the delegate acts on the discussion or own judgement --------------
    Rule("fria_händer",             "delegated",     "free_mandate", None,        None,       "fria|fritt|obundna|obundet händer|mandat"),
    Rule("fria_händer",             "delegated",     "free_mandate", None,        None,       f"{_ACT_FREELY} *3 utifrån|efter|enligt|på *2 {_DISCUSSION}"),
    Rule("fria_händer",             "delegated",     "free_mandate", None,        None,       f"{_ACT_FREELY} efter|enligt|utifrån ?sitt|sin|sina {_OWN} {_JUDGEMENT}"),
    Rule("fria_händer",             "delegated",     "free_mandate", None,        None,       f"{_ACT_FREELY} efter|enligt|utifrån ?sitt|sin|sina {_JUDGEMENT}"),
    Rule("fria_händer",             "delegated",     "free_mandate", None,        None,       "agera(r|t)?|handla(r|t)?|röst(a|ar|at) fritt"),
    # the position is taken at the meeting: "ges mandat att ta ställning på plats"
    Rule("fria_händer",             "delegated",     "free_mandate", None,        None,       f"{_ACT_FREELY} ?ställning på plats"),
    # -- rejections ------------------------------------------------------------------------
    Rule("avslå",                   "rejected",      None,           "granted",   None,       AVSLÅ.any),
    Rule("avslå",                   "rejected",      None,           None,        None,       "avslag"),
    # declined: "Styrelsen avböjer erbjudandet", "Ansökan avböjs"
    Rule("avslå",                   "rejected",      None,           None,        None,       AVBÖJA.any),
    # a request dismissed without trying it ("Ansökan avvisas då den inkommit för sent")
    Rule("avslå",                   "rejected",      None,           None,        None,       "avvis(a|ar|as|ade|ades|at|ats)"),
    # "beslutar att inte gå vidare med ansökan" (going on with it decides nothing alone)
    Rule("avslå",                   None,            None,           "rejected",  None,       f"gå|går|gick vidare med {_APPLICATION}|förslaget|ärendet|frågan"),
    # -- referred back, tabled -------------------------------------------------------------
    Rule("återremittera",           "referred_back", None,           None,        None,       ÅTERREMITTERA.any),
    Rule("återremittera",           "referred_back", None,           None,        None,       "återremiss"),
    # prepared again before a decision: "Ärendet bereds vidare av kansliet", "Frågan bereds på nytt"
    Rule("återremittera",           "referred_back", None,           None,        None,       f"{_MATTER} {BEREDA.forms('passive')} vidare|ytterligare|om"),
    Rule("återremittera",           "referred_back", None,           None,        None,       f"{_MATTER} {BEREDA.forms('passive')} på nytt"),
    Rule("återföra",                "referred_back", None,           None,        None,       f"återför(a|s|de|des|t|ts) {_MATTER}"),
    Rule("återföra",                "referred_back", None,           None,        None,       f"{_MATTER} återför(s|des|ts)"),
    Rule("återremittera",           "referred_back", None,           None,        None,       ÅTERSÄNDA.any),
    Rule("återremittera",           "referred_back", None,           None,        None,       ÅTERFÖRVISA.any),
    # sent back to be prepared again: "Ansökan sänds tillbaka till sökanden", "skickar ärendet
    # tillbaka till arbetsutskottet", "Frågan remitteras åter till kansliet"
    Rule("återremittera",           "referred_back", None,           None,        None,       f"{_SEND} =*3 {BACK}"),
    # the matter goes back: "Ärendet återgår till beredningsgruppen", "Ansökan går tillbaka till
    # kansliet" (the matter is the subject: "Personalen återgår till ordinarie tjänst" is none)
    Rule("återföra",                "referred_back", None,           None,        None,       f"{_MATTER} ?=om|kring|angående|gällande|rörande =*5 {ÅTERGÅ.any}"),
    Rule("återföra",                "referred_back", None,           None,        None,       f"{_MATTER} ?=om|kring|angående|gällande|rörande =*5 {GÅ.any} {BACK}"),
    # a matter given back to whoever prepared it: "Ärendet återlämnas till kansliet", "lämnar
    # ansökan tillbaka till sökanden" ("Nycklarna återlämnas" gives back no matter)
    Rule("återföra",                "referred_back", None,           None,        None,       f"{_RETURN} {_MATTER}"),
    Rule("återföra",                "referred_back", None,           None,        None,       f"{_MATTER} ?=om|kring|angående|gällande|rörande =*5 {_RETURNED}"),
    Rule("återföra",                "referred_back", None,           None,        None,       f"{_GIVE} {BACK} {_MATTER}"),
    Rule("återföra",                "referred_back", None,           None,        None,       f"{_GIVE} {_MATTER} {BACK}"),
    Rule("återföra",                "referred_back", None,           None,        None,       f"{_MATTER} ?=om|kring|angående|gällande|rörande =*5 {_GIVEN} {BACK}"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       BORDLÄGGA.any),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{SKJUTA.any} upp =beslutet|frågan|ärendet|behandlingen"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} får|fick {_POSTPONED}"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} ?=om|kring|angående|gällande|rörande =*5 {_POSTPONED}"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} ?=om|kring|angående|gällande|rörande =*5 {SKJUTA.forms('passive', 'passive_past')} upp|fram"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       "uppskjut(a|er)|uppsköt|senarelägg(a|er)|senarelade =beslutet|frågan|ärendet|behandlingen|ställningstagandet"),
    # the matter struck from this meeting's agenda: "Ärendet utgår", "Punkten utgick från dagordningen"
    Rule("utgå",                    "tabled",        None,           None,        None,       f"={_DEFERRED} ?=om|kring|angående|gällande|rörande =*5 {_STRUCK}"),
    Rule("utgå",                    "tabled",        None,           None,        None,       f"={_DEFERRED} {_STRUCK}"),
    # the decision is taken at a later meeting: "Beslut fattas vid nästa möte", "Ärendet
    # återkommer på nästa sammanträde"
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} ?i ?=ärendet|frågan fatta(s|des)|tas|togs vid|på|under nästa|kommande *1 {_MEETING}"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} återkomm(er|a)|återkom ?till|på|vid|under nästa|kommande *1 {_MEETING}"),
    # the matter comes back to the board later: "Ärendet återkommer till styrelsen"
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} återkomm(er|a)|återkom till {_ORGANS}"),
    # put off, colloquially: "skjuter på beslutet till februari", "Frågan skjuts på framtiden"
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{SKJUTA.any} på ={_DEFERRED}"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} {SKJUTA.forms('passive', 'passive_past', 'passive_supine')} på"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"flytt(a|ar|as|ade|ades|at|ats) ?fram|över till *2 {_LATER_MEETING}"),
    # put off to a later meeting without "upp": "skjuter beslutet om X till styrelsens möte i
    # mars", "Frågan skjuts till nästa sammanträde"
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{SKJUTA.any} ={_DEFERRED} ?=om|kring|angående|gällande|rörande =*3 till *2 {_LATER_MEETING}"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} ?=om|kring|angående|gällande|rörande =*5 {SKJUTA.forms('passive', 'passive_past', 'passive_supine')} till *2 {_LATER_MEETING}"),
    # a matter declared dormant: "Ärendet vilandeförklaras i avvaktan på …"
    Rule("bordlägga",               "tabled",        None,           None,        None,       "vilandeförklar(a|ar|as|ade|ades|at|ats)"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} ?i ?=ärendet|frågan fattas|tas vid|på|under {_ORGANS_MEETING} ?*1 {_LATER_MEETING}"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} ?i ?=ärendet|frågan fattas|tas vid|på|under {_MONTH_MEETING}"),
    # waiting before deciding: "avvaktar med beslut tills …", "Beslutet avvaktas"
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{AVVAKTA.forms('infinitive', 'present', 'past', 'supine')} med"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} {AVVAKTA.forms('passive', 'passive_past', 'passive_supine')}"),
    # dealt with later together with another matter: "hantera ansökan i samband med budgetarbetet"
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{_DEAL_WITH} =*3 ?=om|kring|angående|gällande|rörande =*3 i samband med"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{TA.forms('infinitive', 'passive', 'present', 'passive_past')} upp ?igen på|vid|under nästa|kommande *1 {_MEETING}"),
    # taken up again later, or resting until then: "tar upp frågan igen i mars", "Ärendet vilar"
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{_TAKE} upp =*3 {AGAIN[0]}"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{_TAKE} upp =*3 {AGAIN[1]}"),
    # a matter that waits: "Ansökan får vänta till dess att budgeten är fastställd", "Styrelsen
    # väntar med beslut till mars" ("Deltagarna får vänta på besked" waits for no decision)
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{_WAITING} ?=om|kring|angående|gällande|rörande =*5 {WAIT_MODALS} vänta"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"{VÄNTA.any} med =beslut\\w*|ställningstagande\\w*|frågan|ärendet|behandlingen"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} vilar"),
    Rule("bordlägga",               "tabled",        None,           None,        None,       f"={_DEFERRED} får vila"),
    # -- information only ------------------------------------------------------------------
    Rule("lägga_till_handlingarna", "noted",         None,           None,        None,       "lägg(a|er|s|es)|lades|lagts|lagt =*3 till handlingarna"),
    Rule("lägga_till_handlingarna", "noted",         None,           None,        None,       "lägg(a|er|s|es)|lades|lagts|lagt =*3 om|kring|angående|rörande|gällande *5 till handlingarna"),
    Rule("notera",                  "noted",         None,           None,        None,       f"{GODKÄNNA.forms('infinitive', 'present', 'past', 'supine', 'passive', 'passive_past', 'passive_supine')} {_INFO}"),
    Rule("notera",                  "noted",         None,           None,        None,       f"{_INFO} {GODKÄNNA.forms('passive', 'passive_past', 'passive_supine')}"),
    Rule("notera",                  "noted",         None,           None,        None,       NOTERA.any),
    Rule("notera",                  "noted",         None,           None,        None,       "anteckn(a|ar|as|ade|ades|at|ats)"),
    Rule("notera",                  "noted",         None,           None,        None,       f"{TA.forms('infinitive', 'present', 'passive', 'past', 'supine')} del av"),
    Rule("notera",                  "noted",         None,           None,        None,       f"tacka(r|de)? för {_INFO}"),
    Rule("notera",                  "noted",         None,           None,        None,       "tacka(r|de)? för =*2 redovisning\\w*|rapport\\w*|genomgång\\w*|presentation\\w*|dragning\\w*"),
    # -- someone else's proposal, reported ---------------------------------------------------
    Rule("föreslå",                 None,            None,           None,        None,       "föreslå(r)?|föreslog|föreslagit|föreslagits ?\\w+ att"),
    # -- tasks, mandates and elections -----------------------------------------------------
    Rule("uppdra",                  "assigned",      None,           None,        None,       UPPDRA.any),
    Rule("delegera",                "delegated",     None,           None,        None,       "ge|ger|gav|ges|gavs =*3 fullmakt"),
    Rule("uppdra",                  "assigned",      None,           None,        None,       "i uppdrag"),
    Rule("uppdra",                  "assigned",      None,           None,        None,       "instruer(a|ar|as|ade|ades|at|ats)"),
    Rule("delegera",                "delegated",     None,           None,        None,       DELEGERA.any),
    # a matter referred to another body to decide: "Frågan hänskjuts till förbundsstämman"
    Rule("delegera",                "delegated",     None,           None,        None,       HÄNSKJUTA.any),
    Rule("mandat",                  "delegated",     None,           None,        None,       "mandat(et)? att"),
    Rule("mandat",                  "delegated",     None,           None,        None,       BEMYNDIGA.any),
    # the decision itself handed over: "Ordföranden får besluta i frågan"
    Rule("delegera",                "delegated",     None,           None,        None,       "få|får|fick ?själv|själva besluta|avgöra"),
    Rule("delegera",                "delegated",     None,           None,        None,       "ge|ger|ges|gavs rätt att besluta|avgöra"),
    # the decision handed over: "överlåter till förbundschefen att besluta …", "överlåter
    # beslutet till presidiet", "Beslutet om slutlig budget överlåts till presidiet"
    # ("överlåter inventarierna till kommunen" hands over no decision)
    Rule("delegera",                "delegated",     None,           None,        None,       f"{_HAND_OVER} till|åt *3 att"),
    Rule("delegera",                "delegated",     None,           None,        None,       f"{_HAND_OVER} ={_DEFERRED}|avgörandet"),
    Rule("delegera",                "delegated",     None,           None,        None,       f"={_DEFERRED}|avgörandet ?=om|kring|angående|gällande|rörande =*4 ?=för|av =*3 {ÖVERLÅTA.forms('passive', 'passive_supine', 'passive_past')}"),
    Rule("utse",                    "appointed",     None,           None,        None,       UTSE.any),
    # -- staffing: hiring someone, or extending their employment, appoints them ----------------
    Rule("anställa",                "appointed",     None,           None,        None,       f"({PREFIXES[ANSTÄLLA]})?({ANSTÄLLA.any})"),
    Rule("anställa",                "appointed",     None,           None,        None,       TILLSÄTTA.any),
    Rule("anställa",                "appointed",     None,           None,        None,       FÖRORDNA.any),
    Rule("anställa",                "appointed",     None,           None,        None,       UTNÄMNA.any),
    # an employment extended or renewed: "förlänger förordnandet", "förnyar förordnandet för X"
    Rule("anställa",                "appointed",     None,           None,        None,       f"{FÖRLÄNGA.any}|{FÖRNYA.any} =*2 {_EMPLOYMENT}"),
    Rule("anställa",                "appointed",     None,           None,        None,       f"={_EMPLOYMENT} ?=*3 ?=för|av|åt ?=*3 {FÖRLÄNGA.forms('passive', 'passive_past', 'passive_supine')}|{FÖRNYA.forms('passive', 'passive_past', 'passive_supine')}"),
    Rule("anställa",                "appointed",     None,           None,        None,       "erbjud(a|er|s|it|its)|erbjöd|erbjöds =*3 \\w*anställning\\w*|tjänsten|tjänst"),
    # employment given anew: "ger Karin Ek fortsatt förordnande som förbundschef", "ges förnyat
    # uppdrag som förbundschef" ("ger förbundschefen uppdrag att …" is a task, no "som")
    Rule("anställa",                "appointed",     None,           None,        None,       "ge|ger|ges|gav|gavs *3 ?fortsatt|fortsatta|förnyat|förnyad|nytt|ny =förordnande|uppdrag|uppdraget|anställning|tjänst|tjänsten som"),
    Rule("rekrytera",               "approved",      None,           None,        None,       "rekryter(a|ar|as|ade|ades|at|ats)"),
    Rule("utse",                    "appointed",     None,           None,        None,       VÄLJA.any),
    # choosing to do something elects no one: "Styrelsen väljer att avstå från att ta ställning"
    # (the passive elects: "Eva Wik väljs att justera protokollet")
    Rule("välja_att",               None,            None,           None,        None,       f"{VÄLJA.forms('infinitive', 'present', 'past', 'supine')} att"),
    # -- no proposal (a notice's agenda point) ---------------------------------------------
    Rule("inget_beslut",            None,            None,           None,        None,       "inget|ingen|inga beslutsförslag|beslutspunkt|beslut"),
    Rule("inget_beslut",            None,            None,           None,        None,       "inget|ingen|inga förslag till beslut"),
)
# fmt: on

VERBS: tuple[str, ...] = tuple(dict.fromkeys(rule.verb for rule in RULES))
