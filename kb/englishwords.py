"""English words spelled right: a word on pyspellchecker's frequency list (MIT; 160,000
words from subtitles) is no misspelled name, however few articles say it.

Without it, a word the articles lack was told from a misspelling only by the articles' own
words: ``who invented ice cream`` over Korean passages became ``inverted``. Loaded on first
use (~0.2 s, ~11 MB), as few queries hold a word to ask about.
"""

from __future__ import annotations

from functools import cache

from spellchecker import SpellChecker

# A Latin word this long that no article has may be respelled whatever the query finds: a
# drug's name is (`ibuprofin`); shorter unknown words are more often words of their own.
MIN_RESPELLED_LATIN = 6


@cache
def _words() -> frozenset[str]:
    """The list's words of a length respelling considers (the rest are never asked about)."""
    listed = SpellChecker(language="en", distance=1).word_frequency.keys()
    return frozenset(w for w in listed if len(w) >= MIN_RESPELLED_LATIN)


def is_english_word(word: str) -> bool:
    """Whether ``word`` (of :data:`MIN_RESPELLED_LATIN` letters or more) is spelled right."""
    return word.lower() in _words()
