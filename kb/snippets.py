"""Snippets with ``<mark>`` highlights, exact to the character, from the index's offsets.

Offsets come from the engine's match spans (character offsets kept at indexing), so showing a
result never re-runs Kiwi over its text; everything else in a snippet is HTML-escaped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from math import fsum
from typing import NamedTuple
from unicodedata import east_asian_width

from markupsafe import escape

from kb.engine import Span

SNIPPET_CHARS = 180
LEAD_CHARS = 40  # context kept before the first highlighted word
# Matches a snippet looks at, the first in the text: a word an article repeats 30,000 times
# still costs a few milliseconds, and an article of normal size never has this many.
MAX_SPANS = 1000
_SENTENCE_BREAK = re.compile(r"(?<=[.!?。:;])\n")  # a line break after a sentence (or a colon)
# How far a snippet reaches back for the start of the sentence its first word is in (in columns:
# a Hangul syllable is two), and on (in characters) for the end of the sentence its window cuts:
# a negation said before the word ("do not work against … flu") or, in Korean, after it ("…
# 독감 … 효과가 없습니다") is part of what the match means.
SENTENCE_LEAD = 100
SENTENCE_TAIL = 40
# Where a sentence starts: after a full stop and a space (not before a lower-case letter: "e.g.
# warfarin"), or at a block's start; and where one ends.
_SENTENCE_START = re.compile(r"(?:(?<=[.!?。])[ \t]+(?![a-z \t])|\n)")
_SENTENCE_END = re.compile(r"[.!?。\n]")
_SPACE = re.compile(r"\s")
_ENDED = re.compile(r"[.!?。]\s+\Z")  # where a sentence ended before the next one
# What parts two words into separate sentences, and (for a word not in a list's heading) list
# items: a line ending in a colon ("Rare but serious side effects:") heads the items under it.
_SENTENCE_STOP = re.compile(r"[.!?。](?:\s|\Z)")
_SAID_APART = re.compile(rf"{_SENTENCE_STOP.pattern}|\n")


#: What a matched word counts for in a window, span by span (a word's idf, say, times the weight
#: of the field the span is in); a word found several times in a window counts its best span.
Weigh = Callable[[Span], float]
#: How much of the query a window's distinct words tell, before their weights count: by default
#: how many of them are ``telling``.
Tells = Callable[[Collection[str]], float]


def make_snippet(
    text: str,
    spans: Sequence[Span],
    size: int = SNIPPET_CHARS,
    weigh: Weigh | None = None,
    telling: Collection[str] = (),
    tells: Tells | None = None,
    answer: Sequence[Span] = (),
    tie_breaking: Collection[str] = (),
) -> str:
    """The window of ``text`` with the most distinct matched words, as safe HTML; ``spans`` in
    text order, as the engine gives them (only the first :data:`MAX_SPANS` count). A window
    with more ``telling`` words wins (see :func:`window_start`); between windows with as many,
    words count by ``weigh``, so `medicine for nausea` shows where nausea is, not where the
    article calls itself a medicine. The ``answer`` (where the text says an amount, for a
    query asking how much) counts in choosing the window as the spans do, is marked only where
    it is among them, and is where the window starts. Nor does a window start at a
    ``tie_breaking`` word said apart from the words asked while another could (see
    :func:`_apart_from_asked`)."""
    first = spans[:MAX_SPANS]
    marked = set(first)
    unmarked = [span for span in answer[:MAX_SPANS] if span not in marked]
    choosing = sorted([*first, *unmarked]) if unmarked else first
    unanchored, alone = _apart_from_asked(text, choosing, size, weigh, telling, tie_breaking)
    if answer:  # the window starts where the answer is, not where the question's words are
        unanchored.update(marked.difference(answer))
        if alone and weigh:  # and a name said apart from it does not tip a tie
            weigh = _weightless(weigh, alone)
    start = window_start(choosing, size, weigh, telling, tells, unanchored)
    return snippet_at(text, start, first, size, kept=unmarked, unanchored=unanchored)


def _weightless(weigh: Weigh, spans: set[Span]) -> Weigh:
    """``weigh``, but for ``spans``, which weigh nothing."""
    return lambda span: 0.0 if span in spans else weigh(span)


def _apart_from_asked(
    text: str,
    spans: Sequence[Span],
    size: int,
    weigh: Weigh | None,
    telling: Collection[str],
    tie_breaking: Collection[str],
) -> tuple[set[Span], set[Span]]:
    """The spans of ``tie_breaking`` words (the result's title shows them) that no word asked
    for follows in the same sentence (or list item), within a window, and of those, the ones
    none precedes either. A window starting at one of the first would show the line asked for
    only at its end (`can i stop taking gabapentin suddenly`: "…absorption of gabapentin: take
    it 2 hours after… Do not stop taking it suddenly"), where one starting at a title's word
    said with the word asked ("side effects: … especially in children") reads as one; and a
    name said with nothing asked does not make its window the one that shows the answer.
    Where the title's words are all that count, none is set apart."""
    asked = [
        span for span in spans
        if span.word in telling or (span.word not in tie_breaking and (weigh(span) if weigh else 1))
    ]  # fmt: skip
    if not tie_breaking or not asked:
        return set(), set()
    starts = [span.start for span in asked]
    unanchored, alone = set(), set()
    for span in spans:
        if span.word not in tie_breaking or span.word in telling:
            continue
        after = bisect_left(starts, span.end)
        later = asked[after] if after < len(asked) else None
        if later is None or later.end > span.start + size or _parted(text, span, later):
            unanchored.add(span)
            before = bisect_left(starts, span.start) - 1
            earlier = asked[before] if before >= 0 else None
            if earlier is None or earlier.start < span.end - size or _parted(text, earlier, span):
                alone.add(span)
    return unanchored, alone


def window_start(
    spans: Sequence[Span],
    size: int = SNIPPET_CHARS,
    weigh: Weigh | None = None,
    telling: Collection[str] = (),
    tells: Tells | None = None,
    unanchored: Collection[Span] = (),
) -> int:
    """Where the best window starts: the first of those with the most distinct ``telling``
    words (the words that say which part of a text to show: a word every text has does not;
    ``tells`` may count them otherwise), then the most distinct words by ``weigh`` (else each
    counting 1), among the windows that begin :data:`LEAD_CHARS` before a span (spans in text
    order, as the engine gives them) of a word that counts or tells. An ``unanchored`` span
    counts inside a window but starts none while another could (see
    :func:`_apart_from_asked`).

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
    best_start, best_score = 0, (-1.0, -1.0)
    anchors = _anchors(by_start, keys, telling, unanchored)
    tells = tells or (lambda words: sum(word in telling for word in words))
    for anchor, anchoring in zip(by_start, anchors, strict=True):
        if not anchoring:
            continue
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
        score = _distinct_score(counts, tells)
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def _parted(text: str, span: Span, later: Span) -> bool:
    """Whether a sentence, or a list item, ends between ``span`` and ``later``; a list's
    heading ("Common side effects:") runs into its items."""
    line_end = text.find("\n", span.end, later.start)  # never further: a text may be one line
    heading = line_end >= 0 and text[span.end : line_end].rstrip().endswith(":")
    parting = _SENTENCE_STOP if heading else _SAID_APART
    return parting.search(text, span.end, later.start) is not None


def _anchors(
    spans: Sequence[Span],
    keys: Sequence[tuple[str, float]],
    telling: Collection[str],
    unanchored: Collection[Span],
) -> list[bool]:
    """Which ``spans`` (with their word and weight) a window may start before: those of a word
    that counts or tells (not one that frames) but for ``unanchored``; failing any, all that
    count or tell; failing that, all."""
    counting = [bool(weight) or word in telling for word, weight in keys]
    if unanchored:
        anchoring = [c and s not in unanchored for c, s in zip(counting, spans, strict=True)]
        if any(anchoring):
            return anchoring
    return counting if any(counting) else [True] * len(keys)


def _distinct_score(counts: dict[tuple[str, float], int], tells: Tells) -> tuple[float, float]:
    """How much the window's distinct words tell, then their weights (each word by its best
    span in the window)."""
    best: dict[str, float] = {}
    for word, weight in counts:
        best[word] = max(weight, best.get(word, weight))
    return tells(best.keys()), fsum(best.values())


class Bounds(NamedTuple):
    """Where a snippet starts and ends in its text, and whether it cuts a sentence there."""

    start: int
    end: int
    cut_before: bool
    cut_after: bool


def snippet_at(
    text: str,
    start: int,
    spans: Sequence[Span],
    size: int = SNIPPET_CHARS,
    kept: Sequence[Span] = (),
    unanchored: Collection[Span] = (),
) -> str:
    """The window of ``size`` characters of ``text`` from ``start`` (see :func:`bounds`),
    escaped, with the spans inside marked and "…" where a sentence was cut; ``kept`` spans
    stay in the window as the marked ones do, unmarked. An ``unanchored`` span the window's
    lead takes in does not open the window on its sentence: "…if you slept less than 7 to 8
    hours. Women and older people…" would cut the falls it warns of from its end."""
    held = [span for span in [*spans, *kept] if span not in unanchored]
    shown = bounds(text, start, held or [*spans, *kept], size)
    parts = ["…" if shown.cut_before else ""]
    cursor = shown.start
    inside = ((s.start, s.end) for s in spans if s.start >= shown.start and s.end <= shown.end)
    for s, e in _merge(inside):
        parts.append(str(escape(text[cursor:s])))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    parts.append(str(escape(text[cursor : shown.end])))
    if shown.cut_after:
        parts.append("…")
    return _joined_blocks("".join(parts))


def bounds(text: str, start: int, spans: Sequence[Span], size: int = SNIPPET_CHARS) -> Bounds:
    """The window of ``size`` characters from ``start``, read in whole sentences: it starts
    where the sentence of its first word starts when that is near (else between words), keeps
    every word the window holds, and ends where a sentence ends when one does soon after. A
    negation is part of what a match means: "do not work against … flu" (cut 40 characters
    before `flu`, it said the opposite); Korean says it after the word, "… 독감 … 효과가
    없습니다"."""
    window = [s for s in spans if s.start >= start and s.end <= start + size]
    opening = _sentence_opening(text, min(s.start for s in window), start) if window else None
    if opening is None:
        start = _word_boundary(text, start)
        end = start + size
    else:  # the window's words stay in; its end moves with its start
        start, end = opening, max(opening + size, *(s.end for s in window))
    keep = max((s.end for s in window), default=0)
    end, whole = _sentence_end(text, end, keep)
    return Bounds(start, end, cut_before=not _opens_sentence(text, start), cut_after=not whole)


def _sentence_opening(text: str, at: int, start: int) -> int | None:
    """Where a window from ``start`` whose first word is at ``at`` starts reading: where the
    sentence holding ``at`` starts, if that is within :data:`SENTENCE_LEAD` columns; when the
    window shows that sentence whole, after the last sentence ``start`` cuts into, if one ends
    before ``at`` ("…children. It is also…"), but not after a list item or a heading: the items
    before an item ("side effects: headache · nausea") say what the list is. Nor before a
    block (a heading, a paragraph) that opens after a finished sentence: that sentence ends
    what came before ("…상담하세요. 보관 · 습기와…")."""
    reach = _columns_before(text, at, SENTENCE_LEAD)
    block = text.rfind("\n", 0, at) + 1
    if block > reach and _ENDED.search(text, max(0, block - 8), block):
        reach = block - 1  # where the line break is, so the block's start is an opening
    openings = list(_openings(text, reach, at))
    holding = openings[-1] if openings else 0 if reach == 0 else None
    if holding is None or holding <= start:
        return holding
    return next((o for o in openings if o > start and _ENDED.search(text, o - 8, o)), None)


def _columns_before(text: str, at: int, columns: int) -> int:
    """Where the ``columns`` before ``at`` start as a reader sees them: a Hangul syllable is
    two columns wide, so a Korean snippet reaches back half as many characters and its first
    word stays in view where a box shows three lines."""
    start = at
    while start > 0 and columns > 0:
        start -= 1
        columns -= 2 if east_asian_width(text[start]) in "WF" else 1
    return start


def _opens_sentence(text: str, at: int) -> bool:
    """Whether a sentence (or the text) starts at ``at``."""
    return at == 0 or at in _openings(text, max(0, at - SENTENCE_TAIL), at)


def _openings(text: str, start: int, end: int) -> Iterator[int]:
    """Where sentences start from ``start`` up to ``end`` (the character at ``end`` is read
    too: whether the next word is lower-case decides)."""
    for found in _SENTENCE_START.finditer(text, start, end + 1):
        if found.end() > end:
            return
        yield found.end()


def _sentence_end(text: str, end: int, keep: int) -> tuple[int, bool]:
    """Where a snippet meant to end at ``end`` ends, and whether a sentence (or the text) ends
    there: at a sentence's end within :data:`SENTENCE_TAIL`, else between words, never before
    ``keep`` (the end of its last marked word)."""
    end = max(end, keep)
    if end >= len(text):
        return len(text), True
    closing = _closing(text, end - (end > keep), end + SENTENCE_TAIL)
    if closing is not None:
        return closing, True
    before = _word_boundary(text, end)
    if keep <= before and before > 0:
        return before, False
    after = _SPACE.search(text, end, end + 20)
    return (after.start() if after else end), False


def _closing(text: str, start: int, end: int) -> int | None:
    """Where the first sentence (or block) that ends between ``start`` and ``end`` ends: a full
    stop before a space or the text's end ("0.05 mg" goes on), or a line break."""
    for found in _SENTENCE_END.finditer(text, start, end):
        if found.group() == "\n":
            return found.start()
        if found.end() == len(text) or text[found.end()].isspace():
            return found.end()
    return None


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
