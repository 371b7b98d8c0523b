"""Snippets with ``<mark>`` highlights, exact to the character, read from the index's offsets.

Offsets come from the postings (fields indexed with ``chars=True``), so showing a result never
re-runs Kiwi over its text; everything else in a snippet is HTML-escaped. A hit's offsets are read
from the one posting block holding it, found in a per-reader directory of each term's blocks.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable

from markupsafe import escape
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

from kb.cache import per_build

SNIPPET_CHARS = 180
LEAD_CHARS = 40  # context kept before the first highlighted word
MAX_DIRECTORIES = 4096  # terms whose block directory a reader keeps (then it starts afresh)


def match_spans(
    searcher: Searcher, fieldname: str, docnum: int, words: Iterable[str]
) -> list[tuple[int, int, str]]:
    """(start, end, word) of every occurrence of ``words`` in one document's field."""
    reader, local = _segment(searcher.reader(), docnum)
    if reader.is_deleted(local):
        return []
    spans = []
    for word in words:
        spans.extend((s, e, word) for _, s, e in _characters(reader, fieldname, word, local))
    return sorted(spans)


def _segment(reader: IndexReader, docnum: int) -> tuple[IndexReader, int]:
    """The segment's reader holding ``docnum``, and the document's number within it."""
    leaves = list(reader.leaf_readers())
    at = bisect.bisect_right([base for _, base in leaves], docnum) - 1
    return leaves[at][0], docnum - leaves[at][1]


def _characters(
    reader: IndexReader, fieldname: str, word: str, docnum: int
) -> list[tuple[int, int, int]]:
    """(position, start, end) of ``word`` in the document, read from its posting block."""
    try:
        matcher = reader.postings(fieldname, word)
    except TermNotFound:
        return []
    block = getattr(matcher, "child", matcher)  # postings with deletions come wrapped in a filter
    if isinstance(block, W3LeafMatcher):
        found = _seek_in_blocks(block, _directories(reader).of(fieldname, word, block), docnum)
    else:
        found = _seek(matcher, docnum)
    return found.value_as("characters") if found else []


def _seek(matcher: Matcher, docnum: int) -> Matcher | None:
    """The matcher on ``docnum`` when the term occurs there (the generic, walking way)."""
    matcher.skip_to(docnum)
    return matcher if matcher.is_active() and matcher.id() == docnum else None


class _Directory:
    """The last document and file offset of each block of one term's postings.

    Whoosh's ``skip_to`` reads every block header from the first one on; with this, a lookup
    reads one block. It relies on W3LeafMatcher internals (the whoosh-reloaded version is pinned).
    """

    def __init__(self, matcher: W3LeafMatcher):
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


def _seek_in_blocks(matcher: W3LeafMatcher, directory: _Directory, docnum: int) -> Matcher | None:
    """The matcher on ``docnum`` after reading only the block that would hold it."""
    block = bisect.bisect_left(directory.last_ids, docnum)
    if block == len(directory.offsets):
        return None
    matcher._goto(directory.offsets[block])
    matcher._read_data()
    ids = matcher._data[0]
    matcher._ids = ids if matcher._byteids else list(itertools.accumulate(ids))  # delta-coded
    at = bisect.bisect_left(matcher._ids, docnum)
    if at == len(matcher._ids) or matcher._ids[at] != docnum:
        return None
    matcher._i = at
    return matcher


class _Directories:
    """One reader's block directories by term, up to MAX_DIRECTORIES of them (readers belong to
    one thread's searcher, so this needs no lock)."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], _Directory] = {}

    def of(self, fieldname: str, word: str, fresh: W3LeafMatcher) -> _Directory:
        """The directory of a term, made by walking ``fresh`` (a matcher on its first block)."""
        directory = self.known.get((fieldname, word))
        if directory is None:
            if len(self.known) >= MAX_DIRECTORIES:
                self.known.clear()
            directory = self.known[fieldname, word] = _Directory(fresh)
        return directory


@per_build
def _directories(reader: IndexReader) -> _Directories:
    return _Directories()


def make_snippet(text: str, spans: list[tuple[int, int, str]], size: int = SNIPPET_CHARS) -> str:
    """The window of ``text`` with the most distinct matched words, as safe HTML."""
    if not spans:
        return _escape_window(text, 0, size, [])
    best_start, best_score = 0, -1
    for anchor, _, _ in spans:
        start = max(0, anchor - LEAD_CHARS)
        inside = {w for s, e, w in spans if s >= start and e <= start + size}
        if len(inside) > best_score:
            best_start, best_score = start, len(inside)
    return _escape_window(text, best_start, size, spans)


def _escape_window(text: str, start: int, size: int, spans: list[tuple[int, int, str]]) -> str:
    start = _word_boundary(text, start)
    end = min(len(text), start + size)
    if end < len(text):
        end = _word_boundary(text, end) or end
    parts = ["…" if start > 0 else ""]
    cursor = start
    for s, e in _merge((s, e) for s, e, _ in spans if s >= start and e <= end):
        parts.append(str(escape(text[cursor:s])))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    parts.append(str(escape(text[cursor:end])))
    if end < len(text):
        parts.append("…")
    return "".join(parts).replace("\n", " ")


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _word_boundary(text: str, index: int) -> int:
    """Nearest whitespace at or before ``index`` (within 20 chars), so words are not cut."""
    if index <= 0 or index >= len(text):
        return max(0, min(index, len(text)))
    for i in range(index, max(0, index - 20), -1):
        if text[i - 1].isspace():
            return i
    return index
