"""Fresh processes measured from outside: wall time and peak RSS (``os.wait4``), CPU affinity.

"One core" pins the child to CPU 0 with ``os.sched_setaffinity`` before it starts (what
``taskset -c 0`` does); Kiwi still starts ``os.cpu_count()`` worker threads, which then share
that one core. "All cores" leaves the affinity alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.perf.machine import busy_seconds
from bench.perf.paths import ROOT, WORK

ONE_CORE = frozenset({0})


@dataclass(frozen=True)
class Run:
    """What a finished child process cost."""

    seconds: float
    peak_rss_mib: float
    stdout: str
    result: dict[str, Any] = field(default_factory=dict)
    foreign_share: float = 0.0  # CPU other processes used meanwhile, share of all cores


class ChildFailed(RuntimeError):
    """A measured child exited non-zero; the message carries the tail of its stderr."""


def run_measured(
    argv: Sequence[str],
    *,
    cpus: frozenset[int] | None = None,
    env: Mapping[str, str] | None = None,
) -> Run:
    """Run ``argv`` to completion; wall seconds and peak RSS of that one process (wait4)."""
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=WORK) as out, tempfile.TemporaryFile(dir=WORK) as err:
        busy, own = busy_seconds(), _self_cpu()
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        used = (_self_cpu() - own) + usage.ru_utime + usage.ru_stime
        foreign = max(0.0, busy_seconds() - busy - used) / (seconds * (os.cpu_count() or 1))
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise ChildFailed(f"{' '.join(argv[:4])} … exited {proc.returncode}: {stderr[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, stdout.strip(), foreign_share=round(foreign, 3))


def _self_cpu() -> float:
    """CPU seconds of this process (all its threads), children excluded."""
    t = os.times()
    return t.user + t.system


def run_child(
    target: str,
    args: Mapping[str, Any] | None = None,
    *,
    cpus: frozenset[int] | None = None,
    env: Mapping[str, str] | None = None,
) -> Run:
    """Call ``module:function(**args)`` in a fresh Python; its JSON return value is ``result``."""
    WORK.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(suffix=".json", dir=WORK)
    os.close(fd)
    try:
        argv = [sys.executable, "-m", "bench.perf.child", target, json.dumps(args or {}), name]
        run = run_measured(argv, cpus=cpus, env=env)
        result = json.loads(Path(name).read_text(encoding="utf-8"))
    finally:
        Path(name).unlink(missing_ok=True)
    return Run(run.seconds, run.peak_rss_mib, run.stdout, result, run.foreign_share)


def indexer(*args: str, cpus: frozenset[int] | None = None) -> Run:
    """``python indexer.py args`` as an operator runs it (its glossary and defaults)."""
    return run_measured([sys.executable, str(ROOT / "indexer.py"), *args], cpus=cpus)
