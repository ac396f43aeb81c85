"""The text embedded for an item: title, body and decisions, split into overlapping windows.

Pure functions: `passages(item)` gives the window texts, `passage_id(item_id, window)` the
stable FAISS id of one window, `fingerprint(texts)` a hash that changes when the texts do (so
only changed items are embedded again).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

from corpus.model import Item

# Bump when passages() changes what it produces: every item is then embedded again.
PASSAGES_VERSION = 1
_SPACE = re.compile(r"\s+")
_INT63 = (1 << 63) - 1
# The title prefix of a window takes at most this share of the window, so a window always
# carries body text even under an absurdly long heading.
_MAX_HEAD_SHARE = 4


def _norm(text: str) -> str:
    """NFC and single spaces: the canonical form of everything embedded and fingerprinted."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _contained(clause: str, body_folded: str) -> bool:
    return bool(clause) and clause.casefold().rstrip(".") in body_folded


def _head(item: Item) -> str:
    """Title line of every window: the item title (or label), behind the attachment heading."""
    title = _norm(item.title) or _norm(item.label)
    attachment = _norm(item.attachment or "")
    if attachment and attachment.casefold() not in title.casefold():
        return f"{attachment}: {title}" if title else attachment
    return title


def _content_words(item: Item) -> list[str]:
    """Body words, then decisions and proposals that the body does not already state."""
    body = _norm(item.body)
    folded = body.casefold()
    parts = [body] if body else []
    decisions = [d for d in (_norm(x) for x in item.decisions) if not _contained(d, folded)]
    if decisions:
        parts.append("Beslut: " + " ".join(decisions))
    proposals = [p for p in (_norm(x) for x in item.proposals) if not _contained(p, folded)]
    if proposals:
        parts.append("Förslag till beslut: " + " ".join(proposals))
    return " ".join(parts).split()


def passages(item: Item, *, window_words: int = 200, overlap: int = 40) -> list[str]:
    """Window texts to embed for one item, each at most `window_words` words.

    Every window starts with the item title (and the attachment heading for attachment
    sections), so a window cut from the middle of a long item still says what it is about.
    Adjacent windows share `overlap` body words. An item with a title or label never gives an
    empty list; an item with no text at all gives [].
    """
    if window_words < 2:
        raise ValueError(f"window_words must be at least 2, got {window_words}")
    head_words = _head(item).split()[: max(1, window_words // _MAX_HEAD_SHARE)]
    head = " ".join(head_words)
    words = _content_words(item)
    if not head and not words:
        return []
    room = window_words - len(head_words)
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
