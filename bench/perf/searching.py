"""In-process latency of ``kb.search`` and ``kb.suggest``, and the cost of a cold start.

The functions named ``child_*`` run inside a fresh process (see :mod:`bench.perf.child`); the
others run them ``repeat`` times and summarise per run (median and spread of p50/p95/p99) and
pooled per query category.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bench.perf.procs import run_child
from bench.perf.queries import Prefix, Query, prefix_mix, query_mix
from bench.perf.results import LatencySummary, SearchLatency, Spread, SuggestLatency
from bench.perf.stats import latency, spread

if TYPE_CHECKING:
    from kb.searching import Mode

Say = Callable[[str], None]
Item = TypeVar("Item", Query, Prefix)
FIRST_EN, FIRST_KO, FIRST_PREFIX = "side effects", "대통령은 누구인가요", "대통"


def rss_mib() -> float:
    """This process's resident set size (VmRSS) in MiB."""
    with open("/proc/self/status", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed_ms(action: Callable[[], object]) -> tuple[float, object]:
    """(milliseconds, result) of one call."""
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def child_cold_start(index: str) -> dict[str, float]:
    """In a fresh process: open, first English and first Korean query, first suggest. The
    first English query by words alone makes the searcher and needs neither Kiwi nor the
    encoder, so open + that query is the time until the index answers (the "searcher open"
    target); the first by meaning too then loads the encoder. The code is imported before
    the clock starts (``kb``'s names load on first use), as a server has it before it opens."""
    from kb import open_index, search, suggest

    open_ms, ix = timed_ms(lambda: open_index(index))
    rss_open = rss_mib()
    first_en, _ = timed_ms(lambda: search(ix, FIRST_EN, "en", mode="lexical"))
    first_hybrid, _ = timed_ms(lambda: search(ix, FIRST_EN, "en"))
    first_ko, _ = timed_ms(lambda: search(ix, FIRST_KO, "ko"))
    second_ko, _ = timed_ms(lambda: search(ix, FIRST_KO, "ko"))
    first_suggest, _ = timed_ms(lambda: suggest(ix, FIRST_PREFIX, "ko"))
    second_suggest, _ = timed_ms(lambda: suggest(ix, FIRST_PREFIX, "ko"))
    return {
        "open_ms": open_ms + first_en,
        "open_index_ms": open_ms,
        "first_en_query_ms": first_en,
        "first_hybrid_query_ms": first_hybrid,
        "first_ko_query_ms": first_ko,
        "second_ko_query_ms": second_ko,
        "first_suggest_ms": first_suggest,
        "second_suggest_ms": second_suggest,
        "rss_after_open_mib": rss_open,
        "rss_after_queries_mib": rss_mib(),
    }


def child_warm_start(index: str) -> dict[str, float]:
    """In a fresh process, as the web app starts: open, ``kb.warm_up``, then first queries."""
    from kb import open_index, search, suggest, warm_up

    open_ms, ix = timed_ms(lambda: open_index(index))
    warm_up_ms, _ = timed_ms(lambda: warm_up(ix))
    first_ko, _ = timed_ms(lambda: search(ix, FIRST_KO, "ko"))
    first_en, _ = timed_ms(lambda: search(ix, FIRST_EN, "en"))
    first_suggest, _ = timed_ms(lambda: suggest(ix, FIRST_PREFIX, "ko"))
    return {
        "warm_open_ms": open_ms,
        "warm_up_ms": warm_up_ms,
        "warm_first_ko_query_ms": first_ko,
        "warm_first_en_query_ms": first_en,
        "warm_first_suggest_ms": first_suggest,
        "rss_after_warm_up_mib": rss_mib(),
    }


def timed_passes(
    mix: Sequence[Item], passes: int, call: Callable[[Item, int], object]
) -> dict[str, list[float]]:
    """Milliseconds of ``call(item, pass number)`` for every item of ``mix``, by item id."""
    times: dict[str, list[float]] = defaultdict(list)
    for n in range(passes):
        for item in mix:
            started = time.perf_counter()
            call(item, n)
            times[item.id].append((time.perf_counter() - started) * 1000)
    return times


def child_search(index: str, passes: int, mode: Mode = "hybrid") -> dict:
    """Latencies of every query of the mix in ``mode``: one untimed warm-up pass, then
    ``passes``."""
    import kb

    ix = kb.open_index(index)
    mix = query_mix()
    totals = {}
    for q in mix:
        page = kb.search(ix, q.text, q.locale, mode=mode)
        totals[q.id] = {"total": page.total, "corrected": bool(page.corrected)}
    times = timed_passes(mix, passes, lambda q, _: kb.search(ix, q.text, q.locale, mode=mode))
    return {"times": times, "totals": totals, "rss_mib": rss_mib()}


def child_suggest(index: str, passes: int) -> dict:
    """Latencies of every suggest prefix: one untimed warm-up pass, then ``passes`` that
    alternate Korean and English readers."""
    import kb

    ix = kb.open_index(index)
    mix = prefix_mix()
    counts = {p.id: len(kb.suggest(ix, p.text, "ko")) for p in mix}
    times = timed_passes(mix, passes, lambda p, n: kb.suggest(ix, p.text, ("ko", "en")[n % 2]))
    return {"times": times, "counts": counts}


def summarize_latency(runs: list[dict], kinds: dict[str, str]) -> LatencySummary:
    """Per-run percentiles (spread over runs), pooled per kind, and the slowest ids."""
    per_run = [latency([ms for values in r["times"].values() for ms in values]) for r in runs]
    pooled: dict[str, list[float]] = defaultdict(list)
    by_id: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        for key, values in run["times"].items():
            pooled[kinds[key]].extend(values)
            by_id[key].extend(values)
    slowest = sorted(by_id, key=lambda k: -max(by_id[k]))[:12]
    return {
        "p50": spread(r["p50"] for r in per_run),
        "p95": spread(r["p95"] for r in per_run),
        "p99": spread(r["p99"] for r in per_run),
        "mean": spread(r["mean"] for r in per_run),
        "n_per_run": per_run[0]["n"],
        "by_kind": {kind: latency(values) for kind, values in pooled.items()},
        "slowest": [{"id": k, **latency(by_id[k])} for k in slowest],
    }


def measure_cold_start(index: Path, repeat: int) -> dict[str, Spread]:
    """``repeat`` fresh processes each: opening the index, then the first queries and suggest
    with nothing loaded yet, or after ``kb.warm_up`` (what the web app does at start)."""
    runs = [
        run_child("bench.perf.searching:child_cold_start", {"index": str(index)}).result
        | run_child("bench.perf.searching:child_warm_start", {"index": str(index)}).result
        for _ in range(repeat)
    ]
    return {key: spread(r[key] for r in runs) for key in runs[0]} | {"runs": runs}


def repeated_runs(
    child: str, index: Path, repeat: int, passes: int, say: Say, **extra: str
) -> list[dict]:
    """``child`` (a ``child_*`` function here) run in ``repeat`` fresh processes."""
    runs = []
    for n in range(repeat):
        args = {"index": str(index), "passes": passes, **extra}
        runs.append(run_child(f"bench.perf.searching:{child}", args).result)
        label = " ".join((child.removeprefix("child_"), *extra.values()))
        say(f"  {label} run {n + 1}/{repeat}")
    return runs


def measure_search(
    index: Path, repeat: int, passes: int, say: Say, mode: Mode = "hybrid"
) -> SearchLatency:
    """Search latency over the query mix in ``mode``, in ``repeat`` fresh processes."""
    runs = repeated_runs("child_search", index, repeat, passes, say, mode=mode)
    kinds = {q.id: q.category for q in query_mix()}
    rss = spread(r["rss_mib"] for r in runs)
    return {**summarize_latency(runs, kinds), "totals": runs[0]["totals"], "rss_mib": rss}


def measure_suggest(index: Path, repeat: int, passes: int, say: Say) -> SuggestLatency:
    """Suggest latency over the prefix mix in ``repeat`` fresh processes."""
    runs = repeated_runs("child_suggest", index, repeat, passes, say)
    kinds = {p.id: p.kind for p in prefix_mix()}
    return summarize_latency(runs, kinds) | {"counts": runs[0]["counts"]}
