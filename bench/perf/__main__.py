"""``python -m bench.perf``: run the performance benchmark and write docs/benchmarks.md.

    python -m bench.perf [--sizes 10000,50000] [--repeat N] [--quick] [--out docs/benchmarks.md]
                         [--only build,search,http,...]

Stages: corpora, update, search, http, profile, build (run in that order). Results of the
stages run are merged into the JSON file (bench/out/perf.json; perf-quick.json with --quick),
and the report is rendered from everything that file holds. Each stage records the git
revision taken when the run starts (flagged when kb/ has uncommitted changes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import shlex
import sys
import time
from dataclasses import replace
from pathlib import Path

from bench.perf import results as stored
from bench.perf.code import current
from bench.perf.machine import describe
from bench.perf.paths import OUT, REPORT, RESULTS, ROOT
from bench.perf.queries import mix_as_json
from bench.perf.results import Results, RunInfo
from bench.perf.stages import STAGES, Plan, run_stage
from bench.perf.tables import render

QUICK_SIZE = 500
DESCRIPTION = "Run the performance benchmark and write docs/benchmarks.md."


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.perf", description=DESCRIPTION)
    parser.add_argument(
        "--sizes",
        default="10000,50000",
        help="scaled KB sizes; the first is the one updates, search and HTTP are measured on",
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each measure")
    parser.add_argument(
        "--large-repeat",
        type=int,
        default=2,
        help="repetitions of builds of corpora above --one-core-max articles",
    )
    parser.add_argument(
        "--one-core-max", type=int, default=20000, help="largest corpus also built with one core"
    )
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the query mix")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--http-requests", type=int, default=2000, help="per level and run")
    parser.add_argument("--http-seconds", type=float, default=30, help="per level and run")
    parser.add_argument("--profile-size", type=int, default=2000)
    parser.add_argument(
        "--build-corpora",
        default="",
        help="build stage: measure only these corpora again (e.g. kb-10000), keep the others",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_SIZE} articles, one repetition, short HTTP runs",
    )
    parser.add_argument("--only", default=",".join(STAGES), help="comma-separated stages")
    parser.add_argument(
        "--out",
        type=Path,
        help="report (default docs/benchmarks.md; with --quick bench/out/perf-quick.md)",
    )
    parser.add_argument("--json", type=Path, help="results (default bench/out/perf.json)")
    parser.add_argument(
        "--report-only", action="store_true", help="only render the report from the JSON file"
    )
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace) -> Plan:
    """The plan for these options; --quick shrinks everything."""
    plan = Plan(
        sizes=[int(s) for s in args.sizes.split(",") if s.strip()],
        repeat=args.repeat,
        large_repeat=args.large_repeat,
        one_core_max=args.one_core_max,
        passes=args.passes,
        workers=args.workers,
        http_requests=args.http_requests,
        http_seconds=args.http_seconds,
        profile_size=args.profile_size,
        quick=args.quick,
        say=say,
    )
    if not args.quick:
        return plan
    return replace(
        plan,
        sizes=[QUICK_SIZE],
        repeat=1,
        large_repeat=1,
        passes=1,
        http_requests=200,
        http_seconds=10,
        profile_size=QUICK_SIZE,
        extra_corpora=["ntrex"],
    )


def say(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


# What the stages import from the `bench` extra, checked before a stage spends minutes building.
EXTRA_MODULES = {"build": ("tantivy",), "search": ("tantivy",), "profile": ("pyinstrument",)}


def require_bench_extra(stages: list[str]) -> None:
    """Stop at once, naming the install command, when a chosen stage needs a missing module."""
    missing = sorted(
        {m for s in stages for m in EXTRA_MODULES.get(s, ()) if importlib.util.find_spec(m) is None}
    )
    if missing:
        raise SystemExit(
            f"bench.perf needs {', '.join(missing)} for these stages: pip install -e '.[bench]'"
        )


def main(argv: list[str] | None = None) -> None:
    """Run the chosen stages, merge them into the JSON file, and write the report."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if not args.report_only:
        current()  # the revision, before anything runs: kb/ may be edited meanwhile
    plan = make_plan(args)
    stages = chosen_stages(args.only)
    if not args.report_only:
        require_bench_extra(stages)
    json_path = in_project(args.json or (OUT / "perf-quick.json" if plan.quick else RESULTS))
    out = in_project(args.out or (OUT / "perf-quick.md" if plan.quick else REPORT))
    results = stored.load(json_path)
    plan.previous = results["stages"]
    plan.build_only = [c.strip() for c in args.build_corpora.split(",") if c.strip()]
    if not args.report_only:
        run_stages(results, plan, stages, json_path, argv)
    out.parent.mkdir(parents=True, exist_ok=True)
    notes_from = out if out.exists() else REPORT  # a new report starts with the page's notes
    previous = notes_from.read_text(encoding="utf-8") if notes_from.exists() else ""
    out.write_text(render(results, previous), encoding="utf-8")
    say(f"wrote {out} from {json_path}")


def in_project(path: Path) -> Path:
    """A path given on the command line, relative to the project root."""
    return path if path.is_absolute() else ROOT / path


def chosen_stages(only: str) -> list[str]:
    """The stages named in ``--only``, in their natural order."""
    stages = [s.strip() for s in only.split(",") if s.strip()]
    unknown = set(stages) - set(STAGES)
    if unknown:
        raise SystemExit(f"unknown stage(s) {', '.join(sorted(unknown))}: use {', '.join(STAGES)}")
    return [s for s in STAGES if s in stages]


def run_stages(
    results: Results, plan: Plan, stages: list[str], json_path: Path, argv: list[str]
) -> None:
    """Run each stage and save after each one, so a later failure keeps the earlier ones."""
    started = time.monotonic()
    for name in stages:
        results["stages"][name] = run_stage(name, plan)
        stored.save(results, json_path)
    results["machine"] = describe()
    results["queries"] = mix_as_json()
    results["run"] = run_info(plan, stages, time.monotonic() - started, argv)
    results.setdefault("history", []).append(results["run"])
    stored.save(results, json_path)


def run_info(plan: Plan, stages: list[str], seconds: float, argv: list[str]) -> RunInfo:
    """How this run was made."""
    return {
        "command": shlex.join(["python", "-m", "bench.perf", *argv]),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "revision": current()["revision"],
        "stages_run": stages,
        "seconds": round(seconds, 1),
        "quick": plan.quick,
        "sizes": plan.sizes,
        "repeat": plan.repeat,
        "large_repeat": plan.large_repeat,
        "passes": plan.passes,
        "workers": plan.workers,
        "http_bounds": [plan.http_requests, plan.http_seconds],
    }


if __name__ == "__main__":
    main()
