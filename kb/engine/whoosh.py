"""The Whoosh engine: the schema made from kb's field specs, writers, and an opened build.

Everything else in kb reaches Whoosh through :class:`WhooshBuild` (reading) and the writer
functions here (building); private Whoosh internals are confined to :mod:`kb.engine.whoosh_private`.
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
import operator
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, FieldType, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Characters, Format, Frequency, Positions
from whoosh.matching import Matcher
from whoosh.reading import IndexReader, SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.system import pack_uint
from whoosh.writing import NO_MERGE, SegmentWriter

from kb.analysis.base import PieceTokenizer, Term
from kb.engine import EMPTY_FLOATS, EMPTY_IDS, NO_POSTINGS, Span, TermPostings, frequencies
from kb.engine.frequencies import FileTerm, FrequencyFile
from kb.engine.storage import ReadStorage
from kb.engine.whoosh_private import (
    BYTE_LENGTHS,
    BlockSeeker,
    BuildCodec,
    Posting,
    all_postings,
    block_matcher,
    deleted_docnums,
    index_segments,
    length_bytes,
    listed_postings,
    posting_blocks,
    tap_postings,
)
from kb.schema import FieldSpec, IndexDocument, StoredArticle, field_specs

STORED_FIELD = "doc"
WordValue = tuple[str, int, float, bytes]  # a term of one document: frequency, weight, value
MAX_SEEKERS = 4096  # terms whose block reader a thread keeps for snippets (then it starts afresh)
MAX_FREQUENCIES = 65536  # document frequencies a build remembers (then it starts afresh)
SMALL_SEGMENT_DOCS = 100  # segments compaction may merge (see segments_to_merge)
MERGE_AT = 10  # segments of one size class that compaction merges together
DELETED_SHARE = 0.05  # a segment holding this share of the index as deleted documents is
REWRITE_LIVE_DOCS = 200  # rewritten if it keeps at most this many (else it waits for a build)


def make_schema() -> Schema:
    """The Whoosh schema of kb's field specs, plus the stored article."""
    fields: dict[str, FieldType] = {spec.name: _field(spec) for spec in field_specs()}
    fields[STORED_FIELD] = STORED()
    return Schema(**fields)


def _field(spec: FieldSpec) -> FieldType:
    if spec.kind == "id":
        return ID(stored=True, unique=True)
    if spec.kind == "keyword":
        return KEYWORD(lowercase=spec.lowercase)
    assert spec.analyzer is not None, spec.name
    analyzer = WhooshTokenizer(spec.analyzer())
    field = TEXT(analyzer=analyzer, phrase=spec.positions, chars=spec.chars)
    direct = TermCharacters if spec.chars else TermPositions if spec.positions else TermFrequency
    field.format = direct(field_boost=field.format.field_boost)
    return field


class WhooshTokenizer(Tokenizer):
    """A kb tokenizer in Whoosh's token protocol (and a whole Whoosh analyzer); it pickles into
    the schema as the two small stateless objects."""

    def __init__(self, tokenizer: PieceTokenizer):
        self.tokenizer = tokenizer

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WhooshTokenizer) and self.tokenizer == other.tokenizer

    def __hash__(self) -> int:
        return hash(self.tokenizer)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            found = [Term(value, 0, len(value), 0)]
        else:
            found = self.tokenizer.terms(value, query=mode == "query")
        for term in found:
            token.text = term.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[term.start : term.end]
            if positions:
                token.pos = start_pos + term.pos
            if chars:
                token.startchar = start_char + term.start
                token.endchar = start_char + term.end
            yield token


def _index_terms(value: object, analyzer: object, kwargs: dict[str, Any]) -> list[Term] | None:
    """The terms a kb tokenizer gives ``value`` for the index, or None when Whoosh must
    tokenize (another analyzer, a list of values, offsets to add)."""
    if kwargs.get("mode") != "index" or kwargs.get("start_pos") or kwargs.get("start_char"):
        return None
    if not isinstance(analyzer, WhooshTokenizer) or not isinstance(value, str):
        return None
    return analyzer.tokenizer.terms(value)


def _grouped(fmt: Format, terms: list[Term], spot: Callable[[Term], Any]) -> list[WordValue]:
    """Each term once, with what ``spot`` keeps of each of its occurrences, encoded by ``fmt``
    as Whoosh's own ``word_values`` would (weight: the frequency × the field's boost), and its
    share of the field's length (:func:`_length_shares`)."""
    seen: dict[str, list[Any]] = {}
    for term in terms:
        seen.setdefault(term.text, []).append(spot(term))
    boost = fmt.field_boost
    shares = _length_shares(terms)
    return [(w, shares[w], len(at) * boost, fmt.encode(at)) for w, at in seen.items()]


