"""The embeddable search box: ``<kb-search>`` (``static/kb-search.js``), served with both locales'
strings from the Babel catalogs at a content-hashed, immutable URL with its SRI hash; the
one-request-per-keystroke ``/api/instant`` it calls; the ``/<locale>/embed`` guide for site
owners and the script-free ``/<locale>/embed/frame``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, gettext, ngettext
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

import kb
from kb.content import LOCALES
from webapp.api import (
    SUGGEST_MAX_AGE,
    completion_json,
    page_url,
    suggestion_json,
    vary_on_locale,
)
from webapp.i18n import language_name
from webapp.knowledge import current_index
from webapp.pages import PER_PAGE, add_locale, pull_locale, remember_locale
from webapp.params import MAX_PAGE, bool_arg, int_arg, lang_arg, mode_arg, query_arg
from webapp.routing import API_PREFIX, external_url
from webapp.settings import current_settings

SOURCE = Path(__file__).with_name("static") / "kb-search.js"
CONFIG_MARK = "{} /*@config*/"  # where the source takes its strings (valid JavaScript either way)
YEAR = 365 * 24 * 3600
REDIRECT_MAX_AGE = 300  # the un-hashed name follows a new release within minutes
INSTANT_MAX_RESULTS = 10
INSTANT_COMPLETIONS = 5
EXTENSION = "kb_embed_script"
_lock = threading.Lock()


@dataclass(frozen=True)
class Script:
    """The module as served: its bytes, the hash in its URL and its SRI ``integrity`` value."""

    body: bytes
    digest: str
    integrity: str

    @property
    def filename(self) -> str:
        return f"kb-search.{self.digest}.js"


def widget_strings(locale: str) -> dict[str, str]:
    """Every string the widget shows or announces in ``locale``, from the same catalogs as the
    pages; ``{n}``, ``{q}`` and the like are filled in by the script."""
    other = next(code for code in LOCALES if code != locale)
    with force_locale(locale):
        return {
            "label": gettext("Search medicines, symptoms or side effects"),
            "submit": gettext("Search"),
            "dialog": gettext("Search the medication guide"),
            "close": gettext("Close"),
            "listbox": gettext("Search suggestions"),
            "term": gettext("Search"),
            "caution": gettext("Caution:"),
            "count_one": ngettext("%(count)s result", "%(count)s results", 1, count="{n}"),
            "count_other": ngettext("%(count)s result", "%(count)s results", 2, count="{n}"),
            "loading": gettext("Searching…"),
            "none": gettext("No articles match “%(query)s”.", query="{q}"),
            "tips": gettext("Suggestions:"),
            "tip_spelling": gettext("Check the spelling."),
            "tip_names": gettext("Try the medicine's Korean or English name, or its brand name."),
            "tip_words": gettext("Use fewer or more general words."),
            "error": gettext("The search is not available right now."),
            "retry": gettext("Try again"),
            "corrected": gettext(
                "Showing results for %(corrected)s — search instead for %(typed)s",
                corrected="{corrected}",
                typed="{typed}",
            ),
            "suggestion": gettext("Did you mean %(suggestion)s?", suggestion="{suggestion}"),
            "missing_one": _missing_words(1),
            "missing_other": _missing_words(2),
            "aside_one": _aside_only(1),
            "aside_other": _aside_only(2),
            "more": gettext("All results for “%(query)s”", query="{q}"),
            "fallback": gettext(
                "Shown in %(shown)s — no %(wanted)s translation yet",
                shown=language_name(other, locale),
                wanted=language_name(locale, locale),
            ),
            "recent": gettext("Recent searches"),
            "clear": gettext("Clear recent searches"),
        }


def _missing_words(count: int) -> str:
    """The search page's sentence naming the words no article has, in ``count``'s form."""
    return ngettext(
        "No article has the word %(words)s: these results match the rest of the search.",
        "No article has the words %(words)s: these results match the rest of the search.",
        count,
        words="{words}",
    )


def _aside_only(count: int) -> str:
    """The search page's sentence saying that the articles mention the need only among side
    effects or precautions, in ``count``'s form."""
    return ngettext(
        "Every article that mentions %(words)s lists it among side effects or precautions, "
        "not as something it treats.",
        "Every article that mentions %(words)s lists them among side effects or precautions, "
        "not as something it treats.",
        count,
        words="{words}",
    )


def render_script() -> Script:
    """The source with its strings filled in, hashed: the bytes and hashes always agree."""
    source = SOURCE.read_text(encoding="utf-8")
    if source.count(CONFIG_MARK) != 1:
        raise RuntimeError(f"{SOURCE} must contain {CONFIG_MARK!r} once")
    config = {
        "default": current_settings().KB_DEFAULT_LOCALE,
        "strings": {locale: widget_strings(locale) for locale in LOCALES},
    }
    text = source.replace(CONFIG_MARK, json.dumps(config, ensure_ascii=False, sort_keys=True))
    body = text.encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()[:16]
    integrity = "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode("ascii")
    return Script(body, digest, integrity)


def current_script() -> Script:
    """Rendered once per app (the catalogs and the source do not change while it runs)."""
    script = current_app.extensions.get(EXTENSION)
    if script is None:
        with _lock:
            script = current_app.extensions.get(EXTENSION)
            if script is None:
                script = current_app.extensions[EXTENSION] = render_script()
    return script


def script_url(external: bool = False) -> str:
    """The hashed module's URL: absolute (``KB_PUBLIC_URL`` or the host) for other sites."""
    name = current_script().filename
    if external:
        return external_url("embed.script", filename=name)
    return url_for("embed.script", filename=name)


