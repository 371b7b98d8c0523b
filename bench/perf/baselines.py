"""Reference engines on the same corpus and queries: plain Whoosh and tantivy.

* ``whoosh``: the relevance benchmark's ``whoosh-standard`` (:class:`bench.systems.WhooshBaseline`:
  ``StandardAnalyzer``, title and body of all languages together, an OR of the query's terms,
  BM25F), asked for the same 10 hits per query as ours shows on a page.
* ``tantivy``: the native engine reference — one document per article with both languages in a
  ``title`` and a ``body`` field, its default tokenizer, ``parse_query_lenient`` (OR), top 10.

Both read articles through ``kb.load_content`` so they index exactly the same text.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.perf.corpora import Corpus, corpus_key
from bench.perf.paths import WORK
from bench.perf.procs import run_child
from bench.perf.queries import query_mix
from bench.perf.results import BaselineLatency, BuildRun

ENGINES = ("whoosh", "tantivy")
TOP = 10
Search = Callable[[str, str], list[str]]  # (text, locale) -> top slugs


def dir_size(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def whoosh_baseline() -> Any:
    """The relevance benchmark's plain-Whoosh system, cut to ``TOP`` hits (it ranks 100)."""
    from whoosh.analysis import StandardAnalyzer

    from bench.systems import WhooshBaseline

    return WhooshBaseline("whoosh-standard", StandardAnalyzer, limit=TOP)


def as_documents(content: str) -> Any:
    """The articles of ``content`` as a relevance corpus: one document per slug."""
    from bench.beir import Corpus as Documents
    from bench.beir import Doc
    from kb.content import load_content

    docs = [
        Doc(a.slug, {loc: (tr.title, tr.body) for loc, tr in a.translations.items()})
        for a in load_content(Path(content))
    ]
    return Documents(Path(content).name, docs, content)


def child_build_whoosh(content: str, out: str) -> dict:
    """Index ``content`` with the plain-Whoosh baseline; returns the in-process seconds."""
    started = time.perf_counter()
    whoosh_baseline().build(as_documents(content), Path(out))
    return {"build_s": time.perf_counter() - started}


def child_build_tantivy(content: str, out: str) -> dict:
    """Index ``content`` with tantivy's default tokenizer; returns the in-process seconds."""
    import tantivy

    from kb.content import load_content

    started = time.perf_counter()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("slug", stored=True, tokenizer_name="raw")
    builder.add_text_field("title")
    builder.add_text_field("body")
    Path(out).mkdir(parents=True)
    index = tantivy.Index(builder.build(), path=out)
    writer = index.writer(heap_size=256_000_000, num_threads=0)
    for article in load_content(Path(content)):
        trs = article.translations.values()
        doc = tantivy.Document(
            slug=article.slug, title=[t.title for t in trs], body=[t.body for t in trs]
        )
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    return {"build_s": time.perf_counter() - started}


def baseline_path(engine: str, corpus: Corpus) -> Path:
    """Where the cached baseline index of ``corpus`` lives."""
    return WORK / "baseline" / engine / corpus_key(corpus.name)


def build_baseline(engine: str, corpus: Corpus, cpus: frozenset[int] | None) -> BuildRun:
    """One fresh baseline build in a child process: wall s, in-process s, peak RSS, size."""
    out = baseline_path(engine, corpus)
    shutil.rmtree(out, ignore_errors=True)
    run = run_child(
        f"bench.perf.baselines:child_build_{engine}",
        {"content": str(corpus.path), "out": str(out)},
        cpus=cpus,
    )
    return {
        "seconds": round(run.seconds, 3),
        "build_s": round(run.result["build_s"], 3),
        "peak_rss_mib": round(run.peak_rss_mib, 1),
        "index_mib": round(dir_size(out) / 2**20, 2),
        "foreign_share": run.foreign_share,
    }


def ensure_baseline(engine: str, corpus: Corpus) -> Path:
    """The cached baseline index of ``corpus``, built when missing."""
    out = baseline_path(engine, corpus)
    if not out.is_dir() or not any(out.iterdir()):
        build_baseline(engine, corpus, None)
    return out


@contextmanager
def whoosh_searcher(path: str) -> Iterator[Search]:
    """The plain-Whoosh baseline's search over its index: (text, locale) → top slugs."""
    baseline = whoosh_baseline()
    built = baseline.open(None, Path(path))
    yield lambda text, locale: baseline.search(built, text, locale)[baseline.name]


@contextmanager
def tantivy_searcher(path: str) -> Iterator[Search]:
    """A search function over a baseline tantivy index: (text, locale) → top slugs."""
    import tantivy

    index = tantivy.Index.open(path)
    searcher = index.searcher()

    def run(text: str, locale: str) -> list[str]:
        """Slugs of the top hits for ``text`` (one index for both languages)."""
        query, _errors = index.parse_query_lenient(text, ["title", "body"])
        hits = searcher.search(query, TOP).hits
        return [searcher.doc(address)["slug"][0] for _score, address in hits]

    yield run


def child_search(engine: str, path: str, passes: int) -> dict:
    """Latencies of the query mix on one baseline: a warm-up pass, then ``passes``."""
    from bench.perf.searching import timed_passes

    searcher = whoosh_searcher if engine == "whoosh" else tantivy_searcher
    mix = query_mix()
    with searcher(path) as run:
        hits = {q.id: len(run(q.text, q.locale)) for q in mix}
        times = timed_passes(mix, passes, lambda q, _: run(q.text, q.locale))
    return {"times": times, "hits": hits}


def measure_baseline_search(
    engine: str, corpus: Corpus, repeat: int, passes: int
) -> BaselineLatency:
    """Baseline search latency over the mix in ``repeat`` fresh processes."""
    from bench.perf.searching import summarize_latency

    path = ensure_baseline(engine, corpus)
    runs = [
        run_child(
            "bench.perf.baselines:child_search",
            {"engine": engine, "path": str(path), "passes": passes},
        ).result
        for _ in range(repeat)
    ]
    kinds = {q.id: q.category for q in query_mix()}
    return {**summarize_latency(runs, kinds), "hits": runs[0]["hits"]}