def _length_shares(terms: list[Term]) -> collections.Counter[str]:
    """Each term's share of its field's length: the positions where it comes first. Whoosh sums
    the frequency a format gives each term into the field's length (and uses it for nothing
    else), so this counts positions, not terms, as Lucene's BM25 does (``discountOverlaps``):
    a word indexed with others at its position (300mg's 300 and mg, 고용량's 용량, a word's
    marked first bigram) lengthens its article once, as a word."""
    first_at = {term.pos: term.text for term in reversed(terms)}  # the first term wins
    return collections.Counter(first_at.values())


class TermFrequency(Frequency):
    """Whoosh's ``Frequency`` fed kb's terms without a ``Token`` per term: the same postings,
    byte for byte (the field's length counted in positions); Whoosh's token protocol cost a
    build as much as the analysis it carried."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[WordValue]:
        terms = _index_terms(value, analyzer, kwargs)
        if terms is None:
            return super().word_values(value, analyzer, **kwargs)
        counts = collections.Counter(term.text for term in terms)
        shares = _length_shares(terms)
        return [(w, shares[w], n * self.field_boost, pack_uint(n)) for w, n in counts.items()]


class TermPositions(Positions):
    """Whoosh's ``Positions`` fed kb's terms (see :class:`TermFrequency`)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[WordValue]:
        terms = _index_terms(value, analyzer, kwargs)
        if terms is None:
            return super().word_values(value, analyzer, **kwargs)
        return _grouped(self, terms, operator.attrgetter("pos"))


