"""The words query helpers need from each article: 초성 keys and spelling vocabularies.

Typo correction compares a reader's word with words the index really holds, Korean as keystroke
jamo (one wrong key = one edit) and English unstemmed (a suggestion must be a real word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kb.analysis.base import terms
from kb.analysis.hangul import HANGUL_RUN, decompose_word, initials
from kb.analysis.korean import korean_pieces

SPELLING_WORD = re.compile(r"[A-Za-z]{3,}")
MIN_KOREAN_SYLLABLES = 2


def initials_keys(texts: Iterable[str]) -> list[str]:
    """초성 of each Hangul word, and of each whole text with its spaces removed."""
    keys: set[str] = set()
    for text in texts:
        words = HANGUL_RUN.findall(text)
        keys.update(initials(word) for word in words)
        if len(words) > 1:
            keys.add(initials("".join(words)))
    return sorted(keys)


def korean_vocabulary(texts: Iterable[str]) -> list[str]:
    """Keystroke jamo of the Hangul nouns and lemmas the index holds for ``texts`` (a prefixed
    noun whole too: 고용량 is a word a reader may mistype)."""
    words: set[str] = set()
    for text in texts:
        for term in terms(text, korean_pieces(text)):
            if len(term.text) >= MIN_KOREAN_SYLLABLES and HANGUL_RUN.fullmatch(term.text):
                words.add(decompose_word(term.text))
    return sorted(words)


def latin_vocabulary(texts: Iterable[str]) -> list[str]:
    """Lower-cased Latin words of three letters or more, as written (not stemmed)."""
    return sorted({w.lower() for text in texts for w in SPELLING_WORD.findall(text)})
