"""The one shared data model: every stage passes these frozen records, never dicts.

file -> list[Page] (ingest.extract) -> list[Page] cleaned (ingest.clean)
     -> Document (ingest.segment) -> SQLite (corpus.store)
     -> lexical + FAISS indexes (index/) -> list[Hit] -> CLI / app
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# Document kinds.
PROTOKOLL = "protokoll"
KALLELSE = "kallelse"  # kallelse / föredragningslista (agenda), possibly with bilagor
MINNESANTECKNINGAR = "minnesanteckningar"
OKAND = "okänd"
DOC_KINDS = (PROTOKOLL, KALLELSE, MINNESANTECKNINGAR, OKAND)

# Item kinds.
PARAGRAF = "paragraf"  # "§ 57"
PUNKT = "punkt"  # numbered agenda point "punkt 7" / "7."
ARENDE = "ärende"  # "Ärende 2"
SEKTION = "sektion"  # heading-delimited section of notes or an attachment

# Participant roles.
BESLUTANDE = "beslutande"
TJANSTGORANDE_ERSATTARE = "tjänstgörande ersättare"
ERSATTARE = "ersättare"
OVRIGA = "övriga"

# A decision has two axes (rules in ingest/stance_rules.py, item level in ingest/verdict.py).
# The act: what the board did.
ACTS = (
    "approved",  # godkänner, fastställer, antar, beslutar enligt förslaget
    "granted",  # beviljar, anslår, tilldelar medel
    "partly_granted",  # beviljar mindre än det sökta, avslår i övrigt
    "rejected",  # avslår
    "referred_back",  # återremitterar, återför frågan
    "tabled",  # bordlägger, skjuter upp
    "noted",  # lägger till handlingarna, noterar informationen
    "appointed",  # utser, väljer
    "delegated",  # delegerar, ger ombudet mandat
    "assigned",  # uppdrar åt någon att göra något
)
ACT_SV = {
    "approved": "godkänt/antaget",
    "granted": "beviljat",
    "partly_granted": "delvis beviljat",
    "rejected": "avslag",
    "referred_back": "återremitterat",
    "tabled": "bordlagt",
    "noted": "noterat",
    "appointed": "utsett/valt",
    "delegated": "delegerat/mandat",
    "assigned": "uppdrag",
}
# The stance: the board's position on a proposal from someone else (NNS, a member, a project
# owner), where the decision takes one.
STANCES = ("for", "against", "abstain", "free_mandate", "tabled", "noted")
STANCE_SV = {
    "for": "för",
    "against": "emot",
    "abstain": "avstår",
    "free_mandate": "fritt mandat",
    "tabled": "bordlagt",
    "noted": "endast noterat",
}
# How a decision was reached, beside what it decided (ingest/procedure.py reads them from the
# item's text): a vote (omröstning, votering, or the chair putting one motion against
# another), a member's reservation against it, a member's note to the minutes, a member
# disqualified for a conflict of interest.
PROCEDURES = ("vote", "reservation", "note", "conflict")
PROCEDURE_SV = {
    "vote": "omröstning",
    "reservation": "reservation",
    "note": "protokollsanteckning",
    "conflict": "jäv",
}
# Where an item stands on its matter (DecisionRow.status): decided in a protocol, or only
# proposed / on the agenda (a notice's Förslag till beslut is never a decision).
DECIDED = "decided"
PROPOSED = "proposed"  # a "Förslag till beslut" without a decision in the same document
ON_AGENDA = "on_agenda"  # an agenda point without a proposal ("Inget beslutsförslag läggs")
STATUSES = (DECIDED, PROPOSED, ON_AGENDA)
STATUS_SV = {DECIDED: "beslutat", PROPOSED: "förslag till beslut", ON_AGENDA: "på dagordningen"}


def content_hash(data: bytes) -> str:
    """Stable id of a file's bytes (hex sha256, first 32 chars)."""
    return hashlib.sha256(data).hexdigest()[:32]


def make_item_id(doc_id: str, label: str) -> str:
    """Stable id of an item: hash of (document id, item label)."""
    return hashlib.sha256(f"{doc_id}\x1f{label}".encode()).hexdigest()[:32]


def item_key(item_id: str) -> int:
    """A stable non-negative int64 for an item id (FAISS / numpy row ids)."""
    return int(item_id[:15], 16)


