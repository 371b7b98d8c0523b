"""Pay a serving process's one-time costs before its first reader does.

The Korean model (about a second to load), the English word list and the tables each index
build keeps in memory (초성 titles, spelling words, the article lists) are made on first use;
the completion table is stored with the build, and a first completion only maps it. A server
calls this once at start, before it forks its workers, so that they all start warm and share
them.
"""

from __future__ import annotations

import ctypes

from kb.analysis import query_model
from kb.articles import list_articles
from kb.completions import suggest
from kb.content import LOCALES
from kb.englishwords import is_english_word
from kb.searching import search
from kb.snapshot import KnowledgeIndex

# One query down each path that builds something: Korean and English analysis, 초성, the
# keyboard layout, typo correction in both languages (found nothing), completions.
QUERIES = (
    ("가바펜틴의 부작용은", "ko"),
    ("side effects", "en"),
    ("ㄱㅂ", "ko"),
    ("rkqkvpsxls", "ko"),
    ("qxzjvkw", "en"),
    ("뷁퓈휇", "ko"),
)


def warm_up(index: KnowledgeIndex) -> None:
    """Load the query model (which has no thread pool, so the process may fork next) and
    build the current index build's in-memory tables; builds keep their own threaded model.
    The sentence encoder is made compact first, so the warm-up's queries go through it."""
    query_model().kiwi  # noqa: B018 (loading is the point)
    is_english_word("warming")  # loads the list a misspelled name is told apart with
    semantic = index.snapshot().encoder
    if semantic is not None:
        semantic.compact_for_queries()
    for text, locale in QUERIES:
        search(index, text, locale)
    suggest(index, "ㄱ", "ko")
    for locale in LOCALES:  # the article list behind the home page and the sitemap
        list_articles(index, locale)
    return_freed_heap()


def return_freed_heap() -> None:
    """Hand the heap that one-time work freed back to the system. Listing reads every stored
    article (~240 MB passing through at 10,000) and glibc keeps what it frees, so each forked
    worker would carry it in its RSS. A no-op where the C library has no ``malloc_trim``."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