class TermCharacters(Characters):
    """Whoosh's ``Characters`` fed kb's terms (see :class:`TermFrequency`)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[WordValue]:
        terms = _index_terms(value, analyzer, kwargs)
        if terms is None:
            return super().word_values(value, analyzer, **kwargs)
        return _grouped(self, terms, operator.attrgetter("pos", "start", "end"))


# -- reading ---------------------------------------------------------------------------------


class _ThreadState:
    """A thread's own searcher (Whoosh searchers are not meant to be shared across threads),
    its segments and the block readers its snippets seek in."""

    def __init__(self, searcher: Searcher, files: dict[str, FrequencyFile]):
        self.searcher = searcher
        self.reader: IndexReader = searcher.reader()
        self.segments: list[tuple[IndexReader, int]] = list(self.reader.leaf_readers())
        self.bases = [base for _, base in self.segments]
        self.frequency_files = [files.get(_segment_id(reader) or "") for reader, _ in self.segments]
        self.seekers: dict[tuple[str, str], BlockSeeker | None] = {}  # None: not in the segment


class WhooshBuild:
    """One Whoosh build opened for searching (:class:`kb.engine.EngineBuild`): positional reads,
    shared by threads (each gets its own searcher) and by forked workers."""

    def __init__(self, build_dir: Path):
        self._ix = ReadStorage(build_dir).open_index()
        self._frequency_files = _open_frequency_files(build_dir)
        self._schema = self._ix.schema
        self._local = threading.local()
        self._lock = threading.Lock()
        self._lengths: dict[str, np.ndarray] = {}
        self._totals: dict[str, int] = {}
        self._frequencies: dict[tuple[str, bytes], tuple[int, ...]] = {}
        state = self._state
        self.size: int = state.reader.doc_count_all()
        self.live_count: int = state.reader.doc_count()
        self._live = self._live_mask(state)

    @property
    def _state(self) -> _ThreadState:
        state = getattr(self._local, "state", None)
        if state is None:
            state = self._local.state = _ThreadState(self._ix.searcher(), self._frequency_files)
        return state

    # stored articles

    def article(self, docnum: int) -> StoredArticle:
        return StoredArticle.from_stored(self._state.searcher.stored_fields(docnum)[STORED_FIELD])

    def articles(self) -> Iterator[tuple[int, StoredArticle]]:
        for docnum, stored in self._state.reader.iter_docs():
            yield docnum, StoredArticle.from_stored(stored[STORED_FIELD])

    def find(self, slug: str) -> StoredArticle | None:
        stored = self._state.searcher.document(slug=slug)
        return None if stored is None else StoredArticle.from_stored(stored[STORED_FIELD])

    def docnum(self, slug: str) -> int | None:
        found = self._state.searcher.document_number(slug=slug)
        return None if found is None else int(found)

    # statistics

    def scorable(self, field: str) -> bool:
        return bool(self._schema[field].scorable)

    def doc_frequency(self, field: str, term: str) -> int:
        try:
            return sum(self._segment_frequencies(field, self._schema[field].to_bytes(term)))
        except ValueError:
            return 0

    def _segment_frequencies(self, field: str, btext: bytes) -> tuple[int, ...]:
        """The term's document frequency in each segment, remembered per build (as Whoosh's
        searcher remembers idf): every search asks it of each of its terms, each answer is a
        term-dictionary read per segment, and each update adds a segment; postings then visit
        only the segments that hold the term."""
        key = (field, btext)
        found = self._frequencies.get(key)
        if found is None:
            state = self._state
            found = tuple(reader.doc_frequency(field, btext) for reader, _ in state.segments)
            if len(self._frequencies) >= MAX_FREQUENCIES:
                self._frequencies.clear()
            self._frequencies[key] = found
        return found

    def total_length(self, field: str) -> int:
        total = self._totals.get(field)
        if total is None:
            total = self._totals[field] = self._state.reader.field_length(field)
        return total

    def field_lengths(self, field: str) -> np.ndarray:
        lengths = self._lengths.get(field)
        if lengths is None:
            encoded = np.zeros(self.size, dtype=np.uint8)
            for reader, offset in self._state.segments:
                raw = length_bytes(reader, field)
                if raw is not None:
                    encoded[offset : offset + len(raw)] = raw
            with self._lock:
                lengths = self._lengths.setdefault(field, BYTE_LENGTHS[encoded])
        return lengths

    def terms(self, field: str) -> Iterator[str]:
        return self._state.reader.field_terms(field)

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        decode = self._schema[field].from_bytes
        return (decode(term) for term in self._state.reader.expand_prefix(field, prefix))

    # postings

    def postings(self, field: str, term: str, *, positions: bool = False) -> TermPostings:
        """Every live posting of ``term``: from each segment's frequency file, or else read
        block by block from Whoosh's posting file."""
        try:
            btext = self._schema[field].to_bytes(term)
        except ValueError:
            return NO_POSTINGS
        ids, weights, spots = [], [], []  # per segment
        state = self._state
        counts = self._segment_frequencies(field, btext)
        for (reader, offset), count, arrays in zip(
            state.segments, counts, state.frequency_files, strict=True
        ):
            if not count:
                continue
            found = None if arrays is None else arrays.postings(field, btext, count, positions)
            if found is None:
                fmt = self._schema[field].format
                found = _block_postings(all_postings(reader, field, btext), fmt, positions)
            ids.append(found[0] + offset)
            weights.append(found[1])
            if found[2] is not None:
                spots.append(found[2])
        if not ids:
            return NO_POSTINGS
        all_ids, all_weights = np.concatenate(ids), np.concatenate(weights)
        all_spots: np.ndarray | None = np.concatenate(spots) if positions else None
        if self._live is not None:
            keep = self._live[all_ids]
            if all_spots is not None:
                all_spots = all_spots[np.repeat(keep, all_weights.astype(np.int64))]
            all_ids, all_weights = all_ids[keep], all_weights[keep]
        return TermPostings(all_ids, all_weights, all_spots)

    def spans(self, field: str, docnum: int, words: Iterable[str]) -> list[Span]:
        """Each word's offsets in one document, from its segment's frequency file (or else the
        one posting block that holds the document)."""
        state = self._state
        at = bisect.bisect_right(state.bases, docnum) - 1
        reader, local = state.segments[at][0], docnum - state.bases[at]
        if reader.is_deleted(local):
            return []
        found = []
        for word in words:
            for position, start, end in self._occurrences(state, at, field, word, local):
                found.append(Span(start, end, word, position))
        return sorted(found)

    def _occurrences(
        self, state: _ThreadState, at: int, field: str, word: str, docnum: int
    ) -> list[tuple[int, int, int]]:
        """(position, start, end) of ``word`` in a segment's document: from the segment's
        frequency file, or else from Whoosh's posting block."""
        arrays, reader = state.frequency_files[at], state.segments[at][0]
        if arrays is not None:
            try:
                btext = self._schema[field].to_bytes(word)
            except ValueError:
                return []
            count = self._segment_frequencies(field, btext)[at]
            if not count:
                return []
            found = arrays.characters(field, btext, count, docnum)
            if found is not None:
                return found
        return self._characters(state, reader, field, word, docnum)

    def _characters(
        self, state: _ThreadState, reader: IndexReader, field: str, word: str, docnum: int
    ) -> list[tuple[int, int, int]]:
        """(position, start, end) of ``word`` in a segment's document. The word's block reader
        is kept, so the next hit's snippet seeks in it without looking the term up again."""
        key = (f"{id(reader)}:{field}", word)
        if key in state.seekers:
            seeker = state.seekers[key]
        else:
            try:
                matcher = reader.postings(field, word)
            except TermNotFound:
                matcher = None
            block = None if matcher is None else block_matcher(matcher)
            if matcher is not None and block is None:  # another codec: walk the postings
                matcher.skip_to(docnum)
                found = matcher if matcher.is_active() and matcher.id() == docnum else None
                return found.value_as("characters") if found else []
            if len(state.seekers) >= MAX_SEEKERS:
                state.seekers.clear()
            seeker = state.seekers[key] = None if block is None else BlockSeeker(block)
        found = seeker.seek(docnum) if seeker is not None else None
        return found.value_as("characters") if found else []

    def _live_mask(self, state: _ThreadState) -> np.ndarray | None:
        """True for documents not deleted; None when no segment has deletions."""
        if not any(reader.has_deletions() for reader, _ in state.segments):
            return None
        live = np.ones(self.size, dtype=bool)
        for reader, offset in state.segments:
            live[np.array(deleted_docnums(reader), dtype=np.int64) + offset] = False
        return live

    def close(self) -> None:
        state = getattr(self._local, "state", None)
        if state is not None:
            state.searcher.close()
            self._local.state = None
        for file in self._frequency_files.values():
            file.close()


