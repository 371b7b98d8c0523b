"""A small HTTP load generator (asyncio, loopback only), run as its own process.

``concurrency`` clients each send one GET at a time (a new connection per request, as gunicorn's
sync workers close it) until ``max_requests`` were started or ``max_seconds`` passed.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

LOOPBACK = "127.0.0.1"


@dataclass
class State:
    """Shared progress of the clients."""

    paths: list[str]
    max_requests: int
    deadline: float
    started: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)


async def fetch(port: int, path: str, timeout: float) -> int:
    """GET ``path`` on 127.0.0.1:``port``; the response's status code."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(LOOPBACK, port), timeout)
    try:
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\n"
            "Accept: application/json\r\nConnection: close\r\n\r\n"
        )
        writer.write(request.encode("ascii"))
        await writer.drain()
        data = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    return int(data.split(b" ", 2)[1])


async def client(state: State, port: int, timeout: float) -> None:
    """Send requests one after another until the budget is spent."""
    while state.started < state.max_requests and time.monotonic() < state.deadline:
        path = state.paths[state.started % len(state.paths)]
        state.started += 1
        begun = time.perf_counter()
        try:
            status = await fetch(port, path, timeout)
        except (OSError, TimeoutError, ValueError, IndexError) as exc:
            state.errors[type(exc).__name__] += 1
            continue
        state.latencies.append((time.perf_counter() - begun) * 1000)
        state.statuses[status] += 1
        if status != 200:
            state.errors[f"HTTP {status}"] += 1


async def run_load(
    port: int, paths: list[str], concurrency: int, max_requests: int, max_seconds: float
) -> dict:
    """Run the clients; latencies of completed requests, errors and throughput."""
    state = State(paths, max_requests, time.monotonic() + max_seconds)
    begun = time.perf_counter()
    await asyncio.gather(*(client(state, port, 10.0) for _ in range(concurrency)))
    elapsed = time.perf_counter() - begun
    return {
        "latencies_ms": state.latencies,
        "requests": state.started,
        "completed": len(state.latencies),
        "errors": sum(state.errors.values()),
        "error_kinds": dict(state.errors),
        "statuses": {str(k): v for k, v in state.statuses.items()},
        "seconds": elapsed,
        "throughput": state.statuses.get(200, 0) / elapsed,  # successful requests per second
    }


def child_load(
    port: int, paths: list[str], concurrency: int, max_requests: int, max_seconds: float
) -> dict:
    """Entry point for :mod:`bench.perf.child`."""
    return asyncio.run(run_load(port, paths, concurrency, max_requests, max_seconds))
