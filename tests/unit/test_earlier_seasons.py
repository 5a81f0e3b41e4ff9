"""Earlier seasons: the 2020 plan moved back whole years, each season named for its year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from adapters.simulator.earlier_seasons import Seasons, earlier
from adapters.simulator.season import plan
from adapters.simulator.steps import UNCHANGED, Step, batch, command
from benchmarks.season import seasons_of

AT = datetime(2020, 4, 28, 9, 30, tzinfo=UTC)


def test_a_step_moves_back_its_times_and_the_names_that_carry_the_year() -> None:
    step = batch(
        "deliveries",
        ("ramadan-1441",),
        [{"delivery_id": "d-2020-1", "household": "FES-003-002020", "delivered_at": AT, "n": 4}],
        recorded=1,
    )
    moved = earlier(step, 3)
    assert moved.target == ("ramadan-1438",)
    (item,) = moved.items
    assert item == {
        "delivery_id": "d-2017-1", "household": "FES-003-002020",
        "delivered_at": datetime(2017, 4, 28, 9, 30, tzinfo=UTC), "n": 4,
    }  # fmt: skip
    assert moved.expect == step.expect and step.items[0]["delivered_at"] == AT  # not mutated


def test_names_numbered_afresh_each_year_get_the_year() -> None:
    body = {"receipt": "r-007", "dispatch": "bl-h-001", "reference": "ar-bl-h-001"}
    body |= {"fund": "covid-19-special-fund", "donor": "mohsin-4", "on": date(2020, 4, 20)}
    moved = earlier(command("record_in_kind", ("r-007",), body), 1)
    assert moved.target == ("r-007-2019",)
    assert moved.body == {
        "receipt": "r-007-2019", "dispatch": "bl-h-001-2019", "reference": "ar-bl-h-001-2019",
        "fund": "covid-19-special-fund-2019", "donor": "mohsin-4", "on": date(2019, 4, 20),
    }  # fmt: skip


def test_seasons_come_earliest_first_and_registrations_once() -> None:
    season = plan(0.0005, seed=3)
    one: list[Step] = list(season.steps())
    three = list(Seasons(lambda: plan(0.0005, seed=3), 3).steps())
    assert len(three) == 3 * len(one)
    assert [s.target for s in three[2 * len(one) :]] == [s.target for s in one]  # 2020 last
    first_launch = next(s for s in three if s.kind == "launch_operation")
    assert first_launch.body["slug"] == "marhaba-2018"
    again = [s for s in three[len(one) :] if s.kind in ("open_store", "register_donor")]
    assert again and all(s.expect == {UNCHANGED: 1} for s in again)
    with pytest.raises(ValueError, match="count"):
        Seasons(lambda: season, 0)


def test_scales_above_one_are_whole_seasons() -> None:
    assert seasons_of(0.2) == (0.2, 1)
    assert seasons_of(1) == (1, 1)
    assert seasons_of(10) == (1.0, 10)
    with pytest.raises(ValueError, match="whole number of seasons"):
        seasons_of(2.5)
