"""The engine boundary: what search asks of an opened build, in engine-neutral terms.

Query parsing, ranking, 초성, corrections, completions and snippets speak only this: query leaves
(:class:`TermLeaf`, :class:`PhraseLeaf`, :class:`PrefixLeaf`), postings as numpy arrays, term
statistics, field lengths, match spans and stored articles by document number. The Whoosh
implementation is :class:`kb.engine.whoosh.WhooshBuild`; a backend on another engine implements
:class:`EngineBuild` and passes the same contract tests (``tests/test_engine_contract.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kb.schema import StoredArticle


@dataclass(frozen=True)
class TermLeaf:
    """One analysed term in one field."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class PhraseLeaf:
    """Analysed words at consecutive positions of one field."""

    field: str
    words: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class PrefixLeaf:
    """Every term of one field starting with ``text`` (a word still being typed)."""

    field: str
    text: str
    boost: float = 1.0


Leaf = TermLeaf | PhraseLeaf | PrefixLeaf

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_FLOATS = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class TermPostings:
    """A term's live documents (ascending numbers) and frequencies; with positions asked for,
    ``positions`` holds each document's positions of the term in turn (as many as its
    frequency), so phrases match with array operations."""

    ids: np.ndarray
    frequencies: np.ndarray
    positions: np.ndarray | None = None

    def positions_in(self, at: int) -> list[int]:
        """The term's positions in document ``ids[at]``."""
        assert self.positions is not None, "positions were not asked for"
        ends = np.cumsum(self.frequencies.astype(np.int64))
        return self.positions[ends[at] - int(self.frequencies[at]) : ends[at]].tolist()


NO_POSTINGS = TermPostings(EMPTY_IDS, EMPTY_FLOATS, EMPTY_IDS)


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``start``..``end`` of a field's text hold ``word`` (an analysed term), at the
    field's term ``position`` (what phrases are matched by; -1 when not known); spans sort in
    text order."""

    start: int
    end: int
    word: str
    position: int = -1


class EngineBuild(Protocol):
    """One opened, immutable build; document numbers run from 0 to ``size - 1`` (deleted ones
    included, never returned). Safe to share across threads and forked workers."""

    @property
    def size(self) -> int: ...

    @property
    def live_count(self) -> int: ...

    def article(self, docnum: int) -> StoredArticle: ...

    def articles(self) -> Iterator[tuple[int, StoredArticle]]:
        """Every live article with its document number, in document order."""
        ...

    def find(self, slug: str) -> StoredArticle | None: ...

    def docnum(self, slug: str) -> int | None:
        """The live document number of the article ``slug`` (None when there is none)."""
        ...

    def scorable(self, field: str) -> bool:
        """Whether the field keeps lengths and frequencies (BM25F applies)."""
        ...

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents holding the term, as the index counts them (deleted ones included)."""
        ...

    def total_length(self, field: str) -> int:
        """The field's terms summed over every document (for the average length)."""
        ...

    def field_lengths(self, field: str) -> np.ndarray:
        """Every document's length of ``field`` as the engine scores with it (float64)."""
        ...

    def terms(self, field: str) -> Iterator[str]: ...

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]: ...

    def postings(self, field: str, term: str, *, positions: bool = False) -> TermPostings: ...

    def spans(self, field: str, docnum: int, words: Iterable[str]) -> list[Span]:
        """Every occurrence of ``words`` in one document's field, in text order."""
        ...

    def close(self) -> None: ...
