"""Snippets with ``<mark>`` highlights, exact to the character, read from the index's offsets.

Offsets come from the postings (fields indexed with ``chars=True``), so showing a result never
re-runs Kiwi over its text; everything else in a snippet is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import escape
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

SNIPPET_CHARS = 180
LEAD_CHARS = 40  # context kept before the first highlighted word


def match_spans(
    searcher: Searcher, fieldname: str, docnum: int, words: Iterable[str]
) -> list[tuple[int, int, str]]:
    """(start, end, word) of every occurrence of ``words`` in one document's field."""
    spans = []
    for word in words:
        try:
            matcher = searcher.postings(fieldname, word)
        except TermNotFound:
            continue
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            spans.extend((s, e, word) for _, s, e in matcher.value_as("characters"))
    return sorted(spans)


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
