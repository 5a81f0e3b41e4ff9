"""Periods and levels of the approval workflows."""

from __future__ import annotations

from datetime import date

import pytest

from domain.approval.workflow import (
    DONATIONS,
    MARHABA,
    RAMADAN,
    Period,
    check_period,
    days_of,
    period_of,
)
from domain.errors import DomainError


def test_a_day_falls_in_its_day_iso_week_and_month() -> None:
    sunday = date(2020, 4, 26)
    assert period_of(sunday, Period.DAY) == "2020-04-26"
    assert period_of(sunday, Period.WEEK) == "2020-W17"
    assert period_of(sunday, Period.MONTH) == "2020-04"
    assert period_of(date(2021, 1, 1), Period.WEEK) == "2020-W53"  # ISO weeks cross years


def test_a_period_lists_its_days() -> None:
    week = days_of("2020-W17", Period.WEEK)
    assert (week[0], week[-1], len(week)) == (date(2020, 4, 20), date(2020, 4, 26), 7)
    assert len(days_of("2020-02", Period.MONTH)) == 29
    assert days_of("2020-12", Period.MONTH)[-1] == date(2020, 12, 31)
    for day in week:
        assert period_of(day, Period.WEEK) == "2020-W17"


@pytest.mark.parametrize(
    ("key", "period"),
    [("2020-4-26", Period.DAY), ("2020-02-30", Period.DAY), ("2020-W54", Period.WEEK),
     ("2020-13", Period.MONTH), ("2020-W17", Period.DAY)],
)  # fmt: skip
def test_a_malformed_period_names_the_field(key: str, period: Period) -> None:
    with pytest.raises(DomainError) as refused:
        check_period(key, period)
    assert refused.value.field == "period"


def test_each_operation_climbs_its_own_levels() -> None:
    assert [level.name for level in RAMADAN.levels] == [
        "committee", "province", "region", "national",
    ]  # fmt: skip
    assert [level.name for level in MARHABA.levels] == ["site", "operation"]
    assert [level.name for level in DONATIONS.levels] == ["store", "national"]
    assert (MARHABA.periods, DONATIONS.periods) == ((Period.DAY,), (Period.MONTH,))
    assert RAMADAN.below("committee") is None and RAMADAN.above("national") is None
    assert RAMADAN.above("province") == RAMADAN.level("region")