# Layout block kinds (Block.kind): what the file says a piece of text is.
HEADING = "heading"  # a heading style, <h1>–<h6>, or a larger/bold PDF line
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"  # an auto-numbered or bulleted list entry (number rendered)
CELL = "cell"  # a table cell (or one piece of a PDF row set apart by a column gap)
RUNNING = "running"  # a page header/footer (DOCX header/footer part, PDF running line):
# evidence about the document (förbund, date), never body text
BLOCK_KINDS = (HEADING, PARAGRAPH, LIST_ITEM, CELL, RUNNING)


@dataclass(frozen=True, slots=True)
class Block:
    """A layout hint about a piece of a page's text, as the file states it.

    ``row``/``col`` place a CELL in its table (rows numbered per page, top to bottom; the
    cells of one row share ``row``); ``level`` is a heading level or list depth; ``size``
    the font size in points and ``bold`` its weight where the format knows them.
    """

    kind: str  # one of BLOCK_KINDS
    text: str
    row: int | None = None
    col: int | None = None
    level: int = 0
    size: float | None = None
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    """Text of one page (1-based number). Formats without pages give one or more pseudo-pages.

    ``text`` is the page in reading order and is all segmentation needs; ``blocks`` are the
    layout hints a structured format adds (headings, table cells, list items, running
    headers/footers). Plain text has none, and every rule works without them.
    """

    number: int
    text: str
    blocks: tuple[Block, ...] = ()
    # Set when the page was read by OCR: Tesseract's mean word confidence, 0–100.
    ocr_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a reader got from a file: its pages, and the facts about what it could not read
    (ingest/quality.py turns these into warnings). Readers report here, never only in the log."""

    pages: tuple[Page, ...]
    fmt: str = ""  # pdf, docx, txt, html
    pages_in_file: int = 0  # pages the file has: more than len(pages) when the page limit cut it
    image_pages: tuple[int, ...] = ()  # pages that are images with no text layer: not read

    @property
    def pages_cut(self) -> int:
        """Pages of the file left unread because of the page limit."""
        return max(self.pages_in_file - len(self.pages), 0)


@dataclass(frozen=True, slots=True)
class QualityWarning:
    """Something a document lacks or that could not be read, shown to the user. code: a stable
    name for scripts (ingest/quality.py holds the vocabulary); message: Swedish, for people."""

    code: str
    message: str


# The unit of a fee per resident ("2,50 kr per invånare"): not kronor in all.
PER_CAPITA = "kr/invånare"


@dataclass(frozen=True, slots=True)
class Amount:
    """A quantity found in text. unit: "kr" (value in kronor), "kr/invånare" (kronor per
    resident, PER_CAPITA), "promille" or "procent"."""

    value: float
    unit: str
    text: str


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    organisation: str | None
    role: str  # one of BESLUTANDE, TJANSTGORANDE_ERSATTARE, ERSATTARE, OVRIGA
    note: str | None = None  # e.g. "kl 8.30-8.45", "§§ 45-46"


@dataclass(frozen=True, slots=True)
class Decision:
    """A typed decision record: one clause of an item's Beslut (or an agenda proposal)."""

    clause: str
    act: str | None  # one of ACTS, or None when the clause decides nothing by itself
    stance: str | None  # one of STANCES, or None when the clause is no position on a proposal
    object: str | None  # what the act is about, e.g. "Samordningsteam Sala en extra tilldelning"
    amounts_kr: tuple[float, ...] = ()
    rates: tuple[Amount, ...] = ()  # promille / procent / kr per invånare
    organisations: tuple[str, ...] = ()
    from_proposal: bool = False  # True when taken from "Förslag till beslut" of an agenda
    verb: str | None = None  # the deciding phrase's rule: bevilja, avslå, rösta_för, fria_händer …


@dataclass(frozen=True, slots=True)
class Item:
    """One § / agenda point / section of a document."""

    item_id: str
    label: str  # as written: "§ 57", "punkt 7", "Ärende 2", or the section heading
    number: int | None
    kind: str  # PARAGRAF, PUNKT, ARENDE, SEKTION
    title: str
    body: str  # the item's full cleaned text as written, Handlingar and Beslut lines included
    handlingar: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()  # decision clauses, each "Att …" on its own
    proposals: tuple[str, ...] = ()  # "Förslag till beslut" texts
    copy_to: tuple[str, ...] = ()  # "Kopia till"
    pages: tuple[int, ...] = ()
    amounts: tuple[Amount, ...] = ()
    dates: tuple[str, ...] = ()  # ISO dates mentioned
    organisations: tuple[str, ...] = ()
    attachment: str | None = None  # heading of the bilaga this section belongs to
    procedural: bool = False  # val av justerare, dagordning, mötets öppnande/avslutande …
    records: tuple[Decision, ...] = ()

    @property
    def key(self) -> int:
        return item_key(self.item_id)

    @property
    def amounts_kr(self) -> tuple[float, ...]:
        return tuple(a.value for a in self.amounts if a.unit == "kr")


