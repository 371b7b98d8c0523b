"""The index the app searches: opened once, at start; kb itself follows rebuilds swapped in.

Opened (and warmed up) before gunicorn forks its workers, so they share the Korean model and
the index's tables; kb reads index files by position only, so one open index serves every
worker. A missing, damaged or outdated index is logged once (and once more for each other bad
build published); until a usable build appears requests get a 503, and opening is tried again
whenever ``current`` moves (and every ``kb.snapshot.RETRY_SECONDS``), so no restart is needed.
Once open, kb keeps serving the last good build when a newly published one is bad.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from flask import Flask, current_app

import kb
from kb.builds import live_build
from kb.snapshot import OpenFailures
from webapp.errors import index_unavailable
from webapp.settings import settings_of


class IndexHolder:
    """Opens ``path`` (until it can), warms it up if asked, and remembers why it could not."""

    def __init__(self, path: Path, logger: logging.Logger, warm_up: bool = False):
        self.path = path
        self.logger = logger
        self.warm_up = warm_up
        self._lock = threading.Lock()
        self._index: kb.KnowledgeIndex | None = None
        self.problem: kb.IndexProblem | None = None
        self._failures = OpenFailures()

    def get(self) -> kb.KnowledgeIndex:
        """The open index, or a 503 problem when there is none to open yet."""
        index = self.ensure_open()
        if index is None:
            raise index_unavailable()
        return index

    def ensure_open(self) -> kb.KnowledgeIndex | None:
        """Open the index unless it is open; None while there is none."""
        if self._index is None and self._failures.due(live_build(self.path)):
            with self._lock:
                target = live_build(self.path)
                if self._index is None and self._failures.due(target):
                    self._open(target)
        return self._index

    def _open(self, target: Path | None) -> None:
        """Open the index ``current`` points at (``target``), or record why it cannot be."""
        try:
            index = kb.open_index(self.path, self.logger)
            if self.warm_up:
                started = time.perf_counter()
                kb.warm_up(index)
                self.logger.info("warmed up in %.2f s", time.perf_counter() - started)
            self._index = index
        except kb.IndexProblem as problem:
            if self._failures.failed(target):
                self.logger.error("search index unavailable, pages answer 503: %s", problem)
            self.problem = problem
            return
        if self.problem is not None:
            self.logger.info("search index opened at %s", self.path)
        self.problem = None


def current_index() -> kb.KnowledgeIndex:
    holder: IndexHolder = current_app.extensions["kb_index"]
    return holder.get()


def init_app(app: Flask) -> None:
    settings = settings_of(app)
    holder = IndexHolder(settings.KB_INDEX_DIR, app.logger, settings.KB_WARM_UP)
    app.extensions["kb_index"] = holder
    holder.ensure_open()  # now, so that a missing index is reported once, at start
