"""The words the reading of decision clauses weighs beside the rule table of
``ingest.stance_rules``: negations and the gaps a phrase may not cross, the verbs of
delegating, reporting, funding, approving and supporting, partial grants and their limits,
conditions, background and intent, what a request or a noted report is; and what
``ingest.verdict`` reads of a whole item (which act and stance describe it best, someone
else's proposal or charge, the amount applied for).

Data only. The verbs themselves and their forms are ``ingest.act_vocab``'s.
"""

from __future__ import annotations

from ingest.act_vocab import TELLING_VERBS

NEGATIONS = ("inte", "ej", "icke")
# A "*N" gap never crosses these ("rösta för förslaget mot bakgrund av …" is no vote against).
GAP_STOPS = (".", ";", ":", ",", "och", "samt", "om", "för", "mot", "emot")

# Verbs that hand a task or a mandate to someone: only a *position* (for/against/abstain/free
# mandate) inside the task ("uppdra åt ordförande att rösta för …") gives the clause its
# stance, and the clause's act is then a mandate (delegated).
DELEGATING_VERBS = ("uppdra", "delegera", "mandat")
# Verbs that report someone else's proposal ("NNS föreslår att förbunden godkänner …"): what
# follows is not the board's act nor its position, unless the proposer is a deciding organ
# of the protocol ("Styrelsen föreslår förbundsstämman att …", ingest.vocab.ORGAN_SUBJECTS).
REPORTING_VERBS = ("föreslå",)
POSITION_STANCES = ("for", "against", "abstain", "free_mandate")
# The acts that decide a clause where the board also agrees with someone's view ("instämmer i
# arbetsutskottets bedömning och avslår ansökan" rejects; "… och beviljar 200 tkr" grants, see
# ingest.stance_grants)
ACTS_BESIDE_AGREEMENT = ("rejected", "referred_back", "tabled")
NO_OBJECT_VERBS = ("inget_beslut", "enligt_förslaget")
OBJECT_LEAD_WORDS = ("till", "på", "åt", "i", "av", "att")  # dropped where an object begins
# The clause adopts the item's proposal ("Styrelsen beslutar i enlighet med förslaget"):
# the decision is then what the proposal says (ingest.verdict).
ADOPTS_PROPOSAL = "enligt_förslaget"
NO_PROPOSAL = "inget_beslut"  # "Inget beslutsförslag läggs": on the agenda, nothing proposed
# Approvals that grant money when the clause names an amount in kronor
# ("förlänga insatsen till 2023-12-31 med 600 tkr", "betala ut 300 tkr till Jobbspår" are
# grants; "betala serviceavgiften med 12 000 kr" pays a fee and is an approval).
# "avsätter 120 tkr", "ställer 250 000 kr till förfogande", "anvisar 300 tkr" grant money;
# "ställer lokalen till förfogande" without kronor only approves.
# "finansierar insatsen med 1,1 mnkr", "medfinansierar med 250 000 kr", "bidrar med högst
# 240 tkr", "utökar insatsens budget med 85 000 kr", "fortsatt finansiering … med 1,8 mnkr" fund
# it; "insatsen finansieras inom befintlig budget" only approves.
FUNDING_VERBS = (
    "förlänga",
    "inrätta",
    "enligt_förslaget",
    "betala_ut",
    "avsätta",
    "ställa_till_förfogande",
    "anvisa",
    "reservera",
    "finansiera",
    "bidra",
    "tillskjuta",
    "utöka_budget",
    "gå_in_med",
)
# Approving someone's application is granting it ("godkänner ansökan om förlängning",
# "ansökan godkänns"): these verbs with an application word as their object (APPLICATION_OBJECT)
# are a grant; "tillstyrker ansökan" recommends it to another organ and is one only with money.
APPROVING_VERBS = ("godkänna", "acceptera", "bifalla", "tillmötesgå")
SUPPORTING_VERBS = ("tillstyrka", "ställa_sig_bakom", "stödja", "biträda", "förorda")
APPLICATION_OBJECT = (
    r"^(?:\S+s\s+)?(?:\w*ansökan|\w*ansökningar(?:na)?|\w*ansökningen|\w*äskande(?:t|n|na)?"
    r"|begäran)\b"
)
# Approving someone's employment appoints them ("godkänner anställning av X som processledare").
# The employment may be what a proposal is about ("godkänner förslaget om anställning av X").
EMPLOYMENT_OBJECT = (
    r"^(?:\S+s\s+)?(?:\w*förslag\w* (?:om|till) )?"
    r"(?:\w*anställning\w*|\w*förordnande\w*|tillsättning\w*)\b"
)
# A grant said to fall short of what was applied for is a partial grant, whatever the verb
# ("bifaller delvis ansökan", "beviljar ansökan med ett lägre belopp", "till hälften", "halva
# beloppet", "beviljas i reducerad omfattning"): the grant's own clause, within a few words of
# the verb.
PARTLY = (
    r"\bdelvis\b|\btill (?:viss|en) del\b|\btill hälften\b"
    r"|\bhalva (?:det sökta |sökta )?(?:belopp|summa)\w*"
    r"|\b(?:lägre|reducera[dt]e?|minska[dt]e?|mindre|begränsa[dt]e?|nedjustera[dt]e?)"
    r"\s+(?:belopp\w*|summa\w*|ram\w*|omfattning\w*|nivå\w*)"
)
# The part a grant leaves out, after it in the same clause: "beviljar lönekostnaderna, 480 tkr,
# men inte de sökta resekostnaderna om 40 tkr", "beviljar ansökan utom resekostnaderna", "…
# med undantag för lokalhyran". The grant is then partial, and its amounts are those before.
BUT_WORDS = ("men", "dock", "däremot")  # followed within two words by a negation
EXCEPT_WORDS = ("utom", "undantaget", "undantag")  # "med undantag för/av"
# A condition the act is taken on ("beviljar 500 tkr under förutsättning att regionen beviljar
# motsvarande belopp", "godkänner avtalet på villkor att ansökan beviljas"): the acts and kronor
# of the condition are not the board's. A condition word with the word that must follow it
# (None: none), up to a boundary or the main clause's verb before the organ ("Under förutsättning
# att regionen bidrar beviljar styrelsen 200 tkr").
CONDITION_WORDS = {
    "förutsättning": ("att", "för"),
    "förutsättningen": ("att",),
    "villkor": ("att", "för"),
    "förutsatt": ("att",),
    "förutsätter": ("att",),
    "villkorat": ("av", "att"),
    "villkorad": ("av", "att"),
    "förbehåll": ("för", "om", "att"),
    "ifall": None,
    "såvida": None,
}
PARTLY_REACH = 8  # words after the grant verb where PARTLY counts
PARTLY_BEFORE = 4  # and words before it ("delvis bifall", "bifaller delvis ansökan och beviljar")
# Background a clause reports, not its act: "som tidigare beviljats 600 tkr", "beviljades
# ursprungligen 2022" (a word of these right before or after the verb).
BACKGROUND_MARKERS = ("tidigare", "ursprungligen")
# An act the board only means or is ready to take is not taken: "Styrelsen är beredd att bevilja
# 300 tkr under förutsättning att …", "avser att avsluta insatsen", "har för avsikt att" (a word
# of these right before "att" and the act).
INTENT_WORDS = (
    "beredd",
    "beredda",
    "avser",
    "avsåg",
    "avsikt",
    "planerar",
    "planerade",
    "ämnar",
    "överväger",
    "övervägde",
)
# What a request asks for is no act of the board: "Ansökan om utökade medel avslås", "begäran om
# att få förlänga insatsen" (an act right after one of these and "om", "om att", "om att få").
REQUEST_NOUNS = r"\w*ansökan|\w*ansökningen|begäran|\w*äskande\w*|förfrågan|hemställan"
# What a board notes it is told is no act of its own: "noterar att Region X har beviljat 200 tkr",
# "konstaterar att kommunen anställt två coacher" (an act after these and "att", up to a
# boundary: GAP_STOPS other than "om", "för", "mot", "emot").
NOTING_VERBS = ("notera",)
NOTING_WORDS = "|".join(("konstater\\w*", "framgår", *(f"{v.stem}\\w*" for v in TELLING_VERBS)))

