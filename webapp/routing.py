"""How URLs are laid out: pages under ``/<locale>/…``, the JSON API under ``/api/…``.

Kept apart so locale selection, error pages and headers agree on it without importing each other.
"""

from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.routing import BaseConverter

from kb.content import LOCALES

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


def init_app(app: Flask) -> None:
    app.url_map.converters["locale"] = LocaleConverter
