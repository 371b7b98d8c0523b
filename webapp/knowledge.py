"""The index a worker searches: opened once per process; kb itself follows rebuilds swapped in.

A missing or outdated index is logged once at start; until it is built, requests get a 503 and
each one quietly retries opening it, so building it later needs no restart.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from flask import Flask, current_app

import kb
from webapp.errors import index_unavailable


class IndexHolder:
    """Opens ``path`` lazily, again after a fork (gunicorn ``--preload``), and remembers why not."""

    def __init__(self, path: Path, logger: logging.Logger):
        self.path = path
        self.logger = logger
        self._lock = threading.Lock()
        self._index: kb.KnowledgeIndex | None = None
        self._pid = 0
        self.problem: kb.IndexProblem | None = None

    def get(self) -> kb.KnowledgeIndex:
        """The open index, or a 503 problem when there is none to open yet."""
        index = self.ensure_open()
        if index is None:
            raise index_unavailable()
        return index

    def ensure_open(self) -> kb.KnowledgeIndex | None:
        """Open the index unless this process already has it; None while there is none."""
        if self._index is None or self._pid != os.getpid():
            with self._lock:
                if self._index is None or self._pid != os.getpid():
                    self._open()
        return self._index

    def _open(self) -> None:
        try:
            self._index, self._pid = kb.open_index(self.path), os.getpid()
        except kb.IndexProblem as problem:
            self._index = None
            if self.problem is None:
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
    holder = IndexHolder(app.config["KB_INDEX_DIR"], app.logger)
    app.extensions["kb_index"] = holder
    holder.ensure_open()  # now, so that a missing index is reported once, at start
