"""초성 search: articles whose Korean title or tag words start with the typed initials.

A short key such as ``ㅇㅇ`` matches a large share of a knowledge base, so ordering the matches
reads each article's title from a table made once per searcher, never its stored fields.
"""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from kb.analysis.bigrams import HANGUL_RUN
from kb.analysis.hangul import initials
from kb.cache import per_build
from kb.ranking import Ranking
from kb.scoring import scorer_for

FIELD = "initials"

# Where the key matched, best first: the title's start, a title word, a tag only.
TITLE_START, TITLE_WORD, TAG = 0, 1, 2


class TitleInitials:
    """Every article's Korean title with the 초성 of the whole title and of each word."""

    def __init__(self, searcher: Searcher):
        size = searcher.doc_count_all()
        self.titles = [""] * size
        self.whole = [""] * size
        self.words: list[tuple[str, ...]] = [()] * size
        for docnum, stored in searcher.reader().iter_docs():
            title = stored["doc"].get("ko", {}).get("title", "")
            words = tuple(initials(w) for w in HANGUL_RUN.findall(title))
            self.titles[docnum], self.whole[docnum], self.words[docnum] = (
                title,
                "".join(words),
                words,
            )

    def place(self, docnum: int, key: str) -> int:
        if self.whole[docnum].startswith(key):
            return TITLE_START
        return TITLE_WORD if any(w.startswith(key) for w in self.words[docnum]) else TAG


@per_build
def title_initials(searcher: Searcher) -> TitleInitials:
    """The table of one searcher, made on first use (a build never changes)."""
    return TitleInitials(searcher)


def initials_matches(searcher: Searcher, text: str) -> Ranking:
    """Articles with a title or tag word whose 초성 start with ``text``; titles that start with
    them first, then titles containing such a word, then tags; alphabetical within each."""
    key = "".join(text.split())
    scorer = scorer_for(searcher)
    reader = searcher.reader()
    found = [scorer.docs(FIELD, term) for term in reader.expand_prefix(FIELD, key)]
    docnums = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    table = title_initials(searcher)
    ordered = sorted(
        (int(d) for d in docnums), key=lambda d: (table.place(d, key), table.titles[d])
    )
    ones = np.ones(len(ordered))
    return Ranking(np.array(ordered, dtype=np.int64), ones, ones)