@dataclass(frozen=True, slots=True)
class Meeting:
    forbund: str | None = None  # canonical full name from the gazetteer
    forbund_evidence: str | None = None  # how the förbund was identified
    organ: str | None = None  # styrelse, interimsstyrelse, medlemssamråd, arbetsutskott …
    date: str | None = None  # ISO YYYY-MM-DD; None when the text does not state it
    time: str | None = None
    place: str | None = None
    participants: tuple[Participant, ...] = ()
    chair: str | None = None
    secretary: str | None = None
    adjusters: tuple[str, ...] = ()
    date_window: tuple[str, str] | None = None  # bounds for an undated document, from evidence


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    source: str  # file name
    path: str
    kind: str  # one of DOC_KINDS
    meeting: Meeting
    items: tuple[Item, ...]
    n_pages: int
    text: str = ""  # cleaned full text
    attachments: tuple[str, ...] = ()  # headings of bilagor sent with a notice
    fmt: str = ""  # pdf, docx, txt, html
    warnings: tuple[QualityWarning, ...] = ()
    segmenter: int = 0  # version of the segmenter that made the items (ingest/segment.py)
    # The extraction the document was segmented from, kept so that `finsam resegment` can run a
    # later segmenter without the file. Stored with the document; loaded only on request.
    extraction: Extraction | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ItemContext:
    """An item with the document facts a result list needs."""

    item: Item
    doc_id: str
    source: str
    doc_kind: str
    forbund: str | None
    meeting_date: str | None
    organ: str | None


@dataclass(frozen=True, slots=True)
class Filters:
    forbund: tuple[str, ...] = ()
    date_from: str | None = None  # inclusive ISO date
    date_to: str | None = None  # inclusive ISO date
    kinds: tuple[str, ...] = ()
    decisions_only: bool = False

    @property
    def active(self) -> bool:
        return bool(
            self.forbund or self.date_from or self.date_to or self.kinds or self.decisions_only
        )


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved item. Retrievers fill score and matched terms; fusion re-ranks."""

    item_id: str
    score: float
    retriever: str  # "lexical", "dense", "concept" (index.glosses), "hybrid"
    matched: tuple[str, ...] = ()  # surface words that matched (lexical)
    passage: int = 0  # best passage window of the item
    parts: tuple[tuple[str, float], ...] = field(default=())  # per-retriever scores


@dataclass(frozen=True, slots=True)
class Failure:
    """A file that could not be ingested, with the reason shown to the user."""

    path: str
    reason: str
    kind: str  # "unreadable", "needs_ocr", "empty", "too_large", "timeout", "error", "internal"


@dataclass(frozen=True, slots=True)
class IngestReport:
    documents_added: int = 0
    documents_unchanged: int = 0
    documents_replaced: int = 0
    items: int = 0
    failures: tuple[Failure, ...] = ()
    skipped: tuple[Failure, ...] = ()  # links not followed: not read, and said so
    warnings: tuple[tuple[str, tuple[QualityWarning, ...]], ...] = ()  # (path, warnings) stored


@dataclass(frozen=True, slots=True)
class ResegmentReport:
    """What `finsam resegment` did: documents redone, their items before and after, how many
    item ids were kept (same label), and the documents that could not be redone (kept as were)."""

    documents: int = 0
    items_before: int = 0
    items_after: int = 0
    ids_kept: int = 0
    from_text: int = 0  # documents stored before extractions were kept: redone from their text
    failures: tuple[Failure, ...] = ()
    warnings: tuple[tuple[str, tuple[QualityWarning, ...]], ...] = ()  # (path, warnings)


@dataclass(frozen=True, slots=True)
class Result:
    """A ranked hit with its item, document facts and a highlighted snippet."""

    rank: int
    hit: Hit
    context: ItemContext
    snippet: str


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every item a query matches, best first (not a top k): the result set a page of
    results, facet counts and an export are cut from."""

    hits: tuple[Hit, ...]
    with_words: int  # how many of them hold query words (the rest are near in meaning)
    # The concepts the query explains in other words, whose terms were searched too
    # (index.glosses: "attestordning" for "who may approve invoices").
    concepts: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.hits)


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """The facts of an item that results are counted and sorted by."""

    item_id: str
    forbund: str | None
    meeting_date: str | None  # or the end of the document's date window
    doc_kind: str
    stances: tuple[str, ...]  # distinct stances of its decision clauses


