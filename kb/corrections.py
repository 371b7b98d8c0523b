"""What the reader probably meant: keyboard-layout mix-ups and typos, checked against the index.

Both directions of the 2-set layout are handled (``rkqkvpsxls`` → ``가바펜틴``, ``ㅎ뮤메두샤ㅜ`` →
``gabapentin``); a word the index knows is never "corrected". Typos are fixed at the jamo level
for Korean (``효늠`` → ``효능``) and by edit distance for English, against the index's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.reading import IndexReader

from kb.analysis.bigrams import HANGUL_RUN
from kb.analysis.hangul import (
    compose,
    decompose,
    edit_distance,
    hangul_to_qwerty,
    is_jamo,
    is_plausible_hangul,
    qwerty_to_hangul,
)

LATIN_QUERY = re.compile(r"[A-Za-z][A-Za-z0-9 ]*\Z")
LATIN_WORD = re.compile(r"[A-Za-z]+")
PARTICLES = ("으로", "에서", "은", "는", "이", "가", "을", "를", "의", "에", "도", "와", "과", "로")


@dataclass(frozen=True)
class Suggestion:
    """Another query to offer, or whose results are shown; ``kind``: ``keyboard`` or ``typo``."""

    text: str
    kind: str


def keyboard_alternative(text: str, reader: IndexReader) -> str | None:
    """The query as meant when typed with the keyboard in the other language's mode, or None."""
    if LATIN_QUERY.match(text):
        converted = " ".join(_hangul_if_meant(word, reader) for word in text.split())
        return converted if converted != text else None
    if any(HANGUL_RUN.match(ch) or is_jamo(ch) for ch in text) and not LATIN_WORD.search(text):
        converted = hangul_to_qwerty(text)
        words = LATIN_WORD.findall(converted)
        if words and all(_known(reader, "spell_en", w.lower()) for w in words):
            return converted.lower()
    return None


def _hangul_if_meant(word: str, reader: IndexReader) -> str:
    """A Latin word as Hangul when it is no word the index knows and converts to syllables."""
    if not word.isalpha() or _known(reader, "spell_en", word.lower()):
        return word  # real English words are never converted
    converted = qwerty_to_hangul(word)
    return converted if is_plausible_hangul(converted) else word


def typo_correction(text: str, reader: IndexReader) -> str | None:
    """The query with each unknown word replaced by the closest word the index holds, or None."""
    fixed = [_correct_word(word, reader) for word in text.split()]
    corrected = " ".join(fixed)
    return corrected if corrected != " ".join(text.split()) else None


def _correct_word(word: str, reader: IndexReader) -> str:
    if HANGUL_RUN.fullmatch(word):
        stem, particle = _split_particle(word)
        if len(stem) < 2 or _known(reader, "spell_ko", decompose(stem)):
            return word
        best = _closest(reader, "spell_ko", decompose(stem), _jamo_budget(stem))
        return compose(best) + particle if best else word
    if LATIN_WORD.fullmatch(word) and len(word) >= 4:
        lower = word.lower()
        if _known(reader, "spell_en", lower):
            return word
        best = _closest(reader, "spell_en", lower, 1 if len(word) <= 5 else 2)
        return best or word
    return word


def _split_particle(word: str) -> tuple[str, str]:
    """``부작융이`` → (``부작융``, ``이``): particles are not part of the word to correct."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1:
            return word[: -len(particle)], particle
    return word, ""


def _jamo_budget(word: str) -> int:
    """One wrong key in a two-syllable word, two in longer ones."""
    return 1 if len(word) <= 2 else 2


def _closest(reader: IndexReader, field: str, key: str, budget: int) -> str | None:
    """The nearest term within ``budget`` edits (Korean terms are keystrokes, so an edit is one
    wrong key), then the one in most articles."""
    candidates = [
        (edit_distance(key, term), -reader.doc_frequency(field, term), term)
        for term in reader.terms_within(field, key, budget)
        if term != key
    ]
    return min(candidates)[2] if candidates else None


def _known(reader: IndexReader, field: str, term: str) -> bool:
    return reader.doc_frequency(field, term) > 0
