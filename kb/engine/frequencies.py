"""A segment's postings as plain arrays (documents, frequencies, positions, offsets).

Whoosh keeps a posting block as one compressed pickle of ids, weights and values, so scoring a
term of a field with positions or character offsets unpickles every value only to read the
frequencies, and a phrase decodes every value one document at a time (together most of a
search's time at 10,000 articles). A build therefore writes, beside each segment, one file of
every analysed field's postings as arrays: ranking reads a term with a few ``pread`` calls and
matches phrases with array operations, and a snippet finds a word's characters in a document
without unpickling a block. The file is named after its segment, so Whoosh deletes it with the
segment when a merge replaces it.

Layout: ``MAGIC``, a little-endian uint64 header length, a JSON header, then 8-byte aligned
arrays: ``keys`` (uint64, sorted: a hash of field and term), ``starts`` and ``spot_starts``
(int64, one more than keys: where each term's postings and positions begin), ``ids``
(segment-local document numbers), ``weights`` (frequencies: uint16 when every one is a whole
number below 65,536, else float32) and ``spots`` (each posting's positions in turn, as many as
its frequency, for fields with positions); for fields with character offsets, ``char_at``
(int64, one more than keys), ``char_starts`` (uint32) and ``char_lengths`` (uint16): each
position's characters, in the same order. Ids and positions are uint16 when all fit, else
uint32; the header names each array's type.
"""

from __future__ import annotations

import hashlib
import json
import os
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from kb.engine.storage import Descriptor

FORMAT = 2
MAGIC = b"KBFREQ2\n"
# In the name too: a build whose files are of another format reads Whoosh's postings until its
# next update writes files of this one.
SUFFIX = f".freq{FORMAT}"
_ALIGN = 8


class DamagedFrequencies(ValueError):
    """A frequency file that cannot be read as written."""


def file_for(folder: Path, segment_id: str) -> Path:
    """Where the frequency file of segment ``segment_id`` lives."""
    return folder / f"{segment_id}{SUFFIX}"


def term_key(field: str, term: bytes) -> int:
    """The 64-bit key of a field's term; a collision is caught by the document count check in
    :meth:`FrequencyFile._term`."""
    digest = hashlib.blake2b(field.encode() + b"\0" + term, digest_size=8).digest()
    return int.from_bytes(digest, "little")


class FileTerm(NamedTuple):
    """One term of a segment as its frequency file keeps it (sequences of numbers: lists or
    arrays)."""

    field: str
    term: bytes
    ids: Sequence[int]  # segment-local document numbers, ascending
    frequencies: Sequence[float]
    positions: Sequence[int] | None = None  # each posting's positions in turn
    chars: tuple[Sequence[int], Sequence[int]] | None = None  # (start, end) of each position


class _Column:
    """One array of the file gathered term by term, with each term's count. The values are
    kept as machine numbers (``array``), not Python ones: a 10,000-article build gathers ~10^8
    of them, and as Python ints they took gigabytes and a tenth of the commit."""

    def __init__(self, typecode: str) -> None:
        self.values: array[Any] = array(typecode)
        self.counts: list[int] = []

    def add(self, values: Sequence[float] | None) -> None:
        before = len(self.values)
        if values is not None:
            self.values.extend(values)
        self.counts.append(len(self.values) - before)

    def sorted(self, order: np.ndarray, dtype: type) -> tuple[np.ndarray, np.ndarray]:
        """(values with the terms in ``order``, where each term starts: one more than terms)."""
        counts = np.array(self.counts, dtype=np.int64)
        firsts = np.cumsum(counts) - counts
        picked = counts[order]
        starts = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(picked, out=starts[1:])
        gather = np.repeat(firsts[order] - starts[:-1], picked) + np.arange(starts[-1])
        return np.frombuffer(self.values, dtype=self.values.typecode).astype(dtype)[gather], starts


def write(path: Path, terms: Iterable[FileTerm]) -> None:
    """Write every term of a segment to ``path``, whole or not at all (see
    :class:`FrequencyWriter`)."""
    writer = FrequencyWriter()
    for term in terms:
        writer.add(term)
    writer.write(path)


