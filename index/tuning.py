"""The fusion and re-ranking parameters of search (`Tuning`), chosen by scripts/tune_search.py."""

from __future__ import annotations

from dataclasses import dataclass

from corpus.model import Hit
from index.fuse import NORMALISATIONS, Boosts, convex, rrf
from index.lang import EN

FUSIONS = ("rrf", *NORMALISATIONS)  # Tuning.fusion: rank fusion, or convex with a normalisation
# The lower bounds of the retrievers' scoring functions (index.fuse.normalised, "tmm"): BM25
# scores are sums of positive term scores; a dense score is a cosine of unit vectors. The third
# run, of the concepts a query explains (index.glosses), is BM25's, and so is the run of the
# words of a procedure a query asks for (ingest.procedure.WORDS).
SCORE_BOUNDS = (0.0, -1.0, 0.0, 0.0)  # (lexical, dense, concept, procedure)


@dataclass(frozen=True)
class Tuning:
    """Fusion and re-ranking parameters: weighted RRF of the lexical and dense runs (and of the
    concept run, index.glosses, when the query explains a concept), or a convex combination
    of their normalised scores (`fusion`), with weights per query language, then the factors
    of `index.fuse.rerank`. The values are what `scripts/tune_search.py` chooses on the
    tuning half of the evaluation (README, *Fusion and ranking*); a test checks they are
    points of its grid."""

    depth: int = 100  # candidates taken from each retriever
    # "rrf": reciprocal rank fusion (index.fuse.rrf) with rrf_k0 and the lexical/dense
    # weights below; or a convex combination of the runs' scores (index.fuse.convex)
    # normalised by "minmax", "tmm" (theoretical min-max) or "zscore", weighted alpha : 1 - alpha.
    fusion: str = "rrf"
    alpha: float = 0.5  # convex fusion: the lexical run's weight (Swedish queries) …
    alpha_en: float = 0.5  # … and English ones; the dense run's is 1 - alpha
    rrf_k0: float = 10.0
    lexical_weight: float = 1.5  # Swedish queries (and precedents' drafts)
    dense_weight: float = 1.0
    lexical_weight_en: float = 4.0  # English queries: the glossary's translations …
    dense_weight_en: float = 1.0  # … and the multilingual dense model
    procedural_factor: float = 0.3
    month_boost: float = 1.5  # items of meetings in a month the query names ("november 2023")
    year_boost: float = (
        1.0  # … in a year it names (tuned to none: "budget 2024" is decided in 2023)
    )
    act_boost: float = 3.0  # items whose decided act/stance is the one the query asks for
    # Items decided by the procedure the query asks for (a vote, a reservation …), found by a
    # run of the procedure's words (ingest.procedure.WORDS) fused at gloss_weight; 1: neither.
    procedure_boost: float = 3.0
    # Items whose title names only years outside the period the query names.
    other_year_factor: float = 0.3
    notice_factor: float = 0.6  # notice items when the query asks about a decision
    rerank_depth: int = 100  # fused candidates whose facts re-ranking looks up
    # The lexical weight is multiplied by coverage ** coverage_power, coverage being the share
    # of the query's words the best lexical hits hold: a paraphrase that shares one word of
    # five with its answer leans on dense retrieval.
    coverage_power: float = 2.0
    # Weight of the other terms of a query word's family (index.families: "förlängd" finds
    # "förlängning" at this times the word's weight).
    family_weight: float = 0.3
    # … and of the words of its synonym group (index/data/synonyms.json: rapport/information).
    synonym_weight: float = 1.0
    # … and of its Swedish thesaurus synonyms (index/data/thesaurus_sv.json: faktura/räkning).
    thesaurus_weight: float = 0.3
    # Items whose title holds the query's words: score times 1 + title_boost * the share of
    # the query's words (with their family, synonyms and translations) the title holds.
    title_boost: float = 0.5
    # A hybrid query that explains a concept of index/data/glosses.json in other words (a
    # share gloss_share of its content words are words of the concept's explanation) also
    # searches the concept's terms, a third run fused at gloss_weight times that share.
    gloss_weight: float = 3.0
    gloss_share: float = 0.34
    # … or whose explanation is the nearest to the query's vector, at a cosine of at least
    # concept_cosine and concept_margin above the next concept's (1: never).
    concept_cosine: float = 0.86
    concept_margin: float = 1.0

    def weights(self, lang: str) -> tuple[float, float]:
        """(lexical, dense) RRF weights for a query language."""
        if lang == EN:
            return self.lexical_weight_en, self.dense_weight_en
        return self.lexical_weight, self.dense_weight

    def fusion_weights(self, lang: str) -> tuple[float, float]:
        """(lexical, dense) weights of the chosen fusion for a query language."""
        if self.fusion == "rrf":
            return self.weights(lang)
        alpha = self.alpha_en if lang == EN else self.alpha
        return alpha, 1.0 - alpha

    def fuse(self, runs: list[list[Hit]], weights: list[float], depth: int) -> list[Hit]:
        """The runs (lexical, dense, and the concept run when a query has one) fused as
        `fusion` says; depth: hits asked of each run."""
        if self.fusion == "rrf":
            return rrf(runs, k0=self.rrf_k0, weights=weights)
        if self.fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}, got {self.fusion!r}")
        return convex(runs, weights, normalise=self.fusion, bounds=SCORE_BOUNDS, depth=depth)

    @property
    def boosts(self) -> Boosts:
        return Boosts(
            procedural=self.procedural_factor,
            month=self.month_boost,
            year=self.year_boost,
            act=self.act_boost,
            procedure=self.procedure_boost,
            notice=self.notice_factor,
            other_year=self.other_year_factor,
            title=self.title_boost,
        )
