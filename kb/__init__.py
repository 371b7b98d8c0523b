"""The knowledge base as a library: content → analysis → index → search. No web code here."""

from kb.articles import ArticleSummary, ArticleView, get_article, list_articles
from kb.builds import (
    IndexBusy,
    IndexDamaged,
    IndexMissing,
    IndexProblem,
    IndexVersionMismatch,
    IndexWriteFailed,
    RemovalRefused,
)
from kb.completions import Completion, suggest
from kb.content import (
    LOCALES,
    Article,
    ContentError,
    ContentInvalid,
    Translation,
    load_content,
)
from kb.corrections import Suggestion
from kb.index import build_index, update_index
from kb.params import DEFAULTS, FieldWeights, SearchParams
from kb.searching import Hit, SearchPage, search
from kb.snapshot import KnowledgeIndex, open_index
from kb.warmup import warm_up

__all__ = [
    "DEFAULTS",
    "LOCALES",
    "Article",
    "ArticleSummary",
    "ArticleView",
    "Completion",
    "ContentError",
    "ContentInvalid",
    "FieldWeights",
    "Hit",
    "IndexBusy",
    "IndexDamaged",
    "IndexMissing",
    "IndexProblem",
    "IndexVersionMismatch",
    "IndexWriteFailed",
    "KnowledgeIndex",
    "RemovalRefused",
    "SearchPage",
    "SearchParams",
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
