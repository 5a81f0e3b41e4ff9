"""One batch of gifts against the seals of their stores' months, each read once.

A gift dated in a store's approved month is held in the approval book (answered
``held_for_approved_period``, not counted) and recorded when an admin un-approves
that month; every seal the batch writes to notes its recorded and held gifts, saved
in the same atomic save as they are (see ``domain.approval.seal``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from domain.actors import Actor
from domain.approval.book import Approval, ApprovalBook
from domain.approval.locks import PeriodLocks, held_answer, hold
from domain.approval.seal import PeriodSeal, load_seal
from domain.approval.workflow import Period, period_of
from domain.clock import local_day
from domain.donations.held import gift_fact
from domain.donations.in_kind import InKindDonation
from domain.outcomes import ItemResult

Key = tuple[str, str]  # (store, month)


class MonthSeals:
    def __init__(self, locks: PeriodLocks, scope: str, actor: Actor) -> None:
        self.locks = locks
        self.scope = scope
        self.actor = actor
        self.period: Period | None = None
        self.seals: dict[Key, PeriodSeal] = {}
        self.counts: dict[Key, list[int]] = {}  # [recorded, held]
        self.book: ApprovalBook | None = None

    def _key(self, store: str, moment: datetime) -> Key:
        if self.period is None:
            self.period = self.locks.period(self.scope)
        key = (store, period_of(local_day(moment), self.period))
        if key not in self.seals:
            ledger, operation = self.locks.ledger, self.locks.operation
            self.seals[key] = load_seal(ledger, operation, self.scope, *key)
            self.counts[key] = [0, 0]
        return key

    def lock(self, store: str, moment: datetime) -> Approval | None:
        """The approval of the store's month ``moment`` falls in, while it stands."""
        return self.seals[self._key(store, moment)].approval

    def hold(
        self, lock: Approval, gift: InKindDonation, receipt: str, indexes: list[int]
    ) -> list[ItemResult]:
        """Keep the gift in the book (once: a resend while held is held again; with other
        details, HeldWithOtherDetailsError on its receipt)."""
        if self.book is None:
            self.book = self.locks.book_to_hold(self.scope, self.actor)
        if hold(self.book, lock, *gift_fact(gift, self.actor.name), "receipt"):
            self.counts[self._key(gift.store, gift.received_at)][1] += 1
        return [held_answer(i, receipt, lock, f"items.{i}.received_at") for i in indexes]

    def changed(self, recorded: Iterable[InKindDonation]) -> list[Any]:
        """The seals written to, each noting this batch's gifts, then the book's holds."""
        for gift in recorded:
            self.counts[self._key(gift.store, gift.received_at)][0] += 1
        written = [key for key, counts in self.counts.items() if any(counts)]
        for key in written:
            recorded_here, held_here = self.counts[key]
            self.seals[key].count(recorded_here, held_here, self.actor.name)
        book = self.book if self.book is not None and self.book.pending_events else None
        return [*(self.seals[key] for key in written), *([book] if book is not None else [])]
