"""Articles as readers see them in their locale: one article, or the whole list.

The index stores what pages display (title, the body already rendered to sanitized HTML, dates), so
serving never touches the content folder or renders Markdown, and a copied index folder is enough
to run a site.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from kb.cache import per_build, repacked
from kb.content import LOCALES
from kb.schema import StoredArticle
from kb.snapshot import IndexSnapshot, KnowledgeIndex
from kb.sortedkeys import UTF8, PackedTexts, Positional

TAG_SEPARATOR = "\x1f"  # the unit separator: no tag holds one


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


def list_articles(index: KnowledgeIndex, locale: str) -> ArticleList:
    """Every article, shown in ``locale`` where it can be, sorted by category then title.

    A fallback article is filed under the reader's name for its category when a bilingual
    article shows what that is (an English-only "Allergy" article sits under 알레르기). Made
    once per build and locale (reading every stored article takes a second at 10,000).
    """
    return _catalog(index.snapshot(), locale)


class ArticleList(Positional[ArticleSummary]):
    """Summaries in list order, held as a few packed columns and made into objects only when
    read (a page of the home page at a time). As 20,000 objects, both locales' lists at
    10,000 articles held 24 MiB of every server worker; packed and repacked, 8."""

    def __init__(self, items: Sequence[ArticleSummary]) -> None:
        def packed(values: Iterable[str]) -> PackedTexts:
            return PackedTexts.of(values, dtype=UTF8)

        self._slugs = packed(item.slug for item in items)
        self._titles = packed(item.title for item in items)
        self._summaries = packed(item.summary for item in items)
        self._tags = packed(TAG_SEPARATOR.join(item.tags) for item in items)
        self._updated = packed(item.updated or "" for item in items)
        self._category_names = sorted({item.category for item in items})
        names = {name: n for n, name in enumerate(self._category_names)}
        self._categories = np.array([names[item.category] for item in items], dtype=np.int32)
        self._shown = np.array([LOCALES.index(item.locale) for item in items], dtype=np.int8)
        self._locales = np.array([_bits(item.locales) for item in items], dtype=np.uint8)
        self._fallback = np.array([item.fallback for item in items], dtype=bool)

    def __len__(self) -> int:
        return len(self._slugs)

    def item(self, at: int) -> ArticleSummary:
        tags, locale = self._tags[at], LOCALES[self._shown[at]]
        locales = tuple(loc for n, loc in enumerate(LOCALES) if self._locales[at] >> n & 1)
        return ArticleSummary(
            slug=self._slugs[at],
            locale=locale,
            title=self._titles[at],
            summary=self._summaries[at],
            category=self._category_names[self._categories[at]],
            tags=tuple(tags.split(TAG_SEPARATOR)) if tags else (),
            updated=self._updated[at] or None,
            fallback=bool(self._fallback[at]),
            locales=locales,
        )


def _bits(locales: Iterable[str]) -> int:
    return sum(1 << LOCALES.index(locale) for locale in locales)


@per_build
@repacked
def _catalog(snapshot: IndexSnapshot, locale: str) -> ArticleList:
    """Every stored article read once; only the packed list outlives the call."""
    articles = [article for _, article in snapshot.engine.articles()]
    names = _category_names(articles, locale)
    items = []
    for article in articles:
        item = _summary(article, locale)
        if item.fallback and item.category in names:
            item = replace(item, category=names[item.category])
        items.append(item)
    return ArticleList(sorted(items, key=lambda a: (a.category.casefold(), a.title.casefold())))


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
