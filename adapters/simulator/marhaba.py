"""Marhaba 2020, the exceptional edition, as its 13 reception sites send it (FACTS-2020 §2).

Arrivals and departures are counted at Moroccan airports and ports, per flight
or crossing, in one batch per site and day; the seasonal workers' repatriation
is one group movement. The sites abroad (Sète, Genoa, Orly) count no
movements, so nobody is counted twice; like every site they open assistance
cases. Some counts are keyed wrong and corrected by an adjustment later.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from adapters.simulator.apportion import largest_remainders
from adapters.simulator.figures import Targets
from adapters.simulator.marhaba_cases import CasePlan
from adapters.simulator.marhaba_sites import (
    COUNTED,
    DAYS,
    ENDS,
    OPERATION,
    SEA_SITES,
    SITES,
    STARTS,
    day_weights,
)
from adapters.simulator.noise import Noise
from adapters.simulator.steps import Step, batch, command
from adapters.simulator.timeline import Entry, local

WORKERS_SITE, WORKERS_DAY = "port-tanger-med", date(2020, 7, 18)


@dataclass(frozen=True, slots=True)
class Movement:
    site: str
    item: dict[str, Any]  # as first keyed, maybe miscounted
    error: int  # travellers keyed minus travellers counted; adjusted away later


@dataclass(frozen=True, slots=True, order=True)
class Sheet:
    """A site's movements of one day, as sent: at the end of the day, or days later."""

    at: datetime
    order: int
    site: str = field(compare=False)
    movements: list[Movement] = field(compare=False)


class MarhabaPlan:
    def __init__(self, targets: Targets, seed: int, noise: Noise, batch_size: int) -> None:
        self.targets = targets
        self.seed = seed
        self.noise = noise
        self.batch_size = batch_size
        self.rng = random.Random(f"{seed}/marhaba")
        self.movements = self.plan_movements()
        self.cases = CasePlan(targets.people_assisted, seed, noise)
        self.units = len(self.movements) + self.cases.count

    def steps(self) -> Iterator[Step]:
        yield from self.setup()
        timeline = sorted([*self.batches(), *self.cases.entries()])
        for entry in timeline:
            yield from entry.steps

    def setup(self) -> Iterator[Step]:
        launch = {"slug": OPERATION, "name": "Marhaba 2020", "starts_on": STARTS, "ends_on": ENDS}
        yield command("launch_operation", (), launch)
        for code, name, kind, city, country, *_ in SITES:
            body = {"code": code, "name": name, "kind": kind, "city": city, "country": country}
            yield command("register_site", (OPERATION,), body)
        yield command("launch_operation", (), launch, fresh=False)

    # -- movements ---------------------------------------------------------------
    def plan_movements(self) -> list[Movement]:
        workers = self.targets.seasonal_workers
        planned = []
        if workers:
            group = self.movement(
                WORKERS_SITE,
                "arrival",
                "seasonal-workers-huelva",
                workers,
                local(WORKERS_DAY, 10 * 60),
            )
            planned.append(group)
        for index, direction in enumerate(("arrival", "departure")):
            total = self.targets.arrivals - workers if index == 0 else self.targets.departures
            shares = largest_remainders(total, {c: w[index] for c, w in COUNTED.items()})
            for site, travellers in shares.items():
                planned += self.site_movements(site, direction, travellers)
        return planned

    def site_movements(self, site: str, direction: str, travellers: int) -> list[Movement]:
        low, high = (300, 1400) if site in SEA_SITES else (90, 280)
        weights = day_weights(direction)
        made: list[Movement] = []
        while travellers > 0:
            count = min(travellers, self.rng.randint(low, high))
            travellers -= count
            day = self.rng.choices(DAYS, weights)[0]
            moment = local(day, self.rng.randrange(6 * 60, 23 * 60))
            reference = f"{direction[:3]}-{len(made) + 1:05d}"
            made.append(self.movement(site, direction, reference, count, moment))
        return made

    def movement(
        self, site: str, direction: str, reference: str, count: int, moment: datetime
    ) -> Movement:
        error = 0
        if self.rng.random() < self.noise.miscount:
            error = self.rng.choice((-1, 1)) * self.rng.randint(1, 12)
            if count + error < 1:
                error = -error
        item = {
            "reference": reference,
            "direction": direction,
            "mode": "sea" if site in SEA_SITES else "air",
            "travellers": count + error,
            "moved_at": moment,
        }
        return Movement(site, item, error)

    def batches(self) -> Iterator[Entry]:
        """One sheet per site and day, sent that night or, offline, days later."""
        sheets: dict[tuple[str, date], list[Movement]] = {}
        for m in sorted(self.movements, key=lambda m: (m.site, m.item["moved_at"])):
            sheets.setdefault((m.site, m.item["moved_at"].date()), []).append(m)
        sending = []
        for order, ((site, day), sheet) in enumerate(sorted(sheets.items())):
            sent_at = local(day, 23 * 60 + 30)
            if self.rng.random() < self.noise.late_batch:
                sent_at += timedelta(days=self.rng.randint(1, 3))
            for start in range(0, len(sheet), self.batch_size):
                sending.append(Sheet(sent_at, order, site, sheet[start : start + self.batch_size]))
        # A resend repeats what the site sent before, so resends are decided in sending order.
        previous: dict[str, list[Movement]] = {}
        for sent in sorted(sending):
            steps = self.sheet_steps(sent.site, sent.movements, previous.get(sent.site, []))
            yield Entry(sent.at, sent.order, tuple(steps))
            previous[sent.site] = sent.movements

    def sheet_steps(self, site: str, sheet: list[Movement], before: list[Movement]) -> list[Step]:
        target = (OPERATION, site)
        resent = []
        if before and self.rng.random() < self.noise.item_resend:
            resent = self.rng.sample(before, min(len(before), self.rng.randint(1, 3)))
        items = [m.item for m in sheet] + [m.item for m in resent]
        steps = [
            batch(
                "movements",
                target,
                items,
                recorded=len(sheet),
                duplicate=len(resent),
                units=len(sheet),
            )
        ]
        if self.rng.random() < self.noise.batch_resend:
            steps.append(batch("movements", target, items, recorded=0, duplicate=len(items)))
        for m in sheet:
            if m.error:
                steps += self.adjustment(site, m)
        return steps

    def adjustment(self, site: str, m: Movement) -> list[Step]:
        reference = m.item["reference"]
        body = {
            "adjustment_id": f"recount-{reference}",
            "delta": -m.error,
            "reason": "recount against the passenger manifest",
        }
        steps = [command("adjust_movement", (OPERATION, site, reference), body)]
        if self.rng.random() < self.noise.command_resend:
            steps.append(
                command("adjust_movement", (OPERATION, site, reference), body, fresh=False)
            )
        return steps
