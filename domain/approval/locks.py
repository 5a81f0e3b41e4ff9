"""The write paths' side of the approval locks, for operations whose units have seals.

A write reads the seal of each (unit, period) it changes, inside the attempt that saves
it: refused (or held) when an approval stands there, otherwise it notes its write on
the seal, saved with its facts. See ``domain.approval.seal``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.actors import Actor
from domain.approval.book import Approval, ApprovalBook
from domain.approval.errors import (
    HELD_FOR_APPROVED_PERIOD,
    HeldWithOtherDetailsError,
    PeriodApprovedError,
)
from domain.approval.seal import PeriodSeal, load_seal
from domain.approval.workflow import Period, period_of, workflow
from domain.clock import local_day
from domain.ledger import Ledger
from domain.outcomes import ItemResult, ItemStatus


class PeriodLocks:
    def __init__(self, ledger: Ledger, operation: str) -> None:
        self.ledger = ledger
        self.operation = operation
        self.flow = workflow(operation)

    def period(self, scope: str) -> Period:
        try:
            book: ApprovalBook = self.ledger.repository.get(
                ApprovalBook.create_id(self.operation, scope), deepcopy_from_cache=False
            )
        except AggregateNotFoundError:
            return self.flow.periods[0]
        return book.period

    def seal(self, scope: str, unit: str, day: date) -> PeriodSeal:
        """The seal of the lowest-level unit's period ``day`` falls in, read afresh."""
        key = period_of(day, self.period(scope))
        return load_seal(self.ledger, self.operation, scope, unit, key)

    def guard(
        self,
        scope: str,
        unit: str,
        day: date,
        field: str,
        actor: Actor,
        seals: dict[tuple[str, str], PeriodSeal] | None = None,
    ) -> PeriodSeal:
        """Refuse a write to an approved period, naming the approval; else note it.

        Save the seal returned with the facts, in the same save; ``seals``: those a
        batch already read (one object per stream, or the batch collides with itself).
        """
        seals = {} if seals is None else seals
        key = (unit, period_of(day, self.period(scope)))
        if key not in seals:
            seals[key] = load_seal(self.ledger, self.operation, scope, *key)
        seal = seals[key]
        if seal.approval is not None:
            raise PeriodApprovedError(seal.approval.describe(), field)
        seal.count(1, 0, actor.name)
        return seal

    def book_to_hold(self, scope: str, actor: Actor) -> ApprovalBook:
        try:
            book: ApprovalBook = self.ledger.repository.get(
                ApprovalBook.create_id(self.operation, scope)
            )
        except AggregateNotFoundError:
            book = ApprovalBook(self.operation, scope, self.flow.periods[0].value, actor.name)
        return book


class BatchSeals:
    """The seals of a batch's (unit, period)s, each read once for one attempt."""

    def __init__(
        self, locks: PeriodLocks, scope: str, places: Sequence[tuple[str, datetime]]
    ) -> None:
        """``places``: each item's unit and moment (a moment without a zone is skipped:
        it is refused later, with its own reason)."""
        period = locks.period(scope)
        keys = {
            i: (unit, period_of(local_day(moment), period))
            for i, (unit, moment) in enumerate(places)
            if moment.tzinfo is not None
        }
        # A batch's items share a few (unit, period)s: each seal's id is worked out once.
        ids = {
            key: PeriodSeal.create_id(locks.operation, scope, *key)
            for key in dict.fromkeys(keys.values())
        }
        stored = locks.ledger.get_many(ids.values())  # one query for the batch's seals
        read = {
            key: stored.get(sid) or PeriodSeal(locks.operation, scope, *key)
            for key, sid in ids.items()
        }
        self.by_item: dict[int, PeriodSeal] = {i: read[key] for i, key in keys.items()}

    def locks(self) -> dict[int, Approval]:
        return {i: s.approval for i, s in self.by_item.items() if s.approval is not None}

    def counted(self, actor: Actor, locks: dict[int, Approval]) -> list[PeriodSeal]:
        """The open periods' seals, each noting this batch's writes."""
        opened = {id(s): s for i, s in self.by_item.items() if i not in locks}
        for seal in opened.values():
            seal.count(1, 0, actor.name)
        return list(opened.values())

    def locked(self, locks: dict[int, Approval]) -> list[PeriodSeal]:
        return list({id(self.by_item[i]): self.by_item[i] for i in locks}.values())


def held_answer(index: int, item_id: str, lock: Approval, field: str) -> ItemResult:
    """A new fact dated in an approved period: kept, not counted, until un-approval."""
    return ItemResult(
        index,
        item_id,
        ItemStatus.REJECTED,
        held_reason(lock),
        field,
        code=HELD_FOR_APPROVED_PERIOD,
    )


def held_reason(lock: Approval) -> str:
    return (
        f"held for an approved period: {lock.describe()}; it is recorded when an admin "
        "un-approves that period"
    )


def hold(
    book: ApprovalBook,
    lock: Approval,
    fact_id: str,
    facts: dict[str, Any],
    field: str,
    code: str | None = None,
) -> bool:
    """Keep a fact in the book for the approved period; False when it is held already.
    Its id sent again with other details raises HeldWithOtherDetailsError(field, code)."""
    if fact_id not in book.held:
        book.hold(fact_id, lock.level, lock.unit, lock.period, facts)
        return True
    if held_differs(book, fact_id, facts):
        raise HeldWithOtherDetailsError(field, code)
    return False


def held_differs(book: ApprovalBook | None, fact_id: str, facts: dict[str, Any]) -> bool:
    """Whether ``fact_id`` is held in ``book`` with other details than ``facts``."""
    held = None if book is None else book.held.get(fact_id)
    return held is not None and _compared(held["facts"]) != _compared(facts)


# Who sent it and the sealed contact (sealed afresh on each send) are not its details.
NOT_DETAILS = frozenset({"sent_by", "contact"})


def _compared(facts: dict[str, Any]) -> dict[str, Any]:
    """The details of a held fact, each moment as an instant (an offset is no difference)."""
    return {
        name: datetime.fromisoformat(value) if name.endswith("_at") and value else value
        for name, value in facts.items()
        if name not in NOT_DETAILS
    }