def _segment_id(reader: IndexReader) -> str | None:
    """A segment reader's segment id; None for a reader of no segment (an empty index)."""
    segment = reader.segment()
    return None if segment is None else str(segment.segment_id())


def _open_frequency_files(build_dir: Path) -> dict[str, FrequencyFile]:
    """Segment id → its frequency file, for every segment that has one (builds made before
    these files existed have none: their postings come from Whoosh alone)."""
    found = {}
    for path in sorted(build_dir.glob(f"*{frequencies.SUFFIX}")):
        found[path.name.removesuffix(frequencies.SUFFIX)] = FrequencyFile(path)
    return found


# -- writing ---------------------------------------------------------------------------------


class BuildWriter:
    """Adds and deletes articles in one build folder, then commits (or cancels) once. A writer
    never merges segments unless it was opened to compact them (see :func:`compaction_due`);
    an update's drops a segment it left with no live document."""

    def __init__(self, writer: SegmentWriter, merge: Any = NO_MERGE):
        self._writer = writer
        self._merge = merge

    @classmethod
    def create(cls, build_dir: Path) -> BuildWriter:
        """A writer for a fresh build: one big segment, written with a large posting pool."""
        index = whoosh_index.create_in(str(build_dir), make_schema())
        return cls(_MemoWriter(index, limitmb=256, codec=BuildCodec()))

    @classmethod
    def update(cls, build_dir: Path, limit_mb: int = 32, *, compact: bool = False) -> BuildWriter:
        """A writer on a linked copy of a build; existing segments are read with file reads,
        not mmap (Whoosh would copy each mmapped file of a compound segment into memory).
        ``compact``: its commit merges the small segments that :func:`segments_to_merge` picks."""
        storage = FileStorage(str(build_dir), supports_mmap=False)
        writer = _MemoWriter(storage.open_index(), limitmb=limit_mb, codec=BuildCodec())
        return cls(writer, merge_small_segments if compact else drop_emptied_segments)

    def delete(self, slug: str) -> None:
        self._writer.delete_by_term("slug", slug)

    def add(self, doc: IndexDocument) -> None:
        self._writer.add_document(**doc.fields, **{STORED_FIELD: doc.stored.to_stored()})

    def commit(self) -> None:
        """Commit, then write the frequency file of each segment that has none yet: the new
        segment's from the postings gathered as Whoosh wrote them."""
        folder = Path(self._writer.storage.folder)
        self._writer.commit(mergetype=self._merge)
        segment = str(self._writer.get_segment().segment_id())
        write_frequency_files(folder, {segment: self._writer.gathered})

    def cancel(self) -> None:
        self._writer.cancel()


