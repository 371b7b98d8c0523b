"""Headers every response carries: a strict CSP (no inline script), nosniff, referrer policy,
framing per ``KB_FRAME_ANCESTORS``; CORS on ``/api`` only for ``KB_CORS_ORIGINS``; trust in
``X-Forwarded-*`` only from ``KB_PROXY_COUNT`` proxies; no answer for an untrusted ``Host``; and
the app's own request limits (the server in front has its own: see docs/api.md)."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.errors import Problem
from webapp.routing import is_api_request
from webapp.settings import current_settings, settings_of

MAX_BODY_BYTES = 16 * 1024  # no endpoint reads a body; Flask's MAX_CONTENT_LENGTH
MAX_QUERY_STRING_BYTES = 8 * 1024  # kb reads 256 characters of a query; gunicorn's line limit


def content_security_policy(frame_ancestors: tuple[str, ...]) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "connect-src": "'self'",  # the search box (kb-search.js) asks /api/instant
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": " ".join(frame_ancestors) or "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_security_headers(response: Response) -> Response:
    settings = current_settings()
    ancestors = settings.KB_FRAME_ANCESTORS
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(ancestors))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not ancestors:
        headers.setdefault("X-Frame-Options", "DENY")  # for browsers without frame-ancestors
    if is_api_request():
        _allow_origin(response, settings.KB_CORS_ORIGINS)
    return response


def _allow_origin(response: Response, allowed: tuple[str, ...]) -> None:
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    # "null" is what sandboxed frames and file: pages send: anyone can, so "*" never means it.
    if origin and (origin in allowed or ("*" in allowed and origin != "null")):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"


def limit_request_size() -> None:
    """Refuse, in the usual error shape, a body or a query string no endpoint has a use for
    (servers without limits of their own would otherwise hand it all to the app)."""
    if (request.content_length or 0) > (current_app.config["MAX_CONTENT_LENGTH"] or 0):
        raise Problem(413, "request_too_large", _l("The request is too large."))
    if len(request.query_string) > MAX_QUERY_STRING_BYTES:
        raise Problem(
            414, "uri_too_long", _l("The address is too long. Please search with fewer words.")
        )


def refuse_untrusted_host(error: SecurityError) -> tuple[Response, int]:
    """A ``Host`` outside the trusted hosts: a plain answer, since a page's links (and the
    localized error page) would have to name that host."""
    message = gettext("This site does not answer to that host name.")
    if is_api_request():
        return jsonify({"error": {"code": "untrusted_host", "message": message}}), 400
    return current_app.response_class(message + "\n", mimetype="text/plain"), 400


def init_app(app: Flask) -> None:
    proxies = settings_of(app).KB_PROXY_COUNT
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )
    if app.config["MAX_CONTENT_LENGTH"] is None:  # Flask's default: no limit
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.before_request(limit_request_size)
    app.register_error_handler(SecurityError, refuse_untrusted_host)
    app.after_request(add_security_headers)
