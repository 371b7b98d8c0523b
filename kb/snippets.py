"""Snippets with ``<mark>`` highlights, exact to the character, from the index's offsets.

Offsets come from the engine's match spans (character offsets kept at indexing), so showing a
result never re-runs Kiwi over its text; everything else in a snippet is HTML-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from math import fsum

from markupsafe import escape

from kb.engine import Span

SNIPPET_CHARS = 180
LEAD_CHARS = 40  # context kept before the first highlighted word
# Matches a snippet looks at, the first in the text: a word an article repeats 30,000 times
# still costs a few milliseconds, and an article of normal size never has this many.
MAX_SPANS = 1000
_SENTENCE_BREAK = re.compile(r"(?<=[.!?。:;])\n")  # a line break after a sentence (or a colon)


#: What a matched word counts for in a window, span by span (a word's idf, say, times the weight
#: of the field the span is in); a word found several times in a window counts its best span.
Weigh = Callable[[Span], float]


def make_snippet(
    text: str,
    spans: Sequence[Span],
    size: int = SNIPPET_CHARS,
    weigh: Weigh | None = None,
    telling: Collection[str] = (),
) -> str:
    """The window of ``text`` with the most distinct matched words, as safe HTML; ``spans`` in
    text order, as the engine gives them (only the first :data:`MAX_SPANS` count). A window
    with more ``telling`` words wins (see :func:`window_start`); between windows with as many,
    words count by ``weigh``, so `medicine for nausea` shows where nausea is, not where the
    article calls itself a medicine."""
    first = spans[:MAX_SPANS]
    return snippet_at(text, window_start(first, size, weigh, telling), first, size)


def window_start(
    spans: Sequence[Span],
    size: int = SNIPPET_CHARS,
    weigh: Weigh | None = None,
    telling: Collection[str] = (),
) -> int:
    """Where the best window starts: the first of those with the most distinct ``telling``
    words (the words that say which part of a text to show: a word every text has does not),
    then the most distinct words by ``weigh`` (else each counting 1), among the windows that
    begin :data:`LEAD_CHARS` before a span (spans in text order, as the engine gives them).

    One pass with two pointers: a span enters the window once its end fits and leaves once the
    window has moved past its start, so an article with thousands of matches costs
    O(n log n), not O(n²) (a 52 MB article once took 30 s per result).
    """
    by_start = sorted(spans)
    by_end = sorted(range(len(by_start)), key=lambda i: by_start[i].end)
    keys = [(span.word, weigh(span) if weigh else 1.0) for span in by_start]
    inside = [False] * len(by_start)
    counts: dict[tuple[str, float], int] = {}  # (word, weight) → spans of it in the window
    entering = leaving = 0
    best_start, best_score = 0, (-1, -1.0)
    weighed = any(weight for _, weight in keys)
    for anchor, (_, weight) in zip(by_start, keys, strict=True):
        if weighed and not weight:
            continue  # a window starts before a word that counts, not one that only frames
        start = max(0, anchor.start - LEAD_CHARS)
        while leaving < len(by_start) and by_start[leaving].start < start:
            if inside[leaving]:
                inside[leaving] = False
                key = keys[leaving]
                counts[key] -= 1
                if not counts[key]:
                    del counts[key]
            leaving += 1
        while entering < len(by_end) and by_start[by_end[entering]].end <= start + size:
            i = by_end[entering]
            if by_start[i].start >= start:
                inside[i] = True
                counts[keys[i]] = counts.get(keys[i], 0) + 1
            entering += 1
        score = _distinct_score(counts, telling)
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def _distinct_score(
    counts: dict[tuple[str, float], int], telling: Collection[str]
) -> tuple[int, float]:
    """How many telling words the window holds, then its distinct words' weights (each word by
    its best span in the window)."""
    best: dict[str, float] = {}
    for word, weight in counts:
        best[word] = max(weight, best.get(word, weight))
    return sum(word in telling for word in best), fsum(best.values())


def snippet_at(text: str, start: int, spans: Sequence[Span], size: int = SNIPPET_CHARS) -> str:
    """``size`` characters of ``text`` from ``start`` (moved back to a word boundary), escaped,
    with the spans inside marked and "…" where text was cut."""
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
    return _joined_blocks("".join(parts))


def _joined_blocks(html: str) -> str:
    """One line: a block that ends a sentence runs on with a space, any other (a list item, a
    heading) with " · ", so `diarrhea, nausea` and `bloating` stay two items."""
    return _SENTENCE_BREAK.sub(" ", html).replace("\n", " · ")


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
