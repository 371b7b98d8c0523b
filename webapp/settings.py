"""The app's view of the one settings registry (:mod:`kb.settings`), shared with ``indexer.py``.

``create_app`` resolves it once and keeps the typed ``Settings`` in
``app.extensions["kb_settings"]``; modules read its attributes, never ``KB_*`` config keys.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from kb.settings import KEYS, Settings, resolve_settings

EXTENSION = "kb_settings"

__all__ = ["Settings", "current_settings", "init_settings", "settings_of"]


def init_settings(app: Flask, test_config: Mapping[str, Any] | None = None) -> Settings:
    """Resolve the registry with ``test_config`` as overrides; Flask's own keys (``TESTING``,
    ``SECRET_KEY``…) from ``config.py`` and ``test_config`` still go to ``app.config``."""
    overrides = dict(test_config or {})
    settings = resolve_settings(os.environ, Path(app.instance_path), overrides)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(overrides)
    for key in KEYS:  # one place to read them: the typed object
        app.config.pop(key, None)
    app.extensions[EXTENSION] = settings
    return settings


def settings_of(app: Flask) -> Settings:
    """The settings ``create_app`` resolved for ``app``."""
    return app.extensions[EXTENSION]


def current_settings() -> Settings:
    """The settings of the app handling the current request (or in the app context)."""
    return settings_of(current_app)
