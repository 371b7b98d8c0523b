"""nDCG@k, MRR@k and Recall@k with graded judgments, as trec_eval and BEIR define them.

Gains are linear (``rel`` itself, not ``2**rel - 1``); a judgment of 0 or less is not relevant.
Queries without any relevant document are skipped by the caller.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

METRICS = ("ndcg@10", "mrr@10", "recall@10", "recall@100")


def dcg(gains: Iterable[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: Sequence[str], rels: Mapping[str, int], k: int) -> float:
    """DCG of the top ``k`` over the DCG of the ideal order of all judged documents."""
    ideal = dcg(sorted((r for r in rels.values() if r > 0), reverse=True)[:k])
    return dcg(max(rels.get(d, 0), 0) for d in ranked[:k]) / ideal if ideal else 0.0


def mrr_at(ranked: Sequence[str], rels: Mapping[str, int], k: int) -> float:
    """1 / rank of the first relevant document in the top ``k`` (0 when there is none)."""
    return next((1.0 / (i + 1) for i, d in enumerate(ranked[:k]) if rels.get(d, 0) > 0), 0.0)


def recall_at(ranked: Sequence[str], rels: Mapping[str, int], k: int) -> float:
    """Share of the relevant documents found in the top ``k``."""
    relevant = {d for d, r in rels.items() if r > 0}
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def first_relevant(ranked: Sequence[str], rels: Mapping[str, int]) -> int | None:
    """1-based rank of the first relevant document, None when none was returned."""
    return next((i + 1 for i, d in enumerate(ranked) if rels.get(d, 0) > 0), None)


def score_query(ranked: Sequence[str], rels: Mapping[str, int]) -> dict[str, float]:
    """Every metric of :data:`METRICS` for one query."""
    return {
        "ndcg@10": ndcg_at(ranked, rels, 10),
        "mrr@10": mrr_at(ranked, rels, 10),
        "recall@10": recall_at(ranked, rels, 10),
        "recall@100": recall_at(ranked, rels, 100),
    }


def mean_scores(per_query: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Per-metric means over queries (0 for an empty list)."""
    rows = list(per_query)
    return {m: sum(r[m] for r in rows) / len(rows) if rows else 0.0 for m in METRICS}


def paired_interval(
    mine: Sequence[float], theirs: Sequence[float], level: float = 0.95, resamples: int = 2000
) -> tuple[float, float]:
    """A seeded paired bootstrap interval of ``mean(mine - theirs)`` over the same queries:
    how far a lead measured on a sample of queries may be from the lead on all of them."""
    differences = np.asarray(mine, dtype=float) - np.asarray(theirs, dtype=float)
    if not len(differences):
        return (0.0, 0.0)
    picks = np.random.default_rng(0).integers(0, len(differences), (resamples, len(differences)))
    means = differences[picks].mean(axis=1)
    tail = (1 - level) / 2
    return float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail))


def best_of(per_ranking: Mapping[str, Mapping[str, float]]) -> tuple[float, int, int]:
    """Over the queries every ranking answered: the mean of each query's best score, how many
    queries no ranking scores 1, and how many queries. The most any choice among these
    rankings, query by query, could reach: a ceiling for fusing them, not a result."""
    if not per_ranking:
        return 0.0, 0, 0
    queries = set.intersection(*(set(rows) for rows in per_ranking.values()))
    best = [max(rows[q] for rows in per_ranking.values()) for q in sorted(queries)]
    if not best:
        return 0.0, 0, 0
    return sum(best) / len(best), sum(1 for b in best if b < 1.0), len(best)
