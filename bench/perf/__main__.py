"""``python -m bench.perf``: run the performance benchmark and write docs/benchmarks.md.

    python -m bench.perf [--sizes 10000,50000] [--repeat N] [--quick] [--out docs/benchmarks.md]
                         [--only build,search,http,...]

Stages: corpora, update, search, http, profile, build (run in that order). Results of the
stages run are merged into the JSON file (bench/out/perf.json; perf-quick.json with --quick),
and the report is rendered from everything that file holds. A run measures a snapshot of the
code taken when it starts (bench/out/perf-code; see bench/perf/code.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import sys
import time
from pathlib import Path

from bench.perf import report
from bench.perf.code import current, in_snapshot, reexec_in_snapshot
from bench.perf.machine import describe
from bench.perf.paths import OUT, REPORT, RESULTS, ROOT
from bench.perf.queries import mix_as_json
from bench.perf.stages import STAGES, Plan, run_stage

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
        "--max-load",
        type=float,
        default=1.0,
        help="wait before each stage until the 1-minute load is below this",
    )
    parser.add_argument("--wait", type=float, default=900, help="longest wait for that, s")
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
    parser.add_argument(
        "--keep-code",
        action="store_true",
        help="measure the code snapshot of the previous run again (default: a fresh snapshot)",
    )
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace) -> Plan:
    """The plan for these options; --quick shrinks everything."""
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        return Plan(
            sizes=[QUICK_SIZE],
            repeat=1,
            large_repeat=1,
            one_core_max=args.one_core_max,
            passes=1,
            workers=args.workers,
            http_requests=200,
            http_seconds=10,
            profile_size=QUICK_SIZE,
            max_load=args.max_load,
            wait=0,
            quick=True,
            say=say,
            extra_corpora=["ntrex"],
        )
    return Plan(
        sizes=sizes,
        repeat=args.repeat,
        large_repeat=args.large_repeat,
        one_core_max=args.one_core_max,
        passes=args.passes,
        workers=args.workers,
        http_requests=args.http_requests,
        http_seconds=args.http_seconds,
        profile_size=args.profile_size,
        max_load=args.max_load,
        wait=args.wait,
        quick=False,
        say=say,
    )


def say(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


def load_results(path: Path) -> dict:
    """Earlier results to merge into (empty when there are none)."""
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"stages": {}}


def main(argv: list[str] | None = None) -> None:
    """Run the chosen stages from a snapshot of the code, merge, write the JSON and report."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if not args.report_only and not in_snapshot():
        reexec_in_snapshot(argv, keep=args.keep_code)  # does not return
    plan = make_plan(args)
    stages = chosen_stages(args.only)
    json_path = in_project(args.json or (OUT / "perf-quick.json" if plan.quick else RESULTS))
    out = in_project(args.out or (OUT / "perf-quick.md" if plan.quick else REPORT))
    results = load_results(json_path)
    plan.previous = results["stages"]
    plan.build_only = [c.strip() for c in args.build_corpora.split(",") if c.strip()]
    if not args.report_only:
        run_stages(results, plan, stages, json_path, argv)
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = out.read_text(encoding="utf-8") if out.exists() else ""
    out.write_text(report.render(results, previous), encoding="utf-8")
    say(f"wrote {out} from {json_path}")


def in_project(path: Path) -> Path:
    """A path given on the command line, relative to the project (not to the snapshot)."""
    return path if path.is_absolute() else ROOT / path


def chosen_stages(only: str) -> list[str]:
    """The stages named in ``--only``, in their natural order."""
    stages = [s.strip() for s in only.split(",") if s.strip()]
    unknown = set(stages) - set(STAGES)
    if unknown:
        raise SystemExit(f"unknown stage(s) {', '.join(sorted(unknown))}: use {', '.join(STAGES)}")
    return [s for s in STAGES if s in stages]


def run_stages(
    results: dict, plan: Plan, stages: list[str], json_path: Path, argv: list[str]
) -> None:
    """Run each stage and save after each one, so a later failure keeps the earlier ones."""
    started = time.monotonic()
    code = current()
    for name in stages:
        results["stages"][name] = run_stage(name, plan) | {"code": code}
        save(results, json_path)
    results["machine"] = describe()
    results["queries"] = mix_as_json()
    results["run"] = run_info(plan, stages, time.monotonic() - started, argv) | {"code": code}
    results.setdefault("history", []).append(results["run"])
    save(results, json_path)


def run_info(plan: Plan, stages: list[str], seconds: float, argv: list[str]) -> dict:
    """How this run was made."""
    return {
        "command": shlex.join(["python", "-m", "bench.perf", *argv]),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
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


def save(results: dict, path: Path) -> None:
    """Write the results as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
