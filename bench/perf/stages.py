"""The benchmark's stages; each measures one thing and returns JSON for perf.json.

Every stage records the code it measured and how busy the machine was meanwhile (load at start
and end, CPU other processes took); it does not wait for a quiet machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.perf import baselines, indexing, load, profiles, searching
from bench.perf.code import current
from bench.perf.corpora import Corpus, ensure_corpus
from bench.perf.machine import CpuMeter
from bench.perf.results import CorpusBuilds, Stages

# In the order they run: the long full builds last, so that the short stages the targets
# depend on get the quietest machine.
STAGES = ("corpora", "update", "search", "http", "profile", "build")
Say = Callable[[str], None]


@dataclass
class Plan:
    """What to run, from the command line."""

    sizes: list[int]
    repeat: int
    large_repeat: int
    one_core_max: int
    passes: int
    workers: int
    http_requests: int
    http_seconds: float
    profile_size: int
    quick: bool
    say: Say = print
    extra_corpora: list[str] = field(default_factory=lambda: ["ntrex", "msmarco"])
    build_only: list[str] = field(default_factory=list)  # re-measure just these corpora
    previous: Stages = field(default_factory=dict)  # earlier results by stage, to merge into

    @property
    def main_corpus(self) -> str:
        """The knowledge base that updates, search and HTTP are measured on."""
        return f"kb-{self.sizes[0]}"

    def corpus_names(self) -> list[str]:
        """Every corpus the build stage measures, smallest first."""
        return [*self.extra_corpora, *(f"kb-{n}" for n in self.sizes)]


def run_stage(name: str, plan: Plan) -> dict:
    """Run one stage; its results with the code measured and the machine's load meanwhile."""
    plan.say(f"[{name}] {time.strftime('%H:%M:%S')}")
    meter = CpuMeter()
    result = STAGE_FUNCTIONS[name](plan)
    return {"context": meter.stop(), "code": current(), **result}


def stage_corpora(plan: Plan) -> dict:
    """Generate (or find cached) every corpus the plan needs."""
    names = [*plan.corpus_names(), f"kb-{plan.profile_size}"]
    return {"corpora": {n: ensure_corpus(n).to_json() for n in dict.fromkeys(names)}}


def build_modes(corpus: Corpus, plan: Plan) -> list[str]:
    """All cores always; one core only for corpora up to ``one_core_max`` articles."""
    return ["all", "one"] if corpus.articles <= plan.one_core_max else ["all"]


def build_repeat(corpus: Corpus, plan: Plan) -> int:
    """Fewer repetitions for the large corpora (their builds take many minutes)."""
    return plan.large_repeat if corpus.articles > plan.one_core_max else plan.repeat


def stage_build(plan: Plan) -> dict:
    """Full builds, ours and the baselines', with one core and with all cores; with
    ``--build-corpora`` only those are measured again and the others kept from earlier runs."""
    earlier = plan.previous["build"]["corpora"] if "build" in plan.previous else {}
    out: dict[str, CorpusBuilds] = dict(earlier) if plan.build_only else {}
    for name in plan.build_only or plan.corpus_names():
        meter = CpuMeter()
        entry = build_corpus(name, plan)
        out[name] = {**entry, "context": meter.stop()}
    return {"corpora": out}


def build_corpus(name: str, plan: Plan) -> dict:
    """Every build of one corpus: ours and both baselines, in each mode."""
    corpus = ensure_corpus(name)
    repeat = build_repeat(corpus, plan)
    entry: dict = {"corpus": corpus.to_json(), "ours": {}, "whoosh": {}, "tantivy": {}}
    for mode in build_modes(corpus, plan):
        entry["ours"][mode] = indexing.measure_builds(corpus, mode, repeat, plan.say)
        for engine in baselines.ENGINES:
            runs = [
                baselines.build_baseline(engine, corpus, indexing.MODES[mode])
                for _ in range(repeat)
            ]
            entry[engine][mode] = indexing.summarize_builds(runs)
            plan.say(f"  {engine} {name} [{mode}]: {runs[-1]['seconds']:.1f} s")
    return entry


def stage_update(plan: Plan) -> dict:
    """No-op, 1-article and 100-article updates of the main knowledge base."""
    corpus = ensure_corpus(plan.main_corpus)
    return {"corpus": corpus.name, **indexing.measure_updates(corpus, plan.repeat, plan.say)}


def stage_search(plan: Plan) -> dict:
    """Cold start, search and suggest latency, and the baselines on the same queries."""
    corpus = ensure_corpus(plan.main_corpus)
    index = indexing.ensure_index(corpus, plan.say)
    result = {
        "corpus": corpus.name,
        "cold_start": searching.measure_cold_start(index, max(plan.repeat, 5)),
        "search": searching.measure_search(index, plan.repeat, plan.passes, plan.say),
        "words": searching.measure_search(index, plan.repeat, plan.passes, plan.say, "lexical"),
        "suggest": searching.measure_suggest(index, plan.repeat, plan.passes * 2, plan.say),
        "baselines": {},
    }
    for engine in baselines.ENGINES:
        result["baselines"][engine] = baselines.measure_baseline_search(
            engine, corpus, plan.repeat, plan.passes
        )
        plan.say(f"  {engine} search done")
    return result


def stage_http(plan: Plan) -> dict:
    """gunicorn under load at 1, 8 and 32 clients."""
    corpus = ensure_corpus(plan.main_corpus)
    index = indexing.ensure_index(corpus, plan.say)
    result = load.measure_http(
        index, plan.workers, plan.repeat, plan.http_requests, plan.http_seconds, plan.say
    )
    return {"corpus": corpus.name, **result}


def stage_profile(plan: Plan) -> dict:
    """Kiwi's share of a build and its raw speed; hot spots of build, update and search."""
    small = ensure_corpus(f"kb-{plan.profile_size}")
    main = ensure_corpus(plan.main_corpus)
    index = indexing.ensure_index(main, plan.say)
    plan.say("  kiwi share")
    share = profiles.measure_kiwi_share(small)
    plan.say("  build profile")
    build = profiles.measure_build_profile(small)
    plan.say("  update and search profiles")
    return {
        "corpus": small.name,
        "main_corpus": main.name,
        "kiwi": share,
        "build": build,
        "update": profiles.measure_update_profile(main, index),
        "search": profiles.measure_search_profile(index),
    }


STAGE_FUNCTIONS: dict[str, Callable[[Plan], dict]] = {
    "corpora": stage_corpora,
    "build": stage_build,
    "update": stage_update,
    "search": stage_search,
    "http": stage_http,
    "profile": stage_profile,
}
