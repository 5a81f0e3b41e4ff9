"""The lock on deliveries: none changes a day its committee's figures were approved for.

A new delivery dated in an approved period is not lost: it is held in the approval
book ("held for an approved period", not counted) and recorded when an admin
un-approves that period. A resend of a delivery already recorded still answers
``duplicate``: only what would change the figures is held.

The lock is read from each (committee, period)'s seal inside the attempt that saves,
and every save of a batch appends to the seals of its periods: an approval saved
meanwhile makes the batch decide again (``domain.approval.seal``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from domain.actors import Actor
from domain.approval.book import Approval
from domain.approval.errors import HELD_FOR_APPROVED_PERIOD, HeldWithOtherDetailsError
from domain.approval.locks import BatchSeals, PeriodLocks, held_differs, hold
from domain.approval.seal import PeriodSeal
from domain.approval.service import ApprovalService
from domain.approval.subset import RecordBatch, Subset
from domain.approval.workflow import RAMADAN
from domain.clock import local_day
from domain.distribution.commands import RecordDelivery
from domain.distribution.delivery_key import DELIVERY_ID_REUSED
from domain.errors import DomainError
from domain.ledger import last_position
from domain.outcomes import BatchMode, BatchOutcome, ItemResult, ItemStatus, refused_item

OPERATION = RAMADAN.operation


class DeliveryGate:
    def __init__(self, approvals: ApprovalService, record_batch: RecordBatch) -> None:
        self.approvals = approvals
        self.record_batch = record_batch
        self.locks = PeriodLocks(approvals.ledger, OPERATION)
        approvals.releasers[OPERATION] = self.release

    def check_unlocked(
        self,
        slug: str,
        committee: str,
        moment: datetime,
        field: str,
        actor: Actor,
        seals: dict[tuple[str, str], PeriodSeal] | None = None,
    ) -> PeriodSeal | None:
        """Reversals and corrections are refused, naming the approval, while it stands;
        otherwise the period's seal, to be saved with them."""
        if moment.tzinfo is None:
            return None  # refused later, with its own reason
        return self.locks.guard(slug, committee, local_day(moment), field, actor, seals)

    def record(
        self,
        slug: str,
        items: Sequence[RecordDelivery],
        keys: list[str],
        legacy: dict[int, str],
        contacts: dict[int, Any],
        actor: Actor,
        mode: BatchMode,
        refused: dict[int, DomainError] | None = None,
    ) -> BatchOutcome:
        """``refused``: items already refused before deciding (an unusable voucher), by index."""
        whole = Subset(list(range(len(items))), items, keys, legacy, contacts, refused)
        return self.approvals.ledger.retrying(lambda: self._attempt(slug, whole, actor, mode))

    def _attempt(self, slug: str, whole: Subset, actor: Actor, mode: BatchMode) -> BatchOutcome:
        """One try: the seals read afresh, then the batch decided and saved with them."""
        seals = BatchSeals(
            self.locks, slug, [(item.committee, item.delivered_at) for item in whole.items]
        )
        locks = seals.locks()
        items, keys, legacy, contacts, refused = (
            whole.items,
            whole.keys,
            whole.legacy,
            whole.contacts,
            whole.refused,
        )
        if not locks:
            return whole.run(self.record_batch, slug, actor, mode, seals.counted(actor, locks))
        locked = Subset(sorted(locks), items, keys, legacy, contacts, refused)
        tried = locked.run(self.record_batch, slug, actor, BatchMode.DRY_RUN)
        to_hold = {r.index: locks[r.index] for r in tried.items if r.status is ItemStatus.RECORDED}
        answers = {r.index: r for r in tried.items if r.index not in to_hold}
        answers.update({i: _held(i, items[i].delivery_id, lock) for i, lock in to_hold.items()})
        if mode is not BatchMode.RECORD:  # held items count as refused: nothing is saved
            whole_try = whole.run(self.record_batch, slug, actor, BatchMode.DRY_RUN)
            book = self.approvals.book(OPERATION, slug)
            reused = {
                i: _reused(i, items[i].delivery_id)
                for i in to_hold
                if held_differs(book, items[i].delivery_id, whole.facts(i, actor))
            }
            merged = {r.index: r for r in whole_try.items} | answers | reused
            return BatchOutcome([merged[i] for i in range(len(items))], 0, committed=False)
        rest = Subset(
            [i for i in range(len(items)) if i not in locks], items, keys, legacy, contacts, refused
        )
        also = seals.counted(actor, locks)
        outcome = (
            rest.run(self.record_batch, slug, actor, mode, also)
            if rest.indices
            else BatchOutcome([], 0)
        )
        held_at, conflicting = self._hold(slug, whole, to_hold, actor, seals.locked(to_hold))
        merged = {r.index: r for r in outcome.items} | answers | conflicting
        return BatchOutcome([merged[i] for i in range(len(items))], max(outcome.position, held_at))

    def _hold(
        self,
        slug: str,
        whole: Subset,
        locks: dict[int, Approval],
        actor: Actor,
        seals: list[PeriodSeal],
    ) -> tuple[int, dict[int, ItemResult]]:
        """Keep the locked items in the book; saved with their seals, so that an
        un-approval saved meanwhile makes the batch decide again (and record them).
        Also answers the items refused because their id is held with other details."""
        book = self.approvals.book_to_change(OPERATION, slug, actor)
        held, conflicting = False, {}
        for i, lock in sorted(locks.items()):
            delivery_id = whole.items[i].delivery_id
            try:
                facts = whole.facts(i, actor)
                held = (
                    hold(book, lock, delivery_id, facts, "delivery_id", DELIVERY_ID_REUSED) or held
                )
            except HeldWithOtherDetailsError as error:
                conflicting[i] = refused_item(i, delivery_id, error)
        if not held:
            return 0, conflicting
        for seal in seals:
            seal.count(0, 1, actor.name)
        return last_position(self.approvals.ledger.save(*seals, book)), conflicting

    def release(self, slug: str, held: list[dict[str, Any]], actor: Actor) -> dict[str, str]:
        """Record the held deliveries of a period no longer approved; each one's answer."""
        facts = [h["facts"] for h in held]
        items = [
            RecordDelivery(
                delivery_id=f["delivery_id"],
                committee=f["committee"],
                household="",  # never kept: its keyed hash is
                household_size=f["household_size"],
                delivered_at=datetime.fromisoformat(f["delivered_at"]),
            )
            for f in facts
        ]
        keys = [f["household_key"] for f in facts]
        legacy = {i: f["legacy_key"] for i, f in enumerate(facts) if f.get("legacy_key")}
        contacts = {i: f["contact"] for i, f in enumerate(facts) if f.get("contact")}
        whole = Subset(list(range(len(items))), items, keys, legacy, contacts, {})
        outcome = self._attempt(slug, whole, actor, BatchMode.RECORD)
        return {r.item_id: r.code or r.status.value for r in outcome.items}


def _held(index: int, delivery_id: str, lock: Approval) -> ItemResult:
    return ItemResult(
        index,
        delivery_id,
        ItemStatus.REJECTED,
        f"held for an approved period: {lock.describe()}; it is recorded when an admin "
        "un-approves that period",
        f"items.{index}.delivered_at",
        code=HELD_FOR_APPROVED_PERIOD,
    )


def _reused(index: int, delivery_id: str) -> ItemResult:
    """A held delivery's id sent again with other details, as recording it answers."""
    error = HeldWithOtherDetailsError("delivery_id", DELIVERY_ID_REUSED)
    return refused_item(index, delivery_id, error)
