"""Whoosh's BM25F for whole posting lists at once, with numpy.

Ranking needs the score of *every* matching article, and Whoosh computes one posting at a time
through Python matcher objects. Reading a term's posting blocks straight into arrays and scoring
them in one vector operation gives the same figures (Whoosh's idf, average field length and
byte-encoded field lengths) at a fraction of the cost. A phrase intersects its words' documents
first and decodes positions for those alone; prefixes and other leaves still go through Whoosh's
matchers.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from kb.cache import per_build

# Whoosh stores a field's length per document as one byte; this decodes all 256 at once.
BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_SCORES = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Postings:
    """Documents (ascending docnums) and their scores for one query leaf."""

    ids: np.ndarray
    scores: np.ndarray


class PostingScorer:
    """Scores query leaves against one searcher; caches its per-field length arrays."""

    def __init__(self, searcher: Searcher):
        weighting = searcher.weighting
        self._searcher = weakref.ref(searcher)  # a strong one would keep it (a cache key) alive
        self.size = searcher.doc_count_all()
        self._weighting = weighting
        self._bm25f = type(weighting) is BM25F  # other models: Whoosh's matchers, one by one
        self._segments = list(searcher.reader().leaf_readers())
        self._lengths: dict[str, np.ndarray] = {}
        self._live = self._live_mask()

    @property
    def searcher(self) -> Searcher:
        return self._searcher()

    def leaf(self, query: wq.Query) -> Postings:
        """The documents ``query`` (a term, phrase or other leaf) matches, with their scores."""
        fieldname = query.field()
        scorable = self._bm25f and fieldname and self.searcher.schema[fieldname].scorable
        if isinstance(query, wq.Term) and scorable:
            return self.term(query.fieldname, query.text, query.boost)
        if isinstance(query, wq.Phrase) and scorable and query.slop == 1 and query.words:
            return self.phrase(query.fieldname, query.words, query.boost)
        return self._walk(query)

    def term(self, fieldname: str, text: str, boost: float = 1.0) -> Postings:
        """BM25F of one term over all its postings, exactly as Whoosh's BM25FScorer computes it."""
        ids, weights, _ = self._postings(fieldname, text)
        return Postings(ids, self._bm25(fieldname, text, ids, weights) * boost)

    def phrase(self, fieldname: str, words: list[str], boost: float = 1.0) -> Postings:
        """Documents with ``words`` at consecutive positions, scored as Whoosh scores a phrase
        (the sum of its words' BM25F): candidates by intersecting the word's documents, then
        positions decoded for those candidates only."""
        lists = [self._postings(fieldname, word, values=True) for word in words]
        candidates = lists[0][0]
        for ids, _, _ in lists[1:]:
            candidates = np.intersect1d(candidates, ids, assume_unique=True)
        at = [np.searchsorted(ids, candidates) for ids, _, _ in lists]
        decode = self.searcher.schema[fieldname].format.decode_positions

        def in_order(n: int) -> bool:
            return _consecutive(
                [decode(values[where[n]]) for (_, _, values), where in zip(lists, at, strict=True)]
            )

        keep = np.fromiter(map(in_order, range(len(candidates))), bool, len(candidates))
        found = candidates[keep]
        scores = np.zeros(len(found))
        for word, (_, weights, _), where in zip(words, lists, at, strict=True):
            scores += self._bm25(fieldname, word, found, weights[where[keep]])
        return Postings(found, scores * boost)

    def _bm25(self, fieldname: str, text: str, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """Whoosh's ``bm25()`` for documents ``ids`` with term frequencies ``tf``."""
        if not len(ids):
            return EMPTY_SCORES
        w = self._weighting
        b = w._field_B.get(fieldname, w.B)
        k1 = w.K1
        idf = self.searcher.idf(fieldname, text)
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        norm = k1 * ((1 - b) + b * self._field_lengths(fieldname)[ids] / avgfl)
        return idf * ((tf * (k1 + 1)) / (tf + norm))

    def docs(self, fieldname: str, text: str) -> np.ndarray:
        """The documents containing a term, unscored."""
        return self._postings(fieldname, text)[0]

    def _postings(
        self, fieldname: str, text: str, values: bool = False
    ) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
        """(docnums, term frequencies, and with ``values`` the encoded positions) of a term in
        every segment, deleted documents left out."""
        field = self.searcher.schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return EMPTY_IDS, EMPTY_SCORES, []
        ids, weights, raw_values = [], [], []
        for reader, offset in self._segments:
            if (fieldname, btext) not in reader:
                continue
            matcher = reader.postings(fieldname, btext)
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child  # deletions are masked below, all at once
            for block_ids, block_weights, block_values in _blocks(matcher, values):
                ids.append(block_ids + offset)
                weights.append(block_weights)
                raw_values.extend(block_values)
        if not ids:
            return EMPTY_IDS, EMPTY_SCORES, []
        all_ids, all_weights = np.concatenate(ids), np.concatenate(weights)
        if self._live is not None:
            keep = self._live[all_ids]
            all_ids, all_weights = all_ids[keep], all_weights[keep]
            raw_values = [v for v, k in zip(raw_values, keep, strict=False) if k]
        return all_ids, all_weights, raw_values

    def _walk(self, query: wq.Query) -> Postings:
        """Any other leaf through Whoosh's own matcher, one document at a time."""
        ids: list[int] = []
        scores: list[float] = []
        matcher = query.matcher(self.searcher, self.searcher.context())
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        return Postings(np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64))

    def _field_lengths(self, fieldname: str) -> np.ndarray:
        """Every document's (byte-encoded, as Whoosh scores with) length of ``fieldname``."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            encoded = np.zeros(self.size, dtype=np.uint8)
            for reader, offset in self._segments:
                column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                if column is not None:
                    raw = column._dbfile.get(column._basepos, column._count)
                    encoded[offset : offset + len(raw)] = np.frombuffer(raw, dtype=np.uint8)
            lengths = self._lengths[fieldname] = BYTE_LENGTHS[encoded]
        return lengths

    def _live_mask(self) -> np.ndarray | None:
        """True for documents not deleted; None when no segment has deletions."""
        if not any(reader.has_deletions() for reader, _ in self._segments):
            return None
        live = np.ones(self.size, dtype=bool)
        for reader, offset in self._segments:
            deleted = list(reader.deleted_docs_set or ())
            live[np.array(deleted, dtype=np.int64) + offset] = False
        return live


def _blocks(matcher: W3LeafMatcher, values: bool = False):
    """(docnums, weights, encoded values or ()) of each posting block, read straight from the
    block data."""
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        ids = np.asarray(raw_ids, dtype=np.int64)
        if not matcher._byteids:
            ids = np.cumsum(ids)  # delta-encoded within the block
        if raw_weights is None:
            weights = np.ones(count, dtype=np.float64)
        elif isinstance(raw_weights, float):
            weights = np.full(count, np.float32(raw_weights), dtype=np.float64)
        else:
            weights = np.asarray(raw_weights, dtype=np.float64)
        if values:
            matcher._read_values()
        yield ids, weights, (matcher._values if values else ())
        matcher._next_block()


def _consecutive(positions: list[list[int]]) -> bool:
    """Whether some position of the first word is followed by each next word, one by one."""
    rest = [set(p) for p in positions[1:]]
    return any(all(p + i in later for i, later in enumerate(rest, 1)) for p in positions[0])


@per_build
def scorer_for(searcher: Searcher) -> PostingScorer:
    """The scorer of ``searcher`` (one per searcher, so per index snapshot and thread)."""
    return PostingScorer(searcher)
