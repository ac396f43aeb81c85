"""Per-document quality warnings: what a document lacks, or what could not be read. Pure.

    assess(document, extraction) -> tuple[QualityWarning, ...]

The vocabulary lives here, in one place: each warning has a stable code (for scripts and
exports) and a Swedish message for the user. Warnings describe the stored document; nothing is
guessed to fill a gap. The extraction facts (pages cut by the page limit, scanned pages not
read) come from the readers (corpus.model.Extraction); garbled text is judged from the pages as
extracted, before cleaning removes the marks of unreadable glyphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.model import (
    KALLELSE,
    PROTOKOLL,
    SEKTION,
    Document,
    Extraction,
    Item,
    QualityWarning,
)
from index.analyze import STOPWORDS_EN, STOPWORDS_SV, words
from ingest.bounds import Cut
from ingest.ocr import LOW_CONFIDENCE

# code -> Swedish message template (str.format fields are filled in by assess).
VOCABULARY: dict[str, str] = {
    "pages_cut": (
        "Bara de första {kept} av filens {total} sidor lästes (sidgränsen); "
        "resten av dokumentet finns inte i korpusen."
    ),
    "scanned_pages": "Inskannade sidor utan text lästes inte (kräver OCR): {pages}.",
    "ocr_pages": (
        "{pages} lästes med OCR (skannade, säkerhet i snitt {conf} %): enstaka ord kan vara "
        "fellästa."
    ),
    "ocr_low_confidence": (
        "OCR läste {pages} med låg säkerhet ({conf} %): texten kan innehålla fel och punkter "
        "eller beslut kan saknas."
    ),
    "garbled_text": "Texten ser förvanskad ut ({reason}); sökning och tolkning kan bli fel.",
    "english_text": (
        "Texten är på engelska: beslut, belopp och ställningstaganden tolkas bara på svenska och "
        "kan saknas."
    ),
    "no_items": "Inga punkter (§, ärenden eller avsnitt) hittades i dokumentet.",
    "no_numbered_items": (
        "Inga numrerade punkter (§ eller punkt) hittades i {kind}; texten delades i avsnitt "
        "efter rubriker i stället."
    ),
    "no_decisions": "Inga beslut kunde läsas ut ur protokollets {n} paragrafer.",
    "untitled_items": "{n} av {total} punkter saknar rubrik: {labels}.",
    "no_date": "Inget mötesdatum hittades i texten{window}.",
    "no_forbund": "Inget samordningsförbund kunde identifieras i texten.",
    "item_cut": (
        "Punkten {item} är {total} tecken lång; bara de första {kept} tecknen är sparade och "
        "sökbara (gränsen per punkt är {limit} tecken)."
    ),
}
CODES = tuple(VOCABULARY)
NUMBERED_KINDS = {PROTOKOLL: "protokollet", KALLELSE: "kallelsen"}  # kinds that number items

# Garbled text: shares of the extracted text past which it reads as unreadable.
MIN_CHARS = 200  # shorter texts are not judged on their shares
CID = re.compile(r"\(cid:\d+\)")  # a glyph the PDF's font gives no Unicode for
MAX_CID_SHARE = 0.02  # of the glyphs (unmapped glyphs + visible characters)
MAX_REPLACEMENT_SHARE = 0.005  # U+FFFD, bytes a decoder could not read
MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|â€")  # UTF-8 read as Latin-1 / cp1252: "Ã¥", "â€“"
MAX_MOJIBAKE_SHARE = 0.002
MIN_LETTER_SHARE = 0.4  # of the visible characters
MIN_WORDS = 60  # fewer words are not judged on their stopword share
MIN_STOPWORD_SHARE = 0.04  # Swedish prose has 25-40 % function words ("och", "att", "i" …)
LIST_SHOWN = 5


def _listing(values: Sequence[str]) -> str:
    shown = ", ".join(values[:LIST_SHOWN])
    return shown + (f" med flera ({len(values)} totalt)" if len(values) > LIST_SHOWN else "")


def _warning(code: str, **fields: object) -> QualityWarning:
    return QualityWarning(code, VOCABULARY[code].format(**fields))


def cut_warnings(cuts: Sequence[Cut]) -> tuple[QualityWarning, ...]:
    """One warning per item cut by the size bound (ingest.bounds)."""

    def n(x: int) -> str:
        return f"{x:,}".replace(",", " ")

    return tuple(
        _warning("item_cut", item=c.item, total=n(c.total), kept=n(c.kept), limit=n(c.limit))
        for c in cuts
    )


def _ocr(extraction: Extraction) -> list[QualityWarning]:
    """Which pages were read by OCR, with their confidence; the poorly read ones apart."""
    read = [(p.number, p.ocr_confidence) for p in extraction.pages if p.ocr_confidence is not None]
    if not read:
        return []
    mean = round(sum(c for _, c in read) / len(read))
    phrase = _pages_phrase([n for n, _ in read])
    out = [_warning("ocr_pages", pages=phrase[0].upper() + phrase[1:], conf=mean)]
    low = [(n, c) for n, c in read if c < LOW_CONFIDENCE]
    if low:
        conf = ", ".join(f"{c:.0f}" for _, c in low)
        out.append(
            _warning("ocr_low_confidence", pages=_pages_phrase([n for n, _ in low]), conf=conf)
        )
    return out


def _pages_phrase(numbers: Sequence[int]) -> str:
    if len(numbers) == 1:
        return f"sida {numbers[0]}"
    return "sidorna " + _listing([str(n) for n in numbers])


def garbled_reason(text: str) -> str | None:
    """Why a text reads as garbled (Swedish, for the user), or None when it reads as text."""
    cids = len(CID.findall(text))
    rest = CID.sub("", text)
    visible = [ch for ch in rest if not ch.isspace()]
    glyphs = len(visible) + cids
    if glyphs < MIN_CHARS:
        return None
    if cids > MAX_CID_SHARE * glyphs:
        return "tecken som PDF:ens typsnitt inte kan översätta till text (cid-koder)"
    if rest.count("\ufffd") > MAX_REPLACEMENT_SHARE * glyphs:
        return "tecken som inte kunde avkodas (�)"
    if len(MOJIBAKE.findall(rest)) > MAX_MOJIBAKE_SHARE * glyphs:
        return "fel teckenkodning, t.ex. Ã¥ i stället för å"
    if sum(ch.isalpha() for ch in visible) < MIN_LETTER_SHARE * len(visible):
        return "mest andra tecken än bokstäver"
    tokens = _tokens(rest)
    if (
        len(tokens) >= MIN_WORDS
        and _share(tokens, STOPWORDS_SV) < MIN_STOPWORD_SHARE
        and not _english(tokens)
    ):
        return "nästan inga svenska ord"
    return None


def _tokens(text: str) -> list[str]:
    return [w for w in words(text) if not w.isdigit()]


def _share(tokens: Sequence[str], stopwords: frozenset[str]) -> float:
    return sum(w in stopwords for w in tokens) / len(tokens)


def is_english(text: str) -> bool:
    """Whether a text is English prose (NNS minutes, an English summary): more English
    function words than Swedish ones, and as many as prose has."""
    return _english(_tokens(text))


def _english(tokens: Sequence[str]) -> bool:
    if len(tokens) < MIN_WORDS:
        return False
    en, sv = _share(tokens, STOPWORDS_EN), _share(tokens, STOPWORDS_SV)
    return en >= MIN_STOPWORD_SHARE and en > sv


def _untitled(items: Sequence[Item]) -> list[str]:
    return [it.label for it in items if not it.title.strip()]


def _structure(doc: Document) -> list[QualityWarning]:
    """Warnings about the items: none, none numbered where the kind has numbers, untitled,
    a protocol without a single decision."""
    if not doc.items:
        return [_warning("no_items")]
    out = []
    numbered = [it for it in doc.items if it.kind != SEKTION]
    if doc.kind in NUMBERED_KINDS and not numbered:
        out.append(_warning("no_numbered_items", kind=NUMBERED_KINDS[doc.kind]))
    if untitled := _untitled(doc.items):
        out.append(
            _warning(
                "untitled_items", n=len(untitled), total=len(doc.items), labels=_listing(untitled)
            )
        )
    if doc.kind == PROTOKOLL and numbered and not any(it.decisions for it in numbered):
        out.append(_warning("no_decisions", n=len(numbered)))
    return out


def assess(doc: Document, extraction: Extraction | None = None) -> tuple[QualityWarning, ...]:
    """The warnings of a segmented document and the extraction it came from (see module doc)."""
    out: list[QualityWarning] = []
    if extraction is not None:
        if extraction.pages_cut:
            out.append(
                _warning("pages_cut", kept=len(extraction.pages), total=extraction.pages_in_file)
            )
        if extraction.image_pages:
            out.append(_warning("scanned_pages", pages=_pages_phrase(extraction.image_pages)))
        out += _ocr(extraction)
        reason = garbled_reason("\n".join(p.text for p in extraction.pages))
    else:
        reason = garbled_reason(doc.text)
    if reason:
        out.append(_warning("garbled_text", reason=reason))
    elif is_english(doc.text):
        out.append(_warning("english_text"))
    out += _structure(doc)
    m = doc.meeting
    if m.date is None:
        window = (
            f" (någon gång mellan {m.date_window[0]} och {m.date_window[1]})"
            if m.date_window
            else ""
        )
        out.append(_warning("no_date", window=window))
    if m.forbund is None:
        out.append(_warning("no_forbund"))
    return tuple(out)
