"""Articles as readers see them in their locale: one article, or the whole list.

The index stores what pages display (title, the body already rendered to sanitized HTML, dates), so
serving never touches the content folder or renders Markdown, and a copied index folder is enough
to run a site.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kb.cache import per_build
from kb.schema import StoredArticle
from kb.snapshot import IndexSnapshot, KnowledgeIndex


@dataclass(frozen=True)
class ArticleSummary:
    slug: str
    locale: str  # the locale shown
    title: str
    summary: str
    category: str
    tags: tuple[str, ...]
    updated: str | None
    fallback: bool
    locales: tuple[str, ...]  # translations that exist


@dataclass(frozen=True)
class ArticleView(ArticleSummary):
    markdown: str = ""
    html: str = ""  # the body rendered and sanitized when indexed: safe to insert as is
    # {status, source_lang, outdated_sections, source_updated} when the text shown is a
    # translation (kb.translating.status.reader_notes); None for an original.
    translation: dict[str, Any] | None = None


def get_article(index: KnowledgeIndex, slug: str, locale: str) -> ArticleView | None:
    """The article in ``locale``, or in its other translation (``fallback``); None if unknown."""
    article = index.snapshot().engine.find(slug)
    if article is None:
        return None
    summary = _summary(article, locale)
    tr = article.translations[summary.locale]
    return ArticleView(
        **summary.__dict__, markdown=tr.markdown, html=tr.html, translation=tr.translation
    )


def list_articles(index: KnowledgeIndex, locale: str) -> list[ArticleSummary]:
    """Every article, shown in ``locale`` where it can be, sorted by category then title.

    A fallback article is filed under the reader's name for its category when a bilingual
    article shows what that is (an English-only "Allergy" article sits under 알레르기). Made
    once per build and locale (reading every stored article takes a second at 10,000).
    """
    return list(_catalog(index.snapshot(), locale))


@per_build
def _catalog(snapshot: IndexSnapshot, locale: str) -> tuple[ArticleSummary, ...]:
    articles = [article for _, article in snapshot.engine.articles()]
    names = _category_names(articles, locale)
    items = []
    for article in articles:
        item = _summary(article, locale)
        if item.fallback and item.category in names:
            item = replace(item, category=names[item.category])
        items.append(item)
    return tuple(sorted(items, key=lambda a: (a.category.casefold(), a.title.casefold())))


def _category_names(articles: list[StoredArticle], locale: str) -> dict[str, str]:
    """Other translations' category names → this locale's, learned from bilingual articles."""
    names: dict[str, str] = {}
    for article in articles:
        own = article.translations.get(locale)
        if own and own.category:
            for other, tr in article.translations.items():
                if other != locale and tr.category:
                    names.setdefault(tr.category, own.category)
    return names


def _summary(article: StoredArticle, wanted: str) -> ArticleSummary:
    shown = article.shown_in(wanted)
    tr = article.translations[shown]
    return ArticleSummary(
        slug=article.slug,
        locale=shown,
        title=tr.title,
        summary=tr.summary,
        category=tr.category,
        tags=tr.tags,
        updated=tr.updated,
        fallback=shown != wanted,
        locales=article.locales,
    )
