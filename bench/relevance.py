"""Relevance benchmark: the product's search, two baselines and the Lucene peer on public
retrieval sets.

    python -m bench.relevance [--sets belebele,korquad,msmarco-ko,msmarco-en,msmarco-bi,
        msmarco-health,xlang,intent,cautions,conditions] [--limit-queries N]
        [--variants bigram0,bigram0.6]
        [--out docs/relevance.md]
        [--no-peer]

The peer (Lucene BM25 with Nori / EnglishAnalyzer, :mod:`bench.lucene`) needs Java and Debian's
``liblucene8-java``; they are installed when missing and we are root with apt, else left out.

Writes the tables to ``--out``, every number to ``bench/out/relevance.json`` and example
failures with their texts to ``bench/out/relevance-failures.md``; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import multiprocessing as mp
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.beir import SETS, TITLE_MODES, Corpus, Run, id_order, load_set
from bench.evaluate import Outcome, Task, all_systems, evaluate
from bench.lucene import NAME as PEER
from bench.lucene import ensure as ensure_peer
from bench.metrics import mean_scores, paired_interval
from bench.report import PRODUCT, RunResult, failures_markdown, markdown
from bench.systems import KbBuilt, KbSystem, System, baselines, ranking_names, timed
from bench.variants import VARIANTS, shipped_settings
from kb.embedding import DEFAULT_ENCODER, ENCODERS

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FAILURES_PER_RUN = 5
BUILT = "built.json"  # written into an index folder when its build completed (--reuse-builds)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS), help=f"any of {', '.join(SETS)}")
    parser.add_argument("--limit-queries", type=int, help="a seeded sample of N queries per run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--variants",
        default="",
        help=f"parameter variants, comma-separated ('a+b' combines; 'all'): {', '.join(VARIANTS)}",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "relevance.md")
    parser.add_argument("--json", type=Path, default=OUT / "relevance.json")
    parser.add_argument("--failures", type=Path, default=OUT / "relevance-failures.md")
    parser.add_argument(
        "--per-query",
        type=Path,
        help="also write each ranking's nDCG@10 per query (JSON), for python -m bench.ceiling",
    )
    parser.add_argument("--variant-limit", type=int, help="queries per run for parameter variants")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--snippets", action="store_true", help="build result snippets too")
    parser.add_argument(
        "--titles",
        default="lead",
        help="an untitled document's title: lead (the start of its text), none (a placeholder "
        "that indexes nothing; runs are named <run>-notitle), or lead,none for both",
    )
    parser.add_argument("--work", type=Path, help="keep converted content and indexes here")
    parser.add_argument(
        "--reuse-builds",
        action="store_true",
        help="keep indexes an earlier run completed in --work (same code and corpus only!)",
    )
    parser.add_argument("--no-peer", action="store_true", help="leave out the Lucene peer")
    parser.add_argument(
        "--embedding",
        choices=tuple(ENCODERS),
        default=DEFAULT_ENCODER,
        help="the encoder the product's builds embed passages with (use its own --work)",
    )
    parser.add_argument(
        "--split",
        choices=("report", "tune"),
        default="report",
        help="the reported queries, or the held-out quarter parameters are tuned on",
    )
    args = parser.parse_args(argv)
    args.sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in args.sets if s not in SETS]
    if unknown:
        parser.error(f"unknown set {unknown[0]!r}: use any of {', '.join(SETS)}")
    args.titles = [t.strip() for t in args.titles.split(",") if t.strip()]
    if not args.titles or any(t not in TITLE_MODES for t in args.titles):
        parser.error(f"--titles takes {' or '.join(TITLE_MODES)}, comma-separated")
    names = [v.strip() for v in args.variants.split(",") if v.strip()]
    args.variants = list(VARIANTS) if names == ["all"] else names
    return args


def run_tasks(
    run: Run, set_name: str, titles: str, args: argparse.Namespace, work: Path, pool: Any
) -> Outcome:
    """The run's queries in ``args.jobs`` interleaved shares, merged."""
    tasks = [
        Task(set_name, run.name, args.limit_queries, args.seed, tuple(args.variants),
             args.variant_limit, args.snippets, titles, work, part, args.jobs, args.peer,
             args.split)
        for part in range(args.jobs)
    ]  # fmt: skip
    outcome = Outcome()
    for part in pool.map(evaluate, tasks) if pool else map(evaluate, tasks):
        outcome.merge(part)
    return outcome


