"""The code a run measures: a frozen copy of the working tree, taken when the run starts.

Other people edit kb/ and webapp/ while a long run goes on; measuring a snapshot keeps every
stage (and every child process, gunicorn included) on one version, and records which one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from bench.perf.paths import ROOT, SNAPSHOT

PARTS = (
    "kb",
    "webapp",
    "translations",
    "indexer.py",
    "bench/__init__.py",
    "bench/ntrex.py",
    "bench/report.py",
    "bench/perf",
)
MEASURED = ("kb", "webapp", "translations", "indexer.py")  # what the code hash covers
INFO = "perf-code.json"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")


def tree_hash(root: Path, parts: tuple[str, ...] = MEASURED) -> str:
    """SHA-256 (12 hex) over the paths and bytes of the measured files."""
    digest = hashlib.sha256()
    for part in parts:
        base = root / part
        files = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def git(*args: str) -> str:
    """Output of a git command in the project (empty when git is unavailable)."""
    try:
        run = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    except OSError:
        return ""
    return run.stdout.strip()


def take_snapshot() -> dict:
    """Copy the measured code and this benchmark to SNAPSHOT; returns what was copied."""
    tmp = SNAPSHOT.with_name(SNAPSHOT.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for part in PARTS:
        source, target = ROOT / part, tmp / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORED)
        else:
            shutil.copy2(source, target)
    info = {
        "hash": tree_hash(tmp),
        "git_head": git("rev-parse", "--short", "HEAD"),
        "git_dirty": git("status", "--porcelain", "--", *MEASURED).splitlines(),
    }
    (tmp / INFO).write_text(json.dumps(info, indent=1), encoding="utf-8")
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    tmp.rename(SNAPSHOT)
    return info


@cache
def current() -> dict:
    """What the running code is: the snapshot's record, plus its analysis version."""
    from bench.perf.paths import CODE
    from kb.analysis import analysis_version

    path = CODE / INFO
    info = json.loads(path.read_text()) if path.exists() else {"hash": tree_hash(CODE)}
    return {**info, "analysis_version": analysis_version(), "snapshot": path.exists()}


def reexec_in_snapshot(argv: list[str], keep: bool) -> None:
    """Run this command again from a fresh (or, with ``keep``, the existing) snapshot."""
    if not (keep and (SNAPSHOT / INFO).exists()):
        take_snapshot()
    env = {**os.environ, "KB_PERF_PROJECT": str(ROOT)}
    os.chdir(SNAPSHOT)
    os.execve(sys.executable, [sys.executable, "-m", "bench.perf", *argv], env)


def in_snapshot() -> bool:
    """Whether this process runs from a snapshot (started by :func:`reexec_in_snapshot`)."""
    return bool(os.environ.get("KB_PERF_PROJECT"))
