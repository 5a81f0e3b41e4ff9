"""The Ramadan 1441 food-aid operation as the field sends it (FACTS-2020 §1).

Quotas share the households among all 75 provinces; each province has local
committees (``ramadan_committees``), stocked before the first delivery. A
committee syncs its deliveries in batches, in the order it made them; the
batches of all committees reach the ledger interleaved by time, some late
(``ramadan_deliveries``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from adapters.simulator.apportion import largest_remainders
from adapters.simulator.enrolment import enrolment_steps
from adapters.simulator.noise import Noise
from adapters.simulator.ramadan_committees import Committee, committees_of
from adapters.simulator.ramadan_deliveries import CAMPAIGN, Deliveries
from adapters.simulator.ramadan_plan import Sync
from adapters.simulator.steps import Step, command
from adapters.simulator.weights import POPULATION_THOUSANDS
from domain.geography import PROVINCES

LAUNCHED, ENDS = date(2020, 4, 25), date(2020, 5, 23)
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
            "admission": "listed",  # 2020: households selected before the first kit left
        }
        yield command("launch_campaign", (), launch)
        yield command("launch_campaign", (), launch, fresh=False)
        yield from self.quota_steps(rng)
        for c in self.committees.values():
            yield command("register_committee", (CAMPAIGN,), self.registration(c))
        yield from enrolment_steps(self)
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


__all__ = ["CAMPAIGN", "Committee", "Deliveries", "RamadanPlan", "Sync"]
