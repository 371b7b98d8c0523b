"""Index build benchmark of content folders: full build, one-article update, first answer.

A thin front end over :mod:`bench.perf` (the full benchmark: ``python -m bench.perf``): each
build or update runs in a fresh ``indexer.py`` process, so peak RSS and Kiwi's start-up are
included honestly.
    python -m bench.build [--content DIR ...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.perf.corpora import ensure_corpus, measure_corpus
from bench.perf.indexing import cached_index, measure_builds, measure_updates
from bench.perf.paths import OUT
from bench.perf.searching import measure_cold_start
from kb.content import BUNDLED_CONTENT


def say(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


def measure(content: Path, repeat: int) -> dict:
    """Build, update and open figures for one content folder."""
    corpus = measure_corpus(f"folder-{content.name}", content)
    build = measure_builds(corpus, "all", repeat, say)
    update = measure_updates(corpus, repeat, say, {"one": 1})["one"]
    start = measure_cold_start(cached_index(corpus), max(repeat, 3))
    return {
        "content": str(content),
        "articles": corpus.articles,
        "characters": corpus.chars,
        "build_seconds": build["seconds"],
        "build_chars_per_second": build["chars_per_s"]["median"],
        "build_peak_rss_mib": build["peak_rss_mib"]["max"],
        "update_one_seconds": update["seconds"],
        "update_summary": update["runs"][-1]["summary"],
        "open_ms": start["open_ms"],
        "index_mib": build["index_mib"]["median"],
    }


def main() -> None:
    """Measure the given folders (default: the bundled articles and NTREX-128)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, action="append")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=OUT / "build.json")
    args = parser.parse_args()
    folders = args.content or [BUNDLED_CONTENT, ensure_corpus("ntrex").path]
    results = [measure(folder, args.repeat) for folder in folders]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(
        f"| content | articles | chars | build s (median of {args.repeat}) | chars/s | "
        "peak RSS MiB | 1-article update s | open + first query ms | index MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {Path(r['content']).name} | {r['articles']} | {r['characters']:,} | "
            f"{r['build_seconds']['median']:.2f} | {r['build_chars_per_second']:,.0f} | "
            f"{r['build_peak_rss_mib']:.0f} | {r['update_one_seconds']['median']:.2f} | "
            f"{r['open_ms']['median']:.1f} | {r['index_mib']:.1f} |"
        )


if __name__ == "__main__":
    main()