def summarize(run: Run, outcome: Outcome) -> RunResult:
    """Mean scores per ranking; product rankings also over the queries they all answered."""
    result = RunResult(
        run.name, run.corpus.name, run.locale, len(run.queries), run.sampled_from,
        run.target, run.note,
    )  # fmt: skip
    result.scores = {name: mean_scores(rows.values()) for name, rows in outcome.scores.items()}
    result.ranks = outcome.ranks
    result.ndcg = {
        name: {q: m["ndcg@10"] for q, m in rows.items()} for name, rows in outcome.scores.items()
    }
    result.search_seconds = {n: s / max(outcome.counts[n], 1) for n, s in outcome.seconds.items()}
    products = [n for n in outcome.scores if n == PRODUCT or n.startswith(("kb/", "kb["))]
    common = set.intersection(*(set(outcome.scores[n]) for n in products))
    result.variant_queries = len(common)
    result.variant_scores = {n: mean_scores(outcome.scores[n][q] for q in common) for n in products}
    result.versus = {n: versus(outcome.ranks[PRODUCT], outcome.ranks[n])
                     for n in outcome.ranks if n.startswith(PEER)}  # fmt: skip
    result.lead_interval = lead_interval(result, outcome)
    return result


def lead_interval(result: RunResult, outcome: Outcome) -> tuple[float, float] | None:
    """How sure the product's lead over the better peer ranking is, from the sampled queries."""
    peers = [n for n in result.scores if n.startswith(PEER)]
    if not peers:
        return None
    peer = max(peers, key=lambda n: result.scores[n]["ndcg@10"])
    queries = sorted(set(outcome.scores[PRODUCT]) & set(outcome.scores[peer]))
    mine = [outcome.scores[PRODUCT][q]["ndcg@10"] for q in queries]
    theirs = [outcome.scores[peer][q]["ndcg@10"] for q in queries]
    return paired_interval(mine, theirs)


def versus(mine: dict[str, int | None], theirs: dict[str, int | None]) -> dict[str, int]:
    """Queries where the product ranks the first relevant document higher, lower or the same
    as a peer ranking (not found in the top 100 = below every rank)."""
    counts = {"kb": 0, "peer": 0, "tied": 0}
    for qid, rank in mine.items():
        a, b = rank or 10**6, theirs.get(qid) or 10**6
        counts["kb" if a < b else "peer" if b < a else "tied"] += 1
    return counts


def find_failures(
    run: Run, result: RunResult, product: KbSystem, built: KbBuilt, baseline_names: list[str]
) -> list[dict[str, Any]]:
    """Up to FAILURES_PER_RUN queries a baseline ranks right (first) and the product does not."""
    mine = result.ranks[PRODUCT]
    wrong = [
        q
        for q, rank in mine.items()
        if rank != 1 and any(result.ranks[b][q] == 1 for b in baseline_names)
    ]
    wrong.sort(key=lambda q: (-(mine[q] or 10**6), id_order(q)))
    return [
        describe(run, result, product, built, q, baseline_names) for q in wrong[:FAILURES_PER_RUN]
    ]


def describe(
    run: Run, result: RunResult, product: KbSystem, built: KbBuilt, qid: str, baselines: list[str]
) -> dict[str, Any]:
    """A failing query with its parsed terms and how the product scored the relevant document."""
    docs = {d.id: d for d in run.corpus.docs}
    parsed, ranked = product.explain(built, run.queries[qid], run.locale)
    position = {built.by_docnum[d]: (i, s, c) for i, (d, s, c) in enumerate(ranked)}

    def entry(doc_id: str) -> dict[str, Any]:
        _, score, coverage = position.get(doc_id, (None, 0.0, 0.0))
        title, body = docs[doc_id].texts.get(run.locale) or next(iter(docs[doc_id].texts.values()))
        text = body if title in body else f"[{title}] {body}"
        return {"id": doc_id, "score": round(score, 3), "coverage": round(coverage, 3),
                "text": " ".join(text.split())[:300]}  # fmt: skip

    relevant = max(run.qrels[qid], key=lambda d: run.qrels[qid][d])
    return {
        "query_id": qid,
        "query": run.queries[qid],
        "ranks": {name: ranks[qid] for name, ranks in result.ranks.items() if qid in ranks},
        "baselines": baselines,
        "parsed": {side: [c.words for c in cs] for side, cs in parsed.concepts.items()},
        "relevant": entry(relevant),
        "top": [entry(built.by_docnum[d]) for d, _, _ in ranked[:3]],
    }


