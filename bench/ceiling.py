"""How far fusing the measured rankings could go: the best score per query over every ranking.

    python -m bench.relevance --sets korquad --per-query /tmp/use.json ...
    python -m bench.relevance --sets korquad --per-query /tmp/e5.json \
        --embedding multilingual-e5-small-q4 ...
    python -m bench.ceiling /tmp/use.json /tmp/e5.json

Choosing, query by query, the best of the product's rankings (both encoders, words alone, the
variants) and the peer's is more than any fusion of them does in practice; when even that stays
under a target, no reweighting of these signals reaches it and a stronger one is needed.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.metrics import best_of
from bench.report import table

PerQuery = dict[str, dict[str, float]]  # ranking -> query id -> nDCG@10


def rankings_of(files: Sequence[Mapping[str, Any]], run: str) -> PerQuery:
    """One run's rankings from every file, named ``ranking [encoder]`` when the files' encoders
    differ (the peer and the words-alone rankings are the same in each, so they are kept once)."""
    encoders = {f["embedding"] for f in files}
    merged: PerQuery = {}
    for f in files:
        for name, rows in f["runs"].get(run, {}).items():
            hybrid = name == "kb" or name.startswith("kb[")
            label = f"{name} [{f['embedding']}]" if hybrid and len(encoders) > 1 else name
            merged.setdefault(label, rows)
    return merged


def ceiling_lines(run: str, rankings: PerQuery) -> list[str]:
    """The run's rankings by mean nDCG@10, then the best of them per query."""
    mean = {name: best_of({name: rows})[0] for name, rows in rankings.items()}
    rows: list[Sequence[Any]] = [
        (name, f"{mean[name]:.4f}", "") for name in sorted(mean, key=lambda n: -mean[n])
    ]
    groups = {
        "best per query, the product's rankings": {
            n: r for n, r in rankings.items() if n.startswith("kb")
        },
        "best per query, every ranking": rankings,
    }
    for label, group in groups.items():
        score, imperfect, queries = best_of(group)
        rows.append((f"**{label}**", f"**{score:.4f}**", f"{imperfect} of {queries}"))
    return [f"### {run}", "", *table(("ranking", "nDCG@10", "queries none ranks ideally"), rows)]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="bench.relevance --per-query files")
    parser.add_argument("--runs", help="comma-separated run names (default: every run)")
    args = parser.parse_args(argv)
    files = [json.loads(path.read_text(encoding="utf-8")) for path in args.files]
    runs = args.runs.split(",") if args.runs else sorted({r for f in files for r in f["runs"]})
    for run in runs:
        print("\n".join(ceiling_lines(run, rankings_of(files, run))), end="\n\n")


if __name__ == "__main__":
    main()
