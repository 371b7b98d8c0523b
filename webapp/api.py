"""The JSON API that other sites and the embeddable search box build on (see openapi.json).

Errors are ``{"error": {"code", "message"}}`` with the message in the requested locale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask.json.provider import DefaultJSONProvider

import kb
from kb.completions import MAX_COMPLETIONS
from kb.content import LOCALES
from webapp.errors import article_not_found
from webapp.knowledge import current_index
from webapp.params import MAX_PAGE, bool_arg, int_arg, lang_arg, mode_arg, query_arg
from webapp.routing import API_PREFIX, external_url
from webapp.settings import current_settings

API_MAX_PER_PAGE = 50  # fewer than kb allows: a page of the API is meant for a widget
SUGGEST_MAX_AGE = 60  # seconds: completions change only when the index is rebuilt
OPENAPI = Path(__file__).with_name("openapi.json")

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """UTF-8 JSON with ``<``, ``>`` and ``&`` escaped: same data, but inert if a client
    mistakenly writes it into a page."""

    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@bp.after_request
def vary_on_locale(response: Response) -> Response:
    """Without a valid ``lang``, the answer's locale comes from these headers."""
    if request.args.get("lang") not in LOCALES:
        response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.get("/search")
def search() -> dict[str, Any]:
    lang = lang_arg()
    page = int_arg("page", 1, MAX_PAGE)
    per_page = int_arg("per_page", 10, API_MAX_PER_PAGE)
    correct = not bool_arg("exact")
    results = kb.search(
        current_index(), query_arg(), lang, page=page, per_page=per_page, correct=correct,
        params=current_settings().search_params, mode=mode_arg(),
    )  # fmt: skip
    return {
        "query": results.query,
        "lang": lang,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "results": [
            {
                "slug": hit.slug,
                "lang": hit.locale,
                "title": hit.title,
                "snippet": hit.snippet,
                "caution": hit.caution,
                "url": page_url(hit.slug, lang),
                "score": hit.score,
                "fallback": hit.fallback,
                "match": "meaning" if hit.by_meaning else "words",
            }
            for hit in results.hits
        ],
        "suggestion": suggestion_json(results.suggestion),
        "corrected": suggestion_json(results.corrected),
        "missing": list(results.missing),
        "meaning_only": results.meaning_only,
        "by_meaning": results.by_meaning,
        "aside_only": list(results.aside_only),
    }


@bp.get("/suggest")
def suggest() -> Response:
    """Completions for the search box, cheap enough for every keystroke and briefly cacheable."""
    lang = lang_arg()
    limit = int_arg("limit", MAX_COMPLETIONS, MAX_COMPLETIONS)
    typed = query_arg()
    completions = kb.suggest(current_index(), typed, lang, limit=limit)
    response = jsonify(
        {
            "query": typed,  # as received, for clients matching answers to what they asked
            "lang": lang,
            "completions": [completion_json(completion, lang) for completion in completions],
        }
    )
    response.cache_control.public = True
    response.cache_control.max_age = SUGGEST_MAX_AGE
    return response


@bp.get("/articles/<slug>")
def article(slug: str) -> dict[str, Any]:
    lang = lang_arg()
    view = kb.get_article(current_index(), slug, lang)
    if view is None:
        raise article_not_found(slug)
    return {
        "slug": view.slug,
        "lang": view.locale,
        "fallback": view.fallback,
        "title": view.title,
        "summary": view.summary,
        "category": view.category,
        "tags": list(view.tags),
        "updated": view.updated,
        "html": view.html,
        "url": page_url(slug, lang),
        "translation": translation_json(view.translation),
        "translations": [
            {
                "lang": locale,
                "url": page_url(slug, locale),
                "api_url": external_url("api.article", slug=slug, lang=locale),
            }
            for locale in view.locales
        ],
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    return current_app.response_class(OPENAPI.read_bytes(), mimetype="application/json")


def translation_json(note: dict[str, Any] | None) -> dict[str, Any] | None:
    """Whether the text shown is a translation and how current; null for an original."""
    if note is None:
        return None
    keys = ("status", "source_lang", "outdated_sections")
    return {key: note[key] for key in keys}


def completion_json(completion: kb.Completion, lang: str) -> dict[str, Any]:
    """A completion as the API shows it, its URL for a reader of ``lang``."""
    return {
        "text": completion.text,
        "kind": completion.kind,
        "slug": completion.slug,
        "lang": completion.locale,
        "url": page_url(completion.slug, lang),
        "fallback": completion.fallback,
    }


def suggestion_json(suggestion: kb.Suggestion | None) -> dict[str, str] | None:
    """A correction as the API shows it: ``{"text", "kind"}``, or null when there is none."""
    return None if suggestion is None else {"text": suggestion.text, "kind": suggestion.kind}


def page_url(slug: str, lang: str) -> str:
    """The article's page for a reader of ``lang`` (which may show the other translation)."""
    return external_url("pages.article", lang=lang, slug=slug)


def init_app(app: Flask) -> None:
    app.json = HtmlSafeJSONProvider(app)
    app.register_blueprint(bp)
