"""Ordering matches: coverage of the query's concepts first, then BM25F with coordination.

Every concept's postings are scored once, as arrays over all documents (:mod:`kb.scoring`), so
coverage, scores and the final order of all matches are a few vector operations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from kb.query import Concept, ParsedQuery
from kb.scoring import PostingScorer, scorer_for

COMPLETE = 1 - 1e-9  # coverage at which every concept matched (float sums)
WEAK_EVIDENCE = 0.5  # a concept matched only by bigram recall or the glossary counts half
COORDINATION_POWER = 2  # partial matches: score × coverage², chosen with bench/relevance.py
# Booster terms in more than this share of the articles are skipped: no nDCG@10 change at 3
# decimals on any set for 0.5, 0.25 or 0.1 (bench/relevance.py, 600 queries), and the longest
# posting lists are never read.
BOOSTER_MAX_SHARE = 0.1
BOOSTER_ALWAYS_DF = 64  # below this many articles a posting list is cheap: always scored


@dataclass(frozen=True)
class Ranking:
    """All matches, best first, as parallel arrays of docnums, scores and coverage."""

    docnums: np.ndarray
    scores: np.ndarray
    coverage: np.ndarray

    @classmethod
    def from_list(cls, ranked: list[tuple[int, float, float]]) -> Ranking:
        """A ranking from (docnum, score, coverage) triples already in order."""
        columns = np.array(ranked, dtype=np.float64).reshape(-1, 3)
        return cls(columns[:, 0].astype(np.int64), columns[:, 1], columns[:, 2])

    @property
    def total(self) -> int:
        return len(self.docnums)

    def page(self, first: int, last: int) -> list[tuple[int, float, float]]:
        """(docnum, score, coverage) of the matches ranked ``first`` to ``last - 1``."""
        part = slice(first, last)
        rows = zip(self.docnums[part], self.scores[part], self.coverage[part], strict=True)
        return [(int(d), float(s), float(c)) for d, s, c in rows]

    @property
    def ranked(self) -> list[tuple[int, float, float]]:
        return self.page(0, self.total)


def rank(searcher: Searcher, parsed: ParsedQuery) -> Ranking:
    """Every match, best first.

    Coverage is the idf-weighted share of the query's concepts an article matches, on its best
    language side, so a rare word counts for more than a common one. Articles matching every
    concept in the reader's own words come first, then those complete only through weaker
    evidence (bigram recall, glossary terms); partial matches follow, by BM25F times a strong
    coordination factor (coverage², weak evidence counted at half).
    """
    scorer = scorer_for(searcher)
    scores = np.zeros(scorer.size)
    covered, direct = _coverage(scorer, parsed, scores)
    matched = np.flatnonzero(covered > 0)
    if parsed.booster is not None:  # adds score to matches, never matches
        _add_leaf_scores(scorer, _informative(scorer, parsed.booster), scores)
    covered, direct, scores = covered[matched], direct[matched], scores[matched]
    tier = np.where(direct > COMPLETE, 0, np.where(covered > COMPLETE, 1, 2))
    effective = direct + WEAK_EVIDENCE * (covered - direct)
    order = np.lexsort((matched, -scores * effective**COORDINATION_POWER, tier))
    return Ranking(matched[order], scores[order], covered[order])


def _coverage(
    scorer: PostingScorer, parsed: ParsedQuery, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per document: coverage by any evidence and by the reader's own words, idf-weighted, on
    its best language side; BM25F of every concept is summed into ``scores`` on the way."""
    best_covered = np.zeros(scorer.size)
    best_direct = np.zeros(scorer.size)
    total_docs = scorer.searcher.doc_count()
    for concepts in parsed.concepts.values():
        covered = np.zeros(scorer.size)
        direct = np.zeros(scorer.size)
        total = 0.0
        for concept in concepts:
            found, hits = _concept_hits(scorer, concept, scores)
            weight = _idf(total_docs, int(np.count_nonzero(hits)))
            total += weight
            direct[found] += weight
            covered[hits] += weight
        if total:
            covered /= total
            direct /= total
            better = (covered > best_covered) | ((covered == best_covered) & (direct > best_direct))
            best_covered = np.where(better, covered, best_covered)
            best_direct = np.where(better, direct, best_direct)
    return best_covered, best_direct


def _concept_hits(
    scorer: PostingScorer, concept: Concept, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(matched directly, matched by any evidence) as boolean masks; scores added on the way."""
    found = _add_scores(scorer, concept.direct, scores)
    hits = found.copy()
    for weak in concept.weak:
        hits |= _add_scores(scorer, weak, scores)
    return found, hits


def _informative(scorer: PostingScorer, booster: wq.Query) -> list[wq.Query]:
    """The booster's terms found in at most BOOSTER_MAX_SHARE of the articles: a bigram most
    articles have (무엇, 되는) tells little about any, and has the longest posting lists."""
    searcher = scorer.searcher
    limit = max(BOOSTER_MAX_SHARE * searcher.doc_count(), BOOSTER_ALWAYS_DF)
    leaves = _leaves(booster)
    return [q for q in leaves if searcher.doc_frequency(q.fieldname, q.text) <= limit]


def _add_scores(scorer: PostingScorer, query: wq.Query, scores: np.ndarray) -> np.ndarray:
    """Add ``query``'s score for each document it matches to ``scores`` (as an OR of its leaves
    would score); return the mask of those documents."""
    return _add_leaf_scores(scorer, _leaves(query), scores)


def _add_leaf_scores(
    scorer: PostingScorer, leaves: list[wq.Query], scores: np.ndarray
) -> np.ndarray:
    """Add each leaf's scores to ``scores``; return the mask of the documents matched."""
    matched = np.zeros(scorer.size, dtype=bool)
    for leaf in leaves:
        postings = scorer.leaf(leaf)
        scores[postings.ids] += postings.scores  # ids are unique within one leaf
        matched[postings.ids] = True
    return matched


def _leaves(query: wq.Query) -> list[wq.Query]:
    """The terms and phrases under ``query``'s ORs, boosts multiplied down to them."""
    if isinstance(query, wq.Or):
        return [
            leaf.with_boost(leaf.boost * query.boost)
            for sub in query.subqueries
            for leaf in _leaves(sub)
        ]
    return [query]


def _idf(total_docs: int, matching: int) -> float:
    """BM25's idf: how much matching this concept tells about an article."""
    return math.log(1 + (total_docs - matching + 0.5) / (matching + 0.5))
