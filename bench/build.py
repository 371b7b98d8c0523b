"""Index build benchmark: full build time and peak memory, one-article update, searcher open.

Each build or update runs in a fresh process (as `indexer.py` would), so peak RSS and the Kiwi
start-up are included honestly.
    python -m bench.build [--content DIR ...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kb
from bench.ntrex import convert
from kb.content import BUNDLED_CONTENT, load_content

ROOT = Path(__file__).resolve().parent.parent
NTREX = ROOT / "bench" / "out" / "ntrex"


def run_measured(code: str, *args: str) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB, stdout) of ``python -c code args`` in a fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    output = proc.stdout.read() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"benchmark step failed: {code}")
    return seconds, usage.ru_maxrss / 1024, output.strip()


BUILD = "import sys, kb; print(kb.build_index(sys.argv[1], sys.argv[2]).summary())"
UPDATE = "import sys, kb; print(kb.update_index(sys.argv[1], sys.argv[2]).summary())"


def measure(content: Path, repeat: int) -> dict:
    """Build, update and open figures for one content folder."""
    articles = load_content(content)
    chars = sum(len(t.body) for a in articles for t in a.translations.values())
    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        builds = [run_measured(BUILD, str(content), str(work / "index")) for _ in range(repeat)]
        copy = work / "content"
        shutil.copytree(content, copy)
        target = next(p for p in sorted(copy.glob("*/*.md")))
        updates = []
        for n in range(repeat):
            target.write_text(target.read_text() + f"\n\nEdited {n}.\n", encoding="utf-8")
            updates.append(run_measured(UPDATE, str(copy), str(work / "index")))
        opens = []
        for _ in range(20):
            started = time.perf_counter()
            _ = kb.open_index(work / "index").snapshot().searcher
            opens.append(time.perf_counter() - started)
        size = sum(f.stat().st_size for f in kb.index.live_build(work / "index").iterdir())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    build_s = statistics.median(b[0] for b in builds)
    return {
        "content": str(content),
        "articles": len(articles),
        "translations": sum(len(a.translations) for a in articles),
        "characters": chars,
        "build_seconds": [round(b[0], 2) for b in builds],
        "build_seconds_median": round(build_s, 2),
        "build_chars_per_second": round(chars / build_s),
        "build_peak_rss_mib": round(max(b[1] for b in builds)),
        "update_one_seconds": [round(u[0], 2) for u in updates],
        "update_one_seconds_median": round(statistics.median(u[0] for u in updates), 2),
        "update_summary": updates[-1][2],
        "open_ms_median": round(statistics.median(opens) * 1000, 2),
        "open_ms_max": round(max(opens) * 1000, 2),
        "index_mib": round(size / 2**20, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, action="append")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "build.json")
    args = parser.parse_args()
    if not args.content and not NTREX.exists():
        convert(ROOT.parent / "shared" / "data" / "ntrex128-ko-en", NTREX)
    results = [measure(c, args.repeat) for c in args.content or [BUNDLED_CONTENT, NTREX]]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"| content | articles | chars | build s (median of {args.repeat}) | chars/s | "
          "peak RSS MiB | 1-article update s | open ms | index MiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {Path(r['content']).name} | {r['articles']} | {r['characters']:,} | "
            f"{r['build_seconds_median']} | {r['build_chars_per_second']:,} | "
            f"{r['build_peak_rss_mib']} | {r['update_one_seconds_median']} | "
            f"{r['open_ms_median']} | {r['index_mib']} |"
        )


if __name__ == "__main__":
    main()
