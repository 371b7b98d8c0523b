"""Headers every response carries: a strict CSP (no inline script), nosniff, referrer policy,
framing per ``KB_FRAME_ANCESTORS``; CORS on ``/api`` only for ``KB_CORS_ORIGINS``; and trust in
``X-Forwarded-*`` only from ``KB_PROXY_COUNT`` proxies."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.routing import is_api_request
from webapp.settings import current_settings, settings_of


def content_security_policy(frame_ancestors: tuple[str, ...]) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "connect-src": "'self'",  # search-suggestions.js asks /api/suggest
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
    if origin and (origin in allowed or "*" in allowed):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"


def init_app(app: Flask) -> None:
    proxies = settings_of(app).KB_PROXY_COUNT
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )
    app.after_request(add_security_headers)
