"""English words spelled right: a word on pyspellchecker's frequency list (MIT; 160,000
words from subtitles) is no misspelling, however few articles say it.

Without it, a word the articles lack was told from a misspelling only by the articles' own
words: ``carpet`` became ``care``, and ``who invented ice cream`` over Korean passages
``inverted``. Loaded once a process (~0.2 s; a server's warm-up, before its workers fork).
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
from spellchecker import SpellChecker

# A Latin word this long that no article has may be respelled whatever the query finds: a
# drug's name is (`ibuprofin`); shorter unknown words are more often words of their own.
MIN_RESPELLED_LATIN = 6
LATIN_WORD = re.compile(r"[a-z]+\Z")  # what a respelled word is (the list holds "café", "e-mail")


@cache
def _hashes() -> np.ndarray:
    """The sorted hashes of the list's 128,000 plain words: 1 MB, where a set of the words
    held 16 MiB of a process (a hash is this process's, as the array is)."""
    listed = SpellChecker(language="en", distance=1).word_frequency.keys()
    wanted = (hash(w) for w in listed if LATIN_WORD.match(w))
    return np.unique(np.fromiter(wanted, dtype=np.int64))


def is_english_word(word: str) -> bool:
    """Whether ``word`` is spelled right."""
    hashes, key = _hashes(), hash(word.lower())
    at = int(np.searchsorted(hashes, key))
    return at < len(hashes) and int(hashes[at]) == key
