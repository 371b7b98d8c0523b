"""Queries through systems, optionally in worker processes (one per core).

A :class:`Task` names its run and its share of the queries instead of carrying them, so a
spawned worker re-reads the set (cached per process) and opens the indexes the main process
built; results come back as plain per-query numbers.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.beir import Run, load_set
from bench.metrics import first_relevant, score_query
from bench.systems import KbSystem, System, baselines
from bench.variants import SHIPPED, kb_systems

PROGRESS_EVERY = 1000

PerQuery = dict[str, dict[str, dict[str, float]]]  # ranking -> query id -> metric -> value


@dataclass(frozen=True)
class Task:
    """Part ``part`` of ``parts`` of one run's queries, through every system."""

    set_name: str
    run_name: str
    limit: int | None
    seed: int
    variants: tuple[str, ...]
    variant_limit: int | None
    snippets: bool
    titles: str
    work: Path
    part: int = 0
    parts: int = 1
    peer: bool = False  # the Lucene peer too (the main process checked Java is there)
    split: str = "report"  # or "tune": the queries parameters are chosen on


@dataclass
class Outcome:
    scores: PerQuery = field(default_factory=dict)
    ranks: dict[str, dict[str, int | None]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # queries each system answered

    def merge(self, other: Outcome) -> None:
        for name, rows in other.scores.items():
            self.scores.setdefault(name, {}).update(rows)
        for name, rows in other.ranks.items():
            self.ranks.setdefault(name, {}).update(rows)
        for name, seconds in other.seconds.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds
            self.counts[name] = self.counts.get(name, 0) + other.counts[name]


def all_systems(
    variants: tuple[str, ...], snippets: bool = False, peer: bool = False
) -> list[System]:
    """The product (first), its parameter variants, then the baselines (and the peer)."""
    products: list[System] = []
    for system in kb_systems(list(variants)):
        system.with_snippets = snippets
        products.append(system)
    return [*products, *baselines(peer)]


_RUNS: dict[tuple[str, str, str, int | None, int, str], Run] = {}
_OPEN: dict[Path, Any] = {}


def load_run(task: Task) -> Run:
    """The task's run, limited; cached so a worker reads each data file once."""

    def key(run_name: str) -> tuple[str, str, str, int | None, int, str]:
        return (task.set_name, run_name, task.titles, task.limit, task.seed, task.split)

    if key(task.run_name) not in _RUNS:
        for run in load_set(task.set_name, task.titles):
            _RUNS[key(run.name)] = run.limited(task.limit, task.seed, task.split)
    return _RUNS[key(task.run_name)]


def open_built(system: System, run: Run, work: Path) -> Any:
    """The system's index of the run's corpus, opened once per process."""
    folder = work / run.corpus.name / system.build_kind
    if folder not in _OPEN:
        _OPEN[folder] = system.open(run.corpus, folder)
    return _OPEN[folder]


def evaluate(task: Task) -> Outcome:
    """Every query of the task's share through every system (variants on their sample)."""
    run = load_run(task)
    sample = set(run.limited(task.variant_limit, task.seed, task.split).queries)
    mine = list(run.queries)[task.part :: task.parts]
    outcome = Outcome()
    for system in all_systems(task.variants, task.snippets, task.peer):
        variant = isinstance(system, KbSystem) and system.name not in SHIPPED
        qids = [q for q in mine if q in sample] if variant else mine
        built = open_built(system, run, task.work)
        started = time.perf_counter()
        for n, qid in enumerate(qids, 1):
            rels = run.qrels[qid]
            for name, ranked in system.search(built, run.queries[qid], run.locale).items():
                outcome.scores.setdefault(name, {})[qid] = score_query(ranked, rels)
                outcome.ranks.setdefault(name, {})[qid] = first_relevant(ranked, rels)
            if n % PROGRESS_EVERY == 0:
                where = f" (part {task.part + 1}/{task.parts})" if task.parts > 1 else ""
                print(f"  {run.name} {system.name}{where}: {n}/{len(qids)}", file=sys.stderr)
        outcome.seconds[system.name] = time.perf_counter() - started
        outcome.counts[system.name] = len(qids)
    return outcome
