"""Read-side scaling: replicas of one immutable build behind a load balancer, measured.

    python -m bench.scaling [--articles N] [--seconds S] [--clients C] [--repeat R]
                            [--balancer auto|nginx|client] [--rebuild update|full]
                            [--reuse-index]

Builds ONE index of a ``kb-N`` corpus (see :mod:`bench.perf.corpora`), starts two independent
gunicorn instances (1 sync worker each, ``--preload``) on 127.0.0.1 over that same folder, and
loads them with the published query mix (:mod:`bench.perf.queries`): one instance alone, both
round-robin by the client, both behind nginx (when installed), and, for reference, one instance
with 2 workers. Then a new build is swapped in while load runs, and both instances must answer
from it without a restart and without a failed request. Writes bench/out/scaling.json.
Everything (servers, nginx, the load generator) shares this machine's cores: the figures say
what replicas cost on one host, not what a second host adds.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.perf.code import current
from bench.perf.corpora import Corpus, ensure_corpus
from bench.perf.load import free_port, search_paths, stop_server, wait_ready, worker_pids
from bench.perf.loadgen import fetch
from bench.perf.machine import CpuMeter, busy_seconds, describe, own_seconds
from bench.perf.paths import OUT, ROOT
from bench.perf.procs import run_child
from bench.perf.stats import latency

WORK = OUT / "scaling-work"
RESULTS = OUT / "scaling.json"
GLOSSARY = ROOT / "translations" / "glossary.tsv"
TICKS = os.sysconf("SC_CLK_TCK")
MARKER_SLUG = "scaling-marker"
MARKER_WORD = "qzvscalemark"  # made up: found only in the marker article


@dataclass
class Instance:
    """One gunicorn app instance: its master process and port."""

    name: str
    port: int
    proc: subprocess.Popen

    def pids(self) -> list[int]:
        """Master first, then its workers."""
        return [self.proc.pid, *worker_pids(self.proc.pid)]


# -- processes ---------------------------------------------------------------------------------


def start_instance(name: str, index: Path, workers: int = 1) -> Instance:
    """``gunicorn --workers N --preload`` on a free loopback port, reading ``index``."""
    port = free_port()
    argv = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]  # = .venv/bin/gunicorn
    argv += ["--bind", f"127.0.0.1:{port}", "--preload"]
    argv += ["--error-logfile", "-", "webapp:create_app()"]
    log = (WORK / f"gunicorn-{name}.log").open("w")
    env = {**os.environ, "KB_INDEX_DIR": str(index)}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return Instance(name, port, proc)


NGINX_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream kb {{ {servers} }}
    server {{
        listen 127.0.0.1:{port};
        location / {{ proxy_pass http://kb; }}
    }}
}}
"""


