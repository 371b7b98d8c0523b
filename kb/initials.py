"""초성 search: articles whose Korean title or tag words start with the typed initials.

A short key such as ``ㅇㅇ`` matches a large share of a knowledge base and hundreds of distinct
keys, so matching and ordering read a table made once per build (the keys sorted, each
article's title), never a posting list or a stored article.
"""

from __future__ import annotations

import numpy as np

from kb.analysis.hangul import HANGUL_RUN, initials
from kb.analysis.vocabulary import initials_keys
from kb.cache import per_build, repacked
from kb.engine import EngineBuild
from kb.ranking import Ranking
from kb.schema import MatchPlace
from kb.snapshot import IndexSnapshot
from kb.sortedkeys import PackedTexts, SortedKeys

WORD_SEPARATOR = " "  # 초성 words never hold a space


class TitleInitials:
    """Every live article's Korean title with the 초성 of the whole title and of each word,
    and the 초성 keys of its title and tags, sorted so that the keys starting with what was
    typed are one range. Held packed, by document number: a server worker keeps a few arrays,
    not three objects per article."""

    def __init__(self, build: EngineBuild):
        size = build.size
        titles, whole, words = [""] * size, [""] * size, [""] * size
        pairs: list[tuple[str, int]] = []
        for docnum, article in build.articles():
            ko = article.translations.get("ko")
            if ko is None:
                continue
            initial_words = [initials(w) for w in HANGUL_RUN.findall(ko.title)]
            titles[docnum], whole[docnum] = ko.title, "".join(initial_words)
            words[docnum] = WORD_SEPARATOR.join(initial_words)
            pairs.extend((key, docnum) for key in initials_keys([ko.title, *ko.tags]))
        pairs.sort()
        self.titles, self.whole, self.words = map(PackedTexts.of, (titles, whole, words))
        self.keys = SortedKeys(key for key, _ in pairs)
        self.owners = np.array([docnum for _, docnum in pairs], dtype=np.int64)

    def holding(self, key: str) -> np.ndarray:
        """The articles with a key that starts with ``key``."""
        found = self.keys.prefixed(key)
        return np.unique(self.owners[found.start : found.stop])

    def place(self, docnum: int, key: str) -> MatchPlace:
        if self.whole[docnum].startswith(key):
            return MatchPlace.TITLE_START
        if any(w.startswith(key) for w in self.words[docnum].split(WORD_SEPARATOR)):
            return MatchPlace.TITLE_WORD
        return MatchPlace.TAG


@per_build
@repacked
def title_table(snapshot: IndexSnapshot) -> TitleInitials:
    """The table of one build, made on first use (a build never changes)."""
    return TitleInitials(snapshot.engine)


def initials_matches(snapshot: IndexSnapshot, text: str) -> Ranking:
    """Articles with a title or tag word whose 초성 start with ``text``; titles that start with
    them first, then titles containing such a word, then tags; alphabetical within each."""
    key = "".join(text.split())
    table = title_table(snapshot)
    docnums = table.holding(key) if key else np.zeros(0, dtype=np.int64)
    ordered = sorted(
        (int(d) for d in docnums), key=lambda d: (table.place(d, key), table.titles[d])
    )
    ones = np.ones(len(ordered))
    return Ranking(np.array(ordered, dtype=np.int64), ones, ones)
