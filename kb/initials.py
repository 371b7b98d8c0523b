"""초성 search: articles whose Korean title or tag words start with the typed initials.

A short key such as ``ㅇㅇ`` matches a large share of a knowledge base, so ordering the matches
reads each article's title from a table made once per build, never its stored article.
"""

from __future__ import annotations

import numpy as np

from kb.analysis.hangul import HANGUL_RUN, initials
from kb.cache import per_build
from kb.engine import EngineBuild
from kb.ranking import Ranking
from kb.schema import MatchPlace
from kb.snapshot import IndexSnapshot

FIELD = "initials"


class TitleInitials:
    """Every article's Korean title with the 초성 of the whole title and of each word."""

    def __init__(self, build: EngineBuild):
        size = build.size
        self.titles = [""] * size
        self.whole = [""] * size
        self.words: list[tuple[str, ...]] = [()] * size
        for docnum, article in build.articles():
            ko = article.translations.get("ko")
            title = ko.title if ko else ""
            words = tuple(initials(w) for w in HANGUL_RUN.findall(title))
            self.titles[docnum], self.whole[docnum], self.words[docnum] = (
                title,
                "".join(words),
                words,
            )

    def place(self, docnum: int, key: str) -> MatchPlace:
        if self.whole[docnum].startswith(key):
            return MatchPlace.TITLE_START
        if any(w.startswith(key) for w in self.words[docnum]):
            return MatchPlace.TITLE_WORD
        return MatchPlace.TAG


@per_build
def title_table(snapshot: IndexSnapshot) -> TitleInitials:
    """The table of one build, made on first use (a build never changes)."""
    return TitleInitials(snapshot.engine)


def initials_matches(snapshot: IndexSnapshot, text: str) -> Ranking:
    """Articles with a title or tag word whose 초성 start with ``text``; titles that start with
    them first, then titles containing such a word, then tags; alphabetical within each."""
    key = "".join(text.split())
    build = snapshot.engine
    found = [build.postings(FIELD, term).ids for term in build.expand_prefix(FIELD, key)]
    docnums = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    table = title_table(snapshot)
    ordered = sorted(
        (int(d) for d in docnums), key=lambda d: (table.place(d, key), table.titles[d])
    )
    ones = np.ones(len(ordered))
    return Ranking(np.array(ordered, dtype=np.int64), ones, ones)
