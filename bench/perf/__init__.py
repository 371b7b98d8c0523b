"""Performance benchmark of the knowledge base: `python -m bench.perf` (see docs/benchmarks.md).

Stages (corpora, build, update, search, http, profile) run separately with ``--only`` and merge
their results into bench/out/perf.json, from which docs/benchmarks.md is written.
"""
