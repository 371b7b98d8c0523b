"""The benchmark's statistics: how sure a measured lead over the peer is."""

from __future__ import annotations

import pytest

from bench.metrics import paired_interval


def test_a_lead_every_query_shares_has_no_spread() -> None:
    low, high = paired_interval([0.9] * 50, [0.8] * 50)
    assert low == pytest.approx(0.1) and high == pytest.approx(0.1)


@pytest.mark.parametrize(("queries", "widest"), [(1000, 0.025), (4000, 0.013)])
def test_a_lead_a_few_queries_make_is_uncertain_and_more_queries_narrow_it(
    queries: int, widest: float
) -> None:
    """30 queries in 1,000 won outright is a lead of 0.03, give or take about 0.01: a sample
    of 1,000 cannot tell +0.029 from +0.031; four times the queries halve the interval."""
    won = queries * 3 // 100
    mine = [1.0] * won + [0.5] * (queries - won)
    theirs = [0.0] * won + [0.5] * (queries - won)
    low, high = paired_interval(mine, theirs)
    assert low < 0.03 < high
    assert high - low < widest
    assert high - low > widest / 4
    assert paired_interval(mine, theirs) == (low, high)  # seeded: the report is reproducible
