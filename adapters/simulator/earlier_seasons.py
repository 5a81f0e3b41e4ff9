"""Several seasons in one store: the 2020 season, and the same season for the years before it.

The foundation runs its operations every year; an auditor in 2030 holds ten seasons.
Season ``k`` (``k`` = 1, 2, ...) is the 2020 plan ``k`` years earlier: every date and
time moved back ``k`` years, and every name that carries the year (``marhaba-2020``,
``covid-19-2020``, ``ramadan-1441``, a receipt's date) carries that season's year, so each
season has its own campaign, operation and appeal beside the others. Earlier years, not
later ones: a later season would be dated in the future, which the services refuse.
The names a donations officer gives without a year (receipts, delivery notes, the special
fund) get the season's year appended, as a new year's books would number them afresh.
The households are the same people, as they are from one year to the next.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from adapters.simulator.season import Plan
from adapters.simulator.steps import UNCHANGED, Step

YEAR, HIJRI_YEAR = "2020", "1441"
WHOLE_YEAR = re.compile(rf"(?<!\d){YEAR}(?!\d)")
WHOLE_HIJRI_YEAR = re.compile(rf"(?<!\d){HIJRI_YEAR}(?!\d)")
# The plan's names that are numbered afresh each year but do not carry the year.
NUMBERED_EACH_YEAR = re.compile(r"r-\d+|(ar-)?bl-[a-z]-\d+|covid-19-special-fund")
REGISTERED_ONCE = frozenset({"open_store", "register_donor"})
# Figures of the donations totals, which are store-wide: they hold every season's gifts.
STORE_WIDE = frozenset({"in-kind gifts (MAD)", "Beirut airlift (t)"})


class Seasons:
    """``count`` seasons, the earliest first, so the history grows in time order.

    ``season`` makes the plan afresh for each year: a plan's noise is drawn as its steps
    are, so walking the same plan twice does not give the same steps.
    """

    def __init__(self, season: Callable[[], Plan], count: int) -> None:
        if count < 1:
            raise ValueError("count: at least one season")
        self.season = season
        self.count = count

    def steps(self) -> Iterator[Step]:
        for years_back in range(self.count - 1, -1, -1):
            again = years_back < self.count - 1
            for step in self.season().steps():
                moved = earlier(step, years_back) if years_back else step
                yield again_next_year(moved) if again else moved


def again_next_year(step: Step) -> Step:
    """A store or donor registered again a year later is already there: ``unchanged``."""
    if step.kind in REGISTERED_ONCE:
        return replace(step, expect={UNCHANGED: sum(step.expect.values())})
    return step


def earlier(step: Step, years: int) -> Step:
    """The step as it would have been sent ``years`` years before."""
    return replace(step, target=_moved(step.target, years), body=_moved(step.body, years))


def _moved(value: Any, years: int) -> Any:
    kind = type(value)
    if kind is str:
        year = str(int(YEAR) - years)
        if NUMBERED_EACH_YEAR.fullmatch(value):
            return f"{value}-{year}"
        value = WHOLE_YEAR.sub(year, value)  # a year, never digits of an ID ("FES-003-002020")
        return WHOLE_HIJRI_YEAR.sub(str(int(HIJRI_YEAR) - years), value)
    if kind is datetime or kind is date:
        return value.replace(year=value.year - years)
    if kind is dict:
        return {key: _moved(item, years) for key, item in value.items()}
    if kind is list or kind is tuple:
        return kind(_moved(item, years) for item in value)
    return value
