"""Which locale a request is in, and the Babel wiring that formats text, dates and numbers for it.

Order: the URL's ``/<locale>/``, a ``lang`` parameter (the API), the remembered cookie,
``Accept-Language``, then ``KB_DEFAULT_LOCALE``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from babel import Locale
from flask import Flask, g, request, url_for
from flask_babel import Babel, format_date, format_decimal, get_locale

from kb.content import LOCALES
from kb.settings import bundled_translations
from webapp.routing import path_locale
from webapp.settings import current_settings, settings_of

TRANSLATIONS_DIR = bundled_translations()  # from the checkout or an installed wheel
COOKIE = "kb_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
# What the language switch carries over (never url_for's "_external"…): the search, as it was run.
KEPT_ARGS = ("q", "page", "exact")
# A .po this much newer than its .mo is stale; less is an installer writing both (a wheel).
STALE_AFTER_SECONDS = 5.0


def negotiate() -> str:
    """The reader's locale when the URL does not say: cookie, Accept-Language, default."""
    remembered = request.cookies.get(COOKIE)
    if remembered in LOCALES:
        return remembered
    return request.accept_languages.best_match(LOCALES) or current_settings().KB_DEFAULT_LOCALE


def select_locale() -> str:
    """Flask-Babel's locale selector (cached by Babel for the rest of the request)."""
    if g.get("lang") in LOCALES:
        return g.lang
    asked = request.args.get("lang")
    return path_locale() or (asked if asked in LOCALES else None) or negotiate()


def current_locale() -> str:
    return str(get_locale())


def language_name(code: str, in_locale: str | None = None) -> str:
    """``en`` → "영어" in Korean pages, "English" in English ones (or in ``in_locale``)."""
    return Locale.parse(code).get_display_name(in_locale or current_locale()) or code


def iso_date(value: str | None) -> str:
    """An ISO date from kb, written the locale's way ("2026년 11월 25일")."""
    if not value:
        return ""
    return format_date(dt.date.fromisoformat(value), format="long")


def switch_urls() -> list[dict[str, str]]:
    """This same page in each locale (same article, same search), for the switch."""
    rule_takes_lang = request.url_rule is not None and "lang" in request.url_rule.arguments
    links = []
    for locale in LOCALES:
        if rule_takes_lang and request.endpoint:
            values: dict[str, Any] = {k: request.args[k] for k in KEPT_ARGS if k in request.args}
            values.update(request.view_args or {}, lang=locale)
            href = url_for(request.endpoint, **values)
        else:
            href = url_for("pages.home", lang=locale)
        links.append({"locale": locale, "name": language_name(locale, locale), "href": href})
    return links


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", settings_of(app).KB_DEFAULT_LOCALE)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters.update(iso_date=iso_date, number=format_decimal, language=language_name)
    app.jinja_env.globals.update(current_locale=current_locale, switch_urls=switch_urls)
    _warn_about_uncompiled_catalogs(app)


def _warn_about_uncompiled_catalogs(app: Flask) -> None:
    """Korean pages silently show English without compiled catalogs: say so at start."""
    for directory in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"):
        for po in Path(directory).glob("*/LC_MESSAGES/messages.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or po.stat().st_mtime - mo.stat().st_mtime > STALE_AFTER_SECONDS:
                app.logger.warning("%s is missing or stale: run `make catalogs`", mo)
