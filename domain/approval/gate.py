"""The lock on deliveries: none changes a day its committee's figures were approved for.

A new delivery dated in an approved period is not lost: it is held in the approval
book ("held for an approved period", not counted) and recorded when an admin
un-approves that period. A resend of a delivery already recorded still answers
``duplicate``: only what would change the figures is held.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from domain.actors import Actor
from domain.approval.book import Approval, ApprovalBook
from domain.approval.errors import HELD_FOR_APPROVED_PERIOD, PeriodApprovedError
from domain.approval.service import ApprovalService, lock_in
from domain.approval.workflow import RAMADAN
from domain.clock import local_day
from domain.distribution.commands import RecordDelivery
from domain.errors import DomainError
from domain.ledger import last_position
from domain.outcomes import BatchMode, BatchOutcome, ItemResult, ItemStatus

OPERATION = RAMADAN.operation
# The distribution service's own batch decision: (slug, items, keys, legacy keys,
# actor, mode, sealed contacts) -> outcome.
RecordBatch = Callable[
    [
        str,
        Sequence[RecordDelivery],
        list[str],
        dict[int, str],
        Actor,
        BatchMode,
        dict[int, Any],
        dict[int, DomainError],
    ],
    BatchOutcome,
]


class DeliveryGate:
    def __init__(self, approvals: ApprovalService, record_batch: RecordBatch) -> None:
        self.approvals = approvals
        self.record_batch = record_batch
        approvals.releasers[OPERATION] = self.release

    def check_unlocked(self, slug: str, committee: str, moment: datetime, field: str) -> None:
        """Reversals and corrections are refused, naming the approval, while it stands."""
        lock = _lock_on(self.approvals.book(OPERATION, slug), committee, moment)
        if lock is not None:
            raise PeriodApprovedError(lock.describe(), field)

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
        ledger = self.approvals.ledger
        book = self.approvals.book(OPERATION, slug)  # once per batch: the cache re-reads it
        locks = {
            i: lock
            for i, item in enumerate(items)
            if (lock := _lock_on(book, item.committee, item.delivered_at)) is not None
        }
        whole = Subset(list(range(len(items))), items, keys, legacy, contacts, refused)
        if not locks:
            return ledger.retrying(lambda: whole.run(self.record_batch, slug, actor, mode))
        locked = Subset(sorted(locks), items, keys, legacy, contacts, refused)
        tried = locked.run(self.record_batch, slug, actor, BatchMode.DRY_RUN)
        to_hold = {r.index: locks[r.index] for r in tried.items if r.status is ItemStatus.RECORDED}
        answers = {r.index: r for r in tried.items if r.index not in to_hold}
        answers.update({i: _held(i, items[i].delivery_id, lock) for i, lock in to_hold.items()})
        if mode is not BatchMode.RECORD:  # held items count as refused: nothing is saved
            whole_try = whole.run(self.record_batch, slug, actor, BatchMode.DRY_RUN)
            merged = {r.index: r for r in whole_try.items} | answers
            return BatchOutcome([merged[i] for i in range(len(items))], 0, committed=False)
        rest = Subset(
            [i for i in range(len(items)) if i not in locks], items, keys, legacy, contacts, refused
        )
        outcome = (
            ledger.retrying(lambda: rest.run(self.record_batch, slug, actor, mode))
            if rest.indices
            else BatchOutcome([], 0)
        )
        held_at = ledger.retrying(lambda: self._hold(slug, whole, to_hold, actor))
        merged = {r.index: r for r in outcome.items} | answers
        return BatchOutcome([merged[i] for i in range(len(items))], max(outcome.position, held_at))

    def _hold(self, slug: str, whole: Subset, locks: dict[int, Approval], actor: Actor) -> int:
        book = self.approvals.book_to_change(OPERATION, slug, actor)
        held = False
        for i, lock in sorted(locks.items()):
            item = whole.items[i]
            if item.delivery_id in book.held:
                continue  # sent again while held: held once
            book.hold(
                item.delivery_id, lock.level, item.committee, lock.period, whole.facts(i, actor)
            )
            held = True
        return last_position(self.approvals.ledger.save(book)) if held else 0

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
        outcome = self.record_batch(
            slug, items, keys, legacy, actor, BatchMode.RECORD, contacts, {}
        )
        return {r.item_id: r.code or r.status.value for r in outcome.items}


def _lock_on(book: ApprovalBook | None, committee: str, moment: datetime) -> Approval | None:
    if moment.tzinfo is None:
        return None  # refused later, with its own reason
    return lock_in(book, committee, local_day(moment))


class Subset:
    """Some items of a batch, decided as a batch of their own and answered at their place."""

    def __init__(
        self,
        indices: list[int],
        items: Sequence[RecordDelivery],
        keys: list[str],
        legacy: dict[int, str],
        contacts: dict[int, Any],
        refused: dict[int, DomainError] | None = None,
    ) -> None:
        self.indices = indices
        self.refused = refused or {}
        self.items = items
        self.keys = keys
        self.legacy = legacy
        self.contacts = contacts

    def run(self, record: RecordBatch, slug: str, actor: Actor, mode: BatchMode) -> BatchOutcome:
        picked = self.indices
        outcome = record(
            slug,
            [self.items[i] for i in picked],
            [self.keys[i] for i in picked],
            {j: self.legacy[i] for j, i in enumerate(picked) if i in self.legacy},
            actor,
            mode,
            {j: self.contacts[i] for j, i in enumerate(picked) if i in self.contacts},
            {j: self.refused[i] for j, i in enumerate(picked) if i in self.refused},
        )
        return replace(outcome, items=[_moved(r, picked[r.index]) for r in outcome.items])

    def facts(self, i: int, actor: Actor) -> dict[str, Any]:
        item = self.items[i]
        return {
            "delivery_id": item.delivery_id,
            "committee": item.committee,
            "household_key": self.keys[i],
            "legacy_key": self.legacy.get(i),
            "household_size": item.household_size,
            "delivered_at": item.delivered_at.isoformat(),
            "contact": self.contacts.get(i),
            "sent_by": actor.name,
        }


def _moved(result: ItemResult, index: int) -> ItemResult:
    """A result of a sub-batch, renumbered to its place in the batch that was sent."""
    field = result.field
    if field is not None and field.startswith(f"items.{result.index}."):
        field = f"items.{index}." + field[len(f"items.{result.index}.") :]
    return replace(result, index=index, field=field)


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
