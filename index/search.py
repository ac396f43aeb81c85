"""The search facade: one `search(query, k, filters)` over lexical, dense or both (fused)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from corpus.errors import IndexStale
from corpus.model import Filters, Hit, Ranking, Result
from corpus.settings import Settings
from corpus.store import Store
from index import versions
from index.embed import QueryEncoder, encoder_name, load_query_encoder
from index.fuse import demote, rrf
from index.query import query_period

log = logging.getLogger(__name__)

MODES = ("hybrid", "lexical", "dense")
# Words that make a query about meeting formalities; otherwise procedural items rank lower.
PROCEDURAL_QUERY_WORDS = (
    "justera justerare justering protokolljusterare justerande dagordning föredragningslista "
    "öppnande avslutande incheckning utcheckning formalia sekreterare ordförande"
)


@dataclass(frozen=True)
class Tuning:
    """Fusion parameters, chosen on the dev and extra query sets (see README): weighted RRF
    with lexical counted three times; dense adds the paraphrases lexical cannot reach."""

    depth: int = 100  # candidates taken from each retriever
    rrf_k0: float = 40.0
    lexical_weight: float = 3.0
    dense_weight: float = 1.0
    procedural_factor: float = 0.5
    month_boost: float = 1.5  # items of meetings in a month the query names ("november 2023")
    year_boost: float = 1.2  # … in a year it names (weaker: "budget 2024" is decided in 2023)


class Searcher:
    """Loads the indexes of one corpus once and answers queries."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        encoder: QueryEncoder | None = None,
        tuning: Tuning | None = None,
    ) -> None:
        from index.build import LEXICAL_DIR
        from index.dense import DenseIndex
        from index.lexical import LexicalIndex

        self.store = store
        self.settings = settings
        self._encoder = encoder
        self.tuning = tuning or Tuning()
        model = encoder.name if encoder is not None else encoder_name(settings.model)
        self.generation = store.generation()
        for attempt in range(3):
            folder, self.manifest, self.behind = versions.open_version(
                settings.index_dir,
                fingerprint=store.fingerprint,
                model=model,
                db=settings.db,
                lock=settings.lock_path,
            )
            try:
                self.lexical = LexicalIndex.load(folder / LEXICAL_DIR)
                self.dense = DenseIndex.load(folder)
                break
            except IndexStale:
                # An update replaced this version while we loaded it: open the new one.
                if attempt == 2 or versions.current(settings.index_dir) == folder:
                    raise
        self.version = folder.name
        if self.behind:
            log.info("an index update is running: searching the last complete version %s", folder)
        self.procedural_ids = store.procedural_item_ids()

    def behind_corpus(self) -> bool:
        """Whether the corpus has changed since this index was built: true while an ingest
        updates the index (this searcher then answers from the last complete version)."""
        return self.store.fingerprint() != self.manifest.corpus_fingerprint

    @property
    def encoder(self) -> QueryEncoder:
        if self._encoder is None:
            self._encoder = load_query_encoder(self.settings.model, self.settings.cache_dir)
        return self._encoder

    @cached_property
    def _procedural_terms(self) -> frozenset[str]:
        from index.analyze import analyze

        return frozenset(analyze(PROCEDURAL_QUERY_WORDS))

    def is_procedural_query(self, query: str) -> bool:
        from index.analyze import analyze_query

        return bool(self._procedural_terms.intersection(analyze_query(query)))

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not filters.active:
            return None
        return self.store.allowed_keys(filters)

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        return self._ranked(query, k, filters, mode)[0]

    def search_all(
        self, query: str, filters: Filters | None = None, mode: str = "hybrid"
    ) -> Ranking:
        """Every item the query matches, best first, ranked as `search` ranks them: the
        fused candidates, then the other items holding query words (in BM25 order). In dense
        mode only the `depth` nearest items count as matches."""
        hits, with_words = self._ranked(query, 0, filters, mode)
        return Ranking(tuple(hits), with_words)

    def _ranked(
        self, query: str, k: int, filters: Filters | None, mode: str
    ) -> tuple[list[Hit], int]:
        """The first k hits (k=0: all matching items) and how many items hold query words."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        query = query.strip()
        if not query:
            return [], 0
        allowed = self._allowed(filters)
        if allowed is not None and len(allowed) == 0:
            return [], 0
        depth = max(k, self.tuning.depth)
        lexical: list[Hit] = []
        runs: list[list[Hit]] = []
        weights: list[float] = []
        if mode in ("hybrid", "lexical"):
            lexical = self.lexical.search(query, depth if k else len(self.lexical), allowed)
            runs.append(lexical[:depth])
            weights.append(self.tuning.lexical_weight)
        if mode in ("hybrid", "dense"):
            qvec = self.encoder.encode_queries([query])[0]
            runs.append(self.dense.search(qvec, depth, allowed))
            weights.append(self.tuning.dense_weight)
        hits = rrf(runs, k0=self.tuning.rrf_k0, weights=weights) if mode == "hybrid" else runs[0]
        if not self.is_procedural_query(query):
            hits = demote(hits, self.procedural_ids, factor=self.tuning.procedural_factor)
        period = query_period(query)
        if period is not None:
            dates = self.store.meeting_dates([h.item_id for h in hits])
            inside = {i for i, d in dates.items() if d is not None and period[0] <= d <= period[1]}
            one_year = (
                period[0][:4] == period[1][:4]
                and period[0][5:] == "01-01"
                and (period[1][5:] == "12-31")
            )
            boost = self.tuning.year_boost if one_year else self.tuning.month_boost
            hits = demote(hits, inside, factor=boost)
        if k:
            return self._present(hits, k), len(lexical)
        fused = {h.item_id for h in hits}
        every = hits + [h for h in lexical if h.item_id not in fused]
        hits = self._present(every, max(1, len(every)))
        present = {h.item_id for h in hits}
        return hits, sum(1 for h in lexical if h.item_id in present)

    def _present(self, hits: list[Hit], k: int) -> list[Hit]:
        """The first k hits whose items the corpus still holds: an index behind the corpus, or
        an ingest since it was loaded, may name items of replaced documents."""
        if not self.behind and self.store.generation() == self.generation:
            return hits[:k]
        out: list[Hit] = []
        for start in range(0, len(hits), 2 * k):
            chunk = hits[start : start + 2 * k]
            present = self.store.present_item_ids([h.item_id for h in chunk])
            out += [h for h in chunk if h.item_id in present]
            if len(out) >= k:
                break
        return out[:k]

    def results(self, query: str, hits: list[Hit]) -> list[Result]:
        """Hits with their items, document facts and highlighted snippets."""
        from index.analyze import analyze_query
        from index.snippet import snippet

        terms = analyze_query(query)
        contexts = {c.item.item_id: c for c in self.store.item_contexts([h.item_id for h in hits])}
        out: list[Result] = []
        for hit in hits:
            ctx = contexts.get(hit.item_id)
            if ctx is None:
                continue
            item = ctx.item
            text = "\n".join([item.body, *item.decisions, *item.proposals]) or item.title
            out.append(Result(len(out) + 1, hit, ctx, snippet(text, terms)))
        return out

    def query(
        self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Result]:
        return self.results(query, self.search(query, k, filters, mode))
