"""Local committees of the Ramadan operation: how many per province, their households, their days.

A committee serves about 2,500 households over a few working days; its
deliveries are computed from (committee, index) alone, so a batch, a resend or
a correction never needs the others kept in memory. A few committees fall silent
for a day in the middle of their work (the completeness view must find them): the
second half of their deliveries comes two days later (the day between is silent),
so every total stays the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from adapters.simulator.apportion import largest_remainders
from adapters.simulator.timeline import CASABLANCA

FIRST_DAY, LAST_DAY = date(2020, 4, 27), date(2020, 5, 20)
WORKDAY_MINUTES = 9 * 60  # committees deliver from 09:00 to 18:00, local time
SILENT_SHARE = 0.04  # committees with one silent day between their first and last
HOUSEHOLDS_PER_COMMITTEE = 2_500
# Share of households per size (people), mean 4.98: "about 5 people per household".
SIZE_WEIGHTS = {1: 4, 2: 10, 3: 14, 4: 17, 5: 18, 6: 14, 7: 9, 8: 6, 9: 4, 10: 2, 11: 1, 12: 1}


@dataclass(frozen=True, slots=True)
class Committee:
    code: str
    province: str
    households: int
    first_day: date
    days: int
    sizes: list[int] = field(repr=False)
    silent_day: bool = False  # the second half of its deliveries two days later

    def household(self, index: int) -> str:
        return f"{self.code.upper()}-{index:06d}"

    def moment(self, index: int) -> datetime:
        """Deliveries spread evenly over the committee's working hours, in order."""
        minute = index * self.days * WORKDAY_MINUTES // self.households
        day = self.first_day + timedelta(days=minute // WORKDAY_MINUTES)
        if self.silent_day and 2 * index >= self.households:
            day += timedelta(days=2)
        start = datetime.combine(day, time(9), tzinfo=CASABLANCA)
        return start + timedelta(minutes=minute % WORKDAY_MINUTES, seconds=index % 60)

    def item(self, index: int) -> dict[str, Any]:
        return {
            "delivery_id": f"{self.code}:{index:06d}",
            "committee": self.code,
            "household": self.household(index),
            "household_size": self.sizes[index],
            "delivered_at": self.moment(index),
        }


def committees_of(province: str, quota: int, seed: int) -> list[Committee]:
    count = max(1, (quota + HOUSEHOLDS_PER_COMMITTEE // 2) // HOUSEHOLDS_PER_COMMITTEE)
    codes = [f"{province[3:].lower()}-{n:03d}" for n in range(1, count + 1)]
    shares = largest_remainders(quota, dict.fromkeys(codes, 1))
    window = (LAST_DAY - FIRST_DAY).days + 1
    made = []
    for code in codes:
        rng = random.Random(f"{seed}/committee/{code}")
        first = rng.randrange(4)
        per_day = rng.randrange(350, 900)
        days = min(window - first, max(1, -(-shares[code] // per_day)))
        sizes = rng.choices(list(SIZE_WEIGHTS), list(SIZE_WEIGHTS.values()), k=shares[code])
        # Drawn last, so every committee keeps the days and households it had before.
        silent = rng.random() < SILENT_SHARE and shares[code] >= 2 and first + days + 1 < window
        made.append(
            Committee(
                code, province, shares[code], FIRST_DAY + timedelta(first), days, sizes, silent
            )
        )
    return made
