"""The knowledge base as a library: content → analysis → index → search. No web code here."""

from kb.content import (
    LOCALES,
    Article,
    ContentError,
    ContentInvalid,
    Translation,
    load_content,
)
from kb.corrections import Suggestion
from kb.index import (
    IndexBusy,
    IndexMissing,
    IndexProblem,
    IndexVersionMismatch,
    KnowledgeIndex,
    build_index,
    open_index,
    update_index,
)
from kb.reader import ArticleSummary, ArticleView, get_article, list_articles
from kb.search import Hit, SearchPage, search
from kb.suggest import Completion, suggest
from kb.warmup import warm_up

__all__ = [
    "LOCALES",
    "Article",
    "ArticleSummary",
    "ArticleView",
    "Completion",
    "ContentError",
    "ContentInvalid",
    "Hit",
    "IndexBusy",
    "IndexMissing",
    "IndexProblem",
    "IndexVersionMismatch",
    "KnowledgeIndex",
    "SearchPage",
    "Suggestion",
    "Translation",
    "build_index",
    "get_article",
    "list_articles",
    "load_content",
    "open_index",
    "search",
    "suggest",
    "update_index",
    "warm_up",
]
