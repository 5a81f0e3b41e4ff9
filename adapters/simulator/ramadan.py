"""The Ramadan 1441 food-aid operation as the field sends it (FACTS-2020 §1).

Quotas share the households among all 75 provinces; each province has local
committees of about 2,500 households, stocked before the first delivery. A
committee syncs its deliveries in batches, in the order it made them; the
batches of all committees reach the ledger interleaved by time, some late.
Items are computed from (committee, index) alone, so a batch, a resend or a
correction never needs the others kept in memory.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from adapters.simulator.apportion import largest_remainders
from adapters.simulator.noise import Noise
from adapters.simulator.steps import Step, batch, command
from adapters.simulator.weights import POPULATION_THOUSANDS
from domain.geography import PROVINCES

CASABLANCA = ZoneInfo("Africa/Casablanca")
CAMPAIGN = "ramadan-1441"
LAUNCHED, ENDS = date(2020, 4, 25), date(2020, 5, 23)
FIRST_DAY, LAST_DAY = date(2020, 4, 27), date(2020, 5, 20)
WORKDAY_MINUTES = 9 * 60  # committees deliver from 09:00 to 18:00, local time
HOUSEHOLDS_PER_COMMITTEE = 2_500
# Share of households per size (people), mean 4.98: "about 5 people per household".
SIZE_WEIGHTS = {1: 4, 2: 10, 3: 14, 4: 17, 5: 18, 6: 14, 7: 9, 8: 6, 9: 4, 10: 2, 11: 1, 12: 1}
KIT = [
    {"item": "flour", "quantity": "10", "unit": "kg"},
    {"item": "sugar", "quantity": "4", "unit": "kg"},
    {"item": "vegetable oil", "quantity": "5", "unit": "l"},
    {"item": "tea", "quantity": "0.5", "unit": "kg"},
    {"item": "rice", "quantity": "2", "unit": "kg"},
    {"item": "pasta", "quantity": "2", "unit": "kg"},
    {"item": "lentils", "quantity": "1", "unit": "kg"},
    {"item": "tomato concentrate", "quantity": "1", "unit": "kg"},
]
REVERSAL_DELAY = 2  # batches between a delivery and its reversal
RECENT = 64  # batches another committee's mistaken attempt may pick a household from


@dataclass(frozen=True, slots=True)
class Committee:
    code: str
    province: str
    households: int
    first_day: date
    days: int
    sizes: list[int] = field(repr=False)

    def household(self, index: int) -> str:
        return f"{self.code.upper()}-{index:06d}"

    def moment(self, index: int) -> datetime:
        """Deliveries spread evenly over the committee's working hours, in order."""
        minute = index * self.days * WORKDAY_MINUTES // self.households
        day = self.first_day + timedelta(days=minute // WORKDAY_MINUTES)
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
        made.append(
            Committee(code, province, shares[code], FIRST_DAY + timedelta(first), days, sizes)
        )
    return made


@dataclass(frozen=True, slots=True, order=True)
class Sync:
    """One batch as a committee sends it: when it reaches the ledger, and which items."""

    sent_at: datetime
    code: str
    start: int
    end: int


class RamadanPlan:
    def __init__(self, households: int, seed: int, noise: Noise, batch_size: int) -> None:
        self.households = households
        self.seed = seed
        self.noise = noise
        self.batch_size = batch_size
        self.quotas = largest_remainders(households, POPULATION_THOUSANDS, minimum=1)
        self.committees = {
            c.code: c
            for province in sorted(self.quotas)
            for c in committees_of(province, self.quotas[province], seed)
        }
        self.units = households

    def steps(self) -> Iterator[Step]:
        yield from self.setup()
        yield from Deliveries(self).steps()

    # -- before the first delivery ---------------------------------------------
    def setup(self) -> Iterator[Step]:
        rng = random.Random(f"{self.seed}/ramadan/setup")
        launch = {
            "slug": CAMPAIGN,
            "name": "Opération Ramadan 1441 (21e édition)",
            "starts_on": LAUNCHED,
            "ends_on": ENDS,
            "target_households": self.households,
            "budget_mad": Decimal("85000000.00"),
            "kit_contents": KIT,
        }
        yield command("launch_campaign", (), launch)
        yield command("launch_campaign", (), launch, fresh=False)
        yield from self.quota_steps(rng)
        for c in self.committees.values():
            yield command("register_committee", (CAMPAIGN,), self.registration(c))
        for c in self.committees.values():
            yield from self.stock_steps(c, rng)

    def quota_steps(self, rng: random.Random) -> Iterator[Step]:
        typos = set(rng.sample(sorted(self.quotas), self.noise.wrong_quota))
        for province, quota in self.quotas.items():
            if province in typos and quota >= 10:
                low = {"households": quota - quota // 10}
                yield command("set_quota", (CAMPAIGN, province), low)
            yield command("set_quota", (CAMPAIGN, province), {"households": quota})

    @staticmethod
    def registration(c: Committee) -> dict[str, Any]:
        place = PROVINCES[c.province]
        return {
            "code": c.code,
            "name": f"Comité local {place.name_fr} {c.code[-3:]}",
            "province": c.province,
            "commune": f"{place.name_fr} — secteur {int(c.code[-3:])}",
        }

    def stock_steps(self, c: Committee, rng: random.Random) -> Iterator[Step]:
        first = max(1, c.households * 7 // 10)
        notes = [("bl-1", first), ("bl-2", c.households - first)]
        for reference, quantity in notes:
            if quantity > 0:
                body = {"quantity": quantity, "reference": reference}
                yield command("dispatch_kits", (CAMPAIGN, c.code), body)
                if rng.random() < self.noise.command_resend:
                    yield command("dispatch_kits", (CAMPAIGN, c.code), body, fresh=False)

    # -- the order batches reach the ledger -----------------------------------------
    def syncs(self) -> list[Sync]:
        rng = random.Random(f"{self.seed}/ramadan/syncs")
        syncs = []
        for c in self.committees.values():
            for start in range(0, c.households, self.batch_size):
                end = min(start + self.batch_size, c.households)
                sent_at = c.moment(end - 1) + timedelta(minutes=30)
                if rng.random() < self.noise.late_batch:
                    sent_at += timedelta(days=rng.randint(1, 3))
                syncs.append(Sync(sent_at, c.code, start, end))
        return sorted(syncs)


class Deliveries:
    """Walks the syncs in arrival order, adding the field's resends and mistakes."""

    def __init__(self, plan: RamadanPlan) -> None:
        self.plan = plan
        self.noise = plan.noise
        self.rng = random.Random(f"{plan.seed}/ramadan/deliveries")
        self.previous: dict[str, Sync] = {}
        self.recent: deque[Sync] = deque(maxlen=RECENT)
        self.reversed: set[tuple[str, int]] = set()
        self.deferred: deque[tuple[int, list[Step]]] = deque()
        self.sent = 0
        self.mistakes = 0

    def steps(self) -> Iterator[Step]:
        for sync in self.plan.syncs():
            yield from self.send(sync)
            self.sent += 1
            while self.deferred and self.deferred[0][0] <= self.sent:
                yield from self.deferred.popleft()[1]
        for _, steps in self.deferred:
            yield from steps

    def send(self, sync: Sync) -> Iterator[Step]:
        c = self.plan.committees[sync.code]
        items = [c.item(i) for i in range(sync.start, sync.end)]
        resent = self.resent_items(sync.code)
        attempts = self.other_committee_attempt(c, sync)
        everything = items + resent + attempts
        target = (CAMPAIGN,)
        yield batch(
            "deliveries",
            target,
            everything,
            recorded=len(items),
            duplicate=len(resent),
            rejected=len(attempts),
            units=len(items),
        )
        if self.rng.random() < self.noise.batch_resend:
            yield batch(
                "deliveries",
                target,
                everything,
                recorded=0,
                duplicate=len(items) + len(resent),
                rejected=len(attempts),
            )
        self.choose_reversals(c, sync)
        self.previous[sync.code] = sync
        self.recent.append(sync)

    def resent_items(self, code: str) -> list[dict[str, Any]]:
        before = self.previous.get(code)
        if before is None or self.rng.random() >= self.noise.item_resend:
            return []
        c = self.plan.committees[code]
        span = range(before.start, before.end)
        picks = self.rng.sample(span, min(len(span), self.rng.randint(1, 5)))
        return [c.item(i) for i in picks if (code, i) not in self.reversed]

    def other_committee_attempt(self, c: Committee, sync: Sync) -> list[dict[str, Any]]:
        """A household already served elsewhere, tried again by this committee: refused."""
        others = [s for s in self.recent if s.code != c.code]
        if not others or self.rng.random() >= self.noise.other_committee:
            return []
        other = self.rng.choice(others)
        index = self.rng.randrange(other.start, other.end)
        if (other.code, index) in self.reversed:
            return []
        served = self.plan.committees[other.code]
        self.mistakes += 1
        return [
            {
                "delivery_id": f"{c.code}:x{self.mistakes:05d}",
                "committee": c.code,
                "household": served.household(index),
                "household_size": served.sizes[index],
                "delivered_at": c.moment(sync.start),
            }
        ]

    def choose_reversals(self, c: Committee, sync: Sync) -> None:
        expected = (sync.end - sync.start) * self.noise.reversal
        count = int(expected) + (self.rng.random() < expected - int(expected))
        for index in self.rng.sample(range(sync.start, sync.end), count):
            self.reversed.add((c.code, index))
            self.deferred.append((self.sent + REVERSAL_DELAY, self.reversal(c, index)))

    @staticmethod
    def reversal(c: Committee, index: int) -> list[Step]:
        """Reversed (the kit was not handed over), then delivered again the next day."""
        original = c.item(index)
        reason = {"reason": "kit recorded but not handed over: household absent"}
        again = {
            **original,
            "delivery_id": f"{original['delivery_id']}:r",
            "delivered_at": original["delivered_at"] + timedelta(days=1),
        }
        return [
            command("reverse_delivery", (CAMPAIGN, original["delivery_id"]), reason),
            batch("deliveries", (CAMPAIGN,), [again], recorded=1),
        ]
