"""The benchmark's statistics: how sure a measured lead over the peer is."""

from __future__ import annotations

import pytest

from bench.metrics import paired_interval


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