class _MemoWriter(SegmentWriter):
    """Whoosh's segment writer, with field lengths memoised while postings are written, and the
    analysed fields' postings gathered for the new segment's frequency file as they go by
    (reading them back from the segment took most of that file's time: a term lookup and a
    block to unpickle for each of its terms)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.gathered = frequencies.FrequencyWriter()
        formats = {
            spec.name: (spec, self.schema[spec.name].format)
            for spec in field_specs()
            if spec.kind == "text"
        }
        tap_postings(self, functools.partial(_gathered, formats=formats, sink=self.gathered))

    def per_document_reader(self) -> Any:
        return _MemoLengths(super().per_document_reader())


def _gathered(
    items: Iterator[Posting],
    formats: dict[str, tuple[FieldSpec, Format]],
    sink: frequencies.FrequencyWriter,
) -> Iterator[Posting]:
    """``items`` (field, term, document, weight, encoded value; sorted by field and term) as
    they are, each analysed field's term added to ``sink`` once its postings have passed."""
    current: tuple[str, bytes] | None = None
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    for item in items:
        fieldname, btext, docnum, weight, value = item
        if docnum >= 0 and fieldname in formats:  # -1: a word for the spelling graph
            if (fieldname, btext) != current:
                if current is not None:
                    sink.add(_file_term(*formats[current[0]], current[1], ids, weights, values))
                current, ids, weights, values = (fieldname, btext), [], [], []
            ids.append(docnum)
            weights.append(weight)
            values.append(value)
        yield item
    if current is not None:
        sink.add(_file_term(*formats[current[0]], current[1], ids, weights, values))


