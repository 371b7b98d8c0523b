"""Ordering matches: coverage of the query's concepts first, then BM25F with coordination.

Scores and coverage come from one walk over each query term's postings; ranking all matches
then costs a sort.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.searching import Searcher

from kb.analysis.bigrams import HANGUL_RUN
from kb.analysis.hangul import initials
from kb.query import ParsedQuery

COMPLETE = 1 - 1e-9  # coverage at which every concept matched (float sums)
WEAK_EVIDENCE = 0.5  # a concept matched only by bigram recall or the glossary counts half
COORDINATION_POWER = 2  # partial matches: score × coverage², chosen with bench/relevance.py


@dataclass(frozen=True)
class Ranking:
    """``total`` matches; ``ranked`` holds (docnum, score, coverage) for all of them, best first."""

    total: int
    ranked: list[tuple[int, float, float]] = field(default_factory=list)


def rank(searcher: Searcher, parsed: ParsedQuery) -> Ranking:
    """Every match, best first.

    Coverage is the idf-weighted share of the query's concepts an article matches, on its best
    language side, so a rare word counts for more than a common one. Articles matching every
    concept in the reader's own words come first, then those complete only through weaker
    evidence (bigram recall, glossary terms); partial matches follow, by BM25F times a strong
    coordination factor (coverage², weak evidence counted at half).
    """
    scores: Counter[int] = Counter()
    coverage = _score_concepts(searcher, parsed, scores)
    if parsed.booster is not None:
        bonus: Counter[int] = Counter()
        _score(searcher, parsed.booster, bonus)
        for docnum in coverage.keys() & bonus.keys():  # bigrams add score, never matches
            scores[docnum] += bonus[docnum]

    def order(docnum: int) -> tuple[int, float, int]:
        covered, direct = coverage[docnum]
        tier = 0 if direct > COMPLETE else 1 if covered > COMPLETE else 2
        effective = direct + WEAK_EVIDENCE * (covered - direct)
        return tier, -scores[docnum] * effective**COORDINATION_POWER, docnum

    ranked = sorted(coverage, key=order)
    return Ranking(len(ranked), [(d, scores[d], coverage[d][0]) for d in ranked])


def _score_concepts(
    searcher: Searcher, parsed: ParsedQuery, scores: Counter[int]
) -> dict[int, tuple[float, float]]:
    """One pass over the postings of every concept: BM25F scores summed into ``scores`` (as the
    OR of all concepts would), and docnum → (coverage by any evidence, coverage by the reader's
    own words), idf-weighted, returned for every matching article."""
    best: dict[int, tuple[float, float]] = {}
    total_docs = searcher.doc_count()
    for concepts in parsed.concepts.values():
        covered: Counter[int] = Counter()
        direct: Counter[int] = Counter()
        total = 0.0
        for concept in concepts:
            found = _score(searcher, concept.direct, scores)
            hits = found.union(*(_score(searcher, weak, scores) for weak in concept.weak))
            weight = _idf(total_docs, len(hits))
            total += weight
            direct.update(dict.fromkeys(found, weight))
            covered.update(dict.fromkeys(hits, weight))
        for docnum, weight in covered.items():
            side = (weight / total, direct[docnum] / total)
            best[docnum] = max(best.get(docnum, side), side)
    return best


def _score(searcher: Searcher, query: wq.Query, scores: Counter[int]) -> set[int]:
    """Add ``query``'s score for each document it matches to ``scores``; return those documents.

    Each leaf (term or phrase) is walked on its own: Whoosh's nested OR matchers cost far more
    per document in Python than the sums they compute.
    """
    matched: set[int] = set()
    context = searcher.context()
    for leaf in _leaves(query):
        matcher = leaf.matcher(searcher, context)
        while matcher.is_active():
            docnum = matcher.id()
            scores[docnum] += matcher.score()
            matched.add(docnum)
            matcher.next()
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


def initials_matches(searcher: Searcher, text: str) -> Ranking:
    """Articles with a title or tag word whose 초성 start with ``text``; titles that start with
    them first, then titles containing such a word, then tags."""
    key = "".join(text.split())
    found = searcher.search(wq.Prefix("initials", key), limit=None)

    def place(docnum: int) -> tuple[int, str]:
        ko = searcher.stored_fields(docnum)["doc"].get("ko", {})
        title = ko.get("title", "")
        words = [initials(w) for w in HANGUL_RUN.findall(title)]
        if "".join(words).startswith(key):
            return 0, title
        return (1 if any(w.startswith(key) for w in words) else 2), title

    ordered = sorted((hit.docnum for hit in found), key=place)
    return Ranking(len(ordered), [(docnum, 1.0, 1.0) for docnum in ordered])


def _idf(total_docs: int, matching: int) -> float:
    """BM25's idf: how much matching this concept tells about an article."""
    return math.log(1 + (total_docs - matching + 0.5) / (matching + 0.5))
