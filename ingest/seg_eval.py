"""Segmentation quality against a gold file: items, titles, decision clauses, metadata.

The gold is in the format of shared/eval/seed-segmentation.json (and layouts/gold.json):
``documents`` keyed by source file name, each with kind, forbund, date, chair, secretary and
``items`` [{n, label?, title, decisions?, proposal?}] or ``sections`` [heading, …].

How things are matched (the same rules for every document):

- **Items.** A gold item labelled "§ N", "punkt N" or "ärende N" matches the predicted item of
  the same kind with number N (a gold item without a label, as in the seed file, matches any
  numbered item N). A section ("sektion:…" label, or an entry of ``sections``) matches a
  predicted item whose title is the same text or starts with it (the gold gives a section by
  the first words of its heading). Predicted items left over are *stray*
  (furniture, chrome, a heading split off): they are the false positives of item F1. Sections
  of attachments are not judged when the gold lists ``attachments``. Where a kallelse's gold
  lists only some of its ``agenda_items`` points, that many unlisted numbered points are
  neither stray nor missed; points beyond (or short of) the count are.
- **Text equality** (titles, clauses). Both sides are normalised: NFKC, soft hyphens and
  zero-width characters dropped, quotes and dashes unified, a leading bullet, dash or list
  number ("1.", "a)") dropped, hyphens between word characters dropped with the spaces around
  them (so a line broken at "tilläggs-⏎äskande" equals "tilläggsäskande"), whitespace
  collapsed, a trailing . , ; : dropped, case folded (so "Att"/"att" agree). Then the digits
  of both must be the same string (an amount or a year is never "nearly right"), and the rest
  may differ by an edit distance of at most 2 % of the longer text, rounded down (shorter than
  50 characters: exact), which absorbs a ligature or a lost space but not a lost or extra word
  of a normal clause, a clause split in two, or a running header glued to a clause.
- **Titles**: over gold items; a missed item has no right title.
- **Decision clauses**: per matched item, each gold clause pairs with at most one predicted
  clause that is the same text (greedy in document order). Clauses of missed items are
  missed; clauses of stray items are false. A kallelse's points must have no decisions (their
  proposals are not decisions); a protokoll item without ``decisions`` in the gold is not
  judged.
- **Proposals** (kallelse points, "i enlighet med förslaget"): right when a predicted proposal
  of the item contains the gold proposal (both normalised).
- **Metadata**: kind, förbund, meeting date, chair, secretary, each where the gold states it;
  a gold null must be found null (never invented). Organ, adjuster and the number of deciding
  members (members and serving substitutes) are shown, not scored.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corpus.errors import CorpusError
from corpus.model import (
    ARENDE,
    BESLUTANDE,
    KALLELSE,
    PARAGRAF,
    PUNKT,
    SEKTION,
    TJANSTGORANDE_ERSATTARE,
    Document,
    Item,
    SegScore,
)
from ingest.edits import edits_within

log = logging.getLogger(__name__)

SCORED_FIELDS = ("kind", "forbund", "date", "chair", "secretary")
SHOWN_FIELDS = ("organ", "adjuster", "deciding_members")
LABEL_KINDS = {"§": PARAGRAF, "punkt": PUNKT, "ärende": ARENDE}
TOLERANCE = 0.02  # share of the longer text that may differ (digits never)

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\ufeff"))
_UNIFY = str.maketrans({c: '"' for c in "”“„«»″"} | {c: "'" for c in "’‘‚′"}) | str.maketrans(
    {c: "-" for c in "‐‑‒–—―−"}
)
_LEAD = re.compile(r"^\s*(?:[-•·▪◦*►✓]\s*|\(?\d{1,2}[.)]\s+|\(?[a-zåäö]\)\s+)")
_HYPHEN = re.compile(r"(?<=\w)\s*-\s*(?=\w)")
_TRAIL = re.compile(r"[\s.,;:]+$")


def canonical(text: str) -> str:
    """The normalised form texts are compared in (see the module doc)."""
    t = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_UNIFY)
    t = _LEAD.sub("", t, count=1)
    t = _HYPHEN.sub("", t)
    t = " ".join(t.split())
    return _TRAIL.sub("", t).casefold()


def same_text(found: str, gold: str) -> bool:
    """Found and gold are the same text up to layout noise (see the module doc)."""
    a, b = canonical(found), canonical(gold)
    if a == b:
        return True
    if re.sub(r"\D", "", a) != re.sub(r"\D", "", b):
        return False
    return edits_within(a, b, int(TOLERANCE * max(len(a), len(b)))) is not None


def _heads(found: str, gold: str) -> bool:
    """A gold section (its heading's first words, by the gold's convention) heads found."""
    a, b = canonical(found), canonical(gold)
    return same_text(found, gold) or (a.startswith(b) and a[len(b) : len(b) + 1] in (" ", ":"))


@dataclass(frozen=True, slots=True)
class _GoldItem:
    label: str  # "§ 47", "punkt 3", "sektion:Avslutning" (for messages)
    kind: str | None  # PARAGRAF, PUNKT, ARENDE, SEKTION, or None: any numbered kind
    number: int | None
    title: str
    decisions: tuple[str, ...] | None  # None: not judged
    proposal: str | None


def _gold_items(source: str, doc: Mapping[str, Any]) -> list[_GoldItem]:
    items = []
    kallelse = doc.get("kind") == KALLELSE
    for it in doc.get("items", []):
        label = str(it.get("label") or "")
        decisions = it.get("decisions")
        if decisions is None and kallelse:
            decisions = []
        judged = tuple(str(c) for c in decisions) if decisions is not None else None
        if label.startswith("sektion:"):
            items.append(_GoldItem(label, SEKTION, None, str(it["title"]), judged, None))
            continue
        word = label.split()[0].casefold() if label.split() else ""
        kind = LABEL_KINDS.get(word)
        if label and kind is None:
            raise CorpusError(f"{source}: unknown label {label!r} in the gold")
        n = int(it["n"])
        proposal = it.get("proposal")
        items.append(
            _GoldItem(label or f"nr {n}", kind, n, str(it["title"]), judged, proposal or None)
        )
    for heading in doc.get("sections", []):
        items.append(_GoldItem(f"sektion:{heading}", SEKTION, None, str(heading), None, None))
    return items


def load_gold(path: Path) -> dict[str, dict[str, Any]]:
    """The gold documents by source file name; a clear one-line error for a bad file."""
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
        docs = raw["documents"]
        if not isinstance(docs, dict):
            raise TypeError("'documents' is not an object")
        for source, doc in docs.items():
            _gold_items(source, doc)
    except CorpusError as e:
        raise CorpusError(f"{path}: {e}") from e
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise CorpusError(f"{path}: not a segmentation gold file ({type(e).__name__}: {e})") from e
    return docs


def _label(it: Item) -> str:
    return it.label if it.title == it.label else f"{it.label} | {_clip(it.title, 60)}"


def _clip(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _match_items(
    gold: Sequence[_GoldItem], found: Sequence[Item], diffs: list[str]
) -> dict[int, Item]:
    """Gold item index -> matched predicted item (each predicted item used once)."""
    used: set[int] = set()
    out: dict[int, Item] = {}
    for gi, g in enumerate(gold):
        if g.kind == SEKTION:
            hit = next(
                (i for i, it in enumerate(found) if i not in used and _heads(it.title, g.title)),
                None,
            )
        else:
            same_n = [
                i
                for i, it in enumerate(found)
                if i not in used and it.kind != SEKTION and it.number == g.number
            ]
            hit = next((i for i in same_n if g.kind is None or found[i].kind == g.kind), None)
            if hit is None and same_n:
                diffs.append(f"{g.label}: found only as {found[same_n[0]].label!r}")
        if hit is None:
            diffs.append(f"{g.label}: missing ({_clip(g.title, 60)})")
        else:
            used.add(hit)
            out[gi] = found[hit]
    return out


def _match_clauses(found: Sequence[str], gold: Sequence[str]) -> tuple[int, list[str], list[str]]:
    """(matched, gold clauses missed, found clauses extra)."""
    used: set[int] = set()
    missed = []
    for g in gold:
        hit = next((i for i, f in enumerate(found) if i not in used and same_text(f, g)), None)
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
    extra = [f for i, f in enumerate(found) if i not in used]
    return len(gold) - len(missed), missed, extra


def _meta_value(doc: Document, field: str) -> str | None:
    if field == "deciding_members":
        deciding = _deciding(doc)
        return str(deciding) if deciding else None
    m = doc.meeting
    value = {
        "kind": doc.kind,
        "forbund": m.forbund,
        "date": m.date,
        "chair": m.chair,
        "secretary": m.secretary,
        "organ": m.organ,
        "adjuster": "; ".join(m.adjusters) or None,
    }[field]
    return " ".join(value.split()) if value else None


def _deciding(doc: Document) -> int:
    """How many take part in the decisions: members and serving substitutes."""
    return sum(
        1 for p in doc.meeting.participants if p.role in (BESLUTANDE, TJANSTGORANDE_ERSATTARE)
    )


def _meta_ok(field: str, want: object, got: str | None) -> bool:
    if want is not None and not isinstance(want, str):  # a count: deciding_members
        want = str(want)
    if field == "adjuster" and want and got:
        return want in got.split("; ")
    return (" ".join(want.split()) if want else None) == got


def score_document(source: str, gold: Mapping[str, Any], doc: Document) -> SegScore:
    """Score one segmented document against its gold (pure; see the module doc)."""
    gitems = _gold_items(source, gold)
    diffs: list[str] = []
    found = [it for it in doc.items if not (gold.get("attachments") is not None and it.attachment)]
    matched = _match_items(gitems, found, diffs)
    matched_ids = {id(it) for it in matched.values()}
    leftover = [it for it in found if id(it) not in matched_ids]
    listed = sum(1 for g in gitems if g.kind != SEKTION)
    allowance = max(0, int(gold.get("agenda_items") or 0) - listed)
    numbered = [it for it in leftover if it.kind != SEKTION and it.number is not None]
    unjudged = {id(it) for it in numbered[:allowance]}
    stray = [it for it in leftover if id(it) not in unjudged]
    items_fn = len(gitems) - len(matched) + (allowance - len(unjudged))

    titles = clauses_tp = clauses_fp = clauses_fn = props = props_total = 0
    for gi, g in enumerate(gitems):
        it = matched.get(gi)
        if it is not None and (same_text if g.kind != SEKTION else _heads)(it.title, g.title):
            titles += 1
        elif it is not None:
            diffs.append(f"{g.label} title: {_clip(it.title)!r} (gold {_clip(g.title)!r})")
        if g.proposal is not None:
            props_total += 1
            want = canonical(g.proposal)
            if it is not None and any(want in canonical(p) for p in it.proposals):
                props += 1
            else:
                diffs.append(f"{g.label} proposal missing: {_clip(g.proposal)!r}")
        if g.decisions is None:
            continue
        ok, missed, extra = _match_clauses(it.decisions if it else (), g.decisions)
        clauses_tp += ok
        clauses_fn += len(missed)
        clauses_fp += len(extra)
        diffs += [f"{g.label} clause missing: {_clip(c)!r}" for c in missed]
        diffs += [f"{g.label} clause extra: {_clip(c)!r}" for c in extra]
    for it in stray:
        clauses_fp += len(it.decisions)

    meta: list[tuple[str, str | None, str | None]] = []
    meta_right = meta_total = 0
    for field in SCORED_FIELDS + SHOWN_FIELDS:
        if field not in gold:
            continue
        want, got = gold[field], _meta_value(doc, field)
        meta.append((field, want, got))
        ok = _meta_ok(field, want, got)
        if field in SCORED_FIELDS:
            meta_total += 1
            meta_right += ok
        if not ok:
            note = "" if field in SCORED_FIELDS else " (not scored)"
            diffs.append(f"{field}: {got!r} (gold {want!r}){note}")
    return SegScore(
        source=source,
        items_tp=len(matched),
        items_fp=len(stray),
        items_fn=items_fn,
        titles_right=titles,
        titles_total=len(gitems),
        clauses_tp=clauses_tp,
        clauses_fp=clauses_fp,
        clauses_fn=clauses_fn,
        proposals_right=props,
        proposals_total=props_total,
        meta_right=meta_right,
        meta_total=meta_total,
        meta=tuple(meta),
        stray=tuple(_label(it) for it in stray),
        differences=tuple(diffs),
    )


def evaluate(
    gold: Mapping[str, Mapping[str, Any]], found: Mapping[str, Document | str]
) -> list[SegScore]:
    """Score every gold document; found maps a source name to its Document or to the reason
    it is not there (a gold document absent from found is reported as not in the corpus)."""
    scores = []
    for source in sorted(gold):
        doc = found.get(source, "not in the corpus")
        if isinstance(doc, str):
            scores.append(SegScore(source=source, missing=doc))
        else:
            scores.append(score_document(source, gold[source], doc))
    return scores


def total(scores: Iterable[SegScore]) -> SegScore:
    """The sum over the evaluated documents (micro-averaged rates)."""
    present = [s for s in scores if s.missing is None]
    counts = {
        name: sum(getattr(s, name) for s in present)
        for name in SegScore.__dataclass_fields__
        if isinstance(getattr(SegScore("x"), name), int)
    }
    out = SegScore("overall", stray=tuple(f"{s.source}: {x}" for s in present for x in s.stray))
    return replace(out, **counts)


def documents_from_store(store: Any, sources: Iterable[str]) -> dict[str, Document | str]:
    """Each source's document in the corpus, or why it is not there."""
    failed = {Path(f.path).name: f.reason for f in store.failures()}
    out: dict[str, Document | str] = {}
    for source in sources:
        docs = [d for d in map(store.get_document, store.find_documents(source)) if d]
        docs = [d for d in docs if d.source == source]
        if docs:
            if len(docs) > 1:
                log.warning("%d documents named %s; evaluating %s", len(docs), source, docs[0].path)
            out[source] = docs[0]
        else:
            reason = failed.get(source)
            out[source] = f"ingest failed: {reason}" if reason else "not in the corpus"
    return out


def documents_from_files(
    files: Iterable[Path],
    sources: Iterable[str],
    process: Callable[[Path], Document | Any],
) -> dict[str, Document | str]:
    """Each source segmented now from the given files by process (nothing is stored)."""
    by_name = {f.name: f for f in files}
    out: dict[str, Document | str] = {}
    for source in sources:
        path = by_name.get(source)
        if path is None:
            out[source] = "not among the files given"
            continue
        result = process(path)
        out[source] = result if isinstance(result, Document) else f"failed: {result.reason}"
    return out
