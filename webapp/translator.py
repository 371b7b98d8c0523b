"""The translators' read-only pages: ``/<locale>/translations`` (what ``indexer.py translations
status --json`` reports, filtered) and ``/<locale>/translations/<slug>`` (both languages section
by section, outdated sections with their source diff, glossary hits).

They read the content folders (``KB_CONTENT_DIR``) and catalogs, not the index: the report is
remade only when a file's size or modification time changes. ``KB_TRANSLATOR_PAGES=false``
leaves them out (404).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from kb.content import LOCALES, SLUG_RE, ContentInvalid
from kb.settings import bundled_translations
from kb.translating.checks import analyser, read_glossary_rows
from kb.translating.status import STATES, STATUS_CACHE, StatusReport, status_report
from kb.translating.watch import fingerprint
from kb.translating.workflow import TranslationRefused, find_article, side_by_side
from webapp.errors import article_not_found
from webapp.params import choice_arg
from webapp.settings import current_settings

bp = Blueprint("translator", __name__)
EXTENSION = "kb_translation_report"

STATE_LABELS = {
    "current": _l("Current"),
    "outdated": _l("Outdated"),
    "missing": _l("Missing"),
    "untracked": _l("Untracked"),
    "orphan": _l("Orphan"),
    "invalid": _l("Invalid"),
}
CHANGE_LABELS = {
    "changed": _l("changed"),
    "added": _l("added"),
    "removed": _l("removed"),
}


class ReportCache:
    """The last report and the files' fingerprint it was made from (one per app)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: object = None
        self.report: StatusReport | None = None

    def get(self, roots: tuple[Path, ...], catalogs: Path, cache: Path) -> StatusReport:
        """The report, remade when a file changed; ``cache`` (shared with ``indexer.py
        translations status``) spares re-parsing unchanged articles, also after a restart."""
        key = (fingerprint(roots), _po_print(catalogs))
        with self.lock:
            if self.report is None or key != self.key:
                self.report, self.key = status_report(roots, catalogs, cache=cache), key
            return self.report


def _po_print(catalogs: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for po in sorted(catalogs.glob("*/LC_MESSAGES/messages.po")):
        info = po.stat()
        found.append((str(po), info.st_size, info.st_mtime_ns))
    return tuple(found)


def current_report() -> StatusReport:
    cache: ReportCache = current_app.extensions[EXTENSION]
    settings = current_settings()
    rows = settings.KB_INDEX_DIR / STATUS_CACHE
    return cache.get(settings.KB_CONTENT_DIR, bundled_translations(), rows)


@bp.get("/<locale:lang>/translations")
def status(lang: str) -> str | Response:
    """Articles by state (filters: ``state``, ``into``) and catalogs with their counts;
    ``format=json`` answers exactly what ``status --json`` prints."""
    report = current_report()
    if request.args.get("format") == "json":
        return current_app.response_class(_json(report.to_json()), mimetype="application/json")
    state = choice_arg("state", STATES)
    into = choice_arg("into", LOCALES)
    rows = [
        row
        for row in report.articles
        if state in (None, row.state) and (into is None or row.concerns(into))
    ]
    return render_template(
        "translations.html",
        report=report,
        rows=rows,
        counts=report.counts(),
        state=state,
        into=into,
        states=STATES,
    )


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2)


@bp.get("/<locale:lang>/translations/<slug>")
def article(lang: str, slug: str) -> str:
    """Both languages side by side; ``glossary=0`` skips the glossary check."""
    if not SLUG_RE.match(slug):
        raise article_not_found(slug)
    settings = current_settings()
    try:
        found = find_article(settings.KB_CONTENT_DIR, slug)
    except TranslationRefused:
        raise article_not_found(slug) from None
    except ContentInvalid as problem:
        return render_template("translation.html", slug=slug, errors=problem.errors, pairs=[])
    rows = read_glossary_rows(settings.KB_GLOSSARY)
    result, pairs = side_by_side(found, rows, analyser() if rows else None)
    return render_template(
        "translation.html",
        slug=slug,
        article=found,
        result=result,
        status=result.status,
        pairs=pairs,
        errors=[],
        columns=_columns(found.locales, result.status.source_locale, result.status.locale),
    )


def _columns(present: list[str], source: str | None, translation: str | None) -> list[str]:
    """The side-by-side view's languages, source first (untracked: in LOCALES order)."""
    if source in present and translation in present:
        return [source, translation]
    return [*present, *(loc for loc in LOCALES if loc not in present)][:2]


@bp.app_template_global()
def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


@bp.app_template_global()
def change_label(change: str) -> str:
    return str(CHANGE_LABELS.get(change, change))


def init_app(app: Flask) -> None:
    from webapp.settings import settings_of

    if not settings_of(app).KB_TRANSLATOR_PAGES:
        return
    app.extensions[EXTENSION] = ReportCache()
    app.register_blueprint(bp)
