"""Markdown reports of the benchmarks: the shared machinery (tables, number formats, hand-written
notes kept across regenerations) and the relevance report (``docs/relevance.md``); the perf
report's sections are in :mod:`bench.perf.tables`.

``docs/relevance.md`` carries numbers and query ids only: the sets' text stays in
``../shared/data``. Query texts of failures go to ``bench/out`` (git-ignored scratch).
Hand-written blocks survive a regeneration: ``<!-- notes -->`` … ``<!-- /notes -->`` are placed
after the summary (or targets), ``<!-- notes KEY -->`` … ``<!-- /notes -->`` in the section that
asks for ``KEY``; a block whose section is gone goes to the end rather than being lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NOTES_RE = re.compile(r"<!-- notes(?: (?P<key>[\w-]+))? -->.*?<!-- /notes -->", re.S)
PRODUCT = "kb"


class Notes:
    """The hand-written blocks of a page's previous version, handed back section by section."""

    def __init__(self, previous: str) -> None:
        """Find the blocks of ``previous`` (empty for a new page)."""
        self.blocks = [(m["key"] or "", m[0]) for m in NOTES_RE.finditer(previous)]
        self.taken: set[int] = set()

    def take(self, key: str = "") -> list[str]:
        """Lines of the blocks for ``key`` ("" = the general ones), each then a blank line."""
        lines = []
        for i, (block_key, text) in enumerate(self.blocks):
            if block_key == key and i not in self.taken:
                self.taken.add(i)
                lines += [text, ""]
        return lines

    def rest(self) -> list[str]:
        """Blocks no section took, so that no hand-written text is dropped."""
        return [line for key in dict.fromkeys(k for k, _ in self.blocks) for line in self.take(key)]


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """A Markdown table, then a blank line."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def num(value: float | None, digits: int = 0) -> str:
    """A number with thousands separators, or a dash."""
    return "–" if value is None else f"{value:,.{digits}f}"


def pct(value: float | None) -> str:
    """A share as a percentage."""
    return "–" if value is None else f"{value * 100:.1f} %"


def ratio(ours: float | None, theirs: float | None) -> str:
    """``ours / theirs`` as ``N.N×``."""
    if not ours or not theirs:
        return "–"
    return f"{ours / theirs:,.1f}×"


def spread_cell(s: Mapping[str, float] | None, digits: int = 2) -> str:
    """``median (min–max)`` of repeated runs; a single run (or no spread) prints its median."""
    if not s:
        return "–"
    median = f"{s['median']:,.{digits}f}"
    if s.get("n", 1) < 2 or s["min"] == s["max"]:
        return median
    return f"{median} ({s['min']:,.{digits}f}–{s['max']:,.{digits}f})"


# -- the relevance report ------------------------------------------------------------------------


@dataclass
class RunResult:
    """Scores of every ranking on one run; ``ranks`` hold each query's first relevant rank."""

    name: str
    corpus: str
    locale: str
    queries: int
    sampled_from: int
    target: float | None
    note: str
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    ranks: dict[str, dict[str, int | None]] = field(default_factory=dict)
    ndcg: dict[str, dict[str, float]] = field(default_factory=dict)  # nDCG@10 by query
    search_seconds: dict[str, float] = field(default_factory=dict)  # per query answered
    variant_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    variant_queries: int = 0  # the queries every product ranking answered
    failures: list[dict[str, Any]] = field(default_factory=list)
    # peer ranking -> {"kb": queries the product ranks higher, "peer": lower, "tied": same}
    versus: dict[str, dict[str, int]] = field(default_factory=dict)
    # a 95 % paired bootstrap interval of the nDCG@10 lead over the better peer ranking
    lead_interval: tuple[float, float] | None = None


def fmt(value: float) -> str:
    return f"{value:.3f}"


def verdict(result: RunResult) -> str:
    """``met (+0.004)`` / ``missed by 0.012`` for the product against the run's target."""
    if result.target is None:
        return "no target"
    gap = result.scores[PRODUCT]["ndcg@10"] - result.target
    shown = f"{abs(gap):.3f}" if abs(gap) >= 0.0005 else "<0.001"
    return f"**met** (+{shown})" if gap >= 0 else f"**missed** by {shown}"


