"""The web app: locale-aware pages and a JSON API over the knowledge base (``kb``, never Whoosh).

``create_app`` resolves settings once and wires one module per concern, each with ``init_app``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from kb import settings as registry
from webapp import api, embed, errors, i18n, knowledge, pages, routing, security, translator
from webapp.settings import Settings, current_settings, init_settings, settings_of

__all__ = ["Settings", "create_app", "current_settings", "settings_of"]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Settings: defaults → ``<instance>/config.py`` → ``KB_*`` env vars → ``test_config``;
    the instance folder is the one ``indexer.py`` uses too."""
    instance = registry.default_instance_path()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    init_settings(app, test_config)
    for module in (routing, i18n, security, errors, knowledge, pages, api, embed, translator):
        module.init_app(app)
    return app
