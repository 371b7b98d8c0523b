"""The benchmark's statistics: how sure a measured lead over the peer is, and how far fusing
the measured rankings could go."""

from __future__ import annotations

import pytest

from bench.ceiling import ceiling_lines, rankings_of
from bench.metrics import best_of, paired_interval


def test_a_lead_every_query_shares_has_no_spread() -> None:
    low, high = paired_interval([0.9] * 50, [0.8] * 50)
    assert low == pytest.approx(0.1) and high == pytest.approx(0.1)


def a_lead_of_three_in_a_hundred(queries: int) -> tuple[list[float], list[float]]:
    """3 % of the queries won outright, the rest tied: a lead of 0.03."""
    won = queries * 3 // 100
    return [1.0] * won + [0.5] * (queries - won), [0.0] * won + [0.5] * (queries - won)


def test_a_lead_a_few_queries_make_is_uncertain_and_more_queries_narrow_it() -> None:
    """A lead of 0.03 on 1,000 queries is give or take about 0.01, so a sample of 1,000 cannot
    tell +0.029 from +0.031; four times the queries halve the interval."""
    low, high = paired_interval(*a_lead_of_three_in_a_hundred(1000))
    assert low < 0.025 and high > 0.035
    more_low, more_high = paired_interval(*a_lead_of_three_in_a_hundred(4000))
    assert more_low < 0.03 < more_high
    assert (more_high - more_low) < 0.6 * (high - low)
    again = paired_interval(*a_lead_of_three_in_a_hundred(1000))
    assert again == (low, high)  # seeded: the report is reproducible


def test_the_ceiling_takes_each_querys_best_ranking_over_the_queries_all_answered() -> None:
    """Two rankings that each get a different query right reach both together; a query one
    ranking did not answer (a variant's smaller sample) is left out, not counted as 0."""
    words = {"q1": 1.0, "q2": 0.5, "q3": 0.0, "q4": 1.0}
    meaning = {"q1": 0.0, "q2": 1.0, "q3": 0.0}
    score, imperfect, queries = best_of({"words": words, "meaning": meaning})
    assert (score, imperfect, queries) == (pytest.approx(2 / 3), 1, 3)
    assert best_of({"words": words}) == (pytest.approx(2.5 / 4), 2, 4)
    assert best_of({}) == (0.0, 0, 0)


def test_the_ceiling_tells_two_encoders_hybrid_rankings_apart_and_keeps_the_peer_once() -> None:
    def per_query(embedding: str, hybrid: float) -> dict[str, object]:
        rows = {"kb": {"q1": hybrid, "q2": 1 - hybrid}, "lucene": {"q1": 0.5, "q2": 0.5}}
        return {"embedding": embedding, "runs": {"korquad": rows}}

    files = [per_query("use", 1.0), per_query("e5", 0.0)]
    rankings = rankings_of(files, "korquad")
    assert set(rankings) == {"kb [use]", "kb [e5]", "lucene"}
    report = "\n".join(ceiling_lines("korquad", rankings))
    assert "| **best per query, the product's rankings** | **1.0000** | 0 of 2 |" in report
    assert "| lucene | 0.5000 |" in report
