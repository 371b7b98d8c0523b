"""BM25F for whole posting lists at once, with numpy, over any engine's postings.

Ranking needs the score of *every* matching article; scoring a term's posting list in one vector
operation, with Whoosh's formulas (its idf, average field length and byte-encoded field lengths as
the engine reports them), gives the figures Whoosh's matchers give one posting at a time. A
phrase intersects its words' documents first and decodes positions for those alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kb.engine import (
    EMPTY_FLOATS,
    EngineBuild,
    Leaf,
    PhraseLeaf,
    PrefixLeaf,
    TermLeaf,
    TermPostings,
)
from kb.params import SearchParams


@dataclass(frozen=True)
class Postings:
    """Documents (ascending numbers) and their scores for one query leaf."""

    ids: np.ndarray
    scores: np.ndarray


class LeafScorer:
    """Scores query leaves against one build with one set of parameters."""

    def __init__(self, build: EngineBuild, params: SearchParams):
        self.build = build
        self.params = params
        self.size = build.size

    def leaf(self, leaf: Leaf) -> Postings:
        """The documents ``leaf`` matches, with their scores (as an OR of its terms would)."""
        if isinstance(leaf, TermLeaf):
            return self.term(leaf.field, leaf.text, leaf.boost)
        if isinstance(leaf, PhraseLeaf):
            return self.phrase(leaf.field, leaf.words, leaf.boost)
        return self.prefix(leaf)

    def term(self, field: str, text: str, boost: float = 1.0) -> Postings:
        """BM25F of one term over all its postings (unscored fields: its frequency)."""
        found = self.build.postings(field, text)
        return Postings(found.ids, self._bm25(field, text, found.ids, found.frequencies) * boost)

    def phrase(self, field: str, words: tuple[str, ...], boost: float = 1.0) -> Postings:
        """Documents with ``words`` at consecutive positions, scored as the sum of its words'
        BM25F: candidates by intersecting the words' documents, then their positions compared
        as arrays."""
        lists = [self.build.postings(field, word, positions=True) for word in words]
        candidates = lists[0].ids
        for postings in lists[1:]:
            candidates = np.intersect1d(candidates, postings.ids, assume_unique=True)
        at = [np.searchsorted(postings.ids, candidates) for postings in lists]
        keep = _consecutive(lists, at)
        found = candidates[keep]
        scores = np.zeros(len(found))
        for word, postings, where in zip(words, lists, at, strict=True):
            scores += self._bm25(field, word, found, postings.frequencies[where[keep]])
        return Postings(found, scores * boost)

    def prefix(self, leaf: PrefixLeaf) -> Postings:
        """Every term starting with the prefix: one term scores as itself; several are a
        constant-score OR (each document gets the sum of its terms' frequencies)."""
        terms = list(self.build.expand_prefix(leaf.field, leaf.text))
        if len(terms) == 1:
            return self.term(leaf.field, terms[0], leaf.boost)
        scores = np.zeros(self.size)
        matched = np.zeros(self.size, dtype=bool)
        for term in terms:
            postings = self.build.postings(leaf.field, term)
            scores[postings.ids] += postings.frequencies
            matched[postings.ids] = True
        ids = np.flatnonzero(matched)
        return Postings(ids, scores[ids] * leaf.boost)

    def docs(self, field: str, text: str) -> np.ndarray:
        """The documents containing a term, unscored."""
        return self.build.postings(field, text).ids

    def idf(self, field: str, text: str) -> float:
        n = self.build.doc_frequency(field, text)
        if self.params.idf == "lucene":
            return math.log(1 + (self.size - n + 0.5) / (n + 0.5))
        return math.log(self.size / (n + 1)) + 1

    def _bm25(self, field: str, text: str, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """Whoosh's ``bm25()`` for documents ``ids`` with term frequencies ``tf``."""
        if not len(ids):
            return EMPTY_FLOATS
        if not self.build.scorable(field):
            return tf
        b, k1 = self.params.bm25_b, self.params.bm25_k1
        avgfl = self.build.total_length(field) / (self.size or 1) or 1
        norm = k1 * ((1 - b) + b * self.build.field_lengths(field)[ids] / avgfl)
        return self.idf(field, text) * ((tf * (k1 + 1)) / (tf + norm))


_STRIDE = np.int64(2**32)  # above any position: (candidate, position) as one integer


def _consecutive(lists: list[TermPostings], at: list[np.ndarray]) -> np.ndarray:
    """For each candidate (``lists[i].ids[at[i]]`` is the same document for every word),
    whether some position of the first word is followed by each next word, one by one."""
    count = len(at[0])
    if not count:
        return np.zeros(0, dtype=bool)
    owner, positions = _positions_of(lists[0], at[0])
    common = owner * _STRIDE + positions  # (candidate, position) where the phrase may start
    for offset, (postings, where) in enumerate(zip(lists[1:], at[1:], strict=True), 1):
        if not len(common):
            break
        owner, positions = _positions_of(postings, where)
        # Both sides hold each (candidate, position) once: no np.unique (which also imports
        # numpy.ma, ~30 ms, on a process's first phrase).
        common = np.intersect1d(common, owner * _STRIDE + (positions - offset), assume_unique=True)
    keep = np.zeros(count, dtype=bool)
    keep[(common // _STRIDE).astype(np.int64)] = True
    return keep


def _positions_of(postings: TermPostings, where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index into ``where``, position) of every position of the postings ``where`` picks."""
    assert postings.positions is not None
    counts = postings.frequencies.astype(np.int64)
    firsts = np.cumsum(counts) - counts
    picked = counts[where]
    owner = np.repeat(np.arange(len(where)), picked)
    within = np.arange(int(picked.sum())) - np.repeat(np.cumsum(picked) - picked, picked)
    return owner, postings.positions[np.repeat(firsts[where], picked) + within]
