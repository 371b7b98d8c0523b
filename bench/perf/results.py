"""What each stage returns, as stored in bench/out/perf.json and read back for the report.

TypedDicts rather than classes: the stages build plain JSON and the report reads the same
structure, so one declaration serves both without a conversion layer. Keys marked NotRequired
are absent from some runs (a stage not measured yet, a mode not run on a large corpus).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NotRequired, TypedDict, cast


class Spread(TypedDict):
    """Median, min, max and count of repeated runs (:func:`bench.perf.stats.spread`)."""

    median: float
    min: float
    max: float
    n: int


class Latency(TypedDict):
    """Percentiles of pooled latencies in ms (:func:`bench.perf.stats.latency`)."""

    p50: float
    p95: float
    p99: float
    mean: float
    max: float
    n: int


class Slow(Latency):
    """One query's latencies, for the slowest list."""

    id: str


class LatencySummary(TypedDict):
    """Per-run percentiles (spread over runs), pooled per kind, and the slowest ids."""

    p50: Spread
    p95: Spread
    p99: Spread
    mean: Spread
    n_per_run: int
    by_kind: dict[str, Latency]
    slowest: list[Slow]


class Totals(TypedDict):
    """What ``kb.search`` answered to one query of the mix."""

    total: int
    corrected: bool


class SearchLatency(LatencySummary):
    """Ours on the query mix: also each query's hit count and the children's RSS."""

    totals: dict[str, Totals]
    rss_mib: Spread


class SuggestLatency(LatencySummary):
    """Ours on the prefix mix: also each prefix's number of suggestions."""

    counts: dict[str, int]


class BaselineLatency(LatencySummary):
    """A baseline on the query mix: also each query's hit count."""

    hits: dict[str, int]


class Context(TypedDict):
    """How busy the machine was while a stage (or one corpus's builds) ran."""

    load_at_start: float
    wall_s: float
    foreign_cpu_s: float
    foreign_share: float
    load_at_end: float


class Code(TypedDict):
    """The code a stage measured."""

    revision: str  # git HEAD, "+ uncommitted kb/ changes" when kb/ differs from it
    analysis_version: str


class CorpusInfo(TypedDict):
    """A generated corpus (:class:`bench.perf.corpora.Corpus` as JSON)."""

    name: str
    path: str
    articles: int
    chars: int
    ko_chars: int
    en_chars: int
    ko_body_bytes_median: int
    en_body_bytes_median: int


class BuildRun(TypedDict):
    """One fresh build process (``summary``: the indexer's last line; ours only)."""

    seconds: float
    build_s: float
    peak_rss_mib: float
    index_mib: float
    foreign_share: float
    summary: NotRequired[str]


class Builds(TypedDict):
    """Repeated builds of one engine on one corpus in one mode (all cores / one core)."""

    runs: list[BuildRun]
    seconds: Spread
    build_s: Spread
    peak_rss_mib: Spread
    index_mib: Spread
    foreign_share_max: float
    articles_per_s: NotRequired[Spread]  # ours only, from here on
    chars_per_s: NotRequired[Spread]
    ko_chars_per_s: NotRequired[Spread]


class CorpusBuilds(TypedDict):
    """Every build of one corpus, by engine then mode."""

    corpus: CorpusInfo
    ours: dict[str, Builds]
    whoosh: dict[str, Builds]
    tantivy: dict[str, Builds]
    context: Context


class UpdateRun(TypedDict):
    """One ``indexer.py update`` process."""

    seconds: float
    update_s: float
    peak_rss_mib: float
    summary: str
    foreign_share: float


class Updates(TypedDict):
    """Repeated updates after the same number of edited articles."""

    runs: list[UpdateRun]
    seconds: Spread
    update_s: Spread
    peak_rss_mib: Spread
    foreign_share_max: float


class HttpLevel(TypedDict):
    """Repeated load runs at one number of clients."""

    throughput: Spread
    p50: Spread
    p95: Spread
    p99: Spread
    errors: int
    error_kinds: list[dict[str, int]]
    requests: list[int]
    seconds: list[float]
    worker_rss_mib: float
    worker_pss_mib: float