class _MemoLengths:
    """A per-document reader whose ``doc_field_length`` is memoised: Whoosh asks it once per
    posting (several Python calls each). Postings come field by field, so one field's lengths
    are kept at a time."""

    def __init__(self, reader: Any):
        self._reader = reader
        self._field = ""
        self._lengths: dict[int, int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        if fieldname != self._field:
            self._field, self._lengths = fieldname, {}
        length = self._lengths.get(docnum)
        if length is None:
            length = self._reader.doc_field_length(docnum, fieldname, default)
            self._lengths[docnum] = length
        return length

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def write_frequency_files(
    build_dir: Path, gathered: dict[str, frequencies.FrequencyWriter] | None = None
) -> None:
    """Write each segment's postings of every analysed field as arrays
    (:mod:`kb.engine.frequencies`), for the segments that have no such file yet: from what
    ``gathered`` holds for a segment (by id), else read back from the segment."""
    # Whoosh's own storage copies a segment into memory (its size, while this runs), where
    # unpickling each term's block headers is C work; the positional reads searching uses
    # would be a system call each (measured: a third slower on the bundled articles).
    # Only the segments without a file are opened: an update adds a small segment beside a
    # big one, and opening that too would copy it into memory for nothing.
    index = FileStorage(str(build_dir)).open_index()
    fields = [spec for spec in field_specs() if spec.kind == "text"]
    for segment in index_segments(index):
        segment_id = str(segment.segment_id())
        target = frequencies.file_for(build_dir, segment_id)
        if target.exists():
            continue
        if gathered and segment_id in gathered:
            gathered[segment_id].write(target)
            continue
        with SegmentReader(index.storage, index.schema, segment) as reader:
            frequencies.write(target, _segment_postings(reader, fields))


def _segment_postings(reader: IndexReader, fields: list[FieldSpec]) -> Iterator[FileTerm]:
    """Every term of ``fields`` in one segment, deleted documents included."""
    for spec in fields:
        fmt = reader.schema[spec.name].format
        for term in reader.lexicon(spec.name):
            ids, weights, values = listed_postings(reader, spec.name, term, spec.positions)
            yield _file_term(spec, fmt, term, ids, weights, values)


def _file_term(
    spec: FieldSpec,
    fmt: Format,
    term: bytes,
    ids: list[int],
    weights: list[float],
    values: list[bytes],
) -> FileTerm:
    """One term's postings as its frequency file keeps them, positions and characters decoded
    from Whoosh's encoded values (by the field's posting format)."""
    chain = itertools.chain.from_iterable
    if not spec.positions:
        return FileTerm(spec.name, term, ids, weights)
    if not spec.chars:
        positions = list(chain(map(fmt.decode_positions, values)))
        return FileTerm(spec.name, term, ids, weights, positions)
    rows = list(chain(map(fmt.decode_characters, values)))
    chars = ([row[1] for row in rows], [row[2] for row in rows])
    return FileTerm(spec.name, term, ids, weights, [row[0] for row in rows], chars)


def _block_postings(
    matcher: Matcher, fmt: Format, positions: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(ids, frequencies, positions or None) of one segment's postings, block by block
    (``fmt``: the field's posting format, which decodes positions)."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    values: list[bytes] = []
    for block_ids, block_weights, block_values in posting_blocks(matcher, positions):
        ids.append(block_ids)
        weights.append(block_weights)
        values.extend(block_values)
    if not ids:
        return EMPTY_IDS, EMPTY_FLOATS, EMPTY_IDS if positions else None
    all_ids, all_weights = np.concatenate(ids), np.concatenate(weights)
    if not positions:
        return all_ids, all_weights, None
    flat = np.fromiter(
        itertools.chain.from_iterable(map(fmt.decode_positions, values)), dtype=np.int64
    )
    if len(flat) != int(all_weights.sum()):
        raise ValueError("a posting's positions do not add up to its frequency")
    return all_ids, all_weights, flat


def compaction_due(build_dir: Path) -> bool:
    """Whether the build's small segments have piled up enough for :func:`segments_to_merge`."""
    return bool(segments_to_merge(segment_sizes(build_dir)))


class SegmentSize(NamedTuple):
    docs: int  # deleted ones included: what the segment holds on disk
    deleted: int


def segment_sizes(build_dir: Path) -> list[SegmentSize]:
    """Documents and deleted documents in each of the build's segments, in Whoosh's order."""
    storage = FileStorage(str(build_dir), supports_mmap=False)
    return [_size(segment) for segment in storage.open_index()._segments()]


def deleted_share(build_dir: Path) -> float:
    """The share of the build's documents that are deleted but still count in its statistics."""
    sizes = segment_sizes(build_dir)
    everything = sum(size.docs for size in sizes)
    return sum(size.deleted for size in sizes) / everything if everything else 0.0


def _size(segment: Any) -> SegmentSize:
    return SegmentSize(segment.doc_count_all(), segment.deleted_count())


def segments_to_merge(sizes: list[SegmentSize]) -> list[int]:
    """Positions of the segments to merge: MERGE_AT segments of one size class (under 10
    documents, or 10 to 99) once that many have piled up, and any segment of at most
    REWRITE_LIVE_DOCS live documents whose deleted ones are DELETED_SHARE of the index or more.

    Merging copies every posting in Python (~45 ms a document; ten one-article segments took
    2.7 s at 10,000 articles), so an update publishes its change first and compacts afterwards,
    and only segments of similar size merge: each document is copied at most twice before it
    sits in a segment of SMALL_SEGMENT_DOCS or more, which is never merged with another. Never
    merging would leave a segment per update for every search to visit. A deleted document
    still counts in BM25's document frequencies and lengths until its segment is rewritten (as
    in Whoosh and Lucene): on a small site a few updates move the order visibly, on a large one
    they do not, hence a share of the whole index (Lucene's merge policy rewrites much-deleted
    segments too).
    """
    picked: list[int] = []
    for smallest, ceiling in ((0, MERGE_AT), (MERGE_AT, SMALL_SEGMENT_DOCS)):
        tier = [i for i, size in enumerate(sizes) if smallest <= size.docs < ceiling]
        if len(tier) >= MERGE_AT:
            picked = tier[:MERGE_AT]
            break
    everything = sum(size.docs for size in sizes)
    stale = [
        i
        for i, (docs, deleted) in enumerate(sizes)
        if deleted and deleted >= DELETED_SHARE * everything and docs - deleted <= REWRITE_LIVE_DOCS
    ]
    return sorted({*picked, *stale})


def drop_emptied_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy of an update: keep every segment but those all of whose documents
    are deleted (an article saved again while it sits alone in its update's segment), which
    cost nothing to drop and would count in BM25's statistics until merged."""
    return [s for s in segments if s.deleted_count() < s.doc_count_all()]


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: merge the segments :func:`segments_to_merge` picks, keep the rest."""
    segments = drop_emptied_segments(writer, segments)
    picked = segments_to_merge([_size(s) for s in segments])
    for position in picked:
        reader = SegmentReader(writer.storage, writer.schema, segments[position])
        writer.add_reader(reader)
        reader.close()
    return [s for i, s in enumerate(segments) if i not in picked]
