"""An update of the lexical index: the previous version plus new items, minus gone ones, equal
to a build from scratch (the same terms, the same BM25 scores to the bit) at a fraction of
its cost.

A build learns the compound lexicon from the words of the whole corpus, analyses every
distinct word (compound splitting is most of a build's time) and scores every (item, term)
pair. An update keeps what the previous version saved beside its matrix (tokens, each word's
terms and what decided them, each posting's tf) and:

1. reads only the new items, and updates the lexicon's counts by the words whose counts
   changed (those of the new and of the gone items);
2. analyses again only the words whose terms can have changed: new words; words holding, as a
   substring, a part that became known or unknown (a split only ever looks up substrings of
   its word, and a stem is a prefix of its surface); and words whose split was decided
   between splits of equally many parts by the count of a part whose count changed
   (``compounds.split(…, ties)`` records those parts);
3. posts the new items, and again any old item holding a word whose terms changed, merges
   those postings into the previous term-major ones (no sort of the whole), and scores all
   postings again (the document lengths' mean and the idf change with every item).

A term no posting uses any more is dropped and the term ids renumbered, as a build would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from corpus.errors import IndexStale
from index.analyze import STOPWORDS, Analyzer, stem
from index.compounds import (
    MIN_PART,
    Lexicon,
    builtin_lexicon,
    stem_of_part,
    surface_of_part,
)
from index.lexical import TF, Bm25Params, LexicalIndex, _postings
from index.tokens import Tokens
from index.word_analysis import WordAnalysis

log = logging.getLogger(__name__)


State = tuple[LexicalIndex, Tokens, WordAnalysis, np.ndarray]


def load_state(folder: Path, params: Bm25Params) -> State | None:
    """What an update starts from: the version's index, tokens, word analysis and tfs; None
    when the version lacks any of them or they do not fit together (then build from scratch)."""
    try:
        prev = LexicalIndex.load(folder)
    except IndexStale:
        return None
    tokens = LexicalIndex.saved_tokens(folder, params)
    if tokens is None or tuple(tokens.item_ids) != prev.item_ids or prev.params != params:
        return None
    analysis = WordAnalysis.load(folder, dict(prev._vocab), len(tokens.words))
    try:
        tf = np.load(folder / TF)
    except (OSError, ValueError):
        return None
    if analysis is None or len(tf) != len(prev._indices):
        return None
    return prev, tokens, analysis, np.asarray(tf)


def update(
    folder: Path,
    docs: Iterable[tuple[str, str, str]],
    gone: set[str],
    params: Bm25Params,
) -> LexicalIndex | None:
    """The index of the version in `folder` with the items `docs` (item_id, title, text) added
    and the items `gone` removed; None when that version lacks what an update needs."""
    state = load_state(folder, params)
    return None if state is None else apply(state, docs, gone)


def update_to(
    folder: Path,
    current: set[str],
    read: Callable[[list[str]], Iterable[tuple[str, str, str]]],
    params: Bm25Params,
) -> LexicalIndex | None:
    """The index of the corpus whose item ids are `current`, from the version in `folder`:
    `read` gives the texts of the items it lacks. None when the version cannot be updated."""
    state = load_state(folder, params)
    if state is None:
        return None
    known = set(state[0].item_ids)
    log.info(
        "lexical index: %d items kept, %d new, %d gone",
        len(known & current),
        len(current - known),
        len(known - current),
    )
    return apply(state, read(sorted(current - known)), known - current)


def apply(state: State, docs: Iterable[tuple[str, str, str]], gone: set[str]) -> LexicalIndex:
    prev, tokens, analysis, tf = state
    new_tokens = Tokens.read(docs, prev.params.title_weight, base=tokens.without(gone))
    return _updated(prev, tokens, analysis, tf, new_tokens, gone)


def _updated(
    prev: LexicalIndex,
    tokens: Tokens,
    analysis: WordAnalysis,
    tf: np.ndarray,
    new_tokens: Tokens,
    gone: set[str],
) -> LexicalIndex:
    words = new_tokens.words
    old_index = {w: i for i, w in enumerate(tokens.words)}
    old_id = np.fromiter((old_index.get(w, -1) for w in words), np.int64, len(words))
    old_counts, new_counts = tokens.counts(), new_tokens.counts()
    was = np.where(old_id >= 0, old_counts[np.maximum(old_id, 0)], 0)
    dropped = np.ones(len(tokens.words), dtype=bool)
    dropped[old_id[old_id >= 0]] = False
    changed = {
        words[i]: (int(was[i]), int(new_counts[i])) for i in np.flatnonzero(was != new_counts)
    }
    changed.update({tokens.words[i]: (int(old_counts[i]), 0) for i in np.flatnonzero(dropped)})
    lexicon, known_changed, counts_changed = _lexicon(prev.lexicon, changed)

    # The words to analyse again.
    todo = set(np.flatnonzero(old_id < 0).tolist())
    todo |= _containing(words, known_changed)
    if counts_changed:
        position = {w: i for i, w in enumerate(words)} if analysis.ties else {}
        for w, tied in analysis.ties.items():
            if w in position and not counts_changed.isdisjoint(tied):
                todo.add(position[w])
    vocab = dict(analysis.vocab)
    fresh = WordAnalysis.of([words[i] for i in sorted(todo)], Analyzer(lexicon), vocab)
    merged, differs = _merge_analysis(analysis, old_id, sorted(todo), fresh, words)

    # The items to post: the new ones and those holding a word whose terms changed.
    before = set(prev.item_ids)
    is_new = np.fromiter((i not in before for i in new_tokens.item_ids), bool, len(new_tokens))
    repost = is_new.copy()
    if differs:
        at = np.flatnonzero(np.isin(new_tokens.ids, np.array(sorted(differs), dtype=np.int32)))
        repost[np.searchsorted(new_tokens.offsets, at, side="right") - 1] = True
    kept_prev = np.fromiter((i not in gone for i in prev.item_ids), bool, len(prev))
    to_new = np.full(len(prev), -1, dtype=np.int64)  # an old row's row now (-1: not kept)
    to_new[np.flatnonzero(kept_prev)] = np.flatnonzero(~is_new)  # both in item-key order
    to_new[(to_new >= 0) & repost[np.maximum(to_new, 0)]] = -1  # posted again below

    # Old postings that stay (still term-major, rows renumbered in the same order) ...
    df_prev = np.diff(prev._indptr)
    term_old = np.repeat(np.arange(len(df_prev), dtype=np.int64), df_prev)
    row_old = to_new[np.asarray(prev._indices)]
    keep = row_old >= 0
    term_old, row_old, tf_old = term_old[keep], row_old[keep], tf[keep]
    # ... and those of the items posted now, merged in by (term, row).
    rows = np.flatnonzero(repost)
    doc, term_new, tf_new = _postings(
        new_tokens._select(rows), merged.offsets, merged.terms, merged.tf(), len(vocab)
    )
    row_new = rows[doc]
    n = len(new_tokens)
    key_new = term_new.astype(np.int64) * n + row_new
    order = np.argsort(key_new, kind="stable")
    at = np.searchsorted(term_old * n + row_old, key_new[order])
    term = np.insert(term_old, at, term_new[order].astype(np.int64))
    row = np.insert(row_old, at, row_new[order]).astype(np.int32)
    tf_all = np.insert(tf_old, at, tf_new[order]).astype(np.float32)
    df = np.bincount(term, minlength=len(vocab))
    merged = _without_empty_terms(merged, df)
    indptr = np.zeros(len(merged.vocab) + 1, dtype=np.int64)
    np.cumsum(df[df > 0], out=indptr[1:])
    log.info(
        "lexical update: %d items posted (%d new), %d of %d words analysed again (%d new)",
        len(rows),
        int(is_new.sum()),
        len(todo),
        len(words),
        int((old_id < 0).sum()),
    )
    return LexicalIndex.from_postings(new_tokens, merged, lexicon, prev.params, tf_all, row, indptr)


def _without_empty_terms(analysis: WordAnalysis, df: np.ndarray) -> WordAnalysis:
    """The analysis with the terms no posting uses any more dropped and the others renumbered
    in order (no word still in the corpus has them: each word occurs in some item)."""
    used = df > 0
    if used.all():
        return analysis
    new_id = np.cumsum(used) - 1
    vocab = {t: int(new_id[i]) for t, i in analysis.vocab.items() if used[i]}
    terms = new_id[analysis.terms].astype(np.int32)
    return WordAnalysis(vocab, analysis.offsets, terms, analysis.parts, analysis.ties)


def _lexicon(
    lex: Lexicon, changed: dict[str, tuple[int, int]]
) -> tuple[Lexicon, set[str], set[str]]:
    """The lexicon `learn_lexicon` would learn from the new counts, given the old one and the
    words whose standalone counts changed (old, new). Also returns the parts that became known
    or unknown, and the stems whose counts changed."""
    builtin = builtin_lexicon(stem)
    surfaces = set(lex.surfaces)
    stems = dict(lex.stems)
    known_changed: set[str] = set()
    counts_changed: set[str] = set()
    for w, (old, new) in changed.items():
        if w in STOPWORDS or not surface_of_part(w):
            continue
        if old == 0 and w not in surfaces:
            surfaces.add(w)
            known_changed.add(w)
        elif new == 0 and w not in builtin.surfaces:
            surfaces.discard(w)
            known_changed.add(w)
        s = stem(w)
        if not stem_of_part(s):
            continue
        counts_changed.add(s)
        total = stems.get(s, 0) + new - old
        if total > 0:
            if s not in stems:
                known_changed.add(s)
            stems[s] = total
        else:
            stems.pop(s, None)
            known_changed.add(s)
    return Lexicon(frozenset(surfaces), stems, lex.atomic), known_changed, counts_changed


_BASE = 0x100000001B3  # odd, so invertible modulo 2**64
_MASK = (1 << 64) - 1
_LONG = 8  # keys this long or longer are found by their first _LONG characters, then checked
_FILTER_BITS = 20
_FILTER = np.uint64((1 << _FILTER_BITS) - 1)


def _containing(words: list[str], keys: set[str]) -> set[int]:
    """Indices of the words that hold any of `keys` as a substring. Keys shorter than
    MIN_PART are never looked up as parts (compounds._known) and are skipped. Vectorised:
    a polynomial hash of every window of each key length (from one prefix sum), looked up
    among the keys' hashes, each hit checked in full."""
    keys = {k for k in keys if len(k) >= MIN_PART}
    if not keys or not words:
        return set()
    text = "\n".join(words)
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps)
    inverse = pow(_BASE, -1, 1 << 64)
    up = np.cumprod(np.full(n, _BASE, dtype=np.uint64))  # B**(i+1)
    down = np.cumprod(np.full(n, inverse, dtype=np.uint64))  # B**-(i+1)
    power = np.concatenate([np.ones(1, np.uint64), up[:-1]])  # B**i
    weight = np.concatenate([np.ones(1, np.uint64), down[:-1]])  # B**-i
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(cps * weight, out=prefix[1:])
    hits: list[int] = []
    for length in range(MIN_PART, _LONG + 1):
        # keys of this length, or (at _LONG) the keys at least that long, by their beginning
        group: dict[str, list[str]] = {}
        for k in keys:
            if len(k) == length or (length == _LONG and len(k) > _LONG):
                group.setdefault(k[:length], []).append(k)
        if not group or length > n:
            continue
        wanted = np.array(sorted({_hash(k, inverse) for k in group}), dtype=np.uint64)
        windows = (prefix[length:] - prefix[:-length]) * power[: n - length + 1]
        present = np.zeros(1 << _FILTER_BITS, dtype=bool)
        present[(wanted & _FILTER).astype(np.intp)] = True
        maybe = np.flatnonzero(present[(windows & _FILTER).astype(np.intp)])
        at = np.minimum(np.searchsorted(wanted, windows[maybe]), len(wanted) - 1)
        for i in maybe[wanted[at] == windows[maybe]].tolist():
            found = group.get(text[i : i + length], ())
            if any(text.startswith(k, i) for k in found):
                hits.append(i)
    if not hits:
        return set()
    starts = np.zeros(len(words), dtype=np.int64)
    np.cumsum([len(w) + 1 for w in words[:-1]], out=starts[1:])
    return set(np.unique(np.searchsorted(starts, np.array(hits), side="right") - 1).tolist())