# A negation that governs the act from a few words before it: "finner inte skäl att bevilja",
# "ser ingen anledning att bifalla", "kan inte tillstyrka", "anser inte att ansökan ska
# beviljas". The words between may not be a boundary (GAP_STOPS other than "att", or "men").
# The act must be governed: right after "att" or a modal ("Då inga invändningar framkommit
# beviljar styrelsen …" is no refusal).
NEGATION_WORDS_AHEAD = ("inte", "ej", "icke", "ingen", "inget", "inga")
NEGATION_REACH = 5
NEGATION_GOVERNORS = ("att", "ska", "skall", "kan", "kunna", "bör", "vill", "heller")
# Words that end the grant's own words for PARTLY ("beviljar 300 tkr till insatsen, som delvis
# finansieras av regionen" is a full grant).
PARTLY_STOPS = (",", ";", ".", ":", "som", "vilket", "vilken", "då", "eftersom", "men")

# Which act describes an item best when its clauses have several (first = most significant);
# a grant beside a rejection of the rest is a partial grant (ingest.verdict).
ACT_PRECEDENCE = (
    "partly_granted",
    "granted",
    "rejected",
    "referred_back",
    "tabled",
    "approved",
    "delegated",
    "appointed",
    "assigned",
    "noted",
)
# Which stance describes an item best when its clauses hold several.
STANCE_PRECEDENCE = ("against", "for", "abstain", "free_mandate", "tabled", "noted")

