"""Search parameters as data: one frozen dataclass passed down from the caller to ranking.

The values were chosen with the relevance benchmark (docs/relevance.md); the benchmark's
variants are ``replace(DEFAULTS, …)``, so nothing is patched to try another value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb.analysis.hangul import HANGUL_RUN

if TYPE_CHECKING:
    from kb.embedding import Fusion


@dataclass(frozen=True)
class FieldWeights:
    """Relative weights of an article's fields in BM25F: title and tags say most about what it
    is about (2 measured about as good as 4, and better where titles are weak)."""

    title: float = 2.0
    tags: float = 2.0
    summary: float = 1.5
    body: float = 1.0
    #: Side effects and precautions (kb.asides): an article that lists a symptom among them
    #: matches it, but below one that treats it.
    aside: float = 0.25

    def items(self) -> Iterator[tuple[str, float]]:
        yield from (("title", self.title), ("tags", self.tags), ("summary", self.summary),
                    ("body", self.body), ("aside", self.aside))  # fmt: skip


@dataclass(frozen=True)
class SearchParams:
    """Every tuning knob of ranking: lexical, and its fusion with meaning."""

    field_weights: FieldWeights = field(default_factory=FieldWeights)
    #: A long Korean word matched through its anchored Hangul bigrams (weak evidence).
    bigram_recall_boost: float = 0.3
    #: Score-only Hangul bigrams of the whole query (they never make a match).
    bigram_score_boost: float = 0.3
    #: Score-only Latin words in their exact, unstemmed form.
    exact_score_boost: float = 0.5
    #: A compound typed as one word (``두통약``) matched through all of its parts (weak evidence).
    compound_part_boost: float = 0.3
    #: ... only when the whole compound is in at most this many articles (0: never in the index).
    compound_max_df: int = 2
    #: ... or in at most this share of the articles saying all of its parts (0: never).
    compound_max_share: float = 0.5
    #: A two-syllable Korean word found only at the start of a longer word (``머리`` in
    #: ``머리카락``), as weak evidence where another of the query's words matched (0: never).
    compound_head_boost: float = 0.3
    #: A glossary term is weaker evidence than the reader's own word.
    glossary_boost: float = 0.5
    #: A concept matched only by recall fallbacks or the glossary counts this much of a match.
    weak_evidence: float = 0.5
    #: Whether a word found only in an article's side effects and precautions (kb.asides)
    #: makes a complete match as the rest of the article does; False (measured: no set lost)
    #: counts it as weak evidence, like a glossary term, so `medicine for nausea` is a complete
    #: match for what treats nausea and half of one for what causes it.
    asides_complete: bool = False
    #: A query asking which medicines have a side effect (kb.intent) asks it of a word when at
    #: least this share of the articles that say the word list it among their side effects:
    #: headache 7 of 11 and a cough 2 of 3 do; a kind of medicine (antidepressant, 1 of 4, in
    #: "with antidepressants"), children (4 of 13) and the liver (3 of 10) do not.
    side_effect_share: float = 1 / 3
    #: A query asking which medicines are bad for something (kb.intent) asks it of a word when
    #: at least this share of the articles that say the word warn about it (kb.asides:
    #: pregnancy, 6 of 18; the liver, 5 of 10); a word that few or none warn about (food) is
    #: matched wherever an article says it.
    warning_share: float = 0.2
    #: A word said by more than this share of the articles (부작용, `uses`, `medicine` on a site
    #: of medicines) does not say which one is meant: beside a word said by fewer, an article
    #: that matches only such words is no match (`가바펜틴 부작용`: gabapentin and pregabalin,
    #: not every article's side effects; 간 of `간 수치`, in 14 of 20, still counts).
    ubiquitous_share: float = 0.8
    #: A query naming a need for whom (kb.intent: `임신 중 두통약`) lists the articles that serve
    #: the need without warning against it for them before those that warn, if they score at
    #: least this share of the first that warns: a cough medicine naming painkillers among its
    #: ingredients (`임산부 진통제`), or an antibiotic saying colds are not for it, stays below.
    unwarned_share: float = 0.5
    #: Whether a query word weighs in coverage as its commonest reading on any language side
    #: (else: as common as on each side, so a word the other language says rarely, or only
    #: through the glossary, weighs more there than in the reader's own).
    idf_across_sides: bool = True
    #: Partial matches rank by BM25F × coverage ** this.
    coverage_power: float = 2
    #: Score-only terms in more than this share of the articles are skipped: no nDCG@10 change
    #: at 3 decimals on any set for 0.5, 0.25 or 0.1, and the longest posting lists go unread.
    booster_max_share: float = 0.1
    #: Below this many articles a posting list is cheap: always scored.
    booster_always_df: int = 64
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    #: ``whoosh``: log(N / (df + 1)) + 1 (a common word is still worth 1); ``lucene``:
    #: log(1 + (N - df + 0.5) / (df + 0.5)).
    idf: str = "whoosh"
    #: Below this many results, a typo correction that finds more is offered.
    few_results: int = 3
    #: When the query finds ``few_results`` or more, a Hangul word no article has is searched
    #: as the nearest word an article has if Kiwi reads the query at least this many nats
    #: likelier so (e⁸ ≈ 3,000 times; at 5, foreign names written in Hangul became Korean
    #: words) and it matches as much (kb.corrections.likelier_spelling; inf: never).
    korean_typo_min_gain: float = 8.0
    #: When the query finds fewer than ``few_results`` by its words, a mistyped vowel in an
    #: inflected Korean word (kb.corrections.slipped_vowel_reading) is searched as the word it
    #: makes if that is an article's and Kiwi reads the query this many nats likelier: nothing
    #: is pushed aside, and over 176 such typos of symptoms none was respelled wrongly at 3
    #: (5 more right than at 8), nor any of 82 real words (docs/relevance.md).
    korean_slip_min_gain: float = 3.0
    #: Hybrid search: the share of meaning (passage vectors) in the fused score, the rest
    #: being the lexical ranking's; None: the one tuned for the build's encoder
    #: (:class:`kb.embedding.Fusion`, tuned on held-out queries, docs/relevance.md).
    semantic_weight: float | None = None
    #: ... for a query written in Hangul (the Korean runs measured best with less meaning than
    #: the English ones).
    semantic_weight_korean: float | None = None
    #: In fusion, a lexical match's strength is BM25F × coverage ** this (relative to the best):
    #: lower lets a strong match of the query's main word beat a full match of generic ones.
    fused_coverage_power: float = 2
    #: How much meaning's share grows when the query's words are poorly covered: the share is
    #: w + this × (1 − w) × (1 − coverage of the best lexical match), so a query whose words
    #: match only in passing (another language, a stray name) is ranked mostly by meaning.
    semantic_uncovered_boost: float = 0.5
    #: The query's vector adds this much of its content words' own vector (0: the text only).
    semantic_content_weight: float = 1.0
    #: The articles closest in meaning that may join the results without matching a word...
    semantic_candidates: int = 100
    #: ... when their best passage is at least this close to the query (cosine; None: as
    #: close as the build's encoder needs, since each has its own scale).
    semantic_min_similarity: float | None = None
    #: ... and at least this much closer than the other articles' median (None: the encoder's).
    #: An encoder whose cosines are compressed puts gibberish as close to every article as a
    #: question in another language is to its answer; only the answer stands out.
    semantic_min_margin: float | None = None
    #: ... and, beside word matches, unless the reader asks about side effects or precautions,
    #: when their best passage is not among them (False): what an article warns of is what it
    #: is not for (`asthma`: zolpidem's "difficulty breathing" as a sign of allergy).
    semantic_joins_by_asides: bool = False

    def __post_init__(self) -> None:
        if self.idf not in ("whoosh", "lucene"):
            raise ValueError(f"idf must be 'whoosh' or 'lucene', not {self.idf!r}")
        for name in ("semantic_weight", "semantic_weight_korean"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")

    def meaning_weight(self, query: str, fusion: Fusion) -> float:
        """The share of meaning in ranking ``query``: the Hangul one when it has Hangul; where
        not set, the one ``fusion`` (the build's encoder) was tuned to."""
        if HANGUL_RUN.search(query):
            chosen, tuned = self.semantic_weight_korean, fusion.weight_korean
        else:
            chosen, tuned = self.semantic_weight, fusion.weight
        return tuned if chosen is None else chosen

    def min_similarity(self, fusion: Fusion) -> float:
        """How close an article must be to join by meaning alone, on ``fusion``'s scale."""
        chosen = self.semantic_min_similarity
        return fusion.min_similarity if chosen is None else chosen

    def min_margin(self, fusion: Fusion) -> float:
        """How much closer than the other articles' median one must be to join by meaning alone."""
        chosen = self.semantic_min_margin
        return fusion.min_margin if chosen is None else chosen


DEFAULTS = SearchParams()