def snippet(lang: str) -> str:
    """The two lines a site owner copies (``lang`` pinned)."""
    script = current_script()
    return (
        f'<script type="module" src="{script_url(external=True)}"\n'
        f'        integrity="{script.integrity}" crossorigin="anonymous"></script>\n'
        f'<kb-search lang="{lang}"></kb-search>'
    )


bp = Blueprint("embed", __name__)


def public_script_headers(response: WerkzeugResponse) -> WerkzeugResponse:
    """Any site may load the module (it holds no user data): ``*`` suits ``crossorigin``
    module loads with SRI, and CORP lets pages that require it (COEP) embed it too."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.get("/embed/v1/<filename>")
def script(filename: str) -> WerkzeugResponse:
    """The module under its content hash, cached for a year; ``kb-search.js`` redirects to it."""
    current = current_script()
    if filename == "kb-search.js":
        response = redirect(url_for("embed.script", filename=current.filename), code=302)
        response.cache_control.public = True
        response.cache_control.max_age = REDIRECT_MAX_AGE
        return public_script_headers(response)
    if filename != current.filename:
        raise NotFound()
    response = current_app.response_class(current.body, mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    response.set_etag(current.digest)
    return public_script_headers(response)


api_bp = Blueprint("embed_api", __name__, url_prefix=API_PREFIX)
api_bp.after_request(vary_on_locale)


@api_bp.get("/instant")
def instant() -> Response:
    """Completions and the first results in one answer, so the box costs one request per
    pause in typing; cacheable like ``/api/suggest``."""
    lang = lang_arg()
    limit = int_arg("limit", 5, INSTANT_MAX_RESULTS)
    typed = query_arg()
    # Words only unless asked: a half-typed word (가바, gaba) has no meaning to match, and its
    # embedding only ranks noise; Enter and "all results" open the (hybrid) search page.
    mode = mode_arg() if "mode" in request.args else "lexical"
    index = current_index()
    results = kb.search(
        index,
        typed,
        lang,
        per_page=limit,
        correct=not bool_arg("exact"),
        params=current_settings().search_params,
        mode=mode,
    )
    completions = kb.suggest(index, typed, lang, limit=INSTANT_COMPLETIONS)
    response = jsonify(
        {
            "query": typed,
            "lang": lang,
            "total": results.total,
            "results": [
                {
                    "slug": hit.slug,
                    "lang": hit.locale,
                    "title": hit.title,
                    "category": hit.category,
                    "snippet": hit.snippet,
                    "caution": hit.caution,
                    "url": page_url(hit.slug, lang),
                    "fallback": hit.fallback,
                }
                for hit in results.hits
            ],
            "completions": [completion_json(completion, lang) for completion in completions],
            "suggestion": suggestion_json(results.suggestion),
            "corrected": suggestion_json(results.corrected),
            "missing": list(results.missing),
            "aside_only": list(results.aside_only),
            "search_url": external_url("pages.search", lang=lang, q=typed),
        }
    )
    response.cache_control.public = True
    response.cache_control.max_age = SUGGEST_MAX_AGE
    return response


guide_bp = Blueprint("embed_pages", __name__)
guide_bp.url_value_preprocessor(pull_locale)
guide_bp.url_defaults(add_locale)
guide_bp.after_request(remember_locale)

CUSTOM_PROPERTIES = (
    "--kb-bg",
    "--kb-fg",
    "--kb-muted",
    "--kb-accent",
    "--kb-accent-fg",
    "--kb-border",
    "--kb-surface",
    "--kb-mark-bg",
    "--kb-mark-fg",
    "--kb-badge-bg",
    "--kb-badge-fg",
    "--kb-focus",
    "--kb-radius",
    "--kb-font",
    "--kb-font-size",
    "--kb-z-index",
)
PARTS = (
    "input",
    "listbox",
    "option",
    "mark",
    "badge",
    "dialog",
    "trigger",
    "button",
    "close",
    "label",
    "panel",
    "notice",
    "more",
)


@guide_bp.get("/<locale:lang>/embed")
def guide() -> str:
    """For site owners: the snippet with the current hashed URL and SRI hash, live previews,
    and the attributes, theming, events, CSP and CORS they need (docs/embedding.md in full)."""
    origin = current_settings().public_origin or external_url("pages.root").rstrip("/")
    return render_template(
        "embed.html",
        snippets=[(locale, snippet(locale)) for locale in LOCALES],
        origin=origin,
        frame_url=external_url("embed_pages.frame", lang=g.lang),
        properties=CUSTOM_PROPERTIES,
        parts=PARTS,
    )


@guide_bp.get("/<locale:lang>/embed/frame")
def frame() -> str:
    """The script-free alternative: a minimal search page for an iframe, framed only by
    ``KB_FRAME_ANCESTORS``; its results open in the top window."""
    page = int_arg("page", 1, MAX_PAGE)
    query = query_arg()
    exact = bool_arg("exact")
    results = kb.search(
        current_index(), query, g.lang, page=page, per_page=PER_PAGE, correct=not exact,
        params=current_settings().search_params,
    )  # fmt: skip
    return render_template(
        "embed_frame.html", results=results, query=query, searched=results.searched, link=frame_url
    )


def frame_url(query: str, exact: bool = False) -> str:
    """A search in the frame itself: a correction's "search instead" and "did you mean" links
    keep the reader in the host's page."""
    return url_for("embed_pages.frame", q=query, exact=1 if exact else None)


def template_values() -> dict[str, Any]:
    """``kb_search``: the module's URL and SRI hash for the site's own pages."""
    return {"kb_search": current_script()}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(guide_bp)
    app.context_processor(template_values)
    app.add_template_global(script_url, "kb_search_url")
    app.add_template_global(snippet, "kb_search_snippet")
