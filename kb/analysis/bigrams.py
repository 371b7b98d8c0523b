"""Hangul syllable bigrams (Lucene CJK style): the recall fallback beside morphological terms.

Bigrams find words Kiwi segments differently in different contexts; the search layer makes sure
they only add score or match long words from the start of a word, so ``감기`` never finds
``반감기`` and ``근육통`` never finds ``섬유근육통``. Each run's first bigram is also indexed with a
``^`` anchor for that purpose.
"""

from __future__ import annotations

from kb.analysis.base import PieceTokenizer, Term
from kb.analysis.hangul import HANGUL_RUN

ANCHOR = "^"


def hangul_bigrams(text: str) -> list[Term]:
    """Bigrams of each Hangul run; runs sit a position apart so a phrase never spans two."""
    out = []
    pos = 0
    for run in HANGUL_RUN.finditer(text):
        word, start = run.group(), run.start()
        for i in range(len(word) - 1):
            if i == 0:
                out.append(Term(ANCHOR + word[:2], start, start + 2, pos))
            out.append(Term(word[i : i + 2], start + i, start + i + 2, pos))
            pos += 1
        pos += 1
    return out


def anchored_bigrams(word: str) -> list[str]:
    """The phrase that finds ``word`` at the start of a Hangul run, whatever particle follows."""
    grams = [word[i : i + 2] for i in range(len(word) - 1)]
    return [ANCHOR + grams[0], *grams[1:]] if grams else []


class HangulBigramTokenizer(PieceTokenizer):
    def terms(self, text: str, *, query: bool = False) -> list[Term]:
        return hangul_bigrams(text)


def bigram_analyzer() -> HangulBigramTokenizer:
    return HangulBigramTokenizer()
