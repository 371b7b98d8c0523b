"""HTTP under load: gunicorn (the production server) on 127.0.0.1 and a separate load process.

Gunicorn runs as ``make run`` starts it (``webapp.serving``: preload, gevent workers) on a
random free port over the cached index; the load generator (:mod:`bench.perf.loadgen`) asks
``/api/search`` for the query mix at 1, 8 and 32 concurrent clients, bounded in requests and
seconds per level.
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from bench.perf.paths import ROOT, WORK
from bench.perf.procs import run_child
from bench.perf.queries import query_mix
from bench.perf.stats import latency, spread

LEVELS = (1, 8, 32)
Say = Callable[[str], None]


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def search_paths(seed: int = 7) -> list[str]:
    """``/api/search`` URLs of the query mix in a fixed shuffled order."""
    paths = [f"/api/search?{urlencode({'q': q.text, 'lang': q.locale})}" for q in query_mix()]
    random.Random(seed).shuffle(paths)
    return paths


def suggest_paths() -> list[str]:
    """``/api/suggest`` URLs of the prefix mix (when the app serves that endpoint)."""
    from bench.perf.queries import prefix_mix

    return [f"/api/suggest?{urlencode({'q': p.text, 'lang': 'ko'})}" for p in prefix_mix()]


def start_server(index: Path, workers: int, port: int) -> subprocess.Popen:
    """The ``make run`` server (:func:`webapp.serving.command`) on 127.0.0.1:``port``."""
    from webapp.serving import command

    WORK.mkdir(parents=True, exist_ok=True)  # bench.semantic_cost may run before bench.perf
    log = (WORK / "gunicorn.log").open("w")
    argv = [sys.executable, "-m", "gunicorn", *command(f"127.0.0.1:{port}", workers)]
    argv += ["--error-logfile", "-"]
    env = {**os.environ, "KB_INDEX_DIR": str(index)}
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def get_status(port: int, path: str, timeout: float = 30.0) -> int:
    """Status code of one GET, or 0 when nothing answers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


def wait_ready(server: subprocess.Popen, port: int, timeout: float = 60) -> None:
    """Block until the app answers (or fail if gunicorn exits or never answers)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see gunicorn.log")
        if get_status(port, "/api/search?q=x&lang=en", 5) == 200:
            return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's child processes (its workers)."""
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in text.split()]


def memory_mib(pid: int) -> dict[str, float]:
    """VmRSS (from status), Pss and private pages (what the process alone holds: the memory a
    worker adds) from smaps_rollup, in MiB."""
    out = {"rss": 0.0, "pss": 0.0, "private": 0.0}
    wanted = {
        "VmRSS:": "rss",
        "Pss:": "pss",
        "Private_Clean:": "private",
        "Private_Dirty:": "private",
    }
    for name in ("status", "smaps_rollup"):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                fields = line.split()
                if fields and fields[0] in wanted:
                    out[wanted[fields[0]]] += int(fields[1]) / 1024
        except OSError:
            pass
    return out


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM (graceful), then SIGKILL after 30 s."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def load_level(port: int, paths: list[str], clients: int, requests: int, seconds: float) -> dict:
    """One bounded load run in a separate process."""
    args = {
        "port": port,
        "paths": paths,
        "concurrency": clients,
        "max_requests": requests,
        "max_seconds": seconds,
    }
    return run_child("bench.perf.loadgen:child_load", args).result


def summarize_level(runs: list[dict], memory: list[dict]) -> dict:
    """Throughput, latency percentiles and errors over the repeated runs of one level."""
    per_run = [latency(r["latencies_ms"]) for r in runs]
    return {
        "throughput": spread(r["throughput"] for r in runs),
        "p50": spread(p["p50"] for p in per_run),
        "p95": spread(p["p95"] for p in per_run),
        "p99": spread(p["p99"] for p in per_run),
        "errors": sum(r["errors"] for r in runs),
        "error_kinds": [r["error_kinds"] for r in runs if r["errors"]],
        "requests": [r["completed"] for r in runs],
        "seconds": [round(r["seconds"], 2) for r in runs],
        "worker_rss_mib": max((m["rss"] for m in memory), default=0.0),
        "worker_pss_mib": max((m["pss"] for m in memory), default=0.0),
    }


def measure_http(
    index: Path, workers: int, repeat: int, requests: int, seconds: float, say: Say
) -> dict:
    """Start gunicorn, warm every worker, then load it at each level ``repeat`` times."""
    port = free_port()
    server = start_server(index, workers, port)
    try:
        wait_ready(server, port)
        paths = search_paths()
        idle = [memory_mib(pid) for pid in worker_pids(server.pid)]
        load_level(port, [p for p in paths if "lang=ko" in p], workers * 2, workers * 40, 60)
        warm = [memory_mib(pid) for pid in worker_pids(server.pid)]
        levels = {}
        for clients in LEVELS:
            runs: list[dict] = []
            memory: list[dict[str, float]] = []
            for n in range(repeat):
                runs.append(load_level(port, paths, clients, requests, seconds))
                memory.extend(memory_mib(pid) for pid in worker_pids(server.pid))
                say(
                    f"  http {clients} clients {n + 1}/{repeat}: "
                    f"{runs[-1]['throughput']:.0f} req/s, {runs[-1]['errors']} errors"
                )
            levels[str(clients)] = summarize_level(runs, memory)
        suggest = measure_suggest_http(port, workers, requests, seconds)
        master = memory_mib(server.pid)
    finally:
        stop_server(server)
    return {
        "workers": workers,
        "levels": levels,
        "suggest": suggest,
        "idle_worker_rss_mib": [round(m["rss"], 1) for m in idle],
        "warm_worker_rss_mib": [round(m["rss"], 1) for m in warm],
        "master_rss_mib": round(master["rss"], 1),
        "bounds": {"requests": requests, "seconds": seconds},
    }


def measure_suggest_http(port: int, workers: int, requests: int, seconds: float) -> dict:
    """``/api/suggest`` at 8 clients after a warm-up (each worker maps the build's completion
    table), when the app serves it; else the status it answered."""
    status = get_status(port, suggest_paths()[0])
    if status != 200:
        return {"served": False, "status": status}
    load_level(port, suggest_paths(), workers * 2, workers * 20, 60)
    run = load_level(port, suggest_paths(), 8, requests, seconds)
    return {"served": True, **summarize_level([run], [])}
