"""Texts packed into two arrays, read back by position, and sorted keys looked up by prefix: the
per-build tables that completions and 초성 search read on every keystroke.

A Python string costs ~50-75 bytes before its first character, so 190,000 short keys (a
10,000-article site's completions) took 19 MiB as a list of strings. Packed, they take their
code points and an offset each, in arrays a build can store and a server can map from its file
(so every worker shares one copy and keeps only the pages its lookups read).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from itertools import accumulate, pairwise
from typing import TypeVar, overload

import numpy as np

PAST_ANY = "\U0010ffff"  # sorts after every character: prefix + PAST_ANY ends a prefix's range
CODE = np.dtype("<u4")  # a code point (UTF-32)
UTF8 = np.dtype(np.uint8)
ENCODINGS = {CODE: "utf-32-le", UTF8: "utf-8"}

T = TypeVar("T")


class Positional(Sequence[T]):
    """A sequence whose items are made when read, each by ``item(at)`` (``at`` in range);
    indexed by an int, negative too, or by a slice (giving a list) as a list is."""

    def item(self, at: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, at: int) -> T: ...
    @overload
    def __getitem__(self, at: slice) -> list[T]: ...
    def __getitem__(self, at: int | slice) -> T | list[T]:
        if isinstance(at, slice):
            return [self.item(i) for i in range(*at.indices(len(self)))]
        if not -len(self) <= at < len(self):
            raise IndexError(at)
        return self.item(int(at) % len(self))


class PackedTexts(Positional[str]):
    """Texts held end to end as code points (``codes`` of uint32) or as UTF-8 (uint8, half
    the bytes or less for text that is read, not searched), and where each starts
    (``starts``, one more than there are texts)."""

    def __init__(self, codes: np.ndarray, starts: np.ndarray) -> None:
        if codes.dtype not in ENCODINGS or starts.dtype != np.int64 or starts.ndim != 1:
            raise ValueError("packed texts need uint32 or uint8 codes and int64 starts")
        if not len(starts) or starts[0] != 0 or starts[-1] != len(codes):
            raise ValueError("packed texts whose starts do not cover their code points")
        self.codes, self.starts = codes, starts
        self.encoding = ENCODINGS[codes.dtype]

    @classmethod
    def of(cls, texts: Iterable[str], dtype: np.dtype = CODE) -> PackedTexts:
        encoded = [text.encode(ENCODINGS[dtype]) for text in texts]
        codes = np.frombuffer(b"".join(encoded), dtype=dtype)
        sizes = (len(e) // dtype.itemsize for e in encoded)
        starts = np.fromiter(accumulate(sizes, initial=0), dtype=np.int64, count=len(encoded) + 1)
        return cls(codes, starts)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def item(self, at: int) -> str:
        return self.codes[self.starts[at] : self.starts[at + 1]].tobytes().decode(self.encoding)

    def lengths(self) -> np.ndarray:
        """Each text's length in codes (characters, for code points)."""
        return np.diff(self.starts)

    def check(self) -> None:
        """Raise ValueError unless every text's start is at or after the one before (this reads
        all the starts, so a server opening a checked build need not)."""
        if (np.diff(self.starts) < 0).any():
            raise ValueError("packed texts whose starts go backwards")


class SortedKeys(PackedTexts):
    """Packed texts in sorted order, found by prefix."""

    def __init__(self, keys: Iterable[str] | PackedTexts) -> None:
        packed = keys if isinstance(keys, PackedTexts) else PackedTexts.of(keys)
        super().__init__(packed.codes, packed.starts)

    def prefixed(self, prefix: str) -> range:
        """The positions of the keys that start with ``prefix``."""
        start = bisect.bisect_left(self, prefix)
        return range(start, bisect.bisect_left(self, prefix + PAST_ANY, start))


def texts_of(packed: Sequence[str]) -> list[str]:
    """All texts as a list (code points: one decode for all of them, not one per text)."""
    if not isinstance(packed, PackedTexts) or packed.codes.dtype != CODE:
        return list(packed)
    whole = packed.codes.tobytes().decode("utf-32-le")
    return [whole[a:b] for a, b in pairwise(packed.starts.tolist())]
