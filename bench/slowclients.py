"""Slow clients against the server ``make run`` starts: does it keep answering everyone else?

    python -m bench.slowclients [--slow 50] [--seconds 60] [--rate 2] [--server current|sync]
                                [--index DIR] [--workers 2]
    python -m bench.slowclients --throughput --server sync,current [--index DIR] [--repeat 5]

Starts gunicorn on 127.0.0.1 exactly as ``make run`` does (``webapp.serving``; ``--server sync``:
the old sync-worker command, for comparison) over a built index (default: the bundled articles,
built into a temp folder), opens ``--slow`` connections that each send one header byte per second
(reconnecting when the server cuts one off) and meanwhile sends ``--rate`` normal searches per
second. Prints JSON: the normal searches' p50/p95/max and failures, and how long the server let
a slow connection trickle. ``--throughput`` instead runs bench.perf's HTTP load (its query mix,
8 clients) on each server listed, in alternating rounds: a before/after on one machine and index.
Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.perf.load import free_port, wait_ready
from bench.perf.stats import latency

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
QUERIES = ("가바펜틴 부작용", "타이레놀 효능", "두통", "졸음이 와요", "혈압약", "ㄱㅂㅍㅌ")
# A request whose headers never end: the request line, Host, then a header value forever.
SLOW_REQUEST = b"GET /api/search?q=slow&lang=ko HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
SERVERS = ("current", "sync")


def server_argv(server: str, port: int, workers: int) -> list[str]:
    """gunicorn as ``make run`` starts it (``current``) or as it used to (``sync``)."""
    bind = f"{LOOPBACK}:{port}"
    if server == "sync":
        args = ["--workers", str(workers), "--bind", bind, "--preload", "webapp:create_app()"]
    else:
        from webapp.serving import command

        args = command(bind, workers)
    return [sys.executable, "-m", "gunicorn", *args]


@contextlib.contextmanager
def running_server(argv: list[str], index: Path, port: int, log: Path) -> Iterator[int]:
    """Run ``argv`` with ``KB_INDEX_DIR=index`` until the block ends; yields the master's pid."""
    env = {**os.environ, "KB_INDEX_DIR": str(index)}
    with log.open("w") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_ready(proc, port)
        yield proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def bundled_index() -> Iterator[Path]:
    """The bundled articles built into a temporary folder."""
    import kb
    from kb.content import BUNDLED_CONTENT

    with tempfile.TemporaryDirectory(prefix="kb-slowclients-") as tmp:
        kb.build_index(BUNDLED_CONTENT, Path(tmp) / "index")
        yield Path(tmp) / "index"


# -- the clients -----------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw."""

    latencies_ms: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    slow_opened: int = 0
    slow_lifetimes: list[float] = field(default_factory=list)  # seconds until the server cut

    def fail(self, kind: str) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1


async def close(writer: asyncio.StreamWriter) -> None:
    """Close a connection and wait for it (no unclosed-transport warnings)."""
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()


async def slow_client(port: int, deadline: float, tally: Tally) -> None:
    """Send one header byte per second, never finishing; reconnect whenever the server cuts."""
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(LOOPBACK, port)
        except OSError:
            await asyncio.sleep(1)
            continue
        tally.slow_opened += 1
        opened = time.monotonic()
        try:
            sent = 0
            while time.monotonic() < deadline:
                writer.write(SLOW_REQUEST[sent : sent + 1] or b"a")
                sent += 1
                with contextlib.suppress(TimeoutError):
                    if not await asyncio.wait_for(reader.read(1), 1.0):
                        raise ConnectionResetError  # EOF: the server closed it
                    raise ConnectionResetError  # an answer (an error page) means it is done
        except OSError:
            tally.slow_lifetimes.append(time.monotonic() - opened)
        finally:
            await close(writer)


async def timed_search(port: int, path: str, timeout: float, tally: Tally) -> None:
    """One normal search; its latency, or a failure (timeout, error, non-200)."""
    begun = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(LOOPBACK, port), timeout)
    except (OSError, TimeoutError) as exc:
        tally.fail(type(exc).__name__)
        return
    try:
        request = f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode("ascii"))
        remaining = timeout - (time.perf_counter() - begun)
        data = await asyncio.wait_for(reader.read(-1), max(remaining, 0.001))
    except (OSError, TimeoutError) as exc:
        tally.fail(type(exc).__name__)
        return
    finally:
        await close(writer)
    status = data.split(b" ", 2)[1:2]
    if status != [b"200"]:
        tally.fail(f"HTTP {status[0].decode() if status else '?'}")
        return
    tally.latencies_ms.append((time.perf_counter() - begun) * 1000)


