"""Full builds and incremental updates, each in a fresh ``python indexer.py`` process.

Builds and updates go through the operator's command (its default glossary included), so the
figures hold process start, imports and the Kiwi model load. The 10,000-article index that the
search and HTTP stages use is cached under bench/out/perf-work/index/.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from bench.perf.code import current, index_code
from bench.perf.corpora import Corpus, article_folders, corpus_key, sentence_pool
from bench.perf.paths import WORK
from bench.perf.procs import ONE_CORE, indexer
from bench.perf.results import BuildRun, Builds, UpdateRun, Updates
from bench.perf.stats import spread

MODES: dict[str, frozenset[int] | None] = {"all": None, "one": ONE_CORE}
# The indexer's own time for the whole run ("… translations (…) in 5.79 s; 20000 passage
# vectors … in 0.28 s"): the first figure, not the embedding step's.
INTERNAL = re.compile(r"translations(?: \([^)]*\))? in ([0-9.]+) s")
UPDATE_CHANGES = {"none": 0, "one": 1, "hundred": 100}  # label: articles edited before a run
Say = Callable[[str], None]


def live_size(root: Path) -> int:
    """Bytes of the live build's files (what a reader opens)."""
    live = root / (root / "current").readlink()
    return sum(f.stat().st_size for f in live.iterdir() if f.is_file())


def build_once(corpus: Corpus, root: Path, cpus: frozenset[int] | None) -> BuildRun:
    """One fresh build of ``corpus`` into ``root``: wall s, in-process s, peak RSS, size."""
    shutil.rmtree(root, ignore_errors=True)
    run = indexer("build", "--content", str(corpus.path), "--index", str(root), cpus=cpus)
    internal = INTERNAL.search(run.stdout)
    return {
        "seconds": round(run.seconds, 3),
        "build_s": float(internal.group(1)) if internal else run.seconds,
        "peak_rss_mib": round(run.peak_rss_mib, 1),
        "index_mib": round(live_size(root) / 2**20, 2),
        "summary": run.stdout.splitlines()[-1] if run.stdout else "",
        "foreign_share": run.foreign_share,
    }


def summarize_builds(runs: list[BuildRun], corpus: Corpus | None = None) -> Builds:
    """Spreads of repeated builds (any engine's); with ``corpus``, throughput from wall time."""
    summary: Builds = {
        "runs": runs,
        "seconds": spread(r["seconds"] for r in runs),
        "build_s": spread(r["build_s"] for r in runs),
        "peak_rss_mib": spread(r["peak_rss_mib"] for r in runs),
        "index_mib": spread(r["index_mib"] for r in runs),
        "foreign_share_max": max(r["foreign_share"] for r in runs),
    }
    if corpus:
        summary["articles_per_s"] = spread(corpus.articles / r["seconds"] for r in runs)
        summary["chars_per_s"] = spread((corpus.chars / r["seconds"] for r in runs), 0)
        summary["ko_chars_per_s"] = spread((corpus.ko_chars / r["seconds"] for r in runs), 0)
    return summary


def measure_builds(corpus: Corpus, mode: str, repeat: int, say: Say) -> Builds:
    """``repeat`` full builds of ``corpus`` with one core or all cores."""
    root = WORK / "build" / corpus_key(corpus.name)
    runs = []
    for n in range(repeat):
        runs.append(build_once(corpus, root, MODES[mode]))
        say(f"  build {corpus.name} [{mode} core(s)] {n + 1}/{repeat}: {runs[-1]['seconds']:.1f} s")
    if mode == "all":
        keep_index(corpus, root)
    shutil.rmtree(root, ignore_errors=True)
    return summarize_builds(runs, corpus)


def cached_index(corpus: Corpus) -> Path:
    """Where the benchmark keeps a built index of ``corpus``."""
    return WORK / "index" / corpus_key(corpus.name)


def keep_index(corpus: Corpus, root: Path) -> None:
    """Keep a finished build as the cached index of ``corpus``, marked with the code's key."""
    target = cached_index(corpus)
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(root, target)
    code_marker(target).write_text(code_key())


