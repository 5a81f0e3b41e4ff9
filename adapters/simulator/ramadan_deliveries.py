"""The deliveries as they reach the ledger, with the field's resends and mistakes.

Committees' batches arrive interleaved by time, some days late. A batch may be
sent twice, may carry again a few items of the committee's previous batch, or
may try a household another committee already served (refused). A few
deliveries are reversed a little later, then made again the next day.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from adapters.simulator.enrolment import ListMistakes, as_sent
from adapters.simulator.ramadan_committees import Committee
from adapters.simulator.ramadan_plan import PlanView, Sync
from adapters.simulator.steps import Step, batch, command

CAMPAIGN = "ramadan-1441"
REVERSAL_DELAY = 2  # batches between a delivery and its reversal
RECENT = 64  # batches another committee's mistaken attempt may pick a household from


class Deliveries:
    """Walks the syncs in arrival order, adding the field's resends and mistakes."""

    def __init__(self, plan: PlanView) -> None:
        self.plan = plan
        self.noise = plan.noise
        self.rng = random.Random(f"{plan.seed}/ramadan/deliveries")
        self.previous: dict[str, Sync] = {}
        self.recent: deque[Sync] = deque(maxlen=RECENT)
        self.reversed: set[tuple[str, int]] = set()
        self.deferred: deque[tuple[int, list[Step]]] = deque()
        self.sent = 0
        self.mistakes = 0
        self.lists = ListMistakes(plan)

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
        items = [as_sent(self.plan, c.item(i)) for i in range(sync.start, sync.end)]
        resent = self.resent_items(sync.code)
        attempts = self.other_committee_attempt(c, sync)
        attempts += self.lists.attempts(c, sync.start, sync.end)
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
