"""How URLs are laid out: pages under ``/<locale>/…``, the JSON API under ``/api/…``; and
which host absolute URLs name (``KB_PUBLIC_URL``, else a host in ``KB_TRUSTED_HOSTS``).

Kept apart so locale selection, error pages and headers agree on it without importing each other.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, request, url_for
from werkzeug.routing import BaseConverter

from kb.content import LOCALES
from webapp.settings import current_settings, settings_of

API_PREFIX = "/api"


class LocaleConverter(BaseConverter):
    """``<locale:lang>`` matches only the locales we have, so ``/fr/`` is a plain 404."""

    regex = "|".join(re.escape(locale) for locale in LOCALES)


def is_api_request() -> bool:
    """True for ``/api`` and below, matched or not (errors there answer in JSON)."""
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def path_locale() -> str | None:
    """The locale the path starts with, also when no route matched (for a localized 404)."""
    first = request.path.lstrip("/").split("/", 1)[0]
    return first if first in LOCALES else None


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for links other sites and crawlers keep: on ``KB_PUBLIC_URL`` when it is
    set, else on the request's host, which Flask has already checked against the trusted hosts."""
    origin = current_settings().public_origin
    if origin is None:
        return url_for(endpoint, _external=True, **values)
    return origin + url_for(endpoint, **values)


def init_app(app: Flask) -> None:
    app.url_map.converters["locale"] = LocaleConverter
    # Flask refuses (SecurityError, a 400) any request whose Host is not one of these, so a
    # forged Host header never reaches a URL, a redirect or a cache.
    app.config["TRUSTED_HOSTS"] = list(settings_of(app).answered_hosts)
