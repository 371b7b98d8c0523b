"""The knowledge base as a library: content → analysis → index → search. No web code here.

Its names are imported on first use (PEP 562), so a caller that needs one part does not wait
for the rest: ``indexer.py update`` starts Kiwi's loader (kb.analysis.ahead) before the index
code has loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES: dict[str, str] = {
    "ArticleSummary": "kb.articles",
    "ArticleView": "kb.articles",
    "get_article": "kb.articles",
    "list_articles": "kb.articles",
    "IndexBusy": "kb.builds",
    "IndexDamaged": "kb.builds",
    "IndexMissing": "kb.builds",
    "IndexProblem": "kb.builds",
    "IndexVersionMismatch": "kb.builds",
    "IndexWriteFailed": "kb.builds",
    "RemovalRefused": "kb.builds",
    "Completion": "kb.completions",
    "suggest": "kb.completions",
    "LOCALES": "kb.content",
    "Article": "kb.content",
    "ContentError": "kb.content",
    "ContentInvalid": "kb.content",
    "Translation": "kb.content",
    "load_content": "kb.content",
    "Suggestion": "kb.corrections",
    "build_index": "kb.index",
    "update_index": "kb.index",
    "DEFAULTS": "kb.params",
    "FieldWeights": "kb.params",
    "SearchParams": "kb.params",
    "Hit": "kb.searching",
    "SearchPage": "kb.searching",
    "search": "kb.searching",
    "KnowledgeIndex": "kb.snapshot",
    "open_index": "kb.snapshot",
    "warm_up": "kb.warmup",
}

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


def __getattr__(name: str) -> Any:
    """``kb.<name>``: imported from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kb' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