def _hash(key: str, inverse: int) -> int:
    """Sum of code point * B**-t over the key's characters, modulo 2**64 (as the windows)."""
    h, w = 0, 1
    for ch in key:
        h = (h + ord(ch) * w) & _MASK
        w = (w * inverse) & _MASK
    return h


def _merge_analysis(
    old: WordAnalysis,
    old_id: np.ndarray,
    todo: list[int],
    fresh: WordAnalysis,
    words: list[str],
) -> tuple[WordAnalysis, set[int]]:
    """The analysis of every word: the old one where kept, the fresh one for `todo` (in that
    order). Returns it and the words (new ids) whose terms differ from what they had."""
    n = len(words)
    old_len = np.diff(old.offsets)
    lengths = np.where(old_id >= 0, old_len[np.maximum(old_id, 0)], 0)
    redo = np.array(todo, dtype=np.int64)
    lengths[redo] = np.diff(fresh.offsets)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # where each output position comes from: old arrays, or the fresh ones placed after them
    source = np.repeat(np.where(old_id >= 0, old.offsets[np.maximum(old_id, 0)], 0), lengths)
    fresh_start = np.zeros(n, dtype=np.int64)
    fresh_start[redo] = len(old.terms) + fresh.offsets[:-1]
    is_fresh = np.zeros(n, dtype=bool)
    is_fresh[redo] = True
    source = np.where(np.repeat(is_fresh, lengths), np.repeat(fresh_start, lengths), source)
    source += np.arange(offsets[-1]) - np.repeat(offsets[:-1], lengths)
    terms = np.concatenate([old.terms, fresh.terms])[source].astype(np.int32)
    parts = np.concatenate([old.parts, fresh.parts])[source]
    ties = {w: t for w, t in old.ties.items()}
    differs: set[int] = set()
    for j, i in enumerate(todo):
        w = words[i]
        ties.pop(w, None)
        if w in fresh.ties:
            ties[w] = fresh.ties[w]
        if old_id[i] >= 0 and old.of_word(int(old_id[i])) != fresh.of_word(j):
            differs.add(i)
    present = set(words)
    ties = {w: t for w, t in ties.items() if w in present}
    return WordAnalysis(fresh.vocab, offsets, terms, parts, ties), differs