def start_nginx(backends: list[Instance]) -> tuple[subprocess.Popen, int] | None:
    """nginx (Debian's ``nginx-light``) round-robin over ``backends``; None when not installed."""
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        return None
    prefix, port = WORK / "nginx", free_port()
    prefix.mkdir(parents=True, exist_ok=True)
    servers = " ".join(f"server 127.0.0.1:{b.port};" for b in backends)
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, servers=servers, port=port))
    argv = [binary, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_ready(proc, port)
    return proc, port


def memory(pid: int) -> dict[str, float]:
    """Rss, Pss, Pss_Anon and Pss_File of a process from /proc/<pid>/smaps_rollup, in MiB."""
    wanted = {"Rss:": "rss", "Pss:": "pss", "Pss_Anon:": "pss_anon", "Pss_File:": "pss_file"}
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            field = line.split(maxsplit=1)[0] if line.strip() else ""
            if field in wanted:
                out[wanted[field]] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out


def instance_memory(instance: Instance) -> dict[str, Any]:
    """Memory of the master and each worker, and the instance's total PSS."""
    procs = [{"pid": pid, **memory(pid)} for pid in instance.pids()]
    return {
        "master": procs[0],
        "workers": procs[1:],
        "total_pss_mib": round(sum(p.get("pss", 0.0) for p in procs), 1),
    }


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (/proc/<pid>/stat), children not included."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


# -- load --------------------------------------------------------------------------------------


async def _load(
    ports: list[int],
    paths: list[str],
    concurrency: int,
    max_seconds: float,
    max_requests: int,
    stop_file: str | None,
) -> dict[str, Any]:
    """``concurrency`` clients; request n goes to ``ports[n % len(ports)]`` (round-robin)."""
    deadline = time.monotonic() + max_seconds
    counter = {"next": 0}
    records: list[tuple[float, float, int, int]] = []  # wall start, ms, port, status (0 = error)
    errors: Counter[str] = Counter()

    def more() -> bool:
        """Budget left and nobody asked to stop."""
        stopped = stop_file is not None and os.path.exists(stop_file)
        return counter["next"] < max_requests and time.monotonic() < deadline and not stopped

    async def client() -> None:
        """One request at a time until the budget is spent."""
        while more():
            n = counter["next"]
            counter["next"] += 1
            port, path = ports[n % len(ports)], paths[n % len(paths)]
            wall, begun = time.time(), time.perf_counter()
            try:
                status = await fetch(port, path, 10.0)
            except (OSError, TimeoutError, ValueError, IndexError) as exc:
                errors[type(exc).__name__] += 1
                status = 0
            if status not in (0, 200):
                errors[f"HTTP {status}"] += 1
            records.append((wall, (time.perf_counter() - begun) * 1000, port, status))

    begun = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return {
        "records": records,
        "errors": dict(errors),
        "seconds": time.perf_counter() - begun,
        "loader_cpu_s": time.process_time(),
    }


def child_load(
    ports: list[int],
    paths: list[str],
    concurrency: int,
    max_seconds: float,
    max_requests: int = 10**9,
    stop_file: str | None = None,
) -> dict[str, Any]:
    """Entry point for :mod:`bench.perf.child`: the load generator runs as its own process."""
    return asyncio.run(_load(ports, paths, concurrency, max_seconds, max_requests, stop_file))


def run_load(
    ports: list[int], paths: list[str], clients: int, seconds: float, **extra: Any
) -> dict:
    """One load run in a fresh process (so its CPU is not this process's)."""
    args = {"ports": ports, "paths": paths, "concurrency": clients, "max_seconds": seconds, **extra}
    return run_child("bench.scaling:child_load", args).result


def summarize(run: dict, targets: dict[int, str]) -> dict[str, Any]:
    """req/s (status 200 only), latency percentiles, errors, requests per target."""
    records = run["records"]
    ok = [r for r in records if r[3] == 200]
    return {
        "req_per_s": round(len(ok) / run["seconds"], 1),
        **{k: v for k, v in latency([r[1] for r in records]).items() if k != "n"},
        "requests": len(records),
        "errors": sum(run["errors"].values()),
        "error_kinds": run["errors"],
        "per_target": dict(Counter(targets[r[2]] for r in records)),
        "seconds": round(run["seconds"], 2),
        "loader_cpu_s": round(run["loader_cpu_s"], 1),
    }


def measure(
    name: str,
    ports: list[int],
    targets: dict[int, str],
    watched: dict[str, list[int]],
    paths: list[str],
    clients: int,
    seconds: float,
) -> dict[str, Any]:
    """One phase: load ``ports``; throughput, latency, and the cores each process used."""
    before = {key: cpu_seconds(pids) for key, pids in watched.items()}
    busy, own, wall = busy_seconds(), own_seconds(), time.monotonic()
    result = summarize(run_load(ports, paths, clients, seconds), targets)
    wall = time.monotonic() - wall
    cores = {key: round((cpu_seconds(p) - before[key]) / wall, 2) for key, p in watched.items()}
    ours = sum(cores.values()) * wall + (own_seconds() - own)  # servers + nginx + loader + us
    foreign = max(0.0, busy_seconds() - busy - ours) / (wall * (os.cpu_count() or 1))
    served = sum(v for k, v in cores.items() if k != "nginx") * wall  # app CPU seconds
    result |= {
        "name": name,
        "cores_used": cores,
        "app_cpu_ms_per_request": round(1000 * served / max(1, result["requests"]), 2),
        "other_processes_share": round(foreign, 3),
    }
    say(
        f"{name}: {result['req_per_s']} req/s, p50 {result['p50']:.1f} p95 {result['p95']:.1f} "
        f"p99 {result['p99']:.1f} ms, {result['errors']} errors, cores {cores}"
    )
    return result


def warm(instance: Instance, paths: list[str]) -> None:
    """Korean queries on every worker so each has touched the model and tables."""
    workers = max(1, len(instance.pids()) - 1)
    korean = [p for p in paths if "lang=ko" in p]
    run_load([instance.port], korean, workers * 2, 60, max_requests=workers * 40)


# -- swap --------------------------------------------------------------------------------------


def write_marker(folder: Path) -> Path:
    """A content folder with one extra article, findable only by MARKER_WORD."""
    root = folder / "marker"
    article = root / MARKER_SLUG
    article.mkdir(parents=True, exist_ok=True)
    texts = {
        "en": ("Scaling marker", "Written by the scaling benchmark to show a new build is served."),
        "ko": ("확장 점검용 문서", "새 빌드가 서비스되는지 확인하려고 벤치마크가 만든 문서입니다."),
    }
    for locale, (title, body) in texts.items():
        text = f"---\ntitle: {title} {MARKER_WORD}\n---\n{body} {MARKER_WORD}\n"
        (article / f"{locale}.md").write_text(text, encoding="utf-8")
    return root


def has_marker(port: int) -> bool | None:
    """Whether the instance finds the marker article (None when it did not answer 200)."""
    query = urlencode({"q": MARKER_WORD, "lang": "en", "exact": "1"})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", f"/api/search?{query}")
        response = conn.getresponse()
        if response.status != 200:
            return None
        return any(hit["slug"] == MARKER_SLUG for hit in json.loads(response.read())["results"])
    except OSError:
        return None
    finally:
        conn.close()


def swap_under_load(
    corpus: Corpus,
    index: Path,
    replicas: list[Instance],
    ports: list[int],
    targets: dict[int, str],
    paths: list[str],
    clients: int,
    rebuild: str,
) -> dict[str, Any]:
    """Load runs while a new build (the corpus + one marker article) is swapped in; both
    replicas must find the marker afterwards, with no failed request and no restart."""
    from kb.builds import live_build

    marker = write_marker(WORK)
    before = {r.name: has_marker(r.port) for r in replicas}
    build_before = live_build(index)
    stop = WORK / "stop-load"
    stop.unlink(missing_ok=True)
    holder: dict[str, dict] = {}
    thread = threading.Thread(
        target=lambda: holder.update(run=run_load(ports, paths, clients, 900, stop_file=str(stop)))
    )
    thread.start()
    import kb

    make = kb.update_index if rebuild == "update" else kb.build_index
    seen: dict[str, float | None] = {}
    try:
        time.sleep(3)
        started = time.time()
        report = make([corpus.path, marker], index, glossary=GLOSSARY)
        published = time.time()
        for replica in replicas:
            seen[replica.name] = None
            while time.time() - published < 60:
                if has_marker(replica.port):
                    seen[replica.name] = round((time.time() - published) * 1000, 1)
                    break
        time.sleep(3)
    finally:
        stop.touch()
        thread.join()
    run = holder["run"]
    window = [r for r in run["records"] if published <= r[0] < published + 2]
    result = {
        "rebuild": rebuild,
        "rebuild_s": round(published - started, 2),
        "indexer_says": report.summary(),
        "build_before": build_before.name if build_before else None,
        "build_after": live_build(index).name,
        "marker_before": before,
        "marker_seen_after_ms": seen,
        "restarted": [r.name for r in replicas if r.proc.poll() is not None],
        "load": summarize(run, targets),
        "requests_after_swap": sum(1 for r in run["records"] if r[0] >= published),
        "first_2s_after_swap": {
            k: v for k, v in latency([r[1] for r in window]).items() if k in ("n", "p50", "max")
        },
    }
    stop.unlink(missing_ok=True)
    say(
        f"swap ({rebuild}) in {result['rebuild_s']} s: marker before {before}, seen after "
        f"{seen} ms; {result['load']['errors']} errors in {result['load']['requests']} requests"
    )
    return result


# -- main --------------------------------------------------------------------------------------


def say(message: str) -> None:
    """Progress on stderr (stdout is the JSON summary)."""
    print(message, file=sys.stderr, flush=True)


def combine(name: str, runs: list[dict]) -> dict[str, Any]:
    """Median of each figure over the repeated runs of one phase, errors summed, runs kept."""
    keys = ("req_per_s", "p50", "p95", "p99", "app_cpu_ms_per_request", "other_processes_share")
    return {
        "name": name,
        **{k: round(statistics.median(r[k] for r in runs), 3) for k in keys},
        "req_per_s_runs": [r["req_per_s"] for r in runs],
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "runs": runs,
    }


def run(
    articles: int,
    seconds: float,
    clients: int,
    repeat: int,
    balancer: str,
    rebuild: str,
    reuse: bool = False,
) -> dict:
    """The whole measurement; the JSON summary."""
    import kb

    corpus = ensure_corpus(f"kb-{articles}")
    index = WORK / f"index-kb-{articles}"
    if not reuse:
        shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(WORK / "marker", ignore_errors=True)
    build_cpu = CpuMeter()
    reuse = reuse and (index / "current").exists()
    if reuse:  # back to the corpus alone (drops the marker)
        say(f"reusing {index}: updating it to the corpus")
        report = kb.update_index(corpus.path, index, glossary=GLOSSARY)
    else:
        say(f"building {corpus.articles} articles into {index} …")
        report = kb.build_index(corpus.path, index, glossary=GLOSSARY)
    build_cpu_use = build_cpu.stop()
    say(report.summary())
    live = index / "current"
    build_mib = round(sum(p.stat().st_size for p in live.rglob("*") if p.is_file()) / 2**20, 1)
    paths = search_paths()
    a, b = start_instance("A", index), start_instance("B", index)
    reference = start_instance("C", index, workers=2)  # for comparison: workers, not replicas
    servers = [a, b, reference]
    nginx: tuple[subprocess.Popen, int] | None = None
    try:
        for server in servers:
            wait_ready(server.proc, server.port)
            warm(server, paths)
        idle = {s.name: instance_memory(s) for s in servers}
        if balancer in ("auto", "nginx"):
            nginx = start_nginx([a, b])
            if nginx is None and balancer == "nginx":
                raise SystemExit("nginx is not installed: apt-get install -y nginx-light")
        targets = {s.port: s.name for s in servers}
        watched = {s.name: s.pids() for s in servers}
        if nginx:
            targets[nginx[1]] = "nginx"
            watched["nginx"] = [nginx[0].pid, *worker_pids(nginx[0].pid)]
        plan = [
            ("one instance, 1 worker", [a.port]),
            ("two instances, client round-robin", [a.port, b.port]),
            *([("two instances, nginx round-robin", [nginx[1]])] if nginx else []),
            ("one instance, 2 workers (reference)", [reference.port]),
        ]
        load_before = round(os.getloadavg()[0], 2)  # others' jobs show in other_processes_share
        runs: dict[str, list[dict]] = {name: [] for name, _ in plan}
        for _ in range(repeat):  # interleaved, so a busy spell elsewhere hits every phase
            for name, ports in plan:
                runs[name].append(measure(name, ports, targets, watched, paths, clients, seconds))
        loaded = {s.name: instance_memory(s) for s in servers}
        lb_ports = [nginx[1]] if nginx else [a.port, b.port]
        swap = swap_under_load(corpus, index, [a, b], lb_ports, targets, paths, clients, rebuild)
    finally:
        if nginx:
            stop_server(nginx[0])
        for server in servers:
            stop_server(server.proc)
    return {
        "command": "python -m bench.scaling "
        f"--articles {articles} --seconds {seconds:g} --clients {clients} --repeat {repeat}",
        "machine": describe(),
        "code": {**current(), "kb": kb.__file__},
        "note": f"{os.cpu_count()} cores shared by every server, nginx and the load generator",
        "corpus": corpus.to_json(),
        "build": {
            "seconds": round(report.seconds, 1),
            "says": report.summary(),
            "reused": reuse and not report.full,  # an incompatible index is rebuilt in full
            **build_cpu_use,
        },
        "build_mib": build_mib,
        "balancer": "nginx" if nginx else "client round-robin",
        "clients": clients,
        "seconds_per_run": seconds,
        "queries": len(paths),
        "load_average_before_phases": load_before,
        "phases": [combine(name, runs[name]) for name, _ in plan],
        "memory_idle_after_warmup": idle,
        "memory_after_load": loaded,
        "swap": swap,
    }


def main() -> None:
    """Parse options, measure, print and store the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="kb-N corpus size")
    parser.add_argument("--seconds", type=float, default=15, help="load per run of a phase")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--repeat", type=int, default=2, help="runs per phase, interleaved")
    parser.add_argument("--balancer", choices=("auto", "nginx", "client"), default="auto")
    parser.add_argument("--rebuild", choices=("update", "full"), default="update")
    parser.add_argument(
        "--reuse-index", action="store_true", help="keep the last run's index (skip the build)"
    )
    args = parser.parse_args()
    started = time.monotonic()
    result = run(
        args.articles,
        args.seconds,
        args.clients,
        args.repeat,
        args.balancer,
        args.rebuild,
        args.reuse_index,
    )
    result["wall_s"] = round(time.monotonic() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    say(f"wrote {RESULTS} in {result['wall_s']} s")


if __name__ == "__main__":
    main()