@cache
def code_key() -> str:
    """What a cached index must have been built by: committed kb/ and indexer.py name the code
    exactly; with uncommitted kb/ changes (or no git) only an index built by this very run is
    trusted."""
    code, trees = current(), index_code()
    key = f"{trees} {code['analysis_version']}"
    clean = trees and "uncommitted" not in code["revision"]
    return key if clean else f"{key} run {time.time_ns()}"


def code_marker(index: Path) -> Path:
    """The file naming the code that built a cached index."""
    return index.with_name(index.name + ".code")


def ensure_index(corpus: Corpus, say: Say) -> Path:
    """The cached index of ``corpus``, (re)built when missing or built by other code."""
    root = cached_index(corpus)
    marker = code_marker(root)
    if marker.exists() and marker.read_text() == code_key():
        return root
    say(f"  building the {corpus.name} index with this code")
    marker.unlink(missing_ok=True)  # an interrupted build leaves no index marked as good
    scratch = root.with_name(root.name + ".building")
    build_once(corpus, scratch, None)
    keep_index(corpus, scratch)
    return root


# -- incremental updates ---------------------------------------------------------------------


def edit_articles(folders: list[Path], round_: int) -> None:
    """Open both translations with a real sentence pair (a different one each round)."""
    pool = sentence_pool()
    for i, folder in enumerate(folders):
        pair = pool[(round_ * 7919 + i * 104729) % len(pool)]
        for locale, text in (("ko", pair.ko), ("en", pair.en)):
            put_first(folder / f"{locale}.md", text)


def put_first(path: Path, text: str) -> None:
    """``text`` as the first paragraph of the article at ``path`` (after its front matter): an
    edit of the opening, which changes what meaning embeds, as most authors' edits do (text
    added at the end of a long article falls outside its embedded passages)."""
    raw = path.read_text(encoding="utf-8")
    head, fence, body = raw.partition("\n---\n") if raw.startswith("---\n") else ("", "", raw)
    path.write_text(f"{head}{fence}{text}\n\n{body}", encoding="utf-8")


def update_once(content: Path, root: Path) -> UpdateRun:
    """One ``indexer.py update`` in a fresh process."""
    run = indexer("update", "--content", str(content), "--index", str(root))
    internal = INTERNAL.search(run.stdout)
    return {
        "seconds": round(run.seconds, 3),
        "update_s": float(internal.group(1)) if internal else run.seconds,
        "peak_rss_mib": round(run.peak_rss_mib, 1),
        "summary": run.stdout.splitlines()[-1] if run.stdout else "",
        "foreign_share": run.foreign_share,
    }


def measure_updates(
    corpus: Corpus, repeat: int, say: Say, changes: dict[str, int] = UPDATE_CHANGES
) -> dict[str, Updates]:
    """Updates of a copy of the cached index and content after editing ``changes`` articles
    (default: none, one, a hundred)."""
    source = ensure_index(corpus, say)
    content, root = WORK / "update" / "content", WORK / "update" / "index"
    shutil.rmtree(WORK / "update", ignore_errors=True)
    shutil.copytree(corpus.path, content)
    shutil.copytree(source, root, symlinks=True)
    folders = list(article_folders(Corpus(**{**corpus.__dict__, "path": content})))
    results: dict[str, Updates] = {}
    for label, count in changes.items():
        runs = []
        for n in range(repeat):
            start = (n * 101 + count * 13) % max(1, len(folders) - count)
            edit_articles(folders[start : start + count], n)
            runs.append(update_once(content, root))
            say(f"  update {label} {n + 1}/{repeat}: {runs[-1]['seconds']:.2f} s")
        results[label] = {
            "runs": runs,
            "seconds": spread(r["seconds"] for r in runs),
            "update_s": spread(r["update_s"] for r in runs),
            "peak_rss_mib": spread(r["peak_rss_mib"] for r in runs),
            "foreign_share_max": max(r["foreign_share"] for r in runs),
        }
    shutil.rmtree(WORK / "update", ignore_errors=True)
    return results
