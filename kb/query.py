"""A reader's query string → cleaned text, phrases and per-language Whoosh queries.

Each language side analyses the *whole* query with its own analyzer (Kiwi needs the context), so a
Korean query becomes Korean terms for Korean fields and, say, stemmed English terms for English
fields. Each term or phrase is a *concept*; ranking counts how many concepts a document covers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq

from kb.analysis import english_analyzer, hangul_bigrams, korean_analyzer
from kb.analysis.base import PieceTokenizer
from kb.content import LOCALES, normalize_text

MAX_QUERY_CHARS = 256
MAX_CONCEPTS = 24
MIN_BIGRAM_RECALL = 3  # syllables: shorter words would match inside others (감기 in 반감기)

# Relative weights of the fields in BM25F; the title says most about what an article is about.
FIELD_BOOSTS = {"title": 4.0, "tags": 3.0, "summary": 1.5, "body": 1.0}
BIGRAM_RECALL_BOOST = 0.3
BIGRAM_SCORE_BOOST = 0.3

QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "＂": '"', "«": '"', "»": '"'})
FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
PHRASE_RE = re.compile(r'"([^"]*)"')

_ANALYZERS: dict[str, PieceTokenizer] = {"ko": korean_analyzer(), "en": english_analyzer()}


@dataclass(frozen=True)
class Concept:
    """One term or quoted phrase of the query, on one language side."""

    words: tuple[str, ...]
    query: wq.Query


@dataclass
class ParsedQuery:
    text: str  # cleaned, what was searched
    truncated: bool = False
    concepts: dict[str, list[Concept]] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)  # for highlighting, per side
    booster: wq.Query | None = None

    @property
    def empty(self) -> bool:
        return not any(self.concepts.values())

    def matching_query(self) -> wq.Query:
        """Every concept OR-ed; bigrams of the whole query only add score, never matches."""
        every = [c.query for side in self.concepts.values() for c in side]
        matcher: wq.Query = wq.Or(every)
        if self.booster is not None:
            matcher = wq.AndMaybe(matcher, self.booster)
        return matcher


def clean_query(raw: str) -> tuple[str, bool]:
    """Control characters out, NFC, full-width ASCII folded, at most MAX_QUERY_CHARS."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in raw)
    text = normalize_text(text).translate(FULLWIDTH).translate(QUOTES)
    text = " ".join(text.split())
    if len(text) <= MAX_QUERY_CHARS:
        return text, False
    cut = text[:MAX_QUERY_CHARS]
    if " " in cut[MAX_QUERY_CHARS // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut, True


def split_phrases(text: str) -> tuple[str, list[str]]:
    """Quoted phrases apart from the free text; an unbalanced quote is just dropped."""
    phrases = [p.strip() for p in PHRASE_RE.findall(text) if p.strip()]
    free = PHRASE_RE.sub(" ", text).replace('"', " ")
    return free, phrases


def parse_query(raw: str) -> ParsedQuery:
    text, truncated = clean_query(raw)
    parsed = ParsedQuery(text=text, truncated=truncated)
    free, phrases = split_phrases(text)
    for side in LOCALES:
        concepts: list[Concept] = []
        seen: set[tuple[str, ...]] = set()
        terms = _ANALYZERS[side].terms(free, query=True)
        for term in terms:
            recall = side == "ko" and _bigram_recall_ok(free, term.text, term.start, term.end)
            _add(concepts, seen, (term.text,), _side_query(side, (term.text,), recall))
        for phrase in phrases:
            words = tuple(t.text for t in _ANALYZERS[side].terms(phrase, query=True))
            if words:
                _add(concepts, seen, words, _side_query(side, words, False))
        parsed.concepts[side] = concepts[:MAX_CONCEPTS]
        parsed.terms[side] = sorted({w for c in parsed.concepts[side] for w in c.words})
    bigrams = sorted({b.text for b in hangul_bigrams(text)})
    if bigrams and not parsed.empty:
        parsed.booster = wq.Or(
            [wq.Term("bigram_ko", b) for b in bigrams[: MAX_CONCEPTS * 2]],
            boost=BIGRAM_SCORE_BOOST,
        )
    return parsed


def _add(concepts: list[Concept], seen: set, words: tuple[str, ...], query: wq.Query) -> None:
    if words not in seen:
        seen.add(words)
        concepts.append(Concept(words, query))


def _bigram_recall_ok(text: str, word: str, start: int, end: int) -> bool:
    """Only whole Hangul words the reader typed, long enough not to hide inside other words."""
    return (
        len(word) >= MIN_BIGRAM_RECALL
        and text[start:end] == word
        and all("\uac00" <= ch <= "\ud7a3" for ch in word)
    )


def _side_query(side: str, words: tuple[str, ...], bigram_recall: bool) -> wq.Query:
    """A term or phrase in any of one language's fields, weighted by field."""
    parts: list[wq.Query] = []
    for name, boost in FIELD_BOOSTS.items():
        fieldname = f"{name}_{side}"
        if len(words) == 1:
            parts.append(wq.Term(fieldname, words[0], boost=boost))
        else:
            parts.append(wq.Phrase(fieldname, list(words), boost=boost))
    if bigram_recall:
        grams = [b.text for b in hangul_bigrams(words[0])]
        parts.append(wq.Phrase("bigram_ko", grams, boost=BIGRAM_RECALL_BOOST))
    return wq.Or(parts)
