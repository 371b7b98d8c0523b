"""Where the benchmark reads data, writes its scratch files and its report."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out"
CORPORA = OUT / "perf-corpora"
WORK = OUT / "perf-work"
RESULTS = OUT / "perf.json"
REPORT = ROOT / "docs" / "benchmarks.md"
