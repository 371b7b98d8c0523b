"""The reader's pages: ``/`` picks a locale, then home, search and article under ``/<locale>/``;
``/sitemap.xml`` and ``/robots.txt`` for search engines."""

from __future__ import annotations

from itertools import groupby
from operator import attrgetter
from typing import Any

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
from werkzeug.wrappers import Response as WerkzeugResponse

import kb
from kb.content import LOCALES
from webapp.errors import article_not_found
from webapp.i18n import COOKIE, COOKIE_MAX_AGE, current_locale, negotiate
from webapp.knowledge import current_index
from webapp.params import MAX_PAGE, bool_arg, int_arg, query_arg
from webapp.settings import current_settings

PER_PAGE = 10

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
    articles = kb.list_articles(current_index(), g.lang)
    groups = [
        (category or gettext("Other"), list(items))
        for category, items in groupby(articles, key=attrgetter("category"))
    ]
    return render_template(
        "home.html",
        groups=groups,
        alternates=alternates("pages.home", LOCALES, url_for("pages.root", _external=True)),
    )


@bp.get("/<locale:lang>/search")
def search() -> str:
    """Results, with the correction kb made ("showing results for …") or offers ("did you
    mean …"); ``exact=1`` searches the query exactly as typed."""
    page = int_arg("page", 1, MAX_PAGE)
    exact = bool_arg("exact")
    results = kb.search(
        current_index(), query_arg(), g.lang, page=page, per_page=PER_PAGE, correct=not exact
    )
    searched = results.corrected.text if results.corrected else results.query
    return render_template("search.html", results=results, searched=searched, exact=exact)


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
        canonical=url_for("pages.article", lang=view.locale, slug=slug, _external=True),
    )


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Each home page and each article translation, with its alternates and last update."""
    index = current_index()
    home = alternates("pages.home", LOCALES, url_for("pages.root", _external=True))
    entries = [
        {"loc": href, "lastmod": None, "alternates": home}
        for hreflang, href in home
        if hreflang in LOCALES
    ]
    for locale in LOCALES:
        for item in kb.list_articles(index, locale):
            if not item.fallback:
                links = article_alternates(item.slug, item.locales)
                loc = url_for("pages.article", lang=locale, slug=item.slug, _external=True)
                entries.append({"loc": loc, "lastmod": item.updated, "alternates": links})
    xml = render_template("sitemap.xml", entries=entries)
    return current_app.response_class(xml, mimetype="application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    lines = ["User-agent: *", *(f"Disallow: /{locale}/search" for locale in LOCALES)]
    lines.append(f"Sitemap: {url_for('pages.sitemap', _external=True)}")
    return current_app.response_class("\n".join(lines) + "\n", mimetype="text/plain")


def alternates(
    endpoint: str, locales: tuple[str, ...], default: str, **values: str
) -> list[tuple[str, str]]:
    """``(hreflang, absolute URL)`` for each locale given, then ``x-default``."""
    links = [(loc, url_for(endpoint, lang=loc, _external=True, **values)) for loc in locales]
    return [*links, ("x-default", default)]


def article_alternates(slug: str, locales: tuple[str, ...]) -> list[tuple[str, str]]:
    """Only the translations that exist; ``x-default`` is the default locale's if it has one."""
    default_locale = current_settings().KB_DEFAULT_LOCALE
    shown = default_locale if default_locale in locales else locales[0]
    default = url_for("pages.article", lang=shown, slug=slug, _external=True)
    return alternates("pages.article", locales, default, slug=slug)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
