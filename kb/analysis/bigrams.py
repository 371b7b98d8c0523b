"""Hangul syllable bigrams (Lucene CJK style): the recall fallback beside morphological terms.

Bigrams find words Kiwi segments differently in different contexts; the search layer makes sure
they only add score or match long words whole, so ``감기`` never finds ``반감기``.
"""

from __future__ import annotations

import re

from kb.analysis.base import PieceTokenizer, Term

HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")


def hangul_bigrams(text: str) -> list[Term]:
    """Bigrams of each Hangul run; runs sit a position apart so a phrase never spans two."""
    out = []
    pos = 0
    for run in HANGUL_RUN.finditer(text):
        word = run.group()
        for i in range(len(word) - 1):
            out.append(Term(word[i : i + 2], run.start() + i, run.start() + i + 2, pos))
            pos += 1
        pos += 1
    return out


class HangulBigramTokenizer(PieceTokenizer):
    def terms(self, text: str, *, query: bool = False) -> list[Term]:
        return hangul_bigrams(text)


def bigram_analyzer() -> HangulBigramTokenizer:
    return HangulBigramTokenizer()