class FrequencyWriter:
    """A segment's terms, added in any order, then written at once. Terms are gathered into flat
    lists and made arrays once: a segment of one article has a thousand terms, and arrays per
    term would cost more than reading them."""

    def __init__(self) -> None:
        self.keys: list[int] = []
        self.columns: list[_Column] = []  # ids, weights, spots, begins, ends
        self._take()

    def _take(self) -> tuple[list[int], list[_Column]]:
        """What was gathered so far, the writer left empty."""
        taken = self.keys, self.columns
        self.keys, self.columns = [], [_Column(code) for code in ("q", "d", "q", "q", "q")]
        return taken

    def add(self, t: FileTerm) -> None:
        self.keys.append(term_key(t.field, t.term))
        ids, weights, spots, begins, ends = self.columns
        ids.add(t.ids)
        weights.add(t.frequencies)
        spots.add(t.positions)
        begins.add(None if t.chars is None else t.chars[0])
        ends.add(None if t.chars is None else t.chars[1])

    def write(self, path: Path) -> None:
        """The file, whole or not at all (a temporary file renamed into place). The gathered
        terms are let go as it is written (a whole build's are its largest lists)."""
        keys, (ids, weights, spots, begins, ends) = self._take()
        all_keys = np.array(keys, dtype=np.uint64)
        order = np.argsort(all_keys, kind="stable")
        sorted_keys = all_keys[order]
        if np.any(sorted_keys[1:] == sorted_keys[:-1]):
            raise ValueError(f"two terms of one segment share a key in {path.name}")
        all_ids, starts = ids.sorted(order, np.int64)
        all_weights, _ = weights.sorted(order, np.float64)
        all_spots, spot_starts = spots.sorted(order, np.int64)
        char_begins, char_at = begins.sorted(order, np.int64)
        char_ends, char_ends_at = ends.sorted(order, np.int64)
        lengths = char_ends - char_begins
        _check(path, starts, all_weights, spot_starts, (char_at, char_ends_at), lengths)
        whole = bool(np.all(all_weights == np.round(all_weights))) and (
            not len(all_weights) or (all_weights.min() >= 0 and all_weights.max() < 2**16)
        )
        arrays = {
            "keys": sorted_keys,
            "starts": starts,
            "spot_starts": spot_starts,
            "char_at": char_at,
            "ids": _narrowest(all_ids.astype(np.uint32)),
            "weights": all_weights.astype(np.uint16 if whole else np.float32),
            "spots": _narrowest(all_spots.astype(np.uint32)),
            "char_starts": char_begins.astype(np.uint32),
            "char_lengths": lengths.astype(np.uint16),
        }
        _write_arrays(path, arrays)


def _check(
    path: Path,
    starts: np.ndarray,
    weights: np.ndarray,
    spot_starts: np.ndarray,
    char_starts: tuple[np.ndarray, np.ndarray],
    lengths: np.ndarray,
) -> None:
    """Each term's positions (where kept) add up to its frequencies, its characters (where
    kept) match its positions, and a word's characters fit the file's types."""
    totals = np.zeros(len(starts) - 1)
    held = np.diff(starts) > 0
    if len(weights):
        totals[held] = np.add.reduceat(weights, starts[:-1][held])
    kept = np.diff(spot_starts)
    if np.any((kept > 0) & (kept != totals)):
        raise ValueError(f"positions that do not add up to their frequencies in {path.name}")
    chars = np.diff(char_starts[0])
    if not np.array_equal(chars, np.diff(char_starts[1])) or np.any((chars > 0) & (chars != kept)):
        raise ValueError(f"characters that do not match their positions in {path.name}")
    if len(lengths) and (lengths.min() < 0 or lengths.max() >= 2**16):
        raise ValueError(f"a word's characters out of range in {path.name}")


def _narrowest(values: np.ndarray) -> np.ndarray:
    """uint16 when every value fits (a segment under 65,536 documents; positions of articles
    under 65,536 words), which halves the file; else as given."""
    fits = not len(values) or int(values.max()) < 2**16
    return values.astype(np.uint16) if fits else values


def _write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    layout: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, column in arrays.items():
        layout[name] = {"dtype": column.dtype.str, "count": len(column), "offset": offset}
        offset = _aligned(offset + column.nbytes)
    header = json.dumps({"format": FORMAT, "arrays": layout}).encode()
    start = _aligned(len(MAGIC) + 8 + len(header))
    scratch = path.with_name(path.name + ".tmp")
    with open(scratch, "wb") as out:
        out.write(MAGIC + len(header).to_bytes(8, "little") + header)
        for name, column in arrays.items():
            out.seek(start + layout[name]["offset"])
            out.write(column.tobytes())
        out.truncate(start + offset)
    os.replace(scratch, path)


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN


Found = tuple[np.ndarray, np.ndarray, np.ndarray | None] | None


