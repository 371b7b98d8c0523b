"""Query-string parameters shared by the pages and the API, checked with localized 400s."""

from __future__ import annotations

from flask import request
from flask_babel import gettext

from kb.content import LOCALES
from kb.searching import MODES, Mode
from webapp.errors import Problem, bad_parameter
from webapp.i18n import current_locale

MAX_PAGE = 1000  # deep paging is no use to a reader and an easy way to waste a server
BOOLEANS = {"1": True, "true": True, "0": False, "false": False}


def query_arg() -> str:
    """The ``q`` parameter as typed; kb cleans and truncates it (any content is fine)."""
    return request.args.get("q", "")


def int_arg(name: str, default: int, high: int) -> int:
    """A whole number from 1 to ``high``; anything else (``-1``, ``abc``, ``1e9``) is a 400."""
    text = request.args.get(name)
    if text is None:
        return default
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= len(str(high)) and 1 <= int(text) <= high:
        return int(text)
    raise bad_parameter(
        f"invalid_{name}",
        gettext(
            "The parameter “%(name)s” must be a whole number from 1 to %(high)s.",
            name=name,
            high=high,
        ),
    )


def bool_arg(name: str) -> bool:
    """A switch that is off unless given: ``1``/``true`` or ``0``/``false``, anything else a 400."""
    text = request.args.get(name)
    if text is None:
        return False
    if text in BOOLEANS:
        return BOOLEANS[text]
    raise bad_parameter(
        f"invalid_{name}",
        gettext("The parameter “%(name)s” must be 0, 1, true or false.", name=name),
    )


def choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    """An optional parameter that must be one of ``choices``; empty or absent is None."""
    value = request.args.get(name) or None
    if value is not None and value not in choices:
        raise not_one_of(name, choices)
    return value


def not_one_of(name: str, choices: tuple[str, ...]) -> Problem:
    """The 400 for a parameter outside its choices."""
    message = gettext(
        "The parameter “%(name)s” must be one of: %(choices)s.",
        name=name,
        choices=", ".join(choices),
    )
    return bad_parameter(f"invalid_{name}", message)


def mode_arg() -> Mode:
    """The ``mode`` parameter: ``hybrid`` (the default) or ``lexical``; others are a 400."""
    chosen = choice_arg("mode", MODES)
    return next((mode for mode in MODES if mode == chosen), "hybrid")


def lang_arg() -> str:
    """The ``lang`` parameter (``ko`` or ``en``), else the negotiated locale; others are a 400."""
    lang = request.args.get("lang")
    if lang is not None and lang not in LOCALES:
        raise not_one_of("lang", LOCALES)
    return current_locale()
