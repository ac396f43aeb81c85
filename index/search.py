"""The search facade: one `search(query, k, filters)` over lexical, dense or both (fused)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import numpy as np

from corpus.errors import IndexStale
from corpus.model import KALLELSE, Filters, Hit, Ranking, Result
from corpus.settings import Settings
from corpus.store import Store
from index import versions
from index.embed import QueryEncoder, encoder_name, load_query_encoder
from index.fuse import Candidate, Intent, rerank
from index.pools import pool
from index.query import names_period, title_years, understand
from index.tuning import Tuning

if TYPE_CHECKING:
    from index.analyze import Analyzer, QueryTerm
    from index.glosses import ConceptVectors, Recognised
    from index.lexical import LexicalIndex

log = logging.getLogger(__name__)

ENCODE_POOL = "finsam-encode"  # the threads a hybrid search embeds its query in (pools.pool)
TITLES_KEPT = 20_000  # titles whose index terms a searcher remembers (Searcher._title_terms)


MODES = ("hybrid", "lexical", "dense")
# Words that make a query about meeting formalities; otherwise procedural items rank lower.
PROCEDURAL_QUERY_WORDS = (
    "justera justerare justering protokolljusterare justerande dagordning föredragningslista "
    "öppnande avslutande incheckning utcheckning formalia sekreterare ordförande"
)


_MATTER = re.compile(r"\s(?:av|för|till|om|och|i|vid|på|of|for)\s", re.I)


def is_furniture(title: str) -> bool:
    """Whether an item's title is page furniture, which never ranks: a sign-off (signatures,
    the posting notice ANSLAG/BEVIS, a web page's download link), a signature footer or a page
    number line. The patterns are the ones ingest cuts such items by (ingest/furniture.py);
    this guards corpora segmented before those rules, or wordings they let through."""
    from ingest.furniture import FOOTER, PAGE_LINE, SIGNOFF, SIGNOFF_STRICT

    title = " ".join(title.split())
    if SIGNOFF_STRICT.match(title) or FOOTER.match(title) or PAGE_LINE.match(title):
        return True
    # A sign-off word opening a short title that is no heading of a matter: "Justeras",
    # "Ordförande Sekreterare", not "Justering av protokollet" or "Ordförande för 2024".
    return bool(SIGNOFF.match(title)) and len(title.split()) <= 4 and not _MATTER.search(title)


def lexical_coverage(analyzer: Analyzer, query: str, hits: list[Hit], top: int = 3) -> float:
    """The largest share of the query's words (stopwords aside) that one of the first `top`
    lexical hits holds. A word counts when the hit matched one of the whole-word terms the
    word brings to the query (what the query's terms lose without it: its stem, or the
    translations of a glossary phrase it is part of, "referred back" → återremiss); compound
    parts do not count, nor do the words of a period ("november", "2023": the period boost's
    business). 0 without hits; 1 for a query without such words."""
    from index.analyze import words
    from index.query import names_period

    def surfaces(text: str) -> set[str]:
        return {q.surface for q in analyzer.query_terms(text) if q.weight >= 1.0}

    ws = [w for w in words(query) if not names_period(w)]
    every = surfaces(" ".join(ws))
    brings = [every - surfaces(" ".join(ws[:i] + ws[i + 1 :])) for i in range(len(ws))]
    brings = [b for b in brings if b]
    if not brings:
        return 1.0
    best = 0
    for hit in hits[:top]:
        matched = set(hit.matched)
        best = max(best, sum(1 for b in brings if b & matched))
    return best / len(brings)


class Searcher:
    """Loads the indexes of one corpus once and answers queries."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        encoder: QueryEncoder | None = None,
        tuning: Tuning | None = None,
        brief: bool = False,
    ) -> None:
        """brief: the searcher answers a few queries and ends (a CLI command), so it makes
        none of the copies that pay off only over many (the dense index's 8-bit copy)."""
        from index.build import LEXICAL_DIR
        from index.dense import DenseIndex, cores
        from index.lexical import LexicalIndex

        self.store = store
        self.settings = settings
        self._encoder = encoder
        self.tuning = tuning or Tuning()
        # Whether a hybrid search embeds its query in a worker thread, overlapping the
        # lexical side (only worth it with a second core).
        self.overlap = cores() > 1
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
        self.dense.copy_8bit = not brief
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

    def understand(self, query: str) -> Intent:
        """What the query asks (language, acts, decision, formalities, period) and the index
        terms each of its words searches."""
        return self.read_query(query)[0]

    def read_query(self, query: str) -> tuple[Intent, list[QueryTerm]]:
        """What the query asks (``understand``) and the weighted index terms the lexical
        search gives it (``LexicalIndex.query_terms`` in the query's language), read once."""
        intent = understand(query, self.lexical.lexicon.surfaces, self.is_procedural_query(query))
        t = self.tuning
        terms = self.lexical.query_terms(
            query, t.family_weight, t.synonym_weight, t.thesaurus_weight, intent.lang
        )
        return replace(intent, words=query_words(terms)), terms

    def recognise(self, query: str, vector: np.ndarray | None = None) -> Recognised:
        """The concepts of index/data/glosses.json the query explains in other words, by its
        words and (given the query's vector) by the nearest explanation (index.glosses), as
        weighted index terms."""
        from index.glosses import COMMON_SHARE, query_keys, recognise

        lexical, t = self.lexical, self.tuning
        keys = query_keys(query, lexical.analyzer, lambda w: lexical.share(w) > COMMON_SHARE)
        nearest = None
        if vector is not None and t.concept_margin < 1.0:
            nearest = self._concept_vectors.nearest(vector, t.concept_cosine, t.concept_margin)
        return recognise(keys, lexical.analyzer, t.gloss_share, lexical.holds, nearest=nearest)

    @cached_property
    def _concept_vectors(self) -> ConceptVectors:
        from index.glosses import ConceptVectors

        return ConceptVectors.of(self.encoder, self.settings.cache_dir)

    def candidates(self, item_ids: list[str], procedures: bool = False) -> dict[str, Candidate]:
        """The re-ranking facts of items (index.fuse.Candidate), from the store; with
        `procedures`, how each was decided too (ingest.procedure, read from its text)."""
        from ingest.procedure import procedures as procedures_of
        from ingest.verdict import decided_act

        how = (
            {i: procedures_of(text) for i, _, text in self.store.item_texts(item_ids)}
            if procedures
            else {}
        )
        out = {}
        for item_id, title, doc_kind, forbund, date, records in self.store.rerank_rows(item_ids):
            decided = [(act, stance) for act, stance, proposed in records if not proposed]
            if doc_kind == KALLELSE:
                decided = []  # a notice proposes; it decides nothing
            out[item_id] = Candidate(
                meeting_date=date,
                doc_kind=doc_kind,
                forbund=forbund,
                act=decided_act([act for act, _ in decided]),
                stances=frozenset(stance for _, stance in decided if stance),
                furniture=is_furniture(title),
                years=title_years(title),
                title_terms=self._title_terms(title),
                procedures=how.get(item_id, frozenset()),
            )
        return out

    def _procedure_terms(self, procedures: frozenset[str]) -> list[QueryTerm]:
        """The index terms of the words protocols record the procedures with."""
        from ingest.procedure import WORDS

        text = " ".join(WORDS[p] for p in sorted(procedures))
        return [q for q in self.lexical.analyzer.query_terms(text) if self.lexical.holds(q.term)]

    def use_lexical(self, index: LexicalIndex) -> None:
        """Search with another lexical index of the same items (scripts/tune_search.py: one
        built with other BM25 parameters); the titles' terms are read with its analyzer."""
        self.lexical = index
        vars(self).pop("_title_terms", None)

    @cached_property
    def _title_terms(self) -> Callable[[str], frozenset[str]]:
        """The index terms of a title (with its compound parts), remembered: the titles of
        standing agenda items recur in every meeting. (The cache holds the analyzer, not the
        searcher: a cycle through it would keep a dropped searcher's indexes open until a
        garbage collection.)"""
        analyze = self.lexical.analyzer.analyze

        @lru_cache(maxsize=TITLES_KEPT)
        def terms(title: str) -> frozenset[str]:
            return frozenset(analyze(title))

        return terms

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not filters.active:
            return None
        return self.store.allowed_keys(filters)

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        return self._ranked(query, k, filters, mode)[0]

    def search_with_concepts(
        self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> tuple[list[Hit], tuple[str, ...]]:
        """``search``'s hits and the names of the concepts it took in (index.glosses)."""
        hits, _, concepts = self._ranked(query, k, filters, mode)
        return hits, concepts

    def search_all(
        self, query: str, filters: Filters | None = None, mode: str = "hybrid"
    ) -> Ranking:
        """Every item the query matches, best first, ranked as `search` ranks them: the
        fused candidates, then the other items holding query words (in BM25 order). In dense
        mode only the `depth` nearest items count as matches."""
        hits, with_words, concepts = self._ranked(query, 0, filters, mode)
        return Ranking(tuple(hits), with_words, concepts)

    def _ranked(
        self, query: str, k: int, filters: Filters | None, mode: str
    ) -> tuple[list[Hit], int, tuple[str, ...]]:
        """The first k hits (k=0: all matching items), how many items hold query words and
        the concepts the query was recognised to explain (index.glosses)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        query = query.strip()
        if not query:
            return [], 0, ()
        allowed = self._allowed(filters)
        if allowed is not None and len(allowed) == 0:
            return [], 0, ()
        depth = max(k, self.tuning.depth)
        dense: list[Hit] | None = None
        vector: np.ndarray | None = None
        encoding: Future[np.ndarray] | None = None
        if mode == "hybrid" and self.overlap:
            # The query is embedded (ONNX Runtime, which lets go of the GIL) in a worker
            # thread while this one reads the query, searches the lexical index and reads the
            # facts of its best hits; the dense scan follows. The encoder's threads split its
            # matrices only 1.45x, so the lexical side fills the cores they leave idle
            # (README, *Measuring*: hybrid p95 54.5 -> 47.9 ms at 100k items).
            encoding = pool(ENCODE_POOL, 4).submit(self.encoder.encode_queries, [query])
        elif mode in ("hybrid", "dense"):
            vector = self.encoder.encode_queries([query])[0]
            dense = self.dense.search(vector, depth, allowed)
        intent, terms = self.read_query(query)
        lexical: list[Hit] = []
        runs: list[list[Hit]] = []
        weights: list[float] = []
        lexical_weight, dense_weight = self.tuning.fusion_weights(intent.lang)
        if mode in ("hybrid", "lexical"):
            lexical = self.lexical.search_terms(terms, depth if k else len(self.lexical), allowed)
            runs.append(lexical[:depth])
            if self.tuning.coverage_power:
                coverage = lexical_coverage(self.lexical.analyzer, query, lexical)
                lexical_weight *= coverage**self.tuning.coverage_power
            weights.append(lexical_weight)
        known: dict[str, Candidate] = {}
        if encoding is not None:
            # While the query is embedded: the facts of the best lexical hits, most of which
            # the fused list keeps (the others are not used below).
            known = self.candidates(
                [h.item_id for h in lexical[: self.tuning.rerank_depth // 4]],
                bool(intent.procedures),
            )
            vector = encoding.result()[0]
            dense = self.dense.search(vector, depth, allowed)
        if dense is not None:
            runs.append(dense)
            weights.append(dense_weight)
        recognised: tuple[str, ...] = ()
        if mode == "hybrid" and self.tuning.gloss_weight:
            concepts = self.recognise(query, vector)
            if concepts.terms:
                found = self.lexical.search_terms(list(concepts.terms), depth, allowed)
                runs.append([replace(h, retriever="concept") for h in found])
                weights.append(self.tuning.gloss_weight * concepts.share)
                recognised = concepts.names
        if mode == "hybrid" and intent.procedures and self.tuning.procedure_boost > 1.0:
            # The items that may record the procedure asked for, by its words (ingest.procedure):
            # a vote of competing motions ("ställer förslaget mot X:s yrkande") need not say
            # "omröstning"; re-ranking then boosts those that do record it.
            found = self.lexical.search_terms(
                self._procedure_terms(intent.procedures), depth, allowed
            )
            runs.append([replace(h, retriever="procedure") for h in found])
            weights.append(self.tuning.gloss_weight)
        hits = self.tuning.fuse(runs, weights, depth) if mode == "hybrid" else runs[0]
        wanted = [h.item_id for h in hits[: max(k, self.tuning.rerank_depth)]]
        known.update(
            self.candidates([i for i in wanted if i not in known], bool(intent.procedures))
        )
        facts = {i: known[i] for i in wanted if i in known}
        hits = rerank(hits, intent, facts, self.procedural_ids, self.tuning.boosts)
        if k:
            return self._present(hits, k), len(lexical), recognised
        fused = {h.item_id for h in hits}
        every = hits + [h for h in lexical if h.item_id not in fused]
        hits = self._present(every, max(1, len(every)))
        present = {h.item_id for h in hits}
        return hits, sum(1 for h in lexical if h.item_id in present), recognised

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


def query_words(terms: list[QueryTerm]) -> tuple[frozenset[str], ...]:
    """Per word of the query that the index holds (period words aside: the period boost's
    business), the index terms the lexical search gives it: its own and its family's,
    synonyms' and (English) translations' (``Intent.words``)."""
    by_word: dict[str, set[str]] = {}
    for q in terms:
        if not names_period(q.surface):
            by_word.setdefault(q.surface, set()).add(q.term)
    whole = dict.fromkeys(q.surface for q in terms if q.weight >= 1.0)
    return tuple(frozenset(by_word[w]) for w in whole if w in by_word)
