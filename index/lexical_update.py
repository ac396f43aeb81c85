"""An update of the lexical index: the previous version plus new items, minus gone ones,
answering as a build from scratch would (the same lexicon, terms, BM25 scores to the bit and
rankings) at a small fraction of its cost.

A build learns the compound lexicon from the words of the whole corpus, analyses every
distinct word (compound splitting is most of a build's time) and posts every (item, term)
pair. An update keeps what the previous version saved (index/lexical.py: the postings in a
base and a delta segment, scored only at query time; each row's tokens, index/tokens.py; each
word's terms and what decided them, index/word_analysis.py) and:

1. reads only the new items, and updates the lexicon's counts by the words whose counts
   changed (those of the new and of the gone items);
2. analyses again only the words whose terms can have changed: new words; words holding, as a
   substring, a part that became known or unknown (a split only ever looks up substrings of
   its word, and a stem is a prefix of its surface); and words whose split was decided
   between splits of equally many parts by the count of a part whose count changed
   (``compounds.split(…, ties)`` records those parts);
3. marks dead the rows of gone items and of items holding a word whose terms changed, posts
   the new items and those again in new rows of the delta segment, and updates the document
   frequencies by the dead and the new postings. The base segment's files are not touched
   (the next version links them). When the delta segment or the dead rows outgrow
   COMPACT_SHARE of the base, the live rows are posted again into one new base segment.

A term no live posting uses any more keeps its id with a document frequency of 0, and is not
searchable, as if a build had never seen it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.errors import IndexStale
from index.analyze import STOPWORDS, Analyzer, stem
from index.analyze import words as split_words
from index.compounds import (
    MIN_PART,
    Lexicon,
    builtin_lexicon,
    stem_of_part,
    surface_of_part,
)
from index.lexical import Bm25Params, LexicalIndex, Rows
from index.postings import postings_of
from index.tokens import RowTokens, Tokens, _word_ids
from index.word_analysis import WordAnalysis

log = logging.getLogger(__name__)

COMPACT_SHARE = 0.25  # delta postings or dead rows beyond this share of the base: compact


@dataclass
class State:
    index: LexicalIndex
    tokens: RowTokens
    analysis: WordAnalysis


def load_state(folder: Path, params: Bm25Params) -> State | None:
    """What an update starts from: the version's index, tokens and word analysis; None when
    the version lacks any of them or they do not fit together (then build from scratch)."""
    try:
        prev = LexicalIndex.load(folder, params)
    except IndexStale:
        return None
    tokens = RowTokens.load(folder, len(prev.rows))
    if tokens is None:
        return None
    analysis = WordAnalysis.load(folder, dict(prev.all_terms), len(tokens.words))
    if analysis is None:
        return None
    return State(prev, tokens, analysis)


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
    known = set(state.index.item_ids)
    log.info(
        "lexical index: %d items kept, %d new, %d gone",
        len(known & current),
        len(current - known),
        len(known - current),
    )
    return apply(state, read(sorted(current - known)), known - current)


def apply(state: State, docs: Iterable[tuple[str, str, str]], gone: set[str]) -> LexicalIndex:
    """The index of `state` with the items `docs` added and `gone` removed. Raises ValueError
    on an item id that occurs twice."""
    prev, tokens = state.index, state.tokens
    rows = prev.rows
    live = rows.live.tolist()
    live_row = {i: r for r, i in enumerate(rows.item_ids) if live[r]}
    words = list(tokens.words)
    ids = {w: i for i, w in enumerate(words)}
    new_ids: list[str] = []
    arrays: list[np.ndarray] = []
    title_weight = prev.params.title_weight
    for item_id, title, text in docs:
        if (item_id in live_row and item_id not in gone) or item_id in new_ids:
            raise ValueError(f"item id {item_id} occurs twice in the lexical index input")
        new_ids.append(item_id)
        head = _word_ids(split_words(title), ids, words)
        body = _word_ids(split_words(text), ids, words)
        arrays.append(np.array(head * title_weight + body, dtype=np.int32))
    gone_rows = np.array(sorted(live_row[i] for i in gone if i in live_row), dtype=np.int64)
    n_old = len(tokens.words)
    old_counts = np.zeros(len(words), dtype=np.int64)
    old_counts[:n_old] = tokens.counts
    flat = np.concatenate(arrays) if arrays else np.zeros(0, np.int32)
    gone_tokens = _tokens_at(tokens, rows, gone_rows)
    counts = (
        old_counts
        + np.bincount(flat, minlength=len(words))
        - np.bincount(gone_tokens.ids, minlength=len(words))
    )
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    added = Tokens(words, new_ids, flat, offsets)
    return _updated(state, words, old_counts, counts, added, gone_rows, gone_tokens)


def _tokens_at(tokens: RowTokens, rows: Rows, at: np.ndarray) -> Tokens:
    """The tokens of the rows `at`, named by their items."""
    return tokens.rows(at, [rows.item_ids[r] for r in at.tolist()])


def _updated(
    state: State,
    words: list[str],
    old_counts: np.ndarray,
    counts: np.ndarray,
    added: Tokens,
    gone_rows: np.ndarray,
    gone_tokens: Tokens,
) -> LexicalIndex:
    prev, tokens, analysis = state.index, state.tokens, state.analysis
    n_old = len(tokens.words)
    changed = {
        words[i]: (int(old_counts[i]), int(counts[i]))
        for i in np.flatnonzero(old_counts != counts).tolist()
    }
    lexicon, known_changed, counts_changed = _lexicon(prev.lexicon, changed)

    # The words to analyse again.
    todo = set(range(n_old, len(words)))
    todo |= _containing(words, known_changed)
    if counts_changed and analysis.ties:
        position = {w: i for i, w in enumerate(words)}
        for w, tied in analysis.ties.items():
            if w in position and not counts_changed.isdisjoint(tied):
                todo.add(position[w])
    vocab = dict(analysis.vocab)
    fresh = WordAnalysis.of([words[i] for i in sorted(todo)], Analyzer(lexicon), vocab)
    old_id = np.full(len(words), -1, dtype=np.int64)
    old_id[:n_old] = np.arange(n_old)
    merged, differs = _merge_analysis(analysis, old_id, sorted(todo), fresh, words)

    # Rows that die: the gone items' and those holding a word whose terms changed (posted
    # again below, after the new items).
    rows = prev.rows
    repost = np.zeros(0, dtype=np.int64)
    if differs:
        holding = tokens.holding(np.array(sorted(differs), dtype=np.int64))
        repost = holding[rows.live[holding]]
        repost = np.setdiff1d(repost, gone_rows)
    dead = np.union1d(gone_rows, repost).astype(np.int64)
    df = np.zeros(len(vocab), dtype=np.int64)
    df[: len(prev.df)] = prev.df
    again = _tokens_at(tokens, rows, repost)
    for old in (gone_tokens, again):  # the dead rows' postings, as the old analysis made them
        if len(old):
            _, term, _ = postings_of(
                old,
                analysis.offsets,
                analysis.terms,
                analysis.tf(prev.params.part_tf),
                len(analysis.vocab),
            )
            df -= np.bincount(term, minlength=len(vocab))
    posted = Tokens(
        words,
        added.item_ids + again.item_ids,
        np.concatenate([added.ids, again.ids]).astype(np.int32),
        np.concatenate([added.offsets[:-1], added.offsets[-1] + again.offsets]),
    )
    doc, term, tf = postings_of(
        posted, merged.offsets, merged.terms, merged.tf(prev.params.part_tf), len(vocab)
    )
    df += np.bincount(term, minlength=len(vocab))
    first = len(rows)
    dl = np.bincount(doc, weights=tf, minlength=len(posted))
    new_rows = rows.plus(posted.item_ids, dl, dead)
    dead_mask = ~new_rows.live
    delta = prev.delta.without_rows(dead_mask[: len(rows)]).plus(
        term, first + doc.astype(np.int64), tf, len(vocab)
    )
    row_tokens = tokens.appended(words, counts, posted)
    log.info(
        "lexical update: %d items posted (%d new), %d of %d words analysed again (%d new)",
        len(posted),
        len(added),
        len(todo),
        len(words),
        len(words) - n_old,
    )
    n_base = max(len(prev.base), 1)
    if len(delta) > COMPACT_SHARE * n_base or int(dead_mask.sum()) > COMPACT_SHARE * len(new_rows):
        live = np.flatnonzero(new_rows.live)
        order = live[np.argsort(new_rows.keys[live], kind="stable")]
        everything = _tokens_at(row_tokens, new_rows, order)
        log.info("lexical update: %d live rows posted again into one segment", len(order))
        return LexicalIndex.from_analysis(everything, merged, lexicon, prev.params)
    index = LexicalIndex(
        new_rows,
        prev.base,
        delta,
        merged.vocab,
        df,
        lexicon,
        prev.params,
        base_folder=prev.base_folder,
    )
    index.tokens, index.analysis = row_tokens, merged
    return index


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
