"""The reader's pages: ``/`` picks a locale, then home, search and article under ``/<locale>/``;
``/sitemap.xml`` (an index of ``/sitemaps/<n>.xml``) and ``/robots.txt`` for search engines.

The home page's article list and the sitemaps are derived once per index build (and host), never
per request, so a site of tens of thousands of articles serves them in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, TypeVar
from urllib.parse import quote

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

import kb
from kb.cache import per_build
from kb.content import LOCALES
from webapp.errors import article_not_found
from webapp.i18n import COOKIE, COOKIE_MAX_AGE, current_locale, negotiate
from webapp.knowledge import current_index
from webapp.params import MAX_PAGE, bool_arg, int_arg, query_arg
from webapp.routing import external_url
from webapp.settings import current_settings

PER_PAGE = 10
# Defaults of app.config keys of the same name (a test lowers them with make_app(...)).
HOME_PER_PAGE = 100  # articles on one page of the home page's list
SITEMAP_MAX_URLS = 50_000  # URLs in one sitemap file: the sitemaps protocol's limit

ArticleUrl = Callable[[str, str], str]  # (locale, slug) → the article page's absolute URL
T = TypeVar("T")


@dataclass(frozen=True)
class Category:
    """A category of the article list: where it starts, and how many articles it has."""

    name: str
    anchor: str  # the heading's id, the same on every page the category spans
    count: int
    first_page: int


@dataclass(frozen=True)
class Shelf:
    """The articles of one category on one page (positions ``span`` of the locale's list);
    ``continued`` when it began on an earlier one. The articles are read from the list when
    the page is shown: a worker keeps the packed list, not an object per article."""

    category: Category
    articles: Sequence[kb.ArticleSummary]
    span: range
    continued: bool

    @property
    def items(self) -> tuple[kb.ArticleSummary, ...]:
        return tuple(self.articles[i] for i in self.span)


@dataclass(frozen=True)
class Catalog:
    """Every article in a locale, grouped by category and cut into pages of the home page."""

    categories: tuple[Category, ...]
    pages: tuple[tuple[Shelf, ...], ...]


@dataclass(frozen=True)
class SitemapUrl:
    loc: str
    lastmod: str | None
    alternates: tuple[tuple[str, str], ...]


bp = Blueprint("pages", __name__)


@bp.url_value_preprocessor
def pull_locale(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Every page URL carries the locale; views and templates read it from ``g.lang``."""
    if values and "lang" in values:
        g.lang = values.pop("lang")


@bp.url_defaults
def add_locale(endpoint: str, values: dict[str, Any]) -> None:
    """``url_for("pages.search")`` stays in the page's locale unless told otherwise."""
    if "lang" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = current_locale()


@bp.after_request
def remember_locale(response: Response) -> Response:
    """The locale last read in is the reader's choice for ``/`` next time."""
    lang = g.get("lang")
    if lang and response.status_code < 400 and request.cookies.get(COOKIE) != lang:
        response.set_cookie(
            COOKIE, lang, max_age=COOKIE_MAX_AGE, samesite="Lax", secure=request.is_secure
        )
    return response


@bp.get("/")
def root() -> WerkzeugResponse:
    """Readers arriving without a locale go to the remembered, else the preferred, one."""
    response = redirect(url_for("pages.home", lang=negotiate()))
    response.vary.update(("Cookie", "Accept-Language"))
    return response


@bp.get("/<locale:lang>/")
def home() -> str:
    """The search box and a page of the article list (categories first when it has pages)."""
    index = current_index()
    catalog = _catalog(index.snapshot(), index, g.lang, home_per_page(), gettext("Other"))
    page = int_arg("page", 1, len(catalog.pages))
    first = page == 1  # the other pages differ by locale: no alternates
    return render_template(
        "home.html",
        catalog=catalog,
        page=page,
        shelves=catalog.pages[page - 1],
        alternates=home_alternates() if first else None,
        canonical=None if first else external_url("pages.home", page=page),
    )


@bp.app_template_global()
def home_url(page: int = 1) -> str:
    """A page of the home page's article list, in the page's locale."""
    return url_for("pages.home", page=page if page > 1 else None)


def home_per_page() -> int:
    return int(current_app.config.get("HOME_PER_PAGE", HOME_PER_PAGE))


def paginate_catalog(articles: Sequence[kb.ArticleSummary], per_page: int, other: str) -> Catalog:
    """``articles`` (sorted by category) cut into pages of ``per_page``, each page's articles
    grouped by category; an article without one is filed under ``other``."""
    categories: list[Category] = []
    pages: list[list[Shelf]] = [[]]
    filled = start = 0
    runs = groupby(range(len(articles)), key=lambda i: articles[i].category)
    for number, (name, group) in enumerate(runs, 1):
        count = sum(1 for _ in group)
        first_page = len(pages) + (filled == per_page)  # a full page: it starts the next one
        category = Category(name or other, f"category-{number}", count, first_page)
        categories.append(category)
        continued, end = False, start + count
        while start < end:
            if filled == per_page:
                pages.append([])
                filled, continued = 0, True
            shelf = range(start, min(end, start + per_page - filled))
            pages[-1].append(Shelf(category, articles, shelf, continued))
            filled, start = filled + len(shelf), shelf.stop
    return Catalog(tuple(categories), tuple(tuple(page) for page in pages))


@per_build
def _catalog(
    snapshot: object, index: kb.KnowledgeIndex, locale: str, per_page: int, other: str
) -> Catalog:
    """Once per build (``snapshot``, the cache key) and locale, whatever the traffic."""
    return paginate_catalog(kb.list_articles(index, locale), per_page, other)


@bp.get("/<locale:lang>/search")
def search() -> str:
    """Results, with the correction kb made ("showing results for …") or offers ("did you
    mean …"); ``exact=1`` searches the query exactly as typed."""
    page = int_arg("page", 1, MAX_PAGE)
    exact = bool_arg("exact")
    results = kb.search(
        current_index(), query_arg(), g.lang, page=page, per_page=PER_PAGE, correct=not exact,
        params=current_settings().search_params,
    )  # fmt: skip
    return render_template("search.html", results=results, searched=results.searched, exact=exact)


@bp.app_template_global()
def search_url(query: str, page: int = 1, exact: bool = False) -> str:
    """A search page link in the page's locale, without parameters that are at their default."""
    return url_for(
        "pages.search", q=query, page=page if page > 1 else None, exact=1 if exact else None
    )


@bp.get("/<locale:lang>/articles/<slug>")
def article(slug: str) -> str:
    view = kb.get_article(current_index(), slug, g.lang)
    if view is None:
        raise article_not_found(slug)
    return render_template(
        "article.html",
        article=view,
        alternates=article_alternates(slug, view.locales),
        canonical=article_url(view.locale, slug),
    )


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """The sitemap index: one ``/sitemaps/<n>.xml`` per ``SITEMAP_MAX_URLS`` URLs."""
    index, limit = current_index(), sitemap_max_urls()
    urls = _sitemap_urls(index.snapshot(), index, external_url("pages.root"))
    files = [
        {"loc": external_url("pages.sitemap_file", number=number), "lastmod": latest(chunk)}
        for number, chunk in enumerate(chunked(urls, limit), 1)
    ]
    return xml_response(render_template("sitemap-index.xml", files=files))


@bp.get("/sitemaps/<int:number>.xml")
def sitemap_file(number: int) -> Response:
    """Each home page and each article translation, with its alternates and last update."""
    index = current_index()
    xml = _sitemap_file(index.snapshot(), index, external_url("pages.root"), sitemap_max_urls())
    if not 1 <= number <= len(xml):
        raise NotFound()
    return xml_response(xml[number - 1])


def sitemap_max_urls() -> int:
    return int(current_app.config.get("SITEMAP_MAX_URLS", SITEMAP_MAX_URLS))


def chunked(items: tuple[T, ...], limit: int) -> list[tuple[T, ...]]:
    """``items`` in files of at most ``limit``; one (maybe empty) file at least."""
    return [items[start : start + limit] for start in range(0, len(items), limit)] or [()]


def latest(urls: tuple[SitemapUrl, ...]) -> str | None:
    """The newest ``lastmod`` of a file's URLs (ISO dates sort as text)."""
    return max((url.lastmod for url in urls if url.lastmod), default=None)


def xml_response(xml: str | bytes) -> Response:
    return current_app.response_class(xml, mimetype="application/xml")


@per_build
def _sitemap_urls(snapshot: object, index: kb.KnowledgeIndex, root: str) -> tuple[SitemapUrl, ...]:
    """Every URL, once per build and site root (``root``: URLs are written for one host)."""
    home = tuple(home_alternates())
    urls = [SitemapUrl(href, None, home) for hreflang, href in home if hreflang in LOCALES]
    url = article_url_maker()
    for locale in LOCALES:
        for item in kb.list_articles(index, locale):
            if not item.fallback:
                links = tuple(article_alternates(item.slug, item.locales, url))
                urls.append(SitemapUrl(url(locale, item.slug), item.updated, links))
    return tuple(urls)


@per_build
def _sitemap_file(
    snapshot: object, index: kb.KnowledgeIndex, root: str, limit: int
) -> tuple[bytes, ...]:
    """Every sitemap file, rendered once per build, site root and file size."""
    urls = _sitemap_urls(snapshot, index, root)
    return tuple(
        render_template("sitemap.xml", urls=chunk).encode() for chunk in chunked(urls, limit)
    )


@bp.get("/robots.txt")
def robots() -> Response:
    lines = ["User-agent: *", *(f"Disallow: /{locale}/search" for locale in LOCALES)]
    lines.append(f"Sitemap: {external_url('pages.sitemap')}")
    return current_app.response_class("\n".join(lines) + "\n", mimetype="text/plain")


def alternates(
    endpoint: str, locales: tuple[str, ...], default: str, **values: str
) -> list[tuple[str, str]]:
    """``(hreflang, absolute URL)`` for each locale given, then ``x-default``."""
    links = [(loc, external_url(endpoint, lang=loc, **values)) for loc in locales]
    return [*links, ("x-default", default)]


def home_alternates() -> list[tuple[str, str]]:
    """The home page in each locale; ``x-default`` is ``/``, which picks the reader's."""
    return alternates("pages.home", LOCALES, external_url("pages.root"))


def article_alternates(
    slug: str, locales: tuple[str, ...], url: ArticleUrl | None = None
) -> list[tuple[str, str]]:
    """Only the translations that exist; ``x-default`` is the default locale's if it has one."""
    url = url or article_url
    default_locale = current_settings().KB_DEFAULT_LOCALE
    shown = default_locale if default_locale in locales else locales[0]
    return [*((locale, url(locale, slug)) for locale in locales), ("x-default", url(shown, slug))]


def article_url(locale: str, slug: str) -> str:
    return external_url("pages.article", lang=locale, slug=slug)


def article_url_maker() -> ArticleUrl:
    """``article_url`` with one ``url_for`` per locale, for the sitemap's tens of thousands."""
    mark = "0slug0"  # kept as is by url_for; no origin or locale prefix contains it
    templates = {locale: article_url(locale, mark) for locale in LOCALES}
    return lambda locale, slug: templates[locale].replace(mark, quote(slug, safe=""))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