# The stance a plain act takes when the item decides on someone else's proposal
# ("Styrelsen avslår NNS förslag" -> against; "Informationen noteras" on NNS's proposal -> noted).
STANCE_OF_ACT = {
    "approved": "for",
    "granted": "for",
    "partly_granted": "for",
    "rejected": "against",
    "tabled": "tabled",
    "noted": "noted",
    # a mandate on someone else's proposal without a position: the delegate takes it
    # ("Ordföranden får besluta i frågan om NNS serviceavgift")
    "delegated": "free_mandate",
    # sent back to be prepared again: the position waits ("Ärendet återremitteras" on NNS's
    # proposal is put off like a tabled one)
    "referred_back": "tabled",
}
# Someone else's proposal: a word that is always someone else's (an application, a request,
# a remiss) in the item's title or decision; or a proposal word there while the item names
# another organisation (NNS, a member, a project owner) — unless the proposal is the board's
# own preparation (förbundschefens / arbetsutskottets förslag, förslag till beslut …).
EXTERNAL_REQUEST = (
    r"\b(?:ansökan|ansökningar\w*|\w*äskande\w*|begäran|remiss\w*|hemställan|motion\w*"
    r"|erbjudande\w*|inbjudan)\b"
)
PROPOSAL_WORD = r"\b\w*förslag\w*\b"
# Someone else's charge: a fee word with another organisation's name right beside it
# ("serviceavgift till NNS", "NNS medlemsavgift", "Avgift till Nationella nätverket …"). The
# fee is that organisation's to set; the board's act on it is a position on it.
CHARGE_WORD = r"\b\w*avgift\w*\b"
CHARGE_WINDOW = (2, 5)  # words before and after the fee word where the organisation stands
INTERNAL_PROPOSERS = (
    r"\b(?:förbundschef\w*|ordförande\w*|arbetsutskott\w*|presidi\w*|bered\w*|kansli\w*"
    r"|tjänste\w*|föredragande\w*|styrelsens|förbundets|budget\w*|beslut\w*|dagordning\w*)"
    r"\s+(?:\w+\s+)?förslag\w*|\bförslag\w* till (?:beslut|dagordning)\b|enligt förslag\w*"
)
# The amount an item says was applied for: a request word shortly before the amount
# ("ett tilläggsäskande om 147 424 kr", "800 tkr av sökta 1,2 mnkr", "ansöker om 340 000 kr",
# "Piteå kommun söker 480 000 kr").
REQUEST_BEFORE_AMOUNT = (
    r"(?:\bsök(?:er|te|t|ta|ts|s)\b|\bansök\w*|\bäsk\w*|\w+äsk\w*|\bbegär\w*|\bans[öo]kan\w*|\bbehov\w*"
    r"|\bönskar\b|\bhemställ\w*)(?:\s+\S+){0,5}\s*$"
)
