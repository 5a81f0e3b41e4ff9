"""Spread facts read back as the cell-by-cell counts they stand for."""

from __future__ import annotations

from projections.tally import Delta, Spread, table_from_delta

SERVED = Spread(("campaign", "committee"), ("households", "people"))


def test_a_spread_fact_counts_each_measure_in_each_place() -> None:
    spread, cells = Delta(), Delta()
    for committee, size in (("c1", 4), ("c2", 3), ("c1", 5)):
        spread.add_spread(SERVED, "s", ("", committee), (1, size))
        for dimension, member in (("campaign", ""), ("committee", committee)):
            cells.add("s", dimension, member, "households", 1)
            cells.add("s", dimension, member, "people", size)
    spread.add("s", "campaign", "", "people", 10)
    cells.add("s", "campaign", "", "people", 10)
    assert spread.counts == cells.counts
    assert table_from_delta(spread, "s").value("campaign", "", "people") == 4 + 3 + 5 + 10
    assert table_from_delta(spread, "s").value("committee", "c1", "households") == 2


def test_spread_facts_merge_and_keep_counting_after_being_read() -> None:
    first, second = Delta(), Delta()
    first.add_spread(SERVED, "s", ("", "c1"), (1, 4))
    assert len(first) == 4
    first.add_spread(SERVED, "s", ("", "c1"), (-1, -4))
    second.add_spread(SERVED, "s", ("", "c1"), (1, 2))
    first.merge(second)
    assert first.counts[("s", "committee", "c1", "people")] == 2
