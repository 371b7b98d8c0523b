"""Summaries of repeated measurements: median with min–max, and latency percentiles
(formatted for the report by :func:`bench.report.spread_cell`)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from bench.perf.results import Latency, Spread


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0–100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def spread(values: Iterable[float], digits: int = 3) -> Spread:
    """Median, min, max and count of repeated runs."""
    items = list(values)
    return {
        "median": round(statistics.median(items), digits),
        "min": round(min(items), digits),
        "max": round(max(items), digits),
        "n": len(items),
    }


def latency(values_ms: Sequence[float]) -> Latency:
    """p50/p95/p99, mean and max of latencies in milliseconds."""
    return {
        "p50": round(percentile(values_ms, 50), 3),
        "p95": round(percentile(values_ms, 95), 3),
        "p99": round(percentile(values_ms, 99), 3),
        "mean": round(statistics.fmean(values_ms), 3) if values_ms else float("nan"),
        "max": round(max(values_ms), 3) if values_ms else float("nan"),
        "n": len(values_ms),
    }
