"""The one home of the layout vocabulary: months, organs, decision headings, officer roles.

Every pattern that recognises these words is built from the lists here, so a new wording
("Beredningsgruppens beslut", "Mötessekreterare") is added once and every stage sees it.
Pure data and compiled patterns; nothing else.
"""

from __future__ import annotations

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
MONTH_ABBR = frozenset(
    {"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec"}
)
MONTH = "(?:" + "|".join(MONTHS) + ")"  # regex alternation of the month names
# A month as written in a date: full name or abbreviation ("6 sept. 2022", "21 mar 2024").
# English month names, for the English minutes of the national network (NNS): read in dates
# ("8 October 2024"), never taken for Swedish words.
MONTHS_EN = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTH_NUMBER = {
    **MONTHS_EN,
    **MONTHS,
    **{a: MONTHS[next(m for m in MONTHS if m.startswith(a[:3]))] for a in MONTH_ABBR},
}
MONTH_WRITTEN = "(?:" + "|".join(sorted(MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?"

# The förbund itself as the subject of a decision, which its board takes ("Förbundet beviljar …",
# "Samordningsförbundet avslår ansökan"); in the past tense it narrates the förbund's history
# ("Förbundet beviljade 2022 …", ingest.clauses).
FORBUND_SUBJECTS = ("Förbundet", "Samordningsförbundet")
FORBUND_SUBJECT = "(?:" + "|".join(FORBUND_SUBJECTS) + ")"
# Deciding bodies as a protocol names them ("Styrelsen beslutar", "Arbetsutskottets förslag").
ORGAN_SUBJECTS = (
    "Styrelsen",
    "Interimsstyrelsen",
    "Förbundsstyrelsen",
    "Arbetsutskottet",
    "Presidiet",
    "Nämnden",
    "Mötet",
    "Beredningsgruppen",
    "Medlemssamrådet",
    "Förbundsstämman",
    "Årsmötet",
    *FORBUND_SUBJECTS,
)
ORGAN_SUBJECT = "(?:" + "|".join(ORGAN_SUBJECTS) + ")"
# "<organ>s beslut" (genitive: Styrelsens, Förbundsstyrelsens, Arbetsutskottets …)
ORGAN_GENITIVE = "(?:" + "|".join(f"{o}s" for o in ORGAN_SUBJECTS) + ")"
# The words after an organ's deciding verb that open the clauses below it ("Styrelsen beslutar
# att", "Styrelsen beslutar (enligt) följande:").
CLAUSES_FOLLOW = r"(?: att| (?:enligt )?följande)"
# Headings under which a protocol writes its decision; a recommendation from a preparing
# body to the deciding one ("Arbetsutskottets förslag till styrelsen") is that body's decision.
DECISION_HEADINGS = (
    r"Beslut",
    r"Beslutet",
    r"Beslut i korthet",
    r"Beslutades",
    r"Beslöts",
    r"Beslutas",
    rf"{ORGAN_GENITIVE} beslut",
    rf"{ORGAN_SUBJECT}s? beslut(?:ar|ade)?{CLAUSES_FOLLOW}?",
    rf"{ORGAN_GENITIVE} förslag till (?:styrelsen|förbundsstyrelsen|beslut i styrelsen)",
    r"Decisions?",  # the national network's English minutes
)
DECISION_HEADING = "(?:" + "|".join(DECISION_HEADINGS) + ")"
# Headings that group the items of a meeting ("Beslutsärenden", "Ärenden för information",
# "Dag 2 – onsdag 5 mars"): they stand between items and belong to none of them.
GROUP_HEADINGS = (
    r"(?:Besluts|Informations|Anmälnings|Delegations|Diskussions|Redovisnings|Uppföljnings)"
    r"(?:ärenden|punkter)",
    r"Ärenden för (?:beslut|information|kännedom|diskussion)",
    r"Dag \d{1,2}(?:\s*[–-]\s*.{0,60})?(?<!\.)",
    rf"{WEEKDAY}(?: den)? \d{{1,2}} {MONTH}\b.{{0,40}}(?<!\.)",
)
GROUP_HEADING = "(?:" + "|".join(GROUP_HEADINGS) + ")"

# Officer role labels as written before (or above, or under) a name; also in capitals
# ("SEKRETERARE: …"). An abbreviation ends in its dot or colon ("Sekr:", "Just."): "Just" alone
# is a word.
CHAIR_LABELS = ("Mötesordförande", "Ordförande", "Ordf.", "Ordf:", "Chair", "Chairperson")
SECRETARY_LABELS = (
    "Sekreterare",
    "Mötessekreterare",
    "Protokollförare",
    "Vid protokollet",
    "Vid anteckningarna",
    "Antecknat av",
    "Antecknare",
    "Sekr.",
    "Sekr:",
    "Secretary",
)
ADJUSTER_LABELS = (
    "Justerare",
    "Justerande",
    "Justeringspersoner",
    "Justeringsperson",
    "Justeras av",
    "Justeras",
    "Utses att justera",
    "Just.",
    "Just:",
    "Verifier",
)
# A person's title written before the name ("Förbundschef Amira Lundmark (sekreterare)"): the
# title is not part of the name.
STAFF_TITLES = (
    "Förbundschef",
    "Förbundschefen",
    "Verksamhetsledare",
    "Verksamhetschef",
    "Samordnare",
    "Processledare",
    "Ekonom",
    "Controller",
    "Handläggare",
    "Kanslichef",
    "Utvecklingsledare",
)

# Column names of an attendance table ("Namn | Organisation | Roll"), by what the column holds.
# A row of column names starts a table only when one of them names the person.
ATTENDANCE_COLUMNS = {
    "name": ("Namn", "Name", "Person", "Deltagare"),
    "organisation": (
        "Organisation",
        "Representerar",
        "Representant för",
        "Företräder",
        "Huvudman",
        "Myndighet",
        "Part",
        "Kommun/myndighet",
    ),
    "role": ("Roll", "Funktion", "Uppdrag", "Befattning", "Titel"),
    "note": (
        "Närvarande",
        "Närvaro",
        "Anteckning",
        "Anteckningar",
        "Kommentar",
        "Parti",
        "§",
        "Paragrafer",
        "Tid",
        "Ersätter",
        "Ersättare för",
    ),
}
