"""Reading articles out of the index in a reader's locale: one article, or the whole list.

The index stores what pages display (title, Markdown, dates), so serving never touches the content
folder and a copied index folder is enough to run a site.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kb.index import KnowledgeIndex
from kb.markdown import to_html
from kb.search import display_locale


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

    @property
    def html(self) -> str:
        """The body rendered and sanitized (safe to insert into a page as is)."""
        return to_html(self.markdown)


def get_article(index: KnowledgeIndex, slug: str, locale: str) -> ArticleView | None:
    """The article in ``locale``, or in its other translation (``fallback``); None if unknown."""
    stored = index.snapshot().searcher.document(slug=slug)
    if stored is None:
        return None
    return _view(stored, locale)


def list_articles(index: KnowledgeIndex, locale: str) -> list[ArticleSummary]:
    """Every article, shown in ``locale`` where it can be, sorted by category then title.

    A fallback article is filed under the reader's name for its category when a bilingual
    article shows what that is (an English-only "Allergy" article sits under 알레르기).
    """
    stored = list(index.snapshot().searcher.documents())
    names = _category_names(stored, locale)
    items = []
    for doc in stored:
        item = _view(doc, locale, cls=ArticleSummary)
        if item.fallback and item.category in names:
            item = replace(item, category=names[item.category])
        items.append(item)
    return sorted(items, key=lambda a: (a.category.casefold(), a.title.casefold()))


def _category_names(stored: list[dict], locale: str) -> dict[str, str]:
    """Other translations' category names → this locale's, learned from bilingual articles."""
    names: dict[str, str] = {}
    for doc in stored:
        own = doc["doc"].get(locale, {}).get("category")
        if own:
            for other, tr in doc["doc"].items():
                if other not in (locale, "hash") and tr["category"]:
                    names.setdefault(tr["category"], own)
    return names


def _view(stored: dict, wanted: str, cls: type = ArticleView):
    locales = tuple(stored["locales"].split())
    shown = display_locale(locales, wanted)
    tr = stored["doc"][shown]
    extra = {"markdown": tr["markdown"]} if cls is ArticleView else {}
    return cls(
        slug=stored["slug"],
        locale=shown,
        title=tr["title"],
        summary=tr["summary"],
        category=tr["category"],
        tags=tuple(tr["tags"]),
        updated=tr["updated"],
        fallback=shown != wanted,
        locales=locales,
        **extra,
    )
