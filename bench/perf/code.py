"""Which code a run measures: the git revision at its start, flagged when kb/ has uncommitted
changes (others edit the tree while a long run goes on; the report says so rather than the
benchmark hiding it behind a copy of the tree)."""

from __future__ import annotations

import subprocess
from functools import cache

from bench.perf.paths import ROOT
from bench.perf.results import Code


@cache
def current() -> Code:
    """The revision and analysis version, taken once, when the run starts."""
    from bench.relevance import revision  # imported here: it pulls in the relevance systems
    from kb.analysis import analysis_version

    return {"revision": revision(), "analysis_version": analysis_version()}


@cache
def index_code() -> str:
    """The committed trees a built index depends on (kb/ and indexer.py), so a commit of
    benchmarks or docs keeps a cached 10,000-article index; "" outside git."""
    trees = subprocess.run(
        ["git", "rev-parse", "HEAD:kb", "HEAD:indexer.py"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return " ".join(trees.stdout.split()) if trees.returncode == 0 else ""