@dataclass(frozen=True, slots=True)
class Judgement:
    """A graded relevant item of an evaluation query: (source file, label, grade 1-3).
    label is "§ N", "punkt N", "sektion:<keyword>" or "rubrik:<a section's label>"."""

    source: str
    label: str
    grade: int


@dataclass(frozen=True, slots=True)
class EvalQuery:
    """A graded query. lang ("sv" | "en"), kind (keyword, paraphrase, question, one-word,
    act-status, …), split ("tune" | "report") and origin (who wrote it: layouts-gold, own,
    tune-extra, …) are "" where the query file does not say."""

    qid: str
    text: str
    relevant: tuple[Judgement, ...]
    lang: str = ""
    kind: str = ""
    split: str = ""
    origin: str = ""


@dataclass(frozen=True, slots=True)
class QueryScore:
    """One query's scores in one mode (rr: reciprocal rank of the first relevant item)."""

    qid: str
    lang: str
    kind: str
    split: str
    ndcg10: float
    recall20: float
    rr: float
    origin: str = ""  # who wrote the query (EvalQuery.origin)


@dataclass(frozen=True, slots=True)
class EvalScore:
    mode: str
    ndcg10: float
    recall20: float
    mrr: float
    per_query: tuple[tuple[str, float, float], ...] = ()  # (query id, nDCG@10, Recall@20)
    queries: tuple[QueryScore, ...] = ()


@dataclass(frozen=True, slots=True)
class SegScore:
    """One document's segmentation against its gold (`finsam eval-segmentation`), or the sum
    over documents. Counts, so that sums stay exact; the rates are properties (None: nothing
    to judge). See ingest/seg_eval.py for how items, titles and clauses are matched."""

    source: str
    items_tp: int = 0
    items_fp: int = 0  # predicted items not in the gold (stray: furniture, chrome, splits)
    items_fn: int = 0
    titles_right: int = 0  # over gold items: a missed item has no right title
    titles_total: int = 0
    clauses_tp: int = 0
    clauses_fp: int = 0
    clauses_fn: int = 0
    proposals_right: int = 0
    proposals_total: int = 0
    meta_right: int = 0  # kind, förbund, date, chair, secretary
    meta_total: int = 0
    meta: tuple[tuple[str, str | None, str | None], ...] = ()  # (field, gold, found)
    stray: tuple[str, ...] = ()  # "label | title" of each stray item
    differences: tuple[str, ...] = ()  # every mismatch, for reading
    missing: str | None = None  # why the document could not be evaluated

    @staticmethod
    def _f1(tp: int, fp: int, fn: int) -> float | None:
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None

    @property
    def item_f1(self) -> float | None:
        return self._f1(self.items_tp, self.items_fp, self.items_fn)

    @property
    def title_accuracy(self) -> float | None:
        return self.titles_right / self.titles_total if self.titles_total else None

    @property
    def clause_f1(self) -> float | None:
        return self._f1(self.clauses_tp, self.clauses_fp, self.clauses_fn)

    @property
    def proposal_accuracy(self) -> float | None:
        return self.proposals_right / self.proposals_total if self.proposals_total else None

    @property
    def metadata_accuracy(self) -> float | None:
        return self.meta_right / self.meta_total if self.meta_total else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What an item decided, on the two axes, and whether it decided at all (status).
    A notice's or an undecided item's proposal is kept apart in proposed_act/proposed_stance."""

    status: str  # one of STATUSES
    act: str | None = None  # one of ACTS (None unless decided)
    stance: str | None = None  # one of STANCES (None unless decided on someone else's proposal)
    amounts_kr: tuple[float, ...] = ()  # of the deciding clauses
    requested_kr: tuple[float, ...] = ()  # what was applied for, where the item says
    proposed_act: str | None = None
    proposed_stance: str | None = None


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """An item's decision on a topic: the clauses, the item-level verdict, amounts, evidence."""

    context: ItemContext
    stance: str | None
    clauses: tuple[str, ...]  # decision clauses, or the proposal for an agenda item
    amounts_kr: tuple[float, ...]
    rates: tuple[str, ...]  # "3,5 promille", "25 %"
    score: float
    evidence: tuple[str, ...] = ()  # topic terms found in the item
    act: str | None = None
    status: str = DECIDED
    proposed_act: str | None = None
    proposed_stance: str | None = None
    # kronor the item's text states beyond its decision's, as written ("1,50 kr", "12 tkr"):
    # the fee NNS proposes in the background of a decision that only "tillstyrker förslaget"
    amounts_in_item: tuple[str, ...] = ()
    # how the decision was reached (PROCEDURES: a vote, a reservation …), as the item records it
    procedures: tuple[str, ...] = ()
    # the conditions the clauses attach to the decision, as written ("under förutsättning att
    # Region X beviljar motsvarande belopp"; ingest.condition)
    conditions: tuple[str, ...] = ()