class HttpSuggest(HttpLevel, total=False):
    """``/api/suggest`` at 8 clients, when the app serves it (else only its status)."""

    served: bool
    status: int


class KiwiShare(TypedDict):
    """A clocked build's time in ``Kiwi.tokenize`` and Kiwi's raw speed on the same batches."""

    model_load_s: float
    build_s: float
    tokenize_s: float
    tokenize_calls: int
    batched_chars: int
    single_call_chars: int
    tokenize_share_of_build: float
    tokenize_share_with_load: float
    build_ko_chars_per_s_in_kiwi: float
    raw: dict[str, float]  # seconds, chars, chars_per_s


class Profile(TypedDict):
    """pyinstrument's own renderings of one profiled action."""

    seconds: float
    call_tree: str  # console renderer, share of total, small frames filtered out
    self_time: str  # flat renderer by self time, the largest first
    kb_total: str  # flat renderer by total time, kb/ frames only
    model_load_s: NotRequired[float]  # the update profile: Kiwi loaded just before


class Stage(TypedDict):
    """What every stage carries besides its figures."""

    context: Context
    code: Code


class CorporaStage(Stage):
    corpora: dict[str, CorpusInfo]


class BuildStage(Stage):
    corpora: dict[str, CorpusBuilds]


class UpdateStage(Stage):
    corpus: str
    none: NotRequired[Updates]
    one: NotRequired[Updates]
    hundred: NotRequired[Updates]


class SearchStage(Stage):
    corpus: str
    cold_start: dict[str, Spread]  # plus "runs": the raw figures of each process
    search: SearchLatency  # the default, hybrid when the build has passage vectors
    words: NotRequired[SearchLatency]  # mode="lexical": words only, on the same build
    suggest: SuggestLatency
    baselines: dict[str, BaselineLatency]


class HttpStage(Stage):
    corpus: str
    workers: int
    levels: dict[str, HttpLevel]
    suggest: HttpSuggest
    idle_worker_rss_mib: list[float]
    warm_worker_rss_mib: list[float]
    master_rss_mib: float
    bounds: dict[str, float]  # requests, seconds per run


class SearchProfiles(TypedDict):
    search: Profile
    suggest: Profile


class ProfileStage(Stage):
    corpus: str
    main_corpus: str
    kiwi: KiwiShare
    build: Profile
    update: Profile
    search: SearchProfiles


class Stages(TypedDict, total=False):
    """Each stage's latest results; stages run separately and are merged."""

    corpora: CorporaStage
    build: BuildStage
    update: UpdateStage
    search: SearchStage
    http: HttpStage
    profile: ProfileStage


class Mix(TypedDict):
    """Both mixes as :mod:`bench.perf.queries` makes them (``asdict`` of each item)."""

    queries: list[dict[str, str]]  # id, category, text, locale
    prefixes: list[dict[str, str]]  # id, kind, text


class RunInfo(TypedDict):
    """How the last run was made."""

    command: str
    finished: str
    revision: str
    stages_run: list[str]
    seconds: float
    quick: bool
    sizes: list[int]
    repeat: int
    large_repeat: int
    passes: int
    workers: int
    http_bounds: list[float]


class Machine(TypedDict):
    cpu_model: str
    cpu_mhz: str
    cache: str
    cores: int
    memory: str
    kernel: str
    os: str
    python: str
    packages: dict[str, str]


class Results(TypedDict):
    """All of perf.json."""

    stages: Stages
    machine: NotRequired[Machine]
    queries: NotRequired[Mix]
    run: NotRequired[RunInfo]
    history: NotRequired[list[RunInfo]]


def load(path: Path) -> Results:
    """Earlier results to merge into and report from (no stages when there are none)."""
    if not path.exists():
        return {"stages": {}}
    return cast(Results, json.loads(path.read_text(encoding="utf-8")))


def save(results: Results, path: Path) -> None:
    """Write the results as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
