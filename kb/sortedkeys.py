"""Sorted text keys packed into one string, looked up by prefix: the per-build tables that
completions and 초성 search read on every keystroke.

A Python string costs ~50-75 bytes before its first character, so 190,000 short keys (a
10,000-article site's completions) took 19 MiB as a list of strings; packed, they take the
characters themselves and an offset each, about 9.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import overload

import numpy as np

PAST_ANY = "\U0010ffff"  # sorts after every character: prefix + PAST_ANY ends a prefix's range


class SortedKeys(Sequence[str]):
    """Keys already in sorted order, held as one string and the offset where each starts."""

    def __init__(self, keys: Iterable[str]) -> None:
        listed = list(keys)
        self._text = "".join(listed)
        self._starts = np.fromiter(
            accumulate(map(len, listed), initial=0), dtype=np.int64, count=len(listed) + 1
        )

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> list[str]: ...
    def __getitem__(self, at: int | slice) -> str | list[str]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        if not -len(self) <= at < len(self):
            raise IndexError(at)
        at %= len(self)
        return self._text[self._starts[at] : self._starts[at + 1]]

    def prefixed(self, prefix: str) -> range:
        """The positions of the keys that start with ``prefix``."""
        start = bisect.bisect_left(self, prefix)
        return range(start, bisect.bisect_left(self, prefix + PAST_ANY, start))
