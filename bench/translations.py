"""Translation status at scale, and ``watch`` latency.

    python -m bench.translations [--articles 10000] [--watch-articles 2000] [--rounds 5]

Writes ``--articles`` bilingual articles made from the bundled ones (same sections, lists and
tables; slugs ``<slug>-<n>``), English translated from Korean with provenance, one in ten
Korean sources then edited (outdated), one in twenty English-only (missing). Then it times
``translations status`` (in-process and as the command, end to end) and, on an index of
``--watch-articles`` of them, the time from saving a file to ``watch`` having updated the live
index. Writes bench/out/translations.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from inspect import signature
from pathlib import Path

from kb.content import BUNDLED_CONTENT, load_content
from kb.index import build_index
from kb.translating.provenance import record, rewrite
from kb.translating.status import status_report

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
WORK = OUT / "translations-work"
CATALOGS = ROOT / "translations"


def make_corpus(folder: Path, count: int) -> Path:
    """``count`` articles cycled from the bundled bilingual ones, with provenance."""
    if folder.exists():
        shutil.rmtree(folder)
    bundled = [a for a in load_content(BUNDLED_CONTENT) if len(a.translations) == 2]
    for n in range(count):
        article = bundled[n % len(bundled)]
        target = folder / f"{article.slug}-{n:05d}"
        target.mkdir(parents=True)
        ko_raw = article.translations["ko"].path.read_bytes()
        (target / "ko.md").write_bytes(ko_raw)
        if n % 20 == 19:
            continue  # Korean only: missing
        source = article.translations["ko"]
        en_text = article.translations["en"].path.read_text(encoding="utf-8")
        provenance = record(source, ko_raw)
        (target / "en.md").write_text(rewrite(en_text, provenance), encoding="utf-8")
        if n % 10 == 3:  # the source edited since: outdated
            (target / "ko.md").write_bytes(ko_raw.replace("다.".encode(), "다!".encode(), 1))
    return folder


def time_status(folder: Path, rounds: int) -> dict[str, object]:
    """Seconds of the command end to end (a new process each time): cold (no cache: every
    article parsed), warm (cache present, nothing changed) and after one article changed."""
    cache_dir = WORK / "status-index"
    cache = cache_dir / "translation-status.json"
    command = [sys.executable, "indexer.py", "translations", "status", "--json",
               "--content", str(folder), "--index", str(cache_dir)]  # fmt: skip

    def timed() -> float:
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started

    cold, warm, one_changed = [], [], []
    edited = sorted(folder.iterdir())[0] / "ko.md"
    original = edited.read_bytes()
    for n in range(rounds):
        cache.unlink(missing_ok=True)
        cold.append(timed())
        warm.append(timed())
        edited.write_bytes(original + f"\nEdit {n}.\n".encode())
        one_changed.append(timed())
    edited.write_bytes(original)
    report = status_report(folder, CATALOGS)
    return {
        "articles": len(report.articles),
        "counts": report.counts(),
        "command_cold_s": _summary(cold),
        "command_warm_s": _summary(warm),
        "command_one_changed_s": _summary(one_changed),
    }


def time_watch(folder: Path, index_dir: Path, rounds: int) -> dict[str, object]:
    """Seconds from saving one article to ``watch`` having swapped in the updated index."""
    from kb.translating.watch import watch

    # Lexical index only, where the build has a choice: the latency asked about is the Korean
    # model's (passage embeddings, when the build makes them, add their own time).
    options = {"embedding": "none"} if "embedding" in signature(build_index).parameters else {}
    started = time.perf_counter()
    build_index(folder, index_dir, **options)
    built = time.perf_counter() - started
    done = threading.Condition()
    reports: list[object] = []

    def report(outcome: object) -> None:
        with done:
            reports.append(outcome)
            done.notify_all()

    stop = threading.Event()
    worker = threading.Thread(
        target=watch, args=([folder], index_dir),
        kwargs={"interval": 0.3, "report": report, "stop": stop, "options": options},
    )  # fmt: skip
    worker.start()
    latencies = []
    try:
        with done:
            done.wait_for(lambda: len(reports) >= 1, timeout=600)
        target = sorted(folder.iterdir())[0] / "en.md"
        for n in range(rounds):
            text = target.read_text(encoding="utf-8")
            saved = time.perf_counter()
            target.write_text(text + f"\nEdit {n}.\n", encoding="utf-8")
            with done:
                done.wait_for(lambda n=n: len(reports) >= n + 2, timeout=600)
            latencies.append(time.perf_counter() - saved)
    finally:
        stop.set()
        worker.join()
    return {"articles": len(list(folder.iterdir())), "build_s": round(built, 1),
            "interval_s": 0.3, "save_to_live_s": _summary(latencies)}  # fmt: skip


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--watch-articles", type=int, default=2_000, help="0: skip watch")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, object] = {}
    corpus = make_corpus(WORK / f"content-{args.articles}", args.articles)
    results["status"] = time_status(corpus, args.rounds)
    print(json.dumps(results["status"], indent=2))
    if args.watch_articles:
        small = make_corpus(WORK / f"content-{args.watch_articles}", args.watch_articles)
        shutil.rmtree(WORK / "index", ignore_errors=True)
        results["watch"] = time_watch(small, WORK / "index", args.rounds)
        print(json.dumps(results["watch"], indent=2))
    (OUT / "translations.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
