"""Snippets with ``<mark>`` highlights, exact to the character, from the index's offsets.

Offsets come from the engine's match spans (character offsets kept at indexing), so showing a
result never re-runs Kiwi over its text; everything else in a snippet is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import escape

from kb.engine import Span

SNIPPET_CHARS = 180
LEAD_CHARS = 40  # context kept before the first highlighted word


def make_snippet(text: str, spans: list[Span], size: int = SNIPPET_CHARS) -> str:
    """The window of ``text`` with the most distinct matched words, as safe HTML."""
    if not spans:
        return _escape_window(text, 0, size, [])
    best_start, best_score = 0, -1
    for anchor in spans:
        start = max(0, anchor.start - LEAD_CHARS)
        inside = {s.word for s in spans if s.start >= start and s.end <= start + size}
        if len(inside) > best_score:
            best_start, best_score = start, len(inside)
    return _escape_window(text, best_start, size, spans)


def _escape_window(text: str, start: int, size: int, spans: list[Span]) -> str:
    start = _word_boundary(text, start)
    end = min(len(text), start + size)
    if end < len(text):
        end = _word_boundary(text, end) or end
    parts = ["…" if start > 0 else ""]
    cursor = start
    for s, e in _merge((s.start, s.end) for s in spans if s.start >= start and s.end <= end):
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