def run_table(result: RunResult, systems: Sequence[str]) -> list[str]:
    """system | nDCG@10 | MRR@10 | R@10 | R@100 | queries | ms/query."""
    rows = []
    for name in systems:
        s = result.scores[name]
        seconds = result.search_seconds.get(name)  # none for a ranking another one times
        ms = "–" if seconds is None else f"{1000 * seconds:.1f}"
        label = f"**{name}** (product)" if name == PRODUCT else name
        metrics = (fmt(s[m]) for m in ("ndcg@10", "mrr@10", "recall@10", "recall@100"))
        rows.append((label, *metrics, result.queries, ms))
    headers = ("system", "nDCG@10", "MRR@10", "R@10", "R@100", "queries", "ms/query")
    return table(headers, rows)


PEER_LEAD = 0.03  # issue 10: nDCG@10 at least this far over the better Lucene setting


def peer_lead(result: RunResult) -> str:
    """The product's nDCG@10 minus the better Lucene run's, against :data:`PEER_LEAD`."""
    peers = [s["ndcg@10"] for name, s in result.scores.items() if name.startswith("lucene")]
    if not peers:
        return "—"
    lead = result.scores[PRODUCT]["ndcg@10"] - max(peers)
    shown = f"{lead:+.3f} " + ("**met**" if lead >= PEER_LEAD else f"(≥ +{PEER_LEAD}: missed)")
    if result.lead_interval is not None:
        low, high = result.lead_interval
        shown += f", 95 % interval {low:+.3f} to {high:+.3f}"
    return shown


def summary_table(results: Sequence[RunResult], baselines: Sequence[str]) -> list[str]:
    """One row per run: the product against its target and its lead over the Lucene peer, and
    each baseline's nDCG@10."""
    rows = [
        (
            r.name,
            r.queries,
            fmt(r.scores[PRODUCT]["ndcg@10"]),
            f"≥ {r.target}" if r.target is not None else "—",
            verdict(r),
            peer_lead(r),
            *(fmt(r.scores[b]["ndcg@10"]) for b in baselines),
        )
        for r in results
    ]
    headers = ("run", "queries", "product nDCG@10", "absolute target", "verdict")
    headers += ("lead over Lucene",)
    return table((*headers, *baselines), rows)


def versus_table(results: Sequence[RunResult]) -> list[str]:
    """Per run and peer ranking: queries whose first relevant document the product ranks
    higher / lower / the same (a miss in the top 100 counts below every rank)."""
    rows = [
        (r.name, peer, c["kb"], c["peer"], c["tied"], f"{c['kb'] - c['peer']:+d}")
        for r in results
        for peer, c in r.versus.items()
    ]
    if not rows:
        return []
    headers = ("run", "peer", "kb higher", "peer higher", "same rank", "net")
    return ["Per query, against the Lucene peer:", "", *table(headers, rows)]


def variant_table(results: Sequence[RunResult], metric: str) -> list[str]:
    """Every product ranking (variants × orderings) against every run, for one metric, each
    run over the queries all of them answered."""
    names = sorted(
        results[0].variant_scores,
        key=lambda n: (n.split("/")[0] != PRODUCT, n.split("/")[0], "/" in n, n),
    )
    best = {r.name: max(v[metric] for v in r.variant_scores.values()) for r in results}
    rows = [
        (
            name,
            *(
                f"**{fmt(v)}**" if v == best[r.name] else fmt(v)
                for r in results
                for v in [r.variant_scores[name][metric]]
            ),
        )
        for name in names
    ]
    return table(("ranking", *(f"{r.name} ({r.variant_queries})" for r in results)), rows)


def title_groups(results: Sequence[RunResult]) -> list[tuple[str, list[RunResult]]]:
    """Runs with the start of the text as title, then ``-notitle`` runs (one table each)."""
    groups = [
        ("", [r for r in results if not r.name.endswith("-notitle")]),
        (" (`-notitle` runs)", [r for r in results if r.name.endswith("-notitle")]),
    ]
    return [(label, runs) for label, runs in groups if runs]


def failure_ids(results: Sequence[RunResult]) -> list[str]:
    """Per run, the ids of the example failures (ranks only; texts are in bench/out)."""
    lines = []
    for r in results:
        if not r.failures:
            continue
        items = ", ".join(
            f"`{f['query_id']}` (product {f['ranks'][PRODUCT] or '>100'}, "
            f"best baseline {min(v for k, v in f['ranks'].items() if k in f['baselines'] and v)})"
            for f in r.failures
        )
        lines.append(f"- **{r.name}**: {items}")
    return lines