class FrequencyFile:
    """One segment's frequency file, opened for positional reads: its keys and where each term
    starts are read into memory (32 bytes a term), a term's postings on demand."""

    def __init__(self, path: Path):
        self._file = Descriptor(str(path))
        try:
            size = os.fstat(self._file.fd).st_size
            head = os.pread(self._file.fd, len(MAGIC) + 8, 0)
            if len(head) < len(MAGIC) + 8 or not head.startswith(MAGIC):
                raise DamagedFrequencies(f"{path.name}: not a frequency file")
            length = int.from_bytes(head[len(MAGIC) :], "little")
            header = json.loads(os.pread(self._file.fd, length, len(MAGIC) + 8))
            if header.get("format") != FORMAT:
                raise DamagedFrequencies(f"{path.name}: format {header.get('format')!r}")
            base = _aligned(len(MAGIC) + 8 + length)
            self._layout = {
                name: (np.dtype(spec["dtype"]), int(spec["count"]), base + int(spec["offset"]))
                for name, spec in header["arrays"].items()
            }
            for name, (dtype, count, offset) in self._layout.items():
                if offset + count * dtype.itemsize > size:
                    raise DamagedFrequencies(f"{path.name}: {name} runs past the end of the file")
            self.keys = self._read("keys", 0, self._layout["keys"][1])
            self.starts = self._read("starts", 0, self._layout["starts"][1])
            self.spot_starts = self._read("spot_starts", 0, self._layout["spot_starts"][1])
            self.char_at = self._read("char_at", 0, self._layout["char_at"][1])
            if not (
                len(self.starts) == len(self.spot_starts) == len(self.char_at) == len(self.keys) + 1
                and self.starts[-1] == self._layout["ids"][1]
                and self.spot_starts[-1] == self._layout["spots"][1]
                and self.char_at[-1] == self._layout["char_starts"][1]
                and self._layout["char_starts"][1] == self._layout["char_lengths"][1]
            ):
                raise DamagedFrequencies(f"{path.name}: its tables disagree")
        except (ValueError, KeyError, TypeError) as problem:
            self._file.close()
            if isinstance(problem, DamagedFrequencies):
                raise
            raise DamagedFrequencies(f"{path.name}: {problem}") from problem

    def _read(self, name: str, first: int, count: int) -> np.ndarray:
        dtype, _, offset = self._layout[name]
        raw = os.pread(self._file.fd, count * dtype.itemsize, offset + first * dtype.itemsize)
        if len(raw) != count * dtype.itemsize:
            raise DamagedFrequencies(f"{name} cut short")
        return np.frombuffer(raw, dtype=dtype)

    def _term(self, field: str, term: bytes, expected: int) -> int | None:
        """The term's row, if the file holds it ``expected`` times (else a key collision, or a
        file that does not match its segment: the caller reads Whoosh's postings instead)."""
        key = np.uint64(term_key(field, term))
        at = int(np.searchsorted(self.keys, key))
        if at == len(self.keys) or self.keys[at] != key:
            return None
        return at if int(self.starts[at + 1] - self.starts[at]) == expected else None

    def postings(self, field: str, term: bytes, expected: int, positions: bool = False) -> Found:
        """(ids as int64, frequencies as float64, positions as int64 or None) of a term the
        segment holds ``expected`` times; None when the file cannot say (see :meth:`_term`, or
        no positions kept when asked for them)."""
        at = self._term(field, term, expected)
        if at is None:
            return None
        start, count = int(self.starts[at]), expected
        ids = self._read("ids", start, count).astype(np.int64)
        weights = self._read("weights", start, count).astype(np.float64)
        if not positions:
            return ids, weights, None
        first, last = int(self.spot_starts[at]), int(self.spot_starts[at + 1])
        if last - first != int(weights.sum()):
            return None
        return ids, weights, self._read("spots", first, last - first).astype(np.int64)

    def characters(
        self, field: str, term: bytes, expected: int, docnum: int
    ) -> list[tuple[int, int, int]] | None:
        """(position, start, end) of each occurrence of a term in one document (segment-local
        number), read without the term's other documents' offsets; None when the file cannot
        say."""
        at = self._term(field, term, expected)
        if at is None or self.char_at[at + 1] == self.char_at[at]:
            return None
        start = int(self.starts[at])
        ids = self._read("ids", start, expected)
        row = int(np.searchsorted(ids, docnum))
        if row == expected or int(ids[row]) != docnum:
            return []
        weights = self._read("weights", start, row + 1).astype(np.int64)
        before, count = int(weights[:-1].sum()), int(weights[-1])
        first = int(self.char_at[at]) + before
        begins = self._read("char_starts", first, count).astype(np.int64)
        ends = begins + self._read("char_lengths", first, count)
        # characters are kept only with positions, one for each, in the same order
        spots = self._read("spots", int(self.spot_starts[at]) + before, count).astype(np.int64)
        return list(zip(spots.tolist(), begins.tolist(), ends.tolist(), strict=True))

    def close(self) -> None:
        self._file.close()