async def trickle(
    port: int, slow: int, seconds: float, rate: float, timeout: float = 5.0, head_start: float = 2
) -> Tally:
    """``slow`` slow connections for ``seconds``; after ``head_start`` s, ``rate`` searches/s."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    slow_tasks = [asyncio.create_task(slow_client(port, deadline, tally)) for _ in range(slow)]
    await asyncio.sleep(min(head_start, seconds))
    searches = []
    n = 0
    while time.monotonic() < deadline:
        path = f"/api/search?{urlencode({'q': QUERIES[n % len(QUERIES)], 'lang': 'ko'})}"
        searches.append(asyncio.create_task(timed_search(port, path, timeout, tally)))
        n += 1
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*searches, *slow_tasks)
    return tally


def summary(tally: Tally) -> dict:
    """Percentiles of the normal searches and what happened to the slow connections."""
    sent = len(tally.latencies_ms) + sum(tally.failures.values())
    cut = sorted(tally.slow_lifetimes)
    return {
        "normal": {
            "sent": sent,
            "ok": len(tally.latencies_ms),
            "failed": sum(tally.failures.values()),
            "failures": tally.failures,
            **{f"{k}_ms": round(v, 1) for k, v in latency(tally.latencies_ms).items()},
            "max_ms": round(max(tally.latencies_ms, default=0.0), 1),
        },
        "slow": {
            "connections_opened": tally.slow_opened,
            "cut_off": len(cut),
            "seconds_to_cut_off_min": round(cut[0], 1) if cut else None,
            "seconds_to_cut_off_max": round(cut[-1], 1) if cut else None,
        },
    }


# -- throughput (before/after) ---------------------------------------------------------------


def warm(port: int, workers: int) -> None:
    """Every worker loads Kiwi and the tables (Korean queries), as bench.perf does first."""
    from bench.perf.load import load_level, search_paths

    ko = [p for p in search_paths() if "lang=ko" in p]
    load_level(port, ko, workers * 2, workers * 40, 60)


def throughput(ports: dict[str, int], workers: int, clients: int, repeat: int) -> dict:
    """bench.perf's HTTP load on each server in turn, ``repeat`` rounds: the servers run side by
    side (the idle one costs nothing), so each round compares them under the same machine load."""
    from bench.perf.load import load_level, search_paths, summarize_level

    paths = search_paths()
    for port in ports.values():
        warm(port, workers)
    runs: dict[str, list[dict]] = {name: [] for name in ports}
    for _ in range(repeat):
        for name, port in ports.items():
            runs[name].append(load_level(port, paths, clients, 2000, 30))
    result = {name: summarize_level(r, []) for name, r in runs.items()}
    for summarized in result.values():  # no memory figures here: bench.perf has them
        summarized.pop("worker_rss_mib")
        summarized.pop("worker_pss_mib")
    if len(runs) == 2:
        (a, ra), (b, rb) = runs.items()
        ratios = [y["throughput"] / x["throughput"] for x, y in zip(ra, rb, strict=True)]
        result[f"req/s {b} / {a}, per round"] = [round(r, 3) for r in ratios]
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.slowclients", description=__doc__)
    parser.add_argument("--slow", type=int, default=50, help="slow connections")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=2, help="normal searches per second")
    parser.add_argument(
        "--server",
        default="current",
        help="current (as `make run`) or sync (the old command); with --throughput a list, "
        "e.g. sync,current, measured in alternating rounds",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--index", type=Path, help="a built index (default: bundled articles)")
    parser.add_argument("--throughput", action="store_true", help="bench.perf's HTTP load")
    parser.add_argument("--clients", type=int, default=8, help="with --throughput")
    parser.add_argument("--repeat", type=int, default=3, help="with --throughput")
    args = parser.parse_args(argv)
    servers = args.server.split(",")
    if set(servers) - set(SERVERS) or len(set(servers)) != len(servers):
        parser.error(f"--server: one or more of {', '.join(SERVERS)}")
    if len(servers) > 1 and not args.throughput:
        parser.error("--server: one server unless --throughput")
    return args


def run(args: argparse.Namespace, index: Path) -> dict:
    """Start the server(s) on ``index`` and run the chosen measure."""
    servers = args.server.split(",")
    ports = {name: free_port() for name in servers}
    argvs = {name: server_argv(name, ports[name], args.workers) for name in servers}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        for name in servers:
            log = Path(tmp) / f"gunicorn-{name}.log"
            stack.enter_context(running_server(argvs[name], index, ports[name], log))
        if args.throughput:
            result = throughput(ports, args.workers, args.clients, args.repeat)
        else:
            result = summary(
                asyncio.run(trickle(ports[servers[0]], args.slow, args.seconds, args.rate))
            )
    commands = {name: ["gunicorn", *argv[3:]] for name, argv in argvs.items()}
    return {"commands": commands, "index": str(index), **result}


def main(argv: list[str] | None = None) -> None:
    """Run and print the JSON report."""
    args = parse_args(argv)
    with contextlib.ExitStack() as stack:
        index = args.index or stack.enter_context(bundled_index())
        report = run(args, index)
    if not args.throughput:
        report["load"] = {"slow": args.slow, "seconds": args.seconds, "rate": args.rate}
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
