"""The web app's settings, resolved once by ``create_app`` so nothing else reads the environment.

Layers, later ones winning: the defaults below, ``<instance>/config.py``, ``KB_*`` environment
variables, then ``create_app(test_config)``.
"""

from __future__ import annotations

import os
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from flask import Flask

from kb.content import BUNDLED_CONTENT, LOCALES

CSP_SOURCE_RE = re.compile(r"[^\s;,]+\Z")


@dataclass(frozen=True)
class Settings:
    """Every ``KB_*`` key the app reads, with its default."""

    #: Index folder built by ``python indexer.py build``; default ``<instance>/index``.
    KB_INDEX_DIR: Path | None = None
    #: Article folders the index is built from, ``os.pathsep``-separated like ``indexer.py``
    #: reads them (the app itself serves only the index).
    KB_CONTENT_DIR: tuple[Path, ...] = (BUNDLED_CONTENT,)
    #: Locale for readers whose cookie and Accept-Language name neither ``ko`` nor ``en``.
    KB_DEFAULT_LOCALE: str = "ko"
    #: Origins (``https://example.org``) allowed to call ``/api`` from a browser; ``*`` for any.
    KB_CORS_ORIGINS: tuple[str, ...] = ()
    #: CSP ``frame-ancestors`` sources allowed to embed pages in a frame; none by default.
    KB_FRAME_ANCESTORS: tuple[str, ...] = ()
    #: Reverse proxies in front of the app whose ``X-Forwarded-*`` headers are trusted.
    KB_PROXY_COUNT: int = 0
    #: Load the Korean model and the index's in-memory tables at start rather than on the first
    #: requests; under ``gunicorn --preload`` the workers then start warm and share them.
    KB_WARM_UP: bool = True

    def check(self) -> None:
        """Fail at start, with the key's name, rather than on some later request."""
        if self.KB_DEFAULT_LOCALE not in LOCALES:
            raise ValueError(f"KB_DEFAULT_LOCALE must be one of {', '.join(LOCALES)}")
        for source in (*self.KB_CORS_ORIGINS, *self.KB_FRAME_ANCESTORS):
            if not CSP_SOURCE_RE.match(source):
                raise ValueError(f"bad origin in KB_CORS_ORIGINS/KB_FRAME_ANCESTORS: {source!r}")
        if self.KB_PROXY_COUNT < 0:
            raise ValueError("KB_PROXY_COUNT must be 0 or more")


KEYS = tuple(f.name for f in fields(Settings))


def load_settings(app: Flask, test_config: Mapping[str, Any] | None = None) -> Settings:
    """Resolve the layers into ``app.config`` and return them as one checked ``Settings``."""
    app.config.from_pyfile("config.py", silent=True)
    raw: dict[str, Any] = {}
    for layer in (app.config, os.environ, test_config or {}):
        raw.update((key, layer[key]) for key in KEYS if key in layer)
    app.config.update(test_config or {})
    hints = typing.get_type_hints(Settings)
    values = {}
    for key, value in raw.items():
        try:
            values[key] = _coerce(hints[key], value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{key}: {exc}") from None
    settings = Settings(**values)
    if settings.KB_INDEX_DIR is None:
        settings = replace(settings, KB_INDEX_DIR=Path(app.instance_path) / "index")
    settings.check()
    app.config.update({key: getattr(settings, key) for key in KEYS})
    return settings


def _coerce(kind: Any, value: Any) -> Any:
    """Strings from the environment (or a config file) into the field's type."""
    if value is None:
        return None
    if kind == tuple[Path, ...]:
        items = str(value).split(os.pathsep) if isinstance(value, str | Path) else value
        return tuple(Path(item) for item in items if item)
    if kind == tuple[str, ...]:
        items = value.replace(",", " ").split() if isinstance(value, str) else value
        return tuple(str(item) for item in items)
    if kind is bool:
        return _boolean(value)
    if kind is int:
        return int(value)
    if Path in typing.get_args(kind) or kind is Path:
        return Path(value)
    return str(value)


def _boolean(value: Any) -> bool:
    """``true/false``, ``yes/no``, ``on/off``, ``1/0`` (any case), or a real bool."""
    if isinstance(value, bool):
        return value
    words = {"1": True, "true": True, "yes": True, "on": True}
    words.update({"0": False, "false": False, "no": False, "off": False})
    try:
        return words[str(value).strip().lower()]
    except KeyError:
        raise ValueError(f"expected true or false, not {value!r}") from None
