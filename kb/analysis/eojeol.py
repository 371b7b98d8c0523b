"""Eojeol stems: each Hangul word with its trailing particle cut off, without a model.

A recall fallback for short words Kiwi reads differently in a query than in an article
(``고마의`` → ``고`` + ``마``, while the article's ``고마는`` stays whole): the stem ``고마``
matches only whole words plus a particle, so ``대상`` never finds ``대상포진``, nor ``감기``
``반감기``.
"""

from __future__ import annotations

from kb.analysis.base import PieceTokenizer, Term
from kb.analysis.hangul import HANGUL_RUN

# Longest first; only particles (and the copula's common forms), never verb endings.
PARTICLES = sorted(
    (
        *("은", "는", "이", "가", "을", "를", "의", "에", "도", "와", "과", "로", "만", "나"),
        *("랑", "께", "야", "으로", "에서", "에게", "한테", "까지", "부터", "처럼", "보다"),
        *("이나", "이랑", "하고", "마다", "조차", "밖에", "에는", "에도", "에서는", "에서도"),
        *("에게는", "으로는", "으로도", "로는", "로도", "과는", "와는"),
        *("이다", "이며", "이고", "입니다", "이에요", "예요"),
    ),
    key=len,
    reverse=True,
)
MIN_STEM = 2  # syllables
_PARTICLE_SET = frozenset(PARTICLES)
_PARTICLE_LENGTHS = sorted({len(p) for p in PARTICLES}, reverse=True)


def split_particle(word: str) -> tuple[str, str]:
    """``고마는`` → (``고마``, ``는``); a word whose stem would be shorter than two syllables
    stays whole."""
    for length in _PARTICLE_LENGTHS:  # one set lookup per length, not one endswith per particle
        if len(word) - length >= MIN_STEM and word[-length:] in _PARTICLE_SET:
            return word[:-length], word[-length:]
    return word, ""


def eojeol_stem(word: str) -> str:
    """``고마는`` → ``고마``."""
    return split_particle(word)[0]


def eojeol_stems(text: str) -> list[Term]:
    """The stem of each Hangul run of two syllables or more, with the run's span."""
    out = []
    for pos, run in enumerate(HANGUL_RUN.finditer(text)):
        stem = eojeol_stem(run.group())
        if len(stem) >= MIN_STEM:
            out.append(Term(stem, run.start(), run.end(), pos))
    return out


class EojeolTokenizer(PieceTokenizer):
    def terms(self, text: str, *, query: bool = False) -> list[Term]:
        return eojeol_stems(text)


def eojeol_analyzer() -> EojeolTokenizer:
    return EojeolTokenizer()
