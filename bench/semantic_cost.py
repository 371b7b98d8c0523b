"""What hybrid search costs: build time, search latency, one-article update, memory.

    python -m bench.semantic_cost [--articles 10000] [--queries 300] [--reuse-builds]
                                  [--builds lexical,hybrid] [--encoders]
                                  [--embedding use-multilingual-v3]
                                  [--out bench/out/semantic.json]

Builds one ``kb-N`` corpus (bench.perf.corpora) twice in this run — without passage vectors
(``embedding="none"``, the lexical baseline) and with them — then, each in a fresh child
process (so RSS is its own), opens the index, runs the published query mix (bench.perf.queries)
lexical and hybrid, interleaved (an untimed pass, then three timed), and reports p50/p95 per
mode and the process's peak RSS; then
serves the hybrid build with gunicorn as ``make run`` does and reads each worker's RSS and PSS.
Last, one article's opening is edited (so its first passage is embedded again) and
``update_index`` timed, as a command and with the encoder and
Kiwi loaded (as ``watch`` keeps them): until the change is live, and the segment merge that
every MERGE_AT-th update adds after that. ``--encoders`` also times every encoder alone on
the same sample of the corpus's passages and on the query mix (a build with a slow encoder
would take hours). Every figure comes from the same run on the same machine: compare rows,
not runs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import shutil
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.perf.corpora import ensure_corpus
from bench.perf.indexing import put_first
from bench.perf.load import (
    free_port,
    load_level,
    memory_mib,
    search_paths,
    start_server,
    stop_server,
    wait_ready,
    worker_pids,
)
from bench.perf.paths import OUT
from bench.perf.procs import indexer
from bench.perf.queries import query_mix
from bench.perf.stats import percentile
from kb.builds import live_build
from kb.embedding import DEFAULT_ENCODER, ENCODERS, NO_ENCODER
from kb.engine.whoosh import MERGE_AT, segment_sizes

WORK = OUT / "semantic-work"
GLOSSARY = Path(__file__).resolve().parents[1] / "translations" / "glossary.tsv"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(content: Path, index: Path, embedding: str) -> dict[str, float]:
    """A full build: wall seconds, and the embedding's seconds and passages (the embedding
    runs from the build's start beside its writing, so its seconds overlap the build's)."""
    import kb

    shutil.rmtree(index, ignore_errors=True)
    report = kb.build_index(content, index, glossary=GLOSSARY, embedding=embedding)
    vectors = report.embedding
    return {
        "seconds": round(report.seconds, 1),
        "embedding_seconds": round(vectors.seconds, 1) if vectors else 0.0,
        "passages": vectors.passages if vectors else 0,
    }


def search(index: Path, limit: int, modes: tuple[str, ...], passes: int = 3) -> dict[str, Any]:
    """The query mix in each mode, interleaved query by query, as bench.perf times search: one
    untimed pass (first uses of a term fill per-build memos), then ``passes`` timed ones;
    latency per mode, peak RSS, and how many segments the build's updates have left."""
    import kb

    opened = kb.open_index(index)
    kb.warm_up(opened)
    queries = [(q.text, q.locale) for q in query_mix()][:limit]
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    for timed in [False] + [True] * passes:
        for text, locale in queries:
            for mode in modes:
                started = time.perf_counter()
                kb.search(opened, text, locale, mode=mode)  # type: ignore[arg-type]
                if timed:
                    times[mode].append((time.perf_counter() - started) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    build = live_build(index)
    return {
        "queries": len(queries),
        "passes": passes,
        "segments": len(segment_sizes(build)) if build else 0,
        "peak_rss_mb": round(rss, 1),
        "rss_mb": round(resident_mb(), 1),  # after the queries: what a serving worker holds
        **{
            mode: {"p50_ms": round(percentile(t, 50), 2), "p95_ms": round(percentile(t, 95), 2)}
            for mode, t in times.items()
        },
    }


def update_one(content: Path, index: Path, embedding: str, rounds: int = 3) -> dict[str, Any]:
    """One article edited, then ``update_index``: as an author runs ``indexer.py update`` (a
    fresh process: imports and model loads included), and MERGE_AT times as ``watch`` runs it
    (models loaded; one of those merges small segments once the change is live). The first
    command after the build is reported apart (it learns every file's stamps)."""
    from kb import update_index  # imported before any clock starts (kb's names load on use)
    from kb.analysis import batch_model
    from kb.embedding import encoder

    folders = sorted(p for p in content.iterdir() if p.is_dir())

    def edit(n: int) -> None:
        put_first(folders[n * 37 % len(folders)] / "en.md", f"Edited {n}.")

    def command() -> float:
        run = indexer("update", "--content", str(content), "--index", str(index))
        return round(run.seconds, 2)

    edit(0)
    first = command()
    commands = []
    for n in range(1, rounds + 1):
        edit(n)
        commands.append(command())
    batch_model().kiwi  # noqa: B018 - loaded, as a running `watch` has it
    encoder(embedding).passages(["warm"])
    live, whole, merges = [], [], []
    for n in range(rounds + 1, rounds + 1 + MERGE_AT):  # one round in MERGE_AT merges segments
        edit(n)
        started = time.perf_counter()
        report = update_index(content, index, glossary=GLOSSARY, embedding=embedding)
        whole.append(round(time.perf_counter() - started, 2))
        live.append(round(report.seconds, 2))
        if report.compaction_seconds is not None:
            merges.append(round(report.compaction_seconds, 2))
        assert report.changed == 1 and report.embedding and report.embedding.embedded, report
    return {
        "command_first_after_build_s": first,
        "command_s": {"median": statistics.median(commands), "runs": commands},
        "models_loaded_live_s": {"median": statistics.median(live), "max": max(live)},
        "models_loaded_whole_s": {"median": statistics.median(whole), "runs": whole},
        "segment_merges_s": merges,
    }


def encoder_costs(content: Path, sample: int, queries: int) -> dict[str, Any]:
    """Each encoder on one thread over the same passages and queries: passages a second (what
    a build's embedding step costs, projected over the corpus's passages) and a query's p50 /
    p95 (its text and content words in one call, as hybrid search embeds them)."""
    from kb.content import load_content
    from kb.embedding import ENCODERS, encoder
    from kb.params import DEFAULTS
    from kb.passages import article_passages
    from kb.semantic import query_vector

    passages = [p.text for article in load_content(content) for p in article_passages(article)]
    chosen = random.Random(0).sample(passages, min(sample, len(passages)))
    texts = [q.text for q in query_mix()][:queries]
    found: dict[str, Any] = {"passages": len(passages), "sample": len(chosen)}
    for name in ENCODERS:
        model = encoder(name)
        if problem := model.missing():
            found[name] = {"missing": problem}
            continue
        model.passages(["warm"])  # the model loads outside the timing
        started = time.perf_counter()
        model.passages(chosen)
        rate = len(chosen) / (time.perf_counter() - started)
        for text in texts:  # untimed: first uses fill the tokenizers' caches
            query_vector(model, text, DEFAULTS)
        times = []
        for text in texts:
            started = time.perf_counter()
            query_vector(model, text, DEFAULTS)
            times.append((time.perf_counter() - started) * 1000)
        found[name] = {
            "passages_per_s": round(rate, 2),
            "all_passages_one_core_s": round(len(passages) / rate),
            "query_p50_ms": round(percentile(times, 50), 2),
            "query_p95_ms": round(percentile(times, 95), 2),
        }
        log(f"  {name}: {found[name]}")
    return found


def served(index: Path, workers: int = 2, requests: int = 600) -> dict[str, Any]:
    """The build served as ``make run`` serves it (gunicorn, preloaded and warmed up in the
    master, then forked): each worker's RSS and PSS after the query mix over HTTP (hybrid, the
    API's default). RSS counts pages the workers share with the master, PSS counts them once,
    and private pages are what each worker adds."""
    port = free_port()
    server = start_server(index, workers, port)
    try:
        wait_ready(server, port)
        idle = [memory_mib(pid) for pid in worker_pids(server.pid)]
        run = load_level(port, search_paths(), workers * 2, requests, 120)
        after = [memory_mib(pid) for pid in worker_pids(server.pid)]
        master = memory_mib(server.pid)
    finally:
        stop_server(server)
    return {
        "workers": workers,
        "requests": run["completed"],
        "errors": run["errors"],
        "idle_worker_rss_mb": [round(m["rss"], 1) for m in idle],
        "worker_rss_mb": [round(m["rss"], 1) for m in after],
        "worker_pss_mb": [round(m["pss"], 1) for m in after],
        "worker_private_mb": [round(m["private"], 1) for m in after],
        "master_rss_mb": round(master["rss"], 1),
    }


def resident_mb() -> float:
    """This process's resident set now (``ru_maxrss`` is the peak, warm-up included)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def opens(index: Path) -> bool:
    """Whether this code opens the build at ``index`` (same analysis, schema and encoder)."""
    import kb

    try:
        kb.open_index(index).snapshot()
    except kb.IndexProblem:
        return False
    return True


def in_child(function: Any, *args: Any) -> Any:
    """``function(*args)`` in a fresh process (its own RSS, nothing loaded before), not a
    daemonic one: a build there shares embedding out among processes, as `indexer.py` does."""
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--out", type=Path, default=OUT / "semantic.json")
    parser.add_argument(
        "--reuse-builds",
        action="store_true",
        help="Keep builds of an earlier run that this code still opens (and their build times)",
    )
    parser.add_argument(
        "--builds",
        default="lexical,hybrid",
        help="Which builds to make and measure: lexical (no vectors), hybrid, or both",
    )
    parser.add_argument(
        "--encoders",
        action="store_true",
        help="Also time each encoder alone on a sample of the corpus's passages and the queries",
    )
    parser.add_argument("--sample", type=int, default=200, help="passages --encoders embeds")
    parser.add_argument(
        "--embedding",
        choices=tuple(ENCODERS),
        default=DEFAULT_ENCODER,
        help="The encoder of the hybrid build (and of the server and updates made over it)",
    )
    args = parser.parse_args(argv)
    os.environ["KB_EMBEDDING_MODEL"] = args.embedding  # `indexer.py update` and the server
    embeddings = {"lexical": NO_ENCODER, "hybrid": args.embedding}
    names = [name for name in args.builds.split(",") if name]
    corpus = ensure_corpus(f"kb-{args.articles}")
    work = WORK / corpus.name
    content = work / "content"
    earlier = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else {}
    result: dict[str, Any] = {
        "corpus": corpus.name,
        "articles": corpus.articles,
        "embedding": args.embedding,
    }
    shutil.rmtree(content, ignore_errors=True)  # an earlier update edited an article
    shutil.copytree(corpus.path, content)
    for name in names:
        index = work / name
        if args.reuse_builds and f"build_{name}" in earlier and in_child(opens, index):
            log(f"{corpus.name}: reusing the {name} build")
            result[f"build_{name}"] = {**earlier[f"build_{name}"], "reused": True}
            continue
        log(f"{corpus.name}: full build, {name}")
        result[f"build_{name}"] = in_child(build, content, index, embeddings[name])
        log(f"  {result[f'build_{name}']}")
    if "lexical" in names:
        log("search: the lexical-only build")
        result["search_lexical_build"] = in_child(
            search, work / "lexical", args.queries, ("lexical",)
        )
    if "hybrid" in names:
        log("search: the hybrid build in both modes; then a one-article update")
        result["search_hybrid_build"] = in_child(
            search, work / "hybrid", args.queries, ("lexical", "hybrid")
        )
        log("served: gunicorn over the hybrid build, memory per worker")
        result["served_hybrid"] = served(work / "hybrid")
        result["update_one"] = in_child(update_one, content, work / "hybrid", args.embedding)
    if args.encoders:
        log(f"encoders: {args.sample} passages of {corpus.name} and {args.queries} queries each")
        result["encoders"] = in_child(encoder_costs, content, args.sample, args.queries)
    if len(names) == 2:
        result["build_ratio"] = round(
            result["build_hybrid"]["seconds"] / result["build_lexical"]["seconds"], 2
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
