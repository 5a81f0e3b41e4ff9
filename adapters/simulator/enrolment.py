"""The lists of the 2020 season: every household enrolled before the first kit leaves.

Each committee's households are enrolled on its list in batches; a few batches
are sent twice (duplicates). Some households will be named by voucher at the
door: their enrolment answers are remembered by the driver (``Step.remember``),
which fills ``VoucherOf`` placeholders in later steps. A few vouchers are
reissued before the deliveries (a lost card), and the revoked code is tried once.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from adapters.simulator.ramadan_committees import Committee
from adapters.simulator.ramadan_plan import PlanView
from adapters.simulator.steps import Step, batch

CAMPAIGN = "ramadan-1441"


@dataclass(frozen=True, slots=True)
class VoucherOf:
    """The voucher a household holds, as the driver learnt it (``revoked``: its old one)."""

    household: str
    revoked: bool = False


def by_voucher(plan: PlanView, household: str) -> bool:
    """Whether this household shows its voucher rather than its ID card (fixed per household)."""
    return zlib.crc32(f"{plan.seed}/{household}".encode()) % 10_000 < plan.noise.by_voucher * 10_000


def reissued(plan: PlanView, household: str) -> bool:
    """A voucher-holder whose card was lost and reissued before the deliveries."""
    if not by_voucher(plan, household):
        return False
    rate = plan.noise.reissue / max(plan.noise.by_voucher, 1e-9)
    return zlib.crc32(f"{plan.seed}/lost/{household}".encode()) % 10_000 < rate * 10_000


def enrolment_steps(plan: PlanView) -> Iterator[Step]:
    rng = random.Random(f"{plan.seed}/ramadan/enrolment")
    for c in plan.committees.values():
        for start in range(0, c.households, plan.batch_size):
            indices = range(start, min(start + plan.batch_size, c.households))
            items = [entry(c, i) for i in indices]
            keep = tuple(n for n, i in enumerate(indices) if by_voucher(plan, c.household(i)))
            yield Step("enrolments", (CAMPAIGN,), {"items": items},
                       {"recorded": len(items)}, remember=keep)  # fmt: skip
            if rng.random() < plan.noise.batch_resend:
                yield batch("enrolments", (CAMPAIGN,), items, recorded=0, duplicate=len(items))
    for c in plan.committees.values():
        for i in range(c.households):
            if reissued(plan, c.household(i)):
                body = {"reason": "card lost"}
                yield Step("reissue_voucher", (CAMPAIGN, VoucherOf(c.household(i))), body,  # type: ignore[arg-type]
                           {"recorded": 1})  # fmt: skip


def entry(c: Committee, index: int) -> dict[str, Any]:
    return {"household": c.household(index), "committee": c.code,
            "household_size": c.sizes[index]}  # fmt: skip


def as_sent(plan: PlanView, item: dict[str, Any]) -> dict[str, Any]:
    """A delivery as the committee sends it: by voucher for the households that show one."""
    if not by_voucher(plan, item["household"]):
        return item
    sent = {k: v for k, v in item.items() if k != "household"}
    return {**sent, "voucher": VoucherOf(item["household"])}


class ListMistakes:
    """Deliveries the lists refuse: unlisted households, other committees', revoked codes."""

    def __init__(self, plan: PlanView) -> None:
        self.plan = plan
        self.rng = random.Random(f"{plan.seed}/ramadan/list-mistakes")
        self.count = 0

    def attempts(self, c: Committee, start: int, end: int) -> list[dict[str, Any]]:
        noise, found = self.plan.noise, []
        moment = c.moment(start)
        if self.rng.random() < noise.unlisted:
            found.append(self._item(c, {"household": f"NL-{self.count:07d}"}, moment))
        others = [o for o in self.plan.committees.values() if o.code != c.code]
        if others and self.rng.random() < noise.wrong_committee:
            other = self.rng.choice(others)
            someone = other.household(self.rng.randrange(other.households))
            found.append(self._item(c, {"household": someone}, moment))
        for i in range(start, end):
            if reissued(self.plan, c.household(i)):
                revoked = {"voucher": VoucherOf(c.household(i), revoked=True)}
                found.append(self._item(c, revoked, moment))
        return found

    def _item(self, c: Committee, who: dict[str, Any], moment: Any) -> dict[str, Any]:
        self.count += 1
        return {"delivery_id": f"{c.code}:l{self.count:06d}", "committee": c.code,
                "household_size": 4, "delivered_at": moment, **who}  # fmt: skip
