"""The rule table of decision clauses: Swedish phrases -> act and stance.

Data only; ``ingest.stance`` compiles it into one spaCy Matcher. A phrase is a sequence of
word slots separated by spaces, each matched against one lower-cased token:

* ``bevilj(a|ar|as)``  a regular expression the whole word must match (``a|b`` = either word);
* ``?till``            an optional word;
* ``*3``               up to three words that are not a boundary (see ``GAP_STOPS``);
* ``=frågan|ärendet``  a word (or ``=*3`` gap) that is the object of the act; when it ends
  the phrase, the object runs on after it ("godkänna informationen om …").

Between any two slots and after the last one a negation word (``NEGATIONS``) may stand;
a negation there or just before the phrase selects the rule's ``negated`` stance
("att inte bevilja" -> rejected, "ställer sig inte bakom" -> against).
Where phrases overlap, the longest wins ("godkänna informationen" beats "godkänna").
"""

from __future__ import annotations

from typing import NamedTuple

from corpus.model import STANCE_SV


class Rule(NamedTuple):
    act: str
    stance: str | None  # one of corpus.model.STANCES, or None (no position on a proposal)
    negated: str | None  # the stance when the phrase is negated
    phrase: str


NEGATIONS = ("inte", "ej", "icke")
# A "*N" gap never crosses these ("rösta för förslaget mot bakgrund av …" is no vote against).
GAP_STOPS = (".", ";", ":", ",", "och", "samt", "om", "för", "mot", "emot")

# Acts that hand a task to someone: only a *position* (for/against/abstain) inside the task
# ("uppdra åt ordförande att rösta för …") gives the clause its stance.
DELEGATING_ACTS = ("uppdra",)
POSITION_STANCES = ("for", "against", "abstain")
NO_OBJECT_ACTS = ("inget_beslut",)  # "Inget beslutsförslag läggs" is about nothing
OBJECT_LEAD_WORDS = ("till", "på", "åt", "i", "av", "att")  # dropped where an object begins

_INFO = "=informationen|information|informationerna|dragningen|föredragningen"
_MATTER = "=frågan|ärendet|ansökan|ansökningen|\\w*äskandet|förslaget|beslutet|underlaget"
_APPLICATION = "=ansökan|ansökningen|begäran|\\w*äskandet"
_MEETING = "möte\\w*|sammanträde\\w*|styrelsemöte\\w*|styrelsesammanträde\\w*"

