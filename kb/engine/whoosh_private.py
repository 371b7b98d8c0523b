"""Every use of Whoosh's private internals, in one place (whoosh-reloaded is pinned exactly).

Reading a posting list block by block into arrays, a field's length column as raw bytes and one
posting block found by a directory of block offsets is what makes ranking whole posting lists
and building snippets fast; Whoosh offers these only one posting at a time. ``tests/
test_engine_whoosh.py`` compares each function with Whoosh's public, slow equivalent, so a new
Whoosh that changes them fails there first.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

PINNED_WHOOSH = "2.7.5"  # the whoosh-reloaded these internals were checked against

# Whoosh stores a field's length per document as one byte; this decodes all 256 at once.
BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def posting_blocks(
    matcher: Matcher, values: bool = False
) -> Iterator[tuple[np.ndarray, np.ndarray, list[bytes]]]:
    """(docnums, weights, encoded values or []) of each posting block of a segment's term,
    read straight from the block data; deletions are not applied."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # the caller masks deletions, all at once
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
        yield ids, weights, (list(matcher._values) if values else [])
        matcher._next_block()


def all_postings(reader: IndexReader, field: str, term: bytes) -> Matcher:
    """A segment's postings of ``term`` with its deleted documents still in (Whoosh's own
    matcher skips them, and with them whole blocks)."""
    return reader._terms.matcher(field, term, reader.schema[field].format)


def listed_postings(
    reader: IndexReader, field: str, term: bytes, values: bool
) -> tuple[list[int], list[float], list[bytes]]:
    """A segment's postings of ``term`` as lists of ids, weights and (if asked) encoded values,
    deleted documents included: for copying them elsewhere without an array per block."""
    matcher = all_postings(reader, field, term)
    assert isinstance(matcher, W3LeafMatcher), type(matcher)
    ids: list[int] = []
    weights: list[float] = []
    encoded: list[bytes] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        if values:
            matcher._read_values()
            encoded.extend(matcher._values)
        matcher._next_block()
    return ids, weights, encoded


Posting = tuple[str, bytes, int, float, bytes]  # field, term, document, weight, encoded value
Tap = Callable[[Iterator[Posting]], Iterator[Posting]]


def tap_postings(writer: SegmentWriter, tap: Tap) -> None:
    """Route every posting ``writer``'s new segment gets (its own documents' and merged ones,
    sorted by field and term) through ``tap`` on its way into the segment."""
    writer.pool = _TappedPool(writer.pool, tap)


class _TappedPool:
    """A segment writer's posting pool whose sorted postings pass through a tap."""

    def __init__(self, pool: Any, tap: Tap):
        self._pool = pool
        self._tap = tap

    def iter_postings(self) -> Iterator[Posting]:
        return self._tap(self._pool.iter_postings())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


# A posting block smaller than this (postings' encoded values, ~4 bytes an id) is written
# uncompressed: zlib's set-up per call costs more than a small block saves (Whoosh meant to skip
# blocks under 20 bytes, but its check is overwritten on the next line). Each block records
# whether it is compressed, so any reader reads both kinds.
SMALL_BLOCK = 128


class BuildCodec(W3Codec):
    """Whoosh's codec, whose posting writer leaves small blocks uncompressed (see
    ``SMALL_BLOCK``): most terms' blocks are small, and compressing them took a tenth of a
    build. Segments written with it name it, so it must stay importable here."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _SmallBlocksPlain(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _SmallBlocksPlain(W3PostingsWriter):
    """Whoosh's posting writer, choosing each block's compression by its size (estimated
    before it is pickled: ~4 bytes an id plus the encoded values)."""

    def __init__(self, postfile: Any, *, compression: int, **kwargs: Any):
        super().__init__(postfile, compression=compression, **kwargs)
        self._level = compression

    def _write_block(self, last: bool = False) -> None:
        size = 4 * len(self._ids) + sum(map(len, self._values))
        self._compression = self._level if size >= SMALL_BLOCK else 0
        super()._write_block(last)


def index_segments(index: Any) -> list[Any]:
    """The segments of a file index's latest generation, to open one without the others
    (``FileIndex.reader`` opens them all)."""
    return list(index._segments())


def length_bytes(reader: IndexReader, fieldname: str) -> np.ndarray | None:
    """A segment's byte-encoded length of ``fieldname`` for each of its documents, or None."""
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    raw = column._dbfile.get(column._basepos, column._count)
    return np.frombuffer(raw, dtype=np.uint8)


def deleted_docnums(reader: IndexReader) -> list[int]:
    """A segment's deleted document numbers."""
    return list(reader.deleted_docs_set or ())


class BlockSeeker:
    """One term's postings in a segment, found one document at a time in any order.

    Whoosh's ``skip_to`` reads every block header from the first one on and only moves forward;
    with a directory of each block's last document and file offset, finding a posting reads
    one block, and the same reader serves every later document (no term lookup again).
    """

    def __init__(self, matcher: W3LeafMatcher):
        self._matcher = matcher
        self.last_ids: list[int] = []
        self.offsets: list[int] = []
        offset = matcher._baseoffset
        while True:
            self.last_ids.append(matcher._maxid)
            self.offsets.append(offset)
            if matcher._lastblock:
                break
            offset = matcher._nextoffset
            matcher._goto(offset)

    def seek(self, docnum: int) -> Any:
        """The matcher on ``docnum`` after reading only the block that would hold it, or None."""
        block = bisect.bisect_left(self.last_ids, docnum)
        if block == len(self.offsets):
            return None
        matcher = self._matcher
        matcher._goto(self.offsets[block])
        matcher._read_data()
        ids = matcher._data[0]
        matcher._ids = ids if matcher._byteids else list(itertools.accumulate(ids))  # delta-coded
        at = bisect.bisect_left(matcher._ids, docnum)
        if at == len(matcher._ids) or matcher._ids[at] != docnum:
            return None
        matcher._i = at
        return matcher


def block_matcher(matcher: Matcher) -> W3LeafMatcher | None:
    """The block reader under a posting matcher (postings with deletions come wrapped in a
    filter), or None for another kind of matcher."""
    block = getattr(matcher, "child", matcher)
    return block if isinstance(block, W3LeafMatcher) else None
