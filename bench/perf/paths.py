"""Where the benchmark reads data, writes its scratch files, and finds the code it measures.

A run measures a frozen copy of the code (``CODE``, see :mod:`bench.perf.code`), so that edits
made meanwhile in the working tree do not change the code between stages; ``ROOT`` is always the
project itself, where data, scratch files and the report live.
"""

from __future__ import annotations

import os
from pathlib import Path

CODE = Path(__file__).resolve().parents[2]  # the tree this code runs from (snapshot or project)
ROOT = Path(os.environ.get("KB_PERF_PROJECT") or CODE)
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out"
CORPORA = OUT / "perf-corpora"
WORK = OUT / "perf-work"
SNAPSHOT = OUT / "perf-code"
RESULTS = OUT / "perf.json"
REPORT = ROOT / "docs" / "benchmarks.md"
