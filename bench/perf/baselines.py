"""Reference engines on the same corpus and queries: plain Whoosh and tantivy.

* ``whoosh``: what a naive build gives — Whoosh's ``StandardAnalyzer`` on title and body of each
  language, an OR of the query's terms over the four fields, BM25F, top 10.
* ``tantivy``: the native engine reference — one document per article with both languages in a
  ``title`` and a ``body`` field, its default tokenizer, ``parse_query_lenient`` (OR), top 10.

Both read articles through ``kb.load_content`` so they index exactly the same text.
"""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.perf.corpora import Corpus, corpus_key
from bench.perf.paths import WORK
from bench.perf.procs import run_child
from bench.perf.queries import query_mix
from bench.perf.stats import spread

ENGINES = ("whoosh", "tantivy")
WHOOSH_FIELDS = ("title_ko", "body_ko", "title_en", "body_en")
TOP = 10


def dir_size(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def child_build_whoosh(content: str, out: str) -> dict:
    """Index ``content`` with StandardAnalyzer fields; returns the in-process seconds."""
    from whoosh import index as whoosh_index
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    from kb.content import load_content

    started = time.perf_counter()
    fields: dict[str, Any] = {name: TEXT(analyzer=StandardAnalyzer()) for name in WHOOSH_FIELDS}
    schema = Schema(slug=ID(stored=True, unique=True), **fields)
    Path(out).mkdir(parents=True)
    ix = whoosh_index.create_in(out, schema)
    writer = ix.writer(limitmb=256)
    for article in load_content(Path(content)):
        doc = {"slug": article.slug}
        for locale, tr in article.translations.items():
            doc[f"title_{locale}"], doc[f"body_{locale}"] = tr.title, tr.body
        writer.add_document(**doc)
    writer.commit()
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


def build_baseline(engine: str, corpus: Corpus, cpus: frozenset[int] | None) -> dict:
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


def whoosh_searcher(path: str) -> Any:
    """A search function over a baseline Whoosh index: text → top slugs."""
    from whoosh import index as whoosh_index
    from whoosh import query as wq
    from whoosh.analysis import StandardAnalyzer

    searcher = whoosh_index.open_dir(path).searcher()
    analyzer = StandardAnalyzer()

    def run(text: str) -> list[str]:
        """Slugs of the top hits for ``text``."""
        terms = list(dict.fromkeys(t.text for t in analyzer(text)))
        query = wq.Or([wq.Term(f, t) for t in terms for f in WHOOSH_FIELDS])
        return [hit["slug"] for hit in searcher.search(query, limit=TOP)]

    return run


def tantivy_searcher(path: str) -> Any:
    """A search function over a baseline tantivy index: text → top slugs."""
    import tantivy

    index = tantivy.Index.open(path)
    searcher = index.searcher()

    def run(text: str) -> list[str]:
        """Slugs of the top hits for ``text``."""
        query, _errors = index.parse_query_lenient(text, ["title", "body"])
        hits = searcher.search(query, TOP).hits
        return [searcher.doc(address)["slug"][0] for _score, address in hits]

    return run


def child_search(engine: str, path: str, passes: int) -> dict:
    """Latencies of the query mix on one baseline: a warm-up pass, then ``passes``."""
    run = whoosh_searcher(path) if engine == "whoosh" else tantivy_searcher(path)
    mix = query_mix()
    hits = {q.id: len(run(q.text)) for q in mix}
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(passes):
        for q in mix:
            started = time.perf_counter()
            run(q.text)
            times[q.id].append((time.perf_counter() - started) * 1000)
    return {"times": times, "hits": hits}


def measure_baseline_search(engine: str, corpus: Corpus, repeat: int, passes: int) -> dict:
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
    summary = summarize_latency(runs, kinds)
    summary["hits"] = runs[0]["hits"]
    return summary


def summarize_baseline_builds(runs: list[dict]) -> dict:
    """Spreads of baseline build runs."""
    return {
        "runs": runs,
        "seconds": spread(r["seconds"] for r in runs),
        "build_s": spread(r["build_s"] for r in runs),
        "peak_rss_mib": spread(r["peak_rss_mib"] for r in runs),
        "index_mib": spread(r["index_mib"] for r in runs),
        "foreign_share_max": max(r["foreign_share"] for r in runs),
    }