def markdown(
    results: Sequence[RunResult],
    meta: dict[str, Any],
    baselines: Sequence[str],
    previous: str = "",
) -> str:
    """The whole ``docs/relevance.md``; notes from ``previous`` are kept."""
    notes = Notes(previous)
    systems = [PRODUCT, *baselines]
    out = [
        "# Relevance benchmark",
        "",
        "How well the product's search ranks the right article, measured on public Korean and",
        "English retrieval sets through the same code path the web app uses (`kb.build_index`,",
        "then `kb.search(index, query, locale, per_page=100)`), beside two plain-Whoosh",
        "baselines indexed from the same documents and asked the same queries.",
        "",
        "- **What is measured**: nDCG@10 (linear gains), MRR@10, Recall@10 and Recall@100 over",
        "  every judged query; queries without a relevant document in the judgments are skipped.",
        "- **Data** (read by path from `../shared/data`, never copied into the project; see its",
        "  README for licences): Belebele `kor_Hang` (`belebele-ko/beir_ko`), KorQuAD 1.0 dev",
        "  (converted at run time from the raw JSON: a document per paragraph titled by its",
        "  article, each question relevant to its own paragraph), msmarco-ko-en as two",
        "  one-language BEIR sets (`beir_ko`, `beir_en`) and as **bilingual articles** (one",
        "  article per record with `ko.md` and `en.md` from the paired first positives; Korean and",
        "  English queries over one index) plus its 265-query health subset.",
        "- **Conversion**: each document becomes `<slug>/<locale>.md` with `slug = d-<id>`",
        "  (lower-cased, other characters → `-`), the title from the corpus (KorQuAD: the article",
        "  title) or else the first ~60 characters of the text (`--titles none`: a placeholder",
        "  that indexes nothing), and the text as the body",
        "  (Markdown punctuation escaped so the indexed text is exactly the source text).",
        "  The sets have no distractors beyond their own passages, so figures are high: they",
        "  compare settings, they are not records.",
        "- **Baselines**: `whoosh-standard` = Whoosh's default `StandardAnalyzer` (word tokens,",
        "  lower-case, English stop words); `hangul-bigrams` = Lucene-CJK-style Hangul/Han",
        "  bigrams plus lower-cased Latin words. Both: a plain `title` + `body` schema (all",
        "  locales of an article together), an OR of the query's analysed terms over both fields,",
        "  Whoosh's default BM25F (k1 1.2, b 0.75, equal field weights).",
        "- **Peer** (when Java is there; `bench/lucene`): Lucene 8.8 BM25, as Elasticsearch 7 /",
        "  OpenSearch 1 run it. One field per locale holding title + text: Korean with",
        "  `KoreanAnalyzer()` (ES `nori`: decompound discard, default stop tags), English with",
        "  `EnglishAnalyzer()` (Porter); a query is an OR of its analysed terms (Lucene's",
        "  `QueryBuilder`, as an ES `match` query) in the field of its locale (bilingual",
        "  articles: the Korean or the English side). `lucene` = k1 1.2, b 0.75;",
        "  `lucene-0.9-0.4` = k1 0.9, b 0.4 (same index).",
        "- **Reference figures from issue 4** (plain BM25, OR over all terms; Belebele / KorQuAD /",
        "  msmarco-ko / msmarco-en): word tokens 0.61 / 0.84 / 0.63 / 0.88; Hangul bigrams",
        "  0.88 / 0.96 / 0.82; Kiwi morphemes 0.89 / 0.96 / 0.89; Kiwi plus a bigram field",
        "  weighted 0.3: 0.92 / 0.97 / 0.90; English with Porter stemming: msmarco-en 0.91.",
        "  **Targets** (nDCG@10): Belebele-ko ≥ 0.925, KorQuAD ≥ 0.97, msmarco-ko ≥ 0.905,",
        "  msmarco-en ≥ 0.92 (applied to both the one-language and the bilingual msmarco runs):",
        "  the *absolute target* column. Issue 10 adds the intent set (≥ 0.9), the",
        "  cross-language runs (≥ 0.55) and a *lead over Lucene* of at least +0.03 nDCG@10 over",
        "  the better of its two settings.",
        "",
        "## Reproduce",
        "",
        "```sh",
        meta["command"],
        "```",
        "",
        f"Measured {meta['date']} at `{meta['revision']}` on {meta['machine']}; "
        f"total wall time {meta['total_seconds'] / 60:.1f} min. {meta['limits']}",
        "",
        "## Summary",
        "",
        *summary_table(results, baselines),
        *versus_table(results),
        *notes.take(),
        "## Results per run",
        "",
    ]
    for r in results:
        sample = f", a seeded sample of {r.queries} of {r.sampled_from}" if r.sampled_from else ""
        out += [
            f"### {r.name}",
            "",
            f"Corpus `{r.corpus}`, {r.locale} queries{sample}"
            + (f"; {r.note}" if r.note else "")
            + f". Target: {verdict(r)}.",
            "",
            *run_table(r, systems),
        ]
    built = [s for s in systems if any(s in row for row in meta["builds"].values())]
    out += ["## Index build time", "", "| corpus | documents | " + " | ".join(built) + " |"]
    out += ["|---|---|" + "---|" * len(built)]
    for corpus, row in meta["builds"].items():
        cells = " | ".join(f"{row[s]:.1f} s" if s in row else "–" for s in built)
        out.append(f"| {corpus} | {row['documents']} | {cells} |")
    out += [
        "",
        "## Ranking experiments",
        "",
        "The product's ranking with other search parameters: each variant is",
        "`replace(kb.DEFAULTS, …)` passed to `kb.searching.find` (`bench/variants.py` lists them;",
        "nothing in `kb/` is patched). `kb` is the shipped ranking. `/bm25f` re-sorts the same",
        "matches by BM25F score alone; `/cov2` by score × coverage² (with the coverage the",
        "ranking reports). `bigramX` = `bigram_score_boost` X, `title1` / `title4` = field",
        "weights, `bm25-k-b` = BM25F k1 and b (Whoosh's default 1.2 / 0.75), `lucene-idf` =",
        "Lucene's idf, `recallX` = `bigram_recall_boost` X, `headX` = `compound_head_boost` X,",
        "`weak1.0` = weak evidence in full,",
        "`cov1` = coverage to the first power, `boosterX` = booster share, `ubiqX` =",
        "`ubiquitous_share` X (1.0: a match by the commonest words counts); hybrid: `semX` =",
        "`semantic_weight`, `semkoX` = `semantic_weight_korean`, `minsimX` =",
        "`semantic_min_similarity`, `fcovX` =",
        "`fused_coverage_power`, `uncX` = `semantic_uncovered_boost`, `candX` =",
        "`semantic_candidates`, `wordsX` = `semantic_content_weight`; `a+b` combines.",
        f"Measured tree: {meta.get('settings', '?')}. The number of queries (a seeded",
        "sample when `--variant-limit` is given) is in each column's header; best in bold.",
        "",
    ]
    for metric, label in (("ndcg@10", "nDCG@10"), ("mrr@10", "MRR@10")):
        for group in title_groups(results):
            out += [f"{label}{group[0]}:", "", *variant_table(group[1], metric)]
    out += [
        "## Failure examples",
        "",
        "Queries the product ranks badly while a baseline ranks the relevant document first",
        "(worst first; ids only: the texts, parsed terms and competing documents are written",
        "to `bench/out/relevance-failures.md` by each run).",
        "",
        *failure_ids(results),
        "",
        *notes.rest(),
    ]
    return "\n".join(out)


def failures_markdown(results: Sequence[RunResult]) -> str:
    """Failure details with query and document texts: scratch output, not for the repo."""
    out = ["# Relevance failures (scratch: contains data-set text, do not commit)", ""]
    for r in results:
        out += [f"## {r.name}", ""]
        for f in r.failures:
            ranks = ", ".join(f"{k} {v or '>100'}" for k, v in f["ranks"].items())
            out += [
                f"### `{f['query_id']}` — {f['query']}",
                "",
                f"- ranks of the first relevant document: {ranks}",
                f"- parsed: {f['parsed']}",
                f"- relevant `{f['relevant']['id']}` (score {f['relevant']['score']}, coverage "
                f"{f['relevant']['coverage']}): {f['relevant']['text']}",
            ]
            out += [
                f"- product #{i + 1} `{d['id']}` (score {d['score']}, coverage {d['coverage']}): "
                f"{d['text']}"
                for i, d in enumerate(f["top"])
            ]
            out.append("")
    return "\n".join(out)