# fmt: off
RULES: tuple[Rule, ...] = (
    #    act                        stance         negated     phrase
    # -- grants and approvals ----------------------------------------
    Rule("bevilja",                 "approved",    "rejected", "bevilj(a|ar|as|ade|ades|at|ats|ad)"),
    Rule("anslå",                   "approved",    "rejected", "ansl(å|år|ås|og|ogs|agit|agits)"),
    Rule("tilldela",                "approved",    "rejected", "tilldel(a|ar|as|ade|ades|at|ats)"),
    Rule("godkänna",                "approved",    "rejected", "godkän(na|ner|ns|nes|de|des|t|ts|d|da)"),
    Rule("fastställa",              "approved",    "rejected", "fastställ(a|er|s|es|de|des|t|ts|d|da)"),
    Rule("anta",                    "approved",    "rejected", "ant(a|ar|as|og|ogs|agit|agits|agen|aget|agna)"),
    Rule("tillstyrka",              "approved",    "against",  "tillstyrk(a|er|s|te|tes|t|ts)"),
    Rule("ställa_sig_bakom",        "approved",    "against",  "ställ(a|er|s|de|t) sig|oss bakom|positiv|positiva"),
    Rule("stödja",                  "approved",    "against",  "stöd(ja|jer|er)|stödde|stött"),
    Rule("åta_sig",                 "approved",    "rejected", "åt(a|ar|og|agit) sig"),
    Rule("åta_sig",                 "approved",    "rejected", "ta|tar|tas|tog|tagit på sig"),
    Rule("bifalla",                 "approved",    "rejected", f"bifall(a|er|s|es)|biföll {_APPLICATION}"),
    Rule("bifalla",                 "approved",    "rejected", f"{_APPLICATION} bifall(s|es)|biföll"),
    Rule("avsluta",                 "approved",    "rejected", "avslut(a|ar|as|ade|ades|at|ats)"),
    Rule("avveckla",                "approved",    "rejected", "avveckl(a|ar|as|ade|ades|at|ats)"),
    Rule("inrätta",                 "approved",    "rejected", "inrätt(a|ar|as|ade|ades|at|ats)"),
    Rule("förlänga",                "approved",    "rejected", "förläng(a|er|s|de|des|t|ts)"),
    Rule("besluta",                 "approved",    "rejected", "beslut(a|ar|as|ade|ades|at) enligt|om =\\w*förslag\\w*"),
    # -- rejections and positions against ----------------------------
    Rule("avslå",                   "rejected",    "approved", "avsl(å|år|ås|og|ogs|agit|agits|agen|aget|agna)"),
    Rule("avslå",                   "rejected",    None,       "avslag"),
    Rule("avstyrka",                "against",     None,       "avstyrk(a|er|s|te|tes|t|ts)"),
    Rule("ställa_sig_emot",         "against",     None,       "ställ(a|er|s|de|t) sig|oss negativ|negativa|avvisande"),
    Rule("motsätta_sig",            "against",     "for",      "motsätt(a|er)|motsatte sig"),
    Rule("yrka_avslag",             "against",     None,       "yrk(a|ar|ade|at|as) avslag"),
    # -- votes -------------------------------------------------------
    Rule("rösta_för",               "for",         "against",  "röst(a|ar|ade|at) *3 för|ja|bifall"),
    Rule("rösta_emot",              "against",     "for",      "röst(a|ar|ade|at) *3 emot|mot|nej|avslag"),
    Rule("bifalla",                 "for",         "against",  "bifall(a|er|s|es)|biföll|bifallit"),
    Rule("yrka_bifall",             "for",         "against",  "yrk(a|ar|ade|at|as) bifall"),
    Rule("rösta_för",               "for",         "against",  "säg(a|er)|sa|sade ja"),
    Rule("rösta_emot",              "against",     None,       "säg(a|er)|sa|sade nej"),
    Rule("avstå",                   "abstain",     None,       "avst(å|år|od|ått) *4 röst(a|ning|ningen)|omröstning\\w*|ställning\\w*|beslut\\w*|delta"),
    Rule("avstå",                   "abstain",     None,       "lägg(a|er|s)|lade|lagt ned|ner *2 röst(en|er|erna)?"),
    Rule("ta_ställning",            None,          "abstain",  "ta|tar|tog ställning"),
    # -- returned, postponed -----------------------------------------
    Rule("återremittera",           "returned",    None,       "återremitter(a|ar|as|ade|ades|at|ats)"),
    Rule("återremittera",           "returned",    None,       "återremiss"),
    Rule("återföra",                "returned",    None,       f"återför(a|s|de|des|t|ts) {_MATTER}"),
    Rule("återföra",                "returned",    None,       f"{_MATTER} återför(s|des|ts)"),
    Rule("återremittera",           "returned",    None,       "återsänd(a|er|s|e|es|t|ts)"),
    Rule("bordlägga",               "postponed",   None,       "bordlägg(a|er|s|es)|bordlade|bordlades|bordlagt|bordlagts|bordlagd"),
    Rule("bordlägga",               "postponed",   None,       "skjut(a|er|s)|sköt|sköts|skjutit|skjutits upp =beslutet|frågan|ärendet|behandlingen"),
    Rule("bordlägga",               "postponed",   None,       "=beslutet|frågan|ärendet|behandlingen skjut(s|es)|sköts upp"),
    Rule("bordlägga",               "postponed",   None,       f"ta|tas|tar|togs upp ?igen på|vid|under nästa|kommande *1 {_MEETING}"),
    # -- information only --------------------------------------------
    Rule("lägga_till_handlingarna", "noted",       None,       "lägg(a|er|s|es)|lades|lagts|lagt =*3 till handlingarna"),
    Rule("godkänna",                "noted",       None,       f"godkän(na|ner|ns|de|des|t|ts) {_INFO}"),
    Rule("godkänna",                "noted",       None,       f"{_INFO} godkän(ns|des|ts)"),
    Rule("notera",                  "noted",       None,       "noter(a|ar|as|ade|ades|at|ats)"),
    Rule("notera",                  "noted",       None,       "anteckn(a|ar|as|ade|ades|at|ats)"),
    Rule("notera",                  "noted",       None,       "ta|tar|tas|tog|tagit del av"),
    Rule("notera",                  "noted",       None,       f"tacka(r|de)? för {_INFO}"),
    # -- delegation and elections ------------------------------------
    Rule("uppdra",                  None,          None,       "uppdr(a|ar|as|og|ogs|agit|agits)"),
    Rule("uppdra",                  None,          None,       "i uppdrag"),
    Rule("uppdra",                  None,          None,       "deleger(a|ar|as|ade|ades|at|ats)"),
    Rule("uppdra",                  None,          None,       "instruer(a|ar|as|ade|ades|at|ats)"),
    Rule("uppdra",                  None,          None,       "mandat(et)? att"),
    Rule("utse",                    None,          None,       "uts(e|er|es|åg|ågs|ett|etts|edd|edda)"),
    Rule("utse",                    None,          None,       "välj(a|er|s|es)|val(de|des|t|ts|d|da)"),
    # -- no proposal -------------------------------------------------
    Rule("inget_beslut",            "no_decision", None,       "inget|ingen|inga beslutsförslag|beslutspunkt|beslut"),
    Rule("inget_beslut",            "no_decision", None,       "inget|ingen|inga förslag till beslut"),
)
# fmt: on

ACTS: tuple[str, ...] = tuple(dict.fromkeys(rule.act for rule in RULES))

# Which stance describes an item best when it has several clauses (first = most significant).
STANCE_PRECEDENCE = (
    "for",
    "against",
    "abstain",
    "rejected",
    "returned",
    "postponed",
    "approved",
    "no_decision",
    "noted",
)

# The Swedish labels live with the shared data model (one table for CLI, app and rules).
STANCE_LABELS_SV = STANCE_SV