# A förbund's status in a comparison over all members (exactly one each).
COMPARE_DECIDED = "decided"  # a decision on the topic in a protocol of the period
# a decision on the topic, but not the act or stance the question asks for ("who voted
# against": a förbund that decided for)
COMPARE_DECIDED_OTHERWISE = "decided_otherwise"
COMPARE_ON_AGENDA = "on_agenda"  # on a notice's agenda / proposed, no decision in the corpus
COMPARE_NOT_FOUND = "not_found"  # documents from the period, the topic not found in them
COMPARE_NO_DOCUMENTS = "no_documents"  # no documents from the period in the corpus
COMPARE_STATUSES = (
    COMPARE_DECIDED,
    COMPARE_DECIDED_OTHERWISE,
    COMPARE_ON_AGENDA,
    COMPARE_NOT_FOUND,
    COMPARE_NO_DOCUMENTS,
)
COMPARE_STATUS_SV = {
    COMPARE_DECIDED: "beslut finns",
    COMPARE_DECIDED_OTHERWISE: "annat beslut än det frågan gäller",
    COMPARE_ON_AGENDA: "på dagordningen, inget beslut i korpusen",
    COMPARE_NOT_FOUND: "dokument finns, ämnet hittades inte",
    COMPARE_NO_DOCUMENTS: "inga dokument från perioden",
}
# Short labels of the statuses, for counts (CLI summary line, app metrics).
COMPARE_STATUS_SHORT_SV = {
    COMPARE_DECIDED: "Förbund med beslut",
    COMPARE_DECIDED_OTHERWISE: "Annat beslut",
    COMPARE_ON_AGENDA: "Bara på dagordningen",
    COMPARE_NOT_FOUND: "Dokument, ämnet saknas",
    COMPARE_NO_DOCUMENTS: "Inga dokument",
}


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One förbund's answer on a topic: its decisions, its agenda points, or why there is none."""

    forbund: str
    status: str  # one of COMPARE_STATUSES
    rows: tuple[DecisionRow, ...]  # decided rows (decided) or agenda/proposal rows (on_agenda)
    documents_in_period: int
    meetings: tuple[str, ...] = ()  # dates of the förbund's documents in the period
    period: str = ""  # e.g. "2021–2023"
    member: bool = True  # on the national list (False: a name found only in the corpus)

    @property
    def primary(self) -> DecisionRow | None:
        """The row a one-line table shows: the latest decision that takes a stance, else the
        latest decision or agenda point."""
        with_stance = [r for r in self.rows if r.stance]
        return (with_stance or list(self.rows))[-1] if self.rows else None

    @property
    def coverage(self) -> str:
        """The status in Swedish, with the evidence for a gap."""
        text = COMPARE_STATUS_SV[self.status]
        if self.status == COMPARE_ON_AGENDA and self.primary:
            ctx = self.primary.context
            return f"{text} ({ctx.source} {ctx.meeting_date or 'odaterad'})"
        if self.status == COMPARE_NOT_FOUND:
            return f"{text} ({self.documents_in_period} dokument {self.period} genomsökta)"
        if self.status == COMPARE_NO_DOCUMENTS:
            return f"{text} ({self.period})"
        return text


@dataclass(frozen=True, slots=True)
class Precedent:
    """An earlier item like a draft, with its decision."""

    row: DecisionRow
    similarity: float


@dataclass(frozen=True, slots=True)
class DoctorReport:
    ok: bool
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DamagedRecord:
    """A stored document whose records cannot be read back whole (corpus.integrity)."""

    doc_id: str
    path: str  # where it was ingested from ("" if that cannot be read either)
    reason: str
