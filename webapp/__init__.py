"""The web app: locale-aware pages and a JSON API over the knowledge base (``kb``, never Whoosh).

``create_app`` resolves settings once and wires one module per concern, each with ``init_app``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from webapp import api, errors, i18n, knowledge, pages, routing, security
from webapp.settings import Settings, load_settings

__all__ = ["Settings", "create_app"]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Settings: defaults → ``instance/config.py`` → ``KB_*`` env vars → ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    load_settings(app, test_config)
    for module in (routing, i18n, security, errors, knowledge, pages, api):
        module.init_app(app)
    return app