def build_all(
    corpus: Corpus, systems: Sequence[System], work: Path, reuse: bool = False
) -> dict[str, Any]:
    """One index per build kind under ``work/<corpus>/<kind>``; returns build seconds. With
    ``reuse``, an index a previous run completed there is kept (and its time) if this code
    still opens it."""
    times: dict[str, Any] = {"documents": len(corpus.docs)}
    for system in systems:
        if system.build_kind in times:
            continue
        folder = work / corpus.name / system.build_kind
        done = folder / BUILT
        if reuse and done.exists() and system.reusable(folder):
            times[system.build_kind] = json.loads(done.read_text())["seconds"]
            log(f"{corpus.name}: reusing the {system.build_kind} index in {folder}")
            continue
        log(f"{corpus.name}: building {system.build_kind} index ({len(corpus.docs)} documents)")
        shutil.rmtree(folder, ignore_errors=True)
        _, times[system.build_kind] = timed(lambda s=system, f=folder: s.build(corpus, f))
        done.write_text(json.dumps({"seconds": times[system.build_kind]}))
        log(f"{corpus.name}: {system.build_kind} built in {times[system.build_kind]:.1f} s")
    return times


def revision() -> str:
    """``git describe``-like id, marked dirty when kb/ has uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    rev = git("rev-parse", "--short", "HEAD") or "unknown"
    return rev + (" + uncommitted kb/ changes" if git("status", "--porcelain", "kb") else "")


def command_line(argv: Sequence[str]) -> str:
    return "python -m bench.relevance " + " ".join(shlex.quote(a) for a in argv)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    started = time.perf_counter()
    measured_at = revision()  # before the run: kb/ may be edited while it goes on
    args.peer = not args.no_peer and ensure_peer()
    systems = all_systems(tuple(args.variants), peer=args.peer)
    for system in systems:
        if isinstance(system, KbSystem):
            system.embedding = args.embedding
    base_names = ranking_names(baselines(args.peer))
    work = args.work or Path(tempfile.mkdtemp(prefix="kb-relevance-"))
    results: list[RunResult] = []
    builds: dict[str, dict[str, Any]] = {}
    pool = mp.get_context("spawn").Pool(args.jobs) if args.jobs > 1 else None
    try:
        for titles, set_name in itertools.product(args.titles, args.sets):
            for whole in load_set(set_name, titles):
                run = whole.limited(args.limit_queries, args.seed, args.split)
                if not run.queries:  # a small set may have none in a split
                    log(f"{run.name}: no judged queries in the {args.split} split")
                    continue
                if run.corpus.name not in builds:
                    builds[run.corpus.name] = build_all(
                        run.corpus, systems, work, args.reuse_builds and args.work is not None
                    )
                log(f"{run.name}: {len(run.queries)} queries, {args.jobs} process(es)")
                result = summarize(run, run_tasks(run, set_name, titles, args, work, pool))
                product = KbSystem()
                built = product.open(run.corpus, work / run.corpus.name / product.build_kind)
                result.failures = find_failures(run, result, product, built, base_names)
                results.append(result)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    meta = {
        "command": command_line(argv),
        "date": dt.date.today().isoformat(),
        "revision": measured_at,
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "total_seconds": time.perf_counter() - started,
        "limits": limits_note(args),
        "builds": builds,
        "settings": shipped_settings(),
    }
    write_outputs(args, results, meta, base_names)
    log(f"done in {meta['total_seconds'] / 60:.1f} min; wrote {args.out}, {args.json}")


def limits_note(args: argparse.Namespace) -> str:
    """Which queries were run, in a sentence for the report."""
    note = (
        f"Queries: a seeded sample (seed {args.seed}) of at most {args.limit_queries} per run"
        if args.limit_queries
        else "Queries: every judged query of each run"
    )
    if args.variants and args.variant_limit:
        note += f"; parameter variants on a seeded sample of at most {args.variant_limit}"
    note += "." if args.snippets else "; snippets not built (they never change the order)."
    if "lead" in args.titles:
        note += " Untitled documents are titled by the first ~60 characters of their text"
        note += "; in `-notitle` runs" if "none" in args.titles else "."
    if "none" in args.titles:
        note += " untitled documents get a placeholder title that indexes no term."
    return note


def write_outputs(
    args: argparse.Namespace, results: list[RunResult], meta: dict[str, Any], base: list[str]
) -> None:
    """docs table, JSON numbers (no texts) and the failure notebook."""
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    for path in (args.out, args.json, args.failures, args.per_query):
        if path is not None:  # a clean clone has no bench/out yet
            path.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(results, meta, base, previous) + "\n", encoding="utf-8")
    numbers = {
        **meta,
        "runs": [
            {k: v for k, v in r.__dict__.items() if k not in ("ranks", "ndcg", "failures")}
            | {"failure_ids": [f["query_id"] for f in r.failures]}
            for r in results
        ],
    }
    args.json.write_text(json.dumps(numbers, indent=1, ensure_ascii=False), encoding="utf-8")
    args.failures.write_text(failures_markdown(results), encoding="utf-8")
    if args.per_query:
        per_query = {"embedding": args.embedding, **meta, "runs": {r.name: r.ndcg for r in results}}
        args.per_query.write_text(json.dumps(per_query), encoding="utf-8")


if __name__ == "__main__":
    main()
