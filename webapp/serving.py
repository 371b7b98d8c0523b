"""How ``make run`` serves the app: gunicorn reads this module (``--config python:webapp.serving``).

gevent workers read each request's headers cooperatively, so a client that trickles them holds
one greenlet, never a worker; the app runs only once a request's headers are complete. The
README's "Deploying" section lists these choices; ``bench/slowclients.py`` measures them.
"""

from __future__ import annotations

import gc
from typing import Any

from gevent import monkey  # type: ignore[import-untyped]
from gunicorn.workers.ggevent import GeventWorker  # type: ignore[import-untyped]

CONFIG = "python:webapp.serving"

# The app, opened and warmed up (Kiwi, the index's tables) once in the master before it forks.
wsgi_app = "webapp:create_app()"
preload_app = True
worker_class = "webapp.serving.Worker"
workers = 2  # `make run WORKERS=N` passes --workers, which wins
bind = ["127.0.0.1:8000"]  # `make run HOST=… PORT=…` passes --bind, which wins
control_socket_disable = True  # gunicorn ≥ 25's ~/.gunicorn/gunicorn.ctl, shared by every server

# Slow and oversized requests. gunicorn's gevent worker reads a request line and headers under
# a timer of `keepalive` seconds: a client that has not sent them all by then is disconnected
# (that is also how long an idle kept-alive connection stays open).
keepalive = 5
worker_connections = 1000  # open connections per worker, slow ones included
limit_request_line = 4094  # bytes: a 256-character Korean query is ~2.3 KB percent-encoded
limit_request_fields = 64
limit_request_field_size = 8190
timeout = 30  # a worker whose loop is stuck this long (e.g. one request) is restarted
graceful_timeout = 30


def pre_fork(server: Any, worker: Any) -> None:
    """gunicorn's hook before it forks a worker: what the master made (the warmed-up tables,
    the app) is moved out of the garbage collector's reach. A collection in a worker writes to
    each object it visits, and every page it writes to stops being shared with the master."""
    gc.freeze()


class Worker(GeventWorker):
    """gevent's gunicorn worker with threads left unpatched: kb keeps one Whoosh searcher per
    thread (``threading.local``), which patched would mean one per connection's greenlet."""

    sockets: list[Any]  # the listeners gunicorn hands each worker

    def patch(self) -> None:
        """Patch sockets, time, select… but not ``threading``; as gunicorn's own ``patch``."""
        monkey.patch_all(thread=False)
        from gevent import socket

        self.sockets = [
            socket.socket(s.FAMILY, socket.SOCK_STREAM, fileno=s.sock.detach())
            for s in self.sockets
        ]


def command(bind: str, workers: int) -> list[str]:
    """The arguments after ``gunicorn`` that ``make run`` uses (the Makefile spells the same)."""
    return ["--config", CONFIG, "--workers", str(workers), "--bind", bind]
