"""The text embedded for an item: title, decisions and body, split into overlapping windows.

Pure functions: `passages(item)` gives the window texts, `passage_id(item_id, window)` the
stable FAISS id of one window, `fingerprint(texts)` a hash that changes when the texts do (so
only changed items are embedded again). `decision_text(item)` is the title and decision
clauses alone (the text of the second dense view measured in scripts/eval_search.py).

Every window starts with the item's title, then the body, then the decision clauses (and
proposals) the body does not state. An item longer than one window has its decision clauses (or,
for an agenda point, the proposed decision) right after the title instead, so the parts people
ask about ("beviljade", "avslås", "bordläggs") are in the window that names the item however long
the body is. (Putting the clauses first in every item, repeated where the body states them,
was measured and dropped: it pulled paraphrase and English queries down, see README.) Changing what passages() produces changes `PASSAGES_VERSION`, which is part of
`passage_settings`, recorded in the index manifest: the next index update compares every item's
passages with what was embedded and embeds again those that changed (old and new passages are
never mixed in one index).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

from corpus.model import Item

# Bump when passages() changes what it produces: every item is then embedded again.
PASSAGES_VERSION = 2
_SPACE = re.compile(r"\s+")
_INT63 = (1 << 63) - 1
# The title prefix of a window takes at most this share of the window, so a window always
# carries body text even under an absurdly long heading.
_MAX_HEAD_SHARE = 4


def _norm(text: str) -> str:
    """NFC and single spaces: the canonical form of everything embedded and fingerprinted."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _head(item: Item) -> str:
    """Title line of every window: the item title (or label), behind the attachment heading."""
    title = _norm(item.title) or _norm(item.label)
    attachment = _norm(item.attachment or "")
    if attachment and attachment.casefold() not in title.casefold():
        return f"{attachment}: {title}" if title else attachment
    return title


def _gist(item: Item) -> str:
    """The decision clauses, or the proposed decision of an agenda point: "Beslut: …"."""
    decisions = [d for d in (_norm(x) for x in item.decisions) if d]
    if decisions:
        return "Beslut: " + " ".join(decisions)
    proposals = [p for p in (_norm(x) for x in item.proposals) if p]
    return "Förslag till beslut: " + " ".join(proposals) if proposals else ""


def decision_text(item: Item) -> str:
    """Title and decision clauses (or proposals) alone; "" for an item without them."""
    gist = _gist(item)
    return f"{_head(item)}. {gist}" if gist else ""


def _contained(clause: str, body_folded: str) -> bool:
    return bool(clause) and clause.casefold().rstrip(".") in body_folded


def _content_words(item: Item, room: int) -> list[str]:
    """Body words, then the decisions and proposals the body does not already state; when that
    does not fit in one window (`room` words), the decisions (or proposals) go first instead,
    so the first window holds them however long the body is."""
    body = _norm(item.body)
    folded = body.casefold()
    decisions = [d for d in (_norm(x) for x in item.decisions) if not _contained(d, folded)]
    proposals = [p for p in (_norm(x) for x in item.proposals) if not _contained(p, folded)]
    said = "Beslut: " + " ".join(decisions) if decisions else ""
    proposed = "Förslag till beslut: " + " ".join(proposals) if proposals else ""
    words = " ".join([body, said, proposed]).split()
    gist = _gist(item)
    if len(words) <= room or not gist:
        return words
    rest = proposed if gist.startswith("Beslut: ") else ""  # proposals not in the gist
    return " ".join([gist, body, rest]).split()


def passages(item: Item, *, window_words: int = 200, overlap: int = 40) -> list[str]:
    """Window texts to embed for one item, each at most `window_words` words.

    Every window starts with the item title (and the attachment heading for attachment
    sections), so a window cut from the middle of a long item still says what it is about.
    The first window of a long item holds its decisions (see the module doc). Adjacent windows
    share `overlap` words. An item with a title or label never gives an
    empty list; an item with no text at all gives [].
    """
    if window_words < 2:
        raise ValueError(f"window_words must be at least 2, got {window_words}")
    head_words = _head(item).split()[: max(1, window_words // _MAX_HEAD_SHARE)]
    head = " ".join(head_words)
    room = window_words - len(head_words)
    words = _content_words(item, room)
    if not head and not words:
        return []
    if len(words) <= room:
        return [" ".join([*head_words, *words])] if head else [" ".join(words)]
    step = max(1, room - max(0, min(overlap, room - 1)))
    windows = []
    for start in range(0, len(words), step):
        chunk = words[start : start + room]
        windows.append(f"{head} {' '.join(chunk)}" if head else " ".join(chunk))
        if start + room >= len(words):
            break
    return windows


def passage_id(item_id: str, window: int) -> int:
    """Stable non-negative int64 FAISS id of window `window` of item `item_id`."""
    digest = hashlib.sha256(f"passage\x1f{item_id}\x1f{window}".encode()).digest()
    return int.from_bytes(digest[:8], "big") & _INT63


def passage_ids(item_id: str, n: int) -> np.ndarray:
    """Ids of the first `n` windows of an item, as int64."""
    return np.array([passage_id(item_id, w) for w in range(n)], dtype=np.int64)


def fingerprint(texts: list[str]) -> str:
    """Hash of an item's passage texts (order matters); equal texts give equal fingerprints."""
    h = hashlib.sha256()
    for text in texts:
        data = text.encode()
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:32]


def passage_settings(window_words: int, overlap: int) -> str:
    """What, besides an item's text, decides its passages (recorded in the index manifest)."""
    return f"passages v{PASSAGES_VERSION}: {window_words} words, overlap {overlap}"
