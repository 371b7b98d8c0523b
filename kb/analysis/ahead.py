"""Kiwi loaded ahead, in a forked child, while this process does other work.

Kiwi's load holds the GIL for its whole ~1.3 s, so a thread beside it overlaps nothing. An
update that starts one of these first lists and hashes every article, parses the changed ones
and embeds their passages meanwhile, and then has its few texts analysed by the child: a fresh
``indexer.py update`` no longer waits for Kiwi after finding what changed (and an update that
changed nothing never waits for it at all). The command starts its child before it even
imports the index code (:func:`start_now`).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterable
from multiprocessing.connection import Connection
from typing import NamedTuple

from kb.analysis.korean import Analysis, batch_model, kiwi_batch


class Token(NamedTuple):
    """What the analysis reads of a Kiwi token, which itself cannot cross a process."""

    form: str
    tag: str
    start: int
    len: int


class KiwiAhead:
    """A ``KoreanModel``'s ``analyse`` served by a child that starts loading Kiwi at once.
    If the child fails or dies, this process analyses by itself, as without one."""

    def __init__(self) -> None:
        forked = multiprocessing.get_context("fork")
        self._conn, child = forked.Pipe()
        self._process = forked.Process(target=_serve, args=(child,), daemon=True)
        try:
            self._process.start()
        except OSError:  # no child to be had (a process limit): this process analyses alone
            self._conn.close()
        finally:
            child.close()
        self._lock = threading.Lock()  # one request at a time on the pipe

    def analyse(self, texts: Iterable[str]) -> Analysis:
        batch = kiwi_batch(texts)
        if not batch:
            return {}
        with self._lock:
            try:
                self._conn.send(batch)
                reply = self._conn.recv()
            except (OSError, EOFError):
                reply = None
        if not isinstance(reply, list):  # the child is gone or failed: analyse here
            return batch_model().analyse(batch)
        return dict(zip(batch, reply, strict=True))

    def close(self) -> None:
        """Stop the child, loaded or not (an update that changed nothing never waits for it)."""
        self._conn.close()
        if self._process.pid is not None:
            self._process.kill()
            self._process.join()


_started: KiwiAhead | None = None


def start_now() -> None:
    """Start Kiwi's child for this process's next update now: ``indexer.py update`` calls this
    before its own imports (~0.4 s), which the load then overlaps."""
    global _started
    if _started is None:
        _started = KiwiAhead()


def take_started() -> KiwiAhead | None:
    """The child :func:`start_now` started, handed over once: the taker closes it."""
    global _started
    ahead, _started = _started, None
    return ahead


def _serve(conn: Connection) -> None:
    """In the child: load Kiwi, then analyse each batch sent until the pipe closes (with the
    child's own threaded model: the parent's is forgotten at the fork)."""
    model = batch_model()
    try:
        model.kiwi  # noqa: B018 (loading is the point)
        while True:
            batch = conn.recv()
            analysis = model.analyse(batch)
            conn.send(
                [[Token(t.form, t.tag, t.start, t.len) for t in analysis[text]] for text in batch]
            )
    except EOFError:
        return
    except Exception as problem:  # reported to the parent, which then analyses by itself
        conn.send(repr(problem))
